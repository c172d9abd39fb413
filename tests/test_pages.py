import csv
import html
import io
import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from indicators.models import Target
from programmes.models import Document
from progress.models import Progress, RecomputeRun
from progress.services import progress_recompute_now
from provinces.models import Province
from provinces.selectors import province_for_code_in_year

from .progress_builders import approved_value, missing_names

pytestmark = pytest.mark.django_db


def _text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_home_summarises_the_programme_with_real_counts(client: Client) -> None:
    page = _text(client.get("/"))
    assert (
        "Chương trình hành động quốc gia về sản xuất và tiêu dùng bền vững giai đoạn 2021-2030"
        in page
    )
    assert "889/QĐ-TTg · 24/6/2020 · 2021–2030" in page
    # Hà Nội by its own plans, the new Thái Nguyên through Bắc Kạn's 405/KH-UBND.
    assert '<span class="big">2/34</span>' in page
    # The tile counts the register, which the ministry's 24 of 63 in 2022 shows is incomplete:
    # it must not say that only 2 units have a plan.
    assert (
        '<span class="big">2/34</span>tỉnh, thành phố hiện hành có kế hoạch trong sổ đăng ký'
        in page
    )
    assert '<span class="big">63</span>tỉnh, thành phố có hiệu lực đến 30/6/2025' in page
    assert "80% tỉnh, thành phố" in page
    assert "24 tỉnh, thành phố ban hành kế hoạch sau 2 năm" in page
    assert "38,1" in page
    # SCP-09's latest figure is the register's; the ministry's own 24 of 63 stands beside it.
    national = re.search(r'<table class="data national">.*?</table>', page)
    scp09 = re.search(r"SCP-09.*?</tr>", national.group(0) if national else "")
    assert scp09 and '38,1 % <span class="note">(2022, Bộ báo cáo)</span>' in scp09.group(0)


def test_home_lists_only_the_shown_programmes_national_figures(client: Client) -> None:
    """Under 889/QĐ-TTg the ministry's figures are its 2022 ones (SCP-02, SCP-09,
    SCP-M-TAPCHI), not the 2017 counts of 1419/QĐ-TTg's cleaner-production strategy."""
    page = _text(client.get("/"))
    section = re.search(r"<h2>Số liệu quốc gia đã báo cáo</h2>.*?</table>", page)
    assert section, page
    codes = re.findall(r'<span class="code">(.*?)</span>', section.group(0))
    assert codes == ["SCP-02", "SCP-09", "SCP-M-TAPCHI"], codes
    assert "2017" not in section.group(0)


def test_province_list_shows_the_34_units_in_force_and_what_formed_them(client: Client) -> None:
    page = _text(client.get("/provinces/"))
    assert page.count('<td class="code">') == 34
    assert "34 tỉnh, thành phố hiện hành" in page
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    row = re.search(rf'href="/provinces/{thai_nguyen.pk}/">Thái Nguyên</a>.*?</tr>', page)
    assert row and "Bắc Kạn" in row.group(0)


def test_former_view_shows_the_63_units_and_whom_they_merged_into(client: Client) -> None:
    page = _text(client.get("/provinces/?view=former"))
    assert page.count('<td class="code">') == 63
    bac_kan = province_for_code_in_year(code="06", year=2024)
    row = re.search(rf'href="/provinces/{bac_kan.pk}/">Bắc Kạn \(đến 30/6/2025\)</a>.*?</tr>', page)
    assert row and f'href="/provinces/{bac_kan.successor_id}/">Thái Nguyên</a>' in row.group(0)


def test_bac_kan_page_lists_its_plan_targets_in_the_documents_words_and_sourced_values(
    client: Client,
) -> None:
    bac_kan = province_for_code_in_year(code="06", year=2022)
    page = _text(client.get(f"/provinces/{bac_kan.pk}/"))
    assert "405/KH-UBND" in page
    assert "khoảng 35 MW" in page
    assert "≥ 35 MW" in page
    # The progress table's target keeps its "khoảng": 21,6 MW is judged against 33,25.
    row = re.search(r'<td class="year">2022</td>.*?</tr>', page)
    assert row and "≥ khoảng 35 MW" in row.group(0), page
    # One figure shows no pace: not enough data, where "no data" denied the 21,6 MW beside it.
    assert "chưa đủ số liệu" in row.group(0) and "chưa có số liệu" not in row.group(0)
    assert "21,6 MW" in page
    assert "trên 50 triệu kWh" in page
    assert 'href="/sources/004_6edeba63036783fe.txt/"' in page
    assert "Sáp nhập vào" in page


