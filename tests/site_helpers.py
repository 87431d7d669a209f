"""Shared test helpers: serve the built site on 127.0.0.1 and drive it in
Debian's Chromium with every other host blocked (browser tests,
scripts/screenshots.py), and load the book's build extension."""

import contextlib
import functools
import http.server
import importlib.util
import os
import threading
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
# Flags for Chromium as root in a container with no network: without the
# background-networking ones it keeps trying to reach Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory=SITE):
    """Serve ``directory`` on 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def launch(playwright):
    """Launch Debian's Chromium (Playwright's own browser cannot be downloaded here)."""
    path = os.environ.get("DLBOOK_CHROMIUM", CHROMIUM)
    if not Path(path).exists():
        raise RuntimeError(f"{path} not found: install Debian's chromium (scripts/ensure-chromium.sh)")
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)


def block_other_hosts(context, base_url, blocked):
    """Abort every request to a host other than the local server; record it in ``blocked``."""
    local = urlparse(base_url).netloc

    def route(r):
        url = urlparse(r.request.url)
        if url.scheme in ("data", "blob") or url.netloc == local:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)


def pages(site=SITE):
    """Every HTML page of the book (the chapters, the landing page), as paths relative to the site."""
    found = sorted(p.relative_to(site).as_posix() for p in (site / "book").rglob("*.html"))
    return ["index.html"] + found


def load_build_extension(book_root=ROOT):
    """The module book/_ext/dlbook_build.py of a book (this repository by default)."""
    path = Path(book_root) / "book" / "_ext" / "dlbook_build.py"
    spec = importlib.util.spec_from_file_location(f"dlbook_build_{abs(hash(str(path)))}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
