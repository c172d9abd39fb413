import pytest
from playwright.sync_api import expect

from accounts.services import demo_accounts_ensure
from provinces.selectors import province_for_code_in_year
from reports.models import Report

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
