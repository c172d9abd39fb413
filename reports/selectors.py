"""Reads of reported values, each in a fixed number of queries."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from accounts.models import User
from indicators.models import Indicator, Target
from programmes.models import Document
from progress import engine
from provinces.models import Province
from provinces.selectors import (
    province_lineage,
    province_merger,
    provinces_in_force,
    reporting_day,
)

from .models import Report, ReportedValue, ReportingDeadline, ReportTransition, ValueChange

MINISTRY_ROLES = {User.Role.ADMINISTRATOR, User.Role.REVIEWER}
FIRST_YEAR = 2021  # the programme's first year (889/QĐ-TTg, 2021–2030)


def reportable_years(*, today: date | None = None) -> range:
    """The years a report can be filed for: from the programme's first to this one, and
    none after the last year of a national programme (889/QĐ-TTg's 2030). A report for 2031
    would answer no programme, and the status page counted every unit late for it. One
    query: the last year is the programmes' own, so a programme loaded after 889 carries
    reporting on."""
    this_year = (today or timezone.localdate()).year
    last = Document.objects.filter(kind=Document.Kind.NATIONAL_PROGRAMME).aggregate(
        last=Max("period_end")
    )["last"]
    # Before any programme is loaded nothing bounds the years but the calendar.
    return range(FIRST_YEAR, min(this_year, last or this_year) + 1)


def year_due(*, years: range, today: date | None = None) -> int:
    """The year whose reports are being filed: the last closed one, a year's reports being
    due after it ends, within ``years`` (``reportable_years``): 2030 still in 2032."""
    last_closed = (today or timezone.localdate()).year - 1
    return max(years.start, min(last_closed, years.stop - 1))


@dataclass(frozen=True)
class Deadline:
    """A year's reports' deadline (``deadlines_for``), and whether it has passed."""

    year: int
    due: date
    overdue: bool


def deadline_of(*, year: int, today: date | None = None) -> Deadline:
    today = today or timezone.localdate()
    due = deadlines_for(years=[year])[year]
    return Deadline(year=year, due=due, overdue=today > due)


def provinces_reported_by(*, user: User | AnonymousUser) -> set[int]:
    """The units an officer reports for: their unit and every unit that merged into it
    (an officer of the new Thái Nguyên files Bắc Kạn's 2024 figures)."""
    if not user.is_authenticated or user.role != User.Role.OFFICER or user.province is None:
        return set()
    # Kept on the user object, as Django's ModelBackend keeps its _perm_cache: a request
    # loads its user afresh, and one API write asks this for the permission check, the
    # form's units and the answer's history. A user object kept longer keeps the units.
    if not hasattr(user, "_reported_by"):
        user._reported_by = {unit.pk for unit in province_lineage(province=user.province)}  # type: ignore[union-attr]
    return set(user._reported_by)  # type: ignore[union-attr]


@dataclass(frozen=True)
class OpenChoices:
    """What the forms that open a report or fetch its template offer a person."""

    units: list[Province]  # the units they report for, those in force first
    years: list[int]  # the reportable years (``reportable_years``), latest first
    default_year: int  # the year whose reports are due (``year_due``)
    # Of ``years``, those each unit files a report for (``unit_reports_in``), by unit id:
    # the forms pick a unit and a year apart, and offer for a year only its units.
    years_of: dict[int, list[int]]

    @property
    def offered(self) -> list[tuple[Province, list[int]]]:
        return [(unit, self.years_of[unit.pk]) for unit in self.units]


def report_open_choices(*, user: User | AnonymousUser, today: date | None = None) -> OpenChoices:
    reportable = reportable_years(today=today)
    years = list(reversed(reportable))
    units = list(
        Province.objects.filter(pk__in=provinces_reported_by(user=user)).order_by(
            "valid_to", "code"
        )
    )
    # Read only for someone with units to offer: a visitor's list page asks nothing more.
    former = former_areas() if units else None
    return OpenChoices(
        units=units,
        years=years,
        default_year=year_due(years=reportable, today=today),
        years_of={
            unit.pk: [
                year for year in years if unit_reports_in(province=unit, year=year, former=former)
            ]
            for unit in units
        },
    )


@dataclass(frozen=True)
class FormerAreas:
    """Former units whose own plan still runs after they ended (Bắc Kạn to 30/6/2025, its
    405/KH-UBND to 2030): their successor files those years' figures for their area, on the
    plan's indicators only. By unit: ``years`` after it ended, ``indicators`` of its plans."""

    years: dict[int, set[int]]
    indicators: dict[int, set[int]]


def former_areas() -> FormerAreas:
    """Two queries, whatever the number of units."""
    years: dict[int, set[int]] = {}
    plans = Document.objects.filter(
        kind=Document.Kind.PROVINCIAL_PLAN, province__valid_to__isnull=False
    ).values_list("province_id", "province__valid_to", "period_start", "period_end")
    for province_id, valid_to, start, end in plans:
        after = {year for year in range(start, end + 1) if reporting_day(year) > valid_to}
        years.setdefault(province_id, set()).update(after)
    indicators: dict[int, set[int]] = {}
    for province_id, indicator_id in Target.objects.filter(province_id__in=years).values_list(
        "province_id", "indicator_id"
    ):
        indicators.setdefault(province_id, set()).add(indicator_id)
    return FormerAreas(years, indicators)


def unit_reports_in(*, province: Province, year: int, former: FormerAreas | None = None) -> bool:
    """A year's report is filed by the units in force on its 31 December, and for a former
    unit's area in the years its own plan still runs (see ``FormerAreas``)."""
    if province.in_force_on(reporting_day(year)):
        return True
    return year in (former or former_areas()).years.get(province.pk, set())


def ended_before(*, province: Province | None, year: int) -> bool:
    """Whether the unit had ended by ``year``'s reporting day: a report of it for that year
    is one for its area, on its own plan's indicators only (see ``FormerAreas``)."""
    return (
        province is not None
        and province.valid_to is not None
        and province.valid_to < reporting_day(year)
    )


@dataclass(frozen=True)
class AreaPlans:
    """A former unit's area and its own plans running in a year after it ended."""

    area: Province
    plans: list[Document]

    @property
    def numbers(self) -> str:
        return ", ".join(plan.number for plan in self.plans)


@dataclass(frozen=True)
class MergedUnitScope:
    """A merged unit's report (the new Thái Nguyên's, from 2025): its figures are for the
    whole unit, the areas of the units it was formed from (``formed_from``, since ``on``)
    included. Of those, ``own_plans`` are the areas whose own plan still runs: each has its
    own report, on that plan's indicators only, which the national figures do not add
    again (``progress.explanations``' "area_in_successor")."""

    unit: Province
    on: date
    formed_from: list[Province]
    own_plans: list[AreaPlans]

    @property
    def formed_from_labels(self) -> str:
        return get_text_list([unit.label for unit in self.formed_from], _("and"))


@dataclass(frozen=True)
class FormerAreaScope:
    """A former unit's area report for a year after it ended (Bắc Kạn's, from 2025): its
    own plans' indicators only, filed by the officers of ``successor``."""

    successor: Province
    own_plans: AreaPlans


def report_scope(*, report: Report) -> MergedUnitScope | FormerAreaScope | None:
    """What a report covers where the merger of 1/7/2025 leaves it in doubt: an officer of
    the new Thái Nguyên was not told whether its figures include Bắc Kạn's area, which also
    has a report of its own. None for any other report. At most two queries; none for a
    unit that no merger formed or ended."""
    province = report.province
    if province is None:
        return None

    def plans_of(units: list[Province]) -> QuerySet[Document]:
        return Document.objects.filter(
            kind=Document.Kind.PROVINCIAL_PLAN,
            province__in=units,
            period_start__lte=report.year,
            period_end__gte=report.year,
        ).order_by("issued_on", "number")

    if ended_before(province=province, year=report.year):
        if province.successor is None:
            return None
        return FormerAreaScope(
            successor=province.successor, own_plans=AreaPlans(province, list(plans_of([province])))
        )
    if province.valid_from is None:
        return None
    lineage = [province, *Province.objects.filter(successor=province)]
    merger = province_merger(province=province, lineage=lineage)
    if merger is None:
        return None
    plans: dict[int, list[Document]] = defaultdict(list)
    for plan in plans_of(merger.merged):
        plans[plan.province_id].append(plan)
    return MergedUnitScope(
        unit=province,
        on=province.valid_from,
        formed_from=merger.merged,
        own_plans=[AreaPlans(unit, plans[unit.pk]) for unit in merger.merged if unit.pk in plans],
    )


def reports_visible_to(*, user: User | AnonymousUser) -> QuerySet[Report]:
    """Approved reports are public; officers also see their own units' drafts; the
    ministry sees everything."""
    reports = Report.objects.select_related("province")
    if user.is_authenticated and user.role in MINISTRY_ROLES:
        return reports
    visible = Q(status=Report.Status.APPROVED)
    reach = provinces_reported_by(user=user)
    if reach:
        visible |= Q(province_id__in=reach)
    return reports.filter(visible)


def report_get_for_user(*, user: User | AnonymousUser, pk: int) -> Report:
    """The report, or 404 for anyone who may not see it: an id reveals nothing."""
    report = reports_visible_to(user=user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def user_writes_report(*, user: User | AnonymousUser, report: Report) -> bool:
    """Whether the report is this person's to write, whatever its status now: its unit's
    officers, or the administrator for the national one."""
    if not user.is_authenticated:
        return False
    if report.province_id is None:
        return user.role == User.Role.ADMINISTRATOR
    return report.province_id in provinces_reported_by(user=user)


def user_can_edit_report(*, user: User | AnonymousUser, report: Report) -> bool:
    return report.is_editable and user_writes_report(user=user, report=report)


def user_can_import_into(*, user: User | AnonymousUser, report: Report) -> bool:
    """Whether a spreadsheet import can write into the report for this person: an officer's
    unit's report that is still open (draft or returned)."""
    return (
        user.is_authenticated
        and user.role == User.Role.OFFICER
        and report.province_id is not None
        and user_can_edit_report(user=user, report=report)
    )


def import_room_in(*, choices: OpenChoices) -> bool:
    """Whether an import could write anything for an officer offered ``choices``
    (``report_open_choices``, which a page has already read): a unit and year it files
    whose report is open (draft or returned) or not opened yet. One query."""
    if not choices.units:
        return False
    locked = set(
        Report.objects.filter(province__in=choices.units)
        .exclude(status__in=[Report.Status.DRAFT, Report.Status.RETURNED])
        .values_list("province_id", "year")
    )
    return any((unit.pk, year) not in locked for unit, years in choices.offered for year in years)


def user_can_review(*, user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.role in MINISTRY_ROLES


@dataclass(frozen=True)
class FormRow:
    """One line of a report's form: the indicator, its target in the document's words,
    last year's value (see ``last_year_values``) and this report's value."""

    indicator: Indicator
    target: Target | None
    previous: Decimal | None
    current: ReportedValue | None
    # With no target in force: the last one set, by a plan that ended before the year.
    ended: Target | None = None


def form_indicator_ids(
    *, reports: Iterable[tuple[Province | None, int]]
) -> dict[tuple[int | None, int], set[int]]:
    """The indicators each unit-and-year report asks for, by (unit id, year); no unit is the
    national report. The one rule the form, the API and the spreadsheet import apply: every
    indicator the unit has a target for in a plan in force that year, every one it reported
    before, and the national programme's indicators — for a former unit's area after it
    ended, its plan's only (see ``FormerAreas``). Three queries however many reports."""
    wanted = {
        (province.pk if province else None, year): (province, year) for province, year in reports
    }
    if not wanted:
        return {}
    ids = {pk for pk, _year in wanted if pk is not None}
    national_report = any(pk is None for pk, _year in wanted)

    def of_units(path: str) -> Q:
        """The reports' units through ``path``, and no unit for the national report."""
        units = Q(**{f"{path}province_id__in": ids})
        return units | Q(**{f"{path}province__isnull": True}) if national_report else units

    first, last = min(year for _pk, year in wanted), max(year for _pk, year in wanted)
    targeted: dict[int | None, list[tuple[int, int, int]]] = defaultdict(list)
    for province_id, indicator_id, start, end in Target.objects.filter(
        of_units(""), document__period_start__lte=last, document__period_end__gte=first
    ).values_list("province_id", "indicator_id", "document__period_start", "document__period_end"):
        targeted[province_id].append((indicator_id, start, end))
    reported: dict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for province_id, year, indicator_id in (
        ReportedValue.objects.filter(of_units("report__"), report__year__lt=last)
        .values_list("report__province_id", "report__year", "indicator_id")
        .distinct()
    ):
        reported[province_id].append((year, indicator_id))
    national = list(
        Indicator.objects.filter(programme__kind=Document.Kind.NATIONAL_PROGRAMME).values_list(
            "pk", "programme__period_start", "programme__period_end"
        )
    )
    result: dict[tuple[int | None, int], set[int]] = {}
    for (pk, year), (province, _year) in wanted.items():
        found = {i for i, start, end in targeted[pk] if start <= year <= end}
        if not ended_before(province=province, year=year):
            # The successor reports the programme's indicators as itself; for the former
            # unit's area it reports what that unit's own plan still asks.
            found |= {i for before, i in reported[pk] if before < year}
            found |= {i for i, start, end in national if start <= year <= end}
        result[(pk, year)] = found
    return result


def indicator_refusal(*, indicator: Indicator, province: Province, year: int) -> str:
    """Why ``indicator`` is not one of the report of ``province`` for ``year`` (see
    ``form_indicator_ids``), in words an officer can act on. ``indicator.programme`` and
    its unit are read, so load them with it, and the unit's successor with the unit."""
    plan = indicator.programme
    if ended_before(province=province, year=year):
        successor = province.successor
        if successor is not None:
            # The code to write instead, as the reverse refusal below gives 06 for Bắc
            # Kạn's own plan under the new Thái Nguyên. The unit's label says when it ended.
            return _(
                "once %(unit)s ended, only its own plan's indicators are reported for its "
                "area; report %(code)s under the code %(successor_code)s (%(successor)s), "
                "the unit it became part of"
            ) % {
                "unit": province.label,
                "code": indicator.code,
                "successor_code": successor.code,
                "successor": successor.label,
            }
        return _(
            "once %(unit)s ended, only its own plan's indicators are reported for its "
            "area; %(code)s is reported by the unit it became part of"
        ) % {
            "unit": province.label,
            "code": indicator.code,
        }
    if plan is not None and plan.kind == Document.Kind.PROVINCIAL_PLAN and plan.province:
        if plan.province_id != province.pk:
            if plan.province.successor_id == province.pk and unit_reports_in(
                province=plan.province, year=year
            ):
                return _(
                    "%(code)s is an indicator of %(plan)s, the plan of %(former)s: report it "
                    "for the area of %(former)s, under the code %(former_code)s"
                ) % {
                    "code": indicator.code,
                    "plan": plan.number,
                    "former": plan.province.label,
                    "former_code": plan.province.code,
                }
            return _(
                "%(code)s is an indicator of %(plan)s, the plan of another unit: "
                "%(unit)s does not report it"
            ) % {"code": indicator.code, "plan": plan.number, "unit": province.label}
        if not plan.period_start <= year <= plan.period_end:
            return _(
                "%(code)s is an indicator of %(plan)s, which covers %(period)s: it is "
                "not on the %(year)d report of %(unit)s"
            ) % {
                "code": indicator.code,
                "plan": plan.number,
                "period": plan.period,
                "year": year,
                "unit": province.label,
            }
    return _(
        "%(code)s is not on the %(year)d report of %(unit)s: no plan in force that year sets "
        "it a target and it was not reported before"
    ) % {"code": indicator.code, "year": year, "unit": province.label}


def last_year_values(
    *, keys: Collection[tuple[Province | None, int]], indicator_ids: Collection[int] | None = None
) -> dict[tuple[int | None, int], dict[int, Decimal]]:
    """For each (unit, year), last year's value per indicator, whatever its report's status:
    the figure the form shows beside each field, and the one a running total is checked
    against.

    A unit formed during last year or later (the new Thái Nguyên, from 1/7/2025) has no
    report of its own for it: its 2024 figure is its former units' added up, for a count or
    a quantity that every one of them gave. A share or a word does not add up.

    At most two queries; none when ``indicator_ids`` is empty (a save with no running total
    among its values checks nothing against last year).
    """
    if not keys or (indicator_ids is not None and not indicator_ids):
        return {(unit.pk if unit else None, year): {} for unit, year in keys}
    wanted = {(unit.pk if unit else None, year - 1) for unit, year in keys}
    formed = {
        (unit.pk, year)
        for unit, year in keys
        if unit is not None and unit.valid_from and unit.valid_from > reporting_day(year - 1)
    }
    former: dict[int, list[int]] = {}
    if formed:
        for pk, successor_id in Province.objects.filter(
            successor_id__in={pk for pk, _year in formed}
        ).values_list("pk", "successor_id"):
            former.setdefault(successor_id, []).append(pk)
    for pk, year in formed:
        wanted |= {(old, year - 1) for old in former.get(pk, [])}
    where = Q()
    for province_id, year in wanted:
        where |= Q(report__province_id=province_id, report__year=year)
    rows = ReportedValue.objects.filter(where).exclude(value=None)
    if indicator_ids is not None:
        rows = rows.filter(indicator_id__in=indicator_ids)
    given: dict[tuple[int | None, int], dict[int, Decimal]] = {}
    additive: set[int] = set()
    for province_id, year, indicator_id, value, measure in rows.values_list(
        "report__province_id", "report__year", "indicator_id", "value", "indicator__measure"
    ):
        given.setdefault((province_id, year), {})[indicator_id] = value
        if measure in (Indicator.Measure.COUNT, Indicator.Measure.QUANTITY):
            additive.add(indicator_id)
    found: dict[tuple[int | None, int], dict[int, Decimal]] = {}
    for unit, year in keys:
        key = (unit.pk if unit else None, year)
        if key in formed and former.get(key[0]):
            olds = [given.get((old, year - 1), {}) for old in former[key[0]]]
            found[key] = {
                indicator_id: sum((old[indicator_id] for old in olds), Decimal(0))
                for indicator_id in additive
                if all(indicator_id in old for old in olds)
            }
        else:
            found[key] = given.get((key[0], year - 1), {})
    return found


def report_form_indicators(*, report: Report) -> dict[str, Indicator]:
    """The indicators of the report's form (``form_indicator_ids``) by code, without the
    rest of the form (targets, values, last year's figures): four queries."""
    wanted = form_indicator_ids(reports=[(report.province, report.year)])
    return {
        indicator.code: indicator
        for indicator in Indicator.objects.filter(pk__in=wanted[(report.province_id, report.year)])
    }


def report_form_rows(*, report: Report) -> list[FormRow]:
    """The report's form: a line for each indicator of ``form_indicator_ids`` with its
    target, last year's value and this year's; in a fixed number of queries."""
    year = report.year
    wanted = form_indicator_ids(reports=[(report.province, year)])[(report.province_id, year)]
    # The targets in force that year (``progress.engine.in_force`` chooses among them),
    # and those of plans that ended before it, which a line without a target names.
    targets = list(
        Target.objects.filter(
            Q(document__period_start__lte=year, document__period_end__gte=year)
            | Q(year=year)
            | Q(document__period_end__lt=year),
            province_id=report.province_id,
        ).select_related("document")
    )
    indicators = Indicator.objects.filter(pk__in=wanted).order_by("code")
    current = {
        v.indicator_id: v
        for v in ReportedValue.objects.filter(
            report__province_id=report.province_id, report__year=year
        )
    }
    previous = last_year_values(keys=[(report.province, year)], indicator_ids=wanted)[
        (report.province_id, year)
    ]
    by_indicator: dict[int, list[Target]] = {}
    for target in targets:
        by_indicator.setdefault(target.indicator_id, []).append(target)
    rows = []
    for indicator in indicators:
        candidates = by_indicator.get(indicator.pk, [])
        target = _target_for_year(candidates, year)
        rows.append(
            FormRow(
                indicator=indicator,
                target=target,
                previous=previous.get(indicator.pk),
                current=current.get(indicator.pk),
                ended=None if target else _target_of_ended_plan(candidates, year),
            )
        )
    return rows


def needs_value(row: FormRow, *, year: int) -> bool:
    """Whether a line of the form must have a value before the report is sent: a target is
    set for the report's year."""
    return row.target is not None and row.target.year == year


@dataclass(frozen=True)
class EmptyLines:
    """The lines of a report's form without a value yet: those that ``needs_value`` (the
    submission refuses them), and the rest."""

    needed: list[Indicator]
    optional: list[Indicator]


def report_empty_lines(*, report: Report) -> EmptyLines:
    blank = [row for row in report_form_rows(report=report) if row.current is None]
    return EmptyLines(
        needed=[row.indicator for row in blank if needs_value(row, year=report.year)],
        optional=[row.indicator for row in blank if not needs_value(row, year=report.year)],
    )


def _target_for_year(targets: list[Target], year: int) -> Target | None:
    """The target the engine judges the year's figure against (``engine.in_force``): of
    the targets whose document's period covers the year, the nearest target year at or
    after it, else the latest before; the latest document's of a year."""
    latest_first = sorted(targets, key=lambda t: (t.document.issued_on, t.pk), reverse=True)
    return engine.in_force(((_term(t), t) for t in latest_first), year)


def _target_of_ended_plan(targets: list[Target], year: int) -> Target | None:
    """The target whose plan ended last before ``year`` (``engine.ended_before``)."""
    by_term = {_term(t): t for t in targets}
    term = engine.ended_before(by_term, year)
    return by_term[term] if term else None


def _term(target: Target) -> engine.Term:
    return engine.Term(target.year, target.document.period_start, target.document.period_end)


STATUS_ORDER = ["none", "draft", "returned", "submitted", "approved"]


@dataclass(frozen=True)
class StatusPart:
    """One report a cell expects: from ``area`` (a unit, or a former unit's area), the
    ``report`` if one was opened, ``late`` by ``report_is_late`` or, with none, once the
    deadline has passed. The grid's totals and its export count these, one each."""

    area: Province
    report: Report | None
    late: bool

    @property
    def status(self) -> str:
        return self.report.status if self.report is not None else "none"


@dataclass(frozen=True)
class StatusCell:
    year: int
    status: str  # one of STATUS_ORDER: the least advanced of the cell's reports
    late: bool
    reports: list[Report]
    # Former units the cell stands for that filed nothing (the new Thái Nguyên's 2022 cell:
    # Bắc Kạn's report, and none from Thái Nguyên).
    missing: list[Province] = field(default_factory=list)
    # Every unit, or former unit's area, the cell expects a report from, with its own.
    parts: list[StatusPart] = field(default_factory=list)

    @property
    def merged(self) -> bool:
        return len(self.reports) + len(self.missing) > 1


@dataclass(frozen=True)
class ReportingStatus:
    years: list[int]
    rows: list[tuple[Province, list[StatusCell]]]
    counts: dict[int, dict[str, int]]
    deadlines: dict[int, date]


def report_is_late(*, report: Report, due: date, today: date) -> bool:
    """Whether the unit sent the report after ``due``, or has still not sent it past it.

    The unit's first sending is what counts: a report sent on time that the ministry
    returns, or reopens, after the deadline was not late, however late it is sent again;
    one first sent after the deadline stays late once approved. A report loaded as
    published figures was never a draft here and has no first sending: it is not late.
    The grid, its export, its totals and the API all judge by this one rule."""
    if report.first_submitted_at is not None:
        return timezone.localdate(report.first_submitted_at) > due
    return report.status == Report.Status.DRAFT and today > due


def reporting_status(
    *, years: list[int], today: date, deadlines: dict[int, date]
) -> ReportingStatus:
    """Units in force today × years. Before a merged unit existed, its cell stands for its
    former units' reports (the new Thái Nguyên's 2024 cell: Thái Nguyên's and Bắc Kạn's);
    after, for its own and for a former unit's area while that unit's plan still runs (its
    2025 cell: Thái Nguyên's and Bắc Kạn's, 405/KH-UBND running to 2030).

    ``counts`` count reports, not cells: each report under its status, "none" for each
    unit or former unit's area expected to file that year that has no report, "late" for
    each report first sent after the deadline or still not sent past it (``report_is_late``),
    and each missing one past it. A report of a former unit inside a merged cell counts like
    any other."""
    units = list(
        provinces_in_force(on=today).prefetch_related(
            Prefetch("predecessors", queryset=Province.objects.order_by("code"))
        )
    )
    former = former_areas()
    reports: dict[tuple[int | None, int], Report] = {
        (r.province_id, r.year): r
        for r in Report.objects.filter(year__in=years).select_related("province")
    }
    rows = []
    counts = {year: dict.fromkeys([*STATUS_ORDER, "late"], 0) for year in years}
    for unit in units:
        cells = []
        predecessors = list(unit.predecessors.all())
        for year in years:
            if unit.valid_from is not None and year < unit.valid_from.year:
                sources = predecessors
            else:
                sources = [unit] + [
                    p for p in predecessors if year in former.years.get(p.pk, set())
                ]
            due = deadlines[year]
            parts = []
            for area in sources:
                report = reports.get((area.pk, year))
                # A report not opened is late once the deadline has passed, as one not sent.
                overdue = today > due
                if report is not None:
                    overdue = report_is_late(report=report, due=due, today=today)
                parts.append(StatusPart(area, report, overdue))
            for part in parts:
                counts[year][part.status] += 1
                counts[year]["late"] += part.late
            found = [part.report for part in parts if part.report is not None]
            absent = [part.area for part in parts if part.report is None]
            status = min((part.status for part in parts), key=STATUS_ORDER.index)
            late = any(part.late for part in parts)
            missing = absent if len(sources) > 1 else []
            cells.append(StatusCell(year, status, late, found, missing, parts))
        rows.append((unit, cells))
    return ReportingStatus(years, rows, counts, deadlines)


def reporting_status_rows(
    *, grid: ReportingStatus, status: str
) -> list[tuple[Province, list[StatusCell]]]:
    """The grid's rows with a cell showing ``status`` (one of STATUS_ORDER, or "late"); every
    row without one. A merged unit's cell shows each former unit's report: the new Thái
    Nguyên's 2024 cell, "none" as a whole while Thái Nguyên filed nothing, still holds Bắc
    Kạn's submitted report, which a reviewer asking for "submitted" must find."""
    if not status:
        return grid.rows

    def shows(cell: StatusCell) -> bool:
        if status == "late":
            return cell.late
        if status == "none" and cell.missing:
            return True
        return cell.status == status or any(report.status == status for report in cell.reports)

    return [(unit, cells) for unit, cells in grid.rows if any(shows(cell) for cell in cells)]


def reporting_status_years(
    *, first: int | None, to: int | None, years: range, today: date
) -> list[int]:
    """The years of the reporting status grid: those from ``first`` to ``to`` that are
    reportable (``years``, ``reportable_years``), and none when no year asked for is. A
    bound not given leaves its side open; with neither, the five years up to the one due.
    No other year stands in for one asked for: a script asking for 2030 would take the
    2025 and 2026 it was given for it."""
    if first is None and to is None:
        to = year_due(years=years, today=today)
        first = to - 4
    return [
        year for year in years if (first is None or first <= year) and (to is None or year <= to)
    ]


RECEIVED = (Report.Status.SUBMITTED, Report.Status.APPROVED)


@dataclass(frozen=True)
class ExpectedReport:
    """A report the status grid expects for ``year``: for ``area`` (a unit, or a former
    unit's area after it ended, such as Bắc Kạn's in 2025), in the grid's row of ``unit``,
    in force today; ``report`` if one was opened."""

    year: int
    area: Province
    unit: Province
    report: Report | None
    # Sent, and returned (or reopened) by the ministry: said to those who follow the unit's
    # review (``history_units_for``), as the status page says it; to anyone else it is
    # only not received.
    returned: bool = False

    @property
    def received(self) -> bool:
        return self.report is not None and self.report.status in RECEIVED

    @property
    def former_area(self) -> bool:
        """Whether this is a former unit's area, reported by the unit it became part of."""
        return ended_before(province=self.area, year=self.year)


@dataclass(frozen=True)
class YearReports:
    """A year's expected reports, by unit code, split into those received (submitted or
    approved) and the rest; ``overdue`` once its deadline ``due`` has passed."""

    year: int
    due: date
    overdue: bool
    received: list[ExpectedReport]
    missing: list[ExpectedReport]

    @property
    def expected(self) -> int:
        return len(self.received) + len(self.missing)


def _year_reports(
    grid: ReportingStatus, year: int, today: date, review_units: set[int] | None
) -> YearReports:
    column = grid.years.index(year)
    expected = []
    for unit, cells in grid.rows:
        for part in cells[column].parts:
            returned = (
                part.report is not None
                and part.report.status == Report.Status.RETURNED
                and (review_units is None or part.area.pk in review_units)
            )
            expected.append(ExpectedReport(year, part.area, unit, part.report, returned))
    expected.sort(key=lambda item: (item.area.code, item.area.valid_from or date.min))
    due = grid.deadlines[year]
    return YearReports(
        year=year,
        due=due,
        overdue=today > due,
        received=[item for item in expected if item.received],
        missing=[item for item in expected if not item.received],
    )


@dataclass(frozen=True)
class ReportingOverview:
    """The overview's reports: those of the year due (``year_due``) and, until they are
    due, the previous year's still missing."""

    current: YearReports
    previous: YearReports | None


def reporting_overview(
    *, user: User | AnonymousUser, today: date | None = None
) -> ReportingOverview:
    """Who has reported, by the status grid's rule (``reporting_status``), so that the
    overview and the status page count the same reports: a former unit's area is expected
    as its successor's row expects it; a returned report is marked so to ``user`` if they
    follow its review. Seven queries, and an officer's units (``provinces_reported_by``)."""
    today = today or timezone.localdate()
    review_units = history_units_for(user=user)
    reportable = reportable_years(today=today)
    year = year_due(years=reportable, today=today)
    years = [before for before in [year - 1] if before in reportable] + [year]
    grid = reporting_status(years=years, today=today, deadlines=deadlines_for(years=years))
    current = _year_reports(grid, year, today, review_units)
    # On 1 January a year closes, but its reports are not due before 31 January (or the
    # administrator's day): none of them is late yet, whereas the previous year's missing
    # reports are, and those are the ones to chase. They stay in view until the closed
    # year's reports fall due; from then on its own missing reports are the late ones, and
    # older ones are on the status page.
    previous = None
    if not current.overdue and year - 1 in years:
        previous = _year_reports(grid, year - 1, today, review_units)
        if not previous.missing:
            previous = None
    return ReportingOverview(current=current, previous=previous)


def report_changes(*, report: Report) -> QuerySet[ValueChange]:
    return report.changes.select_related("indicator", "by").order_by("-at", "-pk")


def history_units_for(*, user: User | AnonymousUser) -> set[int] | None:
    """The units whose reports' review history ``user`` reads; None for every unit.

    Who reviewed, who changed what and why a report was returned are the business of the
    workflow's people: the ministry, and the officers who file the unit's reports. Anyone
    else (a visitor, an analyst, another province's officer) sees an approved report's
    figures only."""
    if user_can_review(user=user):
        return None
    return provinces_reported_by(user=user)


def user_sees_history(*, user: User | AnonymousUser, report: Report) -> bool:
    units = history_units_for(user=user)
    return units is None or report.province_id in units


# The ministry judges a qualitative result while reviewing the report or once it is
# approved: progress reads that judgement as the target's status.
ASSESSED_IN = (Report.Status.SUBMITTED, Report.Status.APPROVED)


def user_can_assess(*, user: User | AnonymousUser, report: Report) -> bool:
    return user_can_review(user=user) and report.status in ASSESSED_IN


def report_values(*, report: Report) -> list[ReportedValue]:
    return list(report.values.select_related("indicator").order_by("indicator__code"))


def report_return_step(*, report: Report) -> ReportTransition | None:
    """While the report is back with its unit, the step that sent it back: a return, or the
    reopening of an approved report; its reason is what the unit is to correct."""
    if report.status != Report.Status.RETURNED:
        return None
    return (
        report.transitions.filter(to_status=Report.Status.RETURNED)
        .select_related("by")
        .order_by("-at", "-pk")
        .first()
    )


def report_transitions(*, report: Report) -> QuerySet[ReportTransition]:
    return report.transitions.select_related("by").order_by("at", "pk")


def deadlines_for(*, years: list[int]) -> dict[int, date]:
    """Each year's deadline: the administrator's, or 31 January of the next year."""
    set_by_admin = dict(
        ReportingDeadline.objects.filter(year__in=years).values_list("year", "due_on")
    )
    return {year: set_by_admin.get(year, date(year + 1, 1, 31)) for year in years}
