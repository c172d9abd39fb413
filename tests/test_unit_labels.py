"""A former unit reads the same on every page, chart and message: "Bắc Kạn (đến 30/6/2025)",
"Bắc Kạn (until 30 Jun 2025)" in English. A ministry reviewer found it five ways ("Bắc Kạn
cũ", "(đến 30/6/2025)", "(đơn vị cũ, đến 30/6/2025)", "· đơn vị cũ, đến …", "Bắc Kạn (cũ)")
and the old Thái Nguyên often under the new one's bare name."""

import csv
import html
import io
import json
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from programmes.models import Document
from progress.models import Progress, RecomputeRun
from progress.services import progress_recompute_now
from provinces.models import Province
from provinces.selectors import province_for_code_in_year
from reports.models import Report

from .conftest import client_for
from .progress_builders import approved_value

pytestmark = pytest.mark.django_db

LABELS = {
    "vi": ("Bắc Kạn (đến 30/6/2025)", "Thái Nguyên (đến 30/6/2025)"),
    "en": ("Bắc Kạn (until 30 Jun 2025)", "Thái Nguyên (until 30 Jun 2025)"),
}
# The wordings the one label replaced, as flags or suffixes of a unit's name.
OLD_WORDINGS = {
    "vi": ['<span class="flag">cũ</span>', "(cũ)", "đơn vị cũ, đến"],
    "en": ['<span class="flag">former</span>', "(former)", "former, until"],
}


def _in(client: Client, language: str) -> Client:
    client.cookies["django_language"] = language
    return client


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"\s+", " ", response.content.decode())


