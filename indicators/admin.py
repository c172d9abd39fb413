from django.contrib import admin

from .models import Indicator, Target


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_vi", "unit", "measure", "direction", "accumulation", "programme"]
    list_filter = ["programme", "measure", "direction", "accumulation"]
    search_fields = ["code", "name_vi", "name_en"]
    list_select_related = ["programme"]
    autocomplete_fields = ["parent", "programme"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
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
