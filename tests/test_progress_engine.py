"""Tests for the progress engine: reference figures, tables, properties.

Plain pytest: the engine imports nothing from Django.
"""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from progress import engine
from progress.compute import compute_rows
from progress.engine import (
    DEFAULT_SETTINGS,
    Accumulation,
    Bound,
    Comparator,
    Derived,
    Direction,
    Measure,
    Observation,
    PerUnit,
    Qualifier,
    Settings,
    Status,
    Target,
    achievement,
    combine_predecessors,
    combine_qualifiers,
    observed_value,
    pace_status,
    ratio_as_percent,
    ratio_bound,
    round_half_up,
    share_of_units,
    share_percent,
    status_for_pace,
    sum_over_units,
    target_value,
)
from progress.inputs import IndicatorSpec, ProgressInputs, TargetSpec, Unit, ValueSpec

D = Decimal
INC = Direction.INCREASE
DEC = Direction.DECREASE
LEVEL = Accumulation.LEVEL
CUMULATIVE = Accumulation.CUMULATIVE
FLOW = Accumulation.FLOW


def at_least(low: str, year: int = 2025, approximate: bool = False, **kw) -> Target:
    return Target(year, Comparator.AT_LEAST, D(low), None, approximate, **kw)


def at_most(high: str, year: int = 2025, approximate: bool = False, **kw) -> Target:
    return Target(year, Comparator.AT_MOST, None, D(high), approximate, **kw)


def between(low: str, high: str, year: int = 2025, approximate: bool = False) -> Target:
    return Target(year, Comparator.BETWEEN, D(low), D(high), approximate)


def exact(
    value: str, year: int = 2025, approximate: bool = False, baseline: tuple[str, int] | None = None
) -> Target:
    if baseline is None:
        return Target(year, Comparator.EXACT, D(value), None, approximate)
    return Target(
        year, Comparator.EXACT, D(value), None, approximate,
        baseline_value=D(baseline[0]), baseline_year=baseline[1],
    )  # fmt: skip


QUALITATIVE = Target(2025, Comparator.QUALITATIVE, None, None, False)


def obs(value: str, year: int = 2022, qualifier: Qualifier = Qualifier.EXACT) -> Observation:
    return Observation(year, D(value), qualifier)


def share(numerator: str, denominator: str, year: int = 2022, **kw) -> Observation:
    return Observation(year, None, numerator=D(numerator), denominator=D(denominator), **kw)


# ------------------------------------------------------ reference figures


class TestBacKanRenewableCapacity:
    """Bắc Kạn: 21,6 MW in 2022 against "khoảng 35 MW" by 2025."""

    target = at_least("35", approximate=True)
    reported = obs("21.6", 2022)

    def test_ratio_is_61_7_percent_and_not_achieved(self):
        result = achievement(self.target, self.reported)
        assert result.ratio == D("0.617")
        assert ratio_as_percent(result.ratio) == D("61.7")
        assert result.achieved is False
        assert result.bound == Bound.EXACT
        assert result.explanation.code == "at_least_ratio"
        assert result.explanation.values["threshold"] == D("33.25")

    def test_one_level_value_without_baseline_shows_no_pace(self):
        result = pace_status(self.target, [self.reported], INC, LEVEL, 2022)
        assert result.status == Status.NO_DATA
        assert result.explanation.code == "insufficient_points"
        assert result.achievement is not None and result.achievement.ratio == D("0.617")
        assert result.pace_ratio is None
        assert result.required_path == []

    def test_hypothetical_2020_baseline_of_15_mw_gives_a_pace(self):
        target = at_least("35", approximate=True, baseline_value=D(15), baseline_year=2020)
        result = pace_status(target, [self.reported], INC, LEVEL, 2022)
        # Observed (21,6 - 15) / 2 = 3,3 MW a year; "khoảng 35" counts from 33,25, so the
        # required pace is (33,25 - 15) / 5 = 3,65, as the achievement counts it.
        assert result.pace_ratio == D("0.904")
        assert result.status == Status.AT_RISK
        assert result.projection == D("31.5")
        assert result.required_path == [
            (2020, D(15)),
            (2021, D("18.65")),
            (2022, D("22.3")),
            (2023, D("25.95")),
            (2024, D("29.6")),
            (2025, D("33.25")),
        ]
        values = result.explanation.values
        assert result.explanation.code == "pace_ratio"
        assert values["observed_slope"] == D("3.3")
        assert values["required_slope"] == D("3.65")
        assert values["start_source"] == "baseline"
        assert (values["target_value"], values["threshold"]) == (D(35), D("33.25"))

    def test_a_pace_projected_past_the_approximate_threshold_is_on_track(self):
        target = at_least("35", approximate=True, baseline_value=D(15), baseline_year=2020)
        result = pace_status(target, [obs("22.4", 2022)], INC, LEVEL, 2022)
        # 3,7 MW a year projects 33,5 MW in 2025: met, "khoảng 35" counting from 33,25.
        assert result.projection == D("33.5")
        assert (result.status, result.pace_ratio) == (Status.ON_TRACK, D("1.014"))


@pytest.mark.parametrize(
    ("value", "achieved"),
    [("33.5", True), ("33.25", True), ("33.0", False), ("33.24", False)],
)
def test_khoang_35_mw_counts_within_five_percent(value, achieved):
    assert achievement(at_least("35", approximate=True), obs(value)).achieved is achieved


KHOANG_80_FROM_100 = at_most("80", approximate=True, baseline_value=D(100), baseline_year=2020)


# An approximate target is met from 95 % of the way its percentage measures (at 5 %):
# "khoảng 35" at least from zero, "khoảng 80" at most from its baseline of 100, whose
# reduction of 20 is met at 81. Not at 80 × 1,05 = 84, which is 80 % of the reduction and
# showed "80 %" beside "achieved"; nor, from a baseline of 82, at 83, above the baseline.
@pytest.mark.parametrize(
    ("target", "value", "ratio", "achieved", "threshold"),
    [
        (at_least("35", approximate=True), "33.25", "0.95", True, "33.25"),
        (at_least("35", approximate=True), "33.2", "0.949", False, "33.25"),
        (KHOANG_80_FROM_100, "81", "0.95", True, "81"),
        (KHOANG_80_FROM_100, "81.2", "0.94", False, "81"),
        (KHOANG_80_FROM_100, "84", "0.8", False, "81"),
        (KHOANG_80_FROM_100, "79", "1.05", True, "81"),
        (at_most("80", approximate=True, baseline_value=D(82), baseline_year=2020),
         "83", "-0.5", False, "80.1"),
        (at_most("80", approximate=True), "84", "0.952", True, "84"),  # no baseline: × 1,05
    ],
)  # fmt: skip
def test_an_approximate_target_is_met_from_the_same_share_of_its_way(
    target, value, ratio, achieved, threshold
):
    direction = DEC if target.comparator == Comparator.AT_MOST else INC
    result = achievement(target, obs(value), direction)
    assert (result.ratio, result.achieved) == (D(ratio), achieved)
    assert result.explanation.values["threshold"] == D(threshold)


def test_an_approximate_reduction_is_paced_to_where_it_counts_as_met():
    """From 100 in 2020 to 90 in 2022 is 5 a year; "khoảng 80" by 2025 counts from 81, so
    3,8 a year is needed, and the path ends at 81."""
    result = pace_status(KHOANG_80_FROM_100, [obs("90", 2022)], DEC, LEVEL, 2022)
    assert result.explanation.values["required_slope"] == D("-3.8")
    assert (result.status, result.pace_ratio) == (Status.ON_TRACK, D("1.316"))
    assert result.required_path[-1] == (2025, D(81))
    assert result.achievement.explanation.code == "decrease_from_baseline_approximate"


@pytest.mark.parametrize(
    ("target", "value", "ratio", "achieved"),
    [
        (at_least("35"), "34.99", "0.999", False),  # not "100 %" beside "not achieved"
        (at_least("35"), "34.9999", "0.999", False),
        (at_least("35"), "35", "1.000", True),
        (exact("100"), "100.04", "1.001", False),  # overshot an exact target
        (at_least("35", approximate=True), "34.99", "1.000", True),  # within "khoảng"
        # "khoảng 35" is met from 33,25, 95 %: 33,24 is not "95,0 %" beside "not achieved".
        (at_least("35", approximate=True), "33.24", "0.949", False),
        (at_least("35", approximate=True), "33.25", "0.950", True),
        (exact("100", approximate=True), "105.04", "1.051", False),  # met up to 105
        (exact("100", approximate=True), "94.96", "0.949", False),
    ],
)
def test_a_missed_target_never_shows_100_percent(target, value, ratio, achieved):
    result = achievement(target, obs(value))
    assert (result.ratio, result.achieved) == (D(ratio), achieved)


def test_ocop_181_of_200_products_is_90_5_percent():
    result = achievement(at_least("200"), obs("181"))
    assert result.ratio == D("0.905")
    assert ratio_as_percent(result.ratio) == D("90.5")
    assert result.achieved is False
    status = pace_status(at_least("200"), [obs("181", 2024)], INC, LEVEL, 2024)
    assert status.explanation.code == "insufficient_points"


def test_a_plan_measured_from_its_baseline_has_no_pace_until_a_later_year():
    """A plan issued after the merger, measured from 2024: the 2021–2024 figures show no
    progress under it: "no data", saying so, not "only one value and no baseline"."""
    target = at_least("100", year=2030, baseline_value=D("40"), baseline_year=2024)
    history = [obs("20", 2021), obs("30", 2022), obs("40", 2024)]
    status = pace_status(target, history, INC, LEVEL, 2025)
    assert (status.status, status.explanation.code) == (Status.NO_DATA, "nothing_after_baseline")
    assert status.explanation.values["baseline_year"] == 2024
    later = pace_status(target, [*history, obs("55", 2025)], INC, LEVEL, 2025)
    assert later.explanation.code == "pace_ratio"


def test_tren_50_of_115_million_kwh_is_at_least_43_5_percent():
    result = achievement(at_least("115"), obs("50", qualifier=Qualifier.MORE_THAN))
    assert result.ratio == D("0.435")
    assert ratio_as_percent(result.ratio) == D("43.5")
    assert result.bound == Bound.LOWER
    assert result.achieved is None
    assert result.explanation.values["bound"] == "lower"
    assert result.explanation.values["qualifier"] == "more_than"


def test_ha_noi_supermarkets_80_of_100_percent_in_target_year_is_not_achieved():
    target = at_least("100", year=2022)
    result = pace_status(target, [obs("80", 2022)], INC, LEVEL, 2022)
    assert result.status == Status.NOT_ACHIEVED
    assert result.explanation.code == "target_year_not_achieved"
    assert result.achievement is not None
    assert ratio_as_percent(result.achievement.ratio) == D("80.0")


def test_ha_noi_supermarkets_80_percent_as_of_15_7_2022_is_at_risk_not_missed():
    """The source's 80 % stands for 15/7/2022: 80 % of the 2022 target, at risk, the day said."""
    target = at_least("100", year=2022)
    result = pace_status(target, [on("80", "2022-07-15")], INC, LEVEL, 2022)
    assert (result.status, result.explanation.code) == (Status.AT_RISK, "target_year_interim")
    assert result.explanation.values["value_as_of"] == "2022-07-15"
    reached = result.achievement
    assert (reached.ratio, reached.achieved) == (D("0.8"), False)
    assert reached.explanation.values["value_as_of"] == "2022-07-15"


def on(value: str, day: str, year: int = 2022, qualifier: Qualifier = Qualifier.EXACT):
    """A value standing for ``day`` (``as_of``)."""
    return Observation(year, D(value), qualifier, as_of=date.fromisoformat(day))


