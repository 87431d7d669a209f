"""Builds of small books with the real configuration: warnings and cell errors
fail the build, and the execution cache follows changes to dlbook."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from site_helpers import load_build_extension

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "scripts" / "build-book.sh"
pytestmark = pytest.mark.build

TOC = """format: jb-book
root: book/intro
chapters:
  - file: book/page
"""
NOTEBOOK_HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

"""


def make_book(tmp_path, body):
    """A book with the repository's configuration, extension, static files and
    package, and one chapter whose cells are ``body``."""
    book = tmp_path / "book-root"
    (book / "book").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book)
    (book / "_toc.yml").write_text(TOC)
    for d in ("book/_ext", "book/_static", "book/_vendor", "code/dlbook"):
        shutil.copytree(ROOT / d, book / d, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "book" / "references.bib", book / "book")
    # The build writes the reader notebooks with what Binder needs beside them.
    for name in load_build_extension().BINDER_FILES:
        shutil.copy(ROOT / name, book / name)
    (book / "code" / "pyproject.toml").write_text((ROOT / "code" / "pyproject.toml").read_text())
    (book / "book" / "intro.md").write_text("# Intro\n\nA test book.\n")
    (book / "book" / "page.md").write_text(NOTEBOOK_HEADER + body)
    return book


def build(book, **env):
    # The small books here test the cache of the default seed unless a test
    # asks for a shift, also when the whole suite runs under a seed shift
    # (DLBOOK_SEED_SHIFT=2 make test).
    inherited = {k: v for k, v in os.environ.items() if k != "DLBOOK_SEED_SHIFT"}
    result = subprocess.run(["bash", str(BUILD), str(book)], capture_output=True, text=True, timeout=600,
                            env={**inherited, **env})
    return result.returncode, result.stdout + result.stderr


def cell(code):
    return f"```{{code-cell}} ipython3\n{code}\n```\n\n"


def test_clean_build_passes_and_warning_fails(tmp_path):
    book = make_book(tmp_path, cell("print('hello')"))
    rc, log = build(book)
    assert rc == 0, log
    assert "hello" in (book / "_build" / "html" / "book" / "page.html").read_text()
    # The same book with one broken cross-reference must fail.
    page = book / "book" / "page.md"
    page.write_text(page.read_text() + "See {doc}`no-such-page`.\n")
    rc, log = build(book)
    assert rc != 0
    assert "WARNING" in log and "no-such-page" in log


def test_reader_notebook_has_the_value_and_unconverted_myst_fails_the_build(tmp_path):
    body = (cell("from myst_nb import glue\nglue('answer', 0.4217, display=False)")
            + "The answer is {glue:text}`answer:.1%`.\n")
    book = make_book(tmp_path, body)
    rc, log = build(book)
    assert rc == 0, log
    notebook = (book / "_build" / "notebooks" / "book" / "page.ipynb").read_text()
    assert "The answer is 42.2%." in notebook and "{glue" not in notebook
    # A directive Sphinx renders but the reader notebooks cannot convert.
    page = book / "book" / "page.md"
    page.write_text(page.read_text() + "\n```{epigraph}\nA quote.\n```\n")
    rc, log = build(book)
    assert rc != 0 and "no conversion for the directive {epigraph}" in log


def test_cell_error_fails_build(tmp_path):
    book = make_book(tmp_path, cell("raise RuntimeError('boom in a cell')"))
    rc, log = build(book)
    assert rc != 0
    assert "boom in a cell" in log


def test_stderr_in_a_cell_fails_build(tmp_path):
    # Log noise (TensorFlow, warnings) arrives as stderr; it must never reach a page.
    book = make_book(tmp_path, cell("import sys; print('noise', file=sys.stderr)"))
    rc, log = build(book)
    assert rc != 0
    assert "stderr was found" in log


def test_change_to_dlbook_reexecutes_chapters(tmp_path):
    book = make_book(tmp_path, cell("import time; print('run at', time.time_ns())"))
    ext = load_build_extension(book)
    key = ext.package_hash(book / "code/dlbook")

    rc, log = build(book)
    assert rc == 0, log
    assert "Executed notebook" in log
    first = (book / "_build/html/book/page.html").read_text()
    assert (book / f"_build/.jupyter_cache/dlbook-{key}").is_dir()

    # Unchanged: nothing runs again, the page is the same.
    rc, log = build(book)
    assert rc == 0 and "Executed notebook" not in log, log
    assert (book / "_build/html/book/page.html").read_text() == first

    # A comment added to one helper module is a change to the package.
    with open(book / "code/dlbook/widgets.py", "a") as f:
        f.write("\n# changed\n")
    new_key = ext.package_hash(book / "code/dlbook")
    assert new_key != key
    rc, log = build(book)
    assert rc == 0, log
    assert "Executed notebook" in log, "a change to dlbook must re-execute the chapters"
    assert (book / "_build/html/book/page.html").read_text() != first
    assert (book / f"_build/.jupyter_cache/dlbook-{new_key}").is_dir()
    assert not (book / f"_build/.jupyter_cache/dlbook-{key}").exists(), "stale cache left behind"


