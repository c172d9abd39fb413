from django.contrib import admin

from progress.admin import RecomputesAllProgress

from .models import Document


@admin.register(Document)
class DocumentAdmin(RecomputesAllProgress):
    list_display = [
        "number",
        "kind",
        "province",
        "issued_on",
        "period_start",
        "period_end",
        "implements",
    ]
    list_filter = ["kind", "implements", "period_start"]
    search_fields = ["number", "title_vi", "title_en", "issuer", "province__name"]
    list_select_related = ["province", "implements"]
    autocomplete_fields = ["province", "implements"]
    date_hierarchy = "issued_on"
