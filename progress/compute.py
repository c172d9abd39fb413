"""Assembles every progress row from plain inputs with the engine; no ORM, no Celery.

Three kinds of series are computed, each (unit or nation) × indicator × year:
- reported: a unit's, or the ministry's, own approved values against its own targets;
- national roll-ups of the provinces' values (sum, share of provinces, plan register),
  against the national targets;
- for a unit formed by the 2025 merger, its former units' values combined, for the years
  before it began, in the years more than one of them was expected to report it.
"""

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from . import engine
from .inputs import IndicatorSpec, ProgressInputs, TargetSpec, Unit, ValueSpec

REPORTED = "reported"
PREDECESSORS = "predecessors"


# A named tuple, not a dataclass: the rows are written as tuples of their fields
# (``writes``), which a named tuple already is, without reading every field again.
class ProgressRow(NamedTuple):
    province_id: int | None
    indicator_id: int
    year: int
    as_of_year: int
    origin: str
    target_id: int | None
    value: Decimal | None
    qualifier: str
    numerator: Decimal | None
    denominator: Decimal | None
    ratio: Decimal | None
    bound: str
    achieved: bool | None
    status: str
    pace_ratio: Decimal | None
    projection: Decimal | None
    required_path: list[list[object]]
    partial: bool
    missing_unit_ids: list[int]
    explanation_code: str
    explanation_values: dict[str, object]
    sources: list[str]


_new_row = tuple.__new__


# Not frozen, though never changed once built: a national run builds one for each of its
# values, and a frozen dataclass's __init__ took twice as long, a tenth of the computation.
@dataclass(slots=True)
class _Point:
    """One year of a series: the observation and what it rests on."""

    observation: engine.Observation
    sources: tuple[str, ...] = ()
    partial: bool = False
    # The units that did not report into a roll-up, by id (``_unit_ids``).
    missing: tuple[int, ...] = ()
    explanation: engine.Explanation | None = None
    # Partial, and the silent units could only raise it (``engine.Derived.floor``).
    floor: bool = False
    # A register count below a count the ministry reported (``count``, ``reported_count``,
    # ``reported_year``): the register is missing plans, its share only a floor.
    incomplete: dict[str, engine.ExplanationValue] | None = None


def _series_rows(
    *,
    province_id: int | None,
    indicator: IndicatorSpec,
    origin: str,
    points: dict[int, _Point],
    targets: list[TargetSpec],
    settings: engine.Settings,
    last_year: int,
    from_year: int | None,
    history: dict[int, _Point] | None = None,
    unit: Unit | None = None,
    national: Callable[[int], int | None] | None = None,
) -> list[ProgressRow]:
    """A row for every year with a value or a target, from ``from_year`` on. Years up to
    ``last_year``, and later years with a value, are assessed as of that year; a later target
    year gets the outlook as of ``last_year`` (is the 2030 target on track, seen from 2025?).
    A year's row rests on that year's and earlier values only, which is what lets an approval
    recompute from its year. ``history``: earlier years' points that the pace starts from
    but that have rows of their own elsewhere (a merged unit's former units, combined).
    ``unit``: whose series it is (None: the nation's); ``national``: the year of the national
    target in force in a year, which a unit's row without a target of its own names, not
    judges by."""
    # A target is in force within its document's period (``engine.in_force``); where two
    # documents in force set a target for the same year, the later one stands: latest first.
    terms = _terms(targets)
    known = {**history, **points} if history else points
    assessable = _assessable_years(indicator, known)
    own = sorted(year for year in assessable if year in points)
    # Only a target's pace reads the observations, and most series have no target.
    observations: list[engine.Observation] = []
    own_observations: list[engine.Observation] = []
    if terms:
        observations = [known[year].observation for year in sorted(assessable)]
        # The former units' history is where a merged unit's pace starts, not a figure of
        # its own: with nothing of its own yet, its row has no data.
        own_observations = [points[year].observation for year in own] if history else observations
    partial = any(point.partial for point in known.values())
    # A report approved before its year is out is assessed as of its own year; a target
    # year further on, from the latest of those years or the last closed one.
    seen_up_to = max(last_year, *own) if own else last_year
    rows = []
    for year in sorted({*points, *(spec.target.year for spec in targets)}):
        if from_year is not None and year < from_year:
            continue
        as_of = min(year, seen_up_to)
        spec = engine.in_force(terms, year) if terms else None
        spec_target = spec.target if spec else None
        point = points.get(year)
        if point and year not in assessable:
            # A year whose figures could not be combined stands on its own explanation.
            rows.append(
                _row(province_id, indicator, year, origin, spec, point, _unassessed(point), as_of)
            )
            continue
        if spec_target is None and unit is not None and not terms:
            # A unit is judged by its own plans' targets only; the national target is judged
            # on the national figure, so the row says whose target is missing.
            assessment = _without_own_target(as_of, unit, national(year) if national else None)
        elif spec_target is None:
            # A plan that ended judges no year after it: the row says which one ended.
            ended = engine.ended_before((term for term, _spec in terms), year) if terms else None
            assessment = _without_target(as_of, ended)
        else:
            assessment = engine.pace_status(
                spec_target,
                observations if own and own[0] <= as_of else own_observations,
                indicator.direction,
                indicator.accumulation,
                as_of,
                settings,
                period_start=spec.period_start if spec else None,
            )
        if partial:
            assessment = _judged_on_part(assessment, known, indicator, spec_target)
        rows.append(_row(province_id, indicator, year, origin, spec, point, assessment, as_of))
    return rows


