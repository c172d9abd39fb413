"""What an export holds for a person and a set of filters."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from indicators.models import Target
from provinces.models import Province
from reports.selectors import (
    deadlines_for,
    reportable_years,
    reporting_status,
    reporting_status_years,
    reports_visible_to,
    user_can_review,
    user_sees_history,
)

from .filters import ProgressFilter, ReportedValueFilter, ReportFilter
from .tidy import (
    COLUMNS,
    PROGRESS_COLUMNS,
    REPORT_COLUMNS,
    STATUS_COLUMNS,
    Row,
    Table,
    document_table,
    documents_of,
    export_table,
    indicator_table,
    indicators_of,
    progress_public,
    progress_rows,
    report_rows,
    source_table,
    status_rows,
    target_table,
    unit_table,
    value_rows,
    values_visible_to,
)

DATASETS = ("values", "progress", "reports", "status")


class ExportFilterError(ValueError):
    def __init__(self, errors: dict[str, Any]) -> None:
        self.errors = errors
        super().__init__(errors)


@dataclass(frozen=True)
class Export:
    dataset: str
    source: Any  # the rows' queryset; for "status", the reporting status grid
    filters: dict[str, str]
    at: datetime
    # Whether the person sees the review history: a report's first sending is part of it.
    sees_history: bool = False

    def data(self) -> Table:
        if self.dataset == "values":
            return Table(self.dataset, COLUMNS, value_rows(self.source))
        if self.dataset == "reports":
            return Table(
                self.dataset,
                REPORT_COLUMNS,
                report_rows(self.source, sees_history=self.sees_history),
            )
        if self.dataset == "status":
            return Table(self.dataset, STATUS_COLUMNS, status_rows(self.source))
        return Table(self.dataset, PROGRESS_COLUMNS, progress_rows(self.source))

    def heading(self) -> list[Row]:
        return list(export_table(filters=self.filters, at=self.at, dataset=self.dataset).rows)

    def metadata(self) -> list[Table]:
        """Indicators, documents, targets, units and sources of what was exported."""
        if self.dataset in {"reports", "status"}:
            return [unit_table(Province.objects.all())]
        indicators = indicators_of(self.source)
        values = self.source if self.dataset == "values" else None
        tables = [
            indicator_table(indicators),
            document_table(documents_of(indicators)),
            target_table(Target.objects.filter(indicator__in=indicators)),
            unit_table(Province.objects.all()),
        ]
        if values is not None:
            tables.append(source_table(values))
        return tables


def export_for(*, user: User | AnonymousUser, dataset: str, params: QueryDict) -> Export:
    """The rows of ``dataset`` this person may see, narrowed by the query parameters;
    raises ExportFilterError naming each parameter that is wrong."""
    if dataset == "status":
        return _status_export(user=user, params=params)
    if dataset == "values":
        filterset: Any = ReportedValueFilter(params, queryset=values_visible_to(user=user))
    elif dataset == "reports":
        filterset = ReportFilter(params, queryset=reports_visible_to(user=user))
    else:
        filterset = ProgressFilter(params, queryset=progress_public())
    if not filterset.is_valid():
        raise ExportFilterError(filterset.errors.get_json_data())
    filters = {
        name: str(value)
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "")
    }
    return Export(dataset, filterset.qs, filters, timezone.now(), user_sees_history(user=user))


class StatusYears(forms.Form):
    """The years of the reporting status grid (the page's ``from`` and ``to``)."""

    year_from = forms.IntegerField(
        required=False, min_value=0, max_value=32767, label=_("from year")
    )
    year_to = forms.IntegerField(required=False, min_value=0, max_value=32767, label=_("to year"))


def status_years(*, params: QueryDict, today: date) -> list[int]:
    """The grid's years, from the export's ``year_from`` and ``year_to``."""
    form = StatusYears(params)
    if not form.is_valid():
        raise ExportFilterError(form.errors.get_json_data())
    return reporting_status_years(
        first=form.cleaned_data.get("year_from"),
        to=form.cleaned_data.get("year_to"),
        years=reportable_years(today=today),
        today=today,
    )


def _status_export(*, user: User | AnonymousUser, params: QueryDict) -> Export:
    """The ministry's grid; anyone else is told it does not exist."""
    if not user_can_review(user=user):
        raise Http404
    today = timezone.localdate()
    years = status_years(params=params, today=today)
    grid = reporting_status(years=years, today=today, deadlines=deadlines_for(years=years))
    filters = {"year_from": str(years[0]), "year_to": str(years[-1])}
    return Export("status", grid, filters, timezone.now())
