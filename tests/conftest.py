import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def site():
    """The built site served on 127.0.0.1, and Debian's Chromium: (base URL, browser)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    import site_helpers as sh

    with sh.serve() as base, playwright_api.sync_playwright() as p:
        browser = sh.launch(p)
        yield base, browser
        browser.close()
