"""Small builders for reports in progress tests."""

from decimal import Decimal

from indicators.models import Indicator
from progress.models import Progress
from provinces.models import Province
from reports.models import Report, ReportedValue


def approved_value(
    province: Province | None,
    code: str,
    year: int,
    value: str | None,
    *,
    qualifier: str = "exact",
    numerator: str | None = None,
    denominator: str | None = None,
) -> ReportedValue:
    report, _ = Report.objects.get_or_create(
        province=province, year=year, defaults={"status": Report.Status.APPROVED}
    )
    return ReportedValue.objects.create(
        report=report,
        indicator=Indicator.objects.get(code=code),
        value=Decimal(value) if value is not None else None,
        qualifier=qualifier,
        numerator=Decimal(numerator) if numerator else None,
        denominator=Decimal(denominator) if denominator else None,
        source="test",
    )


def missing_names(row: Progress) -> list[str]:
    """The units a stored row lacks, by name, in its order."""
    names = dict(Province.objects.values_list("pk", "name"))
    return [names[pk] for pk in row.missing_unit_ids]
