import pytest

from accounts.services import demo_accounts_ensure
from provinces.selectors import province_for_code_in_year
from reports.models import Report

pytestmark = pytest.mark.browser


def _focused(page) -> str:  # type: ignore[no-untyped-def]
    page.wait_for_load_state()
    return page.evaluate("document.activeElement.id")


def test_after_a_refusal_the_keyboard_starts_at_what_to_correct(site, login) -> None:  # type: ignore[no-untyped-def]
    """After a failed save the focus stayed at the top of the page, the list of errors and
    the fields far below; a return without a reason came back as a notice above the page."""
    demo_accounts_ensure()
    hanoi = province_for_code_in_year(code="01", year=2023)
    report = Report.objects.create(province=hanoi, year=2023)
    officer = login("officer-hanoi")
    officer.goto(f"{site}/reports/{report.pk}/edit/")
    officer.fill("input[name='SCP-07-value']", "150")
    officer.get_by_role("button", name="Lưu nháp").click()
    assert _focused(officer) == "form-errors"
    # The summary's link leads to the field itself, not to its row.
    officer.keyboard.press("Tab")
    officer.keyboard.press("Enter")
    assert _focused(officer) == "id_SCP-07-value"
    officer.fill("input[name='SCP-07-value']", "92,5")
    officer.get_by_role("button", name="Lưu nháp").click()
    officer.get_by_role("button", name="Gửi Bộ").click()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    reviewer = login("reviewer")
    reviewer.goto(f"{site}/reports/{report.pk}/")
    box = reviewer.locator("form[action$='/return/'] textarea")
    # Blank, the browser asks for a reason itself; spaces pass it, and the server refuses.
    assert box.evaluate("box => box.required")
    box.fill("   ")
    reviewer.get_by_role("button", name="Trả lại tỉnh").click()
    box = reviewer.locator("form[action$='/return/'] textarea")
    assert _focused(reviewer) == "id_reason"
    assert box.get_attribute("aria-invalid") == "true"
    assert "cần nêu lý do" in reviewer.locator("#id_reason_error").inner_text()
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
