"""Chart builders, explanation sentences and the dashboards' query counts."""

import json
import re
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from indicators.models import Indicator, Target
from programmes.models import Document
from progress import charts, engine
from progress.explanations import SENTENCES, achievement_text, explanation_sentence
from progress.models import Progress, RecomputeRun
from progress.services import progress_recompute_now
from provinces.models import Province
from provinces.selectors import province_for_code_in_year
from reports.models import Report, ReportedValue

from .progress_builders import approved_value


def _points() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"series": "Bắc Kạn", "year": 2022, "value": 21.6, "qualifier": "exact", "hover": "a"},
            {
                "series": "Bắc Kạn",
                "year": 2023,
                "value": 50.0,
                "qualifier": "more_than",
                "hover": "b",
            },
            {"series": "Bắc Kạn", "year": 2024, "value": 30.0, "qualifier": "about", "hover": "c"},
        ]
    )


def _targets() -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "year": 2025,
                "comparator": "at_least",
                "low": 35.0,
                "high": None,
                "label": "≥ 35",
                "hover": "t",
            },
            {
                "year": 2030,
                "comparator": "between",
                "low": 3.0,
                "high": 4.0,
                "label": "3–4",
                "hover": "b",
            },
        ]
    )


def test_a_series_line_breaks_over_the_years_nobody_gave_a_figure_for() -> None:
    """Hà Nội's mid-2022 80 % was joined to its 2025 88 % by a line across 2023 and 2024,
    as if those years had figures on it."""
    series = pd.DataFrame(
        [
            {"series": "Hà Nội", "year": 2022, "value": 80.0, "hover": "a"},
            {"series": "Hà Nội", "year": 2025, "value": 88.0, "hover": "b"},
            {"series": "Thái Nguyên", "year": 2024, "value": 70.0, "hover": "c"},
            {"series": "Thái Nguyên", "year": 2025, "value": 75.0, "hover": "d"},
        ]
    )
    figure = charts.series_figure(series, language="vi", unit="%")
    hanoi, thai_nguyen = figure.data
    assert list(hanoi.x) == [2022, 2023, 2024, 2025]
    assert list(hanoi.y) == [80.0, None, None, 88.0]
    assert list(hanoi.customdata) == ["a", None, None, "b"]
    assert list(thai_nguyen.y) == [70.0, 75.0]
    points = pd.DataFrame(
        [
            {"series": "Bắc Kạn", "year": 2022, "value": 21.6, "qualifier": "exact", "hover": "a"},
            {"series": "Bắc Kạn", "year": 2024, "value": 30.0, "qualifier": "about", "hover": "c"},
        ]
    )
    text = charts.ChartText(unit="MW", target="target", band="band", merger="merger")
    values = charts.indicator_figure(points, _targets(), language="vi", text=text).data[0]
    assert list(values.y) == [21.6, None, 30.0]
    assert list(values.marker.symbol) == ["circle", "circle", "diamond"]
    json.loads(charts.figure_json(figure))  # the gaps are JSON nulls, not NaN


def test_indicator_figure_holds_values_marker_shapes_marks_band_path_and_projection() -> None:
    figure = charts.indicator_figure(
        _points(),
        _targets(),
        language="vi",
        text=charts.ChartText(unit="MW", target="target", band="band", merger="merger"),
        path=[(2021, 0.0), (2025, 35.0)],
        projection=(2024, 30.0, 2025, 33.0),
        merger_on=date(2025, 7, 1),
    )
    values = figure.data[0]
    assert list(values.x) == [2022, 2023, 2024] and list(values.y) == [21.6, 50.0, 30.0]
    assert list(values.marker.symbol) == ["circle", "triangle-up", "diamond"]
    marks = next(t for t in figure.data if t.name == "target")
    assert list(marks.x) == [2025] and list(marks.y) == [35.0]
    band = next(t for t in figure.data if t.name == "band")
    assert band.fill == "toself" and min(band.y) == 3.0 and max(band.y) == 4.0
    assert min(band.x) < 2030 < max(band.x)
    path = next(t for t in figure.data if t.name == "required path")
    assert list(path.y) == [0.0, 35.0]
    projection = next(t for t in figure.data if t.name == "projection")
    assert list(projection.x) == [2024, 2025] and list(projection.y) == [30.0, 33.0]
    assert figure.layout.separators == ",."
    assert figure.layout.shapes[0].x0 == pytest.approx(2025.496, abs=0.001)
    assert figure.layout.paper_bgcolor == "#ffffff"


def test_figures_carry_no_default_template_and_english_separators() -> None:
    figure = charts.indicator_figure(_points(), _targets(), language="en", text=charts.ChartText())
    assert figure.layout.separators == ".,"
    assert len(figure.to_json()) < 5000