def _terms(targets: list[TargetSpec]) -> list[tuple[engine.Term, TargetSpec]]:
    return [(spec.term, spec) for spec in reversed(sorted(targets, key=lambda t: t.issued_on))]


@lru_cache(maxsize=1024)
def _without_own_target(
    as_of_year: int, unit: Unit, national_target_year: int | None
) -> engine.Assessment:
    """A unit's row with no target of its own for the indicator, in any plan: it names the
    unit (with its dates: the new Thái Nguyên, from 1/7/2025, under Bắc Kạn's area row and
    its 405/KH-UBND target) and the national target in force, judged on the national row."""
    values: dict[str, engine.ExplanationValue] = {"as_of_year": as_of_year, **_named(unit, "unit")}
    code = "no_own_target"
    if national_target_year is not None:
        code = "no_own_target_national"
        values["target_year"] = national_target_year
    return engine.Assessment(
        engine.Status.NO_TARGET, None, None, None, [], engine.Explanation(code, values)
    )


def _named(unit: Unit, key: str) -> dict[str, str]:
    """A unit's name and dates for a sentence, under ``key``: a page names a former or a
    new unit with them ("Bắc Kạn (until 30/6/2025)"), since two units share a name."""
    values = {key: unit.label}
    if unit.valid_from is not None:
        values[f"{key}_from"] = unit.valid_from.isoformat()
    if unit.valid_to is not None:
        values[f"{key}_until"] = unit.valid_to.isoformat()
    return values


@lru_cache(maxsize=1024)
def _without_target(as_of_year: int, ended: engine.Term | None) -> engine.Assessment:
    """``engine.without_target``, built once per year and ended term and shared by the rows
    (which copy its values): most rows of a national run have no target in force, and
    building the same assessment for each of them was a tenth of the computation."""
    return engine.without_target(as_of_year, ended)


