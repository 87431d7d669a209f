"""Reader notebooks (Colab, Binder, download): the chapters' text as CommonMark.

The converter (book/_ext/reader_notebook.py) on small inputs, then the eleven
notebooks of the build: no MyST left, the page's glued numbers and citations
in the text, links into the published site, solutions hidden, and the
notebooks branch holding what Binder needs."""

import html
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import nbformat
import pytest
import yaml
from markdown_it import MarkdownIt

from site_helpers import ROOT, SITE, load_build_extension

ext = load_build_extension()
sys.path.insert(0, str(ROOT / "book" / "_ext"))
import reader_notebook as rn  # noqa: E402

NOTEBOOKS = ROOT / "_build" / "notebooks"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
BASE = CONFIG["sphinx"]["config"]["dlbook_site_url"].rstrip("/") + "/"
CHAPTERS = sorted(p.relative_to(ROOT).with_suffix("").as_posix()
                  for p in (ROOT / "book").rglob("*.md") if ext._is_chapter(p))
COMMONMARK = MarkdownIt("commonmark")


# -- the converter on small inputs -------------------------------------------

GLUE = {"book/a": {"acc": {"text/plain": "0.97712"}, "n": {"text/plain": "60000"},
                   "word": {"text/plain": "'vertical'", "text/markdown": "**vertical**"},
                   "odd": {"text/plain": "'a_b*c$'"}},
        "book/b": {"loss": {"text/plain": "0.1234"}}}


def resolver(docname="book/a"):
    return rn.Resolver(
        docname=docname,
        glue=lambda doc, key: GLUE[doc][key],
        page_url=lambda doc, anchor=None: f"{BASE}{doc}.html" + (f"#{anchor}" if anchor else ""),
        title=lambda doc: {"book/a": "Page A", "book/b": "Page B"}[doc],
        label=lambda name: {"sec-b": ("book/b", "sec-b", "A section")}[name],
        citation=lambda key: {"hw59": (["Hubel", "Wiesel"], "1959"),
                              "k12": (["Krizhevsky", "Sutskever", "Hinton"], "2012"),
                              "l98": (["LeCun"], "1998")}[key],
        references_url=f"{BASE}book/references.html",
        docnames={"book/a", "book/b", "book/references"},
        citation_anchor={"hw59": "id3", "k12": "id7"}.get)


def convert(text, docname="book/a"):
    return rn.to_commonmark(text, resolver(docname))


@pytest.mark.parametrize("source, expected", [
    ("Accuracy {glue:text}`acc:.1%`.", "Accuracy 97.7%."),
    ("{glue:text}`n:,` digits", "60,000 digits"),
    ("{glue:text}`n:,d` digits", "60,000 digits"),
    ("{glue:}`n` digits", "60000 digits"),
    ("a {glue:md}`word` bar", "a **vertical** bar"),
    ("{glue:text}`word`", "vertical"),
    ("{glue:text}`odd`", r"a\_b\*c\$"),
    ("from B: {glue:text}`b.md::loss:.2f`", "from B: 0.12"),
    ("from B: {glue:text}`/book/b.md::loss:.3f`", "from B: 0.123"),
    ("See {doc}`b`.", f"See [Page B]({BASE}book/b.html)."),
    ("See {doc}`the other page <b>`.", f"See [the other page]({BASE}book/b.html)."),
    ("See {ref}`sec-b`.", f"See [A section]({BASE}book/b.html#sec-b)."),
    ("as shown {cite:p}`hw59`", f"as shown ([Hubel and Wiesel, 1959]({BASE}book/references.html#id3))"),
    ("{cite:p}`k12,l98`",
     f"([Krizhevsky et al., 2012]({BASE}book/references.html#id7); [LeCun, 1998]({BASE}book/references.html))"),
    ("{cite:t}`l98` showed", f"[LeCun (1998)]({BASE}book/references.html) showed"),
    ("$x^2$ and {math}`y`", "$x^2$ and $y$"),
])
def test_inline_roles(source, expected):
    assert convert(source) == expected


def test_roles_across_lines_and_in_tables_and_lists():
    text = "| a | b |\n|---|---|\n| {glue:text}`acc:.2f` | x |\n\n- one {glue:}`n`\n  and {doc}`b`\n"
    out = convert(text)
    assert "| 0.98 | x |" in out and "- one 60000" in out and f"[Page B]({BASE}book/b.html)" in out
    assert convert("reaches {glue:text}`acc:.1%`,\nnot\n{glue:text}`n:,`.") == "reaches 97.7%,\nnot\n60,000."