def test_comparison_figure_writes_the_status_on_each_bar_and_draws_the_national_target() -> None:
    latest = pd.DataFrame(
        [
            {
                "unit": "A",
                "value": 80.0,
                "target": 100.0,
                "status": "not_achieved",
                "label": "x",
                "hover": "",
            },
            {
                "unit": "B",
                "value": 90.0,
                "target": None,
                "status": "on_track",
                "label": "y",
                "hover": "",
            },
        ]
    )
    figure = charts.comparison_figure(
        latest, language="vi", unit="%", national_target=85.0, text="own"
    )
    bars = figure.data[0]
    assert list(bars.y) == ["A", "B"] and list(bars.x) == [80.0, 90.0]
    assert list(bars.text) == ["x", "y"]
    assert list(bars.marker.color) == [
        charts.STATUS_COLOURS["not_achieved"],
        charts.STATUS_COLOURS["on_track"],
    ]
    assert list(figure.data[1].x) == [100.0]
    assert figure.layout.shapes[0].x0 == 85.0


@pytest.mark.django_db
def test_once_every_national_target_has_passed_the_indicator_page_draws_the_latest(
    client: Client,
) -> None:
    """1419/QĐ-TTg set its cleaner-production targets for 2015 and 2020: the page's
    national line is the 2020 one, the last the programme set, not the first."""
    programme = Document.objects.get(number="1419/QĐ-TTg")
    Target.objects.create(
        document=programme, province=None, indicator=Indicator.objects.get(code="SXSH-01"),
        year=2020, comparator="at_least", low=90, text_vi="90% cơ sở", source="test",
    )  # fmt: skip
    page = re.sub(r"\s+", " ", client.get("/indicators/SXSH-01/").content.decode())
    national = re.search(r"<dt>[^<]+</dt><dd>([^<]+)\((\d{4})\) ·", page)
    assert national is not None
    assert national.group(2) == "2020"


@pytest.mark.django_db
def test_an_at_most_target_is_drawn_at_its_ceiling_on_the_indicator_page() -> None:
    """ "Giảm xuống dưới 10": the national line and the unit's tick stand at 10, as they
    stand at the floor of an "at least" target; they were left out."""
    import json

    from progress.presenters import UnitLatest, indicator_charts

    indicator = Indicator.objects.get(code="SCP-03")
    hanoi = province_for_code_in_year(code="01", year=2024)
    ceiling = Target(indicator=indicator, year=2030, comparator="at_most", high=Decimal("10"))
    row = Progress(province=hanoi, indicator=indicator, year=2024, value=Decimal("12"), status="off_track", target=ceiling)  # fmt: skip
    charts_ = indicator_charts(
        indicator=indicator,
        latest=[UnitLatest(hanoi, row)],
        rows=[],
        national_target=ceiling,
    )
    figure = json.loads(str(charts_[0].json))
    assert figure["layout"]["shapes"][0]["x0"] == 10.0
    assert figure["data"][1]["x"] == [10.0]


def test_sparkline_spans_its_box() -> None:
    points = charts.sparkline([(2021, 1.0), (2022, 3.0)], width=100, height=20)
    assert points == "2.0,18.0 98.0,2.0"


def _documented_codes() -> set[str]:
    """Every code in the tables of progress/engine.py's docstring."""
    doc = engine.__doc__ or ""
    return {
        match
        for match in re.findall(r"^([a-z_]+)\s{2,}", doc, flags=re.MULTILINE)
        if match not in {"code"}
    }


def test_every_explanation_code_of_the_engine_has_a_sentence() -> None:
    codes = _documented_codes()
    assert len(codes) == 48  # 15 achievement, 18 more assessment, 15 roll-up codes
    assert codes <= set(SENTENCES), codes - set(SENTENCES)
    values = {
        "year": 2022, "value": "21.6", "low": "35", "high": "40", "ratio": "0.617",
        "as_of_year": 2025, "target_year": 2025, "latest_year": 2022, "latest_value": "21.6",
        "target_value": "35", "start_year": 2020, "start_value": "0", "status": "achieved",
        "units": "06, 19", "missing": "19", "count": 2, "units_reported": 1,
        "observed_slope": "2.5", "required_slope": "2", "pace_ratio": "1.250",
        "projection": "12.5", "baseline": "10", "baseline_year": 2020, "target": "8",
        "position": "below", "numerator": "24", "denominator": "63", "units_expected": 34,
        "national_entries": 1, "reported_count": 24, "reported_year": 2022,
        "period_end": 2024, "unit": "Thái Nguyên", "unit_from": "2025-07-01",
        "successor": "Thái Nguyên", "successor_from": "2025-07-01",
    }  # fmt: skip
    for code in codes:
        for language in ("vi", "en"):
            with translation.override(language):
                sentence = explanation_sentence(code, values, unit="MW")
            assert sentence.endswith("."), (code, sentence)
            assert "%(" not in sentence


