"""dl.quiz: the questions' checks, their HTML, and the quiz in Chromium
(right and wrong answers, keyboard only, number formats), on a page of its
own; tests/test_site.py drives the quizzes of the built book."""

import re
from html.parser import HTMLParser

import numpy as np
import pytest

import dlbook as dl

MC = dl.quiz.choice("What does max pooling keep?", [
    ("Where the largest value sits", False, "The position is lost: only the value is kept."),
    ("The largest value of each window", True, "It keeps the maximum and drops the rest."),
    ("The mean of each window", False, "That is average pooling.")])
NUM = dl.quiz.number("How many weights has a 3×3 kernel on 16 channels, with bias?", np.int64(145),
                     explanation="3 · 3 · 16 + 1 = 145.", hint="Count the bias too.")
FRAC = dl.quiz.number("The softmax probability, to 2 decimals?", 0.2689414, tol=0.005,
                      explanation="e^0 / (e^0 + e^1) = 0.27.")


def test_choice_and_number_keep_what_they_are_given():
    assert [c for _, c, _ in MC.options] == [False, True, False]
    assert NUM.answer == 145.0 and NUM.shown == "145" and NUM.tol == 0
    assert FRAC.shown == "0.2689"
    assert dl.quiz.number("q", 1234567, explanation="e").shown == "1,234,567"
    assert dl.quiz.number("q", 0.97712, explanation="e", fmt=".1%").shown == "97.7%"


@pytest.mark.parametrize("make, error, match", [
    (lambda: dl.quiz.choice("q", [("a", True, "w")]), ValueError, "at least 2"),
    (lambda: dl.quiz.choice("q", [("a", True, "w"), ("b", True, "w")]), ValueError, "exactly one"),
    (lambda: dl.quiz.choice("q", [("a", False, "w"), ("b", False, "w")]), ValueError, "exactly one"),
    (lambda: dl.quiz.choice("q", [("a", 1, "w"), ("b", False, "w")]), TypeError, "True or False"),
    (lambda: dl.quiz.choice("q", [("a", True), ("b", False, "w")]), TypeError, "triple"),
    (lambda: dl.quiz.choice("q", [("a", True, ""), ("b", False, "w")]), ValueError, "empty"),
    (lambda: dl.quiz.choice("q", "ab"), TypeError, "sequence"),
    (lambda: dl.quiz.choice(3, [("a", True, "w"), ("b", False, "w")]), TypeError, "question must be a string"),
    (lambda: dl.quiz.number("q", "12", explanation="e"), TypeError, "real number"),
    (lambda: dl.quiz.number("q", np.array([1.0, 2.0]), explanation="e"), TypeError, "real number"),
    (lambda: dl.quiz.number("q", float("nan"), explanation="e"), ValueError, "finite"),
    (lambda: dl.quiz.number("q", 1.0, tol=-0.1, explanation="e"), ValueError, "tol must be >= 0"),
    (lambda: dl.quiz.number("q", 1.0, explanation=""), ValueError, "empty"),
    (lambda: dl.quiz.number("q", 1.0, explanation="e", fmt=3), TypeError, "format spec"),
    (lambda: dl.quiz.show(), ValueError, "at least one"),
    (lambda: dl.quiz.show("a question"), TypeError, "dl.quiz.choice or dl.quiz.number"),
])
def test_bad_input_gets_a_clear_error(make, error, match):
    with pytest.raises(error, match=match):
        make()


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_html_has_named_controls_and_is_reproducible():
    quiz = dl.quiz.show(MC, NUM, title="Check yourself")
    parser = _Tags()
    parser.feed(quiz.html())
    radios = [a for t, a in parser.tags if t == "input" and a.get("type") == "radio"]
    assert len(radios) == 3 and len({a["name"] for a in radios}) == 1
    assert [a["data-correct"] for a in radios] == ["0", "1", "0"]
    text = [a for t, a in parser.tags if t == "input" and a.get("type") == "text"]
    labels = [a for t, a in parser.tags if t == "label" and a.get("for")]
    assert [a["id"] for a in text] == [a["for"] for a in labels]          # the input has a name
    assert sum(t == "legend" for t, _ in parser.tags) == 1                 # the radio group has one
    assert dl.quiz.show(MC, NUM).html() == quiz.html()                      # same build, same page
    assert dl.quiz.show(NUM, MC).id != quiz.id
    assert quiz._repr_html_() == quiz.html() and "2 questions" in repr(quiz)
    # Text is escaped: a "<" in a question cannot break the page.
    odd = dl.quiz.show(dl.quiz.number("Is 1 < 2 & 3 > 2?", 1, explanation='say "yes"'))
    assert "Is 1 &lt; 2 &amp; 3 &gt; 2?" in odd.html() and 'data-explanation="say &quot;yes&quot;"' in odd.html()


