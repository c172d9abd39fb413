from django.contrib import admin

from sxtd.admin import ReadOnlyAdmin

from .models import Progress, RecomputeRun


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
