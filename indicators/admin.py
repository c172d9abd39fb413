from django.contrib import admin
from django.db.models import Model
from django.forms import ModelForm
from django.http import HttpRequest

from progress.models import RecomputeRun
from progress.services import progress_schedule

from .models import Indicator, Target


class RecomputesProgress(admin.ModelAdmin):
    """A changed indicator or target changes the stored progress of that indicator."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        progress_schedule(trigger=RecomputeRun.Trigger.ADMIN, indicator_ids=[_indicator_id(obj)])

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        indicator_id = _indicator_id(obj)
        super().delete_model(request, obj)
        progress_schedule(trigger=RecomputeRun.Trigger.ADMIN, indicator_ids=[indicator_id])


def _indicator_id(obj: Model) -> int:
    return obj.pk if isinstance(obj, Indicator) else obj.indicator_id  # type: ignore[attr-defined]


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
