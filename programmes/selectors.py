"""Reads about programmes and plans, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from indicators.models import Indicator, Target
from provinces.models import Province
from provinces.selectors import last_day_before_reorganisation, provinces_in_force
from reports.models import Report, ReportedValue

from .models import Document


@dataclass(frozen=True)
class ProgrammeSummary:
    programme: Document | None
    national_targets: list[Target]
    national_values: list[ReportedValue]
    provinces_in_force: int
    former_provinces: int
    former_day: date | None
    provinces_with_plan: int
    provincial_plans: int
    indicators: int
    targets: int
    approved_values: int


def programme_current(*, today: date | None = None) -> Document | None:
    """The national programme whose period covers this year (889/QĐ-TTg for 2021–2030)."""
    year = (today or timezone.localdate()).year
    return (
        Document.objects.filter(
            kind=Document.Kind.NATIONAL_PROGRAMME, period_start__lte=year, period_end__gte=year
        )
        .order_by("-issued_on")
        .first()
    )


def _targets_with_related() -> QuerySet[Target]:
    return Target.objects.select_related("indicator", "document", "province")


def programme_summary(*, today: date | None = None) -> ProgrammeSummary:
    today = today or timezone.localdate()
    programme = programme_current(today=today)
    in_force = list(provinces_in_force(on=today).values_list("pk", flat=True))
    former_day = last_day_before_reorganisation()
    plans = (
        list(
            Document.objects.filter(
                kind=Document.Kind.PROVINCIAL_PLAN, implements=programme
            ).values_list("province_id", "province__successor_id")
        )
        if programme
        else []
    )
    # A plan issued by a unit that later merged still counts for its successor.
    covered = {pk for own, successor in plans for pk in (own, successor) if pk in in_force}
    national_targets = (
        list(_targets_with_related().filter(document=programme, province__isnull=True))
        if programme
        else []
    )
    national_values = list(
        ReportedValue.objects.filter(
            report__province__isnull=True, report__status=Report.Status.APPROVED
        )
        .select_related("indicator", "report")
        .order_by("indicator__code", "report__year")
    )
    return ProgrammeSummary(
        programme=programme,
        national_targets=national_targets,
        national_values=national_values,
        provinces_in_force=len(in_force),
        former_provinces=provinces_in_force(on=former_day).count() if former_day else 0,
        former_day=former_day,
        provinces_with_plan=len(covered),
        provincial_plans=len(plans),
        indicators=Indicator.objects.count(),
        targets=Target.objects.count(),
        approved_values=ReportedValue.objects.filter(report__status=Report.Status.APPROVED).count(),
    )


def documents_for_provinces(*, provinces: list[Province]) -> list[Document]:
    """The plans issued by these units, with their targets, oldest first."""
    return list(
        Document.objects.filter(province__in=provinces)
        .select_related("province", "implements")
        .prefetch_related(
            Prefetch(
                "targets", queryset=_targets_with_related().order_by("indicator__code", "year")
            )
        )
        .order_by("issued_on")
    )


def document_detail(*, pk: int) -> Document:
    return (
        Document.objects.select_related("province", "implements")
        .prefetch_related(
            Prefetch(
                "implementing_documents", queryset=Document.objects.select_related("province")
            ),
        )
        .get(pk=pk)
    )


def document_targets(*, document: Document) -> QuerySet[Target]:
    return _targets_with_related().filter(document=document).order_by("indicator__code", "year")