def test_no_english_sentence_counts_one_unit_in_the_plural() -> None:
    """A roll-up with one unit reporting, or one missing, read "1 reporting units" and "1
    units did not report": English counts are put where no plural noun follows them."""
    codes = _documented_codes()
    with translation.override("en"):
        for code in codes:
            keys = set(re.findall(r"%\((\w+)\)s", SENTENCES[code]()))
            values = {key: 1 for key in keys} | {"units": 34, "missing": "Hà Nội"}
            sentence = explanation_sentence(code, values, unit="")
            assert not re.search(r"\b1 (?:[a-z]+ )?(?:units|entries)\b", sentence), sentence


def test_a_pace_from_a_bound_reads_as_a_bound() -> None:
    values = {"start_value": "15", "start_year": 2020, "latest_value": "30", "latest_year": 2022, "qualifier": "more_than", "target_value": "35", "target_year": 2025, "observed_slope": "7.5", "required_slope": "4", "pace_ratio": "1.875", "pace_bound": "lower", "projection": "52.5", "projection_bound": "lower"}  # fmt: skip
    with translation.override("en"):
        sentence = explanation_sentence("pace_ratio", values, unit="MW")
    assert "to more than 30 MW in 2022" in sentence
    assert "pace ratio at least 1.875, projected at least 52.5 MW." in sentence


@pytest.mark.parametrize(
    ("pace", "status", "shown"),
    [("0.945", "at_risk", "0,945"), ("0.596", "off_track", "0,596"), ("1.250", "on_track", "1,25")],
)
def test_a_pace_ratio_is_shown_as_stored_never_rounded_onto_a_threshold(
    pace: str, status: str, shown: str
) -> None:
    """37,8 % in 2022 from 0 in 2020 towards 100 % by 2025 is a pace ratio of 0,945: at risk,
    under the 0,95 of on track. Printed to two places it read "0,95" beside "at risk"."""
    values = {"start_value": "0", "start_year": 2020, "latest_value": "37.8", "latest_year": 2022, "target_value": "100", "target_year": 2025, "observed_slope": "18.9", "required_slope": "20", "pace_ratio": pace, "projection": "94.5", "status": status}  # fmt: skip
    with translation.override("vi"):
        sentence = explanation_sentence("pace_ratio", values, unit="%")
    assert f"hệ số tiến độ {shown}," in sentence


def test_an_approximate_exact_target_does_not_say_achieved_only_when_equal() -> None:
    """97 against "khoảng 100", exact, is achieved (within 5 %); the sentence said "a
    target of exactly 100: 97 %, achieved only when equal" beside "achieved"."""
    target = engine.Target(2025, engine.Comparator.EXACT, Decimal(100), None, True)
    found = engine.achievement(target, engine.Observation(2025, Decimal(97)))
    assert found.achieved is True
    values = {**found.explanation.values, "ratio": str(found.ratio)}
    with translation.override("en"):
        sentence = explanation_sentence(found.explanation.code, values, unit="%")
    assert "only when equal" not in sentence
    assert "97 % in 2025 against a target of about 100 %: 97 %" in sentence
    assert "within 5 % of it either side" in sentence


def test_an_approximate_target_says_where_it_counts_as_met() -> None:
    values = {"latest_value": "21.6", "latest_year": 2022, "target_value": "35", "threshold": "33.25", "target_year": 2025, "start_value": "15", "start_year": 2020, "observed_slope": "3.3", "required_slope": "3.65", "pace_ratio": "0.904", "projection": "31.5"}  # fmt: skip
    with translation.override("en"):
        sentence = explanation_sentence("pace_ratio", values, unit="MW")
    assert "reaching about 35 MW (met from 33.25 MW) by 2025 needs 3.65 MW a year" in sentence