def test_new_thai_nguyen_shows_bac_kans_plan_and_history(client: Client) -> None:
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    page = _text(client.get(f"/provinces/{thai_nguyen.pk}/"))
    assert "Hình thành từ" in page
    merger = re.search(r'<p class="merger">.*?</p>', page)
    assert merger and re.sub(r"<[^>]+>", "", merger.group(0)) == (
        "Thái Nguyên (đến 30/6/2025) + Bắc Kạn (đến 30/6/2025) → Thái Nguyên (từ 1/7/2025)"
    )
    assert "405/KH-UBND" in page
    assert "6/7/2021 · 2021–2030 · Bắc Kạn (đến 30/6/2025)</h3>" in page
    assert "khoảng 57 MW" in page
    assert "21,6 MW" in page


@pytest.mark.parametrize("code", ["BK-NLTT-CS", "BK-OCOP-5S"])
def test_bac_kans_own_indicator_is_charted_once_not_again_as_the_merged_units(
    client: Client, code: str
) -> None:
    """Two bars of 21,6 MW, "Bắc Kạn (đến 30/6/2025)" and "Thái Nguyên", read as the same megawatts
    counted twice: the second was Bắc Kạn's figure alone, as the new Thái Nguyên's "former
    units combined", though the old Thái Nguyên never had the indicator."""
    page = _text(client.get(f"/indicators/{code}/"))
    chart = re.search(
        r'<script type="application/json" id="chart-latest-data">(.*?)</script>', page
    )
    assert chart
    assert json.loads(chart.group(1))["data"][0]["y"] == ["Bắc Kạn (đến 30/6/2025)"]
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    unit_page = _text(client.get(f"/provinces/{thai_nguyen.pk}/"))
    section = unit_page[unit_page.index(f'id="indicator-{code}"') :]
    section = section[: section.index("</table>")]
    assert "Bắc Kạn" in section and "gộp các tỉnh cũ" not in section


def test_hanoi_page_lists_its_three_plans(client: Client) -> None:
    hanoi = province_for_code_in_year(code="01", year=2025)
    page = _text(client.get(f"/provinces/{hanoi.pk}/"))
    for number in ["4052/QĐ-UBND", "266/KH-UBND", "263/KH-UBND"]:
        assert number in page
    assert "giảm 3,5-4,5%" in page
    assert "3,5–4,5 %" in page
    assert "80 %" in page


@pytest.mark.parametrize("page", ["province", "indicator"])
def test_hanoi_supermarkets_as_of_mid_2022_read_at_risk_with_their_day(
    client: Client, page: str
) -> None:
    """80 % of supermarkets as of 15/7/2022 against 100 % in 2022: the figure and its 80 %
    as they were, the status at risk, and the day in the sentence, not "not achieved"."""
    hanoi = province_for_code_in_year(code="01", year=2022)
    url = f"/provinces/{hanoi.pk}/" if page == "province" else "/indicators/SCP-07/"
    text = _text(client.get(url))
    section = text[text.index('id="indicator-SCP-07"') :] if page == "province" else text
    row = re.search(r"<tr>(?:(?!</tr>).)*?80 % năm 2022 \(tính đến 15/7/2022\).*?</tr>", section)
    assert row, "the 2022 row says the day its 80 % stands for"
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0))
    # The value with its day, and its achievement.
    assert '80 % <span class="note">(tính đến 15/7/2022)</span>' in cells and "80 %" in cells
    assert "có nguy cơ chậm" in row.group(0) and "không đạt" not in row.group(0)


