from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from sxtd.admin import ReadOnlyAdmin

from .models import Progress, RecomputeRun
from .services import progress_schedule


class RecomputesAllProgress(admin.ModelAdmin):
    """Units and documents reach every figure - which units are in force and whom they
    merged into, which plan's target stands, the register of plans - so a change to one
    schedules a full recompute rather than leaving the figures stale until the night."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        progress_schedule(trigger=RecomputeRun.Trigger.ADMIN)

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        super().delete_model(request, obj)
        progress_schedule(trigger=RecomputeRun.Trigger.ADMIN)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        progress_schedule(trigger=RecomputeRun.Trigger.ADMIN)


@admin.register(RecomputeRun)
class RecomputeRunAdmin(ReadOnlyAdmin):
    list_display = [
        "pk",
        "trigger",
        "status",
        "from_year",
        "created_at",
        "duration_ms",
        "rows_written",
    ]
    list_filter = ["status", "trigger"]
    search_fields = ["error"]


@admin.register(Progress)
class ProgressAdmin(ReadOnlyAdmin):
    list_display = [
        "indicator",
        "province",
        "year",
        "as_of_year",
        "origin",
        "value",
        "ratio",
        "status",
    ]
    list_filter = ["status", "origin", "year", "indicator__programme", "indicator"]
    search_fields = ["indicator__code", "province__name", "explanation_code"]
    list_select_related = ["indicator", "province"]
