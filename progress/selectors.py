"""Reads for recomputation (the engine's inputs) and for pages (the stored figures)."""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Min, Q, QuerySet
from django.utils import timezone

from indicators.models import Indicator, Target
from programmes.models import Document
from programmes.selectors import programme_current
from provinces.models import Province
from provinces.selectors import in_force_filter
from reports.models import Report, ReportedValue
from reports.selectors import FIRST_YEAR

from . import engine
from .inputs import IndicatorSpec, PlanSpec, ProgressInputs, TargetSpec, Unit, ValueSpec
from .models import Progress


def _value_specs(
    values: QuerySet[ReportedValue],
    shares: set[int],
    open_days: Mapping[tuple[int | None, int], date],
) -> list[ValueSpec]:
    """``shares``: the indicators measured in percent, the only ones whose numerator and
    denominator are a share's ("41 of 63 provinces" as a count keeps 41). ``open_days``:
    the day each approved report of a year not yet closed was sent, which its figures
    given without a day stand as of."""
    # A dictionary lookup, not Qualifier(...), and positional arguments, for each of a full
    # run's values.
    qualifiers = {member.value: member for member in engine.Qualifier}
    return [
        ValueSpec(
            province_id,
            indicator_id,
            engine.Observation(
                year,
                value,
                qualifiers[qualifier],
                numerator if indicator_id in shares else None,
                denominator if indicator_id in shares else None,
                qualitative_status or None,
                as_of if as_of is not None else open_days.get((province_id, year)),
            ),
            source,
        )
        for (
            province_id,
            indicator_id,
            year,
            value,
            qualifier,
            numerator,
            denominator,
            qualitative_status,
            as_of,
            source,
        ) in values.order_by().values_list(
            "report__province_id",
            "indicator_id",
            "report__year",
            "value",
            "qualifier",
            "numerator",
            "denominator",
            "qualitative_status",
            "as_of",
            "source",
        )
    ]


