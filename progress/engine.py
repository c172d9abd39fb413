"""Target-versus-actual arithmetic for SXTD Tracker (QĐ 889/QĐ-TTg, 2021-2030).

Pure functions over frozen dataclasses: no Django, no Celery, no ORM, so every
target shape can be tested exhaustively and recomputed anywhere.

Numbers
-------
* Reported values, sums, shares, slopes, projections and path points are
  ``Decimal``.  Shares (numerator/denominator * 100), slopes, projections and
  path points are rounded half-up to ``VALUE_PLACES`` (4) decimals, which is
  finer than anything the provinces report.
* Ratios (achievement and pace) are ``Decimal`` rounded half-up to
  ``RATIO_PLACES`` (3) decimals, so that ``ratio_as_percent`` shows exactly
  the one-decimal percentage the pages print (0.617 → 61,7 %).
* Every decision (achieved, on track, …) is taken on unrounded numbers: a
  rounded ratio of 1.000 must never turn 99.96 % into "achieved". Nor is it
  shown: a missed target's ratio that would round to 1.000 is shown 0.999 (or
  1.001 for an exact target overshot).

Targets in force
----------------
A target belongs to its document's period (``in_force``, the one rule the entry form,
the exports and the progress rows apply). A year is judged against the targets of the
documents whose period covers it: the nearest target year at or after it (2025 before
2030), else the latest before it, whose after-target-year rules then apply (Bắc Kạn's
405/KH-UBND runs 2021-2030 with OCOP targets for 2025: its 2026 row keeps the 2025
outcome). A year no such period covers has no target in force (``plan_ended`` when a plan
that set one ended before it): Hà Nội's 263/KH-UBND covers 2024 alone, so a 2025 figure is
not measured against its 2024 target, and the years between two plans (2023, after
266/KH-UBND's 2022) have none either. The plan's outcome stays on its own years: the
target year's row (always in force in its own year) and any later year of its period.

Explanation codes
-----------------
Every result carries ``Explanation(code, values)``; the Django side turns the
code into one translated sentence filled with ``values``.

Achievement (``achievement``):

=================================== ==========================================
code                                meaning
=================================== ==========================================
at_least_ratio                      ratio = value / low
between_ratio                       ratio = value / low; ``position`` tells
                                    below / within / above the band low-high
exact_ratio                         ratio = value / low; achieved only when
                                    equal (below 0 too: -4 of -5 is 0.8)
exact_ratio_approximate             an approximate exact target ("khoảng
                                    100"): ratio = value / low; achieved
                                    within ``tolerance`` of low either side
decrease_from_baseline              ratio = (baseline - value) /
                                    (baseline - target)
decrease_from_baseline_approximate  the same for "khoảng": ``tolerance`` is of
                                    the reduction, met from ratio 1 -
                                    tolerance (``threshold``: khoảng 80 from
                                    100 at 81)
decrease_without_baseline           no baseline: ratio = target / value,
                                    achieved when value ≤ target
decrease_baseline_not_above_target  the baseline already met the target, so
                                    the baseline form is meaningless:
                                    ratio = target / value instead
zero_target                         target is 0 in an increasing form: no
                                    ratio, only achieved / not achieved
target_below_zero                   an at_least / between target below 0 in
                                    an increasing form ("at least -5"), which
                                    0 already meets: no ratio, only achieved /
                                    not achieved
reduction_from_zero                 a decreasing form's target below 0 with no
                                    baseline above it: a reduction given as a
                                    change ("-3 %"), ratio = value / target,
                                    the share of it made from no change
zero_value                          value is 0 in target / value: no ratio
value_below_zero                    value below 0 in target / value (a target
                                    of 0 or more): no ratio
qualitative_assessed                reviewer's ``status`` decides
qualitative_pending                 qualitative target, no reviewer status
=================================== ==========================================

Values an achievement explanation may carry: ``comparator``, ``year``,
``value``, ``low``, ``high``, ``ratio``, ``target`` and ``baseline`` /
``baseline_year`` (decreasing forms), ``position`` (between),
``tolerance`` (approximate targets, "khoảng") and ``threshold`` (where an
approximate at_least / at_most / between target starts to count), ``qualifier``
(the flag for "trên", "dưới", "khoảng" values), ``bound`` ("lower": the page
says "at least", "upper": "at most"), ``numerator`` / ``denominator``
(shares), ``status`` (qualitative), ``value_as_of`` (the ISO day of an
interim figure, one before its year's end: "as of 15/7/2022").

Assessment (``pace_status``):

=========================== ========== =======================================
code                        status     meaning
=========================== ========== =======================================
no_target                   no_target  no target in force (see Targets in force)
plan_ended                  no_target  no target in force, and one was: the
                                       latest (``target_year``) belongs to a
                                       document whose period ended in
                                       ``period_end``, before ``as_of_year``
no_own_target               no_target  (set in progress.compute) a unit's row, and
                                       the unit (``unit``, ``unit_from``,
                                       ``unit_until``) has no target of its own
                                       for the indicator in any plan
no_own_target_national      no_target  the same, while a national target
                                       (``target_year``) is in force: it is
                                       judged on the national rows only
no_observations             no_data    nothing reported up to ``as_of_year``
qualitative_assessed        reviewer's the reviewer's status of the latest
                                       observation
qualitative_pending         qualitative_pending
target_year_achieved        achieved   the value of the target year (or a
                                       later one) meets the target
target_year_not_achieved    not_ach.   the value of the target year (or a
                                       later one) misses the target
target_year_bound_unproven  not_ach.   the value is a bound short of the target,
                                       which cannot prove it met ("at least
                                       43,5 %")
target_year_interim         at_risk    the value of the target year (or a
                                       later one) is as of ``value_as_of``,
                                       before its year's end, and does not
                                       settle the target: a level short of it,
                                       a yearly amount or running total short
                                       of an increasing target or within a
                                       decreasing / at_most one (the rest of
                                       the year may still change it)
target_year_no_report       no_data    nothing reported for the target year
                                       or later, and no earlier value settles
                                       it: a shortfall is not proven, and a
                                       yearly amount is the target year's own;
                                       nor is the year's figure projected
achieved_early              achieved   a level or running total met before the
                                       target year (also seen after it)
flow_level_reached          on_track   a yearly amount already at the target
                                       level; the target is the amount *in*
                                       the target year, so not yet achieved
bound_inconclusive          at_risk    an "at most" bound sits at or past the
                                       target: it can prove neither success
                                       nor shortfall, so a reviewer looks
                                       (before the target year, or in it)
insufficient_points         no_data    one value and no baseline cannot show
                                       a pace
nothing_after_baseline      no_data    the target's baseline year
                                       (``baseline_year``) is not before the
                                       latest value: no progress under the
                                       plan is measured yet
regressed_past_start        off_track  the start point already met the target
                                       and the latest value has fallen short
pace_bound_inconclusive     at_risk    the latest or the first value is a bound,
                                       and the pace it gives cannot prove the
                                       status (a lower bound proves on track
                                       only, an upper bound off track only):
                                       no pace ratio or projection is claimed
pace_ratio                  on_track / observed slope / required slope
                            at_risk /
                            off_track
=========================== ========== =======================================

Values an assessment explanation may carry: ``as_of_year``, ``target_year``,
``period_end`` (plan_ended), ``value_as_of`` (the latest value's, when interim),
``latest_year``, ``latest_value``, ``target_value``, ``bound``,
``qualifier``, ``start_year``, ``start_value``, ``start_source`` (baseline /
first_observation / implicit_zero), ``observed_slope``, ``required_slope``,
``pace_ratio``, ``pace_bound`` and ``projection_bound`` ("lower" / "upper": a
bound gave a bound on the pace and on the projection), ``projection`` (only while
the target year is after ``as_of_year``: see ``trajectory``), ``status``.

Roll-ups:

A roll-up some units did not report into is ``partial`` and names them in
``missing``. It is a *floor* (``Derived.floor``) when each silent unit could
only raise it: a sum of counts or quantities, or a share of units meeting a
condition over the units in force (SCP-06: a silent province may run a
campaign, never un-run one). A floor proves only the side it is already on:
for an increasing target, as the latest figure, met or on track; for a
decreasing form (a decreasing indicator, an at_most target), not achieved or
off track, since the complete figure can only be further from it. As the
start of a pace the sides swap. A share pooled from part of the units
(``predecessors_pooled_share``) can move either way, and proves nothing.
Whether its status stands or not, a partial latest figure's achievement is
that of a part: a floor's is bounded as a value reported "trên" its figure
is (``floor_achievement``), a pooled share's settles nothing.

Units are named by the strings the roll-up is given (``progress.compute``
passes their names). That step adds ``until``: the last day of each unit named
in ``missing`` or ``units`` that has ended, by name, from which a page labels
it as everywhere ("Thái Nguyên (until 30/6/2025)", ``provinces.labels``).

=========================== ==================================================
code                        meaning
=========================== ==================================================
sum_over_units              value = sum over reporting units + national
                            entries; ``missing`` names silent units
predecessors_summed         count / quantity of a merged unit = sum of its
                            former units
predecessors_pooled_share   percent of a merged unit = Σ numerators /
                            Σ denominators * 100
share_of_units              value = count / units in force * 100
share_of_units_partial      the same, while ``missing_count`` units in force
                            (named in ``missing``) did not report into it:
                            each could only add to the count, so the value
                            is a floor; the denominator stays the units in
                            force
plan_register               (set in progress.compute) share_of_units from
                            the register of provincial plans, naming the
                            ``plans`` counted
nothing_reported            no unit reported anything: no value
nothing_reported_in_force   (set in progress.compute) a sum no unit in force
                            reported into, while a former unit reported for
                            its area (``areas``): no value
area_in_successor           (a note in a sum's ``areas``) a former unit's
                            value for its area after it ended, not added:
                            it is inside its ``successor``'s own figure
area_in_successor_missing   the same, while the successor's figure is
                            missing
partial_unjudged            (status, set in progress.compute) some units did
                            not report into the latest figure, which then
                            proves only what a part can (``proven_on_part``):
                            a floor (a sum, a share of units) an increasing
                            target met or on track, a decreasing or at_most
                            one not achieved or off track; a share pooled
                            from part of the units nothing; else no_data,
                            with ``missing_count``
partial_start_unjudged      (status, set in progress.compute) some units did
                            not report into the figure the pace starts from:
                            a floor there makes an increasing pace look
                            faster, so only off track stands, and a
                            decreasing one slower, so only on track; else
                            no_data
register_incomplete         (status, set in progress.compute) the register
                            covers fewer units with a plan than the ministry
                            reported (``count``, ``reported_count``,
                            ``reported_year``): it is missing plans, so its
                            share is a floor that proves a target met or on
                            track only; else no_data
shares_not_combinable       (PerUnit) a former unit gave a percentage without
                            numerator and denominator; averaging would be
                            wrong, so each former unit is shown alone
qualitative_not_combinable  (PerUnit) qualitative results cannot be merged
=========================== ==================================================
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

RATIO_PLACES = 3
VALUE_PLACES = 4
PERCENT_PLACES = 1

# A list holds notes the sentence appends, each with its own code and values (``areas``);
# a dict, the last day of each unit named that has ended (``until``, set in progress.compute).
ExplanationValue = Decimal | int | str | list[dict[str, Decimal | int | str]] | dict[str, str]
T = TypeVar("T")


class Comparator(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    BETWEEN = "between"
    EXACT = "exact"
    QUALITATIVE = "qualitative"


class Qualifier(StrEnum):
    """How a value was reported: "trên 50" is more_than, "khoảng" is about."""

    EXACT = "exact"
    MORE_THAN = "more_than"
    LESS_THAN = "less_than"
    ABOUT = "about"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Accumulation(StrEnum):
    LEVEL = "level"
    CUMULATIVE = "cumulative"
    FLOW = "flow"


class Measure(StrEnum):
    PERCENT = "percent"
    COUNT = "count"
    QUANTITY = "quantity"
    QUALITATIVE = "qualitative"


class Status(StrEnum):
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"
    QUALITATIVE_PENDING = "qualitative_pending"


class Bound(StrEnum):
    """Whether a ratio is exact or only a bound on the true ratio."""

    EXACT = "exact"
    LOWER = "lower"
    UPPER = "upper"


# The assessment codes read from the latest figure alone, with no pace from a start to it
# (see the code table above).
LATEST_ONLY_CODES = frozenset(
    {
        "achieved_early",
        "flow_level_reached",
        "target_year_achieved",
        "target_year_not_achieved",
        "target_year_bound_unproven",
        "target_year_interim",
    }
)

# The statuses a reviewer may give a qualitative result; the others are
# computed conditions that a person cannot assert.
REVIEWER_STATUSES = frozenset(
    {
        Status.ACHIEVED,
        Status.NOT_ACHIEVED,
        Status.ON_TRACK,
        Status.AT_RISK,
        Status.OFF_TRACK,
    }
)


@dataclass(frozen=True, slots=True)
class Settings:
    approximate_tolerance: Decimal = Decimal("0.05")
    on_track_ratio: Decimal = Decimal("0.95")
    at_risk_ratio: Decimal = Decimal("0.6")

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.approximate_tolerance < 1:
            raise ValueError("approximate_tolerance must be in [0, 1)")
        if not Decimal(0) < self.at_risk_ratio <= self.on_track_ratio:
            raise ValueError("need 0 < at_risk_ratio <= on_track_ratio")


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True, slots=True)
class Target:
    """A chỉ tiêu for one year.

    at_least uses ``low``; at_most uses ``high``; between uses both; exact
    uses ``low`` (``high`` may repeat it); qualitative uses neither.
    ``approximate`` marks "khoảng 35 MW".
    """

    year: int
    comparator: Comparator
    low: Decimal | None
    high: Decimal | None
    approximate: bool
    baseline_value: Decimal | None = None
    baseline_year: int | None = None

    def __post_init__(self) -> None:
        # Database rows arrive as plain strings.
        object.__setattr__(self, "comparator", Comparator(self.comparator))
        _check_target_bounds(self.comparator, self.low, self.high)
        _check_baseline(self.baseline_value, self.baseline_year, self.year)


def _check_target_bounds(comparator: Comparator, low: Decimal | None, high: Decimal | None) -> None:
    uses_low = comparator in {Comparator.AT_LEAST, Comparator.BETWEEN, Comparator.EXACT}
    uses_high = comparator in {Comparator.AT_MOST, Comparator.BETWEEN}
    if uses_low and low is None:
        raise ValueError(f"a {comparator} target needs low")
    if uses_high and high is None:
        raise ValueError(f"a {comparator} target needs high")
    # A bound the comparator ignores is a data-entry mistake, not a no-op.
    if not uses_low and low is not None:
        raise ValueError(f"a {comparator} target takes no low")
    if not uses_high and high is not None and comparator != Comparator.EXACT:
        raise ValueError(f"a {comparator} target takes no high")
    if comparator == Comparator.EXACT and high is not None and high != low:
        raise ValueError("an exact target needs high equal to low")
    if comparator == Comparator.BETWEEN and low is not None and high is not None and low > high:
        raise ValueError(f"a between target needs low <= high, got {low}-{high}")


def _check_baseline(value: Decimal | None, year: int | None, target_year: int) -> None:
    if (value is None) != (year is None):
        raise ValueError("baseline_value and baseline_year go together")
    if year is not None and year >= target_year:
        raise ValueError(f"baseline year {year} is not before target year {target_year}")


# Not frozen, though never changed once built: a national run builds one for each value
# it reads, and a frozen dataclass's __init__ (object.__setattr__ for every field) took
# four times as long, a tenth of a full run.
@dataclass(slots=True)
class Observation:
    """One reported value.

    ``value`` is None only for qualitative indicators or when the value is a
    share given by ``numerator`` and ``denominator`` (which then win: the
    stored percentage may have been rounded by the province). ``as_of``: the
    day the figure stands for, when the source gives one (see ``interim``).
    """

    year: int
    value: Decimal | None
    qualifier: Qualifier = Qualifier.EXACT
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    qualitative_status: Status | None = None
    as_of: date | None = None

    def __post_init__(self) -> None:
        # Checking first: converting a member again cost a full recompute about 5 % of its time.
        if type(self.qualifier) is not Qualifier:
            self.qualifier = Qualifier(self.qualifier)
        if self.qualitative_status is not None:
            status = Status(self.qualitative_status)
            if status not in REVIEWER_STATUSES:
                raise ValueError(f"a reviewer cannot assess a result as {status}")
            self.qualitative_status = status
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("numerator and denominator go together")
        if self.numerator is not None and self.denominator is not None:
            share_percent(self.numerator, self.denominator)


# Not frozen, though never changed once built, for the cost of a frozen dataclass's
# __init__ (see Observation): every assessment and derived value has one.
@dataclass(slots=True)
class Explanation:
    code: str
    values: dict[str, ExplanationValue] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Achievement:
    """How far one observation goes towards a target.

    ``ratio`` is a Decimal rounded to 3 places (None when undefined);
    ``bound`` says whether it is exact or only a lower/upper bound;
    ``achieved`` is None when a bound cannot decide.
    """

    ratio: Decimal | None
    bound: Bound
    achieved: bool | None
    explanation: Explanation


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    achievement: Achievement | None
    pace_ratio: Decimal | None
    projection: Decimal | None
    required_path: list[tuple[int, Decimal]]
    explanation: Explanation


# Not frozen, though never changed once built (see Observation): a national run derives
# one for each year of each roll-up and merged unit.
@dataclass(slots=True)
class Derived:
    """A value computed from other values (sums, shares, merged units)."""

    value: Decimal | None
    partial: bool
    missing: list[str]
    qualifier: Qualifier
    explanation: Explanation
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    # Partial, and the missing units could only raise the value (a sum, a count of units
    # meeting a condition): it is a lower bound on the complete figure.
    floor: bool = False


@dataclass(frozen=True, slots=True)
class PerUnit:
    """Former units shown side by side because their values cannot merge."""

    observations: dict[str, Observation | None]
    reason: str
    explanation: Explanation


# ---------------------------------------------------------------- numbers


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Vietnamese reports round 0,05 up; Decimal's default is banker's rounding."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio_as_percent(ratio: Decimal) -> Decimal:
    """0.617 → 61.7: the one-decimal percentage the pages print."""
    return round_half_up(ratio * 100, PERCENT_PLACES)


def share_percent(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator * 100, rounded to VALUE_PLACES."""
    if denominator <= 0:
        raise ValueError(f"a share needs a positive denominator, got {numerator}/{denominator}")
    return round_half_up(numerator / denominator * 100, VALUE_PLACES)


