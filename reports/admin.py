from django.contrib import admin

from .models import Report, ReportedValue


class ReportedValueInline(admin.TabularInline):
    model = ReportedValue
    extra = 0
    autocomplete_fields = ["indicator"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "province", "year", "status", "updated_at"]
    list_filter = ["status", "year"]
    search_fields = ["province__name", "province__code"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    inlines = [ReportedValueInline]


@admin.register(ReportedValue)
class ReportedValueAdmin(admin.ModelAdmin):
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
    autocomplete_fields = ["report", "indicator"]
