"""A target belongs to its document's period: the entry form and the engine pick the same one.

Hà Nội's 263/KH-UBND covers 2024 alone, so its 2024 target says nothing of a 2025 figure;
Bắc Kạn's 405/KH-UBND runs to 2030, so its 2025 targets still judge the years after 2025.
"""

import io
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from django.urls import reverse

from indicators.models import Indicator, Target
from progress import engine
from progress.compute import compute_rows
from progress.inputs import IndicatorSpec, ProgressInputs, TargetSpec, Unit, ValueSpec
from progress.models import Progress, RecomputeRun
from progress.selectors import progress_inputs, progress_overview
from progress.services import engine_settings, progress_recompute_now
from provinces.selectors import province_for_code_in_year
from reports.models import Report, ReportedValue
from reports.selectors import report_form_rows

from .conftest import client_for
from .progress_builders import approved_value

D = Decimal


def _figure(code: str, year: int, province=None) -> Progress:  # type: ignore[no-untyped-def]
    return Progress.objects.get(
        indicator__code=code, year=year, province=province, origin=Progress.Origin.REPORTED
    )


def _form_target(province, year: int, code: str) -> Target | None:  # type: ignore[no-untyped-def]
    report, _created = Report.objects.get_or_create(province=province, year=year)
    rows = report_form_rows(report=report)
    return next(row.target for row in rows if row.indicator.code == code)


# ------------------------------------------------------------ the reference data


@pytest.mark.django_db
def test_hanoi_2025_industrial_parks_are_not_judged_by_the_2024_plan() -> None:
    """The user's case: 45,5 % in 2025 showed "không đạt" against 263/KH-UBND's 85 % for
    2024, while the form said there was no target."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    approved_value(hanoi, "SCP-04-KCN", 2025, "45.5")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    assert _form_target(hanoi, 2025, "SCP-04-KCN") is None
    figure = _figure("SCP-04-KCN", 2025, hanoi)
    assert figure.value == D("45.5")
    assert figure.target is None
    assert (figure.status, figure.achieved, figure.ratio) == ("no_target", None, None)
    assert figure.explanation_code == "plan_ended"
    assert figure.explanation_values["target_year"] == 2024
    assert figure.explanation_values["period_end"] == 2024
    # The plan's own year still carries its target: 263/KH-UBND's outcome stays on 2024.
    ended = _figure("SCP-04-KCN", 2024, hanoi)
    assert ended.target is not None and ended.target.document.number == "263/KH-UBND"
    assert ended.target.low == D("85")


@pytest.mark.django_db
def test_hanoi_2025_heat_map_cell_is_not_a_miss_of_the_2024_plan() -> None:
    hanoi = province_for_code_in_year(code="01", year=2025)
    approved_value(hanoi, "SCP-04-KCN", 2025, "45.5")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    overview = progress_overview(today=date(2026, 6, 1))
    column = next(i for i, c in enumerate(overview.columns) if c.code == "SCP-04")
    cells = next(cells for unit, cells in overview.heatmap if unit.pk == hanoi.pk)
    cell = cells[column]
    assert cell is not None and cell.status != "not_achieved"


@pytest.mark.django_db
def test_a_year_between_two_plans_has_no_target_but_the_next_plan_year_has_its_own() -> None:
    """266/KH-UBND covers 2022, 263/KH-UBND 2024: 2023 is under neither, so 2023 is not
    measured against 2024's target; 2024 is."""
    hanoi = province_for_code_in_year(code="01", year=2024)
    approved_value(hanoi, "SCP-07", 2023, "90")
    approved_value(hanoi, "SCP-07", 2024, "95")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    between = _figure("SCP-07", 2023, hanoi)
    assert (between.target, between.status, between.achieved) == (None, "no_target", None)
    assert _form_target(hanoi, 2023, "SCP-07") is None
    in_plan = _figure("SCP-07", 2024, hanoi)
    assert in_plan.target is not None and in_plan.target.document.number == "263/KH-UBND"
    assert (in_plan.status, in_plan.achieved) == ("not_achieved", False)
    assert _form_target(hanoi, 2024, "SCP-07") == in_plan.target


