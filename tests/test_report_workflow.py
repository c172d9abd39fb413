"""Entering, submitting, returning, approving and reopening a yearly report."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart
from django.urls import reverse
from django.utils import timezone

from indicators.models import Indicator
from progress.models import Progress
from provinces.selectors import province_for_code_in_year
from reports.models import Report, ReportedValue, ValueChange
from reports.selectors import report_form_rows
from sxtd.celery import app as celery_app

from .conftest import client_for

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + timedelta(days=1)


def _open(client, province, year: int) -> Report:  # type: ignore[no-untyped-def]
    response = client.post(reverse("report-open"), {"province": province.pk, "year": year})
    assert response.status_code == 302, response
    return Report.objects.get(province=province, year=year)


def _form_data(report: Report, **values: dict[str, str]) -> dict[str, str]:
    data = {"version": str(report.version)}
    for row in report_form_rows(report=report):
        code = row.indicator.code
        given = values.get(code.replace("-", "_"), {})
        data[f"{code}-qualifier"] = given.get("qualifier", "exact")
        for name in ("value", "numerator", "denominator", "as_of", "note", "source", "link"):
            data[f"{code}-{name}"] = given.get(name, "")
    return data


def _hanoi_2023_saved_in_english(people, **values: dict[str, str]):  # type: ignore[no-untyped-def]
    """Hà Nội's officer, reading English, saves the 2023 form with ``values``: the response
    and the report."""
    client = client_for(people["officer_hanoi"])
    client.post(reverse("set_language"), {"language": "en"})
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    response = client.post(reverse("report-edit", args=[report.pk]), _form_data(report, **values))
    return response, report


def _every_target_given(report: Report) -> dict[str, dict[str, str]]:
    """A value (4) for every indicator with a target of the report's year, which a report
    needs before it is submitted."""
    return {
        row.indicator.code.replace("-", "_"): {"value": "4"}
        for row in report_form_rows(report=report)
        if row.target is not None and row.target.year == report.year
    }


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


def _dangling_references(page: str) -> set[str]:
    """The ids a field's description or an in-page link points to that are not on the page:
    a screen reader reads nothing there, a link leads nowhere."""
    ids = set(re.findall(r' id="([^"]+)"', page))
    wanted = {
        name for names in re.findall(r'aria-describedby="([^"]+)"', page) for name in names.split()
    } | set(re.findall(r'href="#([^"]+)"', page))
    return wanted - ids


def test_a_report_is_opened_only_for_a_year_its_unit_files(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_thainguyen"])
    new_thai_nguyen = province_for_code_in_year(code="19", year=2025)
    old_thai_nguyen = province_for_code_in_year(code="19", year=2024)
    # The old Thái Nguyên by its label, which says when it ended, and the unit that files
    # the year by its own: "the unit it became part of" left the officer to guess which.
    for province, year, language, reason in [
        (new_thai_nguyen, 2024, "vi", "Thái Nguyên có từ 1/7/2025: số liệu năm 2024 được báo cáo theo các đơn vị đã hợp thành."),
        (old_thai_nguyen, 2025, "en", "Thái Nguyên (until 30 Jun 2025) merged into Thái Nguyên on 1 Jul 2025: the 2025 figures are reported by Thái Nguyên."),
    ]:  # fmt: skip
        client.cookies["django_language"] = language
        response = client.post(
            reverse("report-open"), {"province": province.pk, "year": year}, follow=True
        )
        page = _text(response)
        assert reason in page
        assert not Report.objects.filter(province=province, year=year).exists()
        # The form keeps what was tried, to be corrected rather than chosen again.
        assert re.search(rf'<option value="{province.pk}"[^>]* selected>', page)
        assert f"<option selected>{year}</option>" in page


def test_the_year_offered_first_is_the_one_whose_report_is_due(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    due = timezone.localdate().year - 1
    for url in (reverse("report-list"), reverse("report-import")):
        assert f"<option selected>{due}</option>" in _text(client.get(url)), url


@pytest.mark.parametrize(
    ("officer", "queries"), [("officer_hanoi", 12), ("officer_thainguyen", 13)]
)
def test_the_report_list_reads_the_officers_units_once_for_its_form_and_import_button(
    people, officer, queries, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The import button asks about the units and reportable years the open form lists,
    not read again; a merged unit reads its former units one merger level a query (Thái
    Nguyên: two). One more reads the deadline of the year due, which the page states."""
    client = client_for(people[officer])
    with django_assert_num_queries(queries):
        assert client.get(reverse("report-list")).status_code == 200


def test_bac_kans_area_report_after_the_merger_asks_for_its_own_plan_only(people) -> None:  # type: ignore[no-untyped-def]
    """405/KH-UBND runs to 2030, so Bắc Kạn's area still has 2025 figures to give, filed by
    the new Thái Nguyên; the programme's indicators it reports as itself."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    report = _open(client_for(people["officer_thainguyen"]), bac_kan, 2025)
    codes = {row.indicator.code for row in report_form_rows(report=report)}
    assert codes == {"BK-NLTT-CS", "BK-NLTT-SL", "BK-NLTT-TT", "BK-OCOP-3S", "BK-OCOP-5S", "SCP-04", "SCP-05", "SCP-07"}  # fmt: skip
    before = {
        row.indicator.code for row in report_form_rows(report=Report(province=bac_kan, year=2024))
    }
    assert "SCP-01" in before and "SCP-01" not in codes
    # Its page is titled as the former unit it is, as the report list names it.
    page = _text(
        client_for(people["officer_thainguyen"]).get(reverse("report-detail", args=[report.pk]))
    )
    title = re.search(r"<h1>.*?</h1>", page)
    assert title and "Bắc Kạn (đến 30/6/2025)</a> — 2025" in title.group(0)


def _scope_notice(page: str) -> str:
    """The words of the notice saying what a report covers, or "" without one."""
    notice = re.search(r'<p class="notice scope">(.*?)</p>', page)
    return re.sub(r"<[^>]+>", "", notice.group(1)) if notice else ""


def _report_pages(client, report: Report) -> list[str]:  # type: ignore[no-untyped-def]
    """The report page and its entry form, as the officer reads them."""
    return [
        _text(client.get(reverse(name, args=[report.pk])))
        for name in ("report-detail", "report-edit")
    ]


def test_a_merged_units_report_says_its_figures_include_the_former_units_areas(people) -> None:  # type: ignore[no-untyped-def]
    """Thái Nguyên's officer entered SCP-05 for the new province and for Bắc Kạn's area
    with nothing saying whether the first includes the second: the national figures take
    it that it does, and a figure meant otherwise left the total short, silently."""
    client = client_for(people["officer_thainguyen"])
    client.cookies["django_language"] = "en"
    report = _open(client, province_for_code_in_year(code="19", year=2025), 2025)
    for page in _report_pages(client, report):
        assert _scope_notice(page) == (
            "The figures of this report are for the whole of Thái Nguyên as it is from "
            "1 Jul 2025, the areas of Thái Nguyên (until 30 Jun 2025) and Bắc Kạn (until 30 "
            "Jun 2025) included. The area of Bắc Kạn (until 30 Jun 2025) also has a report "
            "of its own, on the indicators of its plan 405/KH-UBND only; where both give a "
            "figure for an indicator, the area's is part of this one and is not added to it."
        )


def test_a_former_units_area_report_says_whose_area_and_plan_it_covers(people) -> None:  # type: ignore[no-untyped-def]
    """ "Bắc Kạn (đến 30/6/2025) — 2025" read as a contradiction: the page now says where
    the area is, as the overview does, and what its report holds."""
    client = client_for(people["officer_thainguyen"])
    report = _open(client, province_for_code_in_year(code="06", year=2024), 2025)
    detail, form = _report_pages(client, report)
    title = re.search(r"<h1>.*?</h1>", detail)
    assert title and re.sub(r"<[^>]+>", "", title.group(0)) == (
        "Bắc Kạn (đến 30/6/2025) — 2025 · địa bàn nay thuộc Thái Nguyên"
    )
    kicker = re.search(r'<p class="kicker">.*?</p>', form)
    assert kicker and "Bắc Kạn (đến 30/6/2025) 2025</a> · địa bàn nay thuộc Thái Nguyên" in (
        kicker.group(0)
    )
    client.cookies["django_language"] = "en"
    for page in _report_pages(client, report):
        assert _scope_notice(page) == (
            "This report is for the area of Bắc Kạn (until 30 Jun 2025) in 2025, on the "
            "indicators of its own plan 405/KH-UBND only, and is filed by the officers of "
            "Thái Nguyên. Where Thái Nguyên also gives a figure for an indicator, that "
            "figure includes this area's, which is not added to it."
        )


def test_reports_no_merger_leaves_in_doubt_say_nothing_of_one(people) -> None:  # type: ignore[no-untyped-def]
    """Hà Nội's, and the former units' own reports from before the merger."""
    for officer, code, year in [
        ("officer_hanoi", "01", 2025),
        ("officer_thainguyen", "19", 2024),
        ("officer_thainguyen", "06", 2024),
    ]:
        client = client_for(people[officer])
        report = _open(client, province_for_code_in_year(code=code, year=year), year)
        for page in _report_pages(client, report):
            assert _scope_notice(page) == ""
            assert "địa bàn nay thuộc" not in page


def test_the_open_forms_offer_each_unit_for_the_years_it_files(people, clock) -> None:  # type: ignore[no-untyped-def]
    """/reports/ offered "Thái Nguyên (đến 30/6/2025)" for 2025 and then refused it; each
    unit's option now lists its years, for the page's script to offer a year's units only."""
    clock(date(2026, 3, 1))
    client = client_for(people["officer_thainguyen"])
    expected = {
        ("19", 2025): "2026 2025",
        ("19", 2024): "2024 2023 2022 2021",
        # 405/KH-UBND runs to 2030: Bắc Kạn's area files every year.
        ("06", 2024): "2026 2025 2024 2023 2022 2021",
    }
    for url in (reverse("report-list"), reverse("report-import")):
        page = _text(client.get(url))
        assert "data-unit-years" in page and "/static/js/unit-years" in page
        for (code, year), years in expected.items():
            unit = province_for_code_in_year(code=code, year=year)
            assert re.search(
                rf'<option value="{unit.pk}" data-code="{code}" data-years="{years}"', page
            ), (url, unit)


