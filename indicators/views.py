from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from progress.presenters import indicator_charts, indicator_latest_by_unit
from progress.selectors import (
    last_closed_year,
    national_target_ahead,
    progress_for_indicator,
    rows_shown,
)
from reports.selectors import FIRST_YEAR

from .models import Indicator
from .selectors import indicator_code_as_stored


def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        data = progress_for_indicator(code=code)
    except Indicator.DoesNotExist:
        # /indicators/scp-09/, typed or from a lower-cased link: to its one address.
        stored = indicator_code_as_stored(code)
        if stored is None:
            raise Http404 from None
        return redirect("indicator-detail", code=stored, permanent=True)
    latest = indicator_latest_by_unit(data.rows)
    national_target = national_target_ahead(
        targets=data.national_targets, last_year=last_closed_year()
    )
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "data": data,
            "indicator": data.indicator,
            "latest": latest,
            "national_target": national_target,
            "national_rows": rows_shown([row for row in data.rows if row.province_id is None]),
            "without_data": data.units_without_data,
            "expected": data.units_expected,
            "first_year": FIRST_YEAR,
            # The series chart draws values only: with none it would be bare axes.
            "has_series": any(row.value is not None for row in data.rows),
            "charts": indicator_charts(
                indicator=data.indicator,
                latest=latest,
                rows=data.rows,
                national_target=national_target,
            ),
        },
    )