def _judged_on_part(
    assessment: engine.Assessment,
    points: dict[int, _Point],
    indicator: IndicatorSpec,
    target: engine.Target | None,
) -> engine.Assessment:
    """A status resting on figures that some units did not report into. A floor (a sum, a
    share of units meeting a condition, a register missing plans) can only rise when they
    do: it proves only the side it is on (``engine.proven_on_part``); a share pooled from
    part of the units proves nothing either way. What cannot be proven is "no data", with
    the count of silent units (SCP-05's 14 models, SCP-06's 1 province in 34, from 1 of 34
    provinces).

    The latest figure's achievement is that of a part, whether the status stands or not: a
    floor's is a bound, as a value reported "trên" is (``engine.floor_achievement``:
    Hà Nội's 14 models alone in 2023, on track, are at least 70 % of the 20 by 2025, not
    70 % and missed); a pooled share's is neither met nor missed."""
    if target is None:
        return assessment
    values = assessment.explanation.values
    latest = points.get(values.get("latest_year"))  # type: ignore[arg-type]
    start = (
        points.get(values.get("start_year"))  # type: ignore[arg-type]
        if values.get("start_source") == "first_observation"
        else None
    )
    latest_part = latest is not None and latest.partial
    start_part = start is not None and start.partial
    if not (latest_part or start_part):
        return assessment
    part = latest if latest_part else start
    floor = part is not None and part.floor
    achievement = assessment.achievement
    if achievement is not None and latest_part:
        achievement = (
            engine.floor_achievement(achievement, target, indicator.direction)
            if floor
            else _undecided(achievement)
        )
    if assessment.status == engine.Status.NO_DATA or engine.proven_on_part(
        assessment,
        target,
        indicator.direction,
        latest_part=latest_part,
        start_part=start_part,
        floor=floor,
    ):
        if achievement is assessment.achievement:
            return assessment
        return dataclasses.replace(assessment, achievement=achievement)
    if part is not None and part.incomplete is not None:
        code = "register_incomplete"
        unjudged = {**values, **part.incomplete}
    else:
        code = "partial_unjudged" if latest_part else "partial_start_unjudged"
        unjudged = {**values, "missing_count": len(part.missing) if part else 0}
    unjudged.pop("projection", None)
    return engine.Assessment(
        engine.Status.NO_DATA, achievement, None, None, [], engine.Explanation(code, unjudged)
    )


def _undecided(achievement: engine.Achievement) -> engine.Achievement:
    """A share pooled from part of the former units could move either way once the rest
    report: its achievement decides nothing."""
    if achievement.achieved is None:
        return achievement
    return dataclasses.replace(achievement, achieved=None)


def _assessable_years(indicator: IndicatorSpec, points: dict[int, _Point]) -> set[int]:
    if indicator.measure == engine.Measure.QUALITATIVE:
        return set(points)
    return {
        year
        for year, point in points.items()
        if engine.observed_value(point.observation) is not None
    }


def _unassessed(point: _Point) -> engine.Assessment:
    explanation = point.explanation or engine.Explanation("nothing_reported")
    return engine.Assessment(engine.Status.NO_DATA, None, None, None, [], explanation)


def _sources(point: _Point | None, spec: TargetSpec | None) -> list[str]:
    sources = [*point.sources] if point else []
    if spec and spec.source and spec.source not in sources:
        sources.append(spec.source)
    return sources


def _cited(values: Iterable[ValueSpec]) -> tuple[str, ...]:
    """The sources of ``values``, once each. A value entered without a source has "" for
    one, which a page would print as "; …"."""
    return tuple(dict.fromkeys(value.source for value in values if value.source))