# A figure of the target year that stands for a day before its end settles the target only
# where the rest of the year cannot undo it: a level met (as a level met early counts); a
# yearly amount or running total, which only grows, met for more, or past an at-most one.
# fmt: off
INTERIM_CASES = [
    # id, target, accumulation, direction, observation, as_of_year, status, code
    ("level short mid-year", at_least("100", 2022), LEVEL, INC, on("80", "2022-07-15"),
     2022, Status.AT_RISK, "target_year_interim"),
    ("level met mid-year", at_least("100", 2022), LEVEL, INC, on("100", "2022-07-15"),
     2022, Status.ACHIEVED, "target_year_achieved"),
    ("level of 31 December", at_least("100", 2022), LEVEL, INC, on("80", "2022-12-31"),
     2022, Status.NOT_ACHIEVED, "target_year_not_achieved"),
    ("level reported the next year", at_least("100", 2022), LEVEL, INC, on("80", "2023-02-20"),
     2022, Status.NOT_ACHIEVED, "target_year_not_achieved"),
    ("later year short mid-year", at_least("100", 2022), LEVEL, INC,
     on("90", "2023-06-30", 2023), 2023, Status.AT_RISK, "target_year_interim"),
    ("yearly amount short mid-year", at_least("115", 2022), FLOW, INC, on("50", "2022-06-30"),
     2022, Status.AT_RISK, "target_year_interim"),
    ("yearly amount met mid-year", at_least("115", 2022), FLOW, INC, on("120", "2022-06-30"),
     2022, Status.ACHIEVED, "target_year_achieved"),
    ("bound short mid-year", at_least("115", 2022), FLOW, INC,
     on("50", "2022-06-30", qualifier=Qualifier.MORE_THAN), 2022, Status.AT_RISK, "target_year_interim"),
    ("running total short mid-year", at_least("10", 2022), CUMULATIVE, INC,
     on("5", "2022-07-15"), 2022, Status.AT_RISK, "target_year_interim"),
    ("at-most amount past it mid-year", at_most("80", 2022), FLOW, DEC, on("90", "2022-06-30"),
     2022, Status.NOT_ACHIEVED, "target_year_not_achieved"),
    ("at-most amount within it mid-year", at_most("80", 2022), FLOW, DEC,
     on("70", "2022-06-30"), 2022, Status.AT_RISK, "target_year_interim"),
    ("at-most level within it mid-year", at_most("80", 2022), LEVEL, DEC,
     on("70", "2022-06-30"), 2022, Status.ACHIEVED, "target_year_achieved"),
    ("at-most level past it mid-year", at_most("80", 2022), LEVEL, DEC,
     on("90", "2022-06-30"), 2022, Status.AT_RISK, "target_year_interim"),
    # "Exactly 100" by June may still be overshot; 120 by June already has been.
    ("exact amount met mid-year", exact("100", 2022), FLOW, INC, on("100", "2022-06-30"),
     2022, Status.AT_RISK, "target_year_interim"),
    ("exact amount past it mid-year", exact("100", 2022), FLOW, INC, on("120", "2022-06-30"),
     2022, Status.NOT_ACHIEVED, "target_year_not_achieved"),
    ("exact running total short mid-year", exact("100", 2022), CUMULATIVE, INC,
     on("80", "2022-06-30"), 2022, Status.AT_RISK, "target_year_interim"),
]
# fmt: on


@pytest.mark.parametrize(
    ("target", "accumulation", "direction", "observation", "as_of", "status", "code"),
    [pytest.param(*case[1:], id=case[0]) for case in INTERIM_CASES],
)
def test_a_figure_of_a_day_before_its_years_end_settles_only_what_it_can(
    target, accumulation, direction, observation, as_of, status, code
):
    result = pace_status(target, [observation], direction, accumulation, as_of)
    assert (result.status, result.explanation.code) == (status, code)


def test_half_a_years_amount_is_no_collapse_of_the_pace():
    """80 in 2021, then 50 by 30 June 2023, of a yearly amount due to reach 100 by 2025:
    read as the year's amount it was a fall to 50, "off track" at pace -3; the year's
    amount is at least 50, which cannot show the pace either way."""
    result = pace_status(at_least("100"), [obs("80", 2021), on("50", "2023-06-30", 2023)],
                         INC, FLOW, 2023)  # fmt: skip
    assert (result.status, result.explanation.code) == (Status.AT_RISK, "pace_bound_inconclusive")
    assert result.pace_ratio is None and result.projection is None


def test_a_running_total_by_june_still_proves_a_pace_fast_enough():
    """From 0 in 2020 to 10 models by 2025 needs 2 a year. 5 by 30 June 2023 is a pace of
    at least 1,667 a year: too slow or not, the rest of the year decides, so at risk with
    no pace claimed. 9 by June is at least 3 a year: on track whatever the year brings."""
    target = at_least("10", baseline_value=D(0), baseline_year=2020)
    short = pace_status(target, [on("5", "2023-06-30", 2023)], INC, CUMULATIVE, 2023)
    assert short.status == Status.AT_RISK
    fast = pace_status(target, [on("9", "2023-06-30", 2023)], INC, CUMULATIVE, 2023)
    assert (fast.status, fast.explanation.values["pace_bound"]) == (Status.ON_TRACK, "lower")


def test_a_level_by_june_is_its_years_point_of_the_pace():
    target = at_least("100", baseline_value=D(60), baseline_year=2020)
    # (86 - 60) / 3 a year of the (100 - 60) / 5 needed, as if of 31 December.
    result = pace_status(target, [on("86", "2023-06-30", 2023)], INC, LEVEL, 2023)
    assert (result.status, result.pace_ratio) == (Status.ON_TRACK, D("1.083"))


@pytest.mark.parametrize(
    ("target", "value", "direction", "ratio", "achieved"),
    [
        # "khoảng 80" exactly, of what must decrease from 100: met from 76 to 84 (5 % of
        # the target), and 84,0001 is not "80 %" as 84 is.
        (exact("80", approximate=True, baseline=("100", 2020)), "84", DEC, "0.800", True),
        (exact("80", approximate=True, baseline=("100", 2020)), "84.0001", DEC, "0.799", False),
        (exact("80", approximate=True), "84", DEC, "0.952", True),
        (exact("80", approximate=True), "84.0001", DEC, "0.951", False),
    ],
)
def test_an_approximate_exact_reduction_never_shows_its_edge_beside_a_miss(
    target, value, direction, ratio, achieved
):
    result = achievement(target, obs(value), direction)
    assert (result.ratio, result.achieved) == (D(ratio), achieved)
    assert result.explanation.code != "decrease_from_baseline_approximate"


@pytest.mark.parametrize(
    ("target", "value", "ratio"),
    [
        (at_least("35"), "34.9996", "0.999"),  # not "at least 100 %" of an unproven target
        (at_least("35", approximate=True), "33.2496", "0.949"),  # nor "at least 95 %"
    ],
)
def test_a_bound_short_of_the_target_never_shows_where_it_is_met(target, value, ratio):
    result = achievement(target, obs(value, 2025, Qualifier.MORE_THAN))
    assert (result.ratio, result.bound, result.achieved) == (D(ratio), Bound.LOWER, None)


@pytest.mark.parametrize(
    ("latest", "status", "shown"),
    [
        # From 0 in 2020, 10 needed by 2025 is 2 a year: 3 years' pace of 1,89996 is
        # 0,94998 of it, at risk, and must not print as the 0,95 of on track.
        ("5.69988", Status.AT_RISK, "0.949"),
        ("5.7", Status.ON_TRACK, "0.950"),
        ("3.59988", Status.OFF_TRACK, "0.599"),
    ],
)
def test_a_pace_ratio_never_prints_as_a_threshold_it_missed(latest, status, shown):
    target = at_least("10", baseline_value=D(0), baseline_year=2020)
    result = pace_status(target, [obs(latest, 2023)], INC, LEVEL, 2023)
    assert (result.status, result.pace_ratio) == (status, D(shown))


def test_scp09_24_of_63_provinces_against_90_percent_by_2030():
    derived = share_of_units(24, 63)
    assert round_half_up(derived.value, 1) == D("38.1")
    assert (derived.numerator, derived.denominator) == (D(24), D(63))
    reported = share("24", "63", 2022)
    result = achievement(at_least("90", year=2030), reported)
    assert result.ratio == D("0.423")
    assert result.achieved is False
    assert result.explanation.values["numerator"] == D(24)
    assert result.explanation.values["denominator"] == D(63)


def test_scp09_denominator_is_34_after_the_2025_merger():
    derived = share_of_units(24, 34)
    assert round_half_up(derived.value, 1) == D("70.6")
    assert derived.explanation.values == {"count": 24, "units": 34, "value": derived.value}


@pytest.mark.parametrize(
    ("value", "achieved", "position"),
    [("3.5", True, "within"), ("2.0", False, "below"), ("5", True, "above")],
)
def test_scp03_giam_3_4_percent_band(value, achieved, position):
    result = achievement(between("3", "4"), obs(value))
    assert result.achieved is achieved
    assert result.explanation.code == "between_ratio"
    assert result.explanation.values["position"] == position
    assert result.explanation.values["low"] == D(3)
    assert result.explanation.values["high"] == D(4)
    assert result.ratio == round_half_up(D(value) / 3, 3)


class TestDecreasingWithBaseline:
    """Baseline 100 in 2020, at most 80 by 2025."""

    target = at_most("80", baseline_value=D(100), baseline_year=2020)

    def test_90_in_2022_is_half_way(self):
        result = achievement(self.target, obs("90"), DEC)
        assert result.ratio == D("0.5")
        assert result.achieved is False
        assert result.explanation.code == "decrease_from_baseline"

    @pytest.mark.parametrize(
        ("value", "status", "pace"),
        [
            ("90", Status.ON_TRACK, "1.25"),  # -5 a year against -4 needed
            ("92", Status.ON_TRACK, "1"),
            ("94", Status.AT_RISK, "0.75"),
            ("98", Status.OFF_TRACK, "0.25"),
            ("104", Status.OFF_TRACK, "-0.5"),  # moving the wrong way
        ],
    )
    def test_pace(self, value, status, pace):
        result = pace_status(self.target, [obs(value)], DEC, LEVEL, 2022)
        assert result.status == status
        assert result.explanation.code == "pace_ratio"
        assert result.pace_ratio == D(pace)
        assert result.required_path[-1] == (2025, D(80))


class TestThaiNguyenMerger:
    """New Thái Nguyên (2025) = old Thái Nguyên ("19") + Bắc Kạn ("06")."""

    def test_counts_add_up(self):
        result = combine_predecessors({"19": obs("3"), "06": obs("2")}, Measure.COUNT)
        assert isinstance(result, Derived)
        assert result.value == D(5)
        assert result.partial is False
        assert result.missing == []
        assert result.explanation.code == "predecessors_summed"

    def test_missing_predecessor_is_named(self):
        result = combine_predecessors({"19": obs("3"), "06": None}, Measure.COUNT)
        assert isinstance(result, Derived)
        assert result.value == D(3)
        assert result.partial is True
        assert result.missing == ["06"]
        assert result.explanation.values["missing"] == "06"

    def test_shares_pool_numerators_and_denominators(self):
        parts = {"19": share("30", "60"), "06": share("10", "40")}
        result = combine_predecessors(parts, Measure.PERCENT)
        assert isinstance(result, Derived)
        assert result.value == D(40)  # not the 37,5 % average of 50 % and 25 %
        assert (result.numerator, result.denominator) == (D(40), D(100))
        assert result.explanation.code == "predecessors_pooled_share"

    def test_shares_without_numerators_are_not_averaged(self):
        parts = {"19": obs("50"), "06": share("10", "40")}
        result = combine_predecessors(parts, Measure.PERCENT)
        assert isinstance(result, PerUnit)
        assert result.reason == "shares_not_combinable"
        assert result.observations == parts
        assert result.explanation.values["units"] == "19, 06"


class TestScp05NationalSum:
    units = ("01", "02", "03")

    def test_units_plus_national_entry(self):
        values = {"01": obs("2"), "02": obs("1"), "03": obs("0")}
        result = sum_over_units(values, self.units, [obs("5")])
        assert result.value == D(8)
        assert result.qualifier == Qualifier.EXACT
        assert result.partial is False
        assert result.explanation.code == "sum_over_units"
        assert result.explanation.values["national_entries"] == 1

    def test_a_lower_bound_makes_the_sum_a_lower_bound(self):
        values = {"01": obs("2", qualifier=Qualifier.MORE_THAN), "02": obs("1"), "03": None}
        result = sum_over_units(values, self.units, [obs("5")])
        assert result.value == D(8)
        assert result.qualifier == Qualifier.MORE_THAN
        assert result.partial is True
        assert result.missing == ["03"]


# ------------------------------------------------------ achievement table

