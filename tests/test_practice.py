"""Practice in the built book: every content chapter has check-yourself
questions that answer in the static page (right, wrong, keyboard, after
answering still accessible), numeric answers equal the chapter's glued
values; the lecture companion maps every slide to a section that exists."""

import html
import json
import re
from pathlib import Path

import pytest

import site_helpers as sh
from test_a11y import AXE, RUN_AXE
from test_a11y import open_page as open_page_in

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = sh.ROOT
CONTENT = [p for p in sh.pages() if p.startswith("book/") and p not in
           ("book/intro.html", "book/how-to-use.html", "book/references.html", "book/companion.html")]
SLIDES = ROOT / "tests" / "data" / "slide-titles.txt"
SHARED_SLIDES = ROOT.parent / "shared" / "lecture" / "week2-slides.md"


def test_ten_content_chapters():
    assert len(CONTENT) == 10, CONTENT


def quiz_forms(name):
    text = (sh.SITE / name).read_text(encoding="utf-8")
    return re.findall(r'<form data-kind="(choice|number)"([^>]*)>', text)


@pytest.mark.parametrize("name", CONTENT)
def test_each_chapter_has_three_to_six_questions(name):
    forms = quiz_forms(name)
    assert 3 <= len(forms) <= 6, f"{name}: {len(forms)} questions"
    kinds = {k for k, _ in forms}
    assert "choice" in kinds, "every chapter has a multiple-choice question"


def glued_numbers(name):
    path = ROOT / "_build" / "jupyter_execute" / name.replace(".html", ".glue.json")
    values = []
    for item in json.loads(path.read_text()).values():
        try:
            values.append(float(item["data"]["text/plain"]))
        except (KeyError, ValueError):
            pass
    return values


@pytest.mark.parametrize("name", CONTENT)
def test_numeric_answers_are_glued_values(name):
    """Computed in the build: each answer is a value the chapter glues."""
    glued = glued_numbers(name)
    for kind, attrs in quiz_forms(name):
        if kind == "number":
            answer = float(html.unescape(re.search(r'data-answer="([^"]+)"', attrs).group(1)))
            assert any(abs(answer - g) <= 1e-9 * max(1, abs(g)) for g in glued), (name, answer)


def feedback(form):
    return form.locator(".dlbook-q-feedback").inner_text()


@pytest.mark.parametrize("name", CONTENT)
def test_questions_answer_in_the_static_page(site, name):
    context, page = open_page_in(site, name)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        forms = page.locator(".dlbook-quiz form")
        assert forms.count() == len(quiz_forms(name))
        for i in range(forms.count()):
            form = forms.nth(i)
            form.scroll_into_view_if_needed()
            if form.get_attribute("data-kind") == "choice":
                radios = form.locator("input[type=radio]")
                right = [radios.nth(k).get_attribute("data-correct") for k in range(radios.count())].index("1")
                wrong = (right + 1) % radios.count()
                form.locator("label").nth(wrong).click()
                assert feedback(form).startswith("✗ Not quite. ")
                assert feedback(form).endswith(radios.nth(wrong).get_attribute("data-why"))
                form.locator("label").nth(right).click()
                assert feedback(form).startswith("✓ Right. ")
            else:
                answer = float(form.get_attribute("data-answer"))
                tol = float(form.get_attribute("data-tol"))
                box = form.locator("input")
                box.fill(repr(answer + 10 * tol + 1 + abs(answer)))
                box.press("Enter")
                assert feedback(form).startswith("✗ Not quite.")
                box.fill(repr(answer))
                box.press("Enter")
                assert feedback(form).startswith("✓ Right. ")
                # "Show the answer" holds the answer as the question expects it
                shown = form.locator("details").inner_text()
                assert form.locator("details").evaluate("d => !d.open")
                assert shown.strip().startswith("Show the answer")
        assert errors == []
    finally:
        context.close()


def test_keyboard_answers_a_chapter_question(site):
    context, page = open_page_in(site, "book/cnn/pooling-first-cnn.html")
    try:
        form = page.locator(".dlbook-quiz form").first
        form.scroll_into_view_if_needed()
        form.locator("input").first.focus()
        page.keyboard.type("13")
        page.keyboard.press("Enter")
        assert feedback(form).startswith("✓ Right.")
        choice = page.locator('.dlbook-quiz form[data-kind="choice"]').first
        choice.locator("input").first.focus()
        page.keyboard.press("ArrowDown")
        assert feedback(choice) != ""
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_answered_questions_stay_accessible(site, scheme):
    """axe after answering (the feedback is new content), in both colour modes."""
    context, page = open_page_in(site, "book/fcnn/softmax-cross-entropy.html", scheme)
    try:
        for form in page.locator('.dlbook-quiz form[data-kind="choice"]').all():
            form.locator("label").first.click()
        for form in page.locator('.dlbook-quiz form[data-kind="number"]').all():
            form.locator("input").fill("1")
            form.locator("input").press("Enter")
        page.add_script_tag(content=AXE)
        serious = [v for v in page.evaluate(RUN_AXE) if v["impact"] in ("serious", "critical")]
        assert serious == []
    finally:
        context.close()


# -- the lecture companion ------------------------------------------------------

def slide_titles():
    return [t for t in SLIDES.read_text(encoding="utf-8").split("\n") if t]


def test_slide_titles_are_the_lectures():
    """tests/data/slide-titles.txt is the slides' headings (checked where the slides are)."""
    if not SHARED_SLIDES.exists():
        pytest.skip("the lecture's slides are not beside this checkout")
    headings = re.findall(r"^# (.+?)\s*$", SHARED_SLIDES.read_text(encoding="utf-8"), re.M)
    assert slide_titles() == headings


def companion_rows():
    text = (sh.SITE / "book" / "companion.html").read_text(encoding="utf-8")
    table = text[text.index("<h2>Slides"):text.index("<h2>Exercises and notebooks")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows if "<td" in r]


def test_companion_lists_every_slide_once_in_order():
    rows = companion_rows()
    titles = [html.unescape(re.sub(r"<[^>]+>", "", cells[1])).strip() for cells in rows]
    plain = [t.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
             for t in titles]
    assert plain == slide_titles()
    assert [int(re.sub(r"<[^>]+>", "", cells[0])) for cells in rows] == list(range(1, len(rows) + 1))
    for cells in rows:
        assert re.search(r'<a class="reference internal" href="', cells[2]), cells[1]


def test_companion_links_resolve():
    page = sh.SITE / "book" / "companion.html"
    links = re.findall(r'<a class="reference internal" href="([^"]+)"', page.read_text(encoding="utf-8"))
    assert len(links) > 40
    for link in links:
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.is_file(), link
        if anchor:
            assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), link