def observed_value(observation: Observation) -> Decimal | None:
    """The number an observation stands for; a share is recomputed from num/den."""
    if observation.numerator is not None and observation.denominator is not None:
        return share_percent(observation.numerator, observation.denominator)
    return observation.value


def interim(observation: Observation) -> bool:
    """Whether the figure stands for a day before its year's end (Hà Nội's 80 % of
    supermarkets as of 15/7/2022): what was reached by then, not the year's figure."""
    as_of = observation.as_of
    return as_of is not None and as_of < date(observation.year, 12, 31)


def pace_qualifier(observation: Observation, accumulation: Accumulation) -> Qualifier:
    """How a point of a pace bounds its year's figure. A running total or a yearly amount
    as of 30 June only grows by 31 December: as a point of the pace it is a lower bound,
    "more than" its figure, or a half year's amount would read as a collapse. A level as of
    a day stands for its year. ("Dưới 50" as of 30 June bounds its year nowhere; it is left
    as reported.)"""
    partial_year = interim(observation) and accumulation != Accumulation.LEVEL
    if partial_year and observation.qualifier != Qualifier.LESS_THAN:
        return Qualifier.MORE_THAN
    return observation.qualifier


def _numeric_value(observation: Observation) -> Decimal:
    value = observed_value(observation)
    if value is None:
        raise ValueError(f"the {observation.year} observation has no numeric value")
    return value


