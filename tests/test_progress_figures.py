"""The stored progress figures for the reference data and for the merger."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator
from programmes.models import Document
from progress import engine
from progress.compute import compute_rows
from progress.explanations import explanation_sentence
from progress.inputs import IndicatorSpec, ProgressInputs, TargetSpec, Unit, ValueSpec
from progress.models import Progress, RecomputeRun
from progress.selectors import progress_inputs
from progress.services import (
    engine_settings,
    progress_recompute_now,
    progress_schedule_for_report,
)
from provinces.selectors import province_for_code_in_year, provinces_of_year
from reports.models import Report, ReportedValue
from sxtd.celery import app as celery_app

from .conftest import client_for
from .progress_builders import approved_value, missing_names

pytestmark = pytest.mark.django_db


def _figure(code: str, year: int, province=None, origin: str = "reported") -> Progress:  # type: ignore[no-untyped-def]
    return Progress.objects.get(indicator__code=code, year=year, province=province, origin=origin)


def _bac_kan():  # type: ignore[no-untyped-def]
    return province_for_code_in_year(code="06", year=2024)


def test_bac_kan_capacity_21_6_mw_against_about_35_mw() -> None:
    figure = _figure("BK-NLTT-CS", 2022, _bac_kan())
    assert figure.value == Decimal("21.6")
    assert figure.ratio == Decimal("0.617")
    assert figure.achieved is False
    assert figure.target.text_vi == "khoảng 35 MW"
    # One value and no baseline cannot show a pace.
    assert (figure.status, figure.explanation_code) == ("no_data", "insufficient_points")
    assert "seed 004_6edeba63036783fe.txt" in figure.sources
    # The 61,7 % says how it was reached, "khoảng" and its threshold included.
    reached = figure.explanation_values["achievement"]
    assert (reached["code"], reached["threshold"], reached["tolerance"]) == (
        "at_least_ratio",
        "33.250000",
        "0.05",
    )
    with translation.override("vi"):
        sentence = explanation_sentence(
            figure.explanation_code, figure.explanation_values, unit="MW"
        )
    assert "21,6 MW năm 2022" in sentence and "61,7 %" in sentence and "33,25 MW" in sentence


def test_bac_kan_2025_target_with_no_2025_report_is_not_judged() -> None:
    """21,6 MW in 2022 falls short of 35, but nothing for 2025 says the target was missed."""
    figure = _figure("BK-NLTT-CS", 2025, _bac_kan())
    assert (figure.status, figure.explanation_code) == ("no_data", "target_year_no_report")


def test_the_2030_outlook_is_seen_from_the_last_closed_year() -> None:
    figure = _figure("BK-NLTT-CS", 2030, _bac_kan())
    assert figure.target.low == Decimal("57")
    assert figure.as_of_year < 2030
    assert figure.status != "not_achieved"


def test_a_value_for_a_year_not_yet_closed_is_assessed_as_itself() -> None:
    """A report approved before its year ends (the reports list can open the current year's)
    shows its own figure's achievement, not the last closed year's beside its value."""
    approved_value(None, "SCP-07", 2025, "50")
    approved_value(None, "SCP-07", 2026, "90")
    rows = compute_rows(progress_inputs(today=date(2026, 6, 1)), engine_settings())
    row = next(r for r in rows if (r.indicator_id, r.year, r.province_id) == (_scp07(), 2026, None))
    assert (row.value, row.ratio, row.as_of_year) == (Decimal("90"), Decimal("0.9"), 2026)


def test_a_target_years_figure_approved_before_the_year_is_out_does_not_settle_it() -> None:
    """Bắc Kạn's 65 % for 2025, submitted on 20/11/2025 and approved ten days later, is
    what was reached by then: December may still bring the 70 % of 405/KH-UBND, so the
    2025 target is not yet missed. The same figure read once 2025 has closed settles it."""
    value = approved_value(_bac_kan(), "SCP-04", 2025, "65")
    Report.objects.filter(pk=value.report_id).update(
        submitted_at=datetime(2025, 11, 20, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    )

    def status_on(today: date) -> tuple[str, str, str | None]:
        rows = compute_rows(
            progress_inputs(indicator_ids=[value.indicator_id], today=today), engine_settings()
        )
        row = next(r for r in rows if (r.province_id, r.year) == (_bac_kan().pk, 2025))
        return row.status, row.explanation_code, row.explanation_values.get("value_as_of")

    assert status_on(date(2025, 11, 30)) == ("at_risk", "target_year_interim", "2025-11-20")
    assert status_on(date(2026, 2, 1)) == ("not_achieved", "target_year_not_achieved", None)


def test_a_value_given_without_a_source_leaves_no_blank_among_the_sources() -> None:
    value = approved_value(None, "SCP-07", 2024, "50")
    value.source = ""
    value.save()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    figure = _figure("SCP-07", 2024)
    assert figure.sources and "" not in figure.sources


def test_one_early_report_of_the_open_year_is_not_the_nations_figure() -> None:
    """SCP-06 stands on 2023 and 2025; one province's 2026 report, approved before 2026 is
    out (today is in 2026), must not become the national 2026 share of 1 in 34 and turn
    the 2030 outlook."""
    for unit in list(provinces_of_year(year=2023))[:30]:
        approved_value(unit, "SCP-06", 2023, "50")
    for unit in list(provinces_of_year(year=2025))[:28]:
        approved_value(unit, "SCP-06", 2025, "50")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    national = Progress.objects.filter(indicator__code="SCP-06", province=None)
    before = list(national.values_list("origin", "year", "as_of_year", "status", "pace_ratio"))
    approved_value(provinces_of_year(year=2026).first(), "SCP-06", 2026, "60")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    after = list(national.values_list("origin", "year", "as_of_year", "status", "pace_ratio"))
    assert after == before
    assert not national.filter(year=2026).exists()


def _scp07() -> int:
    return Indicator.objects.get(code="SCP-07").pk


def test_ocop_181_of_200() -> None:
    figure = _figure("BK-OCOP-3S", 2022, _bac_kan())
    assert figure.ratio == Decimal("0.905")


def test_generation_more_than_50_of_115_is_a_lower_bound() -> None:
    figure = _figure("BK-NLTT-SL", 2022, _bac_kan())
    assert (figure.ratio, figure.bound, figure.achieved) == (Decimal("0.435"), "lower", None)
    assert figure.qualifier == "more_than"


def test_hanoi_supermarkets_80_percent_against_100_in_2022() -> None:
    """80 % of supermarkets as of 15/7/2022, against 100 % in 2022 (266/KH-UBND): 80 % of
    the target, but half a year before the 2022 outcome, so at risk, not missed."""
    hanoi = province_for_code_in_year(code="01", year=2022)
    figure = _figure("SCP-07", 2022, hanoi)
    assert (figure.value, figure.ratio, figure.achieved) == (Decimal("80"), Decimal("0.8"), False)
    assert (figure.status, figure.explanation_code) == ("at_risk", "target_year_interim")
    with translation.override("vi"):
        sentence = explanation_sentence(
            figure.explanation_code, figure.explanation_values, unit="%"
        )
    assert sentence.startswith(
        "80 % năm 2022 (tính đến 15/7/2022) là số liệu lúc chưa hết năm, chưa phải kết quả cả năm"
    )
    assert "đạt 80 % mục tiêu" in sentence


def test_a_mid_year_figure_is_judged_as_its_year_once_a_later_report_gives_the_year() -> None:
    """The same 80 % reported for 2022 with no day, or a day after the year (as Bắc Kạn's
    2022 figures, as of 20/2/2023), is the 2022 outcome: missed."""
    hanoi = province_for_code_in_year(code="01", year=2022)
    value = ReportedValue.objects.get(report__province=hanoi, indicator__code="SCP-07")
    for as_of in (None, date(2023, 2, 20)):
        value.as_of = as_of
        value.save()
        progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
        figure = _figure("SCP-07", 2022, hanoi)
        assert (figure.status, figure.explanation_code) == (
            "not_achieved",
            "target_year_not_achieved",
        )
        assert "value_as_of" not in figure.explanation_values


def test_scp09_reported_24_of_63_against_90_by_2030_beside_the_plan_register() -> None:
    reported = _figure("SCP-09", 2022)
    assert (reported.numerator, reported.denominator) == (24, 63)
    assert reported.value.quantize(Decimal("0.1")) == Decimal("38.1")
    assert reported.ratio == Decimal("0.423")
    register = _figure("SCP-09", 2022, origin="plan_register")
    # Hà Nội (4052/QĐ-UBND, 2020) and Bắc Kạn (405/KH-UBND, 2021) of 63.
    assert (register.numerator, register.denominator) == (2, 63)
    # The register names the plans it counted, and cites them.
    counted = register.explanation_values["derivation"]
    assert (counted["code"], counted["plans"]) == (
        "plan_register",
        "4052/QĐ-UBND, 405/KH-UBND, 266/KH-UBND",
    )
    assert any("405" in source or "backan" in source for source in register.sources)
    register_2025 = _figure("SCP-09", 2025, origin="plan_register")
    # From 2025 the denominator is 34, and Bắc Kạn's plan counts for the new Thái Nguyên.
    assert (register_2025.numerator, register_2025.denominator) == (2, 34)


def test_scp09_register_short_of_the_ministrys_24_cannot_show_the_2030_target_off_track() -> None:
    """The register holds Hà Nội's and Bắc Kạn's plans; the ministry reported 24 provinces
    with a plan in 2022. A plan is not withdrawn, so from 2022 the register is missing plans:
    its 3,2 % (5,9 % of 34 in 2025) is a floor, which cannot prove the target off track."""
    for year in (2022, 2024, 2025, 2030):
        register = _figure("SCP-09", year, origin="plan_register")
        assert (register.status, register.explanation_code) == ("no_data", "register_incomplete")
        assert (register.pace_ratio, register.projection) == (None, None)
    register = _figure("SCP-09", 2025, origin="plan_register")
    assert register.bound == "lower"
    values = register.explanation_values
    assert (values["count"], values["reported_count"], values["reported_year"]) == (2, 24, 2022)
    # Nothing reported by 2021 shows the register short then.
    first = _figure("SCP-09", 2021, origin="plan_register")
    assert first.explanation_code == "insufficient_points"
    with translation.override("vi"):
        sentence = explanation_sentence(register.explanation_code, values, unit="%")
    assert "2 đơn vị" in sentence and "24" in sentence and "5,9 %" in sentence
    assert not Progress.objects.filter(
        indicator__code="SCP-09", province=None, status="off_track"
    ).exists()


def test_a_register_as_complete_as_the_ministrys_count_is_still_judged() -> None:
    """Hà Nội's and Bắc Kạn's plans against a reported 2 of 63: nothing is missing."""
    indicator = Indicator.objects.get(code="SCP-09")
    report_value = indicator.reported_values.get(report__year=2022, report__province=None)
    report_value.value, report_value.numerator = Decimal("3.2"), Decimal("2")
    report_value.save(update_fields=["value", "numerator"])
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    register = _figure("SCP-09", 2025, origin="plan_register")
    assert (register.status, register.explanation_code) == ("off_track", "pace_ratio")


def test_a_count_reported_as_41_of_63_stays_a_count() -> None:
    assert _figure("SXSH-03", 2017).value == Decimal("41")


def test_bac_kans_own_indicators_are_not_combined_with_a_unit_that_never_had_them() -> None:
    """The old Thái Nguyên never had 405/KH-UBND's indicators: the new Thái Nguyên's
    "former units combined" 21,6 MW was Bắc Kạn's alone, flagged partial for the old Thái
    Nguyên's "missing" figure, and charted as a second 21,6 MW bar. Bắc Kạn's own rows,
    which the new unit's page shows as a former unit's, are the only ones."""
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    for code in ["BK-NLTT-CS", "BK-NLTT-SL", "BK-OCOP-3S", "BK-OCOP-5S"]:
        assert not Progress.objects.filter(province=thai_nguyen, indicator__code=code)
        assert _figure(code, 2022, _bac_kan()).value is not None
    assert _figure("BK-NLTT-CS", 2022, _bac_kan()).value == Decimal("21.6")


def test_a_former_unit_expected_to_report_the_indicator_is_missing_from_a_year_without_it() -> None:
    """A national programme's indicator is every unit's: Bắc Kạn's 2 models of 2022 lack
    the old Thái Nguyên's. One of Bắc Kạn's own plan's indicators is the old Thái Nguyên's
    too from the first year it gave a value of it, as its report form then asks for it:
    from then on a year lacks the one silent; before, Bắc Kạn's figure stays its own."""
    old = province_for_code_in_year(code="19", year=2024)
    approved_value(_bac_kan(), "SCP-05", 2022, "2")
    approved_value(old, "BK-NLTT-CS", 2023, "5")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    thai_nguyen = old.successor
    models = _figure("SCP-05", 2022, thai_nguyen, origin="predecessors")
    # Named, not coded: "19" was both the old and the new Thái Nguyên.
    assert (models.value, models.partial, missing_names(models)) == (
        Decimal("2"),
        True,
        ["Thái Nguyên"],
    )
    combined = Progress.objects.filter(
        province=thai_nguyen, indicator__code="BK-NLTT-CS", origin="predecessors"
    )
    assert not combined.filter(year=2022)
    later = combined.get(year=2023)
    assert (later.value, later.partial, missing_names(later)) == (Decimal("5"), True, ["Bắc Kạn"])


def _three_merged(*names: str) -> tuple[IndicatorSpec, Unit, list[Unit]]:
    """A count indicator of no national programme, and a unit formed on 1/7/2025 from three
    former units named ``names``."""
    indicator = IndicatorSpec(
        1, "X", engine.Measure.COUNT, engine.Direction.INCREASE, engine.Accumulation.LEVEL, "", None
    )
    merged = Unit(4, "40", date(2025, 7, 1), None, None, "Mới")
    formers = [
        Unit(pk, str(pk), None, date(2025, 6, 30), merged.pk, name)
        for pk, name in enumerate(names, start=1)
    ]
    return indicator, merged, formers


def test_a_merged_total_lacks_only_the_former_units_expected_to_report_it() -> None:
    """Three former units: one with a plan setting a target for the indicator, which gave 4
    in 2023 and nothing in 2024; one that first gave a figure, 3, in 2024; one that never had
    the indicator. The 2024 total lacks the first, not the third; in 2023 only the first
    reported it, so there is no total of 2023 to lack the second."""
    indicator, merged, (planned, counted, without) = _three_merged(
        "Có mục tiêu", "Có số liệu", "Không có"
    )
    target = engine.Target(2025, engine.Comparator.AT_LEAST, Decimal("10"), None, False)
    inputs = ProgressInputs(
        units=[planned, counted, without, merged],
        indicators=[indicator],
        targets=[TargetSpec(1, planned.pk, indicator.pk, date(2021, 1, 1), 2021, "plan", target)],
        values=[
            ValueSpec(planned.pk, indicator.pk, engine.Observation(2023, Decimal("4")), "s"),
            ValueSpec(counted.pk, indicator.pk, engine.Observation(2024, Decimal("3")), "s"),
        ],
        plans=[],
        last_year=2025,
        emit=frozenset({indicator.pk}),
    )
    rows = compute_rows(inputs, engine.DEFAULT_SETTINGS)
    totals = {row.year: row for row in rows if row.origin == "predecessors"}
    assert 2023 not in totals
    assert (totals[2024].value, totals[2024].partial, totals[2024].missing_unit_ids) == (
        Decimal("3"), True, [planned.pk]
    )  # fmt: skip


def test_a_roll_up_lacking_a_unit_whose_name_another_of_its_units_bears_is_not_guessed() -> None:
    """The stored row keeps the ids of the units a roll-up lacks, read from the names the
    engine gives them. Two former units of one merged unit with one name would make the id a
    guess: the run fails, keeping the figures it would replace, rather than store a unit
    that did report as the one that did not."""
    indicator, merged, (silent, twin, counted) = _three_merged("Trùng tên", "Trùng tên", "Khác")
    inputs = ProgressInputs(
        units=[silent, twin, counted, merged],
        indicators=[indicator],
        targets=[],
        values=[
            ValueSpec(silent.pk, indicator.pk, engine.Observation(2022, Decimal("1")), "s"),
            ValueSpec(counted.pk, indicator.pk, engine.Observation(2023, Decimal("4")), "s"),
        ],
        plans=[],
        last_year=2025,
        emit=frozenset({indicator.pk}),
    )
    with pytest.raises(ValueError, match="two units of one roll-up are named 'Trùng tên'"):
        compute_rows(inputs, engine.DEFAULT_SETTINGS)


def test_a_former_unit_is_not_missing_from_a_total_after_its_plan_ended_unreported() -> None:
    """The report form asks a unit for an indicator while a plan of its sets a target for
    it, and once it has given a value; a plan of 2021–2022 never reported into does not put
    the indicator in its 2023 form, so the 2023 total does not lack that unit."""
    indicator, merged, (planned, counted, late) = _three_merged(
        "Có kế hoạch", "Có số liệu", "Báo cáo muộn"
    )
    target = engine.Target(2022, engine.Comparator.AT_LEAST, Decimal("10"), None, False)
    plan = TargetSpec(1, planned.pk, indicator.pk, date(2021, 1, 1), 2021, "plan", target, 2022)
    observed = [(counted, 2022, "3"), (counted, 2023, "5"), (late, 2023, "2")]
    inputs = ProgressInputs(
        units=[planned, counted, late, merged],
        indicators=[indicator],
        targets=[plan],
        values=[
            ValueSpec(unit.pk, indicator.pk, engine.Observation(year, Decimal(value)), "s")
            for unit, year, value in observed
        ],
        plans=[],
        last_year=2025,
        emit=frozenset({indicator.pk}),
    )
    totals = {
        row.year: (row.value, row.partial, row.missing_unit_ids)
        for row in compute_rows(inputs, engine.DEFAULT_SETTINGS)
        if row.origin == "predecessors"
    }
    assert totals == {
        2022: (Decimal("3"), True, [planned.pk]),
        2023: (Decimal("7"), False, []),
    }


def test_an_approvals_recompute_from_its_year_leaves_the_merged_rows_a_full_one_would(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """An approval recomputes its unit, the unit it merged into, from its year on. The old
    Thái Nguyên's first BK-NLTT-CS figure, of 2024, makes it expected from 2024 only, so no
    earlier combined year can change with it."""
    # Run here, not by a worker this test does not wait for (with REDIS_URL in CI).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    old = province_for_code_in_year(code="19", year=2024)
    value = approved_value(old, "BK-NLTT-CS", 2024, "5")
    with django_capture_on_commit_callbacks(execute=True):
        progress_schedule_for_report(report=value.report)

    def merged_rows() -> list[tuple[object, ...]]:
        return list(
            Progress.objects.filter(province=old.successor)
            .order_by("indicator__code", "year", "origin")
            .values_list(
                "indicator__code", "year", "origin", "value", "partial", "missing_unit_ids"
            )
        )

    scoped = merged_rows()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert scoped == merged_rows()
    bac_kan = province_for_code_in_year(code="06", year=2024)
    assert scoped == [("BK-NLTT-CS", 2024, "predecessors", Decimal("5"), True, [bac_kan.pk])]


def test_the_new_thai_nguyens_own_figure_is_paced_from_its_former_units_history() -> None:
    """40 in 2025 against at least 60 by 2030: alone, one value shows no pace; from the old
    Thái Nguyên and Bắc Kạn's combined 15, 18, 21 (2022–24) it is 8,33 a year against 5,63
    needed. A year one of them did not report into does not start the pace."""
    new, old, bac_kan = (province_for_code_in_year(code=c, year=y) for c, y in [("19", 2025), ("19", 2024), ("06", 2024)])  # fmt: skip
    for year, (mine, theirs) in {2021: ("4", None), 2022: ("5", "10"), 2023: ("7", "11"), 2024: ("9", "12")}.items():  # fmt: skip
        approved_value(old, "SXSH-04", year, mine)
        if theirs:
            approved_value(bac_kan, "SXSH-04", year, theirs)
    approved_value(new, "SXSH-04", 2025, "40")
    _plan_with_target(new, "SXSH-04", 2030, 60)
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    own = _figure("SXSH-04", 2025, new)
    values = own.explanation_values
    assert (own.status, own.pace_ratio) == ("on_track", Decimal("1.481"))
    assert (values["start_year"], values["start_value"]) == (2022, "15.0000")


def test_a_merged_unit_with_nothing_of_its_own_has_no_status_from_its_history() -> None:
    """The former units' figures start the new unit's pace; they are not its figure. With
    nothing reported by the new Thái Nguyên, its own 2030 row has no data."""
    new, old, bac_kan = (province_for_code_in_year(code=c, year=y) for c, y in [("19", 2025), ("19", 2024), ("06", 2024)])  # fmt: skip
    for year, (mine, theirs) in {2022: ("5", "10"), 2023: ("7", "11"), 2024: ("9", "12")}.items():
        approved_value(old, "SXSH-04", year, mine)
        approved_value(bac_kan, "SXSH-04", year, theirs)
    _plan_with_target(new, "SXSH-04", 2030, 60)
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    own = _figure("SXSH-04", 2030, new)
    assert (own.status, own.explanation_code) == ("no_data", "no_observations")
    history = _figure("SXSH-04", 2030, new, origin="predecessors")
    assert history.status != "no_data"


def test_a_pace_that_starts_from_a_partial_figure_proves_only_off_track() -> None:
    """The new Thái Nguyên's former units: Bắc Kạn's 10 in 2022, with nothing from the old
    Thái Nguyên, is too low a start; 21 in 2024 from both then looks on track at 2.2,
    which the old Thái Nguyên's missing 2022 figure could undo."""
    new, old, bac_kan = (province_for_code_in_year(code=c, year=y) for c, y in [("19", 2025), ("19", 2024), ("06", 2024)])  # fmt: skip
    approved_value(bac_kan, "SXSH-04", 2022, "10")
    approved_value(bac_kan, "SXSH-04", 2024, "12")
    approved_value(old, "SXSH-04", 2024, "9")
    _plan_with_target(new, "SXSH-04", 2030, 30)
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    combined = _figure("SXSH-04", 2030, new, origin="predecessors")
    assert (combined.status, combined.explanation_code) == ("no_data", "partial_start_unjudged")
    assert (combined.pace_ratio, combined.projection) == (None, None)
    # The national sum of Hà Nội alone, 1 then 15, proves no pace either way.
    hanoi = province_for_code_in_year(code="01", year=2022)
    approved_value(hanoi, "SCP-05", 2022, "1")
    approved_value(hanoi, "SCP-05", 2024, "15")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    total = _figure("SCP-05", 2024, origin="sum")
    assert (total.status, total.explanation_code) == ("no_data", "partial_unjudged")


def _plan_with_target(unit, code: str, year: int, low: int) -> None:  # type: ignore[no-untyped-def]
    plan = Document.objects.create(
        number="T/KH-UBND", kind=Document.Kind.PROVINCIAL_PLAN, province=unit,
        issued_on="2025-09-01", period_start=2025, period_end=2030, title_vi="Thử",
        title_en="Test", issuer="UBND", source="test",
    )  # fmt: skip
    plan.targets.create(
        province=unit, indicator=Indicator.objects.get(code=code), year=year,
        comparator="at_least", low=low, text_vi=str(low), source="test",
    )  # fmt: skip


def test_merged_counts_add_up_and_shares_pool_their_parts() -> None:
    bac_kan, old_thai_nguyen = _bac_kan(), province_for_code_in_year(code="19", year=2024)
    approved_value(bac_kan, "SCP-05", 2024, "2")
    approved_value(old_thai_nguyen, "SCP-05", 2024, "3")
    approved_value(bac_kan, "SCP-07", 2024, "25", numerator="10", denominator="40")
    approved_value(old_thai_nguyen, "SCP-07", 2024, "50", numerator="30", denominator="60")
    approved_value(bac_kan, "SCP-04", 2024, "70")
    approved_value(old_thai_nguyen, "SCP-04", 2024, "90")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)

    thai_nguyen = old_thai_nguyen.successor
    models = _figure("SCP-05", 2024, thai_nguyen, origin="predecessors")
    assert (models.value, models.partial) == (Decimal("5"), False)
    shares = _figure("SCP-07", 2024, thai_nguyen, origin="predecessors")
    assert (shares.value, shares.numerator, shares.denominator) == (Decimal("40"), 40, 100)
    # Shares without their parts are shown per former unit, never averaged.
    unpooled = _figure("SCP-04", 2024, thai_nguyen, origin="predecessors")
    assert unpooled.value is None
    assert unpooled.explanation_code == "shares_not_combinable"
    # Both former units gave theirs: nothing is missing, so the row is not partial.
    assert (unpooled.partial, missing_names(unpooled)) == (False, [])


def test_a_former_units_area_report_after_the_merger_is_not_the_merged_units_figure() -> None:
    """From 2025 the new Thái Nguyên's 4 models cover Bắc Kạn's area: the 3 it files for
    that area are judged against 405/KH-UBND's 1–2 on Bắc Kạn's row, and are neither added
    to the nation's 4 nor a 2025 "former units combined" figure, with the old Thái Nguyên
    "missing" from a year it no longer reports."""
    new = province_for_code_in_year(code="19", year=2025)
    approved_value(new, "SCP-05", 2025, "4")
    approved_value(_bac_kan(), "SCP-05", 2025, "3")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    area = _figure("SCP-05", 2025, _bac_kan())
    assert (area.value, area.status, area.target.document.number) == (
        Decimal("3"), "achieved", "405/KH-UBND"
    )  # fmt: skip
    assert _figure("SCP-05", 2025, new).value == Decimal("4")
    total = _figure("SCP-05", 2025, origin="sum")
    assert (total.value, len(missing_names(total))) == (Decimal("4"), 33)
    assert "Thái Nguyên" not in missing_names(total) and "Bắc Kạn" not in missing_names(total)
    assert not Progress.objects.filter(province=new, origin="predecessors", year__gte=2025)


def test_shares_shown_per_former_unit_name_the_one_that_gave_none() -> None:
    """A row flagged partial said, through the API, that it lacked units: "missing": []."""
    approved_value(_bac_kan(), "SCP-04", 2024, "70")
    approved_value(province_for_code_in_year(code="19", year=2024), "SCP-04", 2023, "60")
    approved_value(_bac_kan(), "SCP-04", 2023, "50")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    thai_nguyen = _bac_kan().successor
    row = _figure("SCP-04", 2024, thai_nguyen, origin="predecessors")
    assert (row.value, row.partial, missing_names(row)) == (None, True, ["Thái Nguyên"])


def test_national_models_are_the_sum_of_provinces_and_national_entries() -> None:
    approved_value(_bac_kan(), "SCP-05", 2024, "2")
    approved_value(
        province_for_code_in_year(code="01", year=2024), "SCP-05", 2024, "1", qualifier="more_than"
    )
    approved_value(None, "SCP-05", 2024, "5")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    total = _figure("SCP-05", 2024, origin="sum")
    assert total.value == Decimal("8")
    assert total.qualifier == "more_than"
    assert total.partial is True
    assert len(missing_names(total)) == 61
    assert total.target.text_vi == "xây dựng, áp dụng 20-30 mô hình"


def test_a_sum_some_units_did_not_report_into_proves_a_target_met_never_missed() -> None:
    """SCP-05's 2025 target is 20–30 models: 14 from Hà Nội alone says nothing of the 33
    provinces that did not report; 31 from it already meets the target."""
    value = approved_value(province_for_code_in_year(code="01", year=2025), "SCP-05", 2025, "14")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    total = _figure("SCP-05", 2025, origin="sum")
    assert (total.value, total.partial, len(missing_names(total))) == (Decimal("14"), True, 33)
    assert (total.status, total.explanation_code) == ("no_data", "partial_unjudged")
    assert (total.ratio, total.bound, total.achieved) == (Decimal("0.7"), "lower", None)
    assert total.explanation_values["missing_count"] == 33
    value.value = Decimal("31")
    value.save()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    total = _figure("SCP-05", 2025, origin="sum")
    assert (total.status, total.partial) == ("achieved", True)


def test_a_partial_sum_whose_status_stands_is_at_least_its_figure(people) -> None:  # type: ignore[no-untyped-def]
    """Hà Nội's 14 SCP-05 models alone in 2023: the nation is on track for 20–30 by 2025
    whatever the 62 silent provinces add, but 14 is only a floor of its figure. Its
    achievement read 70 %, exact, and not achieved, where the same floor judged "no data"
    read "at least"; it is "at least 70 %", neither met nor missed, on the indicator's page,
    in the progress export and in the API alike, as "trên 50" of 115 is."""
    hanoi = province_for_code_in_year(code="01", year=2023)
    approved_value(hanoi, "SCP-05", 2023, "14")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    total = _figure("SCP-05", 2023, origin="sum")
    assert (total.value, total.partial, len(missing_names(total))) == (Decimal("14"), True, 62)
    assert (total.status, total.explanation_code) == ("on_track", "pace_ratio")
    assert (total.ratio, total.bound, total.achieved) == (Decimal("0.7"), "lower", None)
    with translation.override("en"):
        sentence = explanation_sentence(total.explanation_code, total.explanation_values)
    assert "at least 70 % of its lower end" in sentence

    client = client_for(people["analyst"])
    with translation.override("vi"):
        page = client.get(reverse("indicator-detail", args=["SCP-05"]), HTTP_ACCEPT_LANGUAGE="vi")
    assert "tối thiểu 70 %" in page.content.decode()
    export = client.get(
        reverse("export", args=["progress", "csv"]), {"indicator": "SCP-05", "year_to": 2023}
    )
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    (summed,) = [row for row in csv.DictReader(io.StringIO(body)) if row["origin"] == "sum"]
    assert (summed["achieved"], summed["achievement_bound"]) == ("", "lower")
    from_api = client.get(
        "/api/v1/progress/", {"indicator": "SCP-05", "origin": "sum", "year_to": 2023}
    ).json()["results"]
    assert [(row["year"], row["bound"], row["achieved"]) for row in from_api] == [
        (2023, "lower", None)
    ]


def test_share_of_provinces_counts_a_provincial_form_of_the_indicator() -> None:
    approved_value(province_for_code_in_year(code="01", year=2024), "SCP-06-HUYEN", 2024, "80")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    share = _figure("SCP-06", 2024, origin="share_of_units")
    assert (share.numerator, share.denominator) == (1, 63)


def test_one_provinces_2025_report_does_not_miss_the_national_share_of_provinces(
    django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The ministry approves Hà Nội's 2025 report with only SCP-06-HUYEN = 80 (its share of
    districts). The national SCP-06, the share of provinces running campaigns (at least
    80 % by 2025), is then 1 of 34 = 2,9 %, while 33 provinces have not reported for 2025
    at all: any of them may have run one. It read "không đạt"; it is a floor, which cannot
    show the target missed, and it says how many units are missing."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    hanoi = province_for_code_in_year(code="01", year=2025)
    value = approved_value(hanoi, "SCP-06-HUYEN", 2025, "80")
    with django_capture_on_commit_callbacks(execute=True):
        progress_schedule_for_report(report=value.report)

    share = _figure("SCP-06", 2025, origin="share_of_units")
    assert (share.value, share.numerator, share.denominator) == (Decimal("2.9412"), 1, 34)
    assert (share.partial, len(missing_names(share))) == (True, 33)
    assert hanoi.name not in missing_names(share)
    assert (share.status, share.explanation_code) == ("no_data", "partial_unjudged")
    assert share.explanation_values["missing_count"] == 33
    # "At least 3,7 %" of the target: a floor, neither achieved nor missed.
    assert (share.ratio, share.bound, share.achieved) == (Decimal("0.037"), "lower", None)
    assert not Progress.objects.filter(
        indicator__code="SCP-06", province=None, status__in=["not_achieved", "off_track"]
    ).exists()
    with translation.override("vi"):
        sentence = explanation_sentence(share.explanation_code, share.explanation_values, unit="%")
    assert "33 đơn vị chưa báo cáo vào con số 2,9 % năm 2025" in sentence
    assert "1 trong số 34" in sentence and "còn thiếu: " in sentence
    # The approval's run and a full one agree.
    table = _national_scp06()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert _national_scp06() == table


def _national_scp06() -> list[tuple]:  # type: ignore[type-arg]
    return sorted(
        Progress.objects.filter(indicator__code="SCP-06", province=None).values_list(
            "origin", "year", "value", "status", "ratio", "bound", "partial", "explanation_code"
        )
    )


@pytest.mark.parametrize(
    ("running", "not_running", "status", "code"),
    [
        # Hà Nội alone: 33 silent units might run campaigns.
        (1, 0, "no_data", "partial_unjudged"),
        # 27 of 34 running, 7 silent: 79,4 % might yet reach 80 %.
        (27, 0, "no_data", "partial_unjudged"),
        # 28 of 34 running: 82,4 % meets 80 % whatever the 6 silent units say.
        (28, 0, "achieved", "target_year_achieved"),
        # Every unit reported, 7 running none: 79,4 % is the whole story.
        (27, 7, "not_achieved", "target_year_not_achieved"),
        (28, 6, "achieved", "target_year_achieved"),
        # A zero counts a unit out, and is still a report: Hà Nội's 0 % alone is a floor.
        (0, 1, "no_data", "partial_unjudged"),
        (0, 34, "not_achieved", "target_year_not_achieved"),
    ],
)
def test_a_national_share_of_provinces_is_judged_on_the_units_that_reported(
    running: int, not_running: int, status: str, code: str
) -> None:
    """SCP-06 in 2025 against at least 80 %: the share counts the units running campaigns
    over the 34 in force; the units that reported nothing are missing, and only a share
    that would meet the target without them is judged before they report."""
    units = list(provinces_of_year(year=2025))
    hanoi = province_for_code_in_year(code="01", year=2025)
    units.sort(key=lambda unit: unit.pk != hanoi.pk)  # Hà Nội first, by its districts' form
    for index, unit in enumerate(units[: running + not_running]):
        form = "SCP-06-HUYEN" if unit.pk == hanoi.pk else "SCP-06"
        approved_value(unit, form, 2025, "80" if index < running else "0")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    share = _figure("SCP-06", 2025, origin="share_of_units")
    silent = 34 - running - not_running
    assert (share.numerator, share.denominator) == (running, 34)
    assert (share.partial, len(missing_names(share))) == (silent > 0, silent)
    assert (share.status, share.explanation_code) == (status, code)
    if silent:
        assert share.explanation_values["derivation"]["code"] == "share_of_units_partial"
        assert share.explanation_values["derivation"]["missing_count"] == silent


@pytest.mark.parametrize(
    ("running_2025", "status", "code"),
    [
        # From 30 of 63 (a floor: 33 silent) to 20 of 34: a pace of "at risk" rests on a
        # start too low, which makes it look faster than it is.
        (20, "no_data", "partial_start_unjudged"),
        # From that floor to 10 of 34: off track even so, and more so from a higher start.
        (10, "off_track", "pace_ratio"),
        # Every unit running in 2025 meets the 2030 target early, whatever the start.
        (34, "achieved", "achieved_early"),
    ],
)
def test_a_pace_from_a_share_some_units_did_not_report_into_proves_only_off_track(
    running_2025: int, status: str, code: str
) -> None:
    for unit in list(provinces_of_year(year=2023))[:30]:
        approved_value(unit, "SCP-06", 2023, "50")
    for index, unit in enumerate(provinces_of_year(year=2025)):
        approved_value(unit, "SCP-06", 2025, "50" if index < running_2025 else "0")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    outlook = _figure("SCP-06", 2030, origin="share_of_units")
    assert (outlook.status, outlook.explanation_code) == (status, code)
    assert _figure("SCP-06", 2023, origin="share_of_units").partial is True
    assert _figure("SCP-06", 2025, origin="share_of_units").partial is False


def test_the_national_share_counts_the_merged_unit_once_and_its_former_units_before() -> None:
    """The old Thái Nguyên and Bắc Kạn each count among the 63 of 2024; from 2025 the new
    Thái Nguyên is one of the 34, and they are not missing from it. Their shares, given
    without numerator and denominator, are still shown per former unit, not averaged."""
    new, old, bac_kan = (province_for_code_in_year(code=c, year=y) for c, y in [("19", 2025), ("19", 2024), ("06", 2024)])  # fmt: skip
    approved_value(old, "SCP-06", 2024, "100")
    approved_value(bac_kan, "SCP-06", 2024, "50")
    approved_value(new, "SCP-06", 2025, "100")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    share_2024 = _figure("SCP-06", 2024, origin="share_of_units")
    assert (share_2024.numerator, share_2024.denominator, len(missing_names(share_2024))) == (
        2,
        63,
        61,
    )
    assert "Bắc Kạn" not in missing_names(share_2024) and "Thái Nguyên" not in missing_names(
        share_2024
    )
    share_2025 = _figure("SCP-06", 2025, origin="share_of_units")
    assert (share_2025.numerator, share_2025.denominator, len(missing_names(share_2025))) == (
        1,
        34,
        33,
    )
    assert "Thái Nguyên" not in missing_names(share_2025) and "Bắc Kạn" not in missing_names(
        share_2025
    )
    combined = _figure("SCP-06", 2024, new, origin="predecessors")
    assert (combined.value, combined.explanation_code) == (None, "shares_not_combinable")


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_computing_from_a_year_gives_that_years_and_later_rows_of_a_full_computation(
    year: int,
) -> None:
    """What lets an approval recompute from its year on: no earlier row rests on it."""
    every_year = compute_rows(progress_inputs(), engine_settings())
    from_year = compute_rows(progress_inputs(from_year=year), engine_settings())
    assert from_year == [row for row in every_year if row.year >= year]
    assert len(from_year) < len(every_year)


def test_a_sum_with_a_part_of_a_day_before_its_years_end_stands_for_that_day() -> None:
    """Hà Nội's 3 models as of 30/6/2024 in the national sum: the sum is what was reached
    by then, and its sentence says so, as Hà Nội's own row does."""
    hanoi = province_for_code_in_year(code="01", year=2024)
    part = approved_value(hanoi, "SCP-05", 2024, "3")
    part.as_of = date(2024, 6, 30)
    part.save()
    approved_value(_bac_kan(), "SCP-05", 2024, "2")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    total = _figure("SCP-05", 2024, origin="sum")
    assert total.value == Decimal("5")
    assert total.explanation_values["achievement"]["value_as_of"] == "2024-06-30"
    with translation.override("vi"):
        sentence = explanation_sentence(total.explanation_code, total.explanation_values)
    assert "2024 (tính đến 30/6/2024)" in sentence


def test_a_national_sum_names_the_former_units_area_value_it_leaves_out() -> None:
    """Bắc Kạn's 1 model for its area in 2025 is not added to the nation's sum: it is inside
    the new Thái Nguyên's own figure. The sum said "no unit reported anything" beside it; it
    now keeps the area's value, with whether Thái Nguyên's own figure is missing, and the
    figures stay those of before: no value, 34 units missing, Thái Nguyên among them."""
    approved_value(_bac_kan(), "SCP-05", 2025, "1")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    scp05 = Indicator.objects.get(code="SCP-05")
    total = _figure("SCP-05", 2025, origin="sum")
    assert (total.value, total.partial, len(missing_names(total))) == (None, True, 34)
    assert "Thái Nguyên" in missing_names(total)
    assert total.explanation_code == "nothing_reported_in_force"
    area = {
        "code": "area_in_successor_missing",
        "unit": "Bắc Kạn",
        "unit_until": "2025-06-30",
        "successor": "Thái Nguyên",
        "successor_from": "2025-07-01",
        "value": "1.0000",
        "qualifier": "exact",
    }
    assert total.explanation_values["areas"] == [area]
    with translation.override("vi"):
        sentence = explanation_sentence(
            total.explanation_code, total.explanation_values, unit=scp05.unit_of_measure
        )
    assert "Không đơn vị nào báo cáo" not in sentence
    assert "Bắc Kạn (đến 30/6/2025) báo cáo 1 mô hình cho địa bàn của mình" in sentence

    # Once the new Thái Nguyên reports, the sum is its 2 models alone, still not 3.
    approved_value(_bac_kan().successor, "SCP-05", 2025, "2")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    total = _figure("SCP-05", 2025, origin="sum")
    assert (total.value, len(missing_names(total))) == (Decimal("2"), 33)
    derivation = total.explanation_values["derivation"]
    assert derivation["code"] == "sum_over_units"
    assert derivation["areas"] == [{**area, "code": "area_in_successor"}]
    with translation.override("en"):
        sentence = explanation_sentence(
            total.explanation_code, total.explanation_values, unit=scp05.unit_of_measure
        )
    assert sentence.endswith(
        "Bắc Kạn (until 30 Jun 2025) reported 1 model for its own area; that is already part "
        "of the figure of Thái Nguyên (from 1 Jul 2025), so it is not added again."
    )


def test_a_units_row_without_a_target_of_its_own_names_the_unit_not_the_year() -> None:
    """The new Thái Nguyên has no plan of its own; Bắc Kạn's 405/KH-UBND targets judge
    Bắc Kạn's area row, the national 2025 target the national rows. Its own 2025 row stays
    without a target, and says so of the unit, not of the year."""
    new = _bac_kan().successor
    approved_value(new, "SCP-07", 2025, "88")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    row = _figure("SCP-07", 2025, new)
    assert (row.target, row.status, row.ratio) == (None, "no_target", None)
    assert (row.explanation_code, row.explanation_values) == (
        "no_own_target_national",
        {"as_of_year": 2025, "unit": "Thái Nguyên", "unit_from": "2025-07-01", "target_year": 2025},
    )
    # A unit with plans, one of which ended, still names the plan that ended.
    hanoi = province_for_code_in_year(code="01", year=2025)
    approved_value(hanoi, "SCP-07", 2025, "92")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert _figure("SCP-07", 2025, hanoi).explanation_code == "plan_ended"
