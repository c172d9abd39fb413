import pytest

pytestmark = pytest.mark.browser


def test_the_first_tab_shows_a_skip_link_that_leads_past_the_header(
    watched_page, site: str
) -> None:  # type: ignore[no-untyped-def]
    """A keyboard went through the header's links and buttons on every page before reaching
    its content. The first Tab now shows "skip to content", out of sight until then, and
    following it the next Tab is inside the page's content."""
    page = watched_page.page
    page.goto(site + "/provinces/")
    link = page.locator("a.skip-link")
    hidden = link.bounding_box()
    assert hidden is not None and hidden["y"] + hidden["height"] <= 0
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    shown = link.bounding_box()
    assert shown is not None and shown["y"] >= 0 and shown["y"] + shown["height"] <= 900
    # It stands over the header, not under it.
    middle = (shown["x"] + shown["width"] / 2, shown["y"] + shown["height"] / 2)
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).className", middle) == (
        "skip-link"
    )
    watched_page.screenshot("skip-link")
    page.keyboard.press("Enter")
    assert page.url.endswith("/provinces/#content")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert page.evaluate("document.activeElement.tagName") == "A"