@pytest.mark.parametrize(
    ("baseline", "value", "says"),
    [
        # From a baseline the tolerance is of the reduction: 95 % of it, met at 81.
        (Decimal(100), "81", "against a target of about 80 % (met up to 81 %): 95 % of the "
         "reduction required; the tolerance of 5 % is of the reduction, not of the target."),
        # Without one, "khoảng 80" at most is met up to 80 × 1,05, not "from" 84.
        (None, "84", "the target about 80 % (met up to 84 %) is divided by the value 84 %"),
    ],
)  # fmt: skip
def test_an_approximate_at_most_target_says_up_to_where_it_is_met(
    baseline: Decimal | None, value: str, says: str
) -> None:
    target = engine.Target(
        2025, engine.Comparator.AT_MOST, None, Decimal(80), True,
        baseline_value=baseline, baseline_year=2020 if baseline else None,
    )  # fmt: skip
    found = engine.achievement(
        target, engine.Observation(2025, Decimal(value)), engine.Direction.DECREASE
    )
    assert found.achieved is True
    with translation.override("en"):
        sentence = explanation_sentence(found.explanation.code, found.explanation.values, unit="%")
    assert says in sentence


@pytest.mark.parametrize(
    ("comparator", "target", "direction", "value", "says"),
    [
        ("at_most", "-3", "decrease", "-2",
         "The target -3 % is below zero, a reduction from zero: -2 % in 2022 is 66.7 % of the "
         "reduction required."),
        ("at_least", "-5", "increase", "-4",
         "The target, -5 %, is below zero, which zero itself already meets, so there is no "
         "percentage: -4 % in 2022 either meets it or not."),
        ("at_most", "80", "decrease", "-5",
         "The value in 2022, -5 %, is below zero, so the target 80 % cannot be divided by it: "
         "no percentage, only whether it is met."),
    ],
)  # fmt: skip
def test_a_target_or_value_below_zero_says_how_it_is_read(
    comparator: str, target: str, direction: str, value: str, says: str
) -> None:
    bound = {"low": Decimal(target)} if comparator == "at_least" else {"high": Decimal(target)}
    found = engine.achievement(
        engine.Target(
            2025, engine.Comparator(comparator), bound.get("low"), bound.get("high"), False
        ),
        engine.Observation(2022, Decimal(value)),
        engine.Direction(direction),
    )
    with translation.override("en"):
        sentence = explanation_sentence(found.explanation.code, found.explanation.values, unit="%")
    assert sentence == says


def test_a_figure_of_a_day_before_its_years_end_says_the_day() -> None:
    values = {"latest_value": "80", "latest_year": 2022, "value_as_of": "2022-07-15", "target_value": "100", "target_year": 2022, "as_of_year": 2022}  # fmt: skip
    with translation.override("en"):
        sentence = explanation_sentence("target_year_interim", values, unit="%")
    assert sentence.startswith("80 % in 2022 (as of 15 Jul 2022) is a figure from before the year")
    with translation.override("vi"):
        sentence = explanation_sentence("target_year_no_report", values, unit="%")
    assert "giá trị gần nhất là 80 % năm 2022 (tính đến 15/7/2022)." in sentence


def test_sentences_format_numbers_in_the_active_language() -> None:
    values = {"latest_value": "21.6000", "latest_year": 2022, "target_value": "35.0000", "target_year": 2025, "as_of_year": 2025}  # fmt: skip
    with translation.override("vi"):
        assert "21,6 MW" in explanation_sentence("target_year_no_report", values, unit="MW")
    with translation.override("en"):
        assert "21.6 MW" in explanation_sentence("target_year_no_report", values, unit="MW")


def test_a_lower_bound_reads_as_at_least() -> None:
    with translation.override("en"):
        assert achievement_text(Decimal("0.435"), "lower") == "at least 43.5 %"
    with translation.override("vi"):
        assert achievement_text(Decimal("0.435"), "lower") == "tối thiểu 43,5 %"
        assert achievement_text(Decimal("0.617"), "exact") == "61,7 %"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _share_with_target(
    code: str, programme: Document, *, document: Document, province: Province | None, year: int
) -> Indicator:
    """A share indicator of the programme with an "at least 50 %" target in ``document``."""
    indicator = Indicator.objects.create(
        code=code, name_vi=f"Thử {code}", name_en=f"Test {code}", unit="%", measure="percent",
        direction="increase", accumulation="level", programme=programme, source="test",
    )  # fmt: skip
    Target.objects.create(
        document=document, province=province, indicator=indicator, year=year,
        comparator="at_least", low=50, text_vi="50%", source="test",
    )  # fmt: skip
    return indicator


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_units_indicators_or_years(client: Client) -> None:
    bac_kan = province_for_code_in_year(code="06", year=2022)
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    plan = Document.objects.get(number="405/KH-UBND")
    urls = [
        "/",
        f"/provinces/{bac_kan.pk}/",
        f"/provinces/{thai_nguyen.pk}/",
        "/indicators/BK-NLTT-CS/",
        f"/documents/{plan.pk}/",
    ]
    before = {url: _queries(client, url) for url in urls}
    assert before["/"] <= 26

    # More units, indicators, targets, years and values, and their progress recomputed.
    programme = Document.objects.get(number="889/QĐ-TTg")
    Province.objects.create(code="98", name="Thử nghiệm", kind="tinh", source="test")
    capacity = Indicator.objects.get(code="BK-NLTT-CS")
    for n in range(3):
        _share_with_target(f"T-{n}", programme, document=plan, province=bac_kan, year=2025)
    for year in (2021, 2023, 2024):
        report = Report.objects.create(province=bac_kan, year=year, status=Report.Status.APPROVED)
        ReportedValue.objects.create(
            report=report, indicator=capacity, value=20 + year - 2020, source="test",
            as_of=date(year + 1, 1, 1),
        )  # fmt: skip
        for indicator in Indicator.objects.filter(code__startswith="T-"):
            ReportedValue.objects.create(
                report=report, indicator=indicator, value=40, source="test",
                as_of=date(year + 1, 1, 1),
            )  # fmt: skip
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert Progress.objects.filter(province=bac_kan).count() > 20

    after = {url: _queries(client, url) for url in urls}
    assert after == before


