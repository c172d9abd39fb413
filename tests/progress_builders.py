"""Small builders for reports in progress tests."""

from decimal import Decimal

from accounts.models import User
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


def hanoi_draft_2025(officer: User) -> Report:
    """Hà Nội's 2025 report, opened by ``officer`` and ready to send: SCP-07 is its one
    line needing a value."""
    from provinces.selectors import province_for_code_in_year
    from reports.models import ValueChange
    from reports.services import ValueInput, report_open, report_values_save

    report = report_open(
        province=province_for_code_in_year(code="01", year=2025), year=2025, by=officer
    )
    report_values_save(
        report=report,
        values=[ValueInput(indicator=Indicator.objects.get(code="SCP-07"), value=Decimal(90))],
        by=officer,
        path=ValueChange.Path.FORM,
        expected_version=None,
    )
    return report