def test_an_indicators_latest_value_shows_the_target_it_was_judged_against(
    client: Client,
) -> None:
    """Hà Nội's 80 % of 2022 is judged against 266/KH-UBND's 2022 target; its "own target"
    cell and the bar's tick read the later 2024 target of 263/KH-UBND instead. Made 90 %
    here, so that the two differ."""
    later = Target.objects.get(indicator__code="SCP-07", document__number="263/KH-UBND", year=2024)
    later.low = 90
    later.save()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    page = _text(client.get("/indicators/SCP-07/"))
    table = re.search(r"<h2>Giá trị mới nhất của từng tỉnh, thành phố</h2>.*?</table>", page)
    assert table, page
    row = re.search(r">Hà Nội</a>.*?</tr>", table.group(0))
    assert row and "<td>2022</td>" in row.group(0)
    assert '<td class="num">≥ 100 % (2022)</td>' in row.group(0), row.group(0)
    chart = re.search(
        r'<script type="application/json" id="chart-latest-data">(.*?)</script>', page
    )
    assert chart
    ticks = json.loads(chart.group(1))["data"][1]
    assert ticks["y"] == ["Hà Nội"] and ticks["x"] == [100.0]


@pytest.mark.parametrize(
    ("page", "code", "year"),
    [("province", "SCP-07", 2024), ("indicator", "SCP-02", 2025)],
)
def test_a_year_with_no_figure_shows_no_day_in_its_value_cell(
    client: Client, page: str, code: str, year: int
) -> None:
    """Hà Nội's SCP-07 in 2024 and the nation's SCP-02 in 2025 have no report: their empty
    value cells read "(tính đến 15/7/2022)", the day of the 2022 figure they are judged by,
    as if their own figure stood for it. The sentence still names that figure and its day."""
    hanoi = province_for_code_in_year(code="01", year=2024)
    url = f"/provinces/{hanoi.pk}/" if page == "province" else f"/indicators/{code}/"
    text = _text(client.get(url))
    section = text[text.index(f'id="indicator-{code}"') :] if page == "province" else text
    row = re.search(rf'<td class="year">{year}</td>.*?</tr>', section)
    assert row
    value = re.findall(r'<td class="num">(.*?)</td>', row.group(0))[0]
    assert value.strip() == ""
    assert "(tính đến 15/7/2022)" in row.group(0)


def test_a_dated_figure_with_no_target_shows_its_day_beside_it(client: Client) -> None:
    """Thái Nguyên's 3 documents as of 15/7/2025, under no target: nothing said it was not
    the whole year's figure, neither the value nor the sentence, which names no figure."""
    thai_nguyen = province_for_code_in_year(code="19", year=2025)
    value = approved_value(thai_nguyen, "SCP-02", 2025, "3")
    value.as_of = date(2025, 7, 15)
    value.save()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    text = _text(client.get(f"/provinces/{thai_nguyen.pk}/"))
    section = text[text.index('id="indicator-SCP-02"') :]
    row = re.search(r'<td class="year">2025</td>.*?</tr>', section)
    assert row and '3 tài liệu <span class="note">(tính đến 15/7/2025)</span>' in row.group(0)