def _row(
    province_id: int | None,
    indicator: IndicatorSpec,
    year: int,
    origin: str,
    spec: TargetSpec | None,
    point: _Point | None,
    assessment: engine.Assessment,
    as_of_year: int,
) -> ProgressRow:
    observation = point.observation if point else None
    # Only a year with a point is achieved or not; a target year without one is not.
    achievement = assessment.achievement if point else None
    explanation = assessment.explanation
    # The engine's own values, Decimals and all: the row's JSON writes a Decimal as its
    # string (``writes._encode``), and copying them here as strings first was a tenth of
    # the computation. Shared with the engine, so never changed here.
    values: dict[str, object] = explanation.values
    path = assessment.required_path
    if achievement and achievement.explanation is not explanation:
        # The achievement figure says how it was reached: formula, band, tolerance.
        found = achievement.explanation
        values = {**values, "achievement": {"code": found.code, **found.values}}
    if (
        observation is not None
        and observation.as_of is not None
        and "value_as_of" not in values
        and engine.interim(observation)
    ):
        # The day an interim figure stands for, on every row that shows it: a row with no
        # target, whose sentence does not name the figure, would show it as the year's.
        values = {**values, "value_as_of": str(observation.as_of)}
    if point and point.explanation and point.explanation is not explanation:
        # A derived value says how it was derived as well as how it stands.
        derived = point.explanation
        values = {**values, "derivation": {"code": derived.code, **derived.values}}
    # Positional, in the order of the fields: keyword arguments took four times as long to
    # pass, a sixth of a full run's computation. tuple.__new__, not the named tuple's own
    # __new__, which only passes its 22 arguments on to it, at twice the cost.
    return _new_row(
        ProgressRow,
        (
            province_id,
            indicator.pk,  # indicator_id
            year,
            as_of_year,
            origin,
            spec.pk if spec else None,  # target_id
            engine.observed_value(observation) if observation else None,  # value
            # The engine's enums are str subclasses: stored as their values, without the
            # lookup of ``.value`` on every one of a national run's rows.
            observation.qualifier if observation else "",  # qualifier
            observation.numerator if observation else None,  # numerator
            observation.denominator if observation else None,  # denominator
            achievement.ratio if achievement else None,  # ratio
            achievement.bound if achievement else "",  # bound
            achievement.achieved if achievement else None,  # achieved
            assessment.status,
            assessment.pace_ratio,
            assessment.projection,
            [[y, str(v)] for y, v in path] if path else [],  # required_path
            point.partial if point else False,  # partial
            list(point.missing) if point else [],  # missing_unit_ids
            explanation.code,  # explanation_code
            values,  # explanation_values
            _sources(point, spec),
        ),
    )


def _units_in_force(units: Iterable[Unit], year: int) -> list[Unit]:
    day = date(year, 12, 31)
    return [unit for unit in units if unit.in_force_on(day)]


def compute_rows(inputs: ProgressInputs, settings: engine.Settings) -> list[ProgressRow]:
    indicators = {spec.pk: spec for spec in inputs.indicators}
    units = {unit.pk: unit for unit in inputs.units}
    targets: dict[tuple[int | None, int], list[TargetSpec]] = defaultdict(list)
    for spec in inputs.targets:
        targets[(spec.province_id, spec.indicator_id)].append(spec)
    values: dict[tuple[int | None, int], dict[int, ValueSpec]] = defaultdict(dict)
    for value in inputs.values:
        values[(value.province_id, value.indicator_id)][value.observation.year] = value

    scope = inputs.province_scope
    predecessors: dict[int, list[Unit]] = defaultdict(list)
    for unit in units.values():
        if unit.successor_id is not None:
            predecessors[unit.successor_id].append(unit)
    merged: dict[tuple[int, int], dict[int, _Point]] = {}

    def merged_points(unit_id: int, indicator: IndicatorSpec) -> dict[int, _Point]:
        key = (unit_id, indicator.pk)
        if key not in merged:
            merged[key] = _merged_points(
                units[unit_id], predecessors[unit_id], indicator, targets, values
            )
        return merged[key]

    national_targets = {k[1]: v for k, v in targets.items() if k[0] is None}
    national_years: dict[tuple[int, int], int | None] = {}

    def national_target_year(indicator_id: int, year: int) -> int | None:
        # Asked by every unit's row without a target of its own: read once a year.
        key = (indicator_id, year)
        if key not in national_years:
            specs = national_targets.get(indicator_id)
            spec = engine.in_force(_terms(specs), year) if specs else None
            national_years[key] = spec.target.year if spec else None
        return national_years[key]

    rows: list[ProgressRow] = []
    for key in sorted(set(targets) | set(values), key=lambda k: (k[0] or 0, k[1])):
        province_id, indicator_id = key
        if indicator_id not in inputs.emit or (scope is not None and province_id not in scope):
            continue
        indicator = indicators[indicator_id]
        points = {
            year: _Point(value.observation, (value.source,) if value.source else ())
            for year, value in values[key].items()
        }
        history = None
        if province_id in predecessors:
            history = _history(units[province_id], merged_points(province_id, indicator))
        rows += _series_rows(
            province_id=province_id,
            indicator=indicator,
            origin=REPORTED,
            points=points,
            targets=targets.get(key, []),
            settings=settings,
            last_year=inputs.last_year,
            from_year=inputs.from_year,
            history=history,
            unit=units.get(province_id) if province_id is not None else None,
            national=lambda year, pk=indicator_id: national_target_year(pk, year),
        )

    emitted = [indicator for indicator in inputs.indicators if indicator.pk in inputs.emit]
    for indicator in emitted:
        # A national figure is made of closed years only: one province's report approved
        # before the year is out is not the nation's figure for it (as for the register).
        points = {
            year: point
            for year, point in _rollup_points(indicator, inputs, values, indicators).items()
            if year <= inputs.last_year
        }
        if points:
            rows += _series_rows(
                province_id=None,
                indicator=indicator,
                origin=indicator.rollup,
                points=points,
                targets=national_targets.get(indicator.pk, []),
                settings=settings,
                last_year=inputs.last_year,
                from_year=inputs.from_year,
            )

    for unit in units.values():
        if unit.pk not in predecessors or (scope is not None and unit.pk not in scope):
            continue
        for indicator in emitted:
            points = merged_points(unit.pk, indicator)
            if points:
                rows += _series_rows(
                    province_id=unit.pk,
                    indicator=indicator,
                    origin=PREDECESSORS,
                    points=points,
                    targets=targets.get((unit.pk, indicator.pk), []),
                    settings=settings,
                    last_year=inputs.last_year,
                    from_year=inputs.from_year,
                    unit=unit,
                    national=lambda year, pk=indicator.pk: national_target_year(pk, year),
                )
    return rows