T_AT_LEAST = at_least("35")
T_APPROX = at_least("35", approximate=True)
T_BETWEEN = between("3", "4")
T_BETWEEN_APPROX = between("3", "4", approximate=True)
T_EXACT = exact("100")
T_EXACT_APPROX = exact("100", approximate=True)
T_AT_MOST_BASE = at_most("80", baseline_value=D(100), baseline_year=2020)
T_AT_MOST = at_most("80")
T_AT_MOST_APPROX = at_most("80", approximate=True)
T_AT_MOST_LOW_BASE = at_most("80", baseline_value=D(70), baseline_year=2020)
T_ZERO = at_least("0")
T_AT_MOST_ZERO = at_most("0")
T_AT_LEAST_10 = at_least("10")
T_EXACT_50 = exact("50")
T_REDUCE_3 = at_most("-3")
T_REDUCE_3_APPROX = at_most("-3", approximate=True)
T_REDUCE_5_8 = between("-8", "-5")  # with a decreasing indicator, -5 is the edge to reach
T_REDUCE_FROM_0 = at_most("-3", baseline_value=D(0), baseline_year=2020)
T_NET_5 = at_least("-5")
T_NET_5_APPROX = at_least("-5", approximate=True)

MORE = Qualifier.MORE_THAN
LESS = Qualifier.LESS_THAN
ABOUT = Qualifier.ABOUT
EX = Qualifier.EXACT
LOWER, UPPER, EXACT_BOUND = Bound.LOWER, Bound.UPPER, Bound.EXACT

ACHIEVEMENT_CASES = [
    # target, direction, value, qualifier, ratio, bound, achieved, code
    (T_AT_LEAST, INC, "35", EX, "1", EXACT_BOUND, True, "at_least_ratio"),
    (T_AT_LEAST, INC, "34.99", EX, "0.999", EXACT_BOUND, False, "at_least_ratio"),
    (T_AT_LEAST, INC, "40", MORE, "1.143", LOWER, True, "at_least_ratio"),
    (T_AT_LEAST, INC, "30", MORE, "0.857", LOWER, None, "at_least_ratio"),
    (T_AT_LEAST, INC, "30", LESS, "0.857", UPPER, False, "at_least_ratio"),
    (T_AT_LEAST, INC, "40", LESS, "1.143", UPPER, None, "at_least_ratio"),
    (T_AT_LEAST, INC, "35", ABOUT, "1", EXACT_BOUND, True, "at_least_ratio"),
    (T_AT_LEAST, INC, "20", ABOUT, "0.571", EXACT_BOUND, False, "at_least_ratio"),
    (T_APPROX, INC, "33.5", MORE, "0.957", LOWER, True, "at_least_ratio"),
    (T_APPROX, INC, "33", LESS, "0.943", UPPER, False, "at_least_ratio"),
    (T_BETWEEN, INC, "4", EX, "1.333", EXACT_BOUND, True, "between_ratio"),
    (T_BETWEEN, INC, "2", MORE, "0.667", LOWER, None, "between_ratio"),
    (T_BETWEEN, INC, "3", MORE, "1", LOWER, True, "between_ratio"),
    (T_BETWEEN, INC, "2.5", LESS, "0.833", UPPER, False, "between_ratio"),
    (T_BETWEEN_APPROX, INC, "2.9", EX, "0.967", EXACT_BOUND, True, "between_ratio"),
    (T_BETWEEN_APPROX, INC, "2.8", EX, "0.933", EXACT_BOUND, False, "between_ratio"),
    (T_EXACT, INC, "100", EX, "1", EXACT_BOUND, True, "exact_ratio"),
    (T_EXACT, INC, "99", EX, "0.99", EXACT_BOUND, False, "exact_ratio"),
    (T_EXACT, INC, "101", EX, "1.01", EXACT_BOUND, False, "exact_ratio"),
    (T_EXACT, INC, "100", MORE, "1", LOWER, None, "exact_ratio"),
    (T_EXACT, INC, "90", LESS, "0.9", UPPER, None, "exact_ratio"),
    (T_EXACT_APPROX, INC, "96", EX, "0.96", EXACT_BOUND, True, "exact_ratio_approximate"),
    (T_EXACT_APPROX, INC, "105", EX, "1.05", EXACT_BOUND, True, "exact_ratio_approximate"),
    (T_EXACT_APPROX, INC, "94", EX, "0.94", EXACT_BOUND, False, "exact_ratio_approximate"),
    (T_AT_MOST_BASE, DEC, "90", EX, "0.5", EXACT_BOUND, False, "decrease_from_baseline"),
    (T_AT_MOST_BASE, DEC, "80", EX, "1", EXACT_BOUND, True, "decrease_from_baseline"),
    (T_AT_MOST_BASE, DEC, "70", EX, "1.5", EXACT_BOUND, True, "decrease_from_baseline"),
    (T_AT_MOST_BASE, DEC, "110", EX, "-0.5", EXACT_BOUND, False, "decrease_from_baseline"),
    (T_AT_MOST_BASE, DEC, "78", LESS, "1.1", LOWER, True, "decrease_from_baseline"),
    (T_AT_MOST_BASE, DEC, "85", LESS, "0.75", LOWER, None, "decrease_from_baseline"),
    (T_AT_MOST_BASE, DEC, "85", MORE, "0.75", UPPER, False, "decrease_from_baseline"),
    (T_AT_MOST_BASE, DEC, "75", MORE, "1.25", UPPER, None, "decrease_from_baseline"),
    (T_AT_MOST, DEC, "100", EX, "0.8", EXACT_BOUND, False, "decrease_without_baseline"),
    (T_AT_MOST, DEC, "80", EX, "1", EXACT_BOUND, True, "decrease_without_baseline"),
    (T_AT_MOST, DEC, "64", EX, "1.25", EXACT_BOUND, True, "decrease_without_baseline"),
    (T_AT_MOST, DEC, "0", EX, None, EXACT_BOUND, True, "zero_value"),
    # An at_most target is a decreasing form whatever the indicator says.
    (T_AT_MOST, INC, "100", EX, "0.8", EXACT_BOUND, False, "decrease_without_baseline"),
    (T_AT_MOST, INC, "100", MORE, "0.8", UPPER, False, "decrease_without_baseline"),
    (T_AT_MOST_APPROX, DEC, "84", EX, "0.952", EXACT_BOUND, True, "decrease_without_baseline"),
    (T_AT_MOST_APPROX, DEC, "84.1", EX, "0.951", EXACT_BOUND, False, "decrease_without_baseline"),
    (
        T_AT_MOST_LOW_BASE,
        DEC,
        "75",
        EX,
        "1.067",
        EXACT_BOUND,
        True,
        "decrease_baseline_not_above_target",
    ),
    (T_AT_LEAST_10, DEC, "8", EX, "1.25", EXACT_BOUND, True, "decrease_without_baseline"),
    (T_AT_LEAST_10, DEC, "12.5", EX, "0.8", EXACT_BOUND, False, "decrease_without_baseline"),
    (T_BETWEEN, DEC, "3.5", EX, "1.143", EXACT_BOUND, True, "decrease_without_baseline"),
    (T_BETWEEN, DEC, "5", EX, "0.8", EXACT_BOUND, False, "decrease_without_baseline"),
    (T_EXACT_50, DEC, "50", EX, "1", EXACT_BOUND, True, "decrease_without_baseline"),
    (T_EXACT_50, DEC, "40", EX, "1.25", EXACT_BOUND, False, "decrease_without_baseline"),
    (T_ZERO, INC, "5", EX, None, EXACT_BOUND, True, "zero_target"),
    (T_ZERO, INC, "-1", EX, None, EXACT_BOUND, False, "zero_target"),
    (T_AT_MOST_ZERO, DEC, "5", EX, "0", EXACT_BOUND, False, "decrease_without_baseline"),
    (T_AT_MOST_ZERO, DEC, "0", EX, None, EXACT_BOUND, True, "zero_value"),
    # Below zero. A reduction given as a change ("-3 %") is measured from no change: -2 is
    # two thirds of it, where target ÷ value said 150 %, and -4 75 % beside "achieved".
    (T_REDUCE_3, DEC, "-3", EX, "1", EXACT_BOUND, True, "reduction_from_zero"),
    (T_REDUCE_3, DEC, "-2", EX, "0.667", EXACT_BOUND, False, "reduction_from_zero"),
    (T_REDUCE_3, DEC, "-4", EX, "1.333", EXACT_BOUND, True, "reduction_from_zero"),
    (T_REDUCE_3, DEC, "1", EX, "-0.333", EXACT_BOUND, False, "reduction_from_zero"),
    (T_REDUCE_3, DEC, "-2", LESS, "0.667", LOWER, None, "reduction_from_zero"),
    (T_REDUCE_3, INC, "-4", MORE, "1.333", UPPER, None, "reduction_from_zero"),
    (T_REDUCE_3_APPROX, DEC, "-2.85", EX, "0.95", EXACT_BOUND, True, "reduction_from_zero"),
    (T_REDUCE_3_APPROX, DEC, "-2.8", EX, "0.933", EXACT_BOUND, False, "reduction_from_zero"),
    (T_REDUCE_5_8, DEC, "-6", EX, "1.2", EXACT_BOUND, True, "reduction_from_zero"),
    (T_REDUCE_FROM_0, DEC, "-2", EX, "0.667", EXACT_BOUND, False, "decrease_from_baseline"),
    # Zero already meets "at least -5" (a net change): no share of the way to it, which
    # value ÷ low gave as 80 % for -4, met, and 120 % for -6, missed.
    (T_NET_5, INC, "-4", EX, None, EXACT_BOUND, True, "target_below_zero"),
    (T_NET_5, INC, "-6", EX, None, EXACT_BOUND, False, "target_below_zero"),
    (T_NET_5, INC, "2", EX, None, EXACT_BOUND, True, "target_below_zero"),
    (T_NET_5, INC, "-6", MORE, None, LOWER, None, "target_below_zero"),
    (T_NET_5_APPROX, INC, "-5.2", EX, None, EXACT_BOUND, True, "target_below_zero"),
    (T_NET_5_APPROX, INC, "-5.3", EX, None, EXACT_BOUND, False, "target_below_zero"),
    (between("-4", "-3"), INC, "-3.5", EX, None, EXACT_BOUND, True, "target_below_zero"),
    # An exact amount below zero is a share of it, as 4 of 5 is; a bound on it flips.
    (exact("-5"), INC, "-4", EX, "0.8", EXACT_BOUND, False, "exact_ratio"),
    (exact("-5"), INC, "-4", MORE, "0.8", UPPER, None, "exact_ratio"),
    (exact("-5"), DEC, "-5", EX, "1", EXACT_BOUND, True, "reduction_from_zero"),
    # A value below zero against a target of zero or more: target ÷ value is no percentage.
    (T_AT_MOST, DEC, "-5", EX, None, EXACT_BOUND, True, "value_below_zero"),
    (T_AT_MOST_ZERO, DEC, "-1", EX, None, EXACT_BOUND, True, "value_below_zero"),
    (T_EXACT_50, DEC, "-1", EX, None, EXACT_BOUND, False, "value_below_zero"),
]


@pytest.mark.parametrize(
    ("target", "direction", "value", "qualifier", "ratio", "bound", "achieved", "code"),
    ACHIEVEMENT_CASES,
)
def test_achievement_table(target, direction, value, qualifier, ratio, bound, achieved, code):
    result = achievement(target, obs(value, qualifier=qualifier), direction)
    assert result.ratio == (None if ratio is None else D(ratio))
    assert result.bound == bound
    assert result.achieved is achieved
    assert result.explanation.code == code
    assert ("ratio" in result.explanation.values) == (ratio is not None)
    assert result.explanation.values["value"] == D(value)