# ----------------------------------------------------------- achievement


def uses_decreasing_form(target: Target, direction: Direction) -> bool:
    """at_most targets and every target of a lower-is-better indicator."""
    return direction == Direction.DECREASE or target.comparator == Comparator.AT_MOST


def target_value(target: Target, direction: Direction) -> Decimal:
    """The one number that counts as "met" in the good direction.

    For a between band ("giảm 3-4 %") that is the edge reached first: low when
    higher is better, high when lower is better.
    """
    high_is_goal = target.comparator == Comparator.AT_MOST or (
        target.comparator == Comparator.BETWEEN and direction == Direction.DECREASE
    )
    value = target.high if high_is_goal else target.low
    if value is None:
        raise ValueError(f"a {target.comparator} target has no number to reach")
    return value


def _tolerance(target: Target, settings: Settings) -> Decimal:
    return settings.approximate_tolerance if target.approximate else Decimal(0)


def _origin(target: Target, goal: Decimal, decreasing: bool) -> Decimal:
    """Where the achievement percentage is measured from: the baseline of a reduction (a
    decreasing form with a baseline above its target), else zero."""
    baseline = target.baseline_value
    if decreasing and baseline is not None and baseline > goal:
        return baseline
    return Decimal(0)


def _threshold(target: Target, goal: Decimal, tolerance: Decimal, decreasing: bool) -> Decimal:
    """Where an approximate ("khoảng") target starts to count as met: ``tolerance`` of the
    distance from the percentage's origin to the target, zero or the baseline of a
    reduction. A share of the way then counts as met from the same 95 % (at 5 %) in every
    form: "khoảng 35" from 33,25 (value ÷ low), "khoảng 80" from a baseline of 100 at 81, 95 %
    of the reduction, not at 84, 80 % of it. Without a baseline, "khoảng 80" at most is
    met up to 84, the mirror of at least (target ÷ value: 95,2 %)."""
    slack = tolerance * abs(goal - _origin(target, goal, decreasing))
    return goal + slack if decreasing else goal - slack