def test_english_shows_english_names_and_number_format(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    bac_kan = province_for_code_in_year(code="06", year=2022)
    page = _text(client.get(f"/provinces/{bac_kan.pk}/"))
    assert "Total renewable generating capacity in the province" in page
    assert "21.6 MW" in page
    assert "khoảng 35 MW" in page  # the document's own words stay as written
    assert "6 Jul 2021" in page


def test_language_switch_returns_to_the_same_page(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/provinces/?view=former"})
    assert response.status_code == 302
    assert response["Location"] == "/provinces/?view=former"


def test_document_page_lists_its_targets_and_implementing_plans(client: Client) -> None:
    programme = Document.objects.get(number="889/QĐ-TTg")
    page = _text(client.get(f"/documents/{programme.pk}/"))
    assert "giảm 5-8% mức tiêu hao nguyên nhiên vật liệu" in page
    assert "405/KH-UBND" in page
    assert "3529/QĐ-BCT" in page


def test_source_article_is_served_and_only_from_the_sources_folder(client: Client) -> None:
    page = _text(client.get("/sources/004_6edeba63036783fe.txt/"))
    assert "Bắc Kạn hướng đến sản xuất và tiêu dùng bền vững" in page
    assert client.get("/sources/..%2F..%2Fservices.py/").status_code == 404
    assert client.get("/sources/missing.txt/").status_code == 404


def test_unknown_province_and_document_are_404(client: Client) -> None:
    assert client.get("/provinces/999999/").status_code == 404
    assert client.get("/documents/999999/").status_code == 404


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_page_queries_do_not_grow_with_the_number_of_provinces_or_plans(client: Client) -> None:
    bac_kan = province_for_code_in_year(code="06", year=2022)
    urls = ["/", "/provinces/", "/provinces/?view=former", f"/provinces/{bac_kan.pk}/"]
    before = {url: _queries(client, url) for url in urls}

    # Another plan with targets, and another province in force, must cost no extra query.
    programme = Document.objects.get(number="889/QĐ-TTg")
    extra = Province.objects.create(code="99", name="Thử nghiệm", kind="tinh", source="test")
    plan = Document.objects.create(
        number="1/KH-UBND",
        kind=Document.Kind.PROVINCIAL_PLAN,
        province=bac_kan,
        issued_on="2022-01-01",
        period_start=2022,
        period_end=2025,
        title_vi="Kế hoạch thử",
        title_en="Test plan",
        issuer="UBND",
        implements=programme,
        source="test",
    )
    plan.targets.create(
        province=bac_kan,
        indicator=programme.indicators.get(code="SCP-07"),
        year=2025,
        comparator="at_least",
        low=90,
        text_vi="90%",
        source="test",
    )
    assert extra.pk
    after = {url: _queries(client, url) for url in urls}
    assert after == before
    # The home page adds the overview (8 reads, and a 9th for the units reporting where the
    # ministry has not: SCP-07) and who has reported, by the status grid's rule (7), to the
    # programme summary (10); a former unit's page reads the units that merged with it (one
    # query).
    assert list(before.values()) == [26, 3, 3, 7]


def test_units_follow_the_readers_language(client: Client) -> None:
    assert "5 tài liệu" in _text(client.get("/"))
    client.post("/i18n/setlang/", {"language": "en"})
    page = _text(client.get("/"))
    # The target's own words stay Vietnamese ("ít nhất 10 tài liệu kỹ thuật"); figures do not.
    assert "5 documents" in page and "5 tài liệu" not in page
    assert "≥ 10 documents" in page


def test_our_notes_on_targets_follow_the_readers_language(client: Client) -> None:
    bac_kan = province_for_code_in_year(code="06", year=2022)
    page = _text(client.get(f"/provinces/{bac_kan.pk}/"))
    assert "thấp hơn tỷ lệ năm 2025, đúng như văn bản in" in page
    assert "lower than the 2025 share" not in page
    client.post("/i18n/setlang/", {"language": "en"})
    assert "lower than the 2025 share, as printed" in _text(client.get(f"/provinces/{bac_kan.pk}/"))


def test_an_indicators_known_gaps_are_said_on_its_page_in_the_readers_language(
    client: Client,
) -> None:
    """The reference data's known gaps (no 2025 target for SCP-09, SCP-03's baseline year
    not stated) are said plainly to users, in their language."""
    page = _text(client.get("/indicators/SCP-09/"))
    assert "các nguồn không nêu chỉ tiêu năm 2025" in page
    assert "no 2025 target is stated" not in page
    assert "các nguồn không nêu năm gốc" in _text(client.get("/indicators/SCP-03/"))
    client.post("/i18n/setlang/", {"language": "en"})
    assert "no 2025 target is stated in the sources" in _text(client.get("/indicators/SCP-09/"))
    page = _text(client.get("/indicators/SCP-03/"))
    # Sectors in English on an English page, not "dệt may, thép, nhựa".
    assert "textiles and garments, steel, plastics" in page and "dệt may" not in page


def test_home_says_none_received_rather_than_leaving_the_list_blank(client: Client) -> None:
    from django.utils import timezone

    from reports.models import Report

    last_year = timezone.localdate().year - 1
    Report.objects.filter(year=last_year).delete()
    page = _text(client.get("/"))
    received = re.search(r'id="reporting">.*?<ul class="units">(.*?)</ul>', page)
    assert received and received.group(1) == "<li>—</li>", received


def test_a_provinces_kind_reads_tinh_not_either_kind(client: Client) -> None:
    """Cao Bằng is a "tỉnh"; "tỉnh, thành phố" (province or city), the catalogue's word for
    a unit in general, named neither kind in the list's "Loại" column."""
    page = _text(client.get("/provinces/"))
    row = re.search(r">Cao Bằng</a>.*?</tr>", page)
    assert row and "<td>tỉnh</td>" in row.group(0), row
    hanoi = re.search(r">Hà Nội</a>.*?</tr>", page)
    assert hanoi and "<td>thành phố trực thuộc trung ương</td>" in hanoi.group(0)
    client.post("/i18n/setlang/", {"language": "en"})
    assert "<td>province</td>" in _text(client.get("/provinces/"))


def test_document_page_gives_a_targets_latest_figure_when_its_year_has_none(client: Client) -> None:
    """SCP-02's 2025 target: nothing reported for 2025, 5 documents in 2022. The "latest
    figure" column says 5 documents (2022), as the overview and the sentence beside it do,
    not "—"."""
    programme = Document.objects.get(number="889/QĐ-TTg")
    page = _text(client.get(f"/documents/{programme.pk}/"))
    row = re.search(r"SCP-02</span></a>.*?</tr>", page)
    assert row, page
    cells = re.findall(r'<td class="num">(.*?)</td>', row.group(0))
    assert cells[1] == "<div>5 tài liệu (2022)</div>", cells


def test_document_page_gives_a_2030_target_the_latest_figure_its_sentence_cites(
    client: Client,
) -> None:
    """405/KH-UBND's BK-NLTT-CS 2030 row showed "—" as its latest figure while its own
    sentence cited "21,6 MW năm 2022", and the 2025 row above it "21,6 MW (2022)": the
    2022 figure was judged against the 2025 target, and only rows judged against the 2030
    one were searched."""
    plan = Document.objects.get(number="405/KH-UBND")
    page = _text(client.get(f"/documents/{plan.pk}/"))
    rows = {
        re.search(r"<td>(\d{4})</td>", row)[1]: row  # type: ignore[index]
        for row in re.findall(r"BK-NLTT-CS</span></a>.*?</tr>", page)
    }
    assert set(rows) == {"2025", "2030"}, page
    for year, row in rows.items():
        cells = re.findall(r'<td class="num">(.*?)</td>', row)
        assert cells[1] == "<div>21,6 MW (2022)</div>", (year, cells)
    assert "21,6 MW năm 2022" in rows["2030"]


def test_an_indicator_with_nothing_reported_says_so_instead_of_drawing_empty_axes(
    client: Client,
) -> None:
    """SCP-06 has targets but no value: an empty "values over the years" chart showed bare
    axes from −1 to 6 with no year on them. The page says there is nothing to draw."""
    page = _text(client.get("/indicators/SCP-06/"))
    assert 'id="chart-series"' not in page
    assert "Chưa có số liệu nào qua các năm để vẽ." in page
    # An indicator with values keeps its chart.
    assert 'id="chart-series"' in _text(client.get("/indicators/SCP-09/"))


def test_home_heat_map_legend_explains_the_blank_cells(client: Client) -> None:
    """Most cells are blank (no target and no figure for that unit); the legend says so,
    in the reader's language, not only the statuses a filled cell can show."""
    page = _text(client.get("/"))
    heatmap = re.search(r'id="heatmap">.*?</table>', page)
    assert heatmap and '<td class="blank"></td>' in heatmap.group(0)
    legend = re.search(r'<p class="legend".*?</p>', heatmap.group(0))
    assert legend and "ô trống: không có mục tiêu và chưa có số liệu" in legend.group(0)
    client.post("/i18n/setlang/", {"language": "en"})
    page = _text(client.get("/"))
    legend = re.search(r'id="heatmap">.*?<p class="legend".*?</p>', page)
    assert legend and "blank: no target and no data" in legend.group(0)


def test_a_former_units_page_shows_the_merger_it_went_into_in_both_languages(
    client: Client,
) -> None:
    bac_kan = province_for_code_in_year(code="06", year=2024)
    new = province_for_code_in_year(code="19", year=2025)
    page = _text(client.get(f"/provinces/{bac_kan.pk}/"))
    assert (
        f'<dt>Sáp nhập vào</dt><dd><a href="/provinces/{new.pk}/">Thái Nguyên</a> từ 1/7/2025</dd>'
        in page
    )
    merger = re.search(r'<p class="merger">.*?</p>', page)
    assert merger and "<strong>Bắc Kạn (đến 30/6/2025)</strong>" in merger.group(0)
    assert re.sub(r"<[^>]+>", "", merger.group(0)) == (
        "Thái Nguyên (đến 30/6/2025) + Bắc Kạn (đến 30/6/2025) → Thái Nguyên (từ 1/7/2025)"
    )
    client.post("/i18n/setlang/", {"language": "en"})
    page = _text(client.get(f"/provinces/{bac_kan.pk}/"))
    assert f'<a href="/provinces/{new.pk}/">Thái Nguyên</a> from 1 Jul 2025</dd>' in page
    merger = re.search(r'<p class="merger">.*?</p>', page)
    assert merger and re.sub(r"<[^>]+>", "", merger.group(0)) == (
        "Thái Nguyên (until 30 Jun 2025) + Bắc Kạn (until 30 Jun 2025)"
        " → Thái Nguyên (from 1 Jul 2025)"
    )


def test_a_national_share_lacking_33_units_names_three_and_lists_them_all_in_a_disclosure(
    client: Client,
) -> None:
    """With only Hà Nội's 2025 report, the national share of provinces (SCP-06) lacks 33
    units: its sentence named all 33 on the overview and the indicator page. It names three
    and counts the rest; the full list is one click away, and the export keeps every name."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    approved_value(hanoi, "SCP-06-HUYEN", 2025, "80")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    share = Progress.objects.get(
        indicator__code="SCP-06", province=None, year=2025, origin="share_of_units"
    )
    missing = missing_names(share)
    assert len(missing) == 33
    for url in ["/", "/indicators/SCP-06/"]:
        page = _text(client.get(url))
        found = re.search(r"1 trong số 34 tỉnh, thành phố hiện hành: 2,9 %.*?</details>", page)
        assert found, url
        sentence, disclosure = found.group(0).split('<details class="missing">')
        assert sentence.endswith(f"còn thiếu: {', '.join(missing[:3])} và 30 đơn vị khác. "), url
        assert missing[3] not in sentence
        assert disclosure == (
            f"<summary>Xem đủ 33 đơn vị còn thiếu</summary>{', '.join(missing)}</details>"
        )
    exported = client.get(
        "/exports/progress.csv", {"indicator": "SCP-06", "year_from": 2025, "year_to": 2025}
    )
    text = b"".join(exported.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    partial = next(row for row in rows if row["origin"] == "share_of_units")
    assert partial["missing_units"] == "; ".join(missing)


def _units_without_data(page: str) -> list[str]:
    found = re.search(r"chưa báo cáo giá trị nào, ở bất kỳ năm nào[^<]*", page)
    listed = re.search(r'<ul class="units inline">(.*?)</ul>', page[found.end() :] if found else "")
    assert listed, "no list of units without data"
    return re.findall(r'">([^<]+)</a>', listed.group(1))


def test_a_unit_that_reported_an_indicators_provincial_form_is_not_listed_without_data(
    client: Client,
) -> None:
    """SCP-06 is reported through its district form SCP-06-HUYEN, and the national share
    counts Hà Nội's: the page still listed Hà Nội among the 34 units without data. A
    former unit's value counts for the unit it merged into, and a report not yet approved
    counts for none."""
    approved_value(province_for_code_in_year(code="01", year=2025), "SCP-06-HUYEN", 2025, "80")
    bac_kan = Province.objects.get(code="06")
    approved_value(bac_kan, "SCP-06-HUYEN", 2024, "50")
    pending = approved_value(province_for_code_in_year(code="04", year=2025), "SCP-06", 2025, "70")
    pending.report.status = pending.report.Status.SUBMITTED
    pending.report.save()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    silent = _units_without_data(_text(client.get("/indicators/SCP-06/")))
    assert len(silent) == 32
    assert "Hà Nội" not in silent and "Thái Nguyên" not in silent
    assert "Cao Bằng" in silent  # its report is only submitted


def test_an_indicator_of_a_strategy_that_ended_before_2021_lists_no_unit_as_silent(
    client: Client,
) -> None:
    """SXSH-03 is 1419/QĐ-TTg's, a strategy to 2020, which no report form from 2021 asks for:
    its page listed all 34 units as having reported nothing."""
    page = _text(client.get("/indicators/SXSH-03/"))
    assert "chưa báo cáo giá trị nào" not in page
    assert (
        "Không tỉnh, thành phố nào báo cáo chỉ tiêu này trong các năm được theo dõi ở đây, "
        "từ năm 2021: 1419/QĐ-TTg áp dụng trong giai đoạn 2009–2020." in page
    )
    assert '<ul class="units inline"></ul>' in page
    # The programme followed here still expects every unit.
    assert len(_units_without_data(_text(client.get("/indicators/SCP-07/")))) == 33


def test_a_plan_of_one_year_shows_its_year_not_a_range(client: Client) -> None:
    """266/KH-UBND covers 2022 alone and 263/KH-UBND 2024: "2022", not "2022–2022", in the
    unit's plan table and its headings; a plan of several years keeps its range."""
    hanoi = province_for_code_in_year(code="01", year=2025)
    page = _text(client.get(f"/provinces/{hanoi.pk}/"))
    assert "2022–2022" not in page and "2024–2024" not in page
    plans = re.search(r'<table class="data plans">.*?</table>', page)
    assert plans and re.search(r">266/KH-UBND</a></td><td>[^<]*</td><td>2022</td>", plans.group(0))
    assert re.search(r">263/KH-UBND</a> · [^<]* · 2024</h3>", page)
    plan = Document.objects.get(number="263/KH-UBND")
    assert " · 2024</p>" in _text(client.get(f"/documents/{plan.pk}/"))
    programme = Document.objects.get(number="889/QĐ-TTg")
    assert " · 2021–2030</p>" in _text(client.get(f"/documents/{programme.pk}/"))


def test_an_indicators_source_cites_the_stored_article_not_its_file_name(client: Client) -> None:
    """BK-NLTT-CS's source is "405/KH-UBND: seed 004_….txt; baobackan.com.vn/…": the header
    named the internal file where every table says "bài báo lưu 004" with a link."""
    page = _text(client.get("/indicators/BK-NLTT-CS/"))
    header = re.search(r'<dt>Nguồn</dt><dd class="source">(.*?)</dd>', page)
    assert header, page
    shown = re.sub(r"<[^>]+>", "", header.group(1))
    assert shown.startswith("405/KH-UBND: bài báo lưu 004; baobackan.com.vn/"), shown
    assert 'href="/sources/004_6edeba63036783fe.txt/"' in header.group(1)


def test_an_indicator_units_do_not_report_lists_no_unit_as_missing_it(client: Client) -> None:
    """SCP-09 is counted from the register of provincial plans: its page listed all 34 units
    as having reported nothing, Hà Nội among them, whose plans it counts."""
    page = _text(client.get("/indicators/SCP-09/"))
    assert "chưa báo cáo giá trị nào" not in page
    assert "Tỉnh, thành phố hiện hành chưa có số liệu" not in page
    assert "Chưa đơn vị nào báo cáo chỉ tiêu này." not in page
    assert "số liệu toàn quốc được tính từ sổ đăng ký kế hoạch của tỉnh" in page
    # An indicator the units do report keeps its list.
    assert "tỉnh, thành phố hiện hành chưa báo cáo giá trị nào" in _text(
        client.get("/indicators/SCP-07/")
    )


def test_the_register_share_says_its_denominator_changes_in_2025(client: Client) -> None:
    """SCP-09's 3,2 % of 63 becomes 5,9 % of 34 in 2025 with the same two plans: the page
    says why, as SCP-06's does."""
    note = "mẫu số là 63 tỉnh, thành phố đến năm 2024 và 34 từ năm 2025"
    assert note in _text(client.get("/indicators/SCP-06/"))
    assert note in _text(client.get("/indicators/SCP-09/"))
    client.post("/i18n/setlang/", {"language": "en"})
    page = _text(client.get("/indicators/SCP-09/"))
    assert "the denominator is 63 provinces up to 2024 and 34 from 2025" in page


def _national_line(page: str, year: int, origin: str) -> str:
    """The "how was this computed" cell of one line of an indicator page's national table."""
    table = re.search(
        r'<table class="data">\s*<thead><tr><th scope="col">(?:Năm|Year)<.*?</table>', page
    )
    assert table, "no national table"
    for line in re.findall(r"<tr>.*?</tr>", table.group(0)):
        if f'<td class="year">{year}</td>' in line and origin in line:
            how = re.search(r'<td class="how">(.*?)</td>', line)
            assert how
            return how.group(1)
    raise AssertionError(f"no {year} line of {origin}")


def test_a_national_sum_without_its_former_units_area_value_says_why_beside_it(
    client: Client,
) -> None:
    """With only Bắc Kạn's 2025 area report approved (1 model, filed by the new Thái
    Nguyên, which has not reported its own), the page showed "Bắc Kạn · 2025 · 1 mô hình"
    above a 2025 national sum reading "no unit reported", and 34 units missing from it
    against 33 units "without a value" at the bottom. The sum still leaves the area's model
    out (it is inside Thái Nguyên's own figure); its sentence says so, and the bottom list
    says it counts any year, its former units included."""
    approved_value(Province.objects.get(code="06"), "SCP-05", 2025, "1")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    page = _text(client.get("/indicators/SCP-05/"))
    how = _national_line(page, 2025, "tổng các tỉnh, thành phố")
    sentence, disclosure = how.split('<details class="missing">')
    assert sentence == (
        "Không đơn vị hiện hành nào báo cáo giá trị năm 2025 nên không có tổng. Bắc Kạn (đến "
        "30/6/2025) báo cáo 1 mô hình cho địa bàn của mình; số này nằm trong số liệu của "
        "Thái Nguyên (từ 1/7/2025), vốn chưa được báo cáo, nên không cộng riêng. "
    )
    assert "Xem đủ 34 đơn vị còn thiếu" in disclosure and "Thái Nguyên" in disclosure
    assert (
        "33 tỉnh, thành phố hiện hành chưa báo cáo giá trị nào, ở bất kỳ năm nào (tính cả các "
        "đơn vị cũ đã hợp nhất vào)." in page
    )
    assert "Thái Nguyên" not in _units_without_data(page)
    client.post("/i18n/setlang/", {"language": "en"})
    page = _text(client.get("/indicators/SCP-05/"))
    assert _national_line(page, 2025, "sum over provinces").startswith(
        "No unit in force reported a value for 2025, so there is no sum. Bắc Kạn (until 30 Jun"
        " 2025) reported 1 model for its own area; that is part of the figure of Thái Nguyên "
        "(from 1 Jul 2025), which has not been reported, so it is not added on its own."
    )
    assert (
        "33 provinces in force have reported no value in any year, counting the former units "
        "they were formed from." in page
    )


def test_a_merged_units_row_without_a_target_of_its_own_says_whose_target_is_missing(
    client: Client,
) -> None:
    """The new Thái Nguyên's 88 % for 2025 read "no target in force this year" right under
    Bắc Kạn's area row with its 405/KH-UBND target of at least 85 % (2025), while a national
    2025 target exists. A unit's row is judged by its own plans' targets only, so it stays
    unjudged, but says that the unit has no plan of its own setting one, and that the
    national target is judged on the national figure."""
    new = province_for_code_in_year(code="19", year=2025)
    approved_value(Province.objects.get(code="06"), "SCP-07", 2025, "90")
    approved_value(new, "SCP-07", 2025, "88")
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    row = Progress.objects.get(indicator__code="SCP-07", province=new, year=2025)
    assert (row.target, row.status, row.achieved) == (None, "no_target", None)
    page = _text(client.get(f"/provinces/{new.pk}/"))
    section = re.search(r'id="indicator-SCP-07">.*?</section>', page)
    assert section, page
    line = re.search(
        r'<td class="year">2025</td> <td>Thái Nguyên</td>.*?<td class="how">(.*?)</td>',
        section.group(0),
    )
    assert line and line.group(1) == (
        "Thái Nguyên (từ 1/7/2025) không có kế hoạch đặt mục tiêu riêng cho chỉ tiêu này; mục "
        "tiêu quốc gia năm 2025 được đánh giá trên số liệu toàn quốc, không theo từng tỉnh, "
        "thành phố."
    )
    assert "Năm này không có mục tiêu hiệu lực" not in section.group(0)
    client.post("/i18n/setlang/", {"language": "en"})
    page = _text(client.get(f"/provinces/{new.pk}/"))
    assert (
        "Thái Nguyên (from 1 Jul 2025) has no plan of its own setting a target for this "
        "indicator; the national target for 2025 is judged on the national figure, not on a "
        "province's." in html.unescape(page)
    )
