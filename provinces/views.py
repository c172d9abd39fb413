from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from programmes.selectors import documents_for_provinces
from reports.selectors import approved_values_for_provinces

from .models import Province
from .selectors import last_day_before_reorganisation, province_lineage, provinces_in_force


def province_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    former_day = last_day_before_reorganisation()
    former = request.GET.get("view") == "former" and former_day is not None
    on = former_day if former and former_day else today
    provinces = (
        provinces_in_force(on=on).select_related("successor").prefetch_related("predecessors")
    )
    return render(
        request,
        "provinces/province_list.html",
        {"provinces": provinces, "former": former, "former_day": former_day, "on": on},
    )


def province_detail(request: HttpRequest, pk: int) -> HttpResponse:
    province = get_object_or_404(Province.objects.select_related("successor"), pk=pk)
    lineage = province_lineage(province=province)
    return render(
        request,
        "provinces/province_detail.html",
        {
            "province": province,
            "predecessors": lineage[1:],
            "documents": documents_for_provinces(provinces=lineage),
            "values": approved_values_for_provinces(provinces=lineage),
        },
    )