@pytest.mark.parametrize(
    ("target", "history", "direction", "as_of", "status", "pace", "ratio", "code"),
    [
        # -3,5 in 2025 against a reduction of 3: met, 116,7 % of it (target ÷ value: 85,7 %).
        (T_REDUCE_3, [obs("-3.5", 2025)], DEC, 2025, Status.ACHIEVED, None, "1.167",
         "reduction_from_zero"),
        # From no change in 2021 to -0,5 in 2023: 0,25 a year of the 0,75 needed.
        (T_REDUCE_3, [obs("0", 2021), obs("-0.5", 2023)], DEC, 2023, Status.OFF_TRACK,
         "0.333", "0.167", "reduction_from_zero"),
        # From -10 to -8 is 2 a year of the 1,25 needed to reach -5 by 2025: no percentage.
        (T_NET_5, [obs("-10", 2021), obs("-8", 2022)], INC, 2022, Status.ON_TRACK, "1.6",
         None, "target_below_zero"),
        (T_NET_5, [obs("-6", 2025)], INC, 2025, Status.NOT_ACHIEVED, None, None,
         "target_below_zero"),
    ],
)  # fmt: skip
def test_a_target_below_zero_is_judged_without_a_misleading_percentage(
    target, history, direction, as_of, status, pace, ratio, code
):
    result = pace_status(target, history, direction, LEVEL, as_of)
    assert (result.status, result.pace_ratio) == (status, None if pace is None else D(pace))
    reached = result.achievement
    assert (reached.ratio, reached.explanation.code) == (None if ratio is None else D(ratio), code)


@pytest.mark.parametrize("qualifier", [MORE, LESS, ABOUT])
def test_a_reported_qualifier_is_flagged_in_the_explanation(qualifier):
    result = achievement(T_AT_LEAST, obs("30", qualifier=qualifier))
    assert result.explanation.values["qualifier"] == qualifier.value


def test_an_exact_value_carries_no_qualifier_flag():
    values = achievement(T_AT_LEAST, obs("30")).explanation.values
    assert "qualifier" not in values
    assert "bound" not in values


def test_decreasing_explanation_names_target_and_baseline():
    values = achievement(T_AT_MOST_BASE, obs("90"), DEC).explanation.values
    assert values["target"] == D(80)
    assert values["baseline"] == D(100)
    assert values["baseline_year"] == 2020


def test_a_share_uses_numerator_over_denominator_not_the_rounded_value():
    reported = Observation(2022, D("35"), numerator=D(34), denominator=D(100))
    result = achievement(T_AT_LEAST, reported)
    assert result.explanation.values["value"] == D(34)
    assert result.achieved is False


@pytest.mark.parametrize(
    ("status", "achieved", "code"),
    [
        (Status.ACHIEVED, True, "qualitative_assessed"),
        (Status.NOT_ACHIEVED, False, "qualitative_assessed"),
        (Status.ON_TRACK, False, "qualitative_assessed"),
        (None, None, "qualitative_pending"),
    ],
)
def test_qualitative_achievement_comes_from_the_reviewer(status, achieved, code):
    reported = Observation(2022, None, qualitative_status=status)
    result = achievement(QUALITATIVE, reported)
    assert result.ratio is None
    assert result.achieved is achieved
    assert result.explanation.code == code


def test_numeric_target_with_no_value_is_an_error():
    with pytest.raises(ValueError, match="no numeric value"):
        achievement(T_AT_LEAST, Observation(2022, None))


# ------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("comparator", "low", "high", "message"),
    [
        (Comparator.AT_LEAST, None, None, "needs low"),
        (Comparator.AT_MOST, None, None, "needs high"),
        (Comparator.BETWEEN, D(3), None, "needs high"),
        (Comparator.BETWEEN, D(5), D(4), "low <= high"),
        (Comparator.EXACT, D(5), D(6), "equal to low"),
        (Comparator.AT_LEAST, D(5), D(6), "takes no high"),
        (Comparator.AT_MOST, D(5), D(6), "takes no low"),
        (Comparator.QUALITATIVE, D(5), None, "takes no low"),
    ],
)
def test_malformed_targets_are_rejected(comparator, low, high, message):
    with pytest.raises(ValueError, match=message):
        Target(2025, comparator, low, high, False)


def test_target_accepts_database_strings():
    target = Target(2025, "exact", D(5), D(5), False)
    assert target.comparator is Comparator.EXACT


@pytest.mark.parametrize(
    ("baseline_value", "baseline_year", "message"),
    [(D(1), None, "go together"), (None, 2020, "go together"), (D(1), 2025, "not before")],
)
def test_malformed_baselines_are_rejected(baseline_value, baseline_year, message):
    with pytest.raises(ValueError, match=message):
        at_least("35", baseline_value=baseline_value, baseline_year=baseline_year)


def test_zero_denominator_is_a_clear_error():
    with pytest.raises(ValueError, match="positive denominator"):
        share("3", "0")


def test_numerator_without_denominator_is_rejected():
    with pytest.raises(ValueError, match="go together"):
        Observation(2022, None, numerator=D(3))


@pytest.mark.parametrize("status", [Status.NO_DATA, Status.NO_TARGET, Status.QUALITATIVE_PENDING])
def test_reviewer_cannot_assert_computed_statuses(status):
    with pytest.raises(ValueError, match="cannot assess"):
        Observation(2022, None, qualitative_status=status)


def test_observation_accepts_database_strings():
    reported = Observation(2022, D(1), "more_than", qualitative_status="on_track")
    assert reported.qualifier is Qualifier.MORE_THAN
    assert reported.qualitative_status is Status.ON_TRACK


@pytest.mark.parametrize(
    "kwargs",
    [
        {"approximate_tolerance": D(1)},
        {"approximate_tolerance": D(-1)},
        {"at_risk_ratio": D(0)},
        {"at_risk_ratio": D("0.99")},
    ],
)
def test_inconsistent_settings_are_rejected(kwargs):
    with pytest.raises(ValueError):
        Settings(**kwargs)


def test_qualitative_target_has_no_target_value():
    with pytest.raises(ValueError, match="no number"):
        target_value(QUALITATIVE, INC)


# -------------------------------------------------------------- pace table

BASE_15 = at_least("35", baseline_value=D(15), baseline_year=2020)
BASE_40 = at_least("35", baseline_value=D(40), baseline_year=2020)
AT_MOST_BASE_70 = at_most("80", baseline_value=D(70), baseline_year=2020)
AT_LEAST_20 = at_least("20")
AT_LEAST_40 = at_least("40")

PACE_CASES = [
    # id, target, observations, direction, accumulation, as_of, period_start,
    # status, code, pace_ratio
    (
        "level single value",
        AT_LEAST_20,
        [obs("6")],
        INC,
        LEVEL,
        2022,
        2021,
        Status.NO_DATA,
        "insufficient_points",
        None,
    ),
    (
        "flow single value",
        AT_LEAST_20,
        [obs("6")],
        INC,
        FLOW,
        2022,
        2021,
        Status.NO_DATA,
        "insufficient_points",
        None,
    ),
    (
        "cumulative counts from zero",
        AT_LEAST_20,
        [obs("6")],
        INC,
        CUMULATIVE,
        2022,
        2021,
        Status.AT_RISK,
        "pace_ratio",
        "0.75",
    ),
    (
        "cumulative without period start",
        AT_LEAST_20,
        [obs("6")],
        INC,
        CUMULATIVE,
        2022,
        None,
        Status.NO_DATA,
        "insufficient_points",
        None,
    ),
    (
        "cumulative two values",
        AT_LEAST_40,
        [obs("10", 2021), obs("20", 2023)],
        INC,
        CUMULATIVE,
        2023,
        2021,
        Status.AT_RISK,
        "pace_ratio",
        "0.667",
    ),
    (
        "level two values",
        AT_LEAST_40,
        [obs("10", 2021), obs("20", 2023)],
        INC,
        LEVEL,
        2023,
        None,
        Status.AT_RISK,
        "pace_ratio",
        "0.667",
    ),
    (
        "flow two values on pace",
        AT_LEAST_40,
        [obs("10", 2021), obs("25", 2023)],
        INC,
        FLOW,
        2023,
        None,
        Status.ON_TRACK,
        "pace_ratio",
        "1",
    ),
    (
        "on track at exactly 0.95",
        BASE_15,
        [obs("22.6")],
        INC,
        LEVEL,
        2022,
        None,
        Status.ON_TRACK,
        "pace_ratio",
        "0.95",
    ),
    (
        "at risk at exactly 0.6",
        BASE_15,
        [obs("19.8")],
        INC,
        LEVEL,
        2022,
        None,
        Status.AT_RISK,
        "pace_ratio",
        "0.6",
    ),
    (
        "off track just under 0.6",
        BASE_15,
        [obs("19.79")],
        INC,
        LEVEL,
        2022,
        None,
        Status.OFF_TRACK,
        "pace_ratio",
        "0.599",
    ),
    (
        "moving the wrong way",
        BASE_15,
        [obs("10")],
        INC,
        LEVEL,
        2022,
        None,
        Status.OFF_TRACK,
        "pace_ratio",
        "-0.625",
    ),
    (
        "between: paced to the band's low end",
        between("5", "8"),
        [obs("2", 2021), obs("3", 2023)],
        INC,
        LEVEL,
        2023,
        None,
        Status.AT_RISK,
        "pace_ratio",
        "0.667",
    ),
    (
        "at most without baseline: paced from the first value down",
        T_AT_MOST,
        [obs("100", 2021), obs("92", 2023)],
        DEC,
        LEVEL,
        2023,
        None,
        Status.AT_RISK,
        "pace_ratio",
        "0.800",
    ),
    (
        "decreasing indicator with an at-least target",
        at_least("20"),
        [obs("30", 2021), obs("26", 2023)],
        DEC,
        LEVEL,
        2023,
        None,
        Status.AT_RISK,
        "pace_ratio",
        "0.800",
    ),
    (
        "lower bound too slow proves nothing",
        BASE_15,
        [obs("21.6", qualifier=MORE)],
        INC,
        LEVEL,
        2022,
        None,
        Status.AT_RISK,
        "pace_bound_inconclusive",
        None,
    ),
    (
        "lower bound fast enough proves on track",
        BASE_15,
        [obs("30", qualifier=MORE)],
        INC,
        LEVEL,
        2022,
        None,
        Status.ON_TRACK,
        "pace_ratio",
        "1.875",
    ),
    (
        "upper bound too slow proves off track",
        BASE_15,
        [obs("16", qualifier=LESS)],
        INC,
        LEVEL,
        2022,
        None,
        Status.OFF_TRACK,
        "pace_ratio",
        "0.125",
    ),
    (
        "upper bound fast enough proves nothing",
        BASE_15,
        [obs("30", qualifier=LESS)],
        INC,
        LEVEL,
        2022,
        None,
        Status.AT_RISK,
        "pace_bound_inconclusive",
        None,
    ),
    (
        "start and latest bounds pulling apart prove nothing",
        AT_LEAST_20,
        [obs("10", 2021, MORE), obs("18", 2023, MORE)],
        INC,
        LEVEL,
        2023,
        None,
        Status.AT_RISK,
        "pace_bound_inconclusive",
        None,
    ),
    (
        "start and latest bounds pulling together prove on track",
        AT_LEAST_20,
        [obs("10", 2021, LESS), obs("18", 2023, MORE)],
        INC,
        LEVEL,
        2023,
        None,
        Status.ON_TRACK,
        "pace_ratio",
        "1.600",
    ),
    (
        "decreasing: more than a figure falling too slowly proves off track",
        T_AT_MOST_BASE,
        [obs("98", 2022, MORE)],
        DEC,
        LEVEL,
        2022,
        None,
        Status.OFF_TRACK,
        "pace_ratio",
        "0.250",
    ),
    (
        "achieved early, level",
        AT_LEAST_20,
        [obs("21")],
        INC,
        LEVEL,
        2022,
        None,
        Status.ACHIEVED,
        "achieved_early",
        None,
    ),
    (
        "achieved early, cumulative",
        AT_LEAST_20,
        [obs("21")],
        INC,
        CUMULATIVE,
        2022,
        2021,
        Status.ACHIEVED,
        "achieved_early",
        None,
    ),
    (
        "flow at target level early",
        AT_LEAST_20,
        [obs("21")],
        INC,
        FLOW,
        2022,
        None,
        Status.ON_TRACK,
        "flow_level_reached",
        None,
    ),
    (
        "lower bound proves early",
        AT_LEAST_20,
        [obs("21", qualifier=MORE)],
        INC,
        LEVEL,
        2022,
        None,
        Status.ACHIEVED,
        "achieved_early",
        None,
    ),
    (
        "upper bound at target",
        AT_LEAST_20,
        [obs("25", qualifier=LESS)],
        INC,
        LEVEL,
        2022,
        None,
        Status.AT_RISK,
        "bound_inconclusive",
        None,
    ),
    (
        "start met target, fell short",
        BASE_40,
        [obs("30")],
        INC,
        LEVEL,
        2022,
        None,
        Status.OFF_TRACK,
        "regressed_past_start",
        None,
    ),
    (
        "decreasing start met, rose",
        AT_MOST_BASE_70,
        [obs("90")],
        DEC,
        LEVEL,
        2022,
        None,
        Status.OFF_TRACK,
        "regressed_past_start",
        None,
    ),
    (
        "target year met",
        AT_LEAST_20,
        [obs("21", 2025)],
        INC,
        LEVEL,
        2025,
        None,
        Status.ACHIEVED,
        "target_year_achieved",
        None,
    ),
    (
        "after target year, level met earlier",
        AT_LEAST_20,
        [obs("21", 2024)],
        INC,
        LEVEL,
        2026,
        None,
        Status.ACHIEVED,
        "achieved_early",
        None,
    ),
    (
        "after target year, yearly amount met earlier",
        AT_LEAST_20,
        [obs("21", 2023)],
        INC,
        FLOW,
        2025,
        None,
        Status.NO_DATA,
        "target_year_no_report",
        None,
    ),
    (
        "target year missed",
        AT_LEAST_20,
        [obs("19", 2025)],
        INC,
        LEVEL,
        2025,
        None,
        Status.NOT_ACHIEVED,
        "target_year_not_achieved",
        None,
    ),
    (
        "target year bound unproven",
        at_least("115"),
        [obs("50", 2025, MORE)],
        INC,
        FLOW,
        2025,
        None,
        Status.NOT_ACHIEVED,
        "target_year_bound_unproven",
        None,
    ),
    (
        "target year not reported",
        AT_LEAST_20,
        [obs("10", 2021), obs("15", 2023)],
        INC,
        LEVEL,
        2025,
        None,
        Status.NO_DATA,
        "target_year_no_report",
        None,
    ),
    (
        "decreasing target year met",
        T_AT_MOST_BASE,
        [obs("79", 2025)],
        DEC,
        LEVEL,
        2025,
        None,
        Status.ACHIEVED,
        "target_year_achieved",
        None,
    ),
]