def progress_inputs(
    *,
    indicator_ids: Collection[int] | None = None,
    province_ids: Collection[int | None] | None = None,
    from_year: int | None = None,
    today: date | None = None,
) -> ProgressInputs:
    """Everything a recompute needs, in a fixed number of queries whatever the number of
    units or years.

    With ``indicator_ids`` only those indicators (and their provincial forms, which feed
    share-of-units roll-ups) are read; with ``province_ids`` only those units' values and
    their former units', plus every unit's values of the indicators that roll up. With
    ``from_year`` rows are computed for that year and later ones, on every year's values.
    """
    today = today or timezone.localdate()
    # A year's reports are due after it ends, so the last closed year is the one before.
    last_year = today.year - 1
    indicators = Indicator.objects.all()
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=indicator_ids) | indicators.filter(
            parent_id__in=indicator_ids
        )
    indicator_rows = list(
        indicators.values_list(
            "pk",
            "code",
            "measure",
            "direction",
            "accumulation",
            "rollup",
            "parent_id",
            "programme__kind",
        )
    )
    wanted = [row[0] for row in indicator_rows]
    rolling_up = {row[0] for row in indicator_rows if row[5]}
    # A share of units counts a unit through a provincial form of the indicator too (Hà Nội's
    # SCP-06 through its districts' SCP-06-HUYEN), so every unit's values of those feed it.
    rolled_up = [row[0] for row in indicator_rows if row[0] in rolling_up or row[6] in rolling_up]
    shares = {row[0] for row in indicator_rows if row[2] == Indicator.Measure.PERCENT}
    units = [
        Unit(*row)
        for row in Province.objects.values_list(
            "pk", "code", "valid_from", "valid_to", "successor_id", "name"
        )
    ]
    scope = frozenset(province_ids) if province_ids is not None else None
    target_filter = Q()
    scoped: list[int] = []
    if scope is not None:
        scoped = [pk for pk in scope if pk is not None]
        scoped += [unit.pk for unit in units if unit.successor_id in scope]
        target_filter = Q(province_id__in=scoped) | Q(province__isnull=True)
    targets = [
        TargetSpec(
            pk=pk,
            province_id=province_id,
            indicator_id=indicator_id,
            issued_on=issued_on,
            period_start=period_start,
            period_end=period_end,
            source=source,
            target=engine.Target(
                year, comparator, low, high, approximate, baseline_value, baseline_year
            ),
        )
        for (
            pk,
            province_id,
            indicator_id,
            issued_on,
            period_start,
            period_end,
            source,
            year,
            comparator,
            low,
            high,
            approximate,
            baseline_value,
            baseline_year,
        ) in Target.objects.filter(target_filter, indicator_id__in=wanted).values_list(
            "pk",
            "province_id",
            "indicator_id",
            "document__issued_on",
            "document__period_start",
            "document__period_end",
            "source",
            "year",
            "comparator",
            "low",
            "high",
            "approximate",
            "baseline_value",
            "baseline_year",
        )
    ]
    approved = ReportedValue.objects.filter(
        indicator_id__in=wanted, report__status=Report.Status.APPROVED
    )
    # A figure of a year not yet over, given without its day, is what was reached by the
    # day its report was sent: December may still change it, so it must not settle its
    # year's target. Once the year has closed the same figure stands for the whole year.
    open_days = {
        (province_id, year): timezone.localdate(sent) if sent else today
        for province_id, year, sent in Report.objects.filter(
            status=Report.Status.APPROVED, year__gt=last_year
        ).values_list("province_id", "year", "submitted_at")
    }
    if scope is None:
        values = _value_specs(approved, shares, open_days)
    else:
        # Two indexed reads instead of one OR across the join, which no index serves:
        # the scoped units' values, then the other units' values of what rolls up.
        in_scope = Q(report__province_id__in=scoped) | Q(report__province__isnull=True)
        values = _value_specs(approved.filter(in_scope), shares, open_days) + _value_specs(
            approved.filter(indicator_id__in=rolled_up).exclude(in_scope), shares, open_days
        )
    programme = programme_current(today=today)
    plans: list[PlanSpec] = []
    register_years = range(0)
    if programme:
        plans = [
            PlanSpec(*row)
            for row in Document.objects.filter(
                kind=Document.Kind.PROVINCIAL_PLAN, implements=programme
            )
            .order_by("issued_on", "number")
            .values_list("province_id", "issued_on", "number", "source")
        ]
        # Years already closed: the current year's register is not final before 31/12.
        register_years = range(programme.period_start, min(programme.period_end, last_year) + 1)
    return ProgressInputs(
        units=units,
        indicators=[
            IndicatorSpec(
                pk=pk,
                code=code,
                measure=engine.Measure(measure),
                direction=engine.Direction(direction or engine.Direction.INCREASE),
                accumulation=engine.Accumulation(accumulation or engine.Accumulation.LEVEL),
                rollup=rollup,
                parent_id=parent_id,
                national=kind == Document.Kind.NATIONAL_PROGRAMME,
            )
            for pk, code, measure, direction, accumulation, rollup, parent_id, kind in (
                indicator_rows
            )
        ],
        targets=targets,
        values=values,
        plans=plans,
        last_year=last_year,
        emit=frozenset(indicator_ids) if indicator_ids is not None else frozenset(wanted),
        province_scope=scope,
        register_years=register_years,
        from_year=from_year,
    )


# ------------------------------------------------------------------ dashboards
#
# Each reader below runs a fixed number of queries, whatever the number of units,
# indicators or years; the tests add some of each and assert the count is unchanged.