def _text(page: str) -> str:
    """What a person reads: the markup without its scripts (charts are read from their
    data) and without the documents' own titles and issuers, which name the province the
    way the document does ("UBND tỉnh Bắc Kạn")."""
    text = re.sub(r"<script.*?</script>", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    for document in Document.objects.filter(province__code="06"):
        for words in (document.title_vi, document.title_en, document.issuer):
            text = text.replace(words, " ")
    return re.sub(r"\s+", " ", text)


def _chart_words(page: str) -> list[str]:
    """Every trace name, category and hover of the page's charts."""
    words: list[str] = []
    for data in re.findall(r'<script type="application/json" id="[^"]*-data">(.*?)</script>', page):
        for trace in json.loads(data)["data"]:
            words.append(str(trace.get("name", "")))
            for key in ("y", "customdata", "text"):
                values = trace.get(key) or []
                words += [value for value in values if isinstance(value, str)]
    return words


def _bare_bac_kan(words: str, language: str) -> list[str]:
    """Each "Bắc Kạn" not followed by its end: the name some page still shows otherwise."""
    suffix = re.escape(LABELS[language][0].removeprefix("Bắc Kạn"))
    return [m.group(0) for m in re.finditer(rf".{{0,30}}Bắc Kạn(?!{suffix}).{{0,30}}", words)]


def _assert_one_label(page: str, language: str) -> None:
    bac_kan = LABELS[language][0]
    text = _text(page)
    assert bac_kan in text
    assert _bare_bac_kan(text, language) == []
    for words in _chart_words(page):
        assert _bare_bac_kan(words, language) == [], words
    for old in OLD_WORDINGS[language]:
        assert old not in page, old


def _units() -> tuple[Province, Province, Province]:
    return (
        province_for_code_in_year(code="06", year=2024),
        province_for_code_in_year(code="19", year=2024),
        province_for_code_in_year(code="19", year=2025),
    )


def test_the_label_is_the_name_and_last_day_of_a_former_unit_and_the_name_of_one_in_force() -> None:
    bac_kan, old, new = _units()
    with translation.override("vi"):
        assert (bac_kan.label, old.label, new.label) == (*LABELS["vi"], "Thái Nguyên")
        # The admin's choices: the same label, and the code the two Thái Nguyên share.
        assert (str(old), str(new)) == ("Thái Nguyên (đến 30/6/2025) · 19", "Thái Nguyên · 19")
    with translation.override("en"):
        assert (bac_kan.label, old.label, new.label) == (*LABELS["en"], "Thái Nguyên")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_province_lists_name_former_units_by_their_label(client: Client, language: str) -> None:
    bac_kan, old, new = _units()
    bac_kan_label, old_label = LABELS[language]
    page = _page(_in(client, language), "/provinces/?view=former")
    _assert_one_label(page, language)
    assert f'href="/provinces/{bac_kan.pk}/">{bac_kan_label}</a>' in page
    assert f'href="/provinces/{old.pk}/">{old_label}</a>' in page
    # Whom they merged into, in force: its plain name.
    assert f'href="/provinces/{new.pk}/">Thái Nguyên</a>' in page

    page = _page(client, "/provinces/")
    _assert_one_label(page, language)
    row = re.search(rf'href="/provinces/{new.pk}/">Thái Nguyên</a>.*?</tr>', page)
    assert row and f"{bac_kan_label} + {old_label}" in re.sub(r"<[^>]+>", "", row.group(0))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_merged_units_page_names_its_former_units_plans_rows_and_traces_by_their_label(
    client: Client, language: str
) -> None:
    new = _units()[2]
    bac_kan_label, old_label = LABELS[language]
    page = _page(_in(client, language), f"/provinces/{new.pk}/")
    _assert_one_label(page, language)
    assert "<h1>Thái Nguyên</h1>" in page
    formed = re.search(r"<dd>(<a [^>]*>[^<]*</a>, )*<a [^>]*>[^<]*</a></dd>", page)
    assert formed and re.sub(r"<[^>]+>", "", formed.group(0)) == f"{old_label}, {bac_kan_label}"
    # The plans table, each plan's heading and the figures' rows.
    assert f"<td>2021–2030</td><td>{bac_kan_label}</td>" in page
    assert f"2021–2030 · {bac_kan_label}</h3>" in page
    assert f'<td class="year">2022</td> <td>{bac_kan_label}</td>' in page
    assert f"{bac_kan_label} · 2022" in " ".join(_chart_words(page))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_former_units_own_page_is_titled_by_its_label(client: Client, language: str) -> None:
    bac_kan, old, _new = _units()
    bac_kan_label, old_label = LABELS[language]
    page = _page(_in(client, language), f"/provinces/{bac_kan.pk}/")
    _assert_one_label(page, language)
    assert f"<h1>{bac_kan_label}</h1>" in page
    assert f"<title>{bac_kan_label} · " in page
    assert f"<td>2021–2030</td><td>{bac_kan_label}</td>" in page
    assert bac_kan_label in _chart_words(page)
    # The old Thái Nguyên shares the new one's name: its page says which it is.
    assert f"<h1>{old_label}</h1>" in _page(client, f"/provinces/{old.pk}/")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_indicator_page_names_a_former_unit_by_its_label_in_table_and_charts(
    client: Client, language: str
) -> None:
    bac_kan_label = LABELS[language][0]
    page = _page(_in(client, language), "/indicators/BK-NLTT-CS/")
    _assert_one_label(page, language)
    assert f'#indicator-BK-NLTT-CS">{bac_kan_label}</a></td>' in page
    bars = re.search(r'id="chart-latest-data">(.*?)</script>', page)
    assert bars and json.loads(bars.group(1))["data"][0]["y"] == [bac_kan_label]
    series = re.search(r'id="chart-series-data">(.*?)</script>', page)
    assert series and [trace["name"] for trace in json.loads(series.group(1))["data"]] == [
        bac_kan_label
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_plan_and_the_programme_name_bac_kan_by_its_label(
    client: Client, language: str
) -> None:
    bac_kan_label = LABELS[language][0]
    plan = Document.objects.get(number="405/KH-UBND")
    page = _page(_in(client, language), f"/documents/{plan.pk}/")
    _assert_one_label(page, language)
    assert f'<a href="/provinces/{plan.province_id}/">{bac_kan_label}</a></dd>' in page
    assert f'#indicator-BK-NLTT-CS">{bac_kan_label}</a></div>' in page
    programme = _page(client, f"/documents/{plan.implements_id}/")
    _assert_one_label(programme, language)
    assert f"{plan.title_en if language == 'en' else plan.title_vi} · {bac_kan_label}</li>" in (
        programme
    )


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_reports_name_a_former_unit_by_its_label(people, language: str) -> None:  # type: ignore[no-untyped-def]
    bac_kan, old, _new = _units()
    bac_kan_label, old_label = LABELS[language]
    report = Report.objects.get(province=bac_kan, year=2022)
    reviewer = _in(client_for(people["reviewer"]), language)
    page = _page(reviewer, reverse("report-list"))
    _assert_one_label(page, language)
    assert f'<a href="/reports/{report.pk}/">{bac_kan_label}</a>' in page
    page = _page(reviewer, reverse("report-detail", args=[report.pk]))
    _assert_one_label(page, language)
    assert f"<title>{bac_kan_label} 2022 · " in page
    assert f">{bac_kan_label}</a> — 2022</h1>" in page
    # The officer of the new Thái Nguyên opens a report for either former unit.
    officer = _in(client_for(people["officer_thainguyen"]), language)
    page = _page(officer, reverse("report-list"))
    _assert_one_label(page, language)
    for unit, label in [(bac_kan, bac_kan_label), (old, old_label)]:
        assert re.search(rf'<option value="{unit.pk}"[^>]*>{re.escape(label)}</option>', page)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_reporting_status_names_each_former_unit_of_a_cell_by_its_label(
    people, clock, language: str
) -> None:  # type: ignore[no-untyped-def]
    clock(date(2026, 3, 1))
    new = _units()[2]
    bac_kan_label, old_label = LABELS[language]
    page = _page(
        _in(client_for(people["reviewer"]), language),
        reverse("reporting-status") + "?from=2022&to=2022",
    )
    _assert_one_label(page, language)
    row = re.search(rf'href="/provinces/{new.pk}/">Thái Nguyên</a>.*?</tr>', page)
    assert row
    cell = re.sub(r"<[^>]+>", " ", re.findall(r'<td class="cell[^"]*">(.*?)</td>', row.group(0))[0])
    approved, missing = (
        ("approved", "no report") if language == "en" else ("đã duyệt", "chưa có báo cáo")
    )
    assert f"{bac_kan_label}: {approved}" in cell and f"{old_label}: {missing}" in cell


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_overview_adds_where_a_former_units_area_is_now_after_its_label(
    clock, language: str
) -> None:  # type: ignore[no-untyped-def]
    clock(date(2026, 3, 1))
    bac_kan_label = LABELS[language][0]
    page = _page(_in(Client(), language), "/")
    _assert_one_label(page, language)
    section = re.search(r'<h2 id="reporting">.*?</section>', page)
    assert section
    items = [
        re.sub(r"<[^>]+>", "", item).strip()
        for item in re.findall(r"<li>(.*?)</li>", section.group(0))
    ]
    area = "area now in Thái Nguyên" if language == "en" else "địa bàn nay thuộc Thái Nguyên"
    assert f"{bac_kan_label} · {area}" in items


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_import_page_and_its_preview_name_former_units_by_their_label(
    people, language: str
) -> None:  # type: ignore[no-untyped-def]
    bac_kan, old, _new = _units()
    bac_kan_label, old_label = LABELS[language]
    officer = _in(client_for(people["officer_thainguyen"]), language)
    page = _page(officer, reverse("report-import"))
    code = "code" if language == "en" else "mã"
    for unit, label in [
        (bac_kan, f"{bac_kan_label} · {code} 06"),
        (old, f"{old_label} · {code} 19"),
    ]:
        assert re.search(rf'<option value="{unit.pk}"[^>]*>{re.escape(label)}</option>', page)
    for old_wording in OLD_WORDINGS[language]:
        assert old_wording not in page

    content = "\n".join(
        [
            "unit_code,indicator_code,year,value",
            "06,BK-OCOP-3S,2024,190",
            "19,SCP-05,2024,3",
            "19,SCP-05,2025,4",
        ]
    ).encode()
    upload = io.BytesIO(content)
    upload.name = "labels.csv"
    response = officer.post(reverse("report-import"), {"file": upload})
    page = _page(officer, response["Location"])
    _assert_one_label(page, language)
    units = re.findall(r'<td class="num">\d+</td> <td>(.*?)</td> <td>(\d+)</td>', page)
    assert units == [(bac_kan_label, "2024"), (old_label, "2024"), ("Thái Nguyên", "2025")]


def _explanations(page: str, row_start: str) -> list[str]:
    """The "how was this computed" text of each table row of ``page`` opening with
    ``row_start``, disclosure included."""
    cells = re.findall(rf'<tr> {row_start}.*?<td class="how">(.*?)</td>', page)
    return [html.unescape(re.sub(r"<[^>]+>", " ", cell)) for cell in cells]


def _bare(words: str, name: str, label: str) -> list[str]:
    """Each ``name`` in ``words`` not written as ``label``."""
    suffix = re.escape(label.removeprefix(name))
    return [m.group(0) for m in re.finditer(rf".{{0,30}}{name}(?!{suffix}).{{0,30}}", words)]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_roll_up_names_the_former_units_it_lacks_by_their_label(
    client: Client, language: str
) -> None:
    """The new Thái Nguyên's 2022 models, Bắc Kạn's alone, said "missing: Thái Nguyên", as
    if the unit whose page it is had not reported, when the old Thái Nguyên had not. The
    sentence, the national sum's that lacks it too, and the API's and the exports' list of
    missing units name it by its label."""
    bac_kan, _old, new = _units()
    _bac_kan_label, old_label = LABELS[language]
    approved_value(bac_kan, "SCP-05", 2022, "2")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    missing = "missing" if language == "en" else "còn thiếu"
    client = _in(client, language)

    # The unit's page, its row of the former units combined.
    page = _page(client, f"/provinces/{new.pk}/")
    section = re.search(r'id="indicator-SCP-05">.*?</section>', page)
    assert section
    (combined,) = _explanations(section.group(0), r'<td class="year">2022</td> <td>Thái Nguyên <')
    assert f"{missing}: {old_label}." in combined
    # The sentence names the new unit too, by the day it began, saying it has no target.
    the_old_one = re.sub(r"Thái Nguyên \((from|từ) [^)]*\)", "", combined)
    assert _bare(the_old_one, "Thái Nguyên", old_label) == []

    # The indicator page's national line of 2022, which lacks 62 of the 63 units: the
    # disclosure lists them all.
    page = _page(client, "/indicators/SCP-05/")
    (national,) = _explanations(page, r'<td class="year">2022</td>')
    assert old_label in national
    assert _bare(national, "Thái Nguyên", old_label) == []

    # The stored row carries the old unit's end, not a sentence in one language.
    row = Progress.objects.get(
        province=new, indicator__code="SCP-05", year=2022, origin="predecessors"
    )
    assert row.explanation_values["derivation"]["until"] == {"Thái Nguyên": "2025-06-30"}

    query = {"unit": new.pk, "indicator": "SCP-05", "year": 2022, "origin": "predecessors"}
    (api_row,) = client.get("/api/v1/progress/", query).json()["results"]
    assert (api_row["missing"], api_row["missing_codes"]) == ([old_label], ["19"])
    response = client.get(reverse("export", args=["progress", "csv"]), query)
    (export_row,) = csv.DictReader(
        io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
    )
    assert (export_row["missing_units"], export_row["missing_codes"]) == (old_label, "19")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_former_units_shown_side_by_side_are_named_by_their_label(
    client: Client, language: str
) -> None:
    """Shares without their parts are not combined: the sentence names each former unit,
    as the rows beside it do."""
    bac_kan, old, new = _units()
    bac_kan_label, old_label = LABELS[language]
    approved_value(bac_kan, "SCP-04", 2023, "50")
    approved_value(old, "SCP-04", 2023, "60")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    page = _page(_in(client, language), f"/provinces/{new.pk}/")
    section = re.search(r'id="indicator-SCP-04">.*?</section>', page)
    assert section
    (shown,) = _explanations(section.group(0), r'<td class="year">2023</td> <td>Thái Nguyên <')
    assert f"({bac_kan_label}, {old_label})" in shown


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_merger_notices_of_the_reports_name_the_former_units_by_their_label(
    people, language: str
) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's report says its figures include the former units' areas, and
    Bắc Kạn's area report whose it is now: each former unit by its label."""
    bac_kan, _old, new = _units()
    bac_kan_label, old_label = LABELS[language]
    officer = _in(client_for(people["officer_thainguyen"]), language)
    for unit in (new, bac_kan):
        report = Report.objects.create(province=unit, year=2025)
        for name in ("report-detail", "report-edit"):
            page = _page(officer, reverse(name, args=[report.pk]))
            _assert_one_label(page, language)
            notice = _text(re.search(r'<p class="notice scope">.*?</p>', page).group(0))  # type: ignore[union-attr]
            assert bac_kan_label in notice and "405/KH-UBND" in notice
            assert (old_label in notice) == (unit == new)