def approximate_threshold(
    target: Target, direction: Direction, settings: Settings
) -> Decimal | None:
    """Where an approximate at_least / at_most / between target starts to count as met
    (khoảng 35 MW: 33,25); None for other targets, and for an exact one, met within
    tolerance on both sides."""
    if not target.approximate or target.comparator == Comparator.EXACT:
        return None
    decreasing = uses_decreasing_form(target, direction)
    goal = target_value(target, direction)
    return _threshold(target, goal, settings.approximate_tolerance, decreasing)


def meets_target(target: Target, value: Decimal, direction: Direction, settings: Settings) -> bool:
    """Whether ``value``, taken as exact, meets the target."""
    goal = target_value(target, direction)
    tolerance = _tolerance(target, settings)
    if target.comparator == Comparator.EXACT:
        return abs(value - goal) <= abs(goal) * tolerance
    decreasing = uses_decreasing_form(target, direction)
    threshold = _threshold(target, goal, tolerance, decreasing)
    return value <= threshold if decreasing else value >= threshold


def ratio_bound(qualifier: Qualifier, decreasing: bool) -> Bound:
    """A lower bound on the value is a lower bound on an increasing ratio.

    In decreasing forms the ratio falls as the value rises, so the bound flips.
    """
    bound = {Qualifier.MORE_THAN: Bound.LOWER, Qualifier.LESS_THAN: Bound.UPPER}.get(
        qualifier, Bound.EXACT
    )
    if not decreasing or bound == Bound.EXACT:
        return bound
    return Bound.UPPER if bound == Bound.LOWER else Bound.LOWER


def _decide(meets: bool, bound: Bound, comparator: Comparator) -> bool | None:
    """A lower bound can only prove success, an upper bound only failure."""
    if bound == Bound.EXACT:
        return meets
    # A one-sided value can never prove equality; rather than decide only the
    # overshooting half of the cases, an exact target stays unknown.
    if comparator == Comparator.EXACT:
        return None
    if bound == Bound.LOWER:
        return True if meets else None
    return None if meets else False


_INCREASING_CODES = {
    Comparator.AT_LEAST: "at_least_ratio",
    Comparator.BETWEEN: "between_ratio",
    Comparator.EXACT: "exact_ratio",
}


def _ratio_and_code(
    target: Target, value: Decimal, direction: Direction
) -> tuple[Decimal | None, str]:
    goal = target_value(target, direction)
    if not uses_decreasing_form(target, direction):
        if goal == 0:
            return None, "zero_target"
        if goal < 0 and target.comparator != Comparator.EXACT:
            # Zero itself already meets "at least -5": value ÷ low would call -4 80 % and
            # -6 120 %. An exact target's -4 of -5 is 80 % of the amount, as for 4 of 5.
            return None, "target_below_zero"
        if target.comparator == Comparator.EXACT and target.approximate:
            # Met within the tolerance either side, not only when equal.
            return value / goal, "exact_ratio_approximate"
        return value / goal, _INCREASING_CODES[target.comparator]
    baseline = target.baseline_value
    if baseline is not None and baseline > goal:
        ratio = (baseline - value) / (baseline - goal)
        # The tolerance of "khoảng" is then of the reduction (see ``_threshold``): said so.
        if target.approximate and target.comparator != Comparator.EXACT:
            return ratio, "decrease_from_baseline_approximate"
        return ratio, "decrease_from_baseline"
    if goal < 0:
        # A reduction given as a change below zero ("-3 %"): the share of it made, measured
        # from no change, where target ÷ value would call -4 75 % and -2 150 %.
        return value / goal, "reduction_from_zero"
    if value < 0:
        # Target ÷ value changes sign there: 80 ÷ -5 is no percentage of anything.
        return None, "value_below_zero"
    if value == 0:
        return None, "zero_value"
    if baseline is None:
        return goal / value, "decrease_without_baseline"
    return goal / value, "decrease_baseline_not_above_target"


def band_position(value: Decimal, low: Decimal, high: Decimal) -> str:
    if value < low:
        return "below"
    return "above" if value > high else "within"


def _band_fields(target: Target, value: Decimal) -> dict[str, ExplanationValue]:
    if target.comparator != Comparator.BETWEEN or target.low is None or target.high is None:
        return {}
    return {"position": band_position(value, target.low, target.high)}


def _target_fields(
    target: Target, direction: Direction, settings: Settings
) -> dict[str, ExplanationValue]:
    fields: dict[str, ExplanationValue] = {"comparator": target.comparator.value}
    if target.low is not None:
        fields["low"] = target.low
    if target.high is not None:
        fields["high"] = target.high
    decreasing = uses_decreasing_form(target, direction)
    if decreasing:
        fields["target"] = target_value(target, direction)
    baseline_year = target.baseline_year
    if decreasing and target.baseline_value is not None and baseline_year is not None:
        fields["baseline"] = target.baseline_value
        fields["baseline_year"] = baseline_year
    if target.approximate:
        fields["tolerance"] = settings.approximate_tolerance
    threshold = approximate_threshold(target, direction, settings)
    if threshold is not None:
        fields["threshold"] = threshold
    return fields


def _observation_fields(
    observation: Observation, value: Decimal, bound: Bound
) -> dict[str, ExplanationValue]:
    fields: dict[str, ExplanationValue] = {"year": observation.year, "value": value}
    if interim(observation):
        fields["value_as_of"] = str(observation.as_of)
    if observation.qualifier != Qualifier.EXACT:
        fields["qualifier"] = observation.qualifier.value
    if bound != Bound.EXACT:
        fields["bound"] = bound.value
    if observation.numerator is not None and observation.denominator is not None:
        fields["numerator"] = observation.numerator
        fields["denominator"] = observation.denominator
    return fields


def _qualitative_achievement(observation: Observation) -> Achievement:
    status = observation.qualitative_status
    if status is None:
        explanation = Explanation("qualitative_pending", {"year": observation.year})
        return Achievement(None, Bound.EXACT, None, explanation)
    explanation = Explanation(
        "qualitative_assessed", {"year": observation.year, "status": status.value}
    )
    return Achievement(None, Bound.EXACT, status == Status.ACHIEVED, explanation)


def _value_bound(qualifier: Qualifier, target: Target, direction: Direction) -> Bound:
    """How a value's qualifier bounds its achievement ratio against ``target``."""
    decreasing = uses_decreasing_form(target, direction)
    # value ÷ an exact target below zero falls as the value rises, as a decreasing form's
    # ratio does: "more than -4" of exactly -5 is at most 80 %.
    below_zero = target.comparator == Comparator.EXACT and target_value(target, direction) < 0
    return ratio_bound(qualifier, decreasing or below_zero)


