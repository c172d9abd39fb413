"""The programme's calendar, seen on a given day: which programme the pages show, which
years a report can be filed for, and which year's reports the overview follows.

889/QĐ-TTg runs 2021–2030; a year's reports are due on 31 January of the next year (or
the administrator's day). Each test sets the day with the ``clock`` fixture.
"""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from indicators.models import Indicator
from programmes.models import Document
from progress.models import Progress, RecomputeRun
from progress.services import progress_recompute_now
from provinces.selectors import province_for_code_in_year
from reports.import_services import report_import_preview
from reports.models import Report, ReportingDeadline
from reports.services import ReportValidationError, report_open

from .conftest import client_for

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


# ------------------------------------------------- no report for a year after the end


def test_in_2031_no_report_can_be_opened_for_2031(people, clock) -> None:  # type: ignore[no-untyped-def]
    """On 1/3/2031 Hà Nội, the new Thái Nguyên and the national report opened for 2031, a
    year no programme covers; then the status page counted every unit late for it."""
    clock(date(2031, 3, 1))
    hanoi = province_for_code_in_year(code="01", year=2025)
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    for user, province in [
        (people["officer_hanoi"], hanoi),
        (people["officer_thainguyen"], thai_nguyen),
        (people["administrator"], None),
    ]:
        with translation.override("en"), pytest.raises(ReportValidationError, match="2021 to 2030"):
            report_open(province=province, year=2031, by=user)
        assert report_open(province=province, year=2030, by=user).year == 2030
    assert not Report.objects.filter(year=2031).exists()

    officer = client_for(people["officer_hanoi"])
    response = officer.post(
        reverse("report-open"), {"province": hanoi.pk, "year": 2031}, follow=True
    )
    assert "báo cáo chỉ cho các năm từ 2021 đến 2030" in _text(response)
    for url in (reverse("report-list"), reverse("report-import")):
        page = _text(officer.get(url))
        assert "<option selected>2030</option>" in page and "<option>2031</option>" not in page
    template = officer.get(
        reverse("report-unit-template"), {"province": hanoi.pk, "year": 2031, "format": "csv"}
    )
    assert template.status_code == 404


def test_in_2031_an_import_refuses_a_2031_row(people, clock) -> None:  # type: ignore[no-untyped-def]
    clock(date(2031, 3, 1))
    content = b"unit_code,indicator_code,year,value,qualifier,numerator,denominator,note,source\n"
    content += b"01,SCP-07,2031,90,,,,,\n01,SCP-07,2030,90,,,,,"
    with translation.override("en"):
        preview = report_import_preview(
            content=content, filename="ket-qua.csv", by=people["officer_hanoi"]
        )
    assert preview.errors == [(2, "year", "reports cover 2021 to 2030")]


def test_in_2032_the_status_grid_ends_with_the_programmes_last_year(people, clock) -> None:  # type: ignore[no-untyped-def]
    """On 1/3/2032 the grid showed 2027–2031 by default, 34 units "late" for 2031."""
    clock(date(2032, 3, 1))
    reviewer = client_for(people["reviewer"])
    url = reverse("reporting-status")
    for query in [{}, {"to": 2031}]:
        page = _text(reviewer.get(url, query))
        head = re.search(r"<thead>(.*?)</thead>", page)
        assert head and re.findall(r'<th scope="col"[^>]*>(\d{4})', head.group(1))[-1] == "2030"
        assert '<option value="2031"' not in page
    # A span holding no year a report is filed for is refused, not shown as other years.
    response = reviewer.get(url, {"from": 2031, "to": 2032})
    assert response.status_code == 400
    assert response.context["filters"].errors == {
        "from": ["báo cáo chỉ cho các năm từ 2021 đến 2030"]
    }
    assert "<thead>" not in _text(response)
    default = _text(reviewer.get(url))
    assert re.findall(r'<th scope="col"[^>]*>(\d{4})', default) == [
        "2026",
        "2027",
        "2028",
        "2029",
        "2030",
    ]


# ------------------------------------------------------- the overview's reporting year


