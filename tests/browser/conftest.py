import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from accounts.services import DEMO_ACCOUNTS
from progress.models import RecomputeRun
from progress.services import progress_recompute_now
from reference.services import reference_data_load
from tests.tooling import require_tool

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests
# make there are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def follow(target: Any) -> None:
    """Click ``target`` and wait for the page it opens. Playwright's click returns before a
    navigation it starts has loaded, so what a test reads next, on the page or in the
    database the server writes, could still be from before the click."""
    with target.page.expect_navigation():
        target.click()


@pytest.fixture
def site(live_server, transactional_db) -> str:  # type: ignore[no-untyped-def]
    """The live server with the reference data and its progress, as after a deployment's
    load and recompute; transactional tests start from a flushed DB."""
    reference_data_load()
    progress_recompute_now(trigger=RecomputeRun.Trigger.COMMAND)
    return live_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageWatch:
    """What a page did that a person would not want: console errors, requests off the server."""

    def __init__(self, page, origin: str) -> None:  # type: ignore[no-untyped-def]
        self.page = page
        self.errors: list[str] = []
        self.foreign_requests: list[str] = []
        host = urlsplit(origin).netloc
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on(
            "request",
            lambda r: (
                urlsplit(r.url).netloc not in {host, ""}
                and not r.url.startswith("data:")
                and self.foreign_requests.append(r.url)
            ),
        )

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def watched_page(browser, site: str) -> Iterator[PageWatch]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    watch = PageWatch(context.new_page(), site)
    yield watch
    context.close()
    assert watch.errors == []
    assert watch.foreign_requests == []


@pytest.fixture
def phone(browser, site: str) -> Iterator[PageWatch]:  # type: ignore[no-untyped-def]
    """A watched page on a phone: 390 × 844, a touch screen, its browser's mobile viewport."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="en-US"
    )
    watch = PageWatch(context.new_page(), site)
    yield watch
    context.close()
    assert watch.errors == []
    assert watch.foreign_requests == []


@pytest.fixture
def login(browser, site: str) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    """Log in, on a screen ``width`` × ``height``, as one of `make run`'s demo accounts with
    its published password, or as a test's own user with ``password``. Each browser is
    closed when the test ends, so that no kept-alive connection still holds a server thread
    when the live server stops."""
    contexts = []

    def login_as(username: str, password: str = "", width: int = 1280, height: int = 900) -> Any:
        if not password:
            password = next(d.password for d in DEMO_ACCOUNTS if d.username == username)
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{site}/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        follow(page.locator("main").get_by_role("button", name="Đăng nhập"))
        return page

    yield login_as
    for context in contexts:
        context.close()
