"""The one definition of what an export or an API list may be narrowed to.

Pages, the export views and the API list endpoints read the same query parameters through
these filter sets, so that `?format=csv` on an API list and the page's "CSV" link with the
same parameters give the same rows.
"""

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from indicators.models import Target
from progress.models import Progress
from provinces.selectors import province_lineage_ids
from reports.models import Report, ReportedValue

# Django's own msgids, named here so that makemessages brings them into our catalogue,
# which LOCALE_PATHS puts before Django's: its Vietnamese for them reads "… lớn hơn hoặc
# bằng với 0 ." (a space before the full stop), as ``?unit=-1`` answered.
BOUND_MESSAGES = {
    "min_value": _("Ensure this value is greater than or equal to %(limit_value)s."),
    "max_value": _("Ensure this value is less than or equal to %(limit_value)s."),
}


class IdFilter(django_filters.NumberFilter):
    """An id: a whole number the database can hold (a larger one is a 400, not a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 2**63 - 1)
        kwargs.setdefault("error_messages", BOUND_MESSAGES)
        super().__init__(*args, **kwargs)


class YearFilter(IdFilter):
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("max_value", 32767)
        super().__init__(*args, **kwargs)


class YearRangeForm(forms.Form):
    """The form of every filter with ``year_from`` and ``year_to``. A range ending before it
    starts holds no year, nor does ``year`` outside the range: answered with nothing, a
    script with its bounds swapped or its filters at odds would read "no rows" for the rows
    it wanted, so each is refused, under ``year_to`` and ``year``."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year, first, to = data.get("year"), data.get("year_from"), data.get("year_to")
        params = {"year": year, "year_from": first, "year_to": to}
        # (the field refused, its bound, whether the two are at odds, the reason, its code)
        checks = [
            ("year_to", first, lambda: to < first, _("year_to (%(year_to)s) is before year_from (%(year_from)s)."), "before_year_from"),
            ("year", first, lambda: year < first, _("year (%(year)s) is before year_from (%(year_from)s)."), "before_year_from"),
            ("year", to, lambda: year > to, _("year (%(year)s) is after year_to (%(year_to)s)."), "after_year_to"),
        ]  # fmt: skip
        for field, bound, at_odds, message, code in checks:
            if data.get(field) is not None and bound is not None and at_odds():
                self.add_error(field, forms.ValidationError(message, code=code, params=params))
        return data


# Read by the lists and exports themselves, not by a filter set.
OTHER_PARAMETERS = frozenset({"format", "encoding", "page", "page_size"})


def parameter_errors(data: Mapping[str, Any], known: Iterable[str]) -> list[ValidationError]:
    """An error for each parameter of ``data`` that is neither a filter in ``known`` nor one
    of OTHER_PARAMETERS, and for each that is given more than once. Ignored, a misspelt or
    unsupported filter (``?year=2022`` where the filters were ``year_from`` and ``year_to``)
    answered with every row, and a repeated one (``?unit=1&unit=36``, as ``requests`` sends
    a list) with the rows of its last value only, which a script takes for the rows it asked
    for."""
    filters = ", ".join(sorted(known))
    read = set(known) | OTHER_PARAMETERS
    unknown = [
        ValidationError(
            _("Unknown parameter %(name)r: the filters here are %(known)s."),
            code="unknown_parameter",
            params={"name": name, "known": filters},
        )
        for name in sorted(set(data) - read)
    ]
    repeated = [
        ValidationError(
            _("Parameter %(name)r is given more than once: give it once."),
            code="repeated_parameter",
            params={"name": name},
        )
        for name in sorted(set(data) & read)
        if isinstance(data, MultiValueDict) and len(data.getlist(name)) > 1
    ]
    return unknown + repeated


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that refuses a parameter it does not know or that is given more than
    once (``parameter_errors``)."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        errors = parameter_errors(self.data, self.filters)
        for error in errors:
            self.form.add_error(None, error)
        return valid and not errors


def programme_q(prefix: str, pk: int) -> Q:
    """An indicator of the programme: defined in it, or in a plan that implements it."""
    return Q(**{f"{prefix}programme_id": pk}) | Q(**{f"{prefix}programme__implements_id": pk})


class _Common(StrictFilterSet):
    unit_field: ClassVar[str]  # the path to the row's unit
    lineage = IdFilter(
        method="filter_lineage",
        label=_("unit and its former units"),
        help_text=_("Id of a unit: its rows and those of the units that merged into it."),
    )
    indicator = django_filters.CharFilter(
        field_name="indicator__code",
        lookup_expr="iexact",
        label=_("indicator code"),
        help_text=_("e.g. SCP-05"),
    )
    programme = IdFilter(
        method="filter_programme",
        label=_("programme"),
        help_text=_("Id of a programme or plan: its indicators and those of its plans."),
    )
    document = IdFilter(
        method="filter_document",
        label=_("document"),
        help_text=_("Id of a programme or plan: the indicators it sets a target for."),
    )

    def filter_lineage(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        """A unit and every former unit it was formed from, through every merger (the new
        Thái Nguyên and Bắc Kạn), as the unit's page reads them (``province_lineage``)."""
        return queryset.filter(**{f"{self.unit_field}_id__in": province_lineage_ids(pk=value)})

    def filter_programme(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(programme_q("indicator__", value))

    def filter_document(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(
            indicator_id__in=Target.objects.filter(document_id=value).values("indicator_id")
        )


class ReportedValueFilter(_Common):
    unit_field = "report__province"
    unit = IdFilter(field_name="report__province", label=_("unit"), help_text=_("Id of a unit."))
    year = YearFilter(field_name="report__year", label=_("year"))
    year_from = YearFilter(field_name="report__year", lookup_expr="gte", label=_("from year"))
    year_to = YearFilter(field_name="report__year", lookup_expr="lte", label=_("to year"))
    status = django_filters.ChoiceFilter(
        field_name="report__status", choices=Report.Status.choices, label=_("report status")
    )

    class Meta:
        model = ReportedValue
        fields: list[str] = []
        form = YearRangeForm


class ProgressFilter(_Common):
    unit_field = "province"
    unit = IdFilter(field_name="province", label=_("unit"), help_text=_("Id of a unit."))
    year = YearFilter(field_name="year", label=_("year"))
    year_from = YearFilter(field_name="year", lookup_expr="gte", label=_("from year"))
    year_to = YearFilter(field_name="year", lookup_expr="lte", label=_("to year"))
    status = django_filters.ChoiceFilter(choices=Progress.Status.choices, label=_("status"))
    origin = django_filters.ChoiceFilter(choices=Progress.Origin.choices, label=_("origin"))

    class Meta:
        model = Progress
        fields: list[str] = []
        form = YearRangeForm


class ReportFilter(StrictFilterSet):
    unit = IdFilter(field_name="province", label=_("unit"))
    year = YearFilter(field_name="year", label=_("year"))
    year_from = YearFilter(field_name="year", lookup_expr="gte", label=_("from year"))
    year_to = YearFilter(field_name="year", lookup_expr="lte", label=_("to year"))
    status = django_filters.ChoiceFilter(choices=Report.Status.choices, label=_("report status"))

    class Meta:
        model = Report
        fields: list[str] = []
        form = YearRangeForm