def test_code_spans_and_code_blocks_keep_their_text():
    out = convert("Write `` {glue:}`n` `` to paste {glue:}`n`.\n\n```python\nx = '{glue:}`n`'\n```\n")
    assert out.startswith("Write `` {glue:}`n` `` to paste 60000.")
    assert "x = '{glue:}`n`'" in out


def test_labels_comments_and_breaks_are_dropped():
    assert convert("(sec-x)=\n## Title\n\n% a comment\nText.\n\n+++\n") == "## Title\n\nText."


def test_admonition_becomes_a_block_quote_with_a_bold_title():
    out = convert("```{admonition} Exercise 1: a question\nHow many? {glue:text}`n:,`\n\n$$a = b$$\n```\n")
    assert out == "> **Exercise 1: a question**\n>\n> How many? 60,000\n>\n> $$a = b$$"
    assert convert(":::{note}\nCareful.\n:::\n") == "> **Note**\n>\n> Careful."


def test_dropdown_solution_is_hidden_in_details():
    source = ("````{admonition} Solution\n:class: dropdown\n\nIt is {glue:text}`acc:.1%`.\n\n"
              "```python\nprint(1)\n```\n````\n")
    out = convert(source)
    assert out.startswith("<details>\n<summary>Solution</summary>\n\nIt is 97.7%.")
    assert out.endswith("```\n\n</details>")
    rendered = COMMONMARK.render(out)
    assert "<p>It is 97.7%.</p>" in rendered and "print(1)\n</code></pre>\n</details>" in rendered


@pytest.mark.parametrize("source, what", [
    ("{numref}`fig-1`", "role"),
    ("{glue:text}`missing:.1f`", "glued value"),
    ("{doc}`nowhere`", "no page"),
    ("{cite:p}`nobody`", "bibliography"),
    ("{ref}`no-label`", "label"),
    ("```{figure} x.png\nA figure.\n```", "directive"),
    ("- item\n\n  ```{note}\n  nested\n  ```\n", "inside another block"),
    ("{{ substitution }}", "substitution"),
])
def test_unconverted_myst_fails_loudly(source, what):
    with pytest.raises(rn.UnconvertedMyST, match=what):
        convert(source)


@pytest.mark.parametrize("planted", ["{glue:text}`acc:.1%`", "```{note}\nx\n```", ":::{note}\nx\n:::",
                                     "(label)=", "+++", "{doc}`b`", ":class: dropdown"])
def test_leftover_check_finds_planted_myst(planted):
    assert rn.myst_leftovers("Some text.\n\n" + planted + "\n\nMore text.")
    assert not rn.myst_leftovers("Some text with `code` and $x$ and [a link](https://x.org).")


# -- the eleven notebooks of the build ----------------------------------------

if not NOTEBOOKS.is_dir():
    pytest.fail(f"no notebooks at {NOTEBOOKS}: run `make book` first", pytrace=False)


def notebook(chapter):
    return nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)


def markdown(chapter):
    return [c.source for c in notebook(chapter).cells if c.cell_type == "markdown"]


class _Text(HTMLParser):
    """Visible text of HTML, and the texts of elements with given classes."""

    def __init__(self, classes=(), tag=None):
        super().__init__(convert_charrefs=True)
        self.classes, self.stack, self.found, self.parts = set(classes), [], [], []
        self.tag = tag
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        cls = set((dict(attrs).get("class") or "").split())
        hit = bool(cls & self.classes) and self.tag in (None, tag)
        self.stack.append((tag, hit, len(self.parts)))
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        while self.stack:
            name, hit, start = self.stack.pop()
            if name in ("script", "style"):
                self.skip -= 1
            if hit:
                self.found.append("".join(self.parts[start:]).strip())
            if name == tag:
                break

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(html_text, classes=(), tag=None):
    parser = _Text(classes, tag)
    parser.feed(html_text)
    return " ".join("".join(parser.parts).split()), parser.found


def rendered_text(chapter):
    """The notebook's markdown as a reader sees it: rendered, tags stripped."""
    return text_of("\n".join(COMMONMARK.render(s) for s in markdown(chapter)))[0]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_myst_left(chapter):
    for source in markdown(chapter):
        assert rn.myst_leftovers(source) == [], source[:300]
        rendered = COMMONMARK.render(source)
        for syntax in ("{glue", ":::", "```{", "{doc}", "{cite"):
            assert syntax not in rendered, (syntax, source[:300])


