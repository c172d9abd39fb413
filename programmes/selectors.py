"""Reads about programmes and plans, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from indicators.models import Indicator, Target
from provinces.models import Province
from provinces.selectors import last_day_before_reorganisation, provinces_in_force
from reports.models import Report, ReportedValue
from reports.selectors import FIRST_YEAR

from .models import Document


@dataclass(frozen=True)
class ProgrammeSummary:
    programme: Document | None
    national_values: list[ReportedValue]
    former_provinces: int
    former_day: date | None
    provincial_plans: int
    indicators: int
    targets: int
    approved_values: int


def programme_current(*, today: date | None = None) -> Document | None:
    """The national programme whose results are coming in: the one covering the last closed
    year, whose reports are due now (889/QĐ-TTg up to 2031, when its final 2030 results
    arrive); past the last programme's period, the latest one already started, whose figures
    stay the latest there are. One query."""
    today = today or timezone.localdate()
    # The tracker's reports start with 889/QĐ-TTg's first year: in 2021 the closed year was
    # 1419/QĐ-TTg's last, whose reports were never filed here.
    year = max(today.year - 1, FIRST_YEAR)
    started = list(
        Document.objects.filter(
            kind=Document.Kind.NATIONAL_PROGRAMME, period_start__lte=today.year
        ).order_by("-period_start", "-issued_on")
    )
    covering = [programme for programme in started if programme.covers_year(year)]
    if covering:
        return max(covering, key=lambda programme: programme.issued_on)
    return started[0] if started else None


def _targets_with_related() -> QuerySet[Target]:
    return Target.objects.select_related("indicator", "document", "province")


def programme_summary(*, today: date | None = None) -> ProgrammeSummary:
    """The programme's counts and the ministry's own reported figures; how the units and the
    national targets stand is the overview's (progress.selectors.progress_overview)."""
    today = today or timezone.localdate()
    programme = programme_current(today=today)
    former_day = last_day_before_reorganisation()
    # The ministry's figures of the programme shown, not of an earlier one (1419/QĐ-TTg's
    # 2017 counts under 889/QĐ-TTg).
    national_values = (
        list(
            ReportedValue.objects.filter(
                report__province__isnull=True,
                report__status=Report.Status.APPROVED,
                indicator__programme=programme,
                report__year__gte=programme.period_start,
                report__year__lte=programme.period_end,
            )
            .select_related("indicator", "report")
            .order_by("indicator__code", "report__year")
        )
        if programme
        else []
    )
    return ProgrammeSummary(
        programme=programme,
        national_values=national_values,
        former_provinces=provinces_in_force(on=former_day).count() if former_day else 0,
        former_day=former_day,
        provincial_plans=Document.objects.filter(
            kind=Document.Kind.PROVINCIAL_PLAN, implements=programme
        ).count()
        if programme
        else 0,
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


def document_export_filters(*, document: Document) -> dict[str, int]:
    """What the document page's downloads narrow to: the indicators it sets targets for
    and, for a provincial plan, its unit's rows only. ``document`` alone keeps every
    unit's rows of those indicators (Hà Nội's SCP-07 on Bắc Kạn's 405/KH-UBND), which a
    programme's page wants and a plan's does not."""
    filters = {"document": document.pk}
    if document.province_id is not None:
        filters["unit"] = document.province_id
    return filters
