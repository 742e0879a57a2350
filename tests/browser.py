"""Headless Debian Chromium through Playwright, for the page and WebVTT tests.

Skips (with the reason) only when Chromium is missing and CI is unset; in CI
a missing browser is a failure, never a skip.
"""
from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--allow-file-access-from-files"]


# Module scope: each test module imports this fixture, so each gets its own instance; a
# session-scoped one would leave Playwright's loop running into the next module (asyncio.run
# then fails there, and a second sync_playwright() refuses to start).
@pytest.fixture(scope="module")
def chromium():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: .ci/run must install it")
        pytest.skip("Chromium not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def chromium_page(chromium):
    context = chromium.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def shot(page, name: str) -> None:
    """A screenshot of a key state, when BROADCASTER_SCREENSHOTS names a folder to keep them in."""
    folder = os.environ.get("BROADCASTER_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"))
