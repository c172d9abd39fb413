from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from progress.admin import RecomputesAllProgress

from .models import Province


class InForceFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "in_force"

    def lookups(self, request, model_admin):  # type: ignore[no-untyped-def]
        return [("current", _("in force today")), ("former", _("former units"))]

    def queryset(self, request, queryset):  # type: ignore[no-untyped-def]
        if self.value() == "current":
            return queryset.filter(valid_to__isnull=True)
        if self.value() == "former":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(Province)
class ProvinceAdmin(RecomputesAllProgress):
    list_display = ["code", "name", "kind", "valid_from", "valid_to", "successor"]
    list_filter = [InForceFilter, "kind"]
    search_fields = ["code", "name", "former_names"]
    list_select_related = ["successor"]
    autocomplete_fields = ["successor"]
