import pytest

from accounts.services import demo_accounts_ensure
from provinces.selectors import province_for_code_in_year
from reports.models import Report

from .conftest import follow

pytestmark = pytest.mark.browser


def test_demo_reviewer_and_two_officers_go_through_the_whole_review_cycle(site, login) -> None:  # type: ignore[no-untyped-def]
    from .conftest import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    demo_accounts_ensure()
    officer = login("officer-hanoi")
    officer.goto(f"{site}/reports/")
    officer.select_option("select[name=province]", label="Hà Nội")
    officer.select_option("select[name=year]", "2023")
    follow(officer.get_by_role("button", name="Mở báo cáo"))
    officer.fill("input[name='SCP-07-value']", "92,5")
    officer.fill("input[name='SCP-07-source']", "Sở Công Thương Hà Nội")
    follow(officer.get_by_role("button", name="Lưu nháp"))
    assert officer.get_by_role("cell", name="92,5 %").is_visible()

    # The officer also imports a spreadsheet: upload, read the preview, confirm.
    follow(officer.get_by_role("link", name="Nhập từ bảng tính"))
    header = "unit_code;indicator_code;year;value;qualifier;numerator;denominator;note;source\n"
    officer.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "ket-qua-2023.csv",
                "mimeType": "text/csv",
                "buffer": (
                    header + "01;HN-DN-LN;2023;145,5;khoảng;;;;\n01;XYZ;2023;1;;;;;\n"
                ).encode(),
            }
        ],
    )
    follow(officer.get_by_role("button", name="Tải lên và xem trước"))
    errors = officer.locator("table.errors").inner_text()
    assert "tỷ lệ phải từ 0 đến 100 %" in errors and "chỉ tiêu không có trong danh mục" in errors
    assert officer.get_by_role("button", name="Xác nhận: áp dụng 0 thay đổi").count() == 0
    officer.screenshot(path=str(ARTIFACTS / "import-preview-errors.png"), full_page=True)
    follow(officer.get_by_role("link", name="Nhập từ bảng tính"))
    officer.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "ket-qua-2023.csv",
                "mimeType": "text/csv",
                "buffer": (
                    header + "01;SCP-07;2023;92,5;;;;;Sở Công Thương Hà Nội\n"
                    "01;HN-DN-LN;2023;45,5;khoảng;;;Ước tính từ 12 quận;Sở Công Thương Hà Nội\n"
                    "01;SCP-04;2023;;;;;;\n"
                ).encode("utf-8-sig"),
            }
        ],
    )
    follow(officer.get_by_role("button", name="Tải lên và xem trước"))
    preview = officer.locator("table.import-preview").inner_text()
    assert "không đổi" in preview and "giá trị mới" in preview and "bỏ qua (trống)" in preview
    officer.screenshot(path=str(ARTIFACTS / "import-preview.png"), full_page=True)
    follow(officer.get_by_role("button", name="Xác nhận: áp dụng 1 thay đổi"))
    assert officer.get_by_text("Đã nhập: 1 giá trị đã thay đổi.").is_visible()
    assert officer.get_by_role("cell", name="khoảng 45,5 %").is_visible()
    follow(officer.get_by_role("button", name="Gửi Bộ"))
    report = Report.objects.get(province=province_for_code_in_year(code="01", year=2023), year=2023)
    assert report.status == "submitted"
    report_url = f"{site}/reports/{report.pk}/"

    # The other province's officer cannot see Hà Nội's report while it is not approved.
    other = login("officer-thainguyen")
    assert other.goto(f"{site}/reports/{report.pk}/").status == 404

    reviewer = login("reviewer")
    reviewer.goto(f"{site}/reports/status/?from=2023&to=2023")
    reviewer.screenshot(path=str(ARTIFACTS / "reporting-status.png"), full_page=True)
    reviewer.goto(report_url)
    reviewer.locator("form[action$='/return/'] textarea").fill("Thiếu biên bản xác nhận")
    follow(reviewer.get_by_role("button", name="Trả lại tỉnh"))
    report.refresh_from_db()
    assert report.status == "returned"

    officer.goto(report_url)
    assert officer.get_by_text("Thiếu biên bản xác nhận").first.is_visible()
    follow(officer.get_by_role("link", name="Nhập số liệu"))
    # The form the officer corrects in says what to correct, and who asked.
    returned = officer.locator(".notice.returned")
    assert "Bộ trả lại (reviewer," in returned.inner_text()
    assert "Thiếu biên bản xác nhận" in returned.inner_text()
    officer.fill("input[name='SCP-07-value']", "93")
    follow(officer.get_by_role("button", name="Lưu nháp"))
    follow(officer.get_by_role("button", name="Gửi Bộ"))

    reviewer.goto(report_url)
    # A note typed in the approval's own box goes with the approval.
    reviewer.locator("form[action$='/approve/'] textarea").fill("Đồng ý; bổ sung minh chứng sau")
    follow(reviewer.get_by_role("button", name="Phê duyệt"))
    report.refresh_from_db()
    assert report.status == "approved"
    assert "Đồng ý; bổ sung minh chứng sau" in reviewer.locator("ol.timeline").inner_text()
    reviewer.locator("form[action$='/reopen/'] textarea").fill("Sửa nguồn số liệu")
    follow(reviewer.get_by_role("button", name="Mở lại để sửa"))
    report.refresh_from_db()
    assert report.status == "returned"
    reviewer.screenshot(path=str(ARTIFACTS / "report-history.png"), full_page=True)
    history = reviewer.locator("ol.timeline").inner_text()
    for step in ["Thiếu biên bản xác nhận", "Sửa nguồn số liệu", "đã duyệt"]:
        assert step in history

    # The new Thái Nguyên's officer files Bắc Kạn's 2024 figure (Bắc Kạn merged into it on
    # 1/7/2025) from a spreadsheet, and submits; the reviewer approves it.
    other.goto(f"{site}/reports/import/")
    other.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "bac-kan-2024.csv",
                "mimeType": "text/csv",
                "buffer": (header + "06;BK-NLTT-CS;2024;28,4;;;;;Sở Công Thương\n").encode(),
            }
        ],
    )
    follow(other.get_by_role("button", name="Tải lên và xem trước"))
    assert "Bắc Kạn" in other.locator("table.import-preview").inner_text()
    follow(other.get_by_role("button", name="Xác nhận: áp dụng 1 thay đổi"))
    assert other.get_by_role("cell", name="28,4 MW").is_visible()
    follow(other.get_by_role("button", name="Gửi Bộ"))
    bac_kan = Report.objects.get(
        province=province_for_code_in_year(code="06", year=2024), year=2024
    )
    assert bac_kan.status == "submitted"
    reviewer.goto(f"{site}/reports/{bac_kan.pk}/")
    follow(reviewer.get_by_role("button", name="Phê duyệt"))
    bac_kan.refresh_from_db()
    assert bac_kan.status == "approved"


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)])
def test_each_review_steps_box_sits_inside_its_group_above_its_button(
    site, login, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    """The return's reason box sat between "Phê duyệt" and "Trả lại tỉnh", so a note meant
    for the approval was typed into it and lost. Each box is now framed with its own
    button, on a wide screen and on a phone."""
    from .conftest import ARTIFACTS

    demo_accounts_ensure()
    hanoi = province_for_code_in_year(code="01", year=2025)
    report = Report.objects.create(province=hanoi, year=2025, status=Report.Status.SUBMITTED)
    page = login("reviewer", width=width, height=height)
    page.goto(f"{site}/reports/{report.pk}/")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator(".actions").screenshot(path=str(ARTIFACTS / f"review-steps-{width}.png"))
    for step, button in [("approve", "Phê duyệt"), ("return", "Trả lại tỉnh")]:
        group = page.locator(f"form[action$='/{step}/'] fieldset")
        frame, box = group.bounding_box(), group.locator("textarea").bounding_box()
        after = group.get_by_role("button", name=button).bounding_box()
        assert frame and box and after
        for inner in (box, after):  # inside the frame
            assert (
                frame["x"] <= inner["x"]
                and inner["x"] + inner["width"] <= frame["x"] + frame["width"]
            )
            assert (
                frame["y"] <= inner["y"]
                and inner["y"] + inner["height"] <= frame["y"] + frame["height"]
            )
        # The button follows its box: beside it, or below it once the line wraps.
        assert after["x"] >= box["x"] + box["width"] or after["y"] >= box["y"] + box["height"]
    approve = page.locator("form[action$='/approve/'] fieldset").bounding_box()
    returned = page.locator("form[action$='/return/'] fieldset").bounding_box()
    assert approve and returned
    # The two groups do not overlap, and the page does not scroll sideways.
    assert (
        returned["x"] >= approve["x"] + approve["width"]
        or returned["y"] >= approve["y"] + approve["height"]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