@pytest.mark.django_db
def test_a_2026_row_of_a_plan_running_to_2030_keeps_the_2025_outcome() -> None:
    """405/KH-UBND runs to 2030 and sets OCOP for 2025 only: 2026 is still under it, and
    the after-target-year rules stand."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    approved_value(bac_kan, "BK-OCOP-3S", 2025, "205")
    approved_value(bac_kan, "BK-OCOP-3S", 2026, "210")
    rows = compute_rows(progress_inputs(today=date(2027, 6, 1)), engine_settings())
    ocop = Target.objects.get(indicator__code="BK-OCOP-3S", year=2025)
    row = next(
        r
        for r in rows
        if (r.province_id, r.indicator_id, r.year, r.origin)
        == (bac_kan.pk, ocop.indicator_id, 2026, "reported")
    )
    assert row.target_id == ocop.pk
    assert (row.status, row.explanation_code, row.achieved) == (
        "achieved",
        "target_year_achieved",
        True,
    )
    assert _form_target(bac_kan, 2026, "BK-OCOP-3S") == ocop


@pytest.mark.django_db
def test_the_form_and_the_engine_pick_the_same_target_for_every_year() -> None:
    """Hà Nội and Bắc Kạn, every year of the programme: the form's target is the row's."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    bac_kan = province_for_code_in_year(code="06", year=2024)
    codes = {"SCP-04-KCN", "SCP-07", "SCP-03", "BK-NLTT-CS", "BK-OCOP-3S"}
    for year in range(2021, 2031):
        for unit in (hanoi, bac_kan):
            for code in codes:
                targeted = Target.objects.filter(province=unit, indicator__code=code).exists()
                given = ReportedValue.objects.filter(
                    report__province=unit, report__year=year, indicator__code=code
                ).exists()
                if targeted and not given:
                    approved_value(unit, code, year, "10")
    rows = compute_rows(progress_inputs(today=date(2031, 6, 1)), engine_settings())
    by_key = {(r.province_id, r.indicator_id, r.year): r for r in rows if r.origin == "reported"}
    checked = 0
    for (province_id, indicator_id, year), row in by_key.items():
        if province_id not in {hanoi.pk, bac_kan.pk}:
            continue
        report = Report.objects.get(province_id=province_id, year=year)
        form = {r.indicator.pk: r.target for r in report_form_rows(report=report)}
        if indicator_id in form:
            found = form[indicator_id]
            assert (found.pk if found else None) == row.target_id, (province_id, year)
            checked += 1
    assert checked > 40


@pytest.mark.django_db
def test_reference_figures_on_their_plans_years_are_unchanged() -> None:
    bac_kan = province_for_code_in_year(code="06", year=2024)
    hanoi = province_for_code_in_year(code="01", year=2022)
    capacity = _figure("BK-NLTT-CS", 2022, bac_kan)
    assert (capacity.target.text_vi, capacity.ratio) == ("khoảng 35 MW", D("0.617"))
    ocop = _figure("BK-OCOP-3S", 2022, bac_kan)
    assert (ocop.value, ocop.target.low, ocop.ratio) == (D("181"), D("200"), D("0.905"))
    generation = _figure("BK-NLTT-SL", 2022, bac_kan)
    assert (generation.ratio, generation.bound) == (D("0.435"), "lower")
    supermarkets = _figure("SCP-07", 2022, hanoi)
    assert (supermarkets.ratio, supermarkets.achieved) == (D("0.8"), False)
    assert supermarkets.target.document.number == "266/KH-UBND"
    plans = _figure("SCP-09", 2022)
    assert plans.value.quantize(D("0.1")) == D("38.1")
    assert (plans.ratio, plans.target.low, plans.target.year) == (D("0.423"), D("90"), 2030)


@pytest.mark.django_db
def test_a_national_figure_after_the_1419_strategy_has_no_target() -> None:
    """1419/QĐ-TTg ran 2009–2020 with a 2015 target: 2017 is still judged by it (after its
    target year, within its period); 2021 is under no strategy that sets SXSH-01."""
    approved_value(None, "SXSH-01", 2017, "60")
    approved_value(None, "SXSH-01", 2021, "40")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    within = _figure("SXSH-01", 2017)
    assert within.target is not None and within.target.year == 2015
    assert (within.status, within.achieved) == ("achieved", True)
    after = _figure("SXSH-01", 2021)
    assert (after.target, after.status, after.explanation_code) == (None, "no_target", "plan_ended")