@pytest.mark.parametrize(
    ("target", "observations", "direction", "accumulation", "as_of", "period_start",
     "status", "code", "pace_ratio"),
    [pytest.param(*case[1:], id=case[0]) for case in PACE_CASES],
)  # fmt: skip
def test_pace_table(
    target, observations, direction, accumulation, as_of, period_start, status, code,
    pace_ratio,
):  # fmt: skip
    result = pace_status(
        target, observations, direction, accumulation, as_of, period_start=period_start
    )
    assert result.status == status
    assert result.explanation.code == code
    assert result.pace_ratio == (None if pace_ratio is None else D(pace_ratio))
    assert ("pace_ratio" in result.explanation.values) == (pace_ratio is not None)


def test_a_pace_proven_by_a_bound_says_it_is_one_and_an_unproven_one_claims_nothing():
    proven = pace_status(BASE_15, [obs("30", qualifier=MORE)], INC, LEVEL, 2022)
    assert proven.explanation.values["pace_bound"] == "lower"
    assert proven.projection == D("52.5")
    unproven = pace_status(BASE_15, [obs("21.6", qualifier=MORE)], INC, LEVEL, 2022)
    assert (unproven.pace_ratio, unproven.projection, unproven.required_path) == (None, None, [])
    assert "pace_bound" not in unproven.explanation.values
    assert "projection" not in unproven.explanation.values


# A projection is the outlook of a target year still ahead. From the target year on, the
# target is judged by the figure reported for it, and without one its outcome is unknown:
# SCP-02's 2025 row gave the 12,5 of its 2022 row, there a floor, as an exact figure. The
# required path stays, for the chart.
# fmt: off
PROJECTION_CASES = [
    # id, target, observations, accumulation, as_of_year, period_start, status, code,
    # projection, projection_bound
    ("SCP-02: 5 documents by 15/7/2022, 2025 ahead", at_least("10"), [on("5", "2022-07-15")],
     CUMULATIVE, 2022, 2021, Status.ON_TRACK, "pace_ratio", "12.5", "lower"),
    ("SCP-02: nothing reported for 2025", at_least("10"), [on("5", "2022-07-15")],
     CUMULATIVE, 2025, 2021, Status.NO_DATA, "target_year_no_report", None, None),
    ("exact pace, target year ahead", AT_LEAST_20, [obs("10", 2021), obs("15", 2023)],
     LEVEL, 2023, None, Status.ON_TRACK, "pace_ratio", "20", None),
    ("exact pace, target year not reported", AT_LEAST_20, [obs("10", 2021), obs("15", 2023)],
     LEVEL, 2025, None, Status.NO_DATA, "target_year_no_report", None, None),
    ("level met earlier, seen after the target year", AT_LEAST_20,
     [obs("10", 2021), obs("21", 2024)], LEVEL, 2026, None, Status.ACHIEVED, "achieved_early",
     None, None),
    ("2030 outlook from the last closed year", at_least("40", 2030),
     [obs("10", 2021), obs("15", 2023)], LEVEL, 2025, None, Status.AT_RISK, "pace_ratio",
     "32.5", None),
    # From a bound the projection is a bound, whatever the status needed of the pace.
    ("'trên 40' of at least 35, met early", BASE_15, [obs("40", 2022, MORE)], LEVEL, 2022,
     None, Status.ACHIEVED, "achieved_early", "77.5", "lower"),
    ("'trên 40' a year, the yearly target already reached", BASE_15, [obs("40", 2022, MORE)],
     FLOW, 2022, None, Status.ON_TRACK, "flow_level_reached", "77.5", "lower"),
    ("a first value 'trên' and a last 'trên': bounds pulling both ways", AT_LEAST_20,
     [obs("5", 2021, MORE), obs("25", 2023, MORE)], LEVEL, 2023, None, Status.ACHIEVED,
     "achieved_early", None, None),
]
# fmt: on


@pytest.mark.parametrize(
    ("target", "observations", "accumulation", "as_of", "period_start", "status", "code",
     "projection", "projection_bound"),
    [pytest.param(*case[1:], id=case[0]) for case in PROJECTION_CASES],
)  # fmt: skip
def test_a_projection_is_made_only_while_the_target_year_is_ahead(
    target, observations, accumulation, as_of, period_start, status, code, projection,
    projection_bound,
):  # fmt: skip
    result = pace_status(target, observations, INC, accumulation, as_of, period_start=period_start)
    values = result.explanation.values
    assert (result.status, result.explanation.code) == (status, code)
    assert result.projection == (None if projection is None else D(projection))
    assert values.get("projection") == result.projection
    assert values.get("projection_bound") == projection_bound
    assert result.required_path and result.required_path[-1][0] == target.year


def test_no_target_in_force():
    result = pace_status(None, [obs("1")], INC, LEVEL, 2022)
    assert result.status == Status.NO_TARGET
    assert result.explanation.code == "no_target"
    assert result.achievement is None


def test_nothing_reported_up_to_as_of_year_is_no_data():
    result = pace_status(AT_LEAST_20, [obs("25", 2023)], INC, LEVEL, 2022)
    assert result.status == Status.NO_DATA
    assert result.explanation.code == "no_observations"


def test_cumulative_implicit_start_is_the_year_before_the_plan():
    result = pace_status(AT_LEAST_20, [obs("6")], INC, CUMULATIVE, 2022, period_start=2021)
    values = result.explanation.values
    assert (values["start_year"], values["start_value"]) == (2020, D(0))
    assert values["start_source"] == "implicit_zero"
    assert result.required_path[0] == (2020, D(0))
    assert result.projection == D(15)


def test_assessed_observation_is_the_latest_up_to_as_of_year():
    history = [obs("10", 2021), obs("30", 2024), obs("14", 2022)]
    result = pace_status(AT_LEAST_40, history, INC, LEVEL, 2023)
    values = result.explanation.values
    assert (values["latest_year"], values["latest_value"]) == (2022, D(14))
    assert (values["start_year"], values["start_value"]) == (2021, D(10))


def test_a_later_given_revision_of_the_same_year_wins():
    history = [obs("10", 2021), obs("14", 2022), obs("18", 2022)]
    result = pace_status(AT_LEAST_40, history, INC, LEVEL, 2022)
    assert result.explanation.values["latest_value"] == D(18)


def test_lower_bound_pace_says_at_least():
    result = pace_status(BASE_15, [obs("21.6", qualifier=MORE)], INC, LEVEL, 2022)
    assert result.explanation.values["bound"] == "lower"
    assert result.explanation.values["qualifier"] == "more_than"


def test_target_year_bound_unproven_keeps_the_lower_bound_ratio():
    result = pace_status(at_least("115"), [obs("50", 2025, MORE)], INC, FLOW, 2025)
    assert result.achievement is not None
    assert result.achievement.ratio == D("0.435")
    assert result.explanation.values["bound"] == "lower"


@pytest.mark.parametrize(
    ("target", "history", "direction"),
    [
        # "dưới 120" against at least 100: the true figure may be 110 or 50.
        (at_least("100"), [obs("120", 2025, LESS)], INC),
        # "trên 50" against at most 60 (lower is better): it may be 55 or 70.
        (at_most("60"), [obs("50", 2025, MORE)], DEC),
    ],
)
def test_a_target_year_bound_past_the_target_is_not_read_as_missed(target, history, direction):
    """Before the target year such a bound is "bound_inconclusive" (a reviewer looks); in the
    target year it read "not achieved", a shortfall the bound does not show. "Trên 50" of
    115 is a province saying it fell short; "dưới 120" of 100 is not."""
    result = pace_status(target, history, direction, LEVEL, 2025)
    assert result.achievement is not None and result.achievement.achieved is None
    assert (result.status, result.explanation.code) == (Status.AT_RISK, "bound_inconclusive")


def test_required_path_and_projection_for_decreasing_indicator():
    result = pace_status(T_AT_MOST_BASE, [obs("90")], DEC, LEVEL, 2022)
    assert [value for _, value in result.required_path] == [
        D(100), D(96), D(92), D(88), D(84), D(80)
    ]  # fmt: skip
    assert result.projection == D(75)


@pytest.mark.parametrize(
    ("history", "status", "code"),
    [
        ([Observation(2022, None, qualitative_status=Status.ON_TRACK)], Status.ON_TRACK,
         "qualitative_assessed"),
        ([Observation(2022, None)], Status.QUALITATIVE_PENDING, "qualitative_pending"),
        # Only the latest observation counts: an older assessment is stale.
        ([Observation(2021, None, qualitative_status=Status.ACHIEVED),
          Observation(2022, None)], Status.QUALITATIVE_PENDING, "qualitative_pending"),
    ],
)  # fmt: skip
def test_qualitative_status_comes_from_the_latest_review(history, status, code):
    result = pace_status(QUALITATIVE, history, INC, LEVEL, 2022)
    assert result.status == status
    assert result.explanation.code == code


def target_in_force(targets: list[Target], as_of_year: int) -> Target | None:
    """``engine.in_force`` for targets of documents with an open period."""
    return engine.in_force(((engine.Term(t.year), t) for t in targets), as_of_year)


@pytest.mark.parametrize(
    ("as_of", "expected_year"), [(2020, 2025), (2025, 2025), (2026, 2030), (2031, 2030)]
)
def test_target_in_force_is_the_nearest_coming_or_latest_past(as_of, expected_year):
    targets = [at_least("90", year=2030), at_least("50", year=2025)]
    chosen = target_in_force(targets, as_of)
    assert chosen is not None and chosen.year == expected_year


def test_no_targets_means_none_in_force():
    assert target_in_force([], 2025) is None


# Hà Nội's 266/KH-UBND (2022 alone), 263/KH-UBND (2024 alone); Bắc Kạn's 405/KH-UBND
# (2021-2030, targets for 2025 and 2030); 1419/QĐ-TTg (2009-2020, a 2015 target).
HN_2022 = engine.Term(2022, 2022, 2022)
HN_2024 = engine.Term(2024, 2024, 2024)
BK_2025 = engine.Term(2025, 2021, 2030)
BK_2030 = engine.Term(2030, 2021, 2030)
SXSH_2015 = engine.Term(2015, 2009, 2020)