def _history(unit: Unit, merged: dict[int, _Point]) -> dict[int, _Point]:
    """A merged unit's years before it began, from its former units combined, for the pace
    of its own figures (the new Thái Nguyên's 2025 value measured from the old Thái Nguyên
    and Bắc Kạn's). Only complete years: a total some of them did not report into would
    start the pace too low."""
    if unit.valid_from is None:
        return {}
    return {
        year: point
        for year, point in merged.items()
        if date(year, 12, 31) < unit.valid_from and not point.partial
    }


def _rollup_points(
    indicator: IndicatorSpec,
    inputs: ProgressInputs,
    values: dict[tuple[int | None, int], dict[int, ValueSpec]],
    indicators: dict[int, IndicatorSpec],
) -> dict[int, _Point]:
    if indicator.rollup == "sum":
        return _sum_points(indicator, inputs.units, values)
    if indicator.rollup == "share_of_units":
        children = [i.pk for i in indicators.values() if i.parent_id == indicator.pk]
        return _share_points(indicator, children, inputs.units, values)
    if indicator.rollup == "plan_register":
        return _register_points(inputs, values.get((None, indicator.pk), {}))
    return {}


def _sum_points(
    indicator: IndicatorSpec,
    units: list[Unit],
    values: dict[tuple[int | None, int], dict[int, ValueSpec]],
) -> dict[int, _Point]:
    series = {
        province_id: by_year
        for (province_id, indicator_id), by_year in values.items()
        if indicator_id == indicator.pk
    }
    years = sorted({year for by_year in series.values() for year in by_year})
    points = {}
    for year in years:
        in_force = _units_in_force(units, year)
        reported = {
            unit.label: series[unit.pk][year].observation
            for unit in in_force
            if year in series.get(unit.pk, {})
        }
        national = [series[None][year]] if year in series.get(None, {}) else []
        derived = engine.sum_over_units(
            reported, [unit.label for unit in in_force], [v.observation for v in national]
        )
        areas = _areas_not_added(year, units, in_force, series)
        if areas:
            derived = _naming_areas(derived, year, areas)
        used = [series[u.pk][year] for u in in_force if year in series.get(u.pk, {})] + national
        points[year] = _derived_point(year, derived, used, in_force)
    return points


