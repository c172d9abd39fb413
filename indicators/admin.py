from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from progress.models import RecomputeRun
from progress.services import progress_schedule

from .models import Indicator, Target


class RecomputesProgress(admin.ModelAdmin):
    """A changed indicator or target changes the stored progress of the indicators it
    touches, as they were before the change and after it."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        before = _affected(type(obj).objects.get(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        _schedule(before | _affected(obj))

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        affected = _affected(obj)
        super().delete_model(request, obj)
        _schedule(affected)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # The list's "delete selected" action deletes without delete_model.
        affected = set().union(*(_affected(obj) for obj in queryset))
        super().delete_queryset(request, queryset)
        _schedule(affected)


def _affected(obj: Model) -> set[int]:
    """The indicators whose figures read this row: a target's indicator; an indicator, and
    the parent whose share-of-units roll-up counts it."""
    if isinstance(obj, Indicator):
        return {obj.pk} | ({obj.parent_id} if obj.parent_id else set())
    return {obj.indicator_id}  # type: ignore[attr-defined]


def _schedule(indicator_ids: set[int]) -> None:
    if indicator_ids:
        progress_schedule(trigger=RecomputeRun.Trigger.ADMIN, indicator_ids=indicator_ids)


@admin.register(Indicator)
class IndicatorAdmin(RecomputesProgress):
    list_display = ["code", "name_vi", "unit", "measure", "direction", "accumulation", "programme"]
    list_filter = ["programme", "measure", "direction", "accumulation"]
    search_fields = ["code", "name_vi", "name_en"]
    list_select_related = ["programme"]
    autocomplete_fields = ["parent", "programme"]


@admin.register(Target)
class TargetAdmin(RecomputesProgress):
    list_display = [
        "indicator",
        "province",
        "year",
        "comparator",
        "low",
        "high",
        "approximate",
        "document",
    ]
    list_filter = ["document__implements", "document", "year", "comparator", "approximate"]
    search_fields = ["indicator__code", "indicator__name_vi", "province__name", "text_vi"]
    list_select_related = ["indicator", "province", "document"]
    autocomplete_fields = ["document", "province", "indicator"]