@pytest.mark.django_db
def test_a_programme_with_hundreds_of_targets_is_shown_a_page_at_a_time(client: Client) -> None:
    programme = Document.objects.get(number="889/QĐ-TTg")
    for n in range(60):
        _share_with_target(f"Z-{n:03d}", programme, document=programme, province=None, year=2030)
    targets = programme.targets.count()

    def codes(url: str) -> set[str]:
        page = client.get(url).content.decode()
        return {code for code in re.findall(r'class="code">([^<]+)<', page)}

    first, second = (
        codes(f"/documents/{programme.pk}/"),
        codes(f"/documents/{programme.pk}/?page=2"),
    )
    assert "Z-000" in first and "Z-059" in second and not first & second
    assert len(first | second) == len({t.indicator.code for t in programme.targets.all()})
    assert targets > 50

    # The overview's tiles still count every national target; its table pages through them.
    home = client.get("/").content.decode()
    assert "?page=2" in home
    assert "Z-059" not in home and "Z-059" in client.get("/?page=3").content.decode()


@pytest.mark.django_db
def test_overview_explains_a_partial_national_sum_beside_its_figure(client: Client) -> None:
    """SCP-05's 2025 line shows the provinces' sum (12 models, partial): its sentence must
    be the sum's ("12 models in 2025 lacks 33 of the units"), not the empty reported row's
    "nothing was reported", which contradicts the figure beside it."""
    approved_value(province_for_code_in_year(code="01", year=2025), "SCP-05", 2025, "12")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    client.post("/i18n/setlang/", {"language": "en"})
    html = client.get("/").content.decode()
    line = re.search(r"SCP-05</span></a>.*?</tr>", html, re.S)
    assert line, html
    assert "12 models" in line.group(0)
    assert "12 models in 2025 lacks 33 of the units" in line.group(0)
    assert "Nothing was reported" not in line.group(0)

    # The indicator page's national table has that one 2025 line too, not an empty
    # "nothing was reported" line of the ministry's above it.
    page = client.get("/indicators/SCP-05/").content.decode()
    table = re.search(r"National figure.*?</table>", page, re.S)
    assert table, page
    lines_2025 = re.findall(r'<td class="year">2025</td>.*?</tr>', table.group(0), re.S)
    assert len(lines_2025) == 1 and "12 models" in lines_2025[0]


@pytest.mark.django_db
def test_document_page_shows_a_national_target_once_with_the_roll_up_that_has_its_figure(
    client: Client,
) -> None:
    """889/QĐ-TTg's page read, on SCP-05's 2025 row, "—" and "nothing was reported" of the
    ministry's beside the provinces' 12 models, with two status badges; on SCP-09's 2030
    row, the ministry's empty line beside the register's. Each row has one line, as the
    indicator page's national table has (``rows_shown``)."""
    approved_value(province_for_code_in_year(code="01", year=2025), "SCP-05", 2025, "12")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    client.post("/i18n/setlang/", {"language": "en"})
    programme = Document.objects.get(number="889/QĐ-TTg")
    page = client.get(f"/documents/{programme.pk}/").content.decode()
    models = re.search(r"SCP-05</span></a>(?:(?!</tr>).)*?<td>2025</td>.*?</tr>", page, re.S)
    assert models, page
    assert models.group(0).count('class="status ') == 1
    assert "12 models (2025)" in models.group(0) and "Nothing was reported" not in models.group(0)
    plans = re.search(r"SCP-09</span></a>(?:(?!</tr>).)*?<td>2030</td>.*?</tr>", page, re.S)
    assert plans, page
    assert plans.group(0).count('class="status ') == 1
    assert "register of plans" in plans.group(0)


