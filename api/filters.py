"""Filters of the lists that exports/filters.py does not already define."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from exports.filters import IdFilter, StrictFilterSet, YearFilter, YearRangeForm, programme_q
from indicators.models import Indicator, Target
from programmes.models import Document
from provinces.models import Province
from provinces.selectors import in_force_filter


class UnitFilter(StrictFilterSet):
    code = django_filters.CharFilter(label=_("code"))
    on = django_filters.DateFilter(
        method="filter_on", label=_("in force on"), help_text=_("YYYY-MM-DD")
    )

    class Meta:
        model = Province
        fields: list[str] = []

    def filter_on(self, queryset: QuerySet, name: str, value) -> QuerySet:  # type: ignore[no-untyped-def]
        return queryset.filter(in_force_filter(value))


class DocumentFilter(StrictFilterSet):
    kind = django_filters.ChoiceFilter(choices=Document.Kind.choices, label=_("kind"))
    unit = IdFilter(field_name="province", label=_("unit"))
    programme = IdFilter(
        field_name="implements_id", label=_("programme"), help_text=_("Plans implementing it.")
    )

    class Meta:
        model = Document
        fields: list[str] = []


class IndicatorFilter(StrictFilterSet):
    programme = IdFilter(method="filter_programme", label=_("programme"))
    document = IdFilter(method="filter_document", label=_("document"))

    class Meta:
        model = Indicator
        fields: list[str] = []

    def filter_programme(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(programme_q("", value))

    def filter_document(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(
            pk__in=Target.objects.filter(document_id=value).values("indicator_id")
        )


class TargetFilter(StrictFilterSet):
    unit = IdFilter(field_name="province", label=_("unit"))
    indicator = django_filters.CharFilter(
        field_name="indicator__code", lookup_expr="iexact", label=_("indicator code")
    )
    document = IdFilter(field_name="document_id", label=_("document"))
    programme = IdFilter(method="filter_programme", label=_("programme"))
    year = YearFilter(field_name="year", label=_("year"))
    year_from = YearFilter(field_name="year", lookup_expr="gte", label=_("from year"))
    year_to = YearFilter(field_name="year", lookup_expr="lte", label=_("to year"))

    class Meta:
        model = Target
        fields: list[str] = []
        form = YearRangeForm

    def filter_programme(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(programme_q("indicator__", value))