def _reporting(page: str) -> str:
    section = re.search(r'<h2 id="reporting">.*?</section>', page)
    assert section, page
    return section.group(0)


def _names(html: str) -> list[str]:
    """The units of a list, each with its note: "Bắc Kạn (đến 30/6/2025) · địa bàn nay thuộc Thái Nguyên"."""
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", html)]


def _lists(section: str) -> dict[str, list[str]]:
    return {
        heading: _names(items)
        for heading, items in re.findall(r"<h3>(.*?)</h3>\s*<ul[^>]*>(.*?)</ul>", section)
    }


def _footer(page: str) -> dict[str, list[int]]:
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page).group(1)  # type: ignore[union-attr]
    return {
        label: [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', cells)]
        for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', foot)
    }


def test_the_overview_expects_a_former_units_area_as_the_status_page_does(people, clock) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's 2025 report submitted, none for Bắc Kạn's area (405/KH-UBND
    runs to 2030): the overview said "3/34" and named Thái Nguyên received and Bắc Kạn
    nowhere, while the status page expected 35 reports and showed Bắc Kạn's missing."""
    clock(date(2026, 3, 1))
    received = [
        (province_for_code_in_year(code="19", year=2025), Report.Status.SUBMITTED),
        (province_for_code_in_year(code="01", year=2025), Report.Status.APPROVED),
        (province_for_code_in_year(code="79", year=2025), Report.Status.SUBMITTED),
    ]
    for province, status in received:
        Report.objects.create(province=province, year=2025, status=status)
    # A draft is its unit's business: the public overview counts it as not received.
    cao_bang = province_for_code_in_year(code="04", year=2025)
    Report.objects.create(province=cao_bang, year=2025, status=Report.Status.DRAFT)
    page = _text(client_for(None).get("/"))
    assert '<span class="big">3/35</span>báo cáo năm 2025 đã nhận' in page
    section = _reporting(page)
    assert "bản nháp" not in section
    lists = _lists(section)
    assert "Thái Nguyên · đã gửi" in lists["Đã nhận (đã duyệt hoặc đã gửi)"]
    assert "Bắc Kạn (đến 30/6/2025) · địa bàn nay thuộc Thái Nguyên" in lists["Chưa nhận được"]
    assert len(lists["Chưa nhận được"]) == 32

    grid = _text(
        client_for(people["reviewer"]).get(reverse("reporting-status"), {"from": 2025, "to": 2025})
    )
    totals = _footer(grid)
    assert totals["đã gửi"][0] + totals["đã duyệt"][0] == 3
    assert totals["bản nháp"] == [1]
    assert sum(counts[0] for label, counts in totals.items() if label != "muộn") == 35


def test_the_overview_marks_a_returned_report_to_those_who_follow_its_review(people, clock) -> None:  # type: ignore[no-untyped-def]
    """Hà Nội's 2025 report, sent and reopened, was listed under "Chưa nhận được" with no
    mark, while the status page said "bị trả lại". The ministry and the unit's officers
    read the mark; to anyone else the report is only not received."""
    clock(date(2026, 3, 1))
    hanoi = province_for_code_in_year(code="01", year=2025)
    Report.objects.create(province=hanoi, year=2025, status=Report.Status.RETURNED)
    Report.objects.create(
        province=province_for_code_in_year(code="04", year=2025),
        year=2025,
        status=Report.Status.DRAFT,
    )
    for who, marked in [
        ("reviewer", True),
        ("officer_hanoi", True),
        ("officer_thainguyen", False),
        ("visitor", False),
    ]:
        section = _reporting(_text(client_for(people[who]).get("/")))
        missing = _lists(section)["Chưa nhận được"]
        assert ("Hà Nội · bị trả lại" in missing) is marked, (who, missing)
        assert ("Hà Nội" in missing) is not marked, (who, missing)
        assert "Cao Bằng" in missing  # a draft stays unmarked: it was never sent
    grid = _text(
        client_for(people["reviewer"]).get(reverse("reporting-status"), {"from": 2025, "to": 2025})
    )
    assert _footer(grid)["bị trả lại"] == [1]


def test_on_2_january_the_overview_says_the_closed_years_reports_are_not_yet_due(
    clock,
) -> None:  # type: ignore[no-untyped-def]
    """On 2/1/2027 the overview listed all 34 units under "None received" for 2026, whose
    reports are due on 31/1/2027; meanwhile the units still missing 2025 are shown."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    Report.objects.create(province=hanoi, year=2025, status=Report.Status.APPROVED)
    clock(date(2027, 1, 2))
    section = _reporting(_text(client_for(None).get("/")))
    assert "Báo cáo năm 2026" in section
    assert "Chưa đến hạn: báo cáo năm 2026 hạn nộp ngày 31/1/2027." in section
    lists = _lists(section)
    assert "Chưa nhận được" not in lists
    assert len(lists["Chưa nhận (chưa đến hạn)"]) == 35
    # 2025's reports are late and the ones to chase: Hà Nội's came in.
    late = lists["Báo cáo năm 2025 vẫn chưa nhận được (hạn nộp ngày 31/1/2026)"]
    assert len(late) == 34 and "Hà Nội" not in late
    assert "Bắc Kạn (đến 30/6/2025) · địa bàn nay thuộc Thái Nguyên" in late


def test_the_overview_follows_the_administrators_deadline(clock) -> None:  # type: ignore[no-untyped-def]
    ReportingDeadline.objects.create(year=2026, due_on=date(2027, 3, 15))
    clock(date(2027, 3, 1))
    assert "hạn nộp ngày 15/3/2027" in _reporting(_text(client_for(None).get("/")))
    clock(date(2027, 3, 16))
    section = _reporting(_text(client_for(None).get("/")))
    assert "Hạn nộp ngày 15/3/2027; đã quá hạn." in section
    lists = _lists(section)
    assert len(lists["Chưa nhận được"]) == 35
    assert not any(heading.startswith("Báo cáo năm 2025") for heading in lists)


def test_in_2032_the_overview_follows_the_programmes_last_year(clock) -> None:  # type: ignore[no-untyped-def]
    """On 1/3/2032 the overview read "Reports for 2031: 0/34"."""
    clock(date(2032, 3, 1))
    page = _text(client_for(None).get("/"))
    assert "báo cáo năm 2031" not in page.lower()
    assert "Báo cáo năm 2030" in _reporting(page)
    # Bắc Kạn's area still reports in 2030, the last year of its 405/KH-UBND.
    assert '<span class="big">0/35</span>báo cáo năm 2030 đã nhận' in page


# ------------------------------------------------------------- the report list's year due


def _before_open_form(page: str) -> str:
    """The report list's text above its "open the report" form, or above the filters for
    those who open none."""
    end = page.find('<form method="post" action="/reports/open/"')
    return page[: end if end >= 0 else page.index('<form method="get"')]


def test_the_report_list_says_which_years_reports_are_due_and_by_when(people, clock) -> None:  # type: ignore[no-untyped-def]
    """Only the overview and each report's page said "Hạn nộp ngày 31/1/2026; đã quá hạn.":
    an officer opening the 2025 report from the list was not told it was due, or late."""
    clock(date(2027, 1, 2))
    officer = client_for(people["officer_hanoi"])
    assert "Chưa đến hạn: báo cáo năm 2026 hạn nộp ngày 31/1/2027." in _before_open_form(
        _text(officer.get(reverse("report-list")))
    )
    ReportingDeadline.objects.create(year=2026, due_on=date(2027, 3, 15))
    clock(date(2027, 3, 16))
    for person in ["officer_hanoi", "officer_thainguyen", "reviewer", "administrator"]:
        client = client_for(people[person])
        client.cookies["django_language"] = "en"
        head = _before_open_form(_text(client.get(reverse("report-list"))))
        assert "The 2026 reports were due on 15 Mar 2027; the deadline has passed." in head, person
    # Those who neither file nor review reports are not told of a deadline.
    for person in ["analyst", "visitor"]:
        page = _text(client_for(people[person]).get(reverse("report-list")))
        assert "15/3/2027" not in page, person