def achievement(
    target: Target,
    observation: Observation,
    direction: Direction = Direction.INCREASE,
    settings: Settings = DEFAULT_SETTINGS,
) -> Achievement:
    """How far ``observation`` goes towards ``target`` (see the code table)."""
    if target.comparator == Comparator.QUALITATIVE:
        return _qualitative_achievement(observation)
    value = _numeric_value(observation)
    bound = _value_bound(observation.qualifier, target, direction)
    meets = meets_target(target, value, direction, settings)
    ratio, code = _ratio_and_code(target, value, direction)
    values = {
        **_target_fields(target, direction, settings),
        **_observation_fields(observation, value, bound),
    }
    achieved = _decide(meets, bound, target.comparator)
    if ratio is not None:
        ratio = _shown_ratio(ratio, meets, _met_edges(target, direction, settings))
        values["ratio"] = ratio
    values.update(_band_fields(target, value))
    return Achievement(ratio, bound, achieved, Explanation(code, values))


def _met_edges(target: Target, direction: Direction, settings: Settings) -> tuple[Decimal, ...]:
    """The ratios at which the target starts (or, for an exact number, stops) to count as
    met: 1, or the ratio at an approximate target's threshold (0,95 for "khoảng 35 MW"), or
    at either end of "khoảng 80" exactly, in whichever form its ratio takes."""
    goal = target_value(target, direction)
    if target.comparator == Comparator.EXACT:
        slack = abs(goal) * _tolerance(target, settings)
        ends = {goal - slack, goal + slack}
    else:
        threshold = approximate_threshold(target, direction, settings)
        ends = {goal if threshold is None else threshold}
    edges = (_ratio_and_code(target, end, direction)[0] for end in ends)
    return tuple(edge for edge in edges if edge is not None)


def _shown_ratio(ratio: Decimal, meets: bool, edges: tuple[Decimal, ...]) -> Decimal:
    """``ratio`` to ``RATIO_PLACES``; a value that misses its target by less than the last
    place (34,99 of 35; 33,24 of "khoảng 35", met from 33,25; "trên 34,9996") is rounded
    away from where it counts as met, so that "100 %" (or the "95 %" it is met from) never
    stands beside "not achieved" or "only a bound"."""
    return _away_from(round_half_up(ratio, RATIO_PLACES), ratio, () if meets else edges)


def _away_from(rounded: Decimal, exact: Decimal, edges: Iterable[Decimal]) -> Decimal:
    """``rounded`` (``exact`` to ``RATIO_PLACES``) moved one place away from any edge it
    rounds onto without reaching it."""
    step = Decimal(1).scaleb(-RATIO_PLACES)
    for edge in edges:
        if exact != edge and rounded == round_half_up(edge, RATIO_PLACES):
            return rounded - step if exact < edge else rounded + step
    return rounded


# ------------------------------------------------------------------ pace


@dataclass(frozen=True, slots=True)
class Term:
    """When a target applies: its own year, and the period of the document that set it
    (263/KH-UBND, Hà Nội's plan for 2024 alone: 2024-2024; 405/KH-UBND: 2021-2030). A side
    left None is open."""

    year: int
    period_start: int | None = None
    period_end: int | None = None

    def covers(self, year: int) -> bool:
        """A target is in force within its document's period, and always in its own year
        (whose row says whether it was met, wherever the period was drawn)."""
        if year == self.year:
            return True
        after_start = self.period_start is None or self.period_start <= year
        return after_start and (self.period_end is None or year <= self.period_end)

    @property
    def last_year(self) -> int | None:
        """The last year the target is in force; None: no end."""
        return None if self.period_end is None else max(self.year, self.period_end)


def in_force(candidates: Iterable[tuple[Term, T]], as_of_year: int) -> T | None:
    """The one rule for which target a year is judged against, the entry form's and the
    engine's alike. Of the targets whose term covers ``as_of_year``: the nearest target
    year at or after it (2025 before 2030), else the latest before it (a 2026 row of a plan
    running to 2030 with a 2025 target: the after-target-year rules). A year no term
    covers has no target (a plan that ended does not judge the years after it). Of equal
    target years the first given wins: callers give the latest document first."""
    covering = [(term.year, item) for term, item in candidates if term.covers(as_of_year)]
    upcoming = [pair for pair in covering if pair[0] >= as_of_year]
    if upcoming:
        return min(upcoming, key=lambda pair: pair[0])[1]
    if covering:
        return max(covering, key=lambda pair: pair[0])[1]
    return None


def ended_before(terms: Iterable[Term], as_of_year: int) -> Term | None:
    """The term that ended last before ``as_of_year`` (what a row without a target in
    force names: 263/KH-UBND's 2024 target, its plan ended in 2024); None if none did."""
    ended = [term for term in terms if (last := term.last_year) is not None and last < as_of_year]
    return max(ended, key=lambda term: (term.last_year or 0, term.year), default=None)


def observations_until(observations: Iterable[Observation], as_of_year: int) -> list[Observation]:
    """Oldest first; the sort is stable, so a later-given revision of a year wins."""
    return sorted((obs for obs in observations if obs.year <= as_of_year), key=lambda obs: obs.year)


@dataclass(frozen=True, slots=True)
class StartPoint:
    year: int
    value: Decimal
    source: str  # baseline | first_observation | implicit_zero
    qualifier: Qualifier = Qualifier.EXACT


def start_point(
    target: Target,
    history: Sequence[Observation],
    accumulation: Accumulation,
    period_start: int | None,
) -> StartPoint:
    """Where the pace is measured from (``history`` oldest first, not empty)."""
    if target.baseline_value is not None and target.baseline_year is not None:
        return StartPoint(target.baseline_year, target.baseline_value, "baseline")
    # A running total ("models built so far") was zero before the plan began,
    # so one report already shows a pace; a level or a flow has no such zero.
    if accumulation == Accumulation.CUMULATIVE and len(history) == 1 and period_start is not None:
        return StartPoint(period_start - 1, Decimal(0), "implicit_zero")
    first = history[0]
    return StartPoint(
        first.year, _numeric_value(first), "first_observation", pace_qualifier(first, accumulation)
    )


@dataclass(frozen=True, slots=True)
class Trajectory:
    """Straight lines from the start point: the observed one and the required one.

    Slopes are unrounded so that status thresholds see the exact pace.
    """

    start: StartPoint
    observed_slope: Decimal
    required_slope: Decimal
    projection: Decimal | None
    required_path: list[tuple[int, Decimal]]


def trajectory(
    start: StartPoint,
    latest_year: int,
    latest_value: Decimal,
    goal: Decimal,
    target_year: int,
    as_of_year: int,
) -> Trajectory | None:
    """None when the start is not before both the latest point and the target year.

    The projection is an outlook, made only while the target year is still ahead of
    ``as_of_year``: once it has closed, the target is judged by the figure reported for it,
    and with none its outcome is unknown, not where the old pace would have led."""
    if start.year >= latest_year or start.year >= target_year:
        return None
    observed = (latest_value - start.value) / (latest_year - start.year)
    required = (goal - start.value) / (target_year - start.year)
    projection = None
    if as_of_year < target_year:
        projection = _rounded_value(latest_value + observed * (target_year - latest_year))
    path = [
        (year, _rounded_value(start.value + required * (year - start.year)))
        for year in range(start.year, target_year + 1)
    ]
    return Trajectory(start, observed, required, projection, path)


