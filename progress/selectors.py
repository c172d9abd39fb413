"""Reads for recomputation (the engine's inputs) and for pages (the stored figures)."""

from collections.abc import Collection
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from indicators.models import Indicator, Target
from programmes.models import Document
from programmes.selectors import programme_current
from provinces.models import Province
from reports.models import Report, ReportedValue

from . import engine
from .inputs import IndicatorSpec, PlanSpec, ProgressInputs, TargetSpec, Unit, ValueSpec
from .models import Progress


def _value_specs(values: QuerySet[ReportedValue]) -> list[ValueSpec]:
    return [
        ValueSpec(
            province_id=province_id,
            indicator_id=indicator_id,
            # "41 of 63 provinces" as a count keeps 41; only a share is num/den.
            observation=engine.Observation(
                year,
                value,
                qualifier,
                numerator if measure == Indicator.Measure.PERCENT else None,
                denominator if measure == Indicator.Measure.PERCENT else None,
                qualitative_status or None,
            ),
            source=source,
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
            source,
            measure,
        ) in values.values_list(
            "report__province_id",
            "indicator_id",
            "report__year",
            "value",
            "qualifier",
            "numerator",
            "denominator",
            "qualitative_status",
            "source",
            "indicator__measure",
        )
    ]


def progress_inputs(
    *,
    indicator_ids: Collection[int] | None = None,
    province_ids: Collection[int | None] | None = None,
    today: date | None = None,
) -> ProgressInputs:
    """Everything a recompute needs, in five queries whatever the number of units or years.

    With ``indicator_ids`` only those indicators (and their provincial forms, which feed
    share-of-units roll-ups) are read; with ``province_ids`` only those units' values and
    their former units', plus every unit's values of the indicators that roll up.
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
            "pk", "code", "measure", "direction", "accumulation", "rollup", "parent_id"
        )
    )
    wanted = [row[0] for row in indicator_rows]
    rolled_up = [row[0] for row in indicator_rows if row[5]]
    units = [
        Unit(*row)
        for row in Province.objects.values_list(
            "pk", "code", "valid_from", "valid_to", "successor_id"
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
    if scope is None:
        values = _value_specs(approved)
    else:
        # Two indexed reads instead of one OR across the join, which no index serves:
        # the scoped units' values, then the other units' values of what rolls up.
        in_scope = Q(report__province_id__in=scoped) | Q(report__province__isnull=True)
        values = _value_specs(approved.filter(in_scope)) + _value_specs(
            approved.filter(indicator_id__in=rolled_up).exclude(in_scope)
        )
    programme = programme_current(today=today)
    plans: list[PlanSpec] = []
    register_years = range(0)
    if programme:
        plans = [
            PlanSpec(province_id, issued_on)
            for province_id, issued_on in Document.objects.filter(
                kind=Document.Kind.PROVINCIAL_PLAN, implements=programme
            ).values_list("province_id", "issued_on")
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
            )
            for pk, code, measure, direction, accumulation, rollup, parent_id in indicator_rows
        ],
        targets=targets,
        values=values,
        plans=plans,
        last_year=last_year,
        emit=frozenset(indicator_ids) if indicator_ids is not None else frozenset(wanted),
        province_scope=scope,
        register_years=register_years,
    )


def progress_for_provinces(*, provinces: Collection[Province]) -> QuerySet[Progress]:
    return (
        Progress.objects.filter(province__in=provinces)
        .select_related("indicator", "target__document", "province")
        .order_by("province__code", "indicator__code", "origin", "year")
    )


def progress_national() -> QuerySet[Progress]:
    return (
        Progress.objects.filter(province__isnull=True)
        .select_related("indicator", "target__document")
        .order_by("indicator__code", "origin", "year")
    )
