"""Check-yourself questions that answer in the page, with no kernel.

A quiz is plain HTML with a small script: it works in the static site, in
Colab and in JupyterLab alike, and loads nothing from anywhere. Multiple
choice answers on selection (mouse or arrow keys), each option with its own
one-line reason; a numeric answer is checked against a tolerance when the
reader presses Enter or "Check", and a closed "Show the answer" holds the
value and its explanation.

>>> dl.quiz.show(
...     dl.quiz.choice("What does max pooling keep?", [
...         ("The largest value of each window", True, "It keeps the maximum ..."),
...         ("Where the largest value sits", False, "The position is lost ...")]),
...     dl.quiz.number("How many weights has a 3×3 kernel?", 9, explanation="3 · 3 = 9."))
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from dataclasses import dataclass
from numbers import Real

from ._checks import check_real

__all__ = ["choice", "number", "show", "Quiz"]


@dataclass(frozen=True)
class Choice:
    """A multiple-choice question (build it with :func:`choice`)."""

    question: str
    options: tuple          # (text, correct, why) triples


@dataclass(frozen=True)
class Number:
    """A question with a numeric answer (build it with :func:`number`)."""

    question: str
    answer: float
    tol: float
    explanation: str
    shown: str              # the answer as "Show the answer" prints it
    hint: str


def _text(name, value):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__} {value!r}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value.strip()


def choice(question, options):
    """A multiple-choice question with exactly one right option.

    Parameters
    ----------
    question : str
        The question.
    options : sequence of (str, bool, str)
        ``(text, correct, why)`` for each option, at least two; ``why`` is the
        one line shown when the option is picked (for a wrong option, the
        misconception it stands for and why it fails).

    Returns
    -------
    Choice
    """
    question = _text("question", question)
    if isinstance(options, (str, bytes)) or not hasattr(options, "__len__"):
        raise TypeError(f"options must be a sequence of (text, correct, why), got {type(options).__name__}")
    if len(options) < 2:
        raise ValueError(f"a question needs at least 2 options, got {len(options)}")
    checked = []
    for i, option in enumerate(options):
        if not isinstance(option, (tuple, list)) or len(option) != 3:
            raise TypeError(f"option {i} must be a (text, correct, why) triple, got {option!r}")
        text, correct, why = option
        if not isinstance(correct, bool):
            raise TypeError(f"option {i}: correct must be True or False, got {correct!r}")
        checked.append((_text(f"option {i} text", text), correct, _text(f"option {i} why", why)))
    right = sum(c for _, c, _ in checked)
    if right != 1:
        raise ValueError(f"exactly one option must be correct, got {right}")
    return Choice(question, tuple(checked))


def number(question, answer, *, tol=0.0, explanation, fmt=None, hint=""):
    """A question whose answer is a number, right within ``tol``.

    Parameters
    ----------
    question : str
        The question; say the unit or form expected ("in %", "to 2 decimals").
    answer : real
        The right answer, computed in the chapter (not typed).
    tol : real, optional
        Largest accepted absolute difference (>= 0).
    explanation : str
        One line shown with a right answer and under "Show the answer".
    fmt : str, optional
        Format spec for the shown answer; default ``","`` for whole numbers,
        else ``".4g"``.
    hint : str, optional
        Shown with a wrong answer.

    Returns
    -------
    Number
    """
    question = _text("question", question)
    if isinstance(answer, bool) or not isinstance(answer, Real):
        # numpy scalars are Real; arrays and strings are not.
        raise TypeError(f"answer must be a real number, got {type(answer).__name__} {answer!r}")
    answer = float(answer)
    if not math.isfinite(answer):
        raise ValueError(f"answer must be finite, got {answer!r}")
    tol = check_real("tol", tol, minimum=0)
    if fmt is None:
        fmt = "," if answer.is_integer() else ".4g"
    if not isinstance(fmt, str):
        raise TypeError(f"fmt must be a format spec string, got {type(fmt).__name__} {fmt!r}")
    shown = format(int(answer) if answer.is_integer() and fmt in (",", "d", ",d") else answer, fmt)
    hint = hint.strip() if isinstance(hint, str) else _text("hint", hint)
    return Number(question, answer, tol, _text("explanation", explanation), shown, hint)


_STYLE = """
.dlbook-quiz { border: 1px solid var(--pst-color-border, #c8c8c8); border-radius: 6px;
  padding: 0.6em 1em 0.4em; margin: 1em 0; max-width: 46em; }
.dlbook-quiz form { margin: 0.4em 0 0.9em; }
.dlbook-quiz fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.dlbook-quiz legend, .dlbook-quiz .dlbook-q-text { font-weight: 600; padding: 0; margin-bottom: 0.3em;
  font-size: 1em; line-height: inherit; float: none; width: auto; }
.dlbook-quiz label.dlbook-option { display: block; margin: 0.15em 0; cursor: pointer; }
.dlbook-quiz input[type=radio] { margin-right: 0.45em; }
.dlbook-quiz input[type=text] { width: 9em; padding: 0.15em 0.35em; font: inherit;
  color: inherit; background: transparent; border: 1px solid var(--pst-color-border, #767676);
  border-radius: 3px; }
.dlbook-quiz button { font: inherit; margin-left: 0.4em; padding: 0.1em 0.7em; cursor: pointer;
  color: inherit; background: transparent; border: 1px solid var(--pst-color-border, #767676);
  border-radius: 3px; }
.dlbook-quiz .dlbook-q-feedback:empty { display: none; }
.dlbook-quiz .dlbook-q-feedback { margin: 0.35em 0 0; padding: 0.15em 0.6em;
  border-left: 4px solid transparent; }
.dlbook-quiz .dlbook-right { border-left-color: var(--pst-color-success, #1a7f37); }
.dlbook-quiz .dlbook-wrong { border-left-color: var(--pst-color-danger, #c62828); }
.dlbook-quiz details { margin-top: 0.3em; font-size: 0.95em; }
"""

# One script per quiz, bound to its own root, so that a page (or a notebook
# output) with several quizzes, or a re-run cell, binds each exactly once.
_SCRIPT = """
(function () {
  var root = document.getElementById(%(id)s);
  if (!root || root.getAttribute("data-ready")) { return; }
  root.setAttribute("data-ready", "1");
  function say(form, ok, text) {
    var p = form.querySelector(".dlbook-q-feedback");
    p.textContent = (ok ? "\\u2713 Right. " : "\\u2717 Not quite. ") + text;
    p.className = "dlbook-q-feedback " + (ok ? "dlbook-right" : "dlbook-wrong");
  }
  // "1,234", "1'234", "1 234", "0.25" and "0,25" all read as numbers.
  function parse(s) {
    s = s.replace(/[\\s'\\u2009\\u202f]/g, "").replace(/\\u2212/g, "-");
    if (s.indexOf(",") >= 0 && s.indexOf(".") >= 0) { s = s.replace(/,/g, ""); }
    else if (/^-?\\d{1,3}(,\\d{3})+$/.test(s)) { s = s.replace(/,/g, ""); }
    else { s = s.replace(",", "."); }
    return /^[-+]?(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d+)?$/i.test(s) ? parseFloat(s) : NaN;
  }
  var forms = root.querySelectorAll("form");
  for (var i = 0; i < forms.length; i++) {
    (function (form) {
      if (form.getAttribute("data-kind") === "choice") {
        form.addEventListener("change", function (e) {
          var t = e.target;
          if (t && t.type === "radio") { say(form, t.getAttribute("data-correct") === "1",
                                             t.getAttribute("data-why")); }
        });
        form.addEventListener("submit", function (e) { e.preventDefault(); });
      } else {
        form.addEventListener("submit", function (e) {
          e.preventDefault();
          var x = parse(form.querySelector("input").value);
          var answer = parseFloat(form.getAttribute("data-answer"));
          var tol = parseFloat(form.getAttribute("data-tol"));
          if (isNaN(x)) {
            var p = form.querySelector(".dlbook-q-feedback");
            p.textContent = "Please type a number, e.g. 1234 or 0.25.";
            p.className = "dlbook-q-feedback dlbook-wrong";
          } else if (Math.abs(x - answer) <= tol * (1 + 1e-9) + 1e-12 * Math.abs(answer)) {
            say(form, true, form.getAttribute("data-explanation"));
          } else {
            say(form, false, (form.getAttribute("data-hint") || "") + " Try again.");
          }
        });
      }
    })(forms[i]);
  }
})();
"""


class Quiz:
    """Questions shown together; displays as HTML (``_repr_html_``)."""

    def __init__(self, questions, title):
        self.questions = tuple(questions)
        self.title = title
        key = json.dumps([title] + [repr(q) for q in self.questions]).encode()
        # The same quiz gives the same HTML on every build (reproducible pages).
        self.id = "dlbook-quiz-" + hashlib.sha256(key).hexdigest()[:12]

    def html(self):
        """The quiz as an HTML fragment with its style and script."""
        e = html.escape
        parts = [f'<div class="dlbook-quiz" id="{self.id}" role="group" aria-label="{e(self.title)}">',
                 f"<style>{_STYLE}</style>", f'<p class="dlbook-quiz-title"><strong>{e(self.title)}</strong></p>']
        for n, q in enumerate(self.questions, 1):
            qid = f"{self.id}-{n}"
            if isinstance(q, Choice):
                parts.append(f'<form data-kind="choice" class="dlbook-q"><fieldset>'
                             f"<legend>{n}. {e(q.question)}</legend>")
                for k, (text, correct, why) in enumerate(q.options):
                    parts.append(f'<label class="dlbook-option"><input type="radio" name="{qid}" value="{k}" '
                                 f'data-correct="{int(correct)}" data-why="{e(why)}">{e(text)}</label>')
                parts.append('</fieldset><p class="dlbook-q-feedback" role="status" aria-live="polite"></p>'
                             "</form>")
            else:
                parts.append(
                    f'<form data-kind="number" class="dlbook-q" data-answer="{q.answer!r}" data-tol="{q.tol!r}" '
                    f'data-explanation="{e(q.explanation)}" data-hint="{e(q.hint)}">'
                    f'<label class="dlbook-q-text" for="{qid}">{n}. {e(q.question)}</label><br>'
                    f'<input type="text" id="{qid}" inputmode="decimal" autocomplete="off" spellcheck="false">'
                    f'<button type="submit">Check</button>'
                    f'<p class="dlbook-q-feedback" role="status" aria-live="polite"></p>'
                    f"<details><summary>Show the answer</summary>{e(q.shown)}: {e(q.explanation)}</details>"
                    f"</form>")
        parts.append(f"<script>{_SCRIPT % {'id': json.dumps(self.id)}}</script></div>")
        return "".join(parts)

    def _repr_html_(self):
        return self.html()

    def __repr__(self):
        return f"<Quiz {self.title!r}: {len(self.questions)} questions>"


def show(*questions, title="Check yourself"):
    """Put questions together as a quiz; the cell displays it.

    Parameters
    ----------
    *questions : Choice or Number
        Made by :func:`choice` and :func:`number`.
    title : str, optional
        Shown above the questions.

    Returns
    -------
    Quiz
        Displays as HTML; ``quiz.html()`` gives the fragment.
    """
    if not questions:
        raise ValueError("show() needs at least one question")
    for i, q in enumerate(questions):
        if not isinstance(q, (Choice, Number)):
            raise TypeError(f"question {i} must come from dl.quiz.choice or dl.quiz.number, "
                            f"got {type(q).__name__}")
    return Quiz(questions, _text("title", title))
