"""What an export holds for a person and a set of filters."""

from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from indicators.models import Indicator, Target
from provinces.models import Province
from reports.models import ReportedValue
from reports.selectors import (
    deadlines_for,
    history_units_for,
    reportable_years,
    reporting_status,
    reporting_status_years,
    reports_visible_to,
    user_can_review,
)

from .filters import (
    ProgressFilter,
    ReportedValueFilter,
    ReportFilter,
    YearRangeForm,
    parameter_errors,
)
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
    # The units whose review history the person sees (None: all): a report's first sending
    # is part of it.
    history_units: AbstractSet[int] | None = frozenset()

    def data(self) -> Table:
        if self.dataset == "values":
            return Table(self.dataset, COLUMNS, value_rows(self.source))
        if self.dataset == "reports":
            return Table(
                self.dataset,
                REPORT_COLUMNS,
                report_rows(self.source, history_units=self.history_units),
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
        values = self.source if self.dataset == "values" else None
        return metadata_tables(indicators_of(self.source), values=values)


def metadata_tables(
    indicators: QuerySet[Indicator], *, values: QuerySet[ReportedValue] | None
) -> list[Table]:
    """The metadata of rows of these indicators, every target of them (each row's
    ``target`` is one): with the values' sources when there are values."""
    tables = [
        indicator_table(indicators),
        document_table(documents_of(indicators)),
        target_table(Target.objects.filter(indicator__in=indicators)),
        unit_table(Province.objects.all()),
    ]
    if values is not None:
        tables.append(source_table(values))
    return tables


def bundle_tables(*, values: Export, progress: Export) -> list[Table]:
    """Every file of the bundle: the values (``data``) and the progress rows, their
    metadata, and ``export``, which describes them all."""
    # The metadata is of the values and the progress rows alike: a progress row's target
    # (a national one, which no unit reports against) joins targets.csv as a value's does.
    indicators = indicators_of(values.source) | indicators_of(progress.source)
    tables = [
        Table("data", values.data().columns, values.data().rows),
        Table("progress", progress.data().columns, progress.data().rows),
        *metadata_tables(indicators, values=values.source),
    ]
    described = {"data": values, "progress": progress}
    return [*tables, bundle_description(tables, at=values.at, exports=described)]


def bundle_description(tables: list[Table], *, at: datetime, exports: dict[str, Export]) -> Table:
    """``export.csv``: when, then each file with its dataset and the filters that narrowed
    it. The two halves read different filters (a report's status narrows the values, an
    origin the progress rows), so one list for the whole bundle named filters that a file
    had not been narrowed by."""
    rows: list[Row] = [("exported_at", at, "")]
    for table in tables:
        file = f"{table.name}.csv"
        export = exports.get(table.name)
        rows.append(("dataset", export.dataset if export else table.name, file))
        if export is not None:
            rows += [
                (f"filter:{name}", value, file) for name, value in sorted(export.filters.items())
            ]
    return Table("export", ["key", "value", "file"], rows)


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
    return Export(dataset, filterset.qs, filters, timezone.now(), history_units_for(user=user))


class CsvEncoding(forms.Form):
    """``?encoding=``: UTF-8 with a BOM, which Excel needs to show Vietnamese, unless
    ``utf-8`` asks for none (scripts). Any other is refused: answered in UTF-8 with a BOM,
    a script asking for ``utf8`` or ``latin1`` would read bytes it did not ask for."""

    WITHOUT_BOM = "utf-8"

    encoding = forms.CharField(required=False, strip=False)

    def clean_encoding(self) -> str:
        encoding: str = self.cleaned_data["encoding"]
        if "encoding" in self.data and encoding.lower() != self.WITHOUT_BOM:
            raise forms.ValidationError(
                _("Unknown encoding %(encoding)r: the only one is %(allowed)s (without a BOM)."),
                code="unknown_encoding",
                params={"encoding": encoding, "allowed": self.WITHOUT_BOM},
            )
        return encoding

    @property
    def bom(self) -> bool:
        return not self.cleaned_data["encoding"]


def csv_bom(params: QueryDict) -> bool:
    """Whether an export's CSV files start with a BOM (``CsvEncoding``); raises
    ExportFilterError for an encoding there is not."""
    form = CsvEncoding(params)
    if not form.is_valid():
        raise ExportFilterError(form.errors.get_json_data())
    return form.bom


class StatusYears(YearRangeForm):
    """The years of the reporting status grid (the page's ``from`` and ``to``)."""

    year_from = forms.IntegerField(
        required=False, min_value=0, max_value=32767, label=_("from year")
    )
    year_to = forms.IntegerField(required=False, min_value=0, max_value=32767, label=_("to year"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for error in parameter_errors(self.data, self.fields):
            self.add_error(None, error)
        return data


def _status_export(*, user: User | AnonymousUser, params: QueryDict) -> Export:
    """The ministry's grid; anyone else is told it does not exist."""
    if not user_can_review(user=user):
        raise Http404
    form = StatusYears(params)
    if not form.is_valid():
        raise ExportFilterError(form.errors.get_json_data())
    asked = {name: year for name, year in form.cleaned_data.items() if year is not None}
    today = timezone.localdate()
    years = reporting_status_years(
        first=asked.get("year_from"),
        to=asked.get("year_to"),
        years=reportable_years(today=today),
        today=today,
    )
    grid = reporting_status(years=years, today=today, deadlines=deadlines_for(years=years))
    # The heading names the years shown, or those asked for when none of them is reportable.
    shown = {"year_from": years[0], "year_to": years[-1]} if years else asked
    filters = {name: str(year) for name, year in shown.items()}
    return Export("status", grid, filters, timezone.now())