def _rounded_value(value: Decimal) -> Decimal:
    return round_half_up(value, VALUE_PLACES)


def status_for_pace(pace_ratio: Decimal, settings: Settings) -> Status:
    if pace_ratio >= settings.on_track_ratio:
        return Status.ON_TRACK
    if pace_ratio >= settings.at_risk_ratio:
        return Status.AT_RISK
    return Status.OFF_TRACK


def _moves_towards_target(slope: Decimal, decreasing: bool) -> bool:
    return slope < 0 if decreasing else slope > 0


@dataclass(frozen=True, slots=True)
class _Case:
    """Everything one numeric assessment needs, gathered once."""

    target: Target
    latest: Observation
    latest_value: Decimal
    achievement: Achievement
    track: Trajectory | None
    direction: Direction
    accumulation: Accumulation
    as_of_year: int
    settings: Settings


def _case_fields(case: _Case) -> dict[str, ExplanationValue]:
    fields: dict[str, ExplanationValue] = {
        "as_of_year": case.as_of_year,
        "target_year": case.target.year,
        "latest_year": case.latest.year,
        "latest_value": case.latest_value,
        "target_value": target_value(case.target, case.direction),
    }
    threshold = approximate_threshold(case.target, case.direction, case.settings)
    if threshold is not None:
        fields["threshold"] = threshold
    if interim(case.latest):
        fields["value_as_of"] = str(case.latest.as_of)
    if case.latest.qualifier != Qualifier.EXACT:
        fields["qualifier"] = case.latest.qualifier.value
    if case.achievement.bound != Bound.EXACT:
        fields["bound"] = case.achievement.bound.value
    return fields


def _track_fields(track: Trajectory | None) -> dict[str, ExplanationValue]:
    if track is None:
        return {}
    fields: dict[str, ExplanationValue] = {
        "start_year": track.start.year,
        "start_value": track.start.value,
        "start_source": track.start.source,
        "observed_slope": _rounded_value(track.observed_slope),
        "required_slope": _rounded_value(track.required_slope),
    }
    if track.projection is not None:
        fields["projection"] = track.projection
    return fields


def _assessed(
    case: _Case,
    status: Status,
    code: str,
    pace_ratio: Decimal | None = None,
    pace_bound: Bound = Bound.EXACT,
    claims_pace: bool = True,
    extra: Mapping[str, ExplanationValue] | None = None,
) -> Assessment:
    """``pace_bound``: the pace is only a bound (see ``_pace_bound``); ``claims_pace``
    False: nothing is projected, the pace proving nothing; ``extra``: values the code's
    sentence needs beyond the case's."""
    values = {**_case_fields(case), **_track_fields(case.track), **(extra or {})}
    decreasing = uses_decreasing_form(case.target, case.direction)
    if pace_ratio is not None:
        values["pace_ratio"] = pace_ratio
    if pace_bound != Bound.EXACT:
        values["pace_bound"] = pace_bound.value
    track = case.track if claims_pace else None
    projection = track.projection if track else None
    if projection is not None and pace_bound == Bound.EXACT:
        # A status that needs no pace ("trên 40" of at least 35, met early) still projects
        # from the bound: the projection is as much a bound as its figure, or, from bounds
        # pulling opposite ways, nothing.
        found = _pace_bound(case, decreasing)
        if found is None:
            projection = None
        else:
            pace_bound = found
    if projection is not None and pace_bound != Bound.EXACT:
        # A better pace is a higher projection, or a lower one for what must decrease.
        flipped = Bound.UPPER if pace_bound == Bound.LOWER else Bound.LOWER
        values["projection_bound"] = (flipped if decreasing else pace_bound).value
    if projection is None:
        values.pop("projection", None)
    return Assessment(
        status=status,
        achievement=case.achievement,
        pace_ratio=pace_ratio,
        projection=projection,
        required_path=track.required_path if track else [],
        explanation=Explanation(code, values),
    )


def _pace_bound(case: _Case, decreasing: bool) -> Bound | None:
    """Which way the true pace may lie from the one computed, when the latest value or the
    first one it starts from is only a bound: LOWER, the true pace is at least as good;
    UPPER, at most; None when the two bounds pull opposite ways and bound nothing."""
    bounds = {ratio_bound(pace_qualifier(case.latest, case.accumulation), decreasing)}
    if case.track is not None and case.track.start.source == "first_observation":
        # A start that may be better than its figure leaves less progress after it.
        start = ratio_bound(case.track.start.qualifier, decreasing)
        bounds.add({Bound.LOWER: Bound.UPPER, Bound.UPPER: Bound.LOWER}.get(start, start))
    bounds.discard(Bound.EXACT)
    if not bounds:
        return Bound.EXACT
    return bounds.pop() if len(bounds) == 1 else None


def _bounded_pace(
    case: _Case, status: Status, code: str, pace_ratio: Decimal | None, decreasing: bool
) -> Assessment:
    """A pace from a bound ("trên 55") is a bound itself: a lower one can prove on track,
    an upper one off track, and nothing else; unproven, no pace or projection is claimed."""
    bound = _pace_bound(case, decreasing)
    if bound == Bound.EXACT:
        return _assessed(case, status, code, pace_ratio)
    if (bound, status) in {(Bound.LOWER, Status.ON_TRACK), (Bound.UPPER, Status.OFF_TRACK)}:
        return _assessed(case, status, code, pace_ratio, pace_bound=bound)
    return _assessed(case, Status.AT_RISK, "pace_bound_inconclusive", claims_pace=False)


def _settles_its_year(case: _Case) -> bool:
    """Whether a figure of a day before its year's end already shows the year's outcome. A
    yearly amount or running total only grows until the year ends: it proves an increasing
    target met, a decreasing (or at_most) one missed. A level met counts, as a level met
    before the target year does; one short of the target proves nothing yet."""
    achieved = case.achievement.achieved
    if case.accumulation == Accumulation.LEVEL:
        return achieved is True
    if case.target.comparator == Comparator.EXACT:
        # "Exactly 100" by 30 June may still be overshot; only a figure already past it is
        # settled, as missed.
        return achieved is False and case.latest_value > target_value(case.target, case.direction)
    decreasing = uses_decreasing_form(case.target, case.direction)
    return achieved is (not decreasing)