@pytest.mark.django_db
def test_a_year_whose_national_sum_is_empty_too_has_one_line(client: Client) -> None:
    """Only Bắc Kạn's 2025 report, for its area after the merger, is approved: it is not
    added to the nation's sum, which is empty too. The national table had two empty 2025
    lines, the ministry's and the sum's; the sum's, naming the units missing, stays."""
    approved_value(province_for_code_in_year(code="06", year=2024), "SCP-05", 2025, "1")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get("/indicators/SCP-05/").content.decode()
    table = re.search(r"National figure.*?</table>", page, re.S)
    assert table, page
    lines_2025 = re.findall(r'<td class="year">2025</td>.*?</tr>', table.group(0), re.S)
    assert len(lines_2025) == 1, lines_2025
    # It says why the sum leaves out Bắc Kạn's model, not that no unit reported anything.
    assert "No unit in force reported a value for 2025, so there is no sum." in lines_2025[0]
    assert "which has not been reported, so it is not added on its own." in lines_2025[0]


@pytest.mark.django_db
def test_overview_does_not_call_a_share_of_one_reporting_province_missed(client: Client) -> None:
    """Hà Nội's 2025 report with only SCP-06-HUYEN = 80: the national SCP-06 line showed
    "2,9 % … ✗ không đạt" (1 of 34) while 33 provinces had not reported for 2025. It shows
    the share, and says that 33 units did not report into it."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    report = Report.objects.create(province=hanoi, year=2025, status=Report.Status.APPROVED)
    ReportedValue.objects.create(
        report=report, indicator=Indicator.objects.get(code="SCP-06-HUYEN"), value=80, source="t"
    )
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    html = re.sub(r"\s+", " ", client.get("/").content.decode())
    line = re.search(r"SCP-06</span></a>.*?</tr>", html)
    assert line, html
    assert "2,9 %" in line.group(0)
    assert "không đạt" not in line.group(0) and "✗" not in line.group(0)
    assert "33 đơn vị chưa báo cáo vào con số 2,9 % năm 2025" in line.group(0)


@pytest.mark.django_db
def test_a_sentence_opening_with_a_qualified_figure_starts_with_a_capital(client: Client) -> None:
    """Bắc Kạn's "trên 50 triệu kWh": the achievement sentence opens with the figure, and
    read "… no baseline: no pace … more than 50 million kWh in 2022 against …"."""
    bac_kan = province_for_code_in_year(code="06", year=2022)
    page = client.get(f"/provinces/{bac_kan.pk}/").content.decode()
    assert "Trên 50 triệu kWh năm 2022 so với" in page
    assert ". trên 50 triệu kWh" not in page
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get(f"/provinces/{bac_kan.pk}/").content.decode()
    assert "More than 50 million kWh in 2022 against" in page
    assert ". more than 50 million kWh" not in page


def _chart_data(page: str, chart_id: str) -> list[dict]:
    found = re.search(rf'<script type="application/json" id="{chart_id}-data">(.*?)</script>', page)
    assert found, chart_id
    return json.loads(found.group(1))["data"]


@pytest.mark.django_db
def test_chart_hovers_cite_sources_as_the_tables_do_and_name_none_when_there_is_none(
    client: Client,
) -> None:
    """Every hover read "Nguồn: seed 004_6edeba63036783fe.txt", a stored file's name, where
    the tables say "bài báo lưu 004"; a figure with no source ended in an empty "Nguồn: "."""
    hanoi = province_for_code_in_year(code="01", year=2023)
    # 2023: no plan of Hà Nội's is in force, so no target's source stands in for the value's.
    value = approved_value(hanoi, "SCP-07", 2023, "90")
    value.source = ""
    value.save(update_fields=["source"])
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    page = client.get("/indicators/BK-NLTT-CS/").content.decode()
    hovers = [text for trace in _chart_data(page, "chart-series") for text in trace["customdata"]]
    assert hovers and all("Nguồn: bài báo lưu 004" in text for text in hovers), hovers
    assert not any("seed " in text for text in hovers)
    bars = _chart_data(page, "chart-latest")[0]["customdata"]
    assert bars[0] == "Bắc Kạn (đến 30/6/2025) · 2022<br>21,6 MW<br>Nguồn: bài báo lưu 004"

    page = client.get("/indicators/SCP-07/").content.decode()
    series = {trace["name"]: trace for trace in _chart_data(page, "chart-series")}
    hanoi_2023 = series["Hà Nội"]["customdata"][series["Hà Nội"]["x"].index(2023)]
    assert hanoi_2023 == "90 %"


@pytest.mark.django_db
def test_a_national_figure_the_ministry_left_empty_says_whose_figures_there_are(
    client: Client,
) -> None:
    """SCP-07 adds nothing up from the units' shares: the ministry's 2025 row said "nothing
    was reported up to 2025" beside the units' own figures on the same page."""
    silent = "Bộ chưa báo cáo số liệu toàn quốc cho mục tiêu năm 2025; {} tỉnh, thành phố"
    old = "chưa có số liệu báo cáo cho mục tiêu năm 2025"
    # Hà Nội's 80 % of 2022, on the overview's SCP-07 line and on the indicator's page.
    page = re.sub(r"\s+", " ", client.get("/").content.decode())
    line = re.search(r">SCP-07<.*?</tr>", page)
    assert line and silent.format(1) in line.group(0) and old not in line.group(0)
    page = re.sub(r"\s+", " ", client.get("/indicators/SCP-07/").content.decode())
    assert silent.format(1) in page and old not in page
    approved_value(province_for_code_in_year(code="06", year=2023), "SCP-07", 2023, "70")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    page = re.sub(r"\s+", " ", client.get("/indicators/SCP-07/").content.decode())
    assert silent.format(2) in page
    client.post("/i18n/setlang/", {"language": "en"})
    page = re.sub(r"\s+", " ", client.get("/indicators/SCP-07/").content.decode())
    assert "The ministry has reported no national figure up to " in page
    assert "for the 2025 target; units that have reported their own figures: 2." in page
    # The stored row keeps the engine's code, which the exports and the API give.
    row = Progress.objects.get(indicator__code="SCP-07", province=None, year=2025)
    assert row.explanation_code == "no_observations"
    # Where no unit has reported either, nothing changes: SCP-06 has no figure at all.
    page = re.sub(r"\s+", " ", client.get("/indicators/SCP-06/").content.decode())
    assert "The ministry has reported no national figure" not in page


