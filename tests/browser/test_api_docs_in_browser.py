from pathlib import Path

import pytest

from .conftest import follow

pytestmark = pytest.mark.browser

# WCAG's contrast ratio of an element's text (or of its ::after's) against what lies under
# it: the first opaque background up its ancestors, with the translucent ones above it
# blended in, as axe computes it.
CONTRAST_JS = """([selector, pseudo]) => {
  const rgba = (css) => {
    const [r, g, b, a = 1] = css.match(/[\\d.]+/g).map(Number);
    return { r, g, b, a };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }) => {
    const linear = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const background = (element) => {
    const layers = [];
    for (let e = element; e; e = e.parentElement) {
      const colour = rgba(getComputedStyle(e).backgroundColor);
      if (colour.a > 0) layers.unshift(colour);
      if (colour.a >= 1) break;
    }
    return layers.reduce((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
  };
  return [...document.querySelectorAll(selector)]
    .filter((element) => element.getClientRects().length > 0)
    .map((element) => {
      const style = getComputedStyle(element, pseudo);
      const under = background(element);
      const [l1, l2] = [luminance(over(rgba(style.color), under)), luminance(under)];
      const text = pseudo ? style.content : element.textContent.trim().slice(0, 20);
      return [text, (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)];
    });
}"""


def test_api_docs_render_the_operations_offline(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """Swagger UI comes from the sidecar package: no request leaves the server."""
    page = watched_page.page
    page.goto(site + "/api/docs/")
    page.locator(".opblock").first.wait_for(timeout=15000)
    operations = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/values/" in {text.replace("\u200b", "") for text in operations}
    assert page.locator(".opblock").count() >= 17
    watched_page.screenshot("api-docs")
    # watched_page asserts at teardown: no console error, no request off 127.0.0.1.


def test_export_link_on_the_indicator_page_downloads_a_csv(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    page.goto(site + "/indicators/BK-NLTT-CS/")
    with page.expect_download() as download:
        page.locator("[data-export=values-csv]").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert text.startswith("unit_code,") and "Bắc Kạn" in text


def test_redoc_renders_the_operations_under_the_content_security_policy(
    watched_page, site: str
) -> None:  # type: ignore[no-untyped-def]
    page = watched_page.page
    response = page.goto(site + "/api/redoc/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("/api/v1/values/").first.wait_for(timeout=15000)
    # Redoc's footer keeps its words, without the logo it asked cdn.redoc.ly for: the
    # policy refused it, with an error on the console and a broken image.
    footer = page.get_by_role("link", name="API docs by Redocly")
    footer.wait_for(timeout=15000)
    assert footer.locator("img").count() == 0
    watched_page.screenshot("api-redoc")
    # watched_page asserts at teardown: no console error, no request off the server.


def test_an_injected_inline_script_does_not_run(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """A note or source that slipped a <script> past escaping would still not run: the
    policy allows only the server's own script files."""
    page = watched_page.page
    page.goto(site + "/")
    page.evaluate(
        """() => { const s = document.createElement('script');
        s.textContent = 'window.injected = true'; document.body.appendChild(s); }"""
    )
    assert page.evaluate("window.injected === undefined")
    # The browser reports the refusal on the console; that one is expected here.
    assert [e for e in watched_page.errors if "Content Security Policy" in e]
    watched_page.errors.clear()


def test_the_docs_read_in_the_language_chosen_on_the_site(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """The header's VI/EN choice carries to both docs pages: their lang, which picks the
    screen reader's voice, and the schema's descriptions it reads in that voice."""
    page = watched_page.page
    for language, unit_filter in [("en", "Id of a unit."), ("vi", "Mã số (id) của đơn vị.")]:
        page.goto(site + "/")
        follow(page.locator(f"button[name=language][value={language}]"))
        page.goto(site + "/api/docs/")
        assert page.evaluate("document.documentElement.lang") == language
        operation = page.locator("#operations-progress-progress_list")
        operation.locator(".opblock-summary").click()
        operation.get_by_text(unit_filter, exact=True).wait_for(timeout=15000)
        watched_page.screenshot(f"api-docs-{language}")
        page.goto(site + "/api/redoc/")
        assert page.evaluate("document.documentElement.lang") == language
        page.get_by_text(unit_filter, exact=True).first.wait_for(timeout=15000, state="attached")


def test_swagger_ui_text_meets_wcag_aa_contrast(watched_page, site: str) -> None:  # type: ignore[no-untyped-def]
    """The elements whose default colours fell short of 4.5:1 (static/css/api-docs.css, and
    the highlighter's theme in SPECTACULAR_SETTINGS), measured as drawn."""
    page = watched_page.page
    page.goto(site + "/api/docs/")
    listing = page.locator("#operations-progress-progress_list")
    listing.locator(".opblock-summary").click()
    listing.locator(".try-out__btn").click()
    listing.locator(".execute").click()
    listing.locator(".live-responses-table .download-contents").wait_for(timeout=15000)
    page.locator("#operations-reports-reports_values_partial_update .opblock-summary").click()
    page.locator("#model-AssessmentInRequest .model-box-control").click()
    watched_page.screenshot("api-docs-contrast")
    checked = [
        (".opblock-summary-method", None),  # GET, POST, PUT, PATCH
        (".btn.authorize span", None),
        (".info .title small pre", None),  # the version and OAS badges
        (".info a", None),
        (".parameter__in", None),
        (".parameter__name.required span", None),
        (".parameter__name.required", "::after"),
        ("table.model tr.property-row .star", None),
        (".renderedMarkdown code", None),
        (".btn.execute", None),
        (".btn.cancel", None),
        (".download-contents", None),
        (".highlight-code span[style*=color]", None),
    ]
    too_faint = {}
    for selector, pseudo in checked:
        measured = page.evaluate(CONTRAST_JS, [selector, pseudo])
        assert measured, selector
        too_faint[selector] = [(text, round(ratio, 2)) for text, ratio in measured if ratio < 4.5]
    assert {selector: low for selector, low in too_faint.items() if low} == {}