def test_the_whole_cycle_enter_submit_return_fix_approve_reopen(people) -> None:  # type: ignore[no-untyped-def]
    hanoi = province_for_code_in_year(code="01", year=2023)
    officer, reviewer = client_for(people["officer_hanoi"]), client_for(people["reviewer"])
    report = _open(officer, hanoi, 2023)
    assert report.status == Report.Status.DRAFT

    response = officer.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_07={"value": "92,5", "source": "Sở Công Thương Hà Nội"}),
    )
    assert response.status_code == 302
    value = ReportedValue.objects.get(report=report, indicator__code="SCP-07")
    assert value.value == Decimal("92.5")
    assert "92,5" in _text(officer.get(reverse("report-detail", args=[report.pk])))

    officer.post(reverse("report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    # Submitted reports are locked for the officer, who is told so on the report's page.
    locked = officer.get(reverse("report-edit", args=[report.pk]), follow=True)
    assert locked.redirect_chain == [(reverse("report-detail", args=[report.pk]), 302)]
    assert "Báo cáo đang ở trạng thái đã gửi: không thể sửa nữa." in _text(locked)

    refused = reviewer.post(reverse("report-return", args=[report.pk]), {"reason": ""}, follow=True)
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED  # a return needs a reason
    # The message alone, without the form's keys ("báo cáo, reason: …").
    assert re.search(r">\s*cần nêu lý do", refused.content.decode()), _text(refused)
    reviewer.post(reverse("report-return", args=[report.pk]), {"reason": "Thiếu nguồn số liệu"})
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED
    assert "Thiếu nguồn số liệu" in _text(officer.get(reverse("report-detail", args=[report.pk])))

    report.refresh_from_db()
    officer.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_07={"value": "93", "source": "Báo cáo 12/KH-SCT"}),
    )
    officer.post(reverse("report-submit", args=[report.pk]))
    reviewer.post(reverse("report-approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert officer.get(reverse("report-edit", args=[report.pk])).status_code == 302
    assert reviewer.get(reverse("report-edit", args=[report.pk])).status_code == 404

    reviewer.post(reverse("report-reopen", args=[report.pk]), {"reason": "Sửa năm gốc"})
    report.refresh_from_db()
    assert report.status == Report.Status.RETURNED

    page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    for step in ["Sửa năm gốc", "Thiếu nguồn số liệu"]:
        assert step in page
    assert [t.to_status for t in report.transitions.all()] == [
        "submitted",
        "returned",
        "submitted",
        "approved",
        "returned",
    ]
    assert all(t.by_id for t in report.transitions.all())


def test_approval_recomputes_the_progress_of_the_report(
    people, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    # 2024: the year of Hà Nội's 263/KH-UBND (2023 is under no plan of Hà Nội's setting
    # SCP-07, so has no target; see tests/test_progress_periods.py).
    hanoi = province_for_code_in_year(code="01", year=2024)
    officer, reviewer = client_for(people["officer_hanoi"]), client_for(people["reviewer"])
    report = _open(officer, hanoi, 2024)
    data = _form_data(report, **{**_every_target_given(report), "SCP_07": {"value": "95"}})
    officer.post(reverse("report-edit", args=[report.pk]), data)
    officer.post(reverse("report-submit", args=[report.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(reverse("report-approve", args=[report.pk]))
    figure = Progress.objects.get(
        province=hanoi, indicator__code="SCP-07", year=2024, origin="reported"
    )
    assert figure.value == Decimal("95")
    assert figure.target.text_vi.startswith("100%")
    assert figure.target.document.number == "263/KH-UBND"


@pytest.mark.parametrize(
    ("code", "given", "field", "reason"),
    [
        ("SCP_07", {"value": "120"}, "value", "between 0 and 100"),
        ("SCP_07", {"numerator": "5", "denominator": "0"}, "denominator", "cannot be zero"),
        ("SCP_07", {"numerator": "5"}, "denominator", "numerator and the denominator"),
        ("SCP_07", {"numerator": "-1", "denominator": "5"}, "numerator", "cannot be negative"),
        (
            "SCP_07",
            {"numerator": "6", "denominator": "5"},
            "numerator",
            "the numerator (6) is larger than the denominator (5): a share is at most 100 %",
        ),
        ("SCP_05", {"value": "-1"}, "value", "cannot be negative"),
        ("SCP_05", {"value": "1,5"}, "value", "whole number"),
        ("SCP_05", {"value": "abc"}, "value", "is not a number"),
        (
            "SCP_07",
            {"value": "24", "numerator": "24", "denominator": "63"},
            "value",
            "24 % is not 24 of 63 (38.1 %)",
        ),
        (
            "SCP_07",
            {"value": "80", "as_of": "31/12/2022"},
            "as_of",
            "31 Dec 2022 is before 2023: a figure of the 2023 report is counted in 2023 or later",
        ),
        (
            "SCP_07",
            {"value": "80", "as_of": TOMORROW.strftime("%d/%m/%Y")},
            "as_of",
            "is in the future: give the day the figure was counted",
        ),
        (
            "SCP_07",
            {"as_of": "15/07/2023"},
            "as_of",
            "a day is given but no value: give the value, or leave the day empty",
        ),
        (
            "SCP_07",
            {"value": "80", "as_of": "15/7/23"},
            "as_of",
            "is not a day: write it as dd/mm/yyyy, e.g. 15/07/2024",  # not 2023 guessed
        ),
        (
            "SCP_07",
            {"value": "80", "as_of": "31/02/2023"},
            "as_of",
            "is not a day of the calendar: write it as dd/mm/yyyy",
        ),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_the_reason(
    people, code, given, field, reason
) -> None:  # type: ignore[no-untyped-def]
    response, report = _hanoi_2023_saved_in_english(people, **{code: given})
    assert response.status_code == 200
    errors = response.context["form"].errors
    key = f"{code.replace('_', '-')}-{field}"
    assert key in errors, errors
    assert reason in " ".join(errors[key])
    assert not ReportedValue.objects.filter(report=report).exists()
    # Said at the top too, linked to the field, not only thousands of pixels below; the
    # keyboard starts there.
    page = _text(response)
    summary = re.search(
        r'<div class="notice error" role="alert" id="form-errors" tabindex="-1" autofocus>.*?</div>',
        page,
    )
    assert summary and "Not saved" in summary.group(0) and reason in summary.group(0)
    assert f'href="#id_{key}"' in summary.group(0)
    # The field is described by its error (and its help), each found on the page.
    described = re.search(rf'<[^>]* id="id_{key}"[^>]*>', page)
    assert described and 'aria-invalid="true"' in described.group(0)
    assert f"id_{key}_error" in described.group(0)
    assert re.search(rf'id="id_{key}_error">(<span class="error">[^<]*</span>)*', page)
    assert _dangling_references(page) == set()


def test_an_unreadable_day_does_not_hide_the_rows_other_errors(people) -> None:  # type: ignore[no-untyped-def]
    """A count of 1,5 with a day of "abc": the officer was told of the day, fixed it, and
    only then of the count. One save shows both."""
    response, _report = _hanoi_2023_saved_in_english(
        people, SCP_05={"value": "1,5", "as_of": "abc"}
    )
    errors = response.context["form"].errors
    assert "is not a day" in " ".join(errors["SCP-05-as_of"])
    assert "whole number" in " ".join(errors["SCP-05-value"])


def test_an_unreadable_note_is_refused_in_its_field_not_with_a_server_error(people) -> None:  # type: ignore[no-untyped-def]
    response, _report = _hanoi_2023_saved_in_english(
        people, SCP_05={"value": "3", "note": "a\x00b"}
    )
    assert response.status_code == 200
    assert "SCP-05-note" in response.context["form"].errors


def test_the_report_page_lists_the_empty_lines_before_sending(people) -> None:  # type: ignore[no-untyped-def]
    """A report with lines left empty was sent without a word: the page says which are
    needed (a target of the year; sending refuses them) and which may stay empty."""
    officer = client_for(people["officer_hanoi"])
    report = _open(officer, province_for_code_in_year(code="01", year=2024), 2024)
    officer.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "95"})
    )
    rows = report_form_rows(report=report)
    needed = {
        r.indicator.code for r in rows if r.current is None and r.target and r.target.year == 2024
    }
    optional = {r.indicator.code for r in rows if r.current is None} - needed
    assert needed and optional and "SCP-07" not in needed | optional
    page = _text(officer.get(reverse("report-detail", args=[report.pk])))

    def listed(label: str) -> set[str]:
        line = re.search(rf"{label}(.*?)</p>", page)
        assert line, page
        return set(re.findall(r'<a class="code" href="[^"]+#([\w-]+)">', line.group(1)))

    # The report's year, not "this year": a 2024 report is read in 2025.
    assert listed("Cần nhập trước khi gửi, vì năm 2024 có mục tiêu:") == needed
    assert listed("Chưa có giá trị, không bắt buộc để gửi:") == optional
    # The reviewer, who cannot fill them, is not shown them.
    response = client_for(people["reviewer"]).get(reverse("report-detail", args=[report.pk]))
    assert response.status_code == 200 and "Cần nhập trước khi gửi" not in _text(response)


def test_the_form_of_a_year_not_yet_over_says_an_empty_day_is_the_sending_day(people) -> None:  # type: ignore[no-untyped-def]
    """Progress reads an undated figure of the running year as of the day its report is
    sent, not as the whole year's: the field's help must not say otherwise."""
    client = client_for(people["officer_hanoi"])
    year = timezone.localdate().year
    report = _open(client, province_for_code_in_year(code="01", year=year), year)
    form = _text(client.get(reverse("report-edit", args=[report.pk])))
    scp07 = re.search(r'<fieldset class="value-row" id="SCP-07">.*?</fieldset>', form)
    assert scp07 and "để trống: số liệu tính đến ngày gửi báo cáo" in scp07.group(0)
    assert "cả năm" not in scp07.group(0)


def test_the_form_takes_the_day_a_figure_was_counted_and_shows_it_again(people) -> None:  # type: ignore[no-untyped-def]
    """A mid-year figure (80 % of supermarkets as of 15/7) could only be dated through the
    API; the form carried the stored day unseen."""
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    url = reverse("report-edit", args=[report.pk])
    form = _text(client.get(url))
    scp07 = re.search(r'<fieldset class="value-row" id="SCP-07">.*?</fieldset>', form)
    assert scp07 and 'name="SCP-07-as_of"' in scp07.group(0)
    assert "ngày số liệu" in scp07.group(0)
    assert "để trống nếu là số liệu cả năm" in scp07.group(0)
    # A qualitative result has no figure to date.
    scp01 = re.search(r'<fieldset class="value-row" id="SCP-01">.*?</fieldset>', form)
    assert scp01 and 'name="SCP-01-as_of"' not in scp01.group(0)

    saved = client.post(url, _form_data(report, SCP_07={"value": "80", "as_of": "15/7/2023"}))
    assert saved.status_code == 302, saved.context["form"].errors
    value = ReportedValue.objects.get(report=report, indicator__code="SCP-07")
    assert value.as_of == date(2023, 7, 15)
    assert 'name="SCP-07-as_of" value="15/07/2023"' in _text(client.get(url))

    # ISO is read too; the change log has the old and the new day.
    report.refresh_from_db()
    client.post(url, _form_data(report, SCP_07={"value": "80", "as_of": "2023-09-30"}))
    value.refresh_from_db()
    assert value.as_of == date(2023, 9, 30)
    change = ValueChange.objects.filter(report=report).latest("pk")
    assert (change.old["as_of"], change.new["as_of"]) == ("2023-07-15", "2023-09-30")

    # Emptied, the figure is the whole year's again.
    report.refresh_from_db()
    client.post(url, _form_data(report, SCP_07={"value": "80"}))
    value.refresh_from_db()
    assert value.as_of is None


@pytest.mark.parametrize(("language", "share"), [("vi", "21,6"), ("en", "21.6")])
def test_the_form_shows_a_stored_figure_as_it_reads_it_back(people, language, share) -> None:  # type: ignore[no-untyped-def]
    """1500 shown grouped ("1.500") came back from an untouched field as 1,5, and a count
    of 1500 was refused on every later save."""
    client = client_for(people["officer_hanoi"])
    client.post(reverse("set_language"), {"language": language})
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    url = reverse("report-edit", args=[report.pk])
    client.post(url, _form_data(report, SCP_05={"value": "1500"}, SCP_07={"value": share}))
    form = _text(client.get(url))
    shown = dict(re.findall(r'name="(SCP-0[57])-value" value="([^"]*)"', form))
    assert shown == {"SCP-05": "1500", "SCP-07": share}

    report.refresh_from_db()
    again = client.post(
        url,
        _form_data(
            report,
            SCP_05={"value": shown["SCP-05"]},
            SCP_07={"value": shown["SCP-07"], "note": "nguồn bổ sung"},
        ),
    )
    assert again.status_code == 302, again.context["form"].errors
    assert dict(report.values.values_list("indicator__code", "value")) == {
        "SCP-05": Decimal("1500"),
        "SCP-07": Decimal("21.6"),
    }


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        ("vi", "1.500", "'1.500' có thể là 1500 hoặc 1,5"),
        ("en", "1,200", "'1,200' could be read as 1200 or as 1.2"),
    ],
)
def test_the_form_asks_which_number_a_lone_mark_before_three_digits_means(  # type: ignore[no-untyped-def]
    people, language, typed, message
) -> None:
    """Vietnamese write fifteen hundred "1.500", English "1,200" for twelve hundred; the
    form read both as decimals and stored a figure a thousand times too small, with no
    preview to catch it. It now asks, and stores nothing."""
    client = client_for(people["officer_hanoi"])
    client.post(reverse("set_language"), {"language": language})
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    url = reverse("report-edit", args=[report.pk])

    refused = client.post(url, _form_data(report, SCP_05={"value": typed}))
    assert refused.status_code == 200
    assert message in refused.context["form"].errors["SCP-05-value"][0]
    assert not report.values.exists()

    # Written without the mark, or with the decimals meant, it is taken.
    saved = client.post(url, _form_data(report, SCP_05={"value": typed.replace(typed[1], "")}))
    assert saved.status_code == 302, saved.context["form"].errors
    assert report.values.get().value == Decimal(typed.replace(typed[1], ""))


@pytest.mark.parametrize(
    ("language", "typed", "advised"), [("vi", "2,025", "2,0250"), ("en", "1.234", "1.2340")]
)
def test_the_decimal_spelling_the_form_advises_for_three_decimals_is_taken(  # type: ignore[no-untyped-def]
    people, language, typed, advised
) -> None:
    """A capacity of 2,025 MW typed as such was refused with the advice to write "2,025":
    the very text refused, so the officer could not enter the figure at all."""
    client = client_for(people["officer_thainguyen"])
    client.post(reverse("set_language"), {"language": language})
    report = _open(client, province_for_code_in_year(code="06", year=2024), 2024)
    url = reverse("report-edit", args=[report.pk])

    asked = client.post(url, _form_data(report, BK_NLTT_CS={"value": typed}))
    message = asked.context["form"].errors["BK-NLTT-CS-value"][0]
    assert message.endswith(f" {advised}"), message
    assert not report.values.exists()

    taken = client.post(url, _form_data(report, BK_NLTT_CS={"value": advised}))
    assert taken.status_code == 302, taken.context["form"].errors
    assert report.values.get().value == Decimal(typed.replace(",", "."))


def test_a_stored_figure_with_three_decimals_is_saved_again_unchanged(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's capacity of 21,125 MW is shown "21,125" in its field, which the form would
    otherwise ask about: untouched, it is the stored figure, not a question. A share is
    never asked about: 38,095 % cannot be 38095 %."""
    client = client_for(people["officer_thainguyen"])
    report = _open(client, province_for_code_in_year(code="06", year=2024), 2024)
    url = reverse("report-edit", args=[report.pk])
    client.post(url, _form_data(report, BK_NLTT_CS={"value": "21,1250"}))
    shown = re.search(r'name="BK-NLTT-CS-value" value="([^"]*)"', _text(client.get(url)))
    assert shown and shown.group(1) == "21,125"

    report.refresh_from_db()
    again = client.post(
        url,
        _form_data(
            report, BK_NLTT_CS={"value": "21,125", "note": "bổ sung"}, SCP_07={"value": "38,095"}
        ),
    )
    assert again.status_code == 302, again.context["form"].errors
    assert dict(report.values.values_list("indicator__code", "value")) == {
        "BK-NLTT-CS": Decimal("21.125"),
        "SCP-07": Decimal("38.095"),
    }

    # Typed anew, the same text is a question.
    report.refresh_from_db()
    asked = client.post(url, _form_data(report, BK_NLTT_CS={"value": "21,650"}))
    assert "BK-NLTT-CS-value" in asked.context["form"].errors


def test_an_interim_figure_entered_in_the_form_reads_as_interim_in_progress(
    people, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """95 % of supermarkets as of 30/6/2024 against 100 % in 2024: at risk as a half-year
    figure, not missed as the year's."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    hanoi = province_for_code_in_year(code="01", year=2024)
    officer, reviewer = client_for(people["officer_hanoi"]), client_for(people["reviewer"])
    report = _open(officer, hanoi, 2024)
    data = _form_data(
        report, **{**_every_target_given(report), "SCP_07": {"value": "95", "as_of": "30/06/2024"}}
    )
    assert officer.post(reverse("report-edit", args=[report.pk]), data).status_code == 302
    officer.post(reverse("report-submit", args=[report.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(reverse("report-approve", args=[report.pk]))
    figure = Progress.objects.get(
        province=hanoi, indicator__code="SCP-07", year=2024, origin="reported"
    )
    assert (figure.status, figure.explanation_code) == ("at_risk", "target_year_interim")
    assert figure.explanation_values["value_as_of"] == "2024-06-30"


def test_a_share_from_numerator_and_denominator_is_computed(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    client.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_07={"numerator": "17", "denominator": "20"}),
    )
    value = ReportedValue.objects.get(report=report, indicator__code="SCP-07")
    assert value.value == Decimal("85")


@pytest.mark.parametrize("value", ["38", "38,1", "38.10", "38,095"])
def test_a_share_given_with_its_parts_is_accepted_as_rounded(people, value) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    client.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_07={"value": value, "numerator": "24", "denominator": "63"}),
    )
    stored = ReportedValue.objects.get(report=report, indicator__code="SCP-07")
    assert (stored.numerator, stored.denominator) == (24, 63)


def test_a_count_given_with_its_parts_is_checked_as_the_count(people) -> None:  # type: ignore[no-untyped-def]
    """41 of 63 provinces (SXSH-03) is the count 41, not a share of 65,08 that "a count
    must be a whole number" refused."""
    from reports.services import ValueInput, value_errors

    item = ValueInput(
        indicator=Indicator.objects.get(code="SXSH-03"),
        value=Decimal("41"),
        numerator=Decimal("41"),
        denominator=Decimal("63"),
    )
    assert value_errors(item, previous=None, year=2024) == {}


def test_a_running_total_below_last_year_needs_a_note(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    hanoi = province_for_code_in_year(code="01", year=2023)
    previous = Report.objects.get(province=hanoi, year=2022)  # a reference report
    ReportedValue.objects.create(
        report=previous, indicator=Indicator.objects.get(code="SCP-05"), value=4, source="t"
    )
    report = _open(client, hanoi, 2023)
    response = client.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_05={"value": "3"})
    )
    assert "SCP-05-note" in response.context["form"].errors
    response = client.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_05={"value": "3", "note": "Một mô hình ngừng hoạt động"}),
    )
    assert response.status_code == 302


def test_a_later_save_on_a_stale_form_is_a_conflict_and_overwrites_nothing(people) -> None:  # type: ignore[no-untyped-def]
    first = client_for(people["officer_hanoi"])
    hanoi = province_for_code_in_year(code="01", year=2023)
    report = _open(first, hanoi, 2023)
    stale = _form_data(report, SCP_07={"value": "70"})
    first.post(reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "90"}))

    response = first.post(reverse("report-edit", args=[report.pk]), stale)
    assert response.status_code == 200
    assert response.context["conflict"] is not None
    page = _text(response)
    assert "SCP-07" in page and "90" in page
    assert ReportedValue.objects.get(report=report, indicator__code="SCP-07").value == Decimal("90")


