from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sxtd.admin import ReadOnlyAdmin

from .models import (
    ImportBatch,
    Report,
    ReportedValue,
    ReportingDeadline,
    ReportTransition,
    ValueChange,
)


class ReportedValueInline(admin.TabularInline):
    model = ReportedValue
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReportedValue]:
        # Each read-only row names its indicator and report: without these, three
        # queries a value, and a national report carries hundreds.
        return super().get_queryset(request).select_related("indicator", "report__province")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "province", "year", "status", "updated_at"]
    list_filter = ["status", "year"]
    search_fields = ["province__name", "province__code"]
    list_select_related = ["province"]
    inlines = [ReportedValueInline]


@admin.register(ReportedValue)
class ReportedValueAdmin(ReadOnlyAdmin):
    list_display = [
        "indicator",
        "report",
        "value",
        "qualifier",
        "numerator",
        "denominator",
        "as_of",
    ]
    list_filter = ["report__status", "report__year", "indicator__programme", "indicator"]
    search_fields = ["indicator__code", "report__province__name", "note", "source"]
    list_select_related = ["indicator", "report__province"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(admin.ModelAdmin):
    """The administrator changes a year's deadline here (default: 31 January of the next year)."""

    list_display = ["year", "due_on"]


@admin.register(ReportTransition)
class ReportTransitionAdmin(ReadOnlyAdmin):
    list_display = ["report", "from_status", "to_status", "by", "at"]
    list_filter = ["to_status", "report__year"]
    search_fields = ["report__province__name", "reason", "by__username"]
    list_select_related = ["report__province", "by"]


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdmin):
    list_display = ["report", "indicator", "path", "by", "at"]
    list_filter = ["path", "report__year", "indicator"]
    search_fields = ["report__province__name", "indicator__code", "by__username"]
    list_select_related = ["report__province", "indicator", "by"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Who uploaded which file and whether it was applied; what it changed is in the
    value changes (path "spreadsheet import")."""

    list_display = ["filename", "uploaded_by", "uploaded_at", "applied_at"]
    list_filter = ["applied_at", "uploaded_at"]
    search_fields = ["filename", "uploaded_by__username"]
    list_select_related = ["uploaded_by"]
    exclude = ["content", "rows"]
