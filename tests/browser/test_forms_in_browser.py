import itertools

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.services import demo_accounts_ensure
from provinces.selectors import province_for_code_in_year
from reports.models import Report
from reports.services import report_reopen

from .conftest import follow

pytestmark = pytest.mark.browser


def test_after_a_refusal_the_keyboard_starts_at_what_to_correct(site, login) -> None:  # type: ignore[no-untyped-def]
    """After a failed save the focus stayed at the top of the page, the list of errors and
    the fields far below; a return without a reason came back as a notice above the page."""
    demo_accounts_ensure()
    hanoi = province_for_code_in_year(code="01", year=2023)
    report = Report.objects.create(province=hanoi, year=2023)
    officer = login("officer-hanoi")
    officer.goto(f"{site}/reports/{report.pk}/edit/")
    officer.fill("input[name='SCP-07-value']", "150")
    follow(officer.get_by_role("button", name="Lưu nháp"))
    # The browser moves to an autofocus element after the page loads, not as it loads.
    expect(officer.locator("#form-errors")).to_be_focused()
    # The summary's link leads to the field itself, not to its row.
    officer.keyboard.press("Tab")
    officer.keyboard.press("Enter")
    expect(officer.locator("#id_SCP-07-value")).to_be_focused()
    officer.fill("input[name='SCP-07-value']", "92,5")
    follow(officer.get_by_role("button", name="Lưu nháp"))
    follow(officer.get_by_role("button", name="Gửi Bộ"))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    reviewer = login("reviewer")
    reviewer.goto(f"{site}/reports/{report.pk}/")
    box = reviewer.locator("form[action$='/return/'] textarea")
    # Blank, the browser asks for a reason itself; spaces pass it, and the server refuses.
    assert box.evaluate("box => box.required")
    box.fill("   ")
    follow(reviewer.get_by_role("button", name="Trả lại tỉnh"))
    box = reviewer.locator("form[action$='/return/'] textarea")
    expect(box).to_be_focused()
    assert box.get_attribute("aria-invalid") == "true"
    assert "cần nêu lý do" in reviewer.locator("#id_reason_error").inner_text()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED


def test_fields_use_the_pages_type_and_the_history_has_a_step_a_line(site, login) -> None:  # type: ignore[no-untyped-def]
    """A note's box was in the browser's monospace, its Vietnamese marks out of place; the
    review history ran its steps on together ("bị trả lại → đã gửi → 10:08 …")."""
    demo_accounts_ensure()
    report = Report.objects.get(province=province_for_code_in_year(code="01", year=2022))
    report_reopen(report=report, by=User.objects.get(username="reviewer"), reason="xem lại")
    officer = login("officer-hanoi")
    officer.goto(f"{site}/reports/{report.pk}/edit/")
    fonts = officer.evaluate(
        """() => [document.body, ...document.querySelectorAll('textarea, input[type=text]')]
            .map(e => getComputedStyle(e).fontFamily)"""
    )
    assert len(set(fonts)) == 1 and "Noto Sans" in fonts[0], set(fonts)
    officer.goto(f"{site}/reports/{report.pk}/")
    steps = [step.bounding_box() for step in officer.locator("ol.timeline li").all()]
    assert len(steps) >= 2
    for above, below in itertools.pairwise(steps):
        assert above and below and below["y"] >= above["y"] + above["height"], (above, below)


def test_the_open_form_offers_for_a_year_only_the_units_that_file_it(site, login) -> None:  # type: ignore[no-untyped-def]
    """The form offered "Thái Nguyên (đến 30/6/2025)" for 2025 and then refused it. A
    unit no longer offered gives way to the one its code means that year."""
    demo_accounts_ensure()
    officer = login("officer-thainguyen")
    officer.goto(f"{site}/reports/")
    form = officer.locator("form[action='/reports/open/']")
    units, year = form.locator("select[name=province]"), form.locator("select[name=year]")

    def offered() -> set[str]:
        return set(units.locator("option:not([disabled])").all_inner_texts())

    year.select_option("2025")
    assert offered() == {"Thái Nguyên", "Bắc Kạn (đến 30/6/2025)"}
    units.select_option(label="Thái Nguyên")
    year.select_option("2024")
    assert offered() == {"Bắc Kạn (đến 30/6/2025)", "Thái Nguyên (đến 30/6/2025)"}
    assert units.evaluate("select => select.selectedOptions[0].text") == (
        "Thái Nguyên (đến 30/6/2025)"
    )
    follow(form.get_by_role("button", name="Mở báo cáo"))
    old_thai_nguyen = province_for_code_in_year(code="19", year=2024)
    assert Report.objects.filter(province=old_thai_nguyen, year=2024).exists()
