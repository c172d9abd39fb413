"""What a person with a screen reader, a keyboard or low vision meets on the pages: contrast,
status in words, a skip link, error pages in the site's language, language marking."""

import csv
import io
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from indicators.models import Indicator, Target
from programmes import views as programmes_views
from programmes.models import Document
from progress import charts
from progress.models import Progress
from provinces.selectors import province_for_code_in_year
from reports.models import ReportedValue
from reports.services import report_open, report_return, report_submit

from .conftest import client_for

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "site.css"


def _rules(css: str) -> list[tuple[list[str], dict[str, str]]]:
    """Each rule of the stylesheet (inside media queries too) as its selectors and
    declarations, in the order written."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = {}
        for declaration in body.split(";"):
            name, _colon, value = declaration.partition(":")
            if value:
                declarations[name.strip()] = value.strip()
        found.append(([s.strip() for s in selectors.split(",")], declarations))
    return found


def _hex(value: str, variables: dict[str, str]) -> str:
    variable = re.fullmatch(r"var\((--[\w-]+)\)", value)
    value = variables[variable.group(1)] if variable else value
    value = value.lower()
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(c * 2 for c in value[1:])
    assert re.fullmatch(r"#[0-9a-f]{6}", value), value
    return value


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(one: str, other: str) -> float:
    light, dark = sorted([_luminance(one), _luminance(other)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _colours_of(selector: str, rules: list[tuple[list[str], dict[str, str]]]) -> dict[str, str]:
    """The background and colour one selector sets, the later rule winning."""
    found: dict[str, str] = {}
    for selectors, declarations in rules:
        if selector in selectors:
            found |= {k: v for k, v in declarations.items() if k in {"background", "color"}}
    return found


def test_every_status_badge_and_cell_reads_at_aa_contrast_in_the_charts_colours() -> None:
    """White on the Okabe–Ito green ("achieved", 3.42:1) and vermilion ("off track",
    3.87:1) fell short of WCAG AA's 4.5:1, on the badges and the home page's heat map cells
    alike; each status keeps the colour the charts draw it with."""
    rules = _rules(CSS.read_text(encoding="utf-8"))
    variables = next(d for s, d in rules if s == [":root"])
    ink = _hex(variables["color"], variables)
    statuses = {
        selector[len(".status-") :]
        for selectors, _declarations in rules
        for selector in selectors
        if re.fullmatch(r"\.status-\w+", selector)
    }
    assert set(charts.STATUS_COLOURS) <= statuses
    for status in sorted(statuses):
        colours = _colours_of(f".status-{status}", rules)
        if "background" not in colours:
            continue
        background = _hex(colours["background"], variables)
        text = _hex(colours.get("color", ink), variables)
        assert _contrast(text, background) >= 4.5, (status, text, background)
        if status in charts.STATUS_COLOURS:
            assert background == charts.STATUS_COLOURS[status].lower(), status


def test_an_import_previews_error_text_reads_at_aa_contrast_on_its_row() -> None:
    """The reason of a refused row, #b34700 on the row's #fbe3cc, was 4.44:1."""
    rules = _rules(CSS.read_text(encoding="utf-8"))
    variables = next(d for s, d in rules if s == [":root"])
    row = _hex(_colours_of(".import-preview tr.row-error td", rules)["background"], variables)
    text = _hex(_colours_of(".error", rules)["color"], variables)
    assert _contrast(text, row) >= 4.5, (text, row)
    assert _contrast(text, "#ffffff") >= 4.5