@pytest.mark.parametrize(
    ("terms", "year", "expected"),
    [
        # Inside a one-year plan: its own target.
        ([HN_2022, HN_2024], 2022, HN_2022),
        ([HN_2022, HN_2024], 2024, HN_2024),
        # Before, between and after the plans: none, not the next or the last one's.
        ([HN_2022, HN_2024], 2021, None),
        ([HN_2022, HN_2024], 2023, None),
        ([HN_2022, HN_2024], 2025, None),
        # A plan to 2030: the nearest coming year, then the latest past within the period.
        ([BK_2025, BK_2030], 2022, BK_2025),
        ([BK_2025, BK_2030], 2026, BK_2030),
        ([BK_2025], 2026, BK_2025),
        ([BK_2025], 2030, BK_2025),
        ([BK_2025], 2031, None),
        # After its target year, within its period, a strategy still judges; not after it.
        ([SXSH_2015], 2017, SXSH_2015),
        ([SXSH_2015], 2021, None),
        # The next plan covering the year takes over from one that ended.
        ([HN_2022, engine.Term(2026, 2023, 2026)], 2023, engine.Term(2026, 2023, 2026)),
        # A target year outside its document's period is still in force in its own year.
        ([engine.Term(2026, 2024, 2025)], 2026, engine.Term(2026, 2024, 2025)),
        # An open period: the rule of old.
        ([engine.Term(2025)], 2031, engine.Term(2025)),
    ],
)
def test_a_target_is_in_force_within_its_documents_period(terms, year, expected):
    assert engine.in_force(((term, term) for term in terms), year) == expected


def test_of_two_targets_for_one_year_the_first_given_stands():
    later, earlier = engine.Term(2025, 2021, 2025), engine.Term(2025, 2021, 2030)
    chosen = engine.in_force([(later, "later"), (earlier, "earlier")], 2023)
    assert chosen == "later"
    # Once the later document has ended, the earlier one, still running, judges the year.
    assert engine.in_force([(later, "later"), (earlier, "earlier")], 2027) == "earlier"


@pytest.mark.parametrize(
    ("terms", "year", "expected"),
    [
        ([HN_2022, HN_2024], 2025, HN_2024),
        ([HN_2022, HN_2024], 2023, HN_2022),
        ([HN_2022, HN_2024], 2021, None),
        ([BK_2025, BK_2030], 2031, BK_2030),
        ([engine.Term(2025)], 2031, None),
    ],
)
def test_the_plan_that_ended_before_a_year(terms, year, expected):
    assert engine.ended_before(terms, year) == expected


def test_a_year_after_a_plan_has_no_target_and_names_the_plan_that_ended():
    result = engine.without_target(2025, HN_2024)
    assert (result.status, result.achievement, result.pace_ratio) == (Status.NO_TARGET, None, None)
    assert result.explanation.code == "plan_ended"
    assert result.explanation.values == {
        "as_of_year": 2025,
        "target_year": 2024,
        "period_end": 2024,
    }
    assert f"\n{result.explanation.code} " in (engine.__doc__ or "")
    assert engine.without_target(2021).explanation.code == "no_target"


@given(
    years=st.lists(st.integers(min_value=2021, max_value=2035), min_size=1, max_size=5),
    start=st.integers(min_value=2018, max_value=2030),
    length=st.integers(min_value=0, max_value=10),
    as_of=st.integers(min_value=2018, max_value=2040),
)
def test_a_chosen_target_is_always_one_whose_term_covers_the_year(years, start, length, as_of):
    terms = [engine.Term(year, start, start + length) for year in years]
    chosen = engine.in_force(((term, term) for term in terms), as_of)
    covering = [term for term in terms if term.covers(as_of)]
    assert (chosen is None) == (not covering)
    if chosen is not None:
        assert chosen in covering


# ---------------------------------------------------------------- roll-ups


@pytest.mark.parametrize(
    ("qualifiers", "expected"),
    [
        ([], EX),
        ([EX, EX], EX),
        ([EX, ABOUT], ABOUT),
        ([EX, MORE, ABOUT], MORE),
        ([LESS, EX], LESS),
        ([MORE, LESS], ABOUT),
    ],
)
def test_combine_qualifiers(qualifiers, expected):
    assert combine_qualifiers(qualifiers) == expected


def test_sum_counts_units_that_were_not_expected():
    result = sum_over_units({"01": obs("2"), "99": obs("3")}, ["01"])
    assert result.value == D(5)
    assert result.partial is False


def test_sum_of_nothing_has_no_value():
    result = sum_over_units({"01": None}, ["01", "02"])
    assert result.value is None
    assert result.partial is True
    assert result.missing == ["01", "02"]
    assert result.explanation.code == "nothing_reported"


def test_sum_rejects_a_qualitative_summand():
    with pytest.raises(ValueError, match="no numeric value"):
        sum_over_units({"01": Observation(2022, None)}, ["01"])


@pytest.mark.parametrize(
    ("count", "units"), [(-1, 63), (64, 63), (1, 0)]
)  # fmt: skip
def test_share_of_units_rejects_impossible_counts(count, units):
    with pytest.raises(ValueError):
        share_of_units(count, units)


def test_quantities_of_merged_units_add_up_with_bounds():
    parts = {"19": obs("1.5", qualifier=MORE), "06": obs("2.25")}
    result = combine_predecessors(parts, Measure.QUANTITY)
    assert isinstance(result, Derived)
    assert result.value == D("3.75")
    assert result.qualifier == Qualifier.MORE_THAN


def test_pooled_share_with_a_missing_predecessor_is_partial():
    result = combine_predecessors({"19": share("30", "60"), "06": None}, "percent")
    assert isinstance(result, Derived)
    assert result.value == D(50)
    assert result.partial is True
    assert result.missing == ["06"]


def test_pooled_share_with_no_predecessor_reporting_has_no_value():
    result = combine_predecessors({"19": None, "06": None}, Measure.PERCENT)
    assert isinstance(result, Derived)
    assert result.value is None
    assert result.explanation.code == "nothing_reported"


def test_qualitative_predecessors_are_listed_not_merged():
    parts = {"19": Observation(2025, None, qualitative_status=Status.ACHIEVED), "06": None}
    result = combine_predecessors(parts, Measure.QUALITATIVE)
    assert isinstance(result, PerUnit)
    assert result.reason == "qualitative_not_combinable"
    assert result.explanation.values["missing"] == "06"


# -------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [("0.6171", 3, "0.617"), ("0.4348", 3, "0.435"), ("0.0005", 3, "0.001"),
     ("38.05", 1, "38.1"), ("-0.0005", 3, "-0.001"), ("2.5", 0, "3")],
)  # fmt: skip
def test_round_half_up(value, places, expected):
    assert round_half_up(D(value), places) == D(expected)


@pytest.mark.parametrize(
    ("numerator", "denominator", "percent"),
    [("21.6", "35", "61.7"), ("181", "200", "90.5"), ("50", "115", "43.5"),
     ("80", "100", "80.0"), ("24", "63", "38.1")],
)  # fmt: skip
def test_reference_percentages_to_one_decimal(numerator, denominator, percent):
    assert round_half_up(share_percent(D(numerator), D(denominator)), 1) == D(percent)


# -------------------------------------------------------------- properties

amounts = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False)
positive = st.decimals(min_value="0.01", max_value=10**6, places=2, allow_nan=False)
qualifiers = st.sampled_from(list(Qualifier))
numeric_comparators = st.sampled_from(
    [Comparator.AT_LEAST, Comparator.AT_MOST, Comparator.BETWEEN, Comparator.EXACT]
)


def _targets_of(numbers: st.SearchStrategy[Decimal]) -> st.SearchStrategy[Target]:
    """Numeric 2025 targets whose bounds are drawn from ``numbers``."""

    @st.composite
    def build(draw: st.DrawFn) -> Target:
        comparator = draw(numeric_comparators)
        low, high = sorted([draw(numbers), draw(numbers)])
        approximate = draw(st.booleans())
        if comparator == Comparator.AT_MOST:
            return Target(2025, comparator, None, high, approximate)
        if comparator == Comparator.BETWEEN:
            return Target(2025, comparator, low, high, approximate)
        return Target(2025, comparator, low, None, approximate)

    return build()


def targets() -> st.SearchStrategy[Target]:
    return _targets_of(amounts)


@given(low=positive, a=amounts, b=amounts)
def test_ratio_is_monotone_in_value_for_increasing_indicators(low, a, b):
    smaller, larger = sorted([a, b])
    target = Target(2025, Comparator.AT_LEAST, low, None, False)
    assert (
        achievement(target, Observation(2022, smaller)).ratio
        <= achievement(target, Observation(2022, larger)).ratio
    )


@given(goal=amounts, a=positive, b=positive, with_baseline=st.booleans())
def test_ratio_falls_as_value_rises_for_decreasing_indicators(goal, a, b, with_baseline):
    smaller, larger = sorted([a, b])
    baseline = {"baseline_value": goal + 10, "baseline_year": 2020} if with_baseline else {}
    target = Target(2025, Comparator.AT_MOST, None, goal, False, **baseline)
    ratio_small = achievement(target, Observation(2022, smaller), DEC).ratio
    ratio_large = achievement(target, Observation(2022, larger), DEC).ratio
    assert ratio_small >= ratio_large


@given(target=targets(), value=amounts, qualifier=qualifiers, direction=st.sampled_from(Direction))
def test_a_bound_only_decides_the_side_it_proves(target, value, qualifier, direction):
    result = achievement(target, Observation(2022, value, qualifier), direction)
    if result.bound == Bound.LOWER:
        assert result.achieved is not False
    if result.bound == Bound.UPPER:
        assert result.achieved is not True


@given(target=targets(), value=amounts, qualifier=qualifiers, direction=st.sampled_from(Direction))
def test_a_decided_bound_agrees_with_the_exact_value(target, value, qualifier, direction):
    bounded = achievement(target, Observation(2022, value, qualifier), direction)
    plain = achievement(target, Observation(2022, value), direction)
    assert bounded.ratio == plain.ratio
    if bounded.achieved is not None:
        assert bounded.achieved == plain.achieved


@given(value=amounts)
def test_tren_50_never_yields_not_achieved(value):
    target = Target(2025, Comparator.AT_LEAST, D(50), None, False)
    result = achievement(target, Observation(2022, value, Qualifier.MORE_THAN))
    assert result.achieved is not False


@pytest.mark.parametrize(
    ("qualifier", "decreasing", "bound"),
    [
        (MORE, False, LOWER),
        (LESS, False, UPPER),
        (MORE, True, UPPER),
        (LESS, True, LOWER),
        (ABOUT, True, EXACT_BOUND),
        (EX, False, EXACT_BOUND),
    ],
)
def test_ratio_bound_flips_for_decreasing_forms(qualifier, decreasing, bound):
    assert ratio_bound(qualifier, decreasing) == bound


@given(target=targets(), value=amounts, direction=st.sampled_from(Direction))
def test_zero_targets_and_values_never_divide_by_zero(target, value, direction):
    for reported in (value, D(0)):
        result = achievement(target, Observation(2022, reported), direction)
        assert result.explanation.code


@given(parts=st.lists(amounts, min_size=1, max_size=12), national=st.lists(amounts, max_size=3))
def test_sum_of_parts_equals_the_whole(parts, national):
    units = [f"{index:02}" for index in range(len(parts))]
    values = {unit: Observation(2022, part) for unit, part in zip(units, parts, strict=True)}
    entries = [Observation(2022, amount) for amount in national]
    result = sum_over_units(values, units, entries)
    assert result.value == sum(parts, D(0)) + sum(national, D(0))
    assert result.partial is False


@given(parts=st.lists(amounts, min_size=2, max_size=12), cut=st.integers(min_value=1))
def test_summing_groups_of_units_equals_summing_all(parts, cut):
    units = [f"{index:02}" for index in range(len(parts))]
    values = {unit: Observation(2022, part) for unit, part in zip(units, parts, strict=True)}
    split = cut % (len(units) - 1) + 1
    first = sum_over_units({u: values[u] for u in units[:split]}, units[:split])
    rest = sum_over_units({u: values[u] for u in units[split:]}, units[split:])
    assert first.value + rest.value == sum_over_units(values, units).value


shares = st.tuples(
    st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=1000)
).filter(lambda pair: pair[0] <= pair[1])