def _areas_not_added(
    year: int,
    units: list[Unit],
    in_force: list[Unit],
    series: dict[int | None, dict[int, ValueSpec]],
) -> list[dict[str, Decimal | int | str]]:
    """What former units reported for their areas in ``year``, after they ended (Bắc Kạn's
    2025 report on 405/KH-UBND, filed by the new Thái Nguyên): a note for each, which the
    sum does not add, since the area is inside its successor's own figure. Without the
    note, Bắc Kạn's 1 model on the page above reads as dropped, or, with the new Thái
    Nguyên silent, beside "no unit reported"."""
    successors = {unit.pk: unit for unit in in_force}
    notes: list[dict[str, Decimal | int | str]] = []
    for former in units:
        value = series.get(former.pk, {}).get(year)
        if value is None or former.pk in successors or former.successor_id not in successors:
            continue
        number = engine.observed_value(value.observation)
        if number is None:
            continue
        successor = successors[former.successor_id]
        silent = year not in series.get(successor.pk, {})
        notes.append(
            {
                "code": "area_in_successor_missing" if silent else "area_in_successor",
                **_named(former, "unit"),
                **_named(successor, "successor"),
                "value": number,
                "qualifier": str(value.observation.qualifier),
            }
        )
    return notes


def _naming_areas(
    derived: engine.Derived, year: int, areas: list[dict[str, Decimal | int | str]]
) -> engine.Derived:
    """The sum's explanation with the former units' area values it leaves out; with no
    unit in force reporting, it no longer says that no unit reported at all."""
    code = derived.explanation.code
    values: dict[str, engine.ExplanationValue] = {**derived.explanation.values, "areas": areas}
    if code == "nothing_reported":
        code = "nothing_reported_in_force"
        values["year"] = year
    return replace(derived, explanation=engine.Explanation(code, values))


def _share_points(
    indicator: IndicatorSpec,
    children: list[int],
    units: list[Unit],
    values: dict[tuple[int | None, int], dict[int, ValueSpec]],
) -> dict[int, _Point]:
    """A unit counts in a year when it reported the indicator, or a provincial form of it,
    above zero (Hà Nội's share of districts for SCP-06). A unit in force that reported
    neither that year is missing: it might count, so the share is then partial and only a
    floor, over the same units in force (Hà Nội alone in 2025: 1 of 34, 33 missing). A
    year has a share once any unit reported into it, zero included."""
    related = {indicator.pk, *children}
    reported: dict[int, dict[int, ValueSpec]] = defaultdict(dict)
    positive: dict[int, dict[int, ValueSpec]] = defaultdict(dict)
    for (province_id, indicator_id), by_year in values.items():
        if province_id is None or indicator_id not in related:
            continue
        for year, value in by_year.items():
            number = engine.observed_value(value.observation)
            if number is None:
                continue
            reported[year].setdefault(province_id, value)
            if number > 0:
                positive[year][province_id] = value
    points = {}
    for year in sorted(reported):
        in_force = _units_in_force(units, year)
        if not any(unit.pk in reported[year] for unit in in_force):
            continue
        counted = [positive[year][u.pk] for u in in_force if u.pk in positive[year]]
        missing = [unit.label for unit in in_force if unit.pk not in reported[year]]
        derived = engine.share_of_units(len(counted), len(in_force), missing)
        # What the share rests on: the values counted, and a zero where a unit counts out.
        zeros = [
            reported[year][u.pk]
            for u in in_force
            if u.pk in reported[year] and u.pk not in positive[year]
        ]
        points[year] = _derived_point(year, derived, counted + zeros, in_force)
    return points