def _after_target_year(case: _Case) -> Assessment:
    achieved = case.achievement.achieved
    if case.latest.year < case.target.year:
        # Nothing for the target year itself. A level or a running total met earlier stands,
        # as it did before the year; a yearly amount is the target year's own, and a
        # shortfall is not proven by an older value.
        if achieved and case.accumulation != Accumulation.FLOW:
            return _assessed(case, Status.ACHIEVED, "achieved_early")
        return _assessed(case, Status.NO_DATA, "target_year_no_report")
    if interim(case.latest) and not _settles_its_year(case):
        # 80 % of supermarkets by 15/7/2022 is not the 2022 outcome: the rest of the year
        # could still reach 100 %, so it is not read as missed.
        return _assessed(case, Status.AT_RISK, "target_year_interim")
    if achieved:
        return _assessed(case, Status.ACHIEVED, "target_year_achieved")
    if achieved is None:
        # A bound at or past the target ("dưới 120" of at least 100) shows no shortfall:
        # as before the target year, a reviewer looks.
        if meets_target(case.target, case.latest_value, case.direction, case.settings):
            return _assessed(case, Status.AT_RISK, "bound_inconclusive")
        # A bound short of it is read by the bound itself: "at least 43,5 %" of a
        # target is not the target, so the page says not achieved, and why.
        return _assessed(case, Status.NOT_ACHIEVED, "target_year_bound_unproven")
    return _assessed(case, Status.NOT_ACHIEVED, "target_year_not_achieved")


def _before_target_year(case: _Case) -> Assessment:
    if case.achievement.achieved:
        # A flow target is the amount *in* the target year; reaching it early
        # shows the level, not the result.
        if case.accumulation == Accumulation.FLOW:
            return _assessed(case, Status.ON_TRACK, "flow_level_reached")
        return _assessed(case, Status.ACHIEVED, "achieved_early")
    bound_meets = meets_target(case.target, case.latest_value, case.direction, case.settings)
    if case.achievement.achieved is None and bound_meets:
        return _assessed(case, Status.AT_RISK, "bound_inconclusive")
    track = case.track
    if track is None:
        if case.target.baseline_year is not None and case.target.baseline_value is not None:
            # A plan issued after the merger measures from 2024: figures of that year and
            # before show no progress under it yet, however many there are.
            return _assessed(
                case,
                Status.NO_DATA,
                "nothing_after_baseline",
                extra={"baseline_year": case.target.baseline_year},
            )
        return _assessed(case, Status.NO_DATA, "insufficient_points")
    decreasing = uses_decreasing_form(case.target, case.direction)
    if not _moves_towards_target(track.required_slope, decreasing):
        return _bounded_pace(case, Status.OFF_TRACK, "regressed_past_start", None, decreasing)
    ratio = track.observed_slope / track.required_slope
    status = status_for_pace(ratio, case.settings)
    # 0,94996 is "at risk": printed 0,950 it would read as the on-track threshold.
    thresholds = (case.settings.on_track_ratio, case.settings.at_risk_ratio)
    shown = _away_from(
        round_half_up(ratio, RATIO_PLACES), ratio, [t for t in thresholds if ratio < t]
    )
    return _bounded_pace(case, status, "pace_ratio", shown, decreasing)


def _bare(status: Status, code: str, values: dict[str, ExplanationValue]) -> Assessment:
    return Assessment(status, None, None, None, [], Explanation(code, values))


def _qualitative_assessment(latest: Observation) -> Assessment:
    result = _qualitative_achievement(latest)
    status = latest.qualitative_status or Status.QUALITATIVE_PENDING
    return Assessment(status, result, None, None, [], result.explanation)


def without_target(as_of_year: int, ended: Term | None = None) -> Assessment:
    """No target in force (see ``in_force``): ``plan_ended`` names the target whose plan
    ended before the year, so that a page says why, not only that nothing is judged."""
    if ended is None or ended.last_year is None:
        return _bare(Status.NO_TARGET, "no_target", {"as_of_year": as_of_year})
    values: dict[str, ExplanationValue] = {
        "as_of_year": as_of_year,
        "target_year": ended.year,
        "period_end": ended.last_year,
    }
    return _bare(Status.NO_TARGET, "plan_ended", values)


def pace_status(
    target: Target | None,
    observations: Iterable[Observation],
    direction: Direction,
    accumulation: Accumulation,
    as_of_year: int,
    settings: Settings = DEFAULT_SETTINGS,
    period_start: int | None = None,
) -> Assessment:
    """Status of the latest observation up to ``as_of_year`` (see the code table)."""
    if target is None:
        return without_target(as_of_year)
    history = observations_until(observations, as_of_year)
    if not history:
        values = {"as_of_year": as_of_year, "target_year": target.year}
        return _bare(Status.NO_DATA, "no_observations", values)
    latest = history[-1]
    if target.comparator == Comparator.QUALITATIVE:
        return _qualitative_assessment(latest)
    latest_value = _numeric_value(latest)
    start = start_point(target, history, accumulation, period_start)
    # The pace is measured to where the target counts as met, as the achievement is.
    threshold = approximate_threshold(target, direction, settings)
    goal = target_value(target, direction) if threshold is None else threshold
    case = _Case(
        target=target,
        latest=latest,
        latest_value=latest_value,
        achievement=achievement(target, latest, direction, settings),
        track=trajectory(start, latest.year, latest_value, goal, target.year, as_of_year),
        direction=direction,
        accumulation=accumulation,
        as_of_year=as_of_year,
        settings=settings,
    )
    if as_of_year >= target.year:
        return _after_target_year(case)
    return _before_target_year(case)


def proven_on_part(
    assessment: Assessment,
    target: Target,
    direction: Direction,
    *,
    latest_part: bool,
    start_part: bool,
    floor: bool,
) -> bool:
    """Whether ``assessment`` stands although some units did not report into its latest
    figure (``latest_part``) or into the figure its pace starts from (``start_part``).

    ``floor``: the partial figure is a floor, which the silent units could only raise (a
    sum, a share of units meeting a condition); otherwise (a pooled share) it could move
    either way and proves nothing. A floor as the latest figure is no further along an
    increasing target than the complete one: it proves met or on track; the complete
    figure is further from a decreasing (or at_most) one still, so there it proves not
    achieved or off track. An exact target, which the complete figure could overshoot, is
    judged on no floor, as on no one-sided value. As the start of a pace the sides swap: too low a start makes an
    increasing pace look faster, so only off track stands, and a decreasing one slower,
    so only on track. Both ends partial bound no pace either way (see partial_unjudged).
    """
    decreasing = uses_decreasing_form(target, direction)
    code = assessment.explanation.code
    latest_only = code in LATEST_ONLY_CODES
    if not (latest_part or (start_part and not latest_only)):
        return True
    # The complete figure could lie past an exact target as well as short of it.
    if not floor or target.comparator == Comparator.EXACT:
        return False
    if latest_only:
        if decreasing:
            # An unprovable bound ("dưới 50") over a floor bounds nothing.
            return code == "target_year_not_achieved"
        return assessment.status in {Status.ACHIEVED, Status.ON_TRACK}
    if latest_part and start_part:
        return False
    looks_slower = latest_part != decreasing
    return assessment.status == (Status.ON_TRACK if looks_slower else Status.OFF_TRACK)