class _Languages(HTMLParser):
    """Each text and ``title`` of a page with the language it is marked as: the nearest
    ``lang`` of its element or an ancestor's."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []
        self.titles: list[tuple[str, str]] = []

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        lang = found.get("lang") or self._lang()
        if found.get("title"):
            self.titles.append((lang, found["title"] or ""))
        if tag not in self.VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.texts.append((self._lang(), " ".join(data.split())))


def _languages(response: HttpResponse) -> _Languages:
    assert response.status_code == 200
    parser = _Languages()
    parser.feed(response.content.decode())
    return parser


def _lang_of(found: list[tuple[str, str]], text: str) -> set[str]:
    """The languages ``text`` is marked as wherever it stands whole."""
    languages = {lang for lang, shown in found if shown == text}
    assert languages, text
    return languages


def _english(client: Client) -> Client:
    client.post("/i18n/setlang/", {"language": "en"})
    return client


def _page(response: HttpResponse) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _visible_text(response: HttpResponse) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_heat_maps_cells_say_their_status_in_words_not_only_by_colour(client: Client) -> None:
    """A cell showed "–" on a colour, its link's tooltip the indicator's code alone: a screen
    reader said "dash, link". Each now says its status in words, to the screen reader and
    in the tooltip."""
    for language in ["vi", "en"]:
        if language == "en":
            _english(client)
        page = _page(client.get("/"))
        heatmap = re.search(r'<table class="heatmap">.*?</table>', page)
        assert heatmap
        cells = re.findall(
            r'<td class="status-(\w+)"><a href="[^"]*#indicator-([\w-]+)" title="([^"]*)">'
            r'<span aria-hidden="true">[^<]*</span><span class="visually-hidden">([^<]*)</span>'
            r"</a></td>",
            heatmap.group(0),
        )
        assert len(cells) == heatmap.group(0).count('<td class="status-'), heatmap.group(0)
        assert cells
        with translation.override(language):
            for status, anchor, title, hidden in cells:
                words = f"{anchor}: {Progress.Status(status).label}"
                # A former unit's figure is named after the status ("— Bắc Kạn (…)").
                assert title == hidden, (title, hidden)
                assert title == words or title.startswith(f"{words} — "), (title, words)
    assert re.search(r"\.visually-hidden \{[^}]*clip:", CSS.read_text(encoding="utf-8"))


def test_every_page_starts_with_a_skip_link_to_its_main_content(client: Client) -> None:
    """A keyboard went through the header's dozen links and buttons on every page before
    reaching its content."""
    _english(client)
    for url in ["/", "/provinces/", "/indicators/SCP-07/", "/login/"]:
        page = _page(client.get(url))
        body = page[page.index("<body") :]
        first = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
        assert first and first.group(0) == '<a class="skip-link" href="#content">', url
        assert body.count('<main id="content">') == 1 and body.count('id="content"') == 1, url
        assert '<a class="skip-link" href="#content">Skip to content</a>' in body


@pytest.fixture
def production(settings) -> None:  # type: ignore[no-untyped-def]
    """As served in production: no debug pages."""
    settings.DEBUG = False


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_missing_page_is_the_sites_own_in_the_readers_language(
    client: Client, language: str
) -> None:
    """Django's bare English "Not Found" page answered any address that is not one of
    ours, with no way back to the site."""
    if language == "en":
        _english(client)
    response = client.get("/provinces/nowhere/")
    assert response.status_code == 404
    page = _page(response)
    assert f'<html lang="{language}">' in page
    assert "The requested resource was not found on this server" not in page
    assert '<main id="content">' in page and '<a class="brand" href="/">' in page
    if language == "en":
        assert "<h1>Page not found</h1>" in page
        assert '<a href="/">Go to the programme overview</a>' in page
    else:
        assert "Tỉnh, thành phố</a>" in page  # the site's menu, in Vietnamese


@pytest.mark.usefixtures("production")
def test_a_missing_api_address_still_answers_in_json(client: Client) -> None:
    response = client.get("/api/v1/nowhere/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Không tìm thấy."}
    response = client.get("/api/v1/nowhere/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"detail": "Not found."}


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_server_error_is_the_sites_own_page_in_the_readers_language(
    client: Client, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """A failure showed Django's bare "Server Error (500)"."""

    def broken() -> None:
        raise RuntimeError("the database is down")

    monkeypatch.setattr(programmes_views, "programme_summary", broken)
    if language == "en":
        _english(client)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    page = _page(response)
    assert f'<html lang="{language}">' in page
    assert "Server Error (500)" not in page
    assert '<main id="content">' in page and '<a href="/">' in page
    if language == "en":
        assert "<h1>Server error</h1>" in page


