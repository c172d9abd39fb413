"""The dashboards in headless Chromium: real figures in the drawn charts, offline, both languages."""

import pytest

from indicators.models import Indicator
from programmes.models import Document
from provinces.selectors import province_for_code_in_year

from .conftest import follow

pytestmark = pytest.mark.browser


def _figure(page, chart_id: str) -> dict:  # type: ignore[no-untyped-def]
    page.wait_for_function(f"document.getElementById('{chart_id}')?.data !== undefined")
    return page.evaluate(
        f"""() => {{
            const div = document.getElementById('{chart_id}');
            return {{data: div.data, layout: {{separators: div.layout.separators,
                     shapes: div.layout.shapes, annotations: div.layout.annotations}}}};
        }}"""
    )


def _trace(figure: dict, name: str) -> dict:
    return next(trace for trace in figure["data"] if trace.get("name") == name)


def test_overview_shows_tiles_national_targets_and_the_heat_map(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    page.goto(site + "/")
    assert "Chương trình hành động quốc gia" in page.locator("h1").inner_text()
    assert page.get_by_text("2/34").first.is_visible()
    # No 2025 report yet, of the 34 units and of Bắc Kạn's area (405/KH-UBND runs to 2030).
    assert page.get_by_text("0/35").first.is_visible()
    national = page.locator("table.national")
    assert national.get_by_text("SCP-09").is_visible()
    watched_page.screenshot("overview-vi")
    assert national.get_by_text("5,9 %").first.is_visible()
    hanoi = province_for_code_in_year(code="01", year=2025)
    cell = page.locator(f'table.heatmap a[href="/provinces/{hanoi.pk}/#indicator-SCP-07"]')
    # Its 2024 target of 100 % has no 2024 report: not judged, 80 % in 2022 notwithstanding.
    assert cell.locator('[aria-hidden="true"]').inner_text() == "–"
    assert cell.get_attribute("title") == "SCP-07: chưa đủ số liệu"
    assert cell.locator("xpath=..").get_attribute("class") == "status-no_data"
    watched_page.screenshot("overview-vi")
    follow(cell)
    assert page.url.endswith(f"/provinces/{hanoi.pk}/#indicator-SCP-07")


def test_a_lone_series_is_named_in_its_charts_legend(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """BK-NLTT-CS's yearly chart has Bắc Kạn's series alone, and plotly hid the legend of a
    single trace: one unnamed line, whose figures it did not say."""
    page = watched_page.page
    page.goto(f"{site}/indicators/BK-NLTT-CS/")
    _figure(page, "chart-series")
    legend = page.locator("#chart-series .legend .legendtext")
    assert [text.text_content() for text in legend.all()] == ["Bắc Kạn (đến 30/6/2025)"]
    watched_page.screenshot("indicator-one-series-vi")


def test_bac_kan_chart_holds_its_figures_and_marks(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    bac_kan = province_for_code_in_year(code="06", year=2022)
    capacity = Indicator.objects.get(code="BK-NLTT-CS")
    output = Indicator.objects.get(code="BK-NLTT-SL")
    page.goto(f"{site}/provinces/{bac_kan.pk}/")
    figure = _figure(page, f"chart-{capacity.pk}")
    assert figure["layout"]["separators"] == ",."
    # Its own page names its series as every page names the former unit.
    values = _trace(figure, "Bắc Kạn (đến 30/6/2025)")
    assert values["x"] == [2022] and values["y"] == [21.6]
    marks = next(t for t in figure["data"] if t.get("marker", {}).get("symbol") == "line-ew-open")
    assert sorted(zip(marks["x"], marks["y"], strict=True)) == [(2025, 35.0), (2030, 57.0)]
    # The merger into the new Thái Nguyên on 1/7/2025 is marked on the chart.
    assert figure["layout"]["shapes"][0]["x0"] == pytest.approx(2025.496, abs=0.001)
    assert page.get_by_role("cell", name="21,6 MW").first.is_visible()
    # "trên 50 triệu kWh": a triangle-up marker, and an achievement that is only a bound.
    bound = _trace(_figure(page, f"chart-{output.pk}"), "Bắc Kạn (đến 30/6/2025)")
    assert bound["marker"]["symbol"] == ["triangle-up"]
    assert page.get_by_role("cell", name="tối thiểu 43,5 %").first.is_visible()
    watched_page.screenshot("unit-bac-kan-vi")

    follow(page.get_by_role("button", name="EN"))
    assert page.url == f"{site}/provinces/{bac_kan.pk}/"
    figure = _figure(page, f"chart-{capacity.pk}")
    assert figure["layout"]["separators"] == ".,"
    assert page.get_by_role("cell", name="21.6 MW").first.is_visible()
    assert page.get_by_role("cell", name="at least 43.5 %").first.is_visible()
    watched_page.screenshot("unit-bac-kan-en")


def test_new_thai_nguyen_shows_the_merger_and_its_predecessors_history(
    watched_page, site: str
) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    capacity = Indicator.objects.get(code="BK-NLTT-CS")
    page.goto(f"{site}/provinces/{thai_nguyen.pk}/")
    # Two units merged into one, not a chain: "Thái Nguyên (…) + Bắc Kạn (…) → Thái Nguyên".
    merger = page.locator("p.merger")
    assert merger.inner_text().count("+") == 1 and merger.inner_text().count("→") == 1
    assert merger.get_by_text("(từ 1/7/2025)").is_visible()
    figure = _figure(page, f"chart-{capacity.pk}")
    names = [trace.get("name") for trace in figure["data"]]
    assert "Bắc Kạn (đến 30/6/2025)" in names
    # Bắc Kạn's own plan's indicator, which the old Thái Nguyên never had: its figures are
    # drawn once, as the former unit's, not again as the former units combined.
    assert "Thái Nguyên (gộp các tỉnh cũ)" not in names
    assert _trace(figure, "Bắc Kạn (đến 30/6/2025)")["y"] == [21.6]
    assert "sáp nhập 1/7/2025" in names  # the dashed line's entry in the legend
    watched_page.screenshot("unit-thai-nguyen-vi")


def test_indicator_page_compares_units_against_the_national_target(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    page.goto(f"{site}/indicators/BK-NLTT-CS/")
    latest = _figure(page, "chart-latest")
    bars = latest["data"][0]
    assert 21.6 in bars["x"]
    assert "Bắc Kạn (đến 30/6/2025)" in bars["y"]
    own = (
        _trace(latest, "mục tiêu riêng")
        if any(t.get("name") == "mục tiêu riêng" for t in latest["data"])
        else latest["data"][1]
    )
    assert 35.0 in own["x"]
    series = _figure(page, "chart-series")
    assert any(trace["y"] == [21.6] for trace in series["data"])
    # A plan's indicator: no unit but the one carrying on 405/KH-UBND is asked for it, so
    # Hà Nội is not listed among the units without data.
    assert page.get_by_text("Hà Nội").count() == 0
    watched_page.screenshot("indicator-bk-nltt-cs-vi")

    page.goto(f"{site}/indicators/SCP-07/")
    assert page.get_by_role("link", name="Cao Bằng").is_visible()  # in force, no data
    latest = _figure(page, "chart-latest")
    assert latest["data"][0]["x"] == [80.0]
    assert latest["layout"]["shapes"][0]["x0"] == 85.0  # the national 2025 target
    follow(page.get_by_role("button", name="EN"))
    assert page.url == f"{site}/indicators/SCP-07/"
    assert _figure(page, "chart-latest")["layout"]["separators"] == ".,"
    watched_page.screenshot("indicator-scp-07-en")


def test_document_page_says_how_each_target_stands(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    plan = Document.objects.get(number="405/KH-UBND")
    page.goto(f"{site}/documents/{plan.pk}/")
    row = page.locator("tr", has_text="khoảng 35 MW")
    assert "21,6 MW" in row.inner_text()
    # Nothing reported for 2025, so the 2025 target is not judged from 2022's figure.
    assert row.locator(".status-no_data").is_visible()
    assert "Không có số liệu cho năm 2025" in row.inner_text()
    watched_page.screenshot("document-405-vi")
    follow(page.get_by_role("button", name="EN"))
    assert page.url == f"{site}/documents/{plan.pk}/"
    assert "21.6 MW" in page.locator("tr", has_text="khoảng 35 MW").inner_text()
    watched_page.screenshot("document-405-en")


def test_charts_point_nothing_off_this_server(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """plotly.js defaults to map outlines from its CDN and a button that posts the figure to
    its cloud; the drawn charts keep both on this server."""
    page = watched_page.page
    capacity = Indicator.objects.get(code="BK-NLTT-CS")
    page.goto(f"{site}/provinces/{province_for_code_in_year(code='06', year=2022).pk}/")
    _figure(page, f"chart-{capacity.pk}")
    context = page.evaluate(
        f"""() => {{
            const c = document.getElementById('chart-{capacity.pk}')._context;
            return {{topojson: c.topojsonURL, server: c.plotlyServerURL,
                     cloud: c.showSendToCloud}};
        }}"""
    )
    assert context == {
        "topojson": "/static/vendor/",
        "server": "",
        "cloud": False,
    }
    page.locator(f"#chart-{capacity.pk}").hover()
    assert page.locator(".modebar-btn[data-title*='Chart Studio']").count() == 0


def test_chart_toolbar_tooltips_follow_the_page_language(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """plotly.js wrote its toolbar's tooltips in English on a Vietnamese page: "Download
    plot as a PNG", "Zoom", "Reset axes"."""
    page = watched_page.page
    capacity = Indicator.objects.get(code="BK-NLTT-CS")
    page.goto(f"{site}/provinces/{province_for_code_in_year(code='06', year=2022).pk}/")
    _figure(page, f"chart-{capacity.pk}")
    chart = page.locator(f"#chart-{capacity.pk}")
    chart.hover()
    titles = chart.locator(".modebar-btn").evaluate_all(
        "buttons => buttons.map(b => b.getAttribute('data-title'))"
    )
    assert titles == [
        "Tải biểu đồ xuống dạng ảnh PNG",
        "Phóng to vùng chọn",
        "Kéo để di chuyển",
        "Phóng to",
        "Thu nhỏ",
        "Tự động căn tỷ lệ",
        "Đặt lại các trục",
    ]
    watched_page.screenshot("chart-toolbar-vi")

    follow(page.get_by_role("button", name="EN"))
    _figure(page, f"chart-{capacity.pk}")
    chart = page.locator(f"#chart-{capacity.pk}")
    chart.hover()
    assert chart.locator(".modebar-btn[data-title='Download plot as a PNG']").count() == 1
    assert chart.locator(".modebar-btn[data-title='Reset axes']").count() == 1


def test_chart_toolbar_buttons_are_named_buttons_outside_any_image(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """Each chart was an image holding plotly's seven toolbar links: a keyboard reached
    them, a screen reader, which does not read inside an image, never announced them, and
    each was an unnamed link."""
    page = watched_page.page
    capacity = Indicator.objects.get(code="BK-NLTT-CS")
    page.goto(f"{site}/provinces/{province_for_code_in_year(code='06', year=2022).pk}/")
    _figure(page, f"chart-{capacity.pk}")
    assert page.locator("[role='img'] a, [role='img'] button").count() == 0
    figure = page.get_by_role("figure", name=capacity.name_vi)
    assert figure.count() == 1
    download = figure.get_by_role("button", name="Tải biểu đồ xuống dạng ảnh PNG")
    assert download.count() == 1


def test_a_lone_years_chart_keeps_its_year_labels_whole_and_apart(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """SCP-07 has one figure, Hà Nội's 2022: its chart over the years ran from 2021 to 2023
    at the very edges, "2023" cut off at the right and "2021" touching the "0"."""
    page = watched_page.page
    page.goto(f"{site}/indicators/SCP-07/")
    _figure(page, "chart-series")
    boxes = page.evaluate(
        """() => {
            const chart = document.getElementById('chart-series');
            const box = e => { const r = e.getBoundingClientRect();
                               return [r.left, r.top, r.right, r.bottom]; };
            return {chart: box(chart),
                    years: [...chart.querySelectorAll('.xtick text')].map(box),
                    values: [...chart.querySelectorAll('.ytick text')].map(box)};
        }"""
    )
    left, _, right, _ = boxes["chart"]
    assert boxes["years"]
    for year in boxes["years"]:
        assert left <= year[0] and year[2] <= right, year
        for value in boxes["values"]:
            apart = year[2] <= value[0] or value[2] <= year[0]
            assert apart or year[3] <= value[1] or value[3] <= year[1], (year, value)