def floor_achievement(result: Achievement, target: Target, direction: Direction) -> Achievement:
    """The achievement of a floor (``Derived.floor``: a sum, or a share of units meeting a
    condition, that units missing from it could only raise), whatever its status: that of a
    value reported "trên" its figure. Hà Nội's 14 SCP-05 models alone in 2023 are at least
    70 % of the 20 to 30 by 2025, and settle nothing short of them, as "trên 50" of 115 is
    at least 43,5 %; a floor already past an at_most (or a decreasing) target is at most its
    ratio, and missed. A figure already bounded on the same side ("trên 1" among the parts)
    is decided alike. One bounded the other way ("dưới 5" among them) is bounded neither way
    by a floor over it, as a sum of a "trên" and a "dưới" value is only "about" right
    (``combine_qualifiers``): its ratio is shown as it is, and decides nothing, as a share
    pooled from part of the units does."""
    if target.comparator == Comparator.QUALITATIVE:
        return result
    side = _value_bound(Qualifier.MORE_THAN, target, direction)
    if result.bound == side:
        return result
    if result.bound == Bound.EXACT:
        bound = side
        # Exact, the achievement's verdict is whether the figure meets the target.
        achieved = _decide(bool(result.achieved), side, target.comparator)
    else:
        bound, achieved = Bound.EXACT, None
    if (bound, achieved) == (result.bound, result.achieved):
        return result
    values = {**result.explanation.values, "bound": bound.value}
    if bound == Bound.EXACT:
        del values["bound"]
    return Achievement(result.ratio, bound, achieved, Explanation(result.explanation.code, values))


# --------------------------------------------------------------- roll-ups


def combine_qualifiers(qualifiers: Iterable[Qualifier]) -> Qualifier:
    """The qualifier of a sum.

    One lower bound makes the sum a lower bound (likewise upper). A lower and
    an upper bound together bound nothing either way, so the sum is only
    "about" right.
    """
    present = set(qualifiers)
    if len(present) == 1:
        # Values all reported alike (mostly all exact) keep their qualifier.
        return present.pop()
    if Qualifier.MORE_THAN in present and Qualifier.LESS_THAN in present:
        return Qualifier.ABOUT
    for qualifier in (Qualifier.MORE_THAN, Qualifier.LESS_THAN, Qualifier.ABOUT):
        if qualifier in present:
            return qualifier
    return Qualifier.EXACT


def _reported(observations: Mapping[str, Observation | None]) -> dict[str, Observation]:
    return {unit: obs for unit, obs in observations.items() if obs is not None}


def _summed(
    entries: Sequence[Observation],
    missing: list[str],
    code: str,
    values: dict[str, ExplanationValue],
    floor: bool,
) -> Derived:
    qualifier = combine_qualifiers(obs.qualifier for obs in entries)
    fields: dict[str, ExplanationValue] = {**values, "missing": ", ".join(missing)}
    if not entries:
        return Derived(
            None, bool(missing), missing, qualifier, Explanation("nothing_reported", fields)
        )
    total = sum((_numeric_value(obs) for obs in entries), Decimal(0))
    fields.update(value=total, qualifier=qualifier.value)
    partial = bool(missing)
    return Derived(
        total, partial, missing, qualifier, Explanation(code, fields), floor=partial and floor
    )


def sum_over_units(
    values: Mapping[str, Observation | None],
    expected_units: Iterable[str],
    national_entries: Iterable[Observation] = (),
) -> Derived:
    """An additive indicator over units (e.g. SCP-05: models in every province).

    Every reported unit counts, expected or not, so no reported figure is
    silently dropped; expected units without a value are ``missing``.
    """
    reported = _reported(values)
    expected = list(expected_units)
    missing = [unit for unit in expected if unit not in reported]
    national = list(national_entries)
    counts: dict[str, ExplanationValue] = {
        "units_reported": len(reported),
        "units_expected": len(expected),
        "national_entries": len(national),
    }
    # Counts and quantities are not negative: a silent unit could only add to the sum.
    return _summed([*reported.values(), *national], missing, "sum_over_units", counts, True)


def share_of_units(count: int, units_in_force: int, missing: Sequence[str] = ()) -> Derived:
    """count / units_in_force * 100 (SCP-09: 24 of 63 provinces = 38,1 %).

    The denominator is the number of units in force that year: 63 before the
    2025 merger, 34 after. ``missing``: the units in force that did not report
    into it (so are not counted, and might yet count); the share is then
    partial and a floor (``share_of_units_partial``), over the same
    denominator: Hà Nội alone in 2025 is 1 of 34 = 2,9 %, with 33 missing.
    """
    if units_in_force <= 0:
        raise ValueError(f"units_in_force must be positive, got {units_in_force}")
    if not 0 <= count <= units_in_force - len(missing):
        raise ValueError(
            f"count {count} is not between 0 and {units_in_force} less {len(missing)} missing"
        )
    value = share_percent(Decimal(count), Decimal(units_in_force))
    values: dict[str, ExplanationValue] = {
        "count": count,
        "units": units_in_force,
        "value": value,
    }
    code = "share_of_units"
    if missing:
        code = "share_of_units_partial"
        values.update(missing_count=len(missing), missing=", ".join(missing))
    return Derived(
        value,
        bool(missing),
        list(missing),
        Qualifier.EXACT,
        Explanation(code, values),
        numerator=Decimal(count),
        denominator=Decimal(units_in_force),
        floor=bool(missing),
    )


def _per_unit(observations: Mapping[str, Observation | None], reason: str) -> PerUnit:
    values: dict[str, ExplanationValue] = {
        "units": ", ".join(observations),
        "missing": ", ".join(unit for unit, obs in observations.items() if obs is None),
    }
    return PerUnit(dict(observations), reason, Explanation(reason, values))


def _pooled_share(observations: Mapping[str, Observation | None]) -> Derived | PerUnit:
    reported = _reported(observations)
    if any(obs.denominator is None for obs in reported.values()):
        return _per_unit(observations, "shares_not_combinable")
    missing = [unit for unit in observations if unit not in reported]
    qualifier = combine_qualifiers(obs.qualifier for obs in reported.values())
    fields: dict[str, ExplanationValue] = {"missing": ", ".join(missing)}
    if not reported:
        return Derived(None, True, missing, qualifier, Explanation("nothing_reported", fields))
    numerator = sum((obs.numerator or Decimal(0) for obs in reported.values()), Decimal(0))
    denominator = sum((obs.denominator or Decimal(0) for obs in reported.values()), Decimal(0))
    value = share_percent(numerator, denominator)
    fields.update(
        numerator=numerator, denominator=denominator, value=value, qualifier=qualifier.value
    )
    return Derived(
        value,
        bool(missing),
        missing,
        qualifier,
        Explanation("predecessors_pooled_share", fields),
        numerator=numerator,
        denominator=denominator,
    )


def combine_predecessors(
    observations_by_former_unit: Mapping[str, Observation | None], measure: Measure
) -> Derived | PerUnit:
    """The value of a unit formed by the 2025 merger, from its former units.

    Counts and quantities add up. Percentages pool numerators and
    denominators; an average of percentages would weigh a small province like
    a large one, so without num/den each former unit is shown on its own.
    """
    # Checking first, as for an observation's qualifier: a merged unit combines every year.
    if type(measure) is not Measure:
        measure = Measure(measure)
    if measure == Measure.QUALITATIVE:
        return _per_unit(observations_by_former_unit, "qualitative_not_combinable")
    if measure == Measure.PERCENT:
        return _pooled_share(observations_by_former_unit)
    reported = _reported(observations_by_former_unit)
    missing = [unit for unit in observations_by_former_unit if unit not in reported]
    counts: dict[str, ExplanationValue] = {"units_reported": len(reported)}
    return _summed(list(reported.values()), missing, "predecessors_summed", counts, True)