@given(parts=st.lists(shares, min_size=1, max_size=6))
def test_combined_shares_equal_the_pooled_share(parts):
    observations = {
        f"{index:02}": share(str(num), str(den)) for index, (num, den) in enumerate(parts)
    }
    result = combine_predecessors(observations, Measure.PERCENT)
    numerator = sum(num for num, _ in parts)
    denominator = sum(den for _, den in parts)
    assert isinstance(result, Derived)
    assert result.value == share_percent(D(numerator), D(denominator))
    part_values = [observed_value(o) for o in observations.values()]
    tolerance = D("0.0001")
    assert min(part_values) - tolerance <= result.value <= max(part_values) + tolerance


@given(start=amounts, gain=positive, years_in=st.integers(min_value=1, max_value=4))
def test_a_value_on_the_required_path_is_on_track_and_projects_to_the_target(start, gain, years_in):
    goal = start + gain
    target = Target(2025, Comparator.AT_LEAST, goal, None, False, start, 2020)
    on_path = start + gain * years_in / 5
    assume(on_path < goal)
    result = pace_status(target, [Observation(2020 + years_in, on_path)], INC, LEVEL, 2024)
    assert result.status == Status.ON_TRACK
    assert result.pace_ratio == D(1)
    assert abs(result.projection - goal) <= D("0.0001")
    assert result.required_path[-1] == (2025, round_half_up(goal, 4))


@given(a=st.decimals(min_value=-3, max_value=3, places=4), b=st.decimals(-3, 3, places=4))
def test_pace_status_never_improves_as_pace_falls(a, b):
    order = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK]
    smaller, larger = sorted([a, b])
    low = order.index(status_for_pace(smaller, DEFAULT_SETTINGS))
    high = order.index(status_for_pace(larger, DEFAULT_SETTINGS))
    assert low <= high


@given(value=st.decimals(min_value=-(10**6), max_value=10**6, allow_nan=False, places=6))
def test_round_half_up_moves_at_most_half_a_unit(value):
    assert abs(round_half_up(value, 3) - value) <= D("0.0005")


@given(
    years=st.lists(st.integers(min_value=2021, max_value=2035), min_size=1, max_size=5),
    as_of=st.integers(min_value=2020, max_value=2036),
)
def test_target_in_force_prefers_the_nearest_coming_year(years, as_of):
    targets_ = [at_least("1", year=year) for year in years]
    chosen = target_in_force(targets_, as_of)
    assert chosen is not None
    coming = [year for year in years if year >= as_of]
    assert chosen.year == (min(coming) if coming else max(years))


# ------------------------------------------------- every combination runs

ALL_TARGETS = {
    "at_least": at_least("35", baseline_value=D(15), baseline_year=2020),
    "at_least_approx": at_least("35", approximate=True),
    "at_most": at_most("80", baseline_value=D(100), baseline_year=2020),
    "at_most_no_baseline": at_most("80"),
    "between": between("3", "4"),
    "exact": exact("100"),
    "qualitative": QUALITATIVE,
}


@pytest.mark.parametrize("target", ALL_TARGETS.values(), ids=ALL_TARGETS.keys())
@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("qualifier", list(Qualifier))
@pytest.mark.parametrize("accumulation", list(Accumulation))
@pytest.mark.parametrize("as_of", [2022, 2025])
@pytest.mark.parametrize("value", ["0", "3.5", "21.6", "90", "120"])
def test_every_combination_gives_a_documented_explanation(
    target, direction, qualifier, accumulation, as_of, value
):
    history = [obs("2", 2021), Observation(2022, D(value), qualifier)]
    result = pace_status(target, history, direction, accumulation, as_of, period_start=2021)
    assert f"\n{result.explanation.code} " in engine.__doc__
    if result.achievement is not None:
        assert f"\n{result.achievement.explanation.code} " in engine.__doc__
    if as_of >= target.year and target.comparator != Comparator.QUALITATIVE:
        # Judged from the target year on; with no value for it, only a level met earlier is.
        assert result.status in {Status.ACHIEVED, Status.NOT_ACHIEVED, Status.NO_DATA}
        if result.status == Status.NO_DATA:
            assert history[-1].year < target.year
    if result.status == Status.ACHIEVED and target.comparator != Comparator.QUALITATIVE:
        assert result.achievement.achieved is True


@pytest.mark.parametrize("measure", list(Measure))
@pytest.mark.parametrize("second", [None, "plain", "share"])
def test_every_merger_result_is_documented(measure, second):
    other = {None: None, "plain": obs("2"), "share": share("1", "4")}[second]
    result = combine_predecessors({"19": share("3", "6"), "06": other}, measure)
    assert f"\n{result.explanation.code} " in engine.__doc__


@pytest.mark.parametrize(
    ("target", "direction", "threshold"),
    [
        (T_APPROX, INC, D("33.25")),
        (T_AT_MOST_APPROX, DEC, D("84")),
        (T_BETWEEN_APPROX, INC, D("2.85")),
        (T_EXACT_APPROX, INC, None),
    ],
)
def test_approximate_targets_explain_their_threshold(target, direction, threshold):
    values = achievement(target, obs("50"), direction).explanation.values
    assert values["tolerance"] == D("0.05")
    assert values.get("threshold") == threshold


# ------------------------------------------------- figures some units did not report into


def test_a_share_of_units_some_did_not_report_into_is_a_floor_over_the_units_in_force():
    """Hà Nội's SCP-06-HUYEN alone in 2025: 1 of the 34 units in force, 33 silent."""
    silent = [f"P{n:02}" for n in range(33)]
    derived = share_of_units(1, 34, silent)
    assert (derived.numerator, derived.denominator) == (D(1), D(34))
    assert round_half_up(derived.value, 1) == D("2.9")
    assert (derived.partial, derived.floor, derived.missing) == (True, True, silent)
    assert derived.explanation.code == "share_of_units_partial"
    assert derived.explanation.values["missing_count"] == 33
    complete = share_of_units(1, 34)
    assert (complete.partial, complete.floor, complete.explanation.code) == (
        False,
        False,
        "share_of_units",
    )


def test_a_silent_unit_is_not_also_counted():
    with pytest.raises(ValueError):
        share_of_units(34, 34, ["01"])


def test_sums_are_floors_and_pooled_shares_are_not():
    summed = sum_over_units({"01": obs("2"), "02": None}, ["01", "02"])
    assert (summed.partial, summed.floor) == (True, True)
    merged = combine_predecessors({"19": obs("3"), "06": None}, Measure.COUNT)
    assert isinstance(merged, Derived) and merged.floor is True
    pooled = combine_predecessors({"19": share("30", "60"), "06": None}, Measure.PERCENT)
    assert isinstance(pooled, Derived) and (pooled.partial, pooled.floor) == (True, False)
    assert sum_over_units({"01": obs("2")}, ["01"]).floor is False


def _assessed_as(status: Status, code: str) -> engine.Assessment:
    return engine.Assessment(status, None, None, None, [], engine.Explanation(code, {}))


# target, direction, assessment, which end is partial, floor → whether it stands
# fmt: off
PART = [
    # Increasing, the latest figure a floor: met or on track stand, a shortfall does not.
    (at_least("80"), INC, (Status.NOT_ACHIEVED, "target_year_not_achieved"), "latest", True, False),
    (at_least("80"), INC, (Status.ACHIEVED, "target_year_achieved"), "latest", True, True),
    (at_least("80"), INC, (Status.ACHIEVED, "achieved_early"), "latest", True, True),
    (at_least("80"), INC, (Status.ON_TRACK, "flow_level_reached"), "latest", True, True),
    (at_least("80"), INC, (Status.NOT_ACHIEVED, "target_year_bound_unproven"), "latest", True, False),
    (at_least("80"), INC, (Status.ON_TRACK, "pace_ratio"), "latest", True, True),
    (at_least("80"), INC, (Status.AT_RISK, "pace_ratio"), "latest", True, False),
    (at_least("80"), INC, (Status.OFF_TRACK, "pace_ratio"), "latest", True, False),
    (at_least("80"), INC, (Status.OFF_TRACK, "regressed_past_start"), "latest", True, False),
    # … as the start of a pace: too low a start looks faster, so only off track stands.
    (at_least("80"), INC, (Status.OFF_TRACK, "pace_ratio"), "start", True, True),
    (at_least("80"), INC, (Status.OFF_TRACK, "regressed_past_start"), "start", True, True),
    (at_least("80"), INC, (Status.ON_TRACK, "pace_ratio"), "start", True, False),
    (at_least("80"), INC, (Status.AT_RISK, "pace_ratio"), "start", True, False),
    # Both ends partial: the pace is bounded neither way.
    (at_least("80"), INC, (Status.ON_TRACK, "pace_ratio"), "both", True, False),
    (at_least("80"), INC, (Status.OFF_TRACK, "pace_ratio"), "both", True, False),
    # A latest-only status reads the latest figure: a partial start does not matter.
    (at_least("80"), INC, (Status.NOT_ACHIEVED, "target_year_not_achieved"), "start", True, True),
    # Decreasing forms, the latest a floor: the complete figure is further from the target.
    (at_most("10"), INC, (Status.NOT_ACHIEVED, "target_year_not_achieved"), "latest", True, True),
    (at_most("10"), INC, (Status.NOT_ACHIEVED, "target_year_bound_unproven"), "latest", True, False),
    (at_most("10"), INC, (Status.ACHIEVED, "target_year_achieved"), "latest", True, False),
    (at_most("10"), INC, (Status.ACHIEVED, "achieved_early"), "latest", True, False),
    (at_most("10"), INC, (Status.OFF_TRACK, "pace_ratio"), "latest", True, True),
    (at_most("10"), INC, (Status.OFF_TRACK, "regressed_past_start"), "latest", True, True),
    (at_most("10"), INC, (Status.ON_TRACK, "pace_ratio"), "latest", True, False),
    (at_least("10"), DEC, (Status.NOT_ACHIEVED, "target_year_not_achieved"), "latest", True, True),
    (at_least("10"), DEC, (Status.ACHIEVED, "target_year_achieved"), "latest", True, False),
    # … as the start: too low a start makes the fall look slower, so only on track stands.
    (at_most("10"), INC, (Status.ON_TRACK, "pace_ratio"), "start", True, True),
    (at_most("10"), INC, (Status.OFF_TRACK, "pace_ratio"), "start", True, False),
    # An exact target is neither met nor missed by a one-sided figure.
    (exact("80"), INC, (Status.ACHIEVED, "target_year_achieved"), "latest", True, False),
    (exact("80"), INC, (Status.NOT_ACHIEVED, "target_year_not_achieved"), "latest", True, False),
    (exact("80"), INC, (Status.ON_TRACK, "pace_ratio"), "latest", True, False),
    (exact("80"), INC, (Status.OFF_TRACK, "pace_ratio"), "start", True, False),
    # Not a floor (a share pooled from part of the former units): nothing stands.
    (at_least("80"), INC, (Status.ACHIEVED, "target_year_achieved"), "latest", False, False),
    (at_least("80"), INC, (Status.ON_TRACK, "pace_ratio"), "latest", False, False),
    (at_least("80"), INC, (Status.OFF_TRACK, "pace_ratio"), "start", False, False),
    # Complete figures stand as they are.
    (at_least("80"), INC, (Status.NOT_ACHIEVED, "target_year_not_achieved"), "none", True, True),
    (at_least("80"), INC, (Status.OFF_TRACK, "pace_ratio"), "none", False, True),
]
# fmt: on


@pytest.mark.parametrize(("target", "direction", "assessed", "part", "floor", "stands"), PART)
def test_what_a_partial_figure_proves(target, direction, assessed, part, floor, stands):
    assert (
        engine.proven_on_part(
            _assessed_as(*assessed),
            target,
            direction,
            latest_part=part in {"latest", "both"},
            start_part=part in {"start", "both"},
            floor=floor,
        )
        is stands
    )


small_counts = st.integers(min_value=0, max_value=40).map(D)


def small_targets() -> st.SearchStrategy[Target]:
    """Targets within reach of ``small_counts``, so every status turns up."""
    return _targets_of(small_counts)