@pytest.mark.django_db
def test_chart_toolbar_words_follow_the_readers_language(client: Client) -> None:
    """plotly.js writes its toolbar's tooltips itself, in English: the page hands it the
    Vietnamese for them, and nothing on an English page."""
    page = client.get("/indicators/BK-NLTT-CS/").content.decode()
    found = re.search(r'<script type="application/json" id="chart-locale">(.*?)</script>', page)
    assert found
    locale = json.loads(found.group(1))
    assert locale["name"] == "vi"
    assert locale["dictionary"]["Download plot as a PNG"] == "Tải biểu đồ xuống dạng ảnh PNG"
    assert locale["dictionary"]["Reset axes"] == "Đặt lại các trục"
    client.post("/i18n/setlang/", {"language": "en"})
    assert 'id="chart-locale"' not in client.get("/indicators/BK-NLTT-CS/").content.decode()


def _heat_cells(page: str, unit: Province) -> dict[str, tuple[str, str]]:
    """A heat-map row's cells by indicator: the link's tooltip and what a screen reader
    hears."""
    row = re.search(rf'<tr><th scope="row"><a href="/provinces/{unit.pk}/">.*?</tr>', page)
    assert row, unit
    return {
        anchor: (title, hidden)
        for anchor, title, hidden in re.findall(
            r'#indicator-([\w-]+)" title="([^"]*)"><span aria-hidden="true">[^<]*</span>'
            r'<span class="visually-hidden">([^<]*)</span>',
            row.group(0),
        )
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "vi",
            {
                "SCP-07": "SCP-07: không đạt — Bắc Kạn (đến 30/6/2025)",
                "SCP-04": "SCP-04: đạt — Bắc Kạn (đến 30/6/2025)",
                "rolled up": (
                    "SCP-05: không có mục tiêu — Tuyên Quang (gộp các tỉnh cũ), "
                    "Hà Giang (đến 30/6/2025), Tuyên Quang (đến 30/6/2025)"
                ),
                "Hà Nội": "SCP-07: chưa đủ số liệu",
            },
        ),
        (
            "en",
            {
                "SCP-07": "SCP-07: not achieved — Bắc Kạn (until 30 Jun 2025)",
                "SCP-04": "SCP-04: achieved — Bắc Kạn (until 30 Jun 2025)",
                "rolled up": (
                    "SCP-05: no target — Tuyên Quang (former provinces combined), "
                    "Hà Giang (until 30 Jun 2025), Tuyên Quang (until 30 Jun 2025)"
                ),
                "Hà Nội": "SCP-07: not enough data",
            },
        ),
    ],
)
def test_a_heat_map_cell_from_a_former_units_figure_says_whose_it_is(
    client: Client, clock, language: str, words: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's SCP-07 cell read "✗ không đạt", its tooltip "SCP-07: không
    đạt", from Bắc Kạn's 80 % against its own plan's 85 %, while Thái Nguyên reported no
    SCP-07 and has no target for it. A cell still counts its former units' figures (the
    overview's rule), and now says whose they are; the unit's own figure reads as before."""
    clock(date(2026, 3, 1))
    bac_kan = province_for_code_in_year(code="06", year=2024)
    approved_value(bac_kan, "SCP-07", 2025, "80")
    approved_value(bac_kan, "SCP-04", 2025, "75")
    tuyen_quang = province_for_code_in_year(code="08", year=2025)
    for former in tuyen_quang.predecessors.all():
        approved_value(former, "SCP-05", 2024, "2")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    client.post("/i18n/setlang/", {"language": language})
    page = client.get("/").content.decode()
    thai_nguyen = _heat_cells(page, province_for_code_in_year(code="19", year=2025))
    assert thai_nguyen["SCP-07"] == (words["SCP-07"],) * 2
    assert thai_nguyen["SCP-04"] == (words["SCP-04"],) * 2
    assert _heat_cells(page, tuyen_quang)["SCP-05"] == (words["rolled up"],) * 2
    hanoi = _heat_cells(page, province_for_code_in_year(code="01", year=2025))
    assert hanoi["SCP-07"] == (words["Hà Nội"],) * 2


@pytest.mark.django_db
def test_a_plans_indicator_lists_without_data_only_the_units_it_asks(client: Client) -> None:
    """BK-NLTT-CS, of Bắc Kạn's 405/KH-UBND alone, listed 33 units "without data" though
    no other unit's form asks for it; its yearly chart, one series, said nowhere whose it
    was. The list keeps to the units the report form asks (Hà Nội's HN-CHO: Hà Nội, which
    has reported none), a national indicator's to every unit, and a lone series is named in
    the legend, as several are."""

    def listed(code: str) -> list[str]:
        """The units the section lists as without data, after what it says of them."""
        page = client.get(f"/indicators/{code}/").content.decode()
        section = re.search(
            r"Tỉnh, thành phố hiện hành chưa có số liệu</h2>.*?"
            r'<ul class="units inline">(.*?)</ul>',
            page,
            re.S,
        )
        assert section, code
        return re.findall(r'<a href="/provinces/\d+/">([^<]+)</a>', section.group(1))

    assert listed("BK-NLTT-CS") == []
    assert listed("HN-CHO") == ["Hà Nội"]
    national = listed("SCP-07")
    assert len(national) == 33 and "Hà Nội" not in national
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get("/indicators/BK-NLTT-CS/").content.decode()
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    assert (
        "Only the provinces whose plan, or a former unit's plan, sets this indicator report "
        f'it: <a href="/provinces/{thai_nguyen.pk}/">Thái Nguyên</a>. 0 of them have reported '
        "no value in any year" in page
    )
    found = re.search(
        r'<script type="application/json" id="chart-series-data">(.*?)</script>', page
    )
    assert found
    figure = json.loads(found.group(1))
    assert [trace["name"] for trace in figure["data"]] == ["Bắc Kạn (until 30 Jun 2025)"]
    assert figure["layout"]["showlegend"] is True


@pytest.mark.django_db
def test_a_projection_from_a_reported_bound_is_drawn_as_one(client: Client) -> None:
    """The sentence said "dự báo tối thiểu", the chart drew "dự báo" as if exact. Seen in
    2026, the chart drew no outlook at all: its row was 2025's, a closed target year, which
    projects nothing; it now draws the path and the projection to 2030."""
    bac_kan = province_for_code_in_year(code="06", year=2023)
    approved_value(bac_kan, "SCP-07", 2022, "60")
    approved_value(bac_kan, "SCP-07", 2023, "70", qualifier="more_than")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    row = Progress.objects.get(province=bac_kan, indicator__code="SCP-07", year=2023)
    assert row.explanation_values["projection_bound"] == "lower"
    chart = f"chart-{Indicator.objects.get(code='SCP-07').pk}"
    for language, name in [("vi", "dự báo (tối thiểu)"), ("en", "projection (at least)")]:
        client.post("/i18n/setlang/", {"language": language})
        page = client.get(f"/provinces/{bac_kan.pk}/").content.decode()
        projection = next(
            t for t in _chart_data(page, chart) if t.get("line", {}).get("dash") == "dot"
        )
        assert projection["name"] == name
        assert projection["x"] == [2023, 2030]
        assert name in projection["hovertemplate"]