def test_the_chapters_had_myst_to_convert():
    """The test above means something only if the sources are full of MyST."""
    count = sum(len(rn.myst_leftovers(c.source)) for ch in CHAPTERS
                for c in __import__("jupytext").read(ROOT / f"{ch}.md").cells if c.cell_type == "markdown")
    assert count > 400


def _plain(text):
    """Text compared across page and notebook: the page has Sphinx's smart quotes."""
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                                         "\u2013": "--", "\u2014": "---"}))
    return " ".join(text.split())


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_glued_numbers_and_citations_as_on_the_page(chapter):
    page = (SITE / f"{chapter}.html").read_text(encoding="utf-8")
    main = page[page.index('<main'):page.index('</main>')]
    page_text, pasted = text_of(main, {"pasted-text", "text_plain"}, tag="span")
    text = _plain(rendered_text(chapter))
    missing = [v for v in pasted if _plain(v) not in text]
    assert not missing, f"glued values on the page but not in the notebook: {missing[:10]}"
    # The page marks {glue:text} and {glue:} values; a changed theme must not
    # make this test vacuous.
    source = (ROOT / f"{chapter}.md").read_text(encoding="utf-8")
    assert len(pasted) == len(re.findall(r"\{glue:(?:text)?\}`", source))
    # {glue:md} values carry no mark on the page: each must be in both texts.
    folder = ROOT / "_build" / "jupyter_execute"
    for doc, key in re.findall(r"\{glue:md\}`(?:([^`:]+)::)?([\w-]+)`", source):
        docname = ext_doc(chapter, doc)
        value = json.loads((folder / f"{docname}.glue.json").read_text())[key]["data"]["text/markdown"]
        shown = _plain(text_of(COMMONMARK.render(value))[0])
        assert shown in _plain(page_text) and shown in text, (key, shown)
    # Citations: the page's author-year labels, e.g. "Hubel and Wiesel, 1959".
    cites = [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in
             re.findall(r'<a class="reference internal" href="[^"]*references\.html#[^"]*"[^>]*>(.*?)</a>',
                        main, re.S)]
    assert len(cites) >= len(re.findall(r"\{cite:[pt]\}`", source))
    flat = _plain(text.replace("(", " ").replace(")", " "))
    for label in cites:
        label = _plain(label.replace("(", " ").replace(")", " "))
        assert label in flat, f"citation {label!r} of the page is not in the notebook"


def ext_doc(chapter, doc):
    import posixpath

    return chapter if not doc else posixpath.normpath(
        posixpath.join(posixpath.dirname(chapter), doc.removesuffix(".md")))


def _site_anchors(path):
    return set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_links_are_absolute_and_point_into_the_published_site(chapter):
    tokens = [t for s in markdown(chapter) for b in COMMONMARK.parse(s) for t in (b.children or [])]
    links = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    links += re.findall(r'href="([^"]+)"', "\n".join(markdown(chapter)))
    assert links, "a chapter without links?"
    for link in links:
        assert re.match(r"https?://", link), f"relative link {link!r}: it would break in Colab"
        if link.startswith(BASE):
            url, anchor = urldefrag(link)
            target = SITE / url[len(BASE):]
            assert target.is_file(), f"{link} is not a page of the site"
            if anchor:
                assert anchor in _site_anchors(target), f"{link}: no such section"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_solution_is_hidden(chapter):
    source = (ROOT / f"{chapter}.md").read_text(encoding="utf-8")
    solutions = len(re.findall(r"^`{3,}\{admonition\} Solution\n:class: dropdown", source, re.M))
    text = "\n".join(markdown(chapter))
    assert text.count("<details>\n<summary>Solution</summary>") == solutions
    assert text.count("<details>") == text.count("</details>") == len(re.findall(":class: dropdown", source))
    outside = re.sub(r"<details>.*?</details>", "", text, flags=re.S)
    assert "Solution" not in outside.replace("solution", "")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_cells_and_setup_as_before(chapter):
    """Code cells unchanged (tags too), the Colab setup cell first, then a note on the numbers."""
    import jupytext

    nb = notebook(chapter)
    nbformat.validate(nb)
    source = jupytext.read(ROOT / f"{chapter}.md")
    assert nb.cells[0].cell_type == "code" and '"google.colab" in sys.modules' in nb.cells[0].source
    assert nb.cells[1].cell_type == "markdown" and "numbers in the text" in nb.cells[1].source
    assert f"{BASE}{chapter}.html" in nb.cells[1].source and f"*{CONFIG['title']}*" in nb.cells[1].source
    code = [(c.source, c.metadata.get("tags")) for c in nb.cells[2:] if c.cell_type == "code"]
    assert code == [(c.source, c.metadata.get("tags")) for c in source.cells if c.cell_type == "code"]
    assert len(nb.cells) == len(source.cells) + 2
    for cell in nb.cells[2:]:
        hidden = bool(ext.HIDDEN_TAGS & set(cell.metadata.get("tags", [])))
        assert cell.metadata.get("jupyter", {}).get("source_hidden", False) == hidden
        assert (cell.metadata.get("cellView") == "form") == hidden