def test_every_change_is_audited_with_who_when_old_new_and_path(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    client.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "60"})
    )
    report.refresh_from_db()
    client.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "65"})
    )
    changes = list(ValueChange.objects.filter(report=report).order_by("pk"))
    assert [(c.old and c.old["value"], c.new["value"]) for c in changes] == [
        (None, "60"),
        ("60", "65"),
    ]
    assert {c.path for c in changes} == {"form"}
    assert {c.by for c in changes} == {people["officer_hanoi"]}
    page = _text(client.get(reverse("report-detail", args=[report.pk])))
    assert "60" in page and "65" in page


def test_evidence_is_served_only_to_those_who_may_see_the_report(
    people, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    officer = client_for(people["officer_hanoi"])
    report = _open(officer, province_for_code_in_year(code="01", year=2023), 2023)
    data = _form_data(report, SCP_07={"value": "60"})
    data["SCP-07-file"] = SimpleUploadedFile(
        "bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf"
    )
    officer.post(reverse("report-edit", args=[report.pk]), data)
    value = ReportedValue.objects.get(report=report, indicator__code="SCP-07")
    url = reverse("report-evidence", args=[report.pk, value.pk])
    assert officer.get(url).status_code == 200
    assert client_for(people["reviewer"]).get(url).status_code == 200
    for other in ["officer_thainguyen", "analyst", "visitor"]:
        assert client_for(people[other]).get(url).status_code == 404, other


def _file_field(page: str, code: str) -> str:
    """The evidence file's cell of a row of the entry form."""
    row = re.search(rf'<fieldset class="value-row" id="{code}">.*?</fieldset>', page)
    cell = row and re.search(r'<div class="field field-file[ "].*?</div>', row.group(0))
    assert cell, page
    return cell.group(0)


def test_the_entry_form_shows_the_stored_evidence_file_and_can_remove_it(
    people, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """Reopened after a save, the form showed the link refilled but an empty file chooser:
    nothing said bienban.pdf was stored, and a wrong file could not be taken off."""
    settings.MEDIA_ROOT = tmp_path
    officer = client_for(people["officer_hanoi"])
    report = _open(officer, province_for_code_in_year(code="01", year=2023), 2023)
    edit = reverse("report-edit", args=[report.pk])
    data = _form_data(report, SCP_07={"value": "60", "link": "https://example.org/bb"})
    data["SCP-07-file"] = SimpleUploadedFile("bienban.pdf", b"%PDF-1.4 a", "application/pdf")
    assert officer.post(edit, data).status_code == 302
    value = ReportedValue.objects.get(report=report, indicator__code="SCP-07")
    download = reverse("report-evidence", args=[report.pk, value.pk])

    officer.cookies["django_language"] = "en"
    cell = _file_field(_text(officer.get(edit)), "SCP-07")
    # Named, linked to the report's own download (never /media/), and described to the
    # chooser, whose "remove" box is labelled.
    assert (
        f'<small class="note" id="id_SCP-07-file_helptext">stored file: '
        f'<a href="{download}">bienban.pdf</a>; a file chosen here replaces it</small>'
    ) in cell
    assert 'aria-describedby="id_SCP-07-file_helptext"' in cell
    assert (
        '<label class="remove-file" for="id_SCP-07-file-clear"><input type="checkbox" '
        'name="SCP-07-file-clear" id="id_SCP-07-file-clear"> remove the stored file</label>'
    ) in cell
    assert officer.get(download).getvalue() == b"%PDF-1.4 a"
    # A row without a file offers nothing to remove.
    assert "remove-file" not in _file_field(_text(officer.get(edit)), "SCP-05")

    # Saved again without a choice, the file stays; both at once is refused in the field.
    report.refresh_from_db()
    data = _form_data(report, SCP_07={"value": "61", "link": "https://example.org/bb"})
    assert officer.post(edit, data).status_code == 302
    value.refresh_from_db()
    assert value.evidence_file.name.endswith("bienban.pdf")
    report.refresh_from_db()
    both = _form_data(report, SCP_07={"value": "61"}) | {"SCP-07-file-clear": "on"}
    both["SCP-07-file"] = SimpleUploadedFile("other.pdf", b"%PDF-1.4 b", "application/pdf")
    response = officer.post(edit, both)
    assert response.context["form"].errors["SCP-07-file"] == [
        "choose a new file or remove the stored one, not both"
    ]
    cell = _file_field(_text(response), "SCP-07")
    assert 'aria-describedby="id_SCP-07-file_helptext id_SCP-07-file_error"' in cell
    assert 'id="id_SCP-07-file-clear" checked>' in cell  # the choice shown as it was made
    assert not _dangling_references(_text(response))

    # A new file replaces it; "remove" takes it off. Each is a change in the log.
    replace = _form_data(report, SCP_07={"value": "61"})
    replace["SCP-07-file"] = SimpleUploadedFile("bienban-2.pdf", b"%PDF-1.4 c", "application/pdf")
    assert officer.post(edit, replace).status_code == 302
    report.refresh_from_db()
    removed = _form_data(report, SCP_07={"value": "61"}) | {"SCP-07-file-clear": "on"}
    assert officer.post(edit, removed).status_code == 302
    value.refresh_from_db()
    assert not value.evidence_file
    assert "remove-file" not in _file_field(_text(officer.get(edit)), "SCP-07")
    officer.cookies["django_language"] = "vi"
    page = _text(officer.get(reverse("report-detail", args=[report.pk])))
    log = page[page.index("Thay đổi số liệu") :]
    assert "tệp minh chứng: bỏ “bienban-2.pdf”" in log
    assert "tệp minh chứng: “bienban.pdf” → “bienban-2.pdf”" in log
    assert officer.get(download).status_code == 404


def test_evidence_of_the_wrong_kind_is_refused(people) -> None:  # type: ignore[no-untyped-def]
    officer = client_for(people["officer_hanoi"])
    report = _open(officer, province_for_code_in_year(code="01", year=2023), 2023)
    data = _form_data(report, SCP_07={"value": "60"})
    data["SCP-07-file"] = SimpleUploadedFile(
        "virus.exe", b"MZ", content_type="application/octet-stream"
    )
    response = officer.post(reverse("report-edit", args=[report.pk]), data)
    assert "SCP-07-file" in response.context["form"].errors


def test_thai_nguyen_officer_reports_for_former_bac_kan(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_thainguyen"])
    bac_kan = province_for_code_in_year(code="06", year=2024)
    report = _open(client, bac_kan, 2024)
    rows = {row.indicator.code: row for row in report_form_rows(report=report)}
    # Bắc Kạn's plan is still followed up: its 2025 target and its 2022 figures show.
    assert rows["BK-NLTT-CS"].target.text_vi == "khoảng 35 MW"
    assert "BK-OCOP-3S" in rows
    response = client.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, BK_NLTT_CS={"value": "24,1"})
    )
    assert response.status_code == 302
    assert ReportedValue.objects.get(report=report, indicator__code="BK-NLTT-CS").value == Decimal(
        "24.1"
    )


def test_submitting_needs_a_value_for_every_target_of_the_year(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2024), 2024)
    client.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "100"})
    )
    client.post(reverse("report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    assert "SCP-03" in _text(client.get(reverse("report-detail", args=[report.pk])))


def test_a_merged_units_cell_names_each_former_unit_and_what_it_filed(people) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's 2022 cell stands for Bắc Kạn, which reported, and the old
    Thái Nguyên, which did not: it says both, not only "approved"."""
    page = _text(client_for(people["reviewer"]).get(reverse("reporting-status")))
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    row = re.search(rf'href="/provinces/{thai_nguyen.pk}/">Thái Nguyên</a>.*?</tr>', page)
    assert row
    cell_2022 = re.findall(r'<td class="cell[^"]*">(.*?)</td>', row.group(0))[1]
    assert "Bắc Kạn (đến 30/6/2025): đã duyệt" in cell_2022
    assert "Thái Nguyên (đến 30/6/2025): chưa có báo cáo" in cell_2022


def test_the_change_log_shows_values_as_entered_with_qualifier_and_parts(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    client.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(
            report,
            SCP_04_KCN={"value": "90", "qualifier": "about"},
            SCP_07={"numerator": "45", "denominator": "50"},
        ),
    )
    page = _text(client.get(reverse("report-detail", args=[report.pk])))
    log = page[page.index("SCP-04-KCN</td>") :]
    assert re.match(r"SCP-04-KCN</td> <td>—</td> <td>khoảng 90</td>", log), log[:120]
    assert "<td>90 (45/50)</td>" in page


def test_the_report_page_shows_the_day_of_a_dated_figure(people) -> None:  # type: ignore[no-untyped-def]
    """Hà Nội's 80 % of supermarkets is as of 15/7/2022: the progress pages said so, the
    report page showed a bare 80 %, as if it were the year's."""
    hanoi = province_for_code_in_year(code="01", year=2022)
    report = Report.objects.get(province=hanoi, year=2022)
    page = _text(client_for(None).get(reverse("report-detail", args=[report.pk])))
    row = re.search(r'<tr id="SCP-07">.*?</tr>', page)
    assert row and "80 %" in row.group(0) and "tính đến 15/7/2022" in row.group(0)
    # A figure of the whole year says nothing more.
    ReportedValue.objects.filter(report=report, indicator__code="SCP-07").update(as_of=None)
    page = _text(client_for(None).get(reverse("report-detail", args=[report.pk])))
    row = re.search(r'<tr id="SCP-07">.*?</tr>', page)
    assert row and "80 %" in row.group(0) and "tính đến" not in row.group(0)


def test_the_change_log_shows_a_change_of_day(people) -> None:  # type: ignore[no-untyped-def]
    """80 as of 15/7 and 80 for the whole year say different things: the log showed "80 →
    80"."""
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    url = reverse("report-edit", args=[report.pk])
    client.post(url, _form_data(report, SCP_07={"value": "80", "as_of": "15/07/2023"}))
    report.refresh_from_db()
    client.post(url, _form_data(report, SCP_07={"value": "80"}))
    page = _text(client.get(reverse("report-detail", args=[report.pk])))
    log = page[page.index("Thay đổi số liệu") :]
    assert re.search(r"SCP-07</td> <td>80 · tính đến 15/7/2023</td> <td>80</td>", log), log[:600]


def test_a_qualitative_indicator_is_reported_in_words(people) -> None:  # type: ignore[no-untyped-def]
    """SCP-01 (policies built) has no number to give: its form asks for the result in words,
    which is saved as the value's note for the reviewer to judge."""
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    form = _text(client.get(reverse("report-edit", args=[report.pk])))
    scp01 = re.search(r'<fieldset class="value-row" id="SCP-01">.*?</fieldset>', form)
    assert scp01 and "kết quả, bằng lời" in scp01.group(0)
    assert 'name="SCP-01-value"' not in scp01.group(0)
    data = _form_data(report, SCP_01={"note": "Đã ban hành Quyết định 123/QĐ-UBND"})
    for name in ("value", "qualifier", "numerator", "denominator"):
        data.pop(f"SCP-01-{name}")
    response = client.post(reverse("report-edit", args=[report.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert ReportedValue.objects.get(report=report, indicator__code="SCP-01").note == (
        "Đã ban hành Quyết định 123/QĐ-UBND"
    )


def test_the_administrator_is_told_a_national_report_is_locked(people) -> None:  # type: ignore[no-untyped-def]
    national = Report.objects.filter(province=None, status=Report.Status.APPROVED).first()
    assert national is not None
    response = client_for(people["administrator"]).get(
        reverse("report-edit", args=[national.pk]), follow=True
    )
    assert response.redirect_chain == [(reverse("report-detail", args=[national.pk]), 302)]


def test_one_save_shows_every_error_not_the_unreadable_numbers_first(people) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    response = client.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_05={"value": "abc"}, SCP_07={"value": "120"}),
    )
    errors = response.context["form"].errors
    assert "SCP-05-value" in errors and "SCP-07-value" in errors, errors
    assert not ReportedValue.objects.filter(report=report).exists()


def _submitted_with_scp01(client, province, year: int) -> Report:  # type: ignore[no-untyped-def]
    """A report giving SCP-01 (policies built) in words, sent to the ministry."""
    client.post(reverse("report-open"), {"province": province.pk if province else "", "year": year})
    report = Report.objects.get(province=province, year=year)
    data = _form_data(report, SCP_01={"note": "Đã ban hành Quyết định 123/QĐ-UBND"})
    for name in ("value", "qualifier", "numerator", "denominator"):
        data.pop(f"SCP-01-{name}")
    response = client.post(reverse("report-edit", args=[report.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    client.post(reverse("report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    return report


def _hanoi_submitted(people) -> Report:  # type: ignore[no-untyped-def]
    return _submitted_with_scp01(
        client_for(people["officer_hanoi"]), province_for_code_in_year(code="01", year=2023), 2023
    )


def test_the_reviewer_assesses_a_qualitative_result_and_progress_reads_it(
    people, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """SCP-01 has no percentage: the reviewer's judgement is its status, made while the
    report is under review, and changed later with the figures recomputed."""
    # With REDIS_URL set the recompute would wait for a worker; here it runs in place.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    # The programme's SCP-01 targets (2025, 2030) are national: the ministry's own report.
    report = _submitted_with_scp01(client_for(people["administrator"]), None, 2024)
    reviewer = client_for(people["reviewer"])
    page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    assert 'name="SCP-01"' in page and "Lưu đánh giá" in page
    # Only the qualitative row is assessed: SCP-07's figure is judged by the engine.
    assert 'name="SCP-07"' not in page

    assess = reverse("report-assess", args=[report.pk])
    reviewer.post(assess, {"version": report.version, "SCP-01": "on_track"})
    value = ReportedValue.objects.get(report=report, indicator__code="SCP-01")
    assert value.qualitative_status == "on_track"
    change = ValueChange.objects.filter(report=report, path="review").get()
    assert (change.old["qualitative_status"], change.new["qualitative_status"]) == ("", "on_track")
    assert change.by == people["reviewer"]
    log = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    assert "<td>Bộ xem xét</td>" in log and "— · đánh giá: đúng tiến độ" in log

    with django_capture_on_commit_callbacks(execute=True):
        reviewer.post(reverse("report-approve", args=[report.pk]))
    row = Progress.objects.get(
        province=None, indicator__code="SCP-01", year=2024, origin="reported"
    )
    assert (row.status, row.explanation_code) == ("on_track", "qualitative_assessed")

    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        saved = reviewer.post(
            assess, {"version": report.version, "SCP-01": "achieved"}, follow=True
        )
    assert "Đã lưu đánh giá: 1 kết quả thay đổi." in _text(saved)
    report.refresh_from_db()
    again = reviewer.post(assess, {"version": report.version, "SCP-01": "achieved"}, follow=True)
    assert "Đã lưu đánh giá: không có kết quả nào thay đổi." in _text(again)
    national = Progress.objects.filter(province=None, indicator__code="SCP-01", origin="reported")
    assert national.get(year=2024).status == "achieved"


def test_a_returned_result_emptied_in_the_form_goes_with_its_assessment(people) -> None:  # type: ignore[no-untyped-def]
    """The reviewer's judgement is kept, not given back by the form: an officer who emptied
    the words of a returned result left an empty row standing as "achieved"."""
    report = _hanoi_submitted(people)
    report.values.filter(indicator__code="SCP-01").update(qualitative_status="achieved")
    client_for(people["reviewer"]).post(
        reverse("report-return", args=[report.pk]), {"reason": "Ghi rõ số quyết định"}
    )
    report.refresh_from_db()
    data = _form_data(report)
    for name in ("value", "qualifier", "numerator", "denominator"):
        data.pop(f"SCP-01-{name}")
    officer = client_for(people["officer_hanoi"])
    response = officer.post(reverse("report-edit", args=[report.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert not report.values.filter(indicator__code="SCP-01").exists()


def test_a_unit_cannot_assess_its_own_qualitative_result(people) -> None:  # type: ignore[no-untyped-def]
    report = _hanoi_submitted(people)
    officer = client_for(people["officer_hanoi"])
    page = _text(officer.get(reverse("report-detail", args=[report.pk])))
    assert 'name="SCP-01"' not in page and "chưa đánh giá" in page
    response = officer.post(
        reverse("report-assess", args=[report.pk]),
        {"version": report.version, "SCP-01": "achieved"},
    )
    assert response.status_code == 404
    assert (
        ReportedValue.objects.get(report=report, indicator__code="SCP-01").qualitative_status == ""
    )


def test_a_stale_assessment_form_writes_nothing(people) -> None:  # type: ignore[no-untyped-def]
    report = _hanoi_submitted(people)
    reviewer = client_for(people["reviewer"])
    assess = reverse("report-assess", args=[report.pk])
    stale = report.version
    reviewer.post(assess, {"version": stale, "SCP-01": "at_risk"})
    response = reviewer.post(assess, {"version": stale, "SCP-01": "off_track"}, follow=True)
    assert "Báo cáo đã thay đổi từ khi bạn mở: chưa lưu gì." in _text(response)
    value = ReportedValue.objects.get(report=report, indicator__code="SCP-01")
    assert value.qualitative_status == "at_risk"


def test_only_the_workflows_people_see_an_approved_reports_review_history(people) -> None:  # type: ignore[no-untyped-def]
    report = _hanoi_submitted(people)
    reviewer = client_for(people["reviewer"])
    reviewer.post(reverse("report-return", args=[report.pk]), {"reason": "Thiếu căn cứ ban hành"})
    officer = client_for(people["officer_hanoi"])
    officer.post(reverse("report-submit", args=[report.pk]))
    reviewer.post(reverse("report-approve", args=[report.pk]))
    for insider in (reviewer, officer):
        assert "Thiếu căn cứ ban hành" in _text(
            insider.get(reverse("report-detail", args=[report.pk]))
        )
    for outsider in (None, people["analyst"], people["officer_thainguyen"]):
        page = _text(client_for(outsider).get(reverse("report-detail", args=[report.pk])))
        assert "Đã ban hành Quyết định 123/QĐ-UBND" in page
        assert "Thiếu căn cứ ban hành" not in page and "reviewer-1" not in page


def test_filtering_the_status_grid_finds_a_former_units_submitted_report(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 2024 report awaits review in the new Thái Nguyên's cell, which as a whole
    reads "no report" (the old Thái Nguyên filed nothing): asking for units with a
    submitted report must list Thái Nguyên, and asking for "no report" too."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    report = Report.objects.create(province=bac_kan, year=2024, status=Report.Status.SUBMITTED)
    client = client_for(people["reviewer"])
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    hanoi = province_for_code_in_year(code="01", year=2025)
    url = reverse("reporting-status")
    submitted = _text(client.get(url, {"from": 2024, "to": 2024, "status": "submitted"}))
    assert f'href="/provinces/{thai_nguyen.pk}/"' in submitted
    assert f'href="/reports/{report.pk}/"' in submitted
    assert f'href="/provinces/{hanoi.pk}/"' not in submitted
    missing = _text(client.get(url, {"from": 2024, "to": 2024, "status": "none"}))
    assert f'href="/provinces/{thai_nguyen.pk}/"' in missing
    approved = _text(client.get(url, {"from": 2024, "to": 2024, "status": "approved"}))
    assert f'href="/provinces/{thai_nguyen.pk}/"' not in approved


def _filter(page: str, name: str) -> str:
    """A filter of a page's GET form: its label, field and errors."""
    found = re.search(rf'<div class="filter[^"]*"><label for="id_{name}">.*?</div>', page)
    assert found, page
    return found.group(0)


def test_a_report_list_filter_it_cannot_read_is_refused_on_its_field(people) -> None:  # type: ignore[no-untyped-def]
    """``?year=2o25`` was ignored: every report was listed under a form that seemed to
    filter them, with no word."""
    client = client_for(people["officer_hanoi"])
    response = client.get(reverse("report-list"), {"year": "2o25"})
    assert response.status_code == 400
    page = _text(response)
    year = _filter(page, "year")
    assert '<span class="field-errors" id="id_year_error"><span class="error">Hãy nhập một số nguyên.</span></span>' in year  # fmt: skip
    # Shown as typed: a number input would show a browser's empty box instead.
    assert '<input type="text" name="year" value="2o25"' in year
    assert 'aria-invalid="true"' in year and "autofocus" in year
    assert 'aria-describedby="id_year_error"' in year
    # No list, and no download of one, stands as if filtered.
    assert '<table class="data">' not in page and "/exports/reports.csv" not in page
    assert not _dangling_references(page)
    # Worded as the exports word it, in Vietnamese that reads as Vietnamese.
    response = client.get(reverse("report-list"), {"year": "-1"})
    assert response.context["filters"].errors == {"year": ["Giá trị phải lớn hơn hoặc bằng 0."]}
    response = client.get(reverse("report-list"), {"status": "sent"})
    assert response.status_code == 400 and 'aria-invalid="true"' in _filter(
        _text(response), "status"
    )
    # A year that can be read filters, whether or not it holds reports.
    page = _text(client.get(reverse("report-list"), {"year": "2022"}))
    years = re.findall(r"<tr> <td><a [^>]*>[^<]*</a></td> <td>(\d{4})</td>", page)
    assert years and set(years) == {"2022"}
    assert "/exports/reports.csv?status=&amp;year_from=2022&amp;year_to=2022" in page
    assert client.get(reverse("report-list"), {"year": "2020"}).status_code == 200


def test_the_status_page_refuses_a_year_it_cannot_read_and_a_reversed_span(people) -> None:  # type: ignore[no-untyped-def]
    """``?from=abc`` showed the default years and ``?from=2030&to=2021`` only 2021, each
    under lists reading otherwise, with no word."""
    client = client_for(people["reviewer"])
    url = reverse("reporting-status")
    response = client.get(url, {"from": "abc", "to": "2023"})
    assert response.status_code == 400
    page = _text(response)
    assert "<thead>" not in page and "/exports/status.csv" not in page
    first = _filter(page, "from")
    assert '<span class="error">Hãy nhập một số nguyên.</span>' in first
    assert 'aria-invalid="true" aria-describedby="id_from_error"' in first and "autofocus" in first
    # Each list shows what was asked, the refused value too.
    assert '<option value="abc" selected>abc</option>' in first
    assert '<option value="2023" selected>' in _filter(page, "to")
    assert not _dangling_references(page)
    client.cookies["django_language"] = "en"
    response = client.get(url, {"from": "2030", "to": "2021"})
    assert response.status_code == 400
    assert response.context["filters"].errors == {
        "to": ["The last year (2021) is before the first (2030)."]
    }
    page = _text(response)
    assert "<thead>" not in page
    assert '<option value="2030" selected>' in _filter(page, "from")
    assert '<option value="2021" selected>' in _filter(page, "to")
    response = client.get(url, {"status": "lost"})
    assert response.status_code == 400 and "status" in response.context["filters"].errors
    # The lists show the span the grid shows.
    page = _text(client.get(url, {"from": "2022", "to": "2023"}))
    assert re.findall(r'<th scope="col"[^>]*>(\d{4})', page) == ["2022", "2023"]
    assert '<option value="2022" selected>' in _filter(page, "from")
    assert '<option value="2023" selected>' in _filter(page, "to")


def test_each_review_step_says_what_happened(people) -> None:  # type: ignore[no-untyped-def]
    """Submitting, returning, approving and reopening each end on the report's page with a
    message saying what was done, not only a changed badge."""
    hanoi = province_for_code_in_year(code="01", year=2023)
    officer, reviewer = client_for(people["officer_hanoi"]), client_for(people["reviewer"])
    report = _open(officer, hanoi, 2023)
    officer.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "90"})
    )

    def step(client, name: str, **data: str) -> str:  # type: ignore[no-untyped-def]
        response = client.post(reverse(name, args=[report.pk]), data, follow=True)
        assert response.redirect_chain == [(reverse("report-detail", args=[report.pk]), 302)]
        return _text(response)

    assert "Đã gửi: báo cáo Hà Nội 2023 đã được gửi tới Bộ để xem xét." in step(
        officer, "report-submit"
    )
    assert "Đã trả lại: báo cáo Hà Nội 2023 đã được trả về đơn vị kèm lý do của bạn." in step(
        reviewer, "report-return", reason="Thiếu nguồn"
    )
    step(officer, "report-submit")
    assert "Đã duyệt: số liệu của báo cáo Hà Nội 2023 đã được khóa" in step(
        reviewer, "report-approve"
    )
    reopened = step(reviewer, "report-reopen", reason="Sửa năm gốc")
    assert "Đã mở lại: đơn vị có thể sửa báo cáo Hà Nội 2023" in reopened
    # A refused step says why, and claims nothing.
    refused = step(reviewer, "report-approve")
    assert "Đã duyệt:" not in refused and "không thực hiện được" in refused
    officer.cookies["django_language"] = "en"
    assert "Submitted: Hà Nội 2023 has been sent to the ministry for review." in step(
        officer, "report-submit"
    )


def test_the_report_list_marks_a_former_units_reports(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's rows carried no mark: the reviewer could not tell it no longer exists."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    report = Report.objects.create(province=bac_kan, year=2024, status=Report.Status.SUBMITTED)
    hanoi = Report.objects.create(
        province=province_for_code_in_year(code="01", year=2024), year=2024
    )
    page = _text(client_for(people["reviewer"]).get(reverse("report-list")))
    assert f'<a href="/reports/{report.pk}/">Bắc Kạn (đến 30/6/2025)</a>' in page
    assert f'<a href="/reports/{hanoi.pk}/">Hà Nội</a>' in page


def _footer(page: str) -> dict[str, list[int]]:
    foot = re.search(r"<tfoot>(.*?)</tfoot>", page).group(1)  # type: ignore[union-attr]
    return {
        label: [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', cells)]
        for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', foot)
    }


def test_the_status_totals_count_a_former_units_report_in_a_merged_row(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 2024 report awaits review inside the new Thái Nguyên's row, which as a
    whole reads "no report": the totals said "submitted 0" and "no report 34"."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    Report.objects.create(province=bac_kan, year=2024, status=Report.Status.SUBMITTED)
    page = _text(
        client_for(people["reviewer"]).get(reverse("reporting-status"), {"from": 2024, "to": 2024})
    )
    totals = _footer(page)
    assert totals["đã gửi"] == [1]
    assert totals["chưa có báo cáo"] == [62]  # the 63 units of 2024, one of which reported
    assert "Các dòng tổng đếm báo cáo, không đếm hàng" in page


def test_a_former_units_area_report_after_it_ended_shows_in_its_successors_row(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 2025 report (405/KH-UBND runs to 2030), filed by the new Thái Nguyên,
    never showed and was never flagged late."""
    from datetime import UTC, date, datetime

    bac_kan = province_for_code_in_year(code="06", year=2024)
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    sent = datetime(2026, 3, 2, 9, tzinfo=UTC)  # the 2025 deadline is 31/1/2026
    report = Report.objects.create(
        province=bac_kan,
        year=2025,
        status=Report.Status.SUBMITTED,
        submitted_at=sent,
        first_submitted_at=sent,
    )
    page = _text(
        client_for(people["reviewer"]).get(reverse("reporting-status"), {"from": 2025, "to": 2025})
    )
    row = re.search(rf'href="/provinces/{thai_nguyen.pk}/">Thái Nguyên</a>.*?</tr>', page)
    assert row
    cell = re.findall(r'<td class="cell([^"]*)">(.*?)</td>', row.group(0))[0]
    assert f'href="/reports/{report.pk}/"' in cell[1]
    # The new Thái Nguyên's own report, by its plain name, beside Bắc Kạn's area's.
    assert "Bắc Kạn (đến 30/6/2025): đã gửi" in cell[1]
    assert "Thái Nguyên: chưa có báo cáo" in cell[1]
    assert "late" in cell[0]
    totals = _footer(page)
    assert totals["đã gửi"] == [1]
    assert totals["chưa có báo cáo"] == [34]  # the 34 units in force; Bắc Kạn's area reported
    overdue = timezone.localdate() > date(2026, 1, 31)
    assert totals["muộn"] == [1 + (34 if overdue else 0)]
    # Before 2025, Bắc Kạn's area is Bắc Kạn's own: no extra line is expected.
    hanoi = province_for_code_in_year(code="01", year=2025)
    hanoi_row = re.search(rf'href="/provinces/{hanoi.pk}/">Hà Nội</a>.*?</tr>', page)
    assert hanoi_row and "(Hà Nội)" not in hanoi_row.group(0)


def _new_thai_nguyen_2025(people, **former_2024: str):  # type: ignore[no-untyped-def]
    """The new Thái Nguyên's officer on its first report, after its former units' 2024
    SCP-05 (by code: "19" the old Thái Nguyên, "06" Bắc Kạn); the form's SCP-05 line."""
    from tests.progress_builders import approved_value

    for code, value in former_2024.items():
        approved_value(province_for_code_in_year(code=code, year=2024), "SCP-05", 2024, value)
    officer = client_for(people["officer_thainguyen"])
    report = _open(officer, province_for_code_in_year(code="19", year=2025), 2025)
    form = _text(officer.get(reverse("report-edit", args=[report.pk])))
    line = re.search(r'<fieldset class="value-row" id="SCP-05">.*?</fieldset>', form)
    assert line
    return officer, report, line.group(0)


def test_a_merged_units_first_year_reads_last_year_from_its_former_units(people) -> None:  # type: ignore[no-untyped-def]
    """The new Thái Nguyên has no 2024 report: its 2024 running total of SCP-05 models is
    the old Thái Nguyên's and Bắc Kạn's added up, shown beside the field and checked."""
    officer, report, scp05 = _new_thai_nguyen_2025(people, **{"19": "4", "06": "6"})
    assert "Năm trước: 10 mô hình" in scp05

    refused = officer.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_05={"value": "7"})
    )
    assert "SCP-05-note" in refused.context["form"].errors
    assert "(10)" in str(refused.context["form"].errors["SCP-05-note"])
    assert not ReportedValue.objects.filter(report=report).exists()


def test_a_former_unit_that_gave_nothing_leaves_last_year_unknown(people) -> None:  # type: ignore[no-untyped-def]
    """Bắc Kạn's 6 alone is not the new Thái Nguyên's 2024 total: nothing is shown, and
    nothing is checked against it."""
    officer, report, scp05 = _new_thai_nguyen_2025(people, **{"06": "6"})
    assert "Năm trước: —" in scp05
    saved = officer.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_05={"value": "2"})
    )
    assert saved.status_code == 302


def test_a_line_whose_plan_ended_names_it(people) -> None:  # type: ignore[no-untyped-def]
    """263/KH-UBND set Hà Nội's SCP-04-KCN for 2024 alone: the 2025 form says which plan
    ended, as the progress row does, not only that there is no target."""
    officer = client_for(people["officer_hanoi"])
    report = _open(officer, province_for_code_in_year(code="01", year=2025), 2025)
    form = _text(officer.get(reverse("report-edit", args=[report.pk])))
    line = re.search(r'<fieldset class="value-row" id="SCP-04-KCN">.*?</fieldset>', form)
    assert line and (
        "Không có mục tiêu hiệu lực năm 2025: mục tiêu gần nhất, cho năm 2024, do "
        "263/KH-UBND đặt, kế hoạch có hiệu lực đến năm 2024"
    ) in line.group(0)


def test_the_return_button_names_whose_report_it_is(people) -> None:  # type: ignore[no-untyped-def]
    """A province's report goes back to the province; the national report is the
    ministry's own, and its button read "Trả lại tỉnh" all the same."""
    reviewer = client_for(people["reviewer"])
    national = Report.objects.create(province=None, year=2025, status=Report.Status.SUBMITTED)
    hanoi = Report.objects.create(
        province=province_for_code_in_year(code="01", year=2025),
        year=2025,
        status=Report.Status.SUBMITTED,
    )

    def button(report: Report) -> str:
        page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
        form = re.search(r'action="/reports/\d+/return/".*?</form>', page)
        assert form, page
        found = re.search(r'<button type="submit">(.*?)</button>', form.group(0))
        return found.group(1) if found else ""

    assert button(national) == "Trả lại để sửa"
    assert button(hanoi) == "Trả lại tỉnh"
    reviewer.post("/i18n/setlang/", {"language": "en"})
    assert button(national) == "Return for correction"
    assert button(hanoi) == "Return to the province"


def test_the_reason_box_is_labelled_as_a_label(people) -> None:  # type: ignore[no-untyped-def]
    """Its label read "lý do:", lower case, beside buttons and headings that open capitals."""
    reviewer = client_for(people["reviewer"])
    report = Report.objects.create(
        province=province_for_code_in_year(code="01", year=2025),
        year=2025,
        status=Report.Status.SUBMITTED,
    )
    page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    form = re.search(r'action="/reports/\d+/return/".*?</form>', page)
    assert form and re.search(r"<label[^>]*>Lý do:</label>", form.group(0)), page


def _submitted_hanoi_2023(people) -> tuple[object, object, Report]:  # type: ignore[no-untyped-def]
    """Hà Nội's 2023 report with SCP-07 = 88, sent: its officer's and the reviewer's clients."""
    officer, reviewer = client_for(people["officer_hanoi"]), client_for(people["reviewer"])
    report = _open(officer, province_for_code_in_year(code="01", year=2023), 2023)
    officer.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "88"})
    )
    officer.post(reverse("report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    return officer, reviewer, report


def test_each_review_step_holds_its_own_text_box_beside_its_button(people) -> None:  # type: ignore[no-untyped-def]
    """The "Lý do" box sat between "Phê duyệt" and "Trả lại tỉnh" but was the return's: a
    note typed there before approving was thrown away. Each step is now a group with its
    box, then its button."""
    _officer, reviewer, report = _submitted_hanoi_2023(people)
    page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    approve = re.search(r'<form[^>]*action="/reports/\d+/approve/".*?</form>', page)
    assert approve and re.search(
        r"<fieldset><legend>Phê duyệt</legend><label[^>]*>Ghi chú \(không bắt buộc\):</label>"
        r"<textarea[^>]*>\s*</textarea><button type=\"submit\">Phê duyệt</button></fieldset>",
        approve.group(0),
    ), approve
    returned = re.search(r'<form[^>]*action="/reports/\d+/return/".*?</form>', page)
    assert returned and re.search(
        r"<fieldset><legend>Trả lại để sửa</legend><label[^>]*>Lý do:</label>"
        r"<textarea[^>]*>\s*</textarea><button type=\"submit\">Trả lại tỉnh</button></fieldset>",
        returned.group(0),
    ), returned
    # Two boxes on one page: each label names its own box.
    assert len(set(re.findall(r'<textarea[^>]* id="([^"]+)"', page))) == 2

    reviewer.post(reverse("report-approve", args=[report.pk]))
    report.refresh_from_db()
    page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    reopen = re.search(r'<form[^>]*action="/reports/\d+/reopen/".*?</form>', page)
    assert reopen and re.search(
        r"<fieldset><legend>Mở lại để sửa</legend><label[^>]*>Lý do:</label><textarea",
        reopen.group(0),
    ), reopen


def test_a_note_given_with_an_approval_is_kept_in_the_review_history(people) -> None:  # type: ignore[no-untyped-def]
    officer, reviewer, report = _submitted_hanoi_2023(people)
    note = "Đã kiểm tra, đồng ý. Lưu ý bổ sung minh chứng SCP-07 năm sau."
    reviewer.post(reverse("report-approve", args=[report.pk]), {"reason": note})
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED
    assert report.transitions.last().reason == note  # type: ignore[union-attr]
    history = re.search(
        r'<ol class="timeline">.*?</ol>',
        _text(officer.get(reverse("report-detail", args=[report.pk]))),
    )
    assert (
        history
        and f'→ <strong>đã duyệt</strong> — “<span lang="vi">{note}</span>”' in history.group(0)
    )


def test_the_entry_form_of_a_returned_report_says_why_who_and_when(people) -> None:  # type: ignore[no-untyped-def]
    """Only the report's page gave the reason; the form the officer corrects in said
    "bị trả lại" and nothing more."""
    officer, reviewer, report = _submitted_hanoi_2023(people)
    edit = reverse("report-edit", args=[report.pk])
    assert "notice returned" not in _text(officer.get(reverse("report-detail", args=[report.pk])))
    reviewer.post(reverse("report-return", args=[report.pk]), {"reason": "SCP-07 thiếu nguồn"})
    step = report.transitions.get(to_status=Report.Status.RETURNED)
    when = timezone.localtime(step.at).strftime("%H:%M %-d/%-m/%Y")
    form = _text(officer.get(edit))
    assert (
        f'Bộ trả lại (reviewer-1, {when}):</strong> <span lang="vi">SCP-07 thiếu nguồn</span>'
        in form
    )
    # The report's page says the same, with who and when.
    assert (
        f'Bộ trả lại (reviewer-1, {when}):</strong> <span lang="vi">SCP-07 thiếu nguồn</span>'
        in _text(officer.get(reverse("report-detail", args=[report.pk])))
    )

    officer.post(reverse("report-submit", args=[report.pk]))
    reviewer.post(reverse("report-approve", args=[report.pk]))
    reviewer.post(reverse("report-reopen", args=[report.pk]), {"reason": "Sửa năm gốc"})
    form = _text(officer.get(edit))
    assert "Bộ mở lại để sửa (reviewer-1, " in form and "Sửa năm gốc" in form
    assert "SCP-07 thiếu nguồn" not in form
    officer.cookies["django_language"] = "en"
    assert "Reopened for correction by the ministry (reviewer-1, " in _text(officer.get(edit))


def test_the_change_log_says_what_changed_besides_the_figure(people, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Asked to add a source and evidence, the officer did; the log read "SCP-07 88 → 88"."""
    settings.MEDIA_ROOT = tmp_path
    officer, reviewer, report = _submitted_hanoi_2023(people)
    reviewer.post(reverse("report-return", args=[report.pk]), {"reason": "Thiếu nguồn"})
    report.refresh_from_db()
    data = _form_data(
        report,
        SCP_07={
            "value": "88",
            "source": "Báo cáo 12/BC-SCT",
            "link": "https://example.org/bc-12",
            "note": "Ước tính",
        },
    )
    data["SCP-07-file"] = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4", "application/pdf")
    assert officer.post(reverse("report-edit", args=[report.pk]), data).status_code == 302
    report.refresh_from_db()
    officer.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(
            report,
            SCP_07={"value": "88", "source": "Báo cáo 12/BC-SCT", "note": "Số chính thức"},
        ),
    )
    page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    rows = re.findall(r"<tr> <td>[^<]*</td>.*?</tr>", page[page.index("Thay đổi số liệu") :])
    latest, added = rows[0], rows[1]
    assert "<td>88</td> <td>88</td>" in added
    for line in [
        "nguồn: thêm “Báo cáo 12/BC-SCT”",
        "đường dẫn minh chứng: thêm “https://example.org/bc-12”",
        "tệp minh chứng: thêm “bien-ban.pdf”",
        "ghi chú: thêm “Ước tính”",
    ]:
        assert line in added, added
    # The link is cleared, the note changed; the file and source stay.
    assert "<td>88</td> <td>88</td>" in latest
    assert "đường dẫn minh chứng: bỏ “https://example.org/bc-12”" in latest
    assert "ghi chú: “Ước tính” → “Số chính thức”" in latest
    assert "nguồn" not in latest and "tệp" not in latest


def test_a_refused_submission_lists_the_missing_lines_once(people) -> None:  # type: ignore[no-untyped-def]
    """The refusal said "SCP-03: năm nay có mục tiêu: cần nhập giá trị; …" above the page's
    own "Cần nhập trước khi gửi, vì năm nay có mục tiêu: SCP-03, …"."""
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2024), 2024)
    client.post(
        reverse("report-edit", args=[report.pk]), _form_data(report, SCP_07={"value": "100"})
    )
    page = _text(client.post(reverse("report-submit", args=[report.pk]), follow=True))
    assert "Chưa gửi được: các dòng liệt kê dưới đây cần có giá trị trước." in page
    assert "Cần nhập trước khi gửi, vì năm 2024 có mục tiêu:" in page
    assert "cần nhập giá trị" not in page
    assert page.count(">SCP-03<") == 1
    # A refusal of another kind still says its reason.
    empty = _open(client, province_for_code_in_year(code="01", year=2021), 2021)
    page = _text(client.post(reverse("report-submit", args=[empty.pk]), follow=True))
    assert "báo cáo chưa có số liệu" in page


def test_evidence_or_a_source_on_a_row_without_a_value_is_refused_in_its_field(
    people, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    """A file or link (or a source) on a row with no value was dropped, and the page said
    "Đã lưu: 0 số liệu thay đổi"."""
    settings.MEDIA_ROOT = tmp_path
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    data = _form_data(
        report,
        SCP_05={"link": "https://example.org/only-link"},
        SCP_04={"source": "Sở Công Thương"},
    )
    data["SCP-07-file"] = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4", "application/pdf")
    response = client.post(reverse("report-edit", args=[report.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "tệp minh chứng chỉ được lưu cùng giá trị của dòng" in errors["SCP-07-file"][0]
    assert "đường dẫn minh chứng chỉ được lưu cùng giá trị" in errors["SCP-05-link"][0]
    assert "nguồn chỉ được lưu cùng giá trị" in errors["SCP-04-source"][0]
    assert not report.values.exists()
    page = _text(response)
    assert "Chưa lưu" in page and 'value="https://example.org/only-link"' in page

    # Clearing a value clears what the form gives back beside it, as before.
    report.refresh_from_db()
    client.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_05={"value": "3", "link": "https://example.org/bc"}),
    )
    report.refresh_from_db()
    response = client.post(
        reverse("report-edit", args=[report.pk]),
        _form_data(report, SCP_05={"link": "https://example.org/bc"}),
    )
    assert response.status_code == 302
    assert not report.values.exists()


def test_a_file_chosen_on_a_form_shown_again_is_asked_for_again(people, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Browsers cannot fill a file input again: after an error elsewhere the chosen file
    was gone without a word, and the next save stored the row without it."""
    settings.MEDIA_ROOT = tmp_path
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    data = _form_data(report, SCP_07={"value": "60"}, SCP_05={"value": "-1"})
    data["SCP-07-file"] = SimpleUploadedFile("bc.pdf", b"%PDF-1.4", "application/pdf")
    page = _text(client.post(reverse("report-edit", args=[report.pk]), data))
    field = re.search(r'<fieldset class="value-row" id="SCP-07">.*?</fieldset>', page)
    file_field = field and re.search(
        r'<div class="field field-file has-error">.*?</div>', field.group(0)
    )
    assert file_field and "tệp đã chọn (bc.pdf) chưa được lưu: hãy chọn lại" in file_field.group(0)
    # In the list of what to correct too, under its row.
    summary = re.search(r'<div class="notice error".*?</div>', page)
    assert summary and "SCP-07</span></a> · tệp minh chứng: tệp đã chọn (bc.pdf)" in summary.group(
        0
    )
    # A file refused for what it is says why, not "choose it again".
    data = _form_data(report, SCP_07={"value": "60"})
    data["SCP-07-file"] = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    errors = client.post(reverse("report-edit", args=[report.pk]), data).context["form"].errors
    assert len(errors["SCP-07-file"]) == 1 and "chọn lại" not in errors["SCP-07-file"][0]


def test_a_form_with_hundreds_of_lines_saves_as_a_browser_sends_it(people) -> None:  # type: ignore[no-untyped-def]
    """A browser sends every field of the form and an empty part for each file input:
    nine fields and one file a line. Django's defaults (1,000 fields, 100 files) refused
    a unit reporting on more than a hundred indicators with a bare "Bad Request (400)"."""
    from indicators.models import Target
    from programmes.models import Document

    programme = Document.objects.get(number="889/QĐ-TTg")
    for number in range(150):
        indicator = Indicator.objects.create(
            code=f"T-{number:03}", name_vi=f"Thử {number}", name_en=f"Test {number}",
            unit="%", measure="percent", direction="increase", accumulation="level",
            programme=programme, source="test",
        )  # fmt: skip
        Target.objects.create(
            document=programme, indicator=indicator, year=2023, comparator="at_least",
            low=50, text_vi="50%", source="test",
        )  # fmt: skip
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    fields = encode_multipart(BOUNDARY, _form_data(report, T_042={"value": "64"}))
    empty_files = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{row.indicator.code}-file"; '
        f'filename=""\r\nContent-Type: application/octet-stream\r\n\r\n\r\n'.encode()
        for row in report_form_rows(report=report)
    )
    body = empty_files + fields  # ends with the closing boundary
    assert body.count(b'filename=""') > 150

    saved = client.post(
        reverse("report-edit", args=[report.pk]),
        body,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert saved.status_code == 302
    assert report.values.get(indicator__code="T-042").value == 64


# --- what a screen reader is told ----------------------------------------------------


def _form_of(page: str, step: str) -> str:
    form = re.search(rf'<form[^>]*action="/reports/\d+/{step}/".*?</form>', page)
    assert form, page
    return form.group(0)


def _reason_refused_beside_its_box(response, step: str) -> None:  # type: ignore[no-untyped-def]
    """The page shown again, the refusal attached to the step's reason box."""
    assert response.status_code == 200
    page = _text(response)
    form = _form_of(page, step)
    box = re.search(r"<textarea[^>]*>", form)
    assert box, form
    for attribute in ('aria-invalid="true"', 'aria-describedby="id_reason_error"', "required"):
        assert attribute in box.group(0), (attribute, box.group(0))
    assert "autofocus" in box.group(0)  # where the reviewer types the reason
    assert re.search(
        r'<span class="field-errors" id="id_reason_error"><span class="error">say why: ', form
    ), form
    # Said there, not again as a notice above the page.
    assert page.count("say why: ") == 1
    assert _dangling_references(page) == set()


def test_a_return_or_reopening_without_a_reason_is_refused_at_the_reason_box(people) -> None:  # type: ignore[no-untyped-def]
    """The refusal ("say why …") came back as a notice above the page, after a redirect: the
    Reason box was neither required, nor marked invalid, nor described by it."""
    _officer, reviewer, report = _submitted_hanoi_2023(people)
    reviewer.post("/i18n/setlang/", {"language": "en"})
    page = _text(reviewer.get(reverse("report-detail", args=[report.pk])))
    assert re.search(r"<textarea[^>]*\brequired\b", _form_of(page, "return"))
    # An approval's note is optional.
    assert not re.search(r"<textarea[^>]*\brequired\b", _form_of(page, "approve"))

    refused = reviewer.post(reverse("report-return", args=[report.pk]), {"reason": "  "})
    _reason_refused_beside_its_box(refused, "return")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    reviewer.post(reverse("report-approve", args=[report.pk]))
    refused = reviewer.post(reverse("report-reopen", args=[report.pk]), {"reason": ""})
    _reason_refused_beside_its_box(refused, "reopen")
    report.refresh_from_db()
    assert report.status == Report.Status.APPROVED


def test_what_was_just_done_is_said_once_in_a_live_region(people) -> None:  # type: ignore[no-untyped-def]
    """ "Saved …", "Submitted …" were plain paragraphs, each page rendering them its own way:
    a screen reader was not told. A refusal is an alert, a confirmation a status."""
    officer = client_for(people["officer_hanoi"])
    officer.post("/i18n/setlang/", {"language": "en"})
    report = _open(officer, province_for_code_in_year(code="01", year=2023), 2023)
    saved = _text(
        officer.post(
            reverse("report-edit", args=[report.pk]),
            _form_data(report, SCP_07={"value": "60"}),
            follow=True,
        )
    )
    assert '<p class="notice success" role="status">Saved: 1 value changed.</p>' in saved
    assert saved.count("Saved: 1 value changed.") == 1
    submitted = _text(officer.post(reverse("report-submit", args=[report.pk]), follow=True))
    assert re.search(r'<p class="notice success" role="status">Submitted: ', submitted)

    refused = _text(
        client_for(people["officer_thainguyen"]).post(
            reverse("report-open"),
            {"province": province_for_code_in_year(code="19", year=2025).pk, "year": 2024},
            follow=True,
        )
    )
    assert re.search(r'<p class="notice error" role="alert">Thái Nguyên có từ 1/7/2025', refused)
    assert refused.count("Thái Nguyên có từ 1/7/2025") == 1


def test_a_save_counts_the_values_it_changed_in_words_that_agree(people) -> None:  # type: ignore[no-untyped-def]
    """ "Saved: 0 value(s) changed.": a count with "(s)", and a nought where nothing was."""
    client = client_for(people["officer_hanoi"])
    client.post("/i18n/setlang/", {"language": "en"})
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    url = reverse("report-edit", args=[report.pk])

    def save(**values: dict[str, str]) -> str:
        report.refresh_from_db()
        return _text(client.post(url, _form_data(report, **values), follow=True))

    assert "Saved: 1 value changed." in save(SCP_07={"value": "60"})
    both = {"SCP_07": {"value": "61"}, "SCP_05": {"value": "3"}}
    assert "Saved: 2 values changed." in save(**both)
    assert "Saved: nothing changed." in save(**both)


def test_the_day_field_shows_how_to_write_a_day_in_the_pages_language(people) -> None:  # type: ignore[no-untyped-def]
    """The Vietnamese form's placeholder read "dd/mm/yyyy" while its error said
    "ngày/tháng/năm"."""
    client = client_for(people["officer_hanoi"])
    report = _open(client, province_for_code_in_year(code="01", year=2023), 2023)
    url = reverse("report-edit", args=[report.pk])
    assert 'name="SCP-07-as_of" placeholder="ngày/tháng/năm"' in _text(client.get(url))
    client.post("/i18n/setlang/", {"language": "en"})
    assert 'name="SCP-07-as_of" placeholder="dd/mm/yyyy"' in _text(client.get(url))


def test_the_report_lists_pages_are_named_for_what_they_lead_to(people) -> None:  # type: ignore[no-untyped-def]
    """The links read "«" and "»": a screen reader said nothing useful."""
    reviewer = client_for(people["reviewer"])
    reviewer.post("/i18n/setlang/", {"language": "en"})
    hanoi = province_for_code_in_year(code="01", year=2023)
    for year in range(1971, 2021):
        Report.objects.get_or_create(province=hanoi, year=year)
    assert Report.objects.count() > 50
    first = _text(reviewer.get(reverse("report-list")))
    pages = re.search(r'<nav class="pages" aria-label="Pages of reports">.*?</nav>', first)
    assert pages and re.search(r'<a href="\?page=2[^"]*">next reports →</a>', pages.group(0))
    assert "page 1 of 2" in pages.group(0) and "«" not in first and "»" not in first
    second = _text(reviewer.get(reverse("report-list") + "?page=2"))
    assert re.search(r'<a href="\?page=1[^"]*">← previous reports</a>', second)