@given(
    target=small_targets(),
    direction=st.sampled_from(Direction),
    start=small_counts,
    latest=small_counts,
    silent=small_counts,
    at_start=st.booleans(),
    latest_year=st.sampled_from([2023, 2025]),
    accumulation=st.sampled_from(Accumulation),
)
@settings(max_examples=500)
def test_a_status_a_floor_proves_stands_when_the_silent_units_report(
    target, direction, start, latest, silent, at_start, latest_year, accumulation
):
    """Whatever the silent units add to the floor, a status it proves still holds: met
    stays met and missed missed; on track may turn out met early, off track missed."""

    def assessed(first: Decimal, last: Decimal) -> engine.Assessment:
        history = [Observation(2021, first), Observation(latest_year, last)]
        return pace_status(target, history, direction, accumulation, latest_year)

    partial = assessed(start, latest)
    complete = assessed(start + silent, latest) if at_start else assessed(start, latest + silent)
    proven = engine.proven_on_part(
        partial, target, direction, latest_part=not at_start, start_part=at_start, floor=True
    )
    if proven and partial.status != Status.NO_DATA:
        assert complete.status in AT_LEAST_AS_FAR[partial.status]


AT_LEAST_AS_FAR = {
    Status.ACHIEVED: {Status.ACHIEVED},
    Status.ON_TRACK: {Status.ON_TRACK, Status.ACHIEVED},
    Status.OFF_TRACK: {Status.OFF_TRACK, Status.NOT_ACHIEVED},
    Status.NOT_ACHIEVED: {Status.NOT_ACHIEVED},
}


# ------------------------------------------------- the achievement of a partial figure


@given(target=targets(), direction=st.sampled_from(Direction), value=amounts)
def test_a_floor_reads_as_a_value_reported_more_than_its_figure(target, direction, value):
    """A sum that silent units could only raise is bounded as "trên" its figure is: the
    same ratio, bound and verdict ("trên 50" of 115: at least 43,5 %, not settled)."""
    exact_figure = achievement(target, obs(str(value)), direction)
    floor = engine.floor_achievement(exact_figure, target, direction)
    reported = achievement(target, obs(str(value), qualifier=MORE), direction)
    assert (floor.ratio, floor.bound, floor.achieved) == (
        reported.ratio,
        reported.bound,
        reported.achieved,
    )
    assert floor.explanation.values.get("bound") == reported.explanation.values.get("bound")


@given(
    target=targets(),
    direction=st.sampled_from(Direction),
    qualifier=qualifiers,
    value=amounts,
    silent=amounts,
)
@settings(max_examples=500)
def test_what_a_floor_decides_holds_once_the_silent_units_report(
    target, direction, qualifier, value, silent
):
    """Whatever the silent units add, the complete figure is met when the floor says met,
    missed when it says missed, and its ratio lies on the side the bound says."""
    floor = engine.floor_achievement(
        achievement(target, Observation(2022, value, qualifier), direction), target, direction
    )
    complete = achievement(target, Observation(2022, value + silent), direction)
    if floor.achieved is not None:
        assert complete.achieved is floor.achieved
    if floor.ratio is not None and complete.ratio is not None and qualifier == EX:
        # One place either way: a ratio shown beside a miss steps off the edge it rounds to.
        step = D("0.001")
        if floor.bound == LOWER:
            assert complete.ratio >= floor.ratio - step
        else:
            assert floor.bound == UPPER and complete.ratio <= floor.ratio + step


@pytest.mark.parametrize(
    ("target", "direction", "value", "qualifier", "bound", "achieved"),
    [
        # Short of an at-least target: at least its ratio, not missed.
        (at_least("20"), INC, "14", EX, LOWER, None),
        (at_least("20"), INC, "24", EX, LOWER, True),
        # "Trên 1" among the parts: a lower bound already, decided alike.
        (at_least("20"), INC, "14", MORE, LOWER, None),
        # Past an at-most target: at most its ratio, and missed; within it, nothing settled.
        (at_most("10"), INC, "14", EX, UPPER, False),
        (at_most("10"), INC, "8", EX, UPPER, None),
        (at_most("10"), INC, "14", MORE, UPPER, False),
        # "Dưới 5" among the parts: the floor over it bounds it neither way.
        (at_least("20"), INC, "14", LESS, EXACT_BOUND, None),
        (at_least("20"), INC, "24", LESS, EXACT_BOUND, None),
        (at_most("10"), INC, "8", LESS, EXACT_BOUND, None),
        # An exact target is settled by no one-sided figure.
        (exact("20"), INC, "24", EX, LOWER, None),
        (exact("-5"), INC, "-4", EX, UPPER, None),
    ],
)
def test_the_achievement_of_a_floor(target, direction, value, qualifier, bound, achieved):
    reached = achievement(target, obs(value, qualifier=qualifier), direction)
    floor = engine.floor_achievement(reached, target, direction)
    assert (floor.ratio, floor.bound, floor.achieved) == (reached.ratio, bound, achieved)
    assert floor.explanation.code == reached.explanation.code
    assert floor.explanation.values.get("bound", "exact") == bound


SUMMED = IndicatorSpec(9, "SUM", Measure.COUNT, INC, CUMULATIVE, "sum", None, national=True)
PROVINCES = [Unit(pk, f"{pk:02}", None, None, None, f"P{pk}") for pk in (1, 2, 3, 4)]


def _national_sum(
    target: Target, indicator: IndicatorSpec, values: dict[int, list[str | None]], as_of: int
) -> dict[int, object]:
    """The national sum's rows over four provinces, each year's values in their order
    (None: silent), against a national target of a plan running 2021-2030."""
    spec = TargetSpec(
        1, None, indicator.pk, date(2021, 1, 1), 2021, "plan", target, period_end=2030
    )
    inputs = ProgressInputs(
        units=PROVINCES,
        indicators=[indicator],
        targets=[spec],
        values=[
            ValueSpec(unit.pk, indicator.pk, Observation(year, D(value)), "s")
            for year, per_unit in values.items()
            for unit, value in zip(PROVINCES, per_unit, strict=True)
            if value is not None
        ],
        plans=[],
        last_year=as_of,
        emit=frozenset({indicator.pk}),
    )
    rows = compute_rows(inputs, DEFAULT_SETTINGS)
    return {row.year: row for row in rows if row.origin == "sum"}


def _indicator(direction: Direction, accumulation: Accumulation) -> IndicatorSpec:
    return IndicatorSpec(9, "SUM", Measure.COUNT, direction, accumulation, "sum", None, True)


# target, direction, accumulation, values by year (None: a silent province), year →
# status, code, ratio, bound, achieved of the national sum's row of that year
# fmt: off
PARTIAL_SUMS = [
    # Hà Nội's 14 SCP-05 models alone in 2023, of 20-30 by 2025: on track whatever the
    # others add, and at least 70 %, neither met nor missed.
    (between("20", "30"), INC, CUMULATIVE, {2023: ["14", None, None, None]}, 2023,
     ("on_track", "pace_ratio", "0.700", LOWER, None)),
    # A floor past the target already meets it, and says "at least".
    (at_least("20"), INC, CUMULATIVE, {2023: ["24", None, None, None]}, 2023,
     ("achieved", "achieved_early", "1.200", LOWER, True)),
    (at_least("20"), INC, LEVEL, {2025: ["21", "1", None, None]}, 2025,
     ("achieved", "target_year_achieved", "1.100", LOWER, True)),
    # Short of it in the target year: not judged, and not missed either.
    (at_least("20"), INC, LEVEL, {2025: ["14", None, None, None]}, 2025,
     ("no_data", "partial_unjudged", "0.700", LOWER, None)),
    # One figure and no baseline show no pace: still only a floor of its achievement.
    (at_least("20"), INC, LEVEL, {2023: ["14", None, None, None]}, 2023,
     ("no_data", "insufficient_points", "0.700", LOWER, None)),
    # An at-most target: a floor past it is missed, however the rest report, and its
    # ratio (target ÷ value) is at most what it shows.
    (at_most("10"), INC, LEVEL, {2025: ["7", "7", None, None]}, 2025,
     ("not_achieved", "target_year_not_achieved", "0.714", UPPER, False)),
    # … a floor within it proves nothing.
    (at_most("10"), INC, LEVEL, {2025: ["8", None, None, None]}, 2025,
     ("no_data", "partial_unjudged", "1.250", UPPER, None)),
    # … nor does a fall on course to it from a complete start, but a floor already past
    # it is missed as it stands.
    (at_most("10"), DEC, LEVEL, {2021: ["9", "7", "7", "7"], 2023: ["7", "7", None, None]}, 2023,
     ("no_data", "partial_unjudged", "0.714", UPPER, False)),
    # An exact target is neither met nor missed by a one-sided figure.
    (exact("20"), INC, LEVEL, {2025: ["24", None, None, None]}, 2025,
     ("no_data", "partial_unjudged", "1.200", LOWER, None)),
    # Every province reported: the figure is exact, and judged as it is.
    (between("20", "30"), INC, CUMULATIVE, {2023: ["3", "4", "3", "4"]}, 2023,
     ("on_track", "pace_ratio", "0.700", EXACT_BOUND, False)),
]
# fmt: on


@pytest.mark.parametrize(
    ("target", "direction", "accumulation", "values", "year", "expected"), PARTIAL_SUMS
)
def test_the_achievement_of_a_sum_some_units_did_not_report_into(
    target, direction, accumulation, values, year, expected
):
    row = _national_sum(target, _indicator(direction, accumulation), values, year)[year]
    assert (row.status, row.explanation_code, row.ratio, row.bound, row.achieved) == (
        expected[0],
        expected[1],
        D(expected[2]),
        expected[3],
        expected[4],
    )
    assert row.partial is (None in values[year])
    assert row.explanation_values["achievement"].get("bound", "exact") == expected[3]


MERGED = Unit(20, "20", date(2025, 7, 1), None, None, "Mới")
FORMER = [
    Unit(pk, f"{pk}", None, date(2025, 6, 30), MERGED.pk, name)
    for pk, name in [(21, "Cũ A"), (22, "Cũ B")]
]

# measure, accumulation, the two former units' 2023 values (None: silent), the merged
# unit's target → status, code, ratio, bound, achieved of the former units combined in 2023
# fmt: off
PARTIAL_MERGERS = [
    # A total one former unit did not report into is a floor: on track, at least 60 %.
    (Measure.COUNT, CUMULATIVE, [obs("6", 2023), None], at_least("10"),
     ("on_track", "pace_ratio", "0.600", LOWER, None)),
    # … and already past the target, met.
    (Measure.COUNT, CUMULATIVE, [obs("12", 2023), None], at_least("10"),
     ("achieved", "achieved_early", "1.200", LOWER, True)),
    # A share pooled from one former unit could move either way: no verdict, and no bound.
    (Measure.PERCENT, LEVEL, [share("30", "60", 2023), None], at_least("80"),
     ("no_data", "insufficient_points", "0.625", EXACT_BOUND, None)),
    (Measure.PERCENT, LEVEL, [share("30", "60", 2023), share("10", "40", 2023)], at_least("80"),
     ("no_data", "insufficient_points", "0.500", EXACT_BOUND, False)),
]
# fmt: on


@pytest.mark.parametrize(
    ("measure", "accumulation", "values", "target", "expected"), PARTIAL_MERGERS
)
def test_the_achievement_of_former_units_combined_without_one_of_them(
    measure, accumulation, values, target, expected
):
    indicator = IndicatorSpec(9, "X", measure, INC, accumulation, "", None, national=True)
    spec = TargetSpec(1, MERGED.pk, 9, date(2021, 1, 1), 2021, "plan", target, period_end=2030)
    inputs = ProgressInputs(
        units=[*FORMER, MERGED],
        indicators=[indicator],
        targets=[spec],
        values=[
            ValueSpec(unit.pk, 9, value, "s")
            for unit, value in zip(FORMER, values, strict=True)
            if value is not None
        ],
        plans=[],
        last_year=2024,
        emit=frozenset({9}),
    )
    (row,) = [
        row
        for row in compute_rows(inputs, DEFAULT_SETTINGS)
        if (row.origin, row.year) == ("predecessors", 2023)
    ]
    assert (row.status, row.explanation_code, row.ratio, row.bound, row.achieved) == (
        expected[0],
        expected[1],
        D(expected[2]),
        expected[3],
        expected[4],
    )
    assert row.partial is (None in values)