def test_notebooks_branch_can_be_built_by_binder():
    for name in ext.BINDER_FILES + ("README.md", "code/pyproject.toml", "code/dlbook/__init__.py"):
        assert (NOTEBOOKS / name).is_file(), name
    assert (NOTEBOOKS / "requirements.txt").read_text() == (ROOT / "requirements.txt").read_text()
    assert not list(NOTEBOOKS.rglob("__pycache__"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_binder_and_colab_open_the_reader_notebook(chapter):
    page = html.unescape((SITE / f"{chapter}.html").read_text(encoding="utf-8"))
    org_repo = CONFIG["repository"]["url"].rstrip("/").removeprefix("https://github.com/")
    binder = re.findall(r'href="(https://mybinder\.org/[^"]+)"', page)
    assert binder == [f"https://mybinder.org/v2/gh/{org_repo}/{ext.NOTEBOOK_BRANCH}"
                      f"?urlpath=lab/tree/{chapter}.ipynb"]
    colab = re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', page)
    assert colab == [f"https://colab.research.google.com/github/{org_repo}/blob/"
                     f"{ext.NOTEBOOK_BRANCH}/{chapter}.ipynb"]
    assert (NOTEBOOKS / f"{chapter}.ipynb").is_file()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_download_gives_the_reader_notebook(chapter):
    page = html.unescape((SITE / f"{chapter}.html").read_text(encoding="utf-8"))
    downloads = set(re.findall(r'href="([^"]+\.ipynb)"', page)) - {
        u for u in re.findall(r'href="(https?://[^"]+)"', page)}
    assert downloads, "no .ipynb download on the page"
    for href in downloads:
        target = (SITE / chapter).parent / href
        assert target.resolve().read_bytes() == (NOTEBOOKS / f"{chapter}.ipynb").read_bytes()


@pytest.mark.browser
@pytest.mark.parametrize("chapter", ["book/cnn/pooling-first-cnn", "book/fcnn/relu-mnist"])
def test_notebook_rendered_by_jupyter_reads_like_the_page(chapter, tmp_path):
    """nbconvert renders the notebook as JupyterLab would; in Chromium it shows
    numbers, not MyST, and the solutions start closed. The screenshot is for
    a human to look at (_build/screenshots/reader-*.png)."""
    from nbconvert import HTMLExporter
    from playwright.sync_api import sync_playwright

    import site_helpers as sh

    # The book's own MathJax 3, served locally (nbconvert's default is a CDN),
    # set to read $...$ as JupyterLab does.
    exporter = HTMLExporter(template_name="lab", mathjax_url="mathjax/tex-mml-chtml.js")
    body, _ = exporter.from_notebook_node(notebook(chapter))
    mathjax3 = "<script>window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']]}};</script>"
    body = body.replace("<head>", "<head>" + mathjax3, 1)
    (tmp_path / "nb.html").write_text(body, encoding="utf-8")
    (tmp_path / "mathjax").symlink_to(ROOT / "book" / "_vendor" / "mathjax")
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    with sh.serve(tmp_path) as base, sync_playwright() as p:
        browser = sh.launch(p)
        context = browser.new_context(viewport={"width": 1100, "height": 1400})
        sh.block_other_hosts(context, base, [])
        page = context.new_page()
        page.goto(f"{base}/nb.html", wait_until="load")
        page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 0", timeout=30000)
        name = chapter.split("/")[-1]
        page.screenshot(path=str(shots / f"reader-{name}-top.png"))
        text = page.inner_text("body")
        for syntax in ("{glue", "{doc}", "{cite", ":::", "```{", ":class:"):
            assert syntax not in text, syntax
        details = page.locator("details")
        assert details.count() > 0
        assert all(not details.nth(i).evaluate("d => d.open") for i in range(details.count()))
        first = page.locator("summary").first
        first.scroll_into_view_if_needed()
        first.click()
        assert details.first.evaluate("d => d.open")
        page.screenshot(path=str(shots / f"reader-{name}-solution.png"))
        browser.close()