# Which of a target's rows stands for it when several origins assess the same target
# (SCP-09: reported 24 of 63, and the register of plans): the first that has a verdict.
ORIGIN_PREFERENCE = [
    Progress.Origin.REPORTED,
    Progress.Origin.PREDECESSORS,
    Progress.Origin.SUM,
    Progress.Origin.SHARE_OF_UNITS,
    Progress.Origin.PLAN_REGISTER,
]
# The worse status wins when one heat-map cell gathers several rows (an indicator's forms).
STATUS_SEVERITY = [
    Progress.Status.NOT_ACHIEVED,
    Progress.Status.OFF_TRACK,
    Progress.Status.AT_RISK,
    Progress.Status.ON_TRACK,
    Progress.Status.ACHIEVED,
    Progress.Status.QUALITATIVE_PENDING,
    Progress.Status.NO_DATA,
    Progress.Status.NO_TARGET,
]
HEATMAP_COLUMNS = 12
NATIONAL_LINES_PER_PAGE = 25
UNIT_PAGE_INDICATORS = 10


def last_closed_year(today: date | None = None) -> int:
    """A year's reports are due after it ends, so the last closed year is the one before."""
    return (today or timezone.localdate()).year - 1


def progress_current(rows: Collection[Progress]) -> Progress | None:
    """The row that says how a series stands now: assessed as of the latest year, and of
    those the nearest target year (2025 before 2030); then the first origin with a verdict,
    else the first with a figure."""
    if not rows:
        return None
    as_of = max(row.as_of_year for row in rows)
    latest = [row for row in rows if row.as_of_year == as_of]
    year = min(row.year for row in latest)
    candidates = [row for row in latest if row.year == year]

    def rank(row: Progress) -> tuple[bool, bool, int]:
        origin = ORIGIN_PREFERENCE.index(row.origin) if row.origin in ORIGIN_PREFERENCE else 9
        no_data = row.status == Progress.Status.NO_DATA
        # Of rows without a verdict, one holding a figure says why (a partial sum: "33 units
        # did not report into 12 models"); the empty reported row would say "nothing was
        # reported" beside that very figure.
        return (no_data, no_data and row.value is None, origin)

    return min(candidates, key=rank)


def rows_shown(rows: Collection[Progress]) -> list[Progress]:
    """The lines a page lists of the nation's rows, or of one unit's: the indicator page's
    national table and a document's targets apply this one rule. The ministry's own line of
    a year without a figure is left out where a roll-up of that year has one: SCP-05's 2025
    read "nothing was reported" on one line and the provinces' 2 models on the next. Where
    the roll-up has none either, its line alone stands for the year, naming the units
    missing from it, unless the ministry's line still has a verdict of its own."""
    rolled_up: dict[tuple[int | None, int], bool] = {}
    for row in rows:
        if row.origin != Progress.Origin.REPORTED:
            key = (row.province_id, row.year)
            rolled_up[key] = rolled_up.get(key, False) or row.value is not None

    def left_out(row: Progress) -> bool:
        if row.origin != Progress.Origin.REPORTED or row.value is not None:
            return False
        figure = rolled_up.get((row.province_id, row.year))
        return figure is True or (figure is False and row.status == Progress.Status.NO_DATA)

    return [row for row in rows if not left_out(row)]


def _units_reporting_from(indicator_ids: Collection[int]) -> dict[int, dict[int, int]]:
    """For each of these indicators, each unit with a figure of its own and its first year
    with one, in one query."""
    found: dict[int, dict[int, int]] = {}
    for indicator_id, province_id, first in (
        Progress.objects.filter(
            indicator_id__in=indicator_ids,
            province__isnull=False,
            origin=Progress.Origin.REPORTED,
            value__isnull=False,
        )
        .values_list("indicator_id", "province_id")
        .annotate(first=Min("year"))
        .order_by()
    ):
        found.setdefault(indicator_id, {})[province_id] = first
    return found


