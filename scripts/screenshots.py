"""Screenshots of the built site's pages in light and dark mode, for looking at.

Usage: .venv/bin/python scripts/screenshots.py [PAGE ...]  (default: every page)
Writes _build/screenshots/<page>-<light|dark>.png.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import site_helpers as sh  # noqa: E402

out = sh.ROOT / "_build" / "screenshots"
out.mkdir(parents=True, exist_ok=True)
wanted = sys.argv[1:] or sh.pages()
with sh.serve() as base, sync_playwright() as p:
    browser = sh.launch(p)
    for scheme in ("light", "dark"):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        sh.block_other_hosts(ctx, base, blocked := [])
        page = ctx.new_page()
        for name in wanted:
            page.goto(f"{base}/{name}", wait_until="networkidle")
            page.wait_for_timeout(1500)  # MathJax and widgets render after load
            target = out / f"{Path(name).stem}-{scheme}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target, "blocked:", blocked)
        ctx.close()
    browser.close()
