"""What an export holds for a person and a set of filters."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from accounts.models import User
from indicators.models import Target
from provinces.models import Province

from .filters import ProgressFilter, ReportedValueFilter
from .tidy import (
    COLUMNS,
    Row,
    Table,
    document_table,
    documents_of,
    export_table,
    indicator_table,
    indicators_of,
    progress_public,
    progress_rows,
    source_table,
    target_table,
    unit_table,
    value_rows,
    values_visible_to,
)

DATASETS = ("values", "progress")


class ExportFilterError(ValueError):
    def __init__(self, errors: dict[str, Any]) -> None:
        self.errors = errors
        super().__init__(errors)


@dataclass(frozen=True)
class Export:
    dataset: str
    queryset: QuerySet[Any]
    filters: dict[str, str]
    at: datetime

    def data(self) -> Table:
        if self.dataset == "values":
            return Table(self.dataset, COLUMNS, value_rows(self.queryset))
        return Table(self.dataset, COLUMNS, progress_rows(self.queryset))

    def heading(self) -> list[Row]:
        return list(export_table(filters=self.filters, at=self.at, dataset=self.dataset).rows)

    def metadata(self) -> list[Table]:
        """Indicators, documents, targets, units and sources of what was exported."""
        indicators = indicators_of(self.queryset)
        values = self.queryset if self.dataset == "values" else None
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
    if dataset == "values":
        filterset: Any = ReportedValueFilter(params, queryset=values_visible_to(user=user))
    else:
        filterset = ProgressFilter(params, queryset=progress_public())
    if not filterset.is_valid():
        raise ExportFilterError(filterset.errors.get_json_data())
    filters = {
        name: str(value)
        for name, value in filterset.form.cleaned_data.items()
        if value not in (None, "")
    }
    return Export(dataset, filterset.qs, filters, timezone.now())