# ------------------------------------------------------------- plain inputs

INDICATOR = IndicatorSpec(
    1, "X", engine.Measure.PERCENT, engine.Direction.INCREASE, engine.Accumulation.LEVEL, "", None
)
UNIT = Unit(10, "99", None, None, None, "Tỉnh thử")


def _spec(pk: int, year: int, low: str, start: int, end: int, issued: date) -> TargetSpec:
    target = engine.Target(year, engine.Comparator.AT_LEAST, D(low), None, False)
    return TargetSpec(pk, UNIT.pk, INDICATOR.pk, issued, start, "plan", target, period_end=end)


def _rows(targets: list[TargetSpec], values: dict[int, str], last_year: int) -> dict[int, object]:
    inputs = ProgressInputs(
        units=[UNIT],
        indicators=[INDICATOR],
        targets=targets,
        values=[
            ValueSpec(UNIT.pk, INDICATOR.pk, engine.Observation(year, D(value)), "s")
            for year, value in values.items()
        ],
        plans=[],
        last_year=last_year,
        emit=frozenset({INDICATOR.pk}),
    )
    return {row.year: row for row in compute_rows(inputs, engine.DEFAULT_SETTINGS)}


def test_a_row_after_its_plans_period_has_no_target() -> None:
    plan = _spec(1, 2024, "85", 2024, 2024, date(2023, 11, 6))
    rows = _rows([plan], {2024: "90", 2025: "45.5"}, 2025)
    assert (rows[2024].target_id, rows[2024].status) == (1, "achieved")
    late = rows[2025]
    assert (late.target_id, late.status, late.achieved, late.ratio) == (
        None,
        "no_target",
        None,
        None,
    )
    assert late.explanation_code == "plan_ended"
    assert late.explanation_values == {"as_of_year": 2025, "target_year": 2024, "period_end": 2024}


def test_a_later_plan_covering_the_year_takes_over() -> None:
    ended = _spec(1, 2022, "85", 2022, 2022, date(2021, 11, 25))
    following = _spec(2, 2026, "95", 2023, 2026, date(2022, 12, 1))
    rows = _rows([ended, following], {2022: "80", 2023: "86"}, 2025)
    assert rows[2022].target_id == 1
    assert rows[2023].target_id == 2 and rows[2023].status != "no_target"


def test_a_year_after_the_target_year_within_the_period_keeps_the_after_target_year_rules() -> None:
    plan = _spec(1, 2025, "200", 2021, 2030, date(2021, 7, 6))
    rows = _rows([plan], {2022: "181", 2025: "205", 2026: "198"}, 2026)
    assert (rows[2025].target_id, rows[2025].status) == (1, "achieved")
    # The latest value up to the row's year decides, as it always did after the target year.
    assert (rows[2026].target_id, rows[2026].status, rows[2026].explanation_code) == (
        1,
        "not_achieved",
        "target_year_not_achieved",
    )


# ------------------------------------------------------------------ the export


@pytest.mark.django_db
def test_the_values_export_judges_hanoi_2025_against_no_expired_plan(people) -> None:  # type: ignore[no-untyped-def]
    """Approved, the row has no target and no verdict of "not achieved"; submitted (no
    stored progress row yet), it names no target either, as the form does."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    approved_value(hanoi, "SCP-04-KCN", 2025, "45.5")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    submitted = Report.objects.create(province=hanoi, year=2026, status=Report.Status.SUBMITTED)
    ReportedValue.objects.create(
        report=submitted, indicator=Indicator.objects.get(code="SCP-04-KCN"), value=50
    )
    response = client_for(people["reviewer"]).get(
        reverse("export", args=["values", "csv"]), {"indicator": "SCP-04-KCN"}
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content
    frame = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig")
    rows = frame[frame.unit_code.astype(str).str.zfill(2) == "01"].set_index("year")
    assert pd.isna(rows.loc[2025, "target_document"])
    assert rows.loc[2025, "status"] == "no_target"
    assert pd.isna(rows.loc[2025, "achievement"])
    assert pd.isna(rows.loc[2026, "target_document"])