def _national_silence_said(rows: Collection[Progress], reporting_from: Mapping[int, int]) -> None:
    """The ministry's own rows with nothing reported up to their year (``no_observations``)
    say so as the ministry's silence, with how many units had reported figures of their own
    by then (``reporting_from``: each unit's first year with a figure of its own of the
    indicator, ``_units_reporting_from``): "nothing was reported" read as if no one had, on
    a page listing three provinces' 2025 figures of SCP-07, which nothing adds up into a
    national one.

    The rows change in memory only, for the page that shows them: the stored row keeps the
    engine's code, which the exports and the API give."""
    for row in rows:
        if row.province_id is not None or row.explanation_code != "no_observations":
            continue
        if row.origin != Progress.Origin.REPORTED:
            continue
        count = sum(1 for year in reporting_from.values() if year <= row.as_of_year)
        if count:
            row.explanation_code = "ministry_not_reported"
            row.explanation_values = {**row.explanation_values, "units_reported": count}


def _national_silences_said(rows_by_indicator: Mapping[int, Collection[Progress]]) -> None:
    """``_national_silence_said`` for each indicator's rows, reading the units' first years
    only where a national row has nothing reported."""
    silent = [
        pk
        for pk, rows in rows_by_indicator.items()
        if any(r.province_id is None and r.explanation_code == "no_observations" for r in rows)
    ]
    if not silent:
        return
    reporting = _units_reporting_from(silent)
    for pk in silent:
        _national_silence_said(rows_by_indicator[pk], reporting.get(pk, {}))


def progress_latest_value(rows: Collection[Progress]) -> Progress | None:
    with_value = [row for row in rows if row.value is not None]
    return max(with_value, key=lambda row: (row.year, row.origin == "reported"), default=None)


@dataclass(frozen=True)
class NationalTargetLine:
    indicator: Indicator
    marks: dict[int, Target]
    current: Progress | None
    latest: Progress | None
    trend: list[tuple[int, float]]
    # The ministry's own latest figure when ``latest`` is a derived one (SCP-09: the
    # register's 5,9 % in 2025, and the reported 38,1 % in 2022 beside it).
    reported: Progress | None = None


@dataclass(frozen=True)
class HeatSource:
    """A unit whose row gives a heat-map cell its status: the cell's own unit or one of its
    former units; ``combined`` for the merged unit's roll-up of its former units."""

    unit: Province
    combined: bool = False


@dataclass(frozen=True)
class HeatCell:
    status: str
    anchor: str
    # Whose rows give the status, when any is not the unit's own report: the new Thái
    # Nguyên's SCP-07 cell is Bắc Kạn's 80 % against 405/KH-UBND's 85 %, which a reader
    # took for Thái Nguyên's own miss. Empty when the unit's own figure alone gives it.
    sources: tuple[HeatSource, ...] = ()


@dataclass(frozen=True)
class Overview:
    units_in_force: list[Province]
    units_with_plan: int
    national: list[NationalTargetLine]
    national_page: Page  # of the national indicators' ids; `national` holds their lines
    status_counts: dict[str, int]
    columns: list[Indicator]
    more_columns: list[Indicator]
    heatmap: list[tuple[Province, list[HeatCell | None]]]


def _indicator_roots(indicators: list[Indicator]) -> dict[int, Indicator]:
    """Each indicator's national form: HN-DN-KCN → SCP-04-KCN → SCP-04."""
    by_pk = {indicator.pk: indicator for indicator in indicators}
    roots: dict[int, Indicator] = {}
    for indicator in indicators:
        root, seen = indicator, set()
        while root.parent_id and root.parent_id in by_pk and root.pk not in seen:
            seen.add(root.pk)
            root = by_pk[root.parent_id]
        roots[indicator.pk] = root
    return roots


def _severity(status: str) -> int:
    return STATUS_SEVERITY.index(status) if status in STATUS_SEVERITY else len(STATUS_SEVERITY)


def _heat_sources(
    unit: Province, giving: Collection[tuple[int, bool]], lineage: Mapping[int, Province]
) -> tuple[HeatSource, ...]:
    """Whose rows, (unit id, combined), give ``unit``'s heat-map cell its status: none
    when the unit's own report alone does; otherwise each, the unit first, then its former
    units by code."""
    if set(giving) == {(unit.pk, False)}:
        return ()
    ordered = sorted(
        set(giving), key=lambda pair: (pair[0] != unit.pk, lineage[pair[0]].code, pair[1])
    )
    return tuple(HeatSource(lineage[pk], combined) for pk, combined in ordered)


