from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from programmes.selectors import documents_for_provinces
from progress.presenters import merger_day, unit_indicator_chart
from progress.selectors import progress_for_unit

from .models import Province
from .selectors import (
    last_day_before_reorganisation,
    province_lineage,
    province_merger,
    provinces_in_force,
)


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
        {
            "provinces": provinces,
            "former": former,
            "former_day": former_day,
            "on": on,
            # The units that replaced them began the next day.
            "merged_on": former_day + timedelta(days=1) if former_day else None,
        },
    )


def province_detail(request: HttpRequest, pk: int) -> HttpResponse:
    province = get_object_or_404(Province.objects.select_related("successor"), pk=pk)
    lineage = province_lineage(province=province)
    page = request.GET.get("page", "1")
    progress = progress_for_unit(lineage=lineage, page=int(page) if page.isdigit() else 1)
    merger_on = merger_day(province, lineage[1:])
    sections = [
        (
            indicator,
            progress.rows[indicator.pk],
            unit_indicator_chart(
                chart_id=f"chart-{indicator.pk}",
                indicator=indicator,
                rows=progress.rows[indicator.pk],
                unit=province,
                merger_on=merger_on,
            ),
        )
        for indicator in progress.indicators
    ]
    return render(
        request,
        "provinces/province_detail.html",
        {
            "province": province,
            "predecessors": lineage[1:],
            "merger_on": merger_on,
            "merger": province_merger(province=province, lineage=lineage),
            "documents": documents_for_provinces(provinces=lineage),
            "progress": progress,
            "sections": sections,
        },
    )
