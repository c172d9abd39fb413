"""Reads of reported values, each in a fixed number of queries."""

from django.db.models import QuerySet

from provinces.models import Province

from .models import Report, ReportedValue


def approved_values_for_provinces(*, provinces: list[Province]) -> QuerySet[ReportedValue]:
    """Approved figures of these units, newest year first; only approved ones are public."""
    return (
        ReportedValue.objects.filter(
            report__province__in=provinces, report__status=Report.Status.APPROVED
        )
        .select_related("indicator", "report__province")
        .order_by("-report__year", "report__province__code", "indicator__code")
    )
