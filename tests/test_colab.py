"""Every chapter page links to a Colab notebook that the same build wrote,
with the chapter's cells and a first cell that installs dlbook on Colab at
the commit the site was built from. (`make colab` runs those notebooks on
Colab's package versions.)"""

import html
import re
import subprocess

import nbformat
import pytest
import yaml

from site_helpers import ROOT, SITE, load_build_extension

ext = load_build_extension()
NOTEBOOKS = ROOT / "_build" / "notebooks"
CHAPTERS = sorted(p.relative_to(ROOT).with_suffix("").as_posix()
                  for p in (ROOT / "book").rglob("*.md") if ext._is_chapter(p))
REPO = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"].rstrip("/")

if not NOTEBOOKS.is_dir():
    pytest.fail(f"no notebooks at {NOTEBOOKS}: run `make book` first", pytrace=False)


def colab_links(page):
    text = (SITE / f"{page}.html").read_text()
    return {html.unescape(u) for u in re.findall(r'href="(https://colab\.research\.google\.com/[^"]+)"', text)}


def test_every_chapter_has_a_notebook_and_nothing_else_does():
    assert CHAPTERS, "no chapters found"
    written = sorted(p.relative_to(NOTEBOOKS).with_suffix("").as_posix() for p in NOTEBOOKS.rglob("*.ipynb"))
    assert written == CHAPTERS


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_page_links_to_its_notebook(chapter):
    org_repo = REPO.removeprefix("https://github.com/")
    expected = f"https://colab.research.google.com/github/{org_repo}/blob/{ext.NOTEBOOK_BRANCH}/{chapter}.ipynb"
    assert colab_links(chapter) == {expected}


def test_pages_that_are_not_chapters_have_no_colab_link():
    assert colab_links("book/intro") == set()
    assert colab_links("book/references") == set()


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_notebook_starts_with_a_colab_setup_cell(chapter):
    """The rest of the notebook (the chapter as CommonMark): test_reader_notebooks.py."""
    nb = nbformat.read(NOTEBOOKS / f"{chapter}.ipynb", as_version=4)
    nbformat.validate(nb)
    setup = nb.cells[0]
    assert setup.cell_type == "code" and '"google.colab" in sys.modules' in setup.source
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert f"dlbook @ git+{REPO}@{head or 'main'}#subdirectory=code" in setup.source
    assert nb.metadata["kernelspec"]["name"] == "python3" and "colab" in nb.metadata


def test_setup_cell_provides_glue_without_myst_nb(tmp_path):
    """Outside Colab the cell installs nothing; without myst_nb it supplies a glue()."""
    cell = ext.SETUP_CELL.format(repo=REPO, commit="0" * 40)
    code = ("import sys\nsys.modules['myst_nb'] = None\n"     # makes `import myst_nb` fail
            + cell + "\nfrom myst_nb import glue\nglue('x', 1, display=False)\nprint('ok')\n")
    out = subprocess.run([__import__("sys").executable, "-c", code], capture_output=True, text=True,
                         cwd=tmp_path, timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
