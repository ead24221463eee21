"""Browser tests: Debian's Chromium driven by Playwright's sync API against pytest-django's
live server (a real HTTP server in a thread, transactional database).

Playwright's sync API runs an asyncio event loop in the test thread, so Django would refuse
every ORM call made there (fixtures, teardown flush) as "async unsafe"; the test thread only
builds fixtures and reads, and the live server answers the browser from its own threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = f"{CHROMIUM} is missing: the browser tests need Debian's chromium package"
# Generous for a loaded CI machine (-n 2); expect() polls, so a fast page costs nothing.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test process (per xdist worker)."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def fast_site(settings: Any, tmp_path: Path) -> Any:
    """Settings for a browser test: uploads under tmp_path, cheap password hashing."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.QAWARD_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
    return settings


@pytest.fixture
def new_context(browser: Any, live_server: Any, fast_site: Any) -> Iterator[Callable[[], Any]]:
    """A factory of fresh browser contexts (separate cookies: one per person), closed after
    the test."""
    contexts: list[Any] = []

    def make() -> Any:
        ctx = browser.new_context(base_url=live_server.url, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