def progress_overview(*, today: date | None = None, national_page_number: int = 1) -> Overview:
    """The national overview: tiles, national targets (a page of them), the heat map; who
    has reported is ``reports.selectors.reporting_overview``."""
    from django.db.models import Exists, OuterRef

    today = today or timezone.localdate()
    programme = programme_current(today=today)
    in_force = list(Province.objects.filter(in_force_filter(today)).order_by("code"))
    in_force_ids = {unit.pk for unit in in_force}
    plans = (
        Document.objects.filter(kind=Document.Kind.PROVINCIAL_PLAN, implements=programme)
        .values_list("province_id", "province__successor_id")
        .distinct()
        if programme
        else []
    )
    with_plan = {pk for pair in plans for pk in pair if pk in in_force_ids}
    indicators = list(
        Indicator.objects.annotate(
            for_units=Exists(
                Progress.objects.filter(indicator=OuterRef("pk"), province__isnull=False)
            )
            | Exists(Target.objects.filter(indicator=OuterRef("pk"), province__isnull=False))
        ).order_by("code")
    )
    roots = _indicator_roots(indicators)
    key = sorted(
        {
            roots[indicator.pk].pk
            for indicator in indicators
            if indicator.for_units  # type: ignore[attr-defined]
            and programme
            and roots[indicator.pk].programme_id == programme.pk
        }
    )
    by_pk = {indicator.pk: indicator for indicator in indicators}
    key_indicators = sorted((by_pk[pk] for pk in key), key=lambda i: i.code)
    columns, more = key_indicators[:HEATMAP_COLUMNS], key_indicators[HEATMAP_COLUMNS:]
    column_ids = {indicator.pk for indicator in columns}
    forms = [i.pk for i in indicators if roots[i.pk].pk in column_ids]

    counts, national_page = _national_status_counts(programme, page=national_page_number)
    national = _national_lines(programme, [int(pk) for pk in national_page.object_list])

    # Units in force with their former units, whose plans and figures they carry on.
    lineage = {
        unit.pk: unit
        for unit in Province.objects.filter(
            Q(pk__in=in_force_ids) | Q(successor_id__in=in_force_ids)
        )
    }
    owner = {pk: (pk if pk in in_force_ids else unit.successor_id) for pk, unit in lineage.items()}
    # Plain lookups: this loop sees every stored year of every unit × key indicator.
    column_of = {pk: roots[pk].pk for pk in forms}
    code_of = {pk: by_pk[pk].code for pk in forms}
    cells: dict[tuple[int, int], list[tuple[int, int, str, str, int, bool]]] = {}
    for province_id, indicator_id, year, as_of_year, status, origin in Progress.objects.filter(
        province_id__in=owner, indicator_id__in=forms
    ).values_list("province_id", "indicator_id", "year", "as_of_year", "status", "origin"):
        cell = (owner[province_id], column_of[indicator_id])
        combined = origin == Progress.Origin.PREDECESSORS
        cells.setdefault(cell, []).append(
            (as_of_year, -year, status, code_of[indicator_id], province_id, combined)
        )
    heatmap = []
    for unit in in_force:
        line: list[HeatCell | None] = []
        for column in columns:
            found = cells.get((unit.pk, column.pk))
            if not found:
                line.append(None)
                continue
            # As of the latest year; of those rows, the nearest target year (-year is largest).
            as_of, year = max(found)[:2]
            now = [item for item in found if item[0] == as_of and item[1] == year]
            status, code = min(
                ((item[2], item[3]) for item in now), key=lambda pair: _severity(pair[0])
            )
            giving = [(item[4], item[5]) for item in now if item[2] == status]
            line.append(HeatCell(status, code, _heat_sources(unit, giving, lineage)))
        heatmap.append((unit, line))
    return Overview(
        units_in_force=in_force,
        units_with_plan=len(with_plan),
        national=national,
        national_page=national_page,
        status_counts=counts,
        columns=columns,
        more_columns=more,
        heatmap=heatmap,
    )