def _register_points(inputs: ProgressInputs, reported: dict[int, ValueSpec]) -> dict[int, _Point]:
    """Units in force on 31 December with a plan issued by then, their own or a former
    unit's: Bắc Kạn's 405/KH-UBND counts for the new Thái Nguyên from 2025.

    The register holds the plans someone entered, not necessarily every plan issued. Where
    the ministry reported more units with a plan (``reported``: 24 of 63 in 2022) than the
    register covers for that year, the register is missing plans from then on, since a plan
    is not withdrawn: its share is only a floor, and it cannot show the target missed."""

    def covered_in(year: int) -> list[Unit]:
        day = date(year, 12, 31)
        planned = {plan.province_id for plan in inputs.plans if plan.issued_on <= day}
        # A unit is covered by its own plan or by a plan of a unit it absorbed.
        planned |= {u.successor_id for u in inputs.units if u.pk in planned and u.successor_id}
        return [unit for unit in _units_in_force(inputs.units, year) if unit.pk in planned]

    shortfalls = []
    for reported_year, value in sorted(reported.items()):
        count = value.observation.numerator
        registered = len(covered_in(reported_year))
        if count is not None and registered < count:
            shortfalls.append((reported_year, count, registered))
    points = {}
    for year in inputs.register_years:
        day = date(year, 12, 31)
        in_force = _units_in_force(inputs.units, year)
        issued = [plan for plan in inputs.plans if plan.issued_on <= day]
        covered = covered_in(year)
        derived = engine.share_of_units(len(covered), len(in_force))
        # The register's own inputs: the plans counted, named, with their sources.
        covered_ids = {unit.pk for unit in covered}
        counted = covered_ids | {u.pk for u in inputs.units if u.successor_id in covered_ids}
        plans = [plan for plan in issued if plan.province_id in counted]
        values = {**derived.explanation.values, "plans": ", ".join(p.number for p in plans)}
        point = _derived_point(year, derived, [])
        known_short = [item for item in shortfalls if item[0] <= year]
        incomplete: dict[str, engine.ExplanationValue] | None = None
        if known_short:
            reported_year, count, registered = known_short[-1]
            incomplete = {
                "count": registered,
                "reported_count": int(count) if count == count.to_integral_value() else count,
                "reported_year": reported_year,
            }
        points[year] = _Point(
            point.observation,
            tuple(dict.fromkeys(plan.source for plan in plans)),
            partial=incomplete is not None,
            explanation=engine.Explanation("plan_register", values),
            floor=incomplete is not None,
            incomplete=incomplete,
        )
    return points


def _expected_in(
    unit: Unit,
    indicator: IndicatorSpec,
    targets: dict[tuple[int | None, int], list[TargetSpec]],
    values: dict[tuple[int | None, int], dict[int, ValueSpec]],
) -> Callable[[int], bool] | None:
    """The years a former unit was expected to report the indicator, by the report form's
    rule (``reports.selectors.form_indicator_ids``): every year for a national programme's
    indicator, which every unit reports; otherwise the years of a plan setting it a target,
    and every year from the first it gave a value. None: never, as the old Thái Nguyên for
    Bắc Kạn's 405/KH-UBND indicators, which it cannot be missing from. A year's own and
    earlier values decide it, as a recompute from a report's year assumes."""
    if indicator.national:
        return lambda year: True
    key = (unit.pk, indicator.pk)
    periods = [(spec.period_start, spec.period_end) for spec in targets.get(key, [])]
    first_value = min(values.get(key, {}), default=None)
    if not periods and first_value is None:
        return None

    def expected(year: int) -> bool:
        return (first_value is not None and first_value <= year) or any(
            start <= year and (end is None or year <= end) for start, end in periods
        )

    return expected


