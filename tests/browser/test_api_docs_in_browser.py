from pathlib import Path

import pytest

from .conftest import follow

pytestmark = pytest.mark.browser


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
