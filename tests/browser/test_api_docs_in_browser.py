from pathlib import Path

import pytest

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
