"""Accessibility of the built site in Chromium: axe-core's WCAG 2.0/2.1 A and
AA rules on every page in light and dark mode, and widgets usable by
keyboard. axe-core is vendored in tests/vendor/axe-core, so this runs
offline."""

import pytest

import site_helpers as sh
from test_site import SETTLE, FRAME_PIXELS

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

AXE = (sh.ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").read_text()
PAGES = sh.pages()
RUN_AXE = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag',
      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return r.violations.map(v => ({id: v.id, impact: v.impact,
      nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}));
}"""


# a desktop, a laptop's shorter screen and a phone: axe's scrollable-region and
# reflow findings depend on the viewport
VIEWPORTS = {"desktop": (1280, 900), "laptop": (1280, 720), "phone": (390, 844)}
# every page in both colour schemes on the desktop; the others in light mode
# (the layout does not depend on the scheme)
CASES = [("light", "desktop"), ("dark", "desktop"), ("light", "laptop"), ("light", "phone")]


def open_page(site, name, scheme="light", viewport="desktop"):
    base, browser = site
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    sh.block_other_hosts(context, base, [])
    page = context.new_page()
    page.goto(f"{base}/{name}", wait_until="networkidle")
    page.evaluate(SETTLE)
    page.wait_for_timeout(300)
    return context, page


@pytest.mark.parametrize("scheme, viewport", CASES)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(site, name, scheme, viewport):
    context, page = open_page(site, name, scheme, viewport)
    try:
        # the theme follows the system setting ("auto"); make sure it did
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        page.add_script_tag(content=AXE)
        violations = page.evaluate(RUN_AXE)
    finally:
        context.close()
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name} ({scheme}, {viewport}): " + "; ".join(f"{v['id']} ({v['impact']}): {v['nodes']}" for v in bad)


def test_axe_finds_a_planted_violation(site):
    """The check above can fail: an image without alt text is reported."""
    context, page = open_page(site, "index.html")
    try:
        page.evaluate("""() => { const i = document.createElement('img');
            i.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.querySelector('main').append(i); }""")
        page.add_script_tag(content=AXE)
        ids = [v["id"] for v in page.evaluate(RUN_AXE)]
    finally:
        context.close()
    assert "image-alt" in ids


FRAMES_PAGES = [n for n in PAGES if "dlbook-frames" in (sh.SITE / n).read_text()]


@pytest.mark.parametrize("name", FRAMES_PAGES)
def test_frames_widgets_work_by_keyboard(site, name):
    """Tab reaches each frames widget's first control, and the arrow keys (a
    slider) or the keyboard's choice of option (a dropdown) change the frame."""
    context, page = open_page(site, name)
    try:
        boxes = page.locator(".dlbook-frames")
        for i in range(boxes.count()):
            box = boxes.nth(i)
            box.scroll_into_view_if_needed()
            control = box.locator(".noUi-handle, select").first
            # start from the last focusable element before the widget and tab in
            page.evaluate("""(box) => {
                const all = [...document.querySelectorAll('a[href], button, select, [tabindex]')]
                  .filter(e => e.tabIndex >= 0 && e.offsetParent !== null);
                const before = all.filter(e => e.compareDocumentPosition(box) & Node.DOCUMENT_POSITION_FOLLOWING
                                               && !box.contains(e));
                (before[before.length - 1] || document.body).focus();
            }""", box.element_handle())
            for _ in range(10):
                page.keyboard.press("Tab")
                if control.evaluate("e => e === document.activeElement"):
                    break
            else:
                pytest.fail(f"{name}: Tab does not reach the first control of frames widget {i}")
            before = box.evaluate(FRAME_PIXELS)
            if control.evaluate("e => e.tagName") == "SELECT":
                last = control.evaluate("e => e.selectedIndex === e.options.length - 1")
                page.keyboard.press("ArrowUp" if last else "ArrowDown")
            else:
                now, top = (float(control.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemax"))
                page.keyboard.press("ArrowLeft" if now == top else "ArrowRight")
            page.wait_for_timeout(300)
            assert box.evaluate(FRAME_PIXELS) != before, \
                f"{name}: the keyboard did not change frames widget {i}"
    finally:
        context.close()
