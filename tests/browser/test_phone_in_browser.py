"""The pages on a phone (390 × 844, a touch screen) in headless Chromium: the charts' toolbar,
labels and hover boxes stay clear of each other and inside the chart, a finger scrolls past
the charts, and the reporting status opens at the year due beside the units' names."""

import re

import pytest

from accounts.services import demo_accounts_ensure
from provinces.selectors import province_for_code_in_year
from reports.models import Report
from reports.selectors import reportable_years, year_due

pytestmark = pytest.mark.browser

# The words a chart draws: targets' labels, notes, the legend's entries, the axes' titles.
DRAWN_WORDS = ".textpoint text, .annotation-text, .legendtext, .g-xtitle text, .g-ytitle text"
# Each pair of the chart's drawn words and its toolbar (plotly's mode bar) that overlap.
OVERLAPPING = """(plot, selector) => {
    const boxes = [...plot.querySelectorAll(selector)]
        .map(e => [e.textContent, e.getBoundingClientRect()])
        .filter(([, box]) => box.width > 0);
    boxes.push(["toolbar", plot.querySelector(".modebar").getBoundingClientRect()]);
    const meet = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
        && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    const pairs = [];
    boxes.forEach(([one, a], i) => boxes.slice(i + 1).forEach(([other, b]) => {
        if (meet(a, b)) { pairs.push([one, other]); }
    }));
    return pairs;
}"""


def _charts(page):  # type: ignore[no-untyped-def]
    # charts.js draws them all in one go: the last drawn, every one is. (Not wait_for_function,
    # whose polling evaluates a string, which the content security policy refuses.)
    charts = page.locator("div.chart")
    charts.last.locator(".main-svg").first.wait_for()
    return charts


def _chart_pages() -> list[str]:
    # The new Thái Nguyên: its former units' targets for 2030 at the top right of each chart,
    # and the merger of 1/7/2025; SCP-07: each unit's latest value against its own target.
    return [f"/provinces/{province_for_code_in_year(code='19', year=2025).pk}/", "/indicators/SCP-07/"]  # fmt: skip


@pytest.mark.parametrize("screen", ["phone", "watched_page"])
def test_the_chart_toolbar_and_the_words_a_chart_draws_cover_none_of_each_other(
    request, site: str, screen: str
) -> None:  # type: ignore[no-untyped-def]
    """The toolbar, shown on a tap (or while the pointer is on a chart), sat on the label of
    the 2030 target at the top right; on a phone the merger's note ran into the later
    targets' labels and the legend onto the axis title. The toolbar has a strip of its own."""
    watch = request.getfixturevalue(screen)
    page = watch.page
    for url in _chart_pages():
        page.goto(site + url)
        charts = _charts(page)
        assert charts.count() > 0, url
        for n in range(charts.count()):
            chart = charts.nth(n)
            chart.scroll_into_view_if_needed()
            chart.tap() if screen == "phone" else chart.hover()
            assert chart.locator(".modebar-btn").count() > 0
            overlapping = chart.evaluate(OVERLAPPING, DRAWN_WORDS)
            assert overlapping == [], (url, chart.get_attribute("id"), overlapping)
    watch.screenshot(f"charts-toolbar-{screen}")


def test_on_a_phone_a_swipe_over_a_chart_scrolls_the_page(phone, site: str) -> None:  # type: ignore[no-untyped-def]
    """Plotly's drag-to-zoom took every swipe begun on a chart: a phone stopped scrolling at
    the first of a unit's full-width charts. A tap still shows the point's figure."""
    page = phone.page
    page.goto(site + _chart_pages()[0])
    chart = _charts(page).first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    before = page.evaluate("scrollY")
    touch = page.context.new_cdp_session(page)
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})  # fmt: skip
    for step in range(1, 11):
        point = {"x": x, "y": y - 20 * step}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    for _ in range(50):  # the page scrolls on in the frames after the finger lifts
        if page.evaluate("scrollY") > before + 100:
            break
        page.wait_for_timeout(20)
    assert page.evaluate("scrollY") > before + 100, (before, page.evaluate("scrollY"))

    chart.scroll_into_view_if_needed()
    point = chart.locator(".scatterlayer .point").first.bounding_box()
    # On the point, under plotly's layer that takes the touches.
    page.touchscreen.tap(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)
    assert "21,6 MW" in (chart.locator(".hoverlayer").text_content() or "")


def test_on_a_phone_a_charts_hover_box_stays_inside_the_chart(phone, site: str) -> None:  # type: ignore[no-untyped-def]
    """A target's hover box (its bound, then the plan's own words) was one line wider than
    a phone's chart, cut at both edges; its lines are now short enough."""
    page = phone.page
    page.goto(site + _chart_pages()[0])
    charts = _charts(page)
    for n in range(charts.count()):
        shown = charts.nth(n).evaluate(
            """div => {
                const marks = div.data.findIndex(t => t.marker?.symbol === "line-ew-open");
                if (marks < 0) { return null; }
                Plotly.Fx.hover(div, [{curveNumber: marks, pointNumber: 0}]);
                const box = div.querySelector(".hoverlayer .hovertext").getBoundingClientRect();
                const chart = div.getBoundingClientRect();
                return [box.left >= chart.left && box.right <= chart.right, box.width];
            }"""
        )
        assert shown is None or shown[0], (n, shown)