@dataclass(frozen=True)
class _Assessment:
    """The columns of a Progress row that say how it stands, without building the row."""

    target_id: int | None
    year: int
    as_of_year: int
    origin: str
    status: str
    value: Decimal | None


def _national_status_counts(
    programme: Document | None, *, page: int
) -> tuple[dict[str, int], Page]:
    """Every national target counted once, with the status of the row that assesses it; and
    the page of the programme's indicators (by code) whose lines the overview shows."""
    counts = {status: 0 for status in Progress.Status.values}
    targets = (
        list(
            Target.objects.filter(document=programme, province__isnull=True)
            .order_by("indicator__code", "year")
            .values_list("pk", "indicator_id", "year")
        )
        if programme
        else []
    )
    indicator_ids = list(dict.fromkeys(indicator_id for _pk, indicator_id, _year in targets))
    assessments: dict[tuple[int, int], list[_Assessment]] = {}
    for row in Progress.objects.filter(
        province__isnull=True, target_id__in=[pk for pk, _i, _y in targets]
    ).values_list("target_id", "year", "as_of_year", "origin", "status", "value"):
        assessments.setdefault((row[0], row[1]), []).append(_Assessment(*row))
    for pk, _indicator_id, year in targets:
        assessed = assessments.get((pk, year))
        if assessed:
            counts[progress_current(assessed).status] += 1  # type: ignore[arg-type,union-attr]
    return counts, Paginator(indicator_ids, NATIONAL_LINES_PER_PAGE).get_page(page)


def _national_lines(
    programme: Document | None, indicator_ids: list[int]
) -> list[NationalTargetLine]:
    """Each of these indicators with its national targets (the 2025 and 2030 marks), the
    row that says how it stands now, its latest figure and its trend."""
    marks_by_indicator: dict[int, dict[int, Target]] = {pk: {} for pk in indicator_ids}
    for target in Target.objects.filter(
        document=programme, indicator_id__in=indicator_ids, province__isnull=True
    ).select_related("indicator"):
        marks_by_indicator[target.indicator_id][target.year] = target
    rows_by_indicator: dict[int, list[Progress]] = {}
    for row in (
        Progress.objects.filter(province__isnull=True, indicator_id__in=indicator_ids)
        # The overview writes the figure, its status and its sentence; the sources and the
        # paths are the indicator page's, and decoding them was most of this query's time.
        .defer("sources", "required_path", "missing_unit_ids")
        .order_by("year")
    ):
        rows_by_indicator.setdefault(row.indicator_id, []).append(row)
    _national_silences_said(rows_by_indicator)
    lines = []
    for indicator_id, marks in marks_by_indicator.items():
        if not marks:
            continue
        rows = rows_by_indicator.get(indicator_id, [])
        latest = progress_latest_value(rows)
        trend_origin = latest.origin if latest else None
        reported = None
        if latest is not None and latest.origin != Progress.Origin.REPORTED:
            own = [row for row in rows if row.origin == Progress.Origin.REPORTED]
            reported = progress_latest_value(own)
        lines.append(
            NationalTargetLine(
                indicator=next(iter(marks.values())).indicator,
                marks=marks,
                current=progress_current(rows),
                latest=latest,
                trend=[
                    (row.year, float(row.value))
                    for row in rows
                    if row.value is not None and row.origin == trend_origin
                ],
                reported=reported,
            )
        )
    return lines


@dataclass(frozen=True)
class UnitProgress:
    indicators: list[Indicator]
    rows: dict[int, list[Progress]]
    page: int
    pages: int


