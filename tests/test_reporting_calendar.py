"""The programme's calendar, seen on a given day: which programme the pages show, which
years a report can be filed for, and which year's reports the overview follows.

889/QĐ-TTg runs 2021–2030; a year's reports are due on 31 January of the next year (or
the administrator's day). Each test sets the day with the ``clock`` fixture.
"""

import re
from datetime import date

import pytest
from django.test import Client

from indicators.models import Indicator
from programmes.models import Document
from progress.models import Progress, RecomputeRun
from progress.services import progress_recompute_now

pytestmark = pytest.mark.django_db


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


# ----------------------------------------------------------- after the programme's end


def test_in_2031_the_overview_still_shows_the_programme_whose_final_results_arrive(
    client: Client, clock
) -> None:  # type: ignore[no-untyped-def]
    """On 1/3/2031 the overview read "no national programme loaded", with an empty table
    of national targets and heat map and "0/34" provinces with a plan."""
    clock(date(2031, 3, 1))
    page = _text(client.get("/"))
    programme = Document.objects.get(number="889/QĐ-TTg")
    assert "Chưa có chương trình quốc gia nào được nạp." not in page
    assert programme.title_vi in page
    national = re.search(r'<table class="data national">(.*?)</table>', page)
    assert national and "SCP-09" in national.group(1)
    heatmap = re.search(r'<table class="heatmap">.*?<thead>(.*?)</thead>', page)
    assert heatmap and "SCP-04" in heatmap.group(1)
    plans = re.search(r'<span class="big">(\d+)/34</span>', page)
    assert plans and int(plans.group(1)) > 0


def test_a_recompute_in_2031_keeps_the_plan_register_to_2030(clock) -> None:  # type: ignore[no-untyped-def]
    """The nightly recompute on 1/3/2031 deleted SCP-09's plan-register rows (7 → 0)."""
    scp09 = Indicator.objects.get(code="SCP-09")

    def register_years() -> list[int]:
        rows = Progress.objects.filter(
            indicator=scp09, province__isnull=True, origin=Progress.Origin.PLAN_REGISTER
        )
        return sorted(rows.values_list("year", flat=True).distinct())

    clock(date(2031, 3, 1))
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    assert register_years() == list(range(2021, 2031))