def test_on_a_phone_the_status_grid_opens_at_the_year_due_beside_the_units(
    site: str, login
) -> None:  # type: ignore[no-untyped-def]
    """The grid's five years, its year due last, opened at the first: the year due and its
    deadline were off the screen, and scrolling to them left the units' names behind."""
    demo_accounts_ensure()
    page = login("reviewer", width=390, height=844)
    page.goto(f"{site}/reports/status/")
    page.wait_for_load_state("networkidle")
    due = year_due(years=reportable_years())
    heading = page.locator("table.status-grid thead th").filter(has_text=re.compile(rf"^{due}"))
    box = heading.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
    grid = page.locator("table.status-grid")
    unit = grid.locator("tbody th", has_text="Hà Nội")
    for scroll in ("0", "t.scrollWidth"):
        grid.evaluate(f"t => t.scrollLeft = {scroll}")
        assert abs(unit.bounding_box()["x"] - grid.bounding_box()["x"]) < 2, scroll
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def _widths(page, selector: str) -> list[int]:  # type: ignore[no-untyped-def]
    return page.evaluate(f"[...document.querySelectorAll('{selector}')].map(c => c.offsetWidth)")


def test_on_a_phone_sources_notes_and_a_rows_links_read_in_lines_of_words(site: str, login) -> None:  # type: ignore[no-untyped-def]
    """A source (an address, often), a value's note and an officer's "Import a spreadsheet"
    were squeezed to the narrowest column: a fragment a line, a row of a plan's targets
    half a screen high."""
    demo_accounts_ensure()
    hanoi = province_for_code_in_year(code="01", year=2025)
    Report.objects.create(province=hanoi, year=2024, status=Report.Status.DRAFT)
    page = login("officer-hanoi", width=390, height=844)
    page.goto(f"{site}/provinces/{hanoi.pk}/")
    assert min(_widths(page, "table.data td.source")) >= 200
    heights = page.evaluate(
        """[...document.querySelectorAll('table.data tr:has(> td.source)')]
             .map(row => row.offsetHeight)"""
    )
    assert max(heights) < 250, heights
    page.goto(f"{site}/reports/{Report.objects.get(province=hanoi, year=2022).pk}/")
    notes = page.evaluate(
        """(() => {
            const table = document.querySelector('table.data');
            const column = [...table.tHead.rows[0].cells].findIndex(c => c.textContent === 'Ghi chú');
            return [...table.tBodies[0].rows].map(row => row.cells[column].offsetWidth);
        })()"""
    )
    assert notes and min(notes) >= 170, notes
    page.goto(f"{site}/reports/")
    # A row's actions; a unit's name ("Bắc Kạn (đến 30/6/2025)") may take two lines.
    lines = page.locator("table.data tbody td.links a").evaluate_all(
        "links => links.map(a => [a.textContent, a.getClientRects().length])"
    )
    assert ("Nhập từ bảng tính", 1) in [tuple(line) for line in lines], lines
    assert all(count == 1 for _, count in lines), lines


def test_on_a_phone_the_login_fields_take_the_width_in_the_texts_size(phone, site: str) -> None:  # type: ignore[no-untyped-def]
    """The fields were a third of the screen, their text smaller than the page's: a phone's
    browser zooms into a field set smaller than 16 px when it is focused."""
    page = phone.page
    page.goto(f"{site}/login/")
    form = page.locator("main form").bounding_box()
    for field in ("#id_username", "#id_password"):
        assert page.locator(field).bounding_box()["width"] >= form["width"] - 1
        assert page.locator(field).evaluate("f => getComputedStyle(f).fontSize") == "16px"


def test_the_menu_items_stay_on_one_line_beside_an_officers_account_links(site: str, login) -> None:  # type: ignore[no-untyped-def]
    """On a 1280 px screen the account's links squeezed the menu: "Chương trình" and
    "Tỉnh, thành phố" broke in two."""
    demo_accounts_ensure()
    page = login("officer-thainguyen")
    # The lines of each item's text: a flex item is one box however many lines it holds.
    lines = page.locator(".site-header nav a").evaluate_all(
        """links => links.map(a => {
            const range = document.createRange();
            range.selectNodeContents(a);
            return [a.textContent, new Set([...range.getClientRects()].map(r => r.top)).size];
        })"""
    )
    assert ("Chương trình", 1) in [tuple(line) for line in lines], lines
    assert all(count == 1 for _, count in lines), lines
