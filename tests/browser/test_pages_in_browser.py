import pytest

from programmes.models import Document
from progress.models import RecomputeRun
from progress.services import progress_recompute_now
from provinces.selectors import province_for_code_in_year
from tests.progress_builders import approved_value

from .conftest import follow

pytestmark = pytest.mark.browser


def test_home_opens_in_vietnamese_with_the_programmes_counts(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    page.goto(site + "/")
    assert "Chương trình hành động quốc gia" in page.locator("h1").inner_text()
    assert page.get_by_text("2/34").is_visible()
    watched_page.screenshot("home-vi")


def test_bac_kan_page_shows_its_figures_and_the_switch_keeps_the_page(
    watched_page, site: str
) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    bac_kan = province_for_code_in_year(code="06", year=2022)
    page.goto(f"{site}/provinces/{bac_kan.pk}/")
    assert page.get_by_role("cell", name="21,6 MW", exact=True).first.is_visible()
    assert page.get_by_role("cell", name="khoảng 35 MW").first.is_visible()
    watched_page.screenshot("bac-kan-vi")

    follow(page.get_by_role("button", name="EN"))
    assert page.url == f"{site}/provinces/{bac_kan.pk}/"
    assert page.get_by_role("cell", name="21.6 MW", exact=True).first.is_visible()
    assert page.get_by_text(
        "Total renewable generating capacity in the province"
    ).first.is_visible()
    watched_page.screenshot("bac-kan-en")


def test_a_source_link_opens_the_stored_article(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    page.goto(f"{site}/provinces/{thai_nguyen.pk}/")
    follow(page.get_by_role("link", name="bài báo lưu 004").first)
    assert "Bắc Kạn hướng đến sản xuất và tiêu dùng bền vững" in page.content()


def test_on_a_phone_no_page_scrolls_sideways(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """Wide tables scroll inside their own box at 390 px, the page itself does not."""
    page = watched_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    plan = Document.objects.get(number="889/QĐ-TTg")
    for url in [f"/documents/{plan.pk}/", f"/provinces/{thai_nguyen.pk}/", "/indicators/SCP-05/", "/"]:  # fmt: skip
        page.goto(site + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (url, width)
    watched_page.screenshot("home-phone")


def test_on_a_phone_a_table_wider_than_the_screen_shows_that_it_scrolls(
    watched_page, site: str
) -> None:  # type: ignore[no-untyped-def]
    """The columns past the screen's edge (a figure's status, its sentence) were hidden with
    nothing to say the table scrolls: a shadow at the edge with more beyond it says so."""
    page = watched_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + f"/provinces/{province_for_code_in_year(code='19', year=2025).pk}/")
    cues = page.evaluate(
        """[...document.querySelectorAll('table.data')]
             .filter(t => t.scrollWidth > t.clientWidth)
             .map(t => getComputedStyle(t))
             .map(s => [s.backgroundImage.includes('radial-gradient'),
                        s.backgroundAttachment.includes('local')])"""
    )
    assert cues and all(cue == [True, True] for cue in cues), cues


def _box(page, selector: str) -> dict:  # type: ignore[no-untyped-def]
    return page.locator(selector).first.bounding_box()


def test_on_a_phone_the_header_is_compact_and_the_tiles_go_two_a_row(
    watched_page, site: str
) -> None:  # type: ignore[no-untyped-def]
    """At 390 px the name and the language switch share one line, the menu is one row
    below them (wrapping, not a column beside the name), and the home tiles pair up."""
    page = watched_page.page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/")
    brand, language, nav = (_box(page, s) for s in (".brand", ".language", ".site-header nav"))
    assert brand["height"] < 32, brand  # one line
    assert abs(language["y"] - brand["y"]) < 12, (brand, language)
    assert nav["y"] >= brand["y"] + brand["height"] and nav["width"] > 340, nav
    links = page.locator(".site-header nav a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, tops  # four short links: a single row
    assert _box(page, ".site-header")["height"] < 120
    tiles = page.locator(".tiles.headline > .tile")
    first, second = tiles.nth(0).bounding_box(), tiles.nth(1).bounding_box()
    assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"]
    watched_page.screenshot("home-phone-header")


def test_on_a_phone_the_reviewers_reason_form_fits_the_screen(site: str, login) -> None:  # type: ignore[no-untyped-def]
    """The review steps (each a group of label, text box and button) wrap at 390 px
    instead of pushing the report page sideways."""
    from accounts.models import User
    from reports.models import Report

    User.objects.create_user(
        "reviewer-phone", password="pw-reviewer-phone", role=User.Role.REVIEWER
    )
    hanoi = province_for_code_in_year(code="01", year=2025)
    submitted = Report.objects.create(province=hanoi, year=2025, status=Report.Status.SUBMITTED)
    approved = Report.objects.get(province=hanoi, year=2022)
    page = login("reviewer-phone", "pw-reviewer-phone", width=390, height=844)
    for report, steps in ((submitted, ("approve", "return")), (approved, ("reopen",))):
        page.goto(f"{site}/reports/{report.pk}/")
        for step in steps:
            assert page.locator(f"form[action$='/{step}/'] textarea").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (report.status, width)


@pytest.mark.parametrize(("width", "height"), [(375, 812), (1366, 768)])
def test_the_heat_maps_codes_stay_whole_and_its_unit_names_in_view(
    watched_page, site: str, width: int, height: int
) -> None:  # type: ignore[no-untyped-def]
    """On a phone the heat map's codes broke at their hyphens ("SCP-" over "03", worse for
    SCP-M-TAPCHI). Each code is one line; the table scrolls sideways inside its box, the
    page does not, and the unit names stay in view while it scrolls."""
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    for code, value in [("SCP-02", "3"), ("SCP-05", "4"), ("SCP-M-TAPCHI", "2")]:
        approved_value(thai_nguyen, code, 2025, value)
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    page = watched_page.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site + "/")
    codes = page.locator(".heatmap thead th a")
    assert "SCP-M-TAPCHI" in codes.all_inner_texts()
    lines = codes.evaluate_all(
        "links => links.map(a => [a.textContent, a.getClientRects().length])"
    )
    assert all(count == 1 for _, count in lines), lines
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator(".heatmap").locator("xpath=..")
    box.evaluate("box => box.scrollLeft = box.scrollWidth")
    unit = page.locator(".heatmap tbody th", has_text="Thái Nguyên")
    assert abs(unit.bounding_box()["x"] - box.bounding_box()["x"]) < 2
    unit.scroll_into_view_if_needed()
    watched_page.screenshot(f"home-heatmap-{width}")


def test_on_a_phone_a_row_of_figures_reads_in_lines_of_words(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """At 375 px the new Thái Nguyên's tables of figures gave their year column a name's
    width and squeezed "how was this computed" to the narrowest column: a word a line, one
    row taller than the screen. The sentence now has room and the year only its own."""
    page = watched_page.page
    page.set_viewport_size({"width": 375, "height": 812})
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    page.goto(f"{site}/provinces/{thai_nguyen.pk}/")
    rows = page.locator("table.figures tbody tr")
    assert rows.count() > 0
    widths = page.evaluate(
        "[...document.querySelectorAll('table.figures td.how')].map(td => td.offsetWidth)"
    )
    assert min(widths) >= 240, widths
    years = page.evaluate(
        "[...document.querySelectorAll('table.figures td.year')].map(td => td.offsetWidth)"
    )
    assert max(years) < 100, years
    heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
    assert max(heights) < 812 / 2, heights
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def _widths(page, selector: str) -> list[int]:  # type: ignore[no-untyped-def]
    return page.evaluate(f"[...document.querySelectorAll('{selector}')].map(c => c.offsetWidth)")


def test_on_a_phone_names_and_a_documents_words_read_in_lines_of_words(site: str, login) -> None:  # type: ignore[no-untyped-def]
    """At 375 px the programme's targets in the document's words and an indicator named in
    a table's second column (an import's preview, the national figures) were squeezed to
    the narrowest column, a word a line, while a line number took a name's width."""
    from accounts.models import User
    from reports.import_services import report_import_upload

    officer = User.objects.create_user(
        "officer-phone",
        password="pw-officer-phone",
        role=User.Role.OFFICER,
        province=province_for_code_in_year(code="01", year=2025),
    )
    header = "unit_code;indicator_code;year;value;qualifier;numerator;denominator;note;source\n"
    batch = report_import_upload(
        content=(header + "01;SCP-07;2023;92,5;;;;;Sở Công Thương Hà Nội\n").encode(),
        filename="ket-qua-2023.csv",
        by=officer,
    )
    programme = Document.objects.get(number="889/QĐ-TTg")
    page = login("officer-phone", "pw-officer-phone", width=375, height=812)
    page.goto(f"{site}/documents/{programme.pk}/")
    assert min(_widths(page, "table.data td.words")) >= 170
    page.goto(f"{site}/")
    assert min(_widths(page, "table.data td:has(> .code)")) >= 170
    page.goto(f"{site}/reports/import/{batch.pk}/")
    assert min(_widths(page, "table.import-preview td:has(> .code)")) >= 170
    assert max(_widths(page, "table.import-preview td:first-child")) < 100
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("view", ["", "?view=former"])
def test_on_a_phone_the_list_of_units_shows_every_column(
    watched_page, site: str, view: str
) -> None:  # type: ignore[no-untyped-def]
    """At 375 px the units' two-digit code took a name's width, pushing whom each unit
    merged into (or was formed from) off the screen; the four columns now fit."""
    page = watched_page.page
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{site}/provinces/{view}")
    table = page.locator("table.data").first
    scroll, width = table.evaluate("t => [t.scrollWidth, t.clientWidth]")
    assert scroll <= width + 1, (scroll, width)  # a rounded pixel of border
    assert max(_widths(page, "table.data td.code")) < 100