def _merged_points(
    unit: Unit,
    predecessors: list[Unit],
    indicator: IndicatorSpec,
    targets: dict[tuple[int | None, int], list[TargetSpec]],
    values: dict[tuple[int | None, int], dict[int, ValueSpec]],
) -> dict[int, _Point]:
    """The former units' figures combined, for the years before ``unit`` began, over the
    former units expected to report the indicator that year (``_expected_in``): a year
    lacks only those. A year only one of them reports has no combined figure: it would be
    that unit's own row again, under the merged unit's name, which the merged unit's page
    already shows as a former unit's (Bắc Kạn's 21,6 MW, once). From its first year the
    unit's own figure covers their areas: what its successor files for a former unit's area
    (Bắc Kạn's 2025 report on 405/KH-UBND) is judged on that unit's own row, and counted
    again here it would read as the merged unit's figure, with the other former unit
    "missing" from a year it no longer reports."""
    series = [
        (former.label, values.get((former.pk, indicator.pk), {}), expected)
        for former in predecessors
        if (expected := _expected_in(former, indicator, targets, values)) is not None
    ]
    if len(series) < 2:
        return {}
    years = sorted(
        year
        for year in {year for _label, by_year, _first in series for year in by_year}
        if unit.valid_from is None or date(year, 12, 31) < unit.valid_from
    )
    points = {}
    for year in years:
        expected = [(label, by_year) for label, by_year, expects in series if expects(year)]
        if len(expected) < 2:
            continue
        # Each former unit's value of the year, or None, and the values used, in one pass.
        observations: dict[str, engine.Observation | None] = {}
        used = []
        for label, by_year in expected:
            value = by_year.get(year)
            if value is None:
                observations[label] = None
            else:
                observations[label] = value.observation
                used.append(value)
        combined = engine.combine_predecessors(observations, indicator.measure)
        if isinstance(combined, engine.PerUnit):
            # Shares without their parts are not averaged: no combined value, the
            # explanation carries each former unit's figure.
            per_unit = {
                code: str(engine.observed_value(obs)) if obs else None
                for code, obs in combined.observations.items()
            }
            explanation = _with_ends(
                engine.Explanation(
                    combined.reason, {**combined.explanation.values, "per_unit": str(per_unit)}
                ),
                observations,
                predecessors,
            )
            observation = engine.Observation(year, None)
            # Partial only when a former unit gave nothing, and then naming it, as a
            # combined figure's row does.
            silent = [label for label, found in observations.items() if found is None]
            missing = _unit_ids(silent, predecessors)
            points[year] = _Point(observation, _cited(used), bool(missing), missing, explanation)
        else:
            points[year] = _derived_point(year, combined, used, predecessors)
    return points


def _interim_day(used: list[ValueSpec]) -> date | None:
    """A sum or share with a part as of 15/7/2022 is what was reached by then, not the
    year's figure: it stands for the earliest such day."""
    days = [
        day
        for spec in used
        if (day := spec.observation.as_of) is not None and engine.interim(spec.observation)
    ]
    return min(days, default=None)


def _unit_ids(labels: list[str], units: Iterable[Unit]) -> tuple[int, ...]:
    """The units the engine names by their labels (as the sentences print them) among
    ``units``, those of the roll-up it was given, as ids: the stored row keeps ids, since a
    name can stand for two units across the merger ("Lào Cai" in 2024 and in 2025), while
    within one roll-up, of the units in force on one day, it stands for one."""
    if not labels:
        return ()
    by_label: dict[str, int] = {}
    for unit in units:
        if by_label.setdefault(unit.label, unit.pk) != unit.pk:
            raise ValueError(f"two units of one roll-up are named {unit.label!r}")
    return tuple(by_label[label] for label in labels)


def _with_ends(
    explanation: engine.Explanation, names: Collection[str], units: Iterable[Unit]
) -> engine.Explanation:
    """``explanation`` with the last day of each unit among ``units`` that it names and that
    has ended (``until``, by name), so that its sentence labels the unit as every page does,
    "Thái Nguyên (until 30/6/2025)": missing from the new Thái Nguyên's combined figure,
    the bare name would read as the new unit itself. The day, not the label: the sentence
    is written when a page is read, in the reader's language."""
    if not names:
        return explanation
    named = set(names)
    ends = {
        unit.label: unit.valid_to.isoformat()
        for unit in units
        if unit.valid_to is not None and unit.label in named
    }
    if not ends:
        return explanation
    return engine.Explanation(explanation.code, {**explanation.values, "until": ends})


def _derived_point(
    year: int, derived: engine.Derived, used: list[ValueSpec], units: Sequence[Unit] = ()
) -> _Point:
    """``units``: those the derivation rolled up, which it names when they are missing."""
    # Positional arguments, passed at a fraction of keywords' cost, for each year of each
    # roll-up and merged unit.
    observation = engine.Observation(
        year,
        derived.value,
        derived.qualifier,
        derived.numerator,
        derived.denominator,
        None,
        _interim_day(used),
    )
    return _Point(
        observation,
        _cited(used),
        derived.partial,
        _unit_ids(derived.missing, units),
        _with_ends(derived.explanation, derived.missing, units),
        derived.floor,
    )
