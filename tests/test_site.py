"""The built site in a real browser (Debian's Chromium), served on 127.0.0.1
with every other host blocked: no console errors, no failed or foreign
requests, math typeset, each widget rendered once, and frames widgets that
respond to their controls with no kernel."""

import re

import pytest

import site_helpers as sh

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

if not (sh.SITE / "index.html").exists():
    pytest.fail(f"no built site at {sh.SITE}: run `make book` first", pytrace=False)

PAGES = sh.pages()

# Wait for MathJax (if the page loads it) and for the widget manager to have
# rendered every embedded view.
SETTLE = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  const views = document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length;
  for (let i = 0; i < 100; i++) {
    if (document.querySelectorAll('.widget-subarea').length >= views) break;
    await new Promise(r => setTimeout(r, 100));
  }
}"""

# A fingerprint of the frame a frames widget shows now (its pixels).
FRAME_PIXELS = """(box) => {
  const img = [...box.querySelectorAll('img.widget-image')].find(i => i.offsetParent !== null);
  if (!img || !img.complete || !img.naturalWidth) return null;
  const c = document.createElement('canvas');
  c.width = img.naturalWidth; c.height = img.naturalHeight;
  c.getContext('2d').drawImage(img, 0, 0);
  return c.toDataURL();
}"""


@pytest.fixture
def page(site, request):
    """A page in Chromium, 1280x900 unless the test is parametrized
    indirectly with another (width, height)."""
    base, browser = site
    width, height = getattr(request, "param", (1280, 900))
    context = browser.new_context(viewport={"width": width, "height": height})
    blocked, problems = [], []
    sh.block_other_hosts(context, base, blocked)
    pg = context.new_page()
    pg.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: r.url not in blocked and problems.append(f"request failed: {r.url}"))
    pg.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
    pg.base, pg.blocked, pg.problems = base, blocked, problems
    yield pg
    context.close()


def open_page(page, name):
    page.goto(f"{page.base}/{name}", wait_until="networkidle")
    page.evaluate(SETTLE)
    page.wait_for_timeout(300)


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_and_offline(page, name):
    open_page(page, name)
    assert page.blocked == [], f"{name} requested other hosts: {page.blocked}"
    assert page.problems == [], f"{name}: {page.problems}"
    html = (sh.SITE / name).read_text()
    foreign = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert foreign == [], f"{name} references assets on other hosts: {foreign}"


@pytest.mark.parametrize("name", PAGES)
def test_math_is_typeset(page, name):
    open_page(page, name)
    math = page.locator(".math").count()
    typeset = page.locator("mjx-container").count()
    assert typeset >= math, f"{name}: {math} formulas, only {typeset} typeset"
    if math:
        assert page.locator("mjx-container mjx-math").count() >= math
        assert page.locator(".math:not(:has(mjx-container))").count() == 0


@pytest.mark.parametrize("name", PAGES)
def test_each_widget_renders_once(page, name):
    open_page(page, name)
    html = (sh.SITE / name).read_text()
    assert html.count("embed-amd.js") <= 1, f"{name} loads the widget manager more than once"
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]')
    for i in range(views.count()):
        rendered = views.nth(i).evaluate("s => s.parentElement.querySelectorAll(':scope > .widget-subarea').length")
        assert rendered == 1, f"{name}: widget view {i} rendered {rendered} times"
        inner = views.nth(i).evaluate("s => s.parentElement.querySelectorAll('.jupyter-widgets').length")
        assert inner > 0, f"{name}: widget view {i} rendered empty"
    assert page.locator(".widget-subarea").count() == views.count()
    # a view that fails to render leaves ipywidgets' error placeholder instead
    errors = page.locator(".jupyter-widgets-error-widget")
    assert errors.count() == 0, f"{name}: {errors.count()} widget view(s) failed to render"


FRAMES_PAGES = [n for n in PAGES if "dlbook-frames" in (sh.SITE / n).read_text()]


def test_some_page_has_a_frames_widget():
    assert FRAMES_PAGES, "no page embeds a frames widget; the browser check below would test nothing"


@pytest.mark.parametrize("page", [(1280, 900), (1280, 720), (390, 844)], indirect=True,
                         ids=["desktop", "laptop", "phone"])
@pytest.mark.parametrize("name", FRAMES_PAGES)
def test_frames_widgets_respond_to_their_controls(page, name):
    open_page(page, name)
    boxes = page.locator(".dlbook-frames")
    assert boxes.count() > 0
    # nothing wider than the window: no sideways scrolling of the page, and
    # every widget inside the window
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name}: the page scrolls sideways"
    for i in range(boxes.count()):
        box = boxes.nth(i)
        assert box.evaluate("b => b.scrollWidth <= b.clientWidth"), f"{name}: frames widget {i} overflows its box"
        assert box.evaluate("b => b.getBoundingClientRect().right") <= width, f"{name}: frames widget {i} sticks out"
    for i in range(boxes.count()):
        box = boxes.nth(i)
        box.scroll_into_view_if_needed()
        controls = box.locator(".noUi-handle, select")
        assert controls.count() > 0, f"{name}: frames widget {i} has no control"
        for j in range(controls.count()):
            before = box.evaluate(FRAME_PIXELS)
            assert before, f"{name}: frames widget {i} shows no picture"
            control = controls.nth(j)
            if control.evaluate("e => e.tagName") == "SELECT":
                options = control.locator("option")
                current = control.evaluate("e => e.selectedIndex")
                control.select_option(index=(current + 1) % options.count())
            else:
                control.focus()
                now, top = (int(float(control.get_attribute(a))) for a in ("aria-valuenow", "aria-valuemax"))
                control.press("ArrowLeft" if now == top else "ArrowRight")
            page.wait_for_timeout(300)
            after = box.evaluate(FRAME_PIXELS)
            assert after and after != before, f"{name}: frames widget {i}, control {j} did not change the picture"
        play = box.locator(".widget-play button").first
        if play.count():
            before = box.evaluate(FRAME_PIXELS)
            play.click()
            page.wait_for_timeout(1200)  # the Play widgets step every 400 ms
            play.click()                 # pause
            assert box.evaluate(FRAME_PIXELS) != before, f"{name}: frames widget {i}: Play did not animate"
    assert page.problems == [], page.problems