def progress_for_unit(*, lineage: list[Province], page: int = 1) -> UnitProgress:
    """A unit's stored figures and its former units', a page of indicators at a time: a
    unit reporting on hundreds of indicators must not make a page of megabytes."""
    ids = (
        Progress.objects.filter(province__in=lineage)
        .values_list("indicator_id", "indicator__code")
        .distinct()
        .order_by("indicator__code")
    )
    all_ids = [pk for pk, _code in ids]
    pages = max(1, -(-len(all_ids) // UNIT_PAGE_INDICATORS))
    page = min(max(page, 1), pages)
    wanted = all_ids[(page - 1) * UNIT_PAGE_INDICATORS : page * UNIT_PAGE_INDICATORS]
    rows: dict[int, list[Progress]] = {}
    indicators: dict[int, Indicator] = {}
    for row in (
        Progress.objects.filter(province__in=lineage, indicator_id__in=wanted)
        .select_related("indicator", "target", "province")
        .order_by("indicator__code", "year", "province__code", "origin")
    ):
        indicators.setdefault(row.indicator_id, row.indicator)
        rows.setdefault(row.indicator_id, []).append(row)
    return UnitProgress(indicators=list(indicators.values()), rows=rows, page=page, pages=pages)


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    forms: list[Indicator]
    rows: list[Progress]
    national_targets: list[Target]
    # Units in force with no approved value for the indicator or any of its provincial
    # forms, counting their former units' (SCP-06 is reported as SCP-06-HUYEN), of those
    # expected to report it; none for an indicator units do not report
    # (``Indicator.reported_by_units``).
    units_without_data: list[Province]
    # The units in force expected to report it, for an indicator a plan defines (Bắc Kạn's
    # BK-NLTT-CS: the new Thái Nguyên, which carries on 405/KH-UBND); None for the national
    # programme's, which every unit reports.
    units_expected: list[Province] | None = None


def _units_reporting(
    indicator: Indicator, indicator_ids: list[int], units: list[Province]
) -> tuple[list[Province] | None, list[Province]]:
    """The units in force expected to report the indicator (None: all of them) and those
    of them with no approved value of it or of its forms in any year, a former unit's
    counting for the unit it merged into.

    Expected is the report form's rule (``reports.selectors.form_indicator_ids``) over
    every year: the national programme's indicators of every unit; a plan's of the units
    given a target for it, or that reported it, and the plan's own unit — each, or the
    unit it merged into. The page listed 33 units as "without data" of BK-NLTT-CS, which no
    form but Bắc Kạn's (and the new Thái Nguyên's for its area) asks for."""
    in_force = {unit.pk for unit in units}
    reported = ReportedValue.objects.filter(indicator_id__in=indicator_ids).values_list(
        "report__province_id", "report__province__successor_id", "report__status"
    )
    with_data: set[int] = set()
    reporting: set[int | None] = set()
    for province_id, successor_id, status in reported.distinct():
        reporting |= {province_id, successor_id}
        if status == Report.Status.APPROVED:
            with_data |= {province_id, successor_id}
    expected: list[Province] | None = None
    programme = indicator.programme
    # A national programme that ended before the years reported here (1419/QĐ-TTg, to
    # 2020) is in no unit's form: read as every unit's, its page listed all 34 as silent.
    every_unit = (
        programme.kind == Document.Kind.NATIONAL_PROGRAMME and programme.period_end >= FIRST_YEAR
    )
    if not every_unit:
        plan_unit = programme.province
        defining: set[int | None] = set(reporting)
        if plan_unit is not None:
            defining |= {plan_unit.pk, plan_unit.successor_id}
        for pair in Target.objects.filter(
            indicator_id__in=indicator_ids, province__isnull=False
        ).values_list("province_id", "province__successor_id"):
            defining |= set(pair)
        expected = [unit for unit in units if unit.pk in defining & in_force]
    return expected, [
        unit for unit in (units if expected is None else expected) if unit.pk not in with_data
    ]


def progress_for_indicator(*, code: str, today: date | None = None) -> IndicatorProgress:
    """Raises Indicator.DoesNotExist."""
    today = today or timezone.localdate()
    indicator = Indicator.objects.select_related("parent", "programme__province").get(code=code)
    forms = list(Indicator.objects.filter(parent=indicator).order_by("code"))
    in_force = list(Province.objects.filter(in_force_filter(today)).order_by("code"))
    rows = list(
        Progress.objects.filter(indicator=indicator)
        .select_related("province", "target")
        .order_by("year", "province__code", "origin")
    )
    _national_silences_said({indicator.pk: rows})
    expected, without_data = (
        _units_reporting(indicator, [indicator.pk, *(form.pk for form in forms)], in_force)
        if indicator.reported_by_units
        else (None, [])
    )
    return IndicatorProgress(
        indicator=indicator,
        forms=forms,
        rows=rows,
        national_targets=list(
            Target.objects.filter(indicator=indicator, province__isnull=True)
            .select_related("document")
            .order_by("year")
        ),
        units_without_data=without_data,
        units_expected=expected,
    )


def national_target_ahead(*, targets: list[Target], last_year: int) -> Target | None:
    """The national target an indicator's page draws as its line: the nearest one not yet
    past (2025, then 2030), and once all are past the last one set. ``targets`` by year."""
    ahead = [t for t in targets if t.year >= last_year]
    if ahead:
        return ahead[0]
    return targets[-1] if targets else None


@dataclass(frozen=True)
class TargetStanding:
    """How one origin's rows stand on a target: the latest row (status, explanation) and
    the latest figure of its series up to the year the row is seen from, the one its
    sentence cites, which the target year's own row often lacks (SCP-02: nothing for 2025,
    5 documents in 2022)."""

    row: Progress
    figure: Progress | None


def progress_for_document(*, targets: Collection[Target]) -> dict[int, list[TargetStanding]]:
    """For each of these targets (of one document), the latest row of each origin that
    assesses it, with that origin's latest figure; of those rows, the ones ``rows_shown``
    lists."""
    target_ids = {target.pk for target in targets}
    # The figure may have been judged against another target: Bắc Kạn's 21,6 MW of 2022
    # against 2025's "khoảng 35 MW", yet it is the latest figure the 2030 row is judged by.
    # So the series' figures are read with the rows, in the same query.
    units = Q(province__in={target.province_id for target in targets} - {None})
    if any(target.province_id is None for target in targets):
        units |= Q(province__isnull=True)
    series = Q(indicator__in={target.indicator_id for target in targets}, value__isnull=False)
    latest: dict[tuple[int, str], Progress] = {}
    figures: dict[tuple[int | None, int, str], list[Progress]] = {}
    for row in Progress.objects.filter(Q(target__in=target_ids) | (series & units)).order_by(
        "year"
    ):
        if row.value is not None:
            figures.setdefault((row.province_id, row.indicator_id, row.origin), []).append(row)
        if row.target_id in target_ids:
            latest[(row.target_id, row.origin)] = row  # type: ignore[index]

    def latest_figure(row: Progress) -> Progress | None:
        own = figures.get((row.province_id, row.indicator_id, row.origin), [])
        return next((f for f in reversed(own) if f.year <= row.as_of_year), None)

    by_indicator: dict[int, list[Progress]] = {}
    for row in latest.values():
        by_indicator.setdefault(row.indicator_id, []).append(row)
    _national_silences_said(by_indicator)
    by_target: dict[int, list[TargetStanding]] = {}
    for key, row in sorted(
        latest.items(),
        key=lambda item: (
            ORIGIN_PREFERENCE.index(item[0][1]) if item[0][1] in ORIGIN_PREFERENCE else 9
        ),
    ):
        by_target.setdefault(key[0], []).append(TargetStanding(row, latest_figure(row)))
    for target_id, standings in by_target.items():
        shown = {id(row) for row in rows_shown([standing.row for standing in standings])}
        by_target[target_id] = [standing for standing in standings if id(standing.row) in shown]
    return by_target