def test_seed_shift_has_its_own_cache_and_shifts_every_seed(tmp_path):
    # The page prints the seeds the chapter's code sees; a shifted build gets
    # its own cache folder, and the book's own cache survives it.
    book = make_book(tmp_path, cell(
        "import dlbook as dl\n"
        "print('rng', dl.rng(0).integers(10**9), 'split', dl.data.split(list(range(50)), seed=0)[0][:5])"))
    ext = load_build_extension(book)
    key = ext.package_hash(book / "code/dlbook")
    page = book / "_build/html/book/page.html"
    rc, log = build(book)
    assert rc == 0, log
    default = page.read_text()
    rc, log = build(book, DLBOOK_SEED_SHIFT="3")
    assert rc == 0, log
    assert "Executed notebook" in log, "a new seed shift must re-execute the chapters"
    assert (book / f"_build/.jupyter_cache/dlbook-{key}-seed3").is_dir()
    assert (book / f"_build/.jupyter_cache/dlbook-{key}").is_dir(), "the default seed's cache was dropped"
    shifted = page.read_text()
    import numpy as np
    for text, shift in ((default, 0), (shifted, 3)):       # seed 0 under shift k: 10,000 k
        assert f"rng {np.random.default_rng(10_000 * shift).integers(10**9)} " in text
    assert shifted != default
    # back to the default: from the cache, the same page
    rc, log = build(book)
    assert rc == 0 and "Executed notebook" not in log, log
    assert f"rng {np.random.default_rng(0).integers(10**9)} " in page.read_text()


def test_package_hash_ignores_bytecode(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "a.py").write_text("x = 1\n")
    ext = load_build_extension(ROOT)
    before = ext.package_hash(pkg)
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"junk")
    assert ext.package_hash(pkg) == before
    (pkg / "a.py").write_text("x = 2\n")
    assert ext.package_hash(pkg) != before


def test_change_to_static_files_reaches_the_site(tmp_path):
    book = make_book(tmp_path, cell("print('static')"))
    assert build(book)[0] == 0
    with open(book / "book/_static/dlbook.css", "a") as f:
        f.write("\n.dlbook-test-marker { color: red; }\n")
    rc, log = build(book)
    assert rc == 0, log
    assert "dlbook-test-marker" in (book / "_build/html/_static/dlbook.css").read_text()


def test_cache_database_is_closed_before_sphinx_forks_its_readers(tmp_path):
    """The build creates the execution cache's database in Sphinx's main process;
    it must not keep it open, or every forked reader inherits the open SQLite file
    (closing it drops the reader's locks and lets two readers write at once)."""
    from types import SimpleNamespace

    ext = load_build_extension()
    config = SimpleNamespace(nb_execution_cache_path=str(tmp_path / "cache"))
    app = SimpleNamespace(outdir=str(tmp_path / "html"), confdir=str(tmp_path))
    ext._key_cache(app, config)
    db = Path(config.nb_execution_cache_path) / "global.db"
    assert db.is_file(), "the database is created in the main process"
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                  if os.path.exists(f"/proc/self/fd/{fd}")}
    assert str(db.resolve()) not in open_files


def test_chapters_run_their_kernels_over_ipc_sockets(monkeypatch):
    """Parallel readers each start a kernel; over TCP a kernel's ports can be
    taken between being picked and being bound (the kernel then dies and the
    build stops), so the build's executions use IPC sockets, one path each."""
    import nbformat
    import jupyter_cache.executors.utils as executors

    monkeypatch.setattr(executors, "executenb", executors.executenb)  # undone after the test
    ext = load_build_extension()
    ext._kernels_over_ipc()
    wrapped = executors.executenb
    ext._kernels_over_ipc()
    assert executors.executenb is wrapped, "a second setup must not wrap twice"
    code = "from ipykernel.kernelapp import IPKernelApp as A; print(A.instance().transport, A.instance().ip)"
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(code)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    result = executors.single_nb_execution(nb, cwd=None, timeout=120, allow_errors=False)
    assert result.err is None, result.exc_string
    transport, ip = nb.cells[0].outputs[0]["text"].split()
    assert transport == "ipc"
    assert os.path.isabs(ip) and "dlbook-kernel-" in ip, ip
    assert not any(Path(f"{ip}-{port}").exists() for port in range(1, 6)), "sockets removed after shutdown"