def test_the_server_error_page_needs_neither_the_request_nor_the_database(
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    with translation.override("en"), django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "<h1>Server error</h1>" in response.content.decode()


@pytest.mark.usefixtures("production")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_refused_form_is_the_sites_own_page_in_the_readers_language(language: str) -> None:
    """A form sent without its CSRF token (a page open for too long, cookies blocked) got
    Django's English "CSRF verification failed" page."""
    client = Client(enforce_csrf_checks=True)
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = _page(response)
    assert f'<html lang="{language}">' in page
    assert "CSRF verification failed" not in page
    assert '<main id="content">' in page and '<a class="brand" href="/">' in page
    if language == "en":
        assert "<h1>The form could not be sent</h1>" in page
        assert '<a href="/">Go to the programme overview</a>' in page


def test_the_former_provinces_header_and_title_give_the_day_in_the_readers_language(
    client: Client,
) -> None:
    """In English the column read "Merged into (from 1/7/2025)", a Vietnamese-style day
    written into the text, and both views were titled "Provinces"."""
    _english(client)
    former = _page(client.get("/provinces/?view=former"))
    assert '<th scope="col">Merged into (from 1 Jul 2025)</th>' in former
    assert "1/7/2025" not in former
    assert "<title>Provinces in force until 30 Jun 2025 · SCP Tracker</title>" in former
    assert "<title>Provinces · SCP Tracker</title>" in _page(client.get("/provinces/"))
    client.post("/i18n/setlang/", {"language": "vi"})
    former = _page(client.get("/provinces/?view=former"))
    assert "<title>Tỉnh, thành phố có hiệu lực đến 30/6/2025 · Theo dõi SXTD</title>" in former


def test_a_source_page_is_headed_by_its_citation_not_its_file_name(client: Client) -> None:
    """The page had no heading, and its title and kicker named the stored file ("Source
    004_6edeba63036783fe.txt") that every citation calls "bài báo lưu 004"."""
    response = client.get("/sources/004_6edeba63036783fe.txt/")
    page = _page(response)
    assert "<h1>Bài báo lưu 004</h1>" in page
    assert "<title>Bài báo lưu 004 · Theo dõi SXTD</title>" in page
    assert "6edeba63036783fe" not in _visible_text(response)
    _english(client)
    assert "<h1>Stored article 004</h1>" in _page(client.get("/sources/004_6edeba63036783fe.txt/"))


def test_a_stored_articles_link_has_no_file_name_tooltip(client: Client) -> None:
    """Every "bài báo lưu 004" link carried title="seed 004_….txt"."""
    bac_kan = province_for_code_in_year(code="06", year=2024)
    for url in ["/", "/indicators/BK-NLTT-CS/", f"/provinces/{bac_kan.pk}/"]:
        page = _page(client.get(url))
        assert re.search(r'<a href="/sources/\d{3}_[0-9a-f]{16}\.txt/">bài báo lưu \d{3}</a>', page)
        assert "seed 0" not in page, url


def test_only_the_vietnamese_words_of_a_target_are_marked_vietnamese(client: Client) -> None:
    """On English pages a target's cell was marked Vietnamese whole, our English note and
    the citation "stored article 004" with it."""
    _english(client)
    bac_kan = province_for_code_in_year(code="06", year=2024)
    found = _languages(client.get(f"/provinces/{bac_kan.pk}/"))
    target = Target.objects.get(indicator__code="BK-NLTT-TT", year=2030)
    assert target.note_en
    assert _lang_of(found.texts, target.text_vi) == {"vi"}
    assert _lang_of(found.texts, target.note_en) == {"en"}
    assert _lang_of(found.texts, "stored article 004") == {"en"}
    programme = Document.objects.get(number="889/QĐ-TTg")
    found = _languages(client.get(f"/documents/{programme.pk}/"))
    assert _lang_of(found.texts, "giảm 5-8% mức tiêu hao nguyên nhiên vật liệu") == {"vi"}
    assert _lang_of(found.texts, programme.issuer) == {"vi"}
    assert {lang for lang, text in found.texts if text.startswith("doanhnghiepthuonghieu.vn/")} == {
        "en"
    }


def test_the_home_pages_vietnamese_issuer_and_target_tooltips_are_marked_vietnamese(
    client: Client,
) -> None:
    """On the English overview the issuer ("Thủ tướng Chính phủ …") and the tooltips giving
    each national target in the document's words (SCP-01's "xây dựng chính sách …") were
    marked English; the figure a tooltip stands on stays English."""
    _english(client)
    found = _languages(client.get("/"))
    programme = Document.objects.get(number="889/QĐ-TTg")
    assert _lang_of(found.texts, programme.issuer) == {"vi"}
    for target in Target.objects.filter(indicator__code="SCP-01", province=None):
        assert _lang_of(found.titles, target.text_vi) == {"vi"}
    assert _lang_of(found.texts, "qualitative") == {"en"}


def test_an_officers_note_and_the_ministrys_reasons_are_marked_vietnamese(people) -> None:  # type: ignore[no-untyped-def]
    """_value_table.html marked a value's note Vietnamese; the report page did not, nor the
    reason a report was returned for, in the notice and in the review history."""
    officer = people["officer_hanoi"]
    report = report_open(province=officer.province, year=2023, by=officer)
    ReportedValue.objects.create(
        report=report,
        indicator=Indicator.objects.get(code="SCP-07"),
        value=Decimal("88"),
        note="Số liệu của 40 siêu thị",
        source="test",
    )
    report_submit(report=report, by=officer)
    reason = "Thiếu nguồn số liệu"
    report_return(report=report, by=people["reviewer"], reason=reason)
    client = _english(client_for(officer))
    found = _languages(client.get(f"/reports/{report.pk}/"))
    assert _lang_of(found.texts, "Số liệu của 40 siêu thị") == {"vi"}
    # The notice saying why it came back, and the step in the review history ("“…”").
    assert _lang_of(found.texts, reason) == {"vi"}
    assert len([text for _lang, text in found.texts if text == reason]) == 2


@pytest.mark.parametrize(("language", "name"), [("vi", "Toàn quốc"), ("en", "National")])
def test_the_national_rows_unit_name_follows_the_language_and_its_code_does_not(
    client: Client, language: str, name: str
) -> None:
    """The English progress export named the nation "Toàn quốc"."""
    if language == "en":
        _english(client)
    for dataset in ["progress", "values"]:
        response = client.get(f"/exports/{dataset}.csv")
        assert response.status_code == 200
        body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        rows = list(csv.DictReader(io.StringIO(body)))
        national = [row for row in rows if row["unit_code"] == "VN"]
        assert national, dataset
        assert {row["unit_name"] for row in national} == {name}, dataset