# -- in Chromium ---------------------------------------------------------------

@pytest.fixture(scope="module")
def quiz_page(tmp_path_factory):
    pytest.importorskip("playwright.sync_api")
    from playwright.sync_api import sync_playwright

    import site_helpers as sh

    folder = tmp_path_factory.mktemp("quiz")
    body = dl.quiz.show(MC, NUM, FRAC).html() + dl.quiz.show(FRAC, title="Another quiz").html()
    (folder / "index.html").write_text(f"<!doctype html><html lang='en'><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
                                       f"<title>quiz</title></head><body><main>{body}</main></body></html>")
    with sh.serve(folder) as base, sync_playwright() as p:
        browser = sh.launch(p)
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{base}/index.html")
        yield page
        assert errors == []
        browser.close()


def feedback(form):
    return form.locator(".dlbook-q-feedback").inner_text()


@pytest.mark.browser
def test_choice_answers_on_click(quiz_page):
    form = quiz_page.locator("form").nth(0)
    assert feedback(form) == ""
    form.locator("label").nth(0).click()
    assert feedback(form).startswith("✗ Not quite. The position is lost")
    form.locator("label").nth(1).click()
    assert feedback(form).startswith("✓ Right. It keeps the maximum")
    assert "dlbook-right" in form.locator(".dlbook-q-feedback").get_attribute("class")


@pytest.mark.browser
@pytest.mark.parametrize("typed, right", [("145", True), ("144", False), (" 145 ", True), ("145.0", True),
                                          ("1e2", False), ("abc", None), ("", None)])
def test_number_checks_what_is_typed(quiz_page, typed, right):
    form = quiz_page.locator("form").nth(1)
    form.locator("input").fill(typed)
    form.locator("button").click()
    text = feedback(form)
    if right is None:
        assert text.startswith("Please type a number")
    else:
        assert text.startswith("✓ Right. 3 · 3 · 16 + 1" if right else "✗ Not quite. Count the bias too.")


@pytest.mark.browser
@pytest.mark.parametrize("typed, right", [("0.27", True), ("0,27", True), (".27", True), ("0.2689", True),
                                          ("0.26", False), ("0.28", False), ("27", False)])
def test_number_within_its_tolerance(quiz_page, typed, right):
    form = quiz_page.locator("form").nth(2)
    form.locator("input").fill(typed)
    form.locator("input").press("Enter")
    assert feedback(form).startswith("✓ Right." if right else "✗ Not quite.")


@pytest.mark.browser
def test_thousands_separators(quiz_page):
    page = quiz_page
    big = dl.quiz.show(dl.quiz.number("How many?", 1234567, explanation="Yes.")).html()
    page.evaluate("html => { const d = document.createElement('div'); d.id = 'big';"
                  " d.innerHTML = html; document.body.appendChild(d);"
                  " for (const s of d.querySelectorAll('script')) eval(s.textContent); }", big)
    form = page.locator("#big form")
    for typed, right in [("1,234,567", True), ("1'234'567", True), ("1 234 567", True), ("1234567", True),
                         ("1,234,568", False), ("1.234.567", None)]:
        form.locator("input").fill(typed)
        form.locator("input").press("Enter")
        expected = {True: "✓ Right.", False: "✗ Not quite.", None: "Please type a number"}[right]
        assert feedback(form).startswith(expected), typed


@pytest.mark.browser
def test_keyboard_only(quiz_page):
    page = quiz_page
    page.reload()
    page.keyboard.press("Tab")                       # the first option of question 1
    page.keyboard.press("ArrowDown")                 # selects the second option: right
    form = page.locator("form").nth(0)
    assert feedback(form).startswith("✓ Right.")
    page.keyboard.press("ArrowDown")
    assert feedback(form).startswith("✗ Not quite. That is average pooling.")
    page.keyboard.press("Tab")                       # the number input of question 2
    page.keyboard.type("145")
    page.keyboard.press("Enter")
    assert feedback(page.locator("form").nth(1)).startswith("✓ Right.")
    page.keyboard.press("Tab")                       # its Check button
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Tab")                       # "Show the answer"
    page.keyboard.press("Enter")
    assert page.locator("form").nth(1).locator("details").evaluate("d => d.open")


@pytest.mark.browser
def test_two_quizzes_on_a_page_answer_separately(quiz_page):
    page = quiz_page
    page.reload()
    first, second = page.locator("form").nth(2), page.locator("form").nth(3)
    second.locator("input").fill("0.27")
    second.locator("input").press("Enter")
    assert feedback(second).startswith("✓ Right.") and feedback(first) == ""
    assert re.fullmatch(r"dlbook-quiz-[0-9a-f]{12}", page.locator(".dlbook-quiz").nth(1).get_attribute("id"))
