"""Sphinx extension with the book's build-time settings.

1. Execution cache keyed by the shared package. jupyter-cache decides whether
   to re-run a chapter by hashing the chapter's own code cells only, so a
   changed helper in ``code/dlbook`` would leave stale outputs in the pages.
   The cache therefore lives in a folder named after a hash of the package:
   change the package and every chapter runs afresh. A seed shift
   (``DLBOOK_SEED_SHIFT``, scripts/seeds.py) gets a folder of its own.
2. Theme fixes: a default colour mode (book/_static/page-setup.js; else the
   theme logs a console error on a reader's first visit), and each script only once
   per page (sphinx-thebe and sphinx-togglebutton register their inline
   configuration twice under Jupyter Book, and thebe's ``const`` then throws).
3. A change to the book's static files (CSS, JS) rewrites every page, so that
   it reaches the site on a warm rebuild.
4. The kernel's environment: the chapters learn they run in the static build
   (``DLBOOK_STATIC_BUILD``) and TensorFlow's C++ logging is off before any
   chapter imports it.
5. Kernels over Unix sockets. Sphinx reads several chapters at once, each
   starting a kernel. Over TCP (jupyter_client's default) a kernel's ports are
   picked free, released, and bound by the kernel a moment later; in between
   another process can take one (a parallel reader's probe, a client's
   outgoing connection), the kernel then fails to start and the build stops
   (seen in CI). Every kernel of the build therefore talks over IPC sockets
   under a path of its own.
6. Colab: every chapter is also written as a Jupyter notebook to
   ``_build/notebooks/<chapter>.ipynb`` (CI publishes that folder to the
   repository's ``notebooks`` branch), with a first cell that installs
   ``dlbook`` on Colab at the commit the site was built from, and every
   chapter page gets an "open in Colab" launch button that points there.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

BOOK_DIR = Path(__file__).resolve().parents[1]
PACKAGE_DIR = BOOK_DIR.parent / "code" / "dlbook"
STATIC_DIRS = (BOOK_DIR / "_static", BOOK_DIR / "_vendor")
_SKIP_DIRS = {"__pycache__"}
# The reader-notebook converter lives beside this file; the tests load this
# file by path, so its folder may not be on sys.path yet.
if str(Path(__file__).resolve().parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent))


def tree_hash(*dirs):
    """Hash of every file below ``dirs`` (paths and contents), as 16 hex digits."""
    digest = hashlib.sha256()
    for top in map(Path, dirs):
        for path in sorted(top.rglob("*")):
            rel = path.relative_to(top)
            if not path.is_file() or _SKIP_DIRS & set(rel.parts) or path.suffix == ".pyc":
                continue
            digest.update(f"{top.name}/{rel.as_posix()}".encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def package_hash(package_dir=PACKAGE_DIR):
    """Hash of the package's files: the key of the execution cache."""
    return tree_hash(package_dir)


def cache_key():
    """Name of the execution cache folder: the package's hash, and the seed
    shift (``DLBOOK_SEED_SHIFT``) when one is set, so that a seed sweep keeps
    one cache per seed beside the book's own."""
    # (not by importing dlbook: that would set TensorFlow's environment in
    # Sphinx's process; the kernels' dlbook checks the value's range)
    text = os.environ.get("DLBOOK_SEED_SHIFT", "").strip() or "0"
    try:
        shift = int(text)
    except ValueError:
        raise ValueError(f"DLBOOK_SEED_SHIFT must be an integer, got {text!r}") from None
    return f"dlbook-{package_hash()}" + (f"-seed{shift}" if shift else "")


def executed_glue(cache_dir, source):
    """name -> value of every glue() in the executed chapter ``source`` (a
    path) in the execution cache ``cache_dir``; None if it is not there.
    Glued Markdown comes back as its text, everything else as the Python
    value its repr shows."""
    import ast

    from jupyter_cache import get_cache

    cache = get_cache(cache_dir)
    records = [r for r in cache.list_cache_records() if r.uri == str(source)]
    if not records:
        return None
    nb = cache.get_cache_bundle(max(records, key=lambda r: r.created).pk).nb
    values = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            book = out.get("metadata", {}).get("scrapbook", {})
            if "name" in book:
                prefix = book.get("mime_prefix", "")
                if prefix + "text/markdown" in out["data"]:   # glued Markdown("...")
                    values[book["name"]] = out["data"][prefix + "text/markdown"]
                else:
                    values[book["name"]] = ast.literal_eval(out["data"][prefix + "text/plain"])
    return values


def _key_cache(app, config):
    base = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if not base.is_absolute():
        base = Path(app.confdir) / base
    key = cache_key()
    # Caches of older package versions can never be hit again; drop them
    # (those of other seed shifts of this version stay).
    current = f"dlbook-{package_hash()}"
    if base.is_dir():
        for old in base.iterdir():
            if (old.is_dir() and old.name.startswith("dlbook-")
                    and old.name != current and not old.name.startswith(current + "-seed")):
                shutil.rmtree(old, ignore_errors=True)
    config.nb_execution_cache_path = str(base / key)
    # Create the cache's database now, in the main process: with parallel
    # reading, the first chapters would otherwise all create it at once
    # ("table settings already exists").
    from jupyter_cache import get_cache

    cache = get_cache(config.nb_execution_cache_path)
    cache.list_cache_records()
    # Close the connection before Sphinx forks its readers. A forked reader
    # would inherit the open SQLite file; when it closes that copy, POSIX
    # drops every lock the reader holds on the file, its own transactions'
    # included, and two readers can then write at once: a chapter's cache
    # record was lost that way in a parallel build.
    cache.db.dispose()


def _static_outdated(app, env, added, changed, removed):
    # Sphinx copies _static only when it writes pages, and writes only pages
    # whose source changed: a CSS or JS edit alone would never reach the site.
    key = tree_hash(*STATIC_DIRS)
    if getattr(env, "dlbook_static_hash", None) == key:
        return []
    env.dlbook_static_hash = key
    return sorted(env.found_docs - set(added) - set(changed))


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attrs = getattr(script, "attributes", {})
        # Same file (inline scripts have '' or None) and attributes; the
        # priority may differ.
        key = (getattr(script, "filename", None) or "", tuple(sorted((k, str(v)) for k, v in attrs.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"][:] = unique


COLAB_URL = "https://colab.research.google.com"
#: The branch that CI publishes _build/notebooks to; Colab opens it from GitHub.
NOTEBOOK_BRANCH = "notebooks"

SETUP_CELL = """\
# Runs the chapter in Google Colab (does nothing elsewhere): installs the
# book's package dlbook at the commit this notebook was made from, and a
# stand-in for myst_nb.glue, which puts numbers into the book's pages.
import sys
if "google.colab" in sys.modules:
    import subprocess
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet",
         "dlbook @ git+{repo}@{commit}#subdirectory=code"],
        capture_output=True, text=True)
    print("dlbook installed." if done.returncode == 0 else
          "Could not install dlbook, the book's package:\\n" + done.stderr[-2000:])
try:
    import myst_nb  # noqa: F401
except ImportError:
    import types
    from IPython.display import display as _display

    def _glue(name, variable, display=True):
        if display:
            _display(variable)

    sys.modules["myst_nb"] = types.SimpleNamespace(glue=_glue)
"""


def _is_chapter(path):
    """A MyST notebook: a markdown file whose front matter names a kernel."""
    path = Path(path)
    return path.suffix == ".md" and "kernelspec:" in path.read_text(encoding="utf-8").split("\n---", 1)[0]


def _github(app):
    """(repository URL, org, repo) from the book's repository setting."""
    url = app.config.html_theme_options.get("repository_url", "").rstrip("/")
    m = re.match(r"https://github\.com/([^/]+)/([^/]+)$", url)
    return (url, m.group(1), m.group(2)) if m else (url, None, None)


def _commit(directory):
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=directory, capture_output=True,
                             text=True, check=True, timeout=30)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "main"       # not a git checkout: the newest commit


READER_NOTE = """\
> This notebook is the chapter [{title}]({url}) of the book *{book}*, with the
> book's text as its page shows it. The numbers in the text are the ones the
> book's build computed; when you run the cells, yours may differ slightly
> (other package versions, another processor)."""

#: Code cells whose code the page hides; their code starts collapsed in the notebook.
HIDDEN_TAGS = {"hide-input", "hide-cell", "remove-input", "remove-cell"}

#: What Binder needs beside the notebooks: the notebooks branch is a
#: repository of its own, and Binder builds its environment from these.
BINDER_FILES = ("requirements.txt", "runtime.txt", "apt.txt", "postBuild", "start", "LICENSE")


def site_url(app):
    """The published site's root URL, ending in a slash."""
    base = app.config.dlbook_site_url
    if not base:
        raise ValueError("set sphinx.config.dlbook_site_url in _config.yml: "
                         "the reader notebooks link to the published site")
    return base.rstrip("/") + "/"


def _citations(bibfiles):
    """{key: (last names of the authors, year)} from the book's bibliography."""
    from pybtex.database import parse_file
    from pybtex.richtext import Text

    out = {}
    for bib in bibfiles:
        for key, entry in parse_file(bib).entries.items():
            people = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [Text.from_latex(" ".join(p.prelast_names + p.last_names)).render_as("text")
                     for p in people]
            out[key] = (names, entry.fields.get("year", "n.d."))
    return out


def reader_resolver(app, docname):
    """The :class:`reader_notebook.Resolver` of one page of the built book."""
    import json

    from reader_notebook import Resolver

    env = app.env
    base = site_url(app)
    folder = Path(env.mystnb_config.output_folder)
    if not hasattr(app, "_dlbook_citations"):
        app._dlbook_citations = _citations(Path(app.srcdir) / b for b in app.config.bibtex_bibfiles)
    glue_cache = {}

    def glue(doc, key):
        if doc not in glue_cache:
            path = folder / f"{doc}.glue.json"
            glue_cache[doc] = json.loads(path.read_text()) if path.exists() else {}
        return glue_cache[doc][key]["data"]

    def page_url(doc, anchor=None):
        return f"{base}{doc}.html" + (f"#{anchor}" if anchor else "")

    labels = env.get_domain("std").labels
    anchors = {c.key: c.citation_id for c in env.domaindata.get("cite", {}).get("citations", [])}
    references = next((d for d in sorted(env.found_docs) if "bibliography" in
                       Path(env.doc2path(d)).read_text(encoding="utf-8")), None)
    return Resolver(
        docname=docname, glue=glue, page_url=page_url,
        title=lambda doc: env.titles[doc].astext(),
        label=lambda name: labels[name],
        citation=lambda key: app._dlbook_citations[key],
        references_url=page_url(references) if references else base,
        docnames=set(env.found_docs),
        # sphinxcontrib-bibtex's anchor of each entry (the page's citations link there too).
        citation_anchor=lambda key: anchors.get(key))


def reader_notebook(source, resolver, repo, commit, book_title):
    """The chapter at ``source`` as a reader notebook (Colab, Binder, download).

    Markdown cells are converted from MyST to CommonMark
    (:func:`reader_notebook.to_commonmark`); code cells stay as they are,
    after a first cell that installs dlbook on Colab and a note on the numbers.
    """
    import jupytext
    from nbformat.v4 import new_code_cell, new_markdown_cell
    from reader_notebook import to_commonmark

    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["colab"] = {"provenance": []}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = to_commonmark(cell.source, resolver)
        elif HIDDEN_TAGS & set(cell.metadata.get("tags", [])):
            # What the page hides (plumbing, and code that would give away an
            # exercise's answer) starts collapsed: JupyterLab and Colab.
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.metadata["cellView"] = "form"
    note = READER_NOTE.format(title=resolver.title(resolver.docname), book=book_title,
                              url=resolver.page_url(resolver.docname))
    nb.cells[:0] = [new_code_cell(SETUP_CELL.format(repo=repo, commit=commit)), new_markdown_cell(note)]
    return nb


def _write_notebooks(app, exception):
    if exception is not None or app.builder.name != "html":
        return
    import nbformat

    repo, _, _ = _github(app)
    commit = _commit(app.srcdir)
    out = Path(app.outdir).parent / "notebooks"
    shutil.rmtree(out, ignore_errors=True)
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if _is_chapter(source):
            nb = reader_notebook(source, reader_resolver(app, docname), repo, commit, app.config.html_title or app.config.project)
            target = out / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, target)
            # The page's "download .ipynb" gives the same notebook.
            download = Path(app.outdir) / "_sources" / f"{docname}.ipynb"
            if download.parent.is_dir():
                shutil.copyfile(target, download)
    _write_binder_files(Path(app.srcdir), out)


def _write_binder_files(root, out):
    """Make ``out`` a repository Binder can build: environment and dlbook."""
    for name in BINDER_FILES:
        shutil.copy2(root / name, out / name)
    shutil.copytree(root / "code", out / "code",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build"))
    (out / "README.md").write_text(NOTEBOOKS_README, encoding="utf-8")


NOTEBOOKS_README = """\
# The book's chapters as notebooks

Written by the book's build (`book/_ext/dlbook_build.py` on the main branch)
and published here by CI: every chapter as a notebook whose text is plain
Markdown, for Google Colab and Binder. Binder builds its environment from
`requirements.txt`, `runtime.txt`, `apt.txt` and `postBuild` here; `code/`
is the book's package `dlbook`. Do not edit this branch: CI replaces it.
"""


def binder_link(app, docname):
    """Where Binder opens the reader notebook of ``docname`` (None if not on GitHub)."""
    _, org, repo = _github(app)
    if org is None:
        return None
    hub = app.config.html_theme_options.get("launch_buttons", {}).get("binderhub_url", "https://mybinder.org")
    return f"{hub.rstrip('/')}/v2/gh/{org}/{repo}/{NOTEBOOK_BRANCH}?urlpath=lab/tree/{docname}.ipynb"


def colab_link(app, docname):
    """Where Colab opens the notebook of ``docname`` (None if not on GitHub)."""
    _, org, repo = _github(app)
    if org is None:
        return None
    return f"{COLAB_URL}/github/{org}/{repo}/blob/{NOTEBOOK_BRANCH}/{docname}.ipynb"


def _launch_reader_notebooks(app, pagename, templatename, context, doctree):
    # After sphinx-book-theme has built its launch menu (priority 500): Binder
    # opens the reader notebook on the notebooks branch, not the .md source,
    # and a Colab button opens the same notebook.
    if pagename not in app.env.found_docs or not _is_chapter(app.env.doc2path(pagename)):
        return
    url = colab_link(app, pagename)
    for group in context.get("header_buttons", []):
        items = group.get("buttons") if isinstance(group, dict) else None
        if url and group.get("label") == "launch-buttons" and items is not None:
            for item in items:
                if item.get("text") == "Binder":
                    item["url"] = binder_link(app, pagename)
            items.append({"type": "link", "text": "Colab", "tooltip": "Launch on Colab",
                          "icon": "_static/images/logo_colab.png", "url": url})


def _kernel_manager_class():
    """AsyncKernelManager over IPC sockets at a path unique to each kernel."""
    import tempfile
    import uuid

    from jupyter_client import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _transport_default(self):
            return "ipc"

        @default("ip")
        def _ip_default(self):
            # a socket path is limited to about 100 bytes: keep it short
            return os.path.join(tempfile.gettempdir(), f"dlbook-kernel-{uuid.uuid4().hex[:12]}")

    return IPCKernelManager


def _kernels_over_ipc():
    """Make myst-nb's executions (through jupyter-cache and nbclient) start
    their kernels with ``_kernel_manager_class()``. Idempotent."""
    import jupyter_cache.executors.utils as executors

    if getattr(executors.executenb, "_dlbook_ipc", False):
        return
    run = executors.executenb
    manager = _kernel_manager_class()

    def executenb(nb, **kwargs):
        kwargs.setdefault("kernel_manager_class", manager)
        return run(nb, **kwargs)

    executenb._dlbook_ipc = True
    executors.executenb = executenb


def setup(app):
    os.environ["DLBOOK_STATIC_BUILD"] = "1"
    # before Sphinx forks its readers, which execute the chapters
    _kernels_over_ipc()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # TF_ENABLE_ONEDNN_OPTS and ONEDNN_MAX_CPU_ISA: each kernel's dlbook
    # decides by processor (and ./start, through which scripts/build-book.sh
    # runs), see dlbook/__init__.py
    # Runs before myst-nb reads its configuration at builder-inited.
    app.add_config_value("dlbook_site_url", "", "env", types=[str])
    app.connect("config-inited", _key_cache, priority=400)
    app.connect("env-get-outdated", _static_outdated)
    # html-page-context stops at the first handler that returns a template
    # name, so run early; the duplicates are registered long before this.
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.add_js_file("page-setup.js", priority=100)
    app.connect("html-page-context", _launch_reader_notebooks, priority=600)
    app.connect("build-finished", _write_notebooks)
    _declare_multitoc_parallel_safe(app)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _declare_multitoc_parallel_safe(app):
    """Let Sphinx read (and so execute) chapters in parallel.

    sphinx-external-toc always loads sphinx_multitoc_numbering, which does not
    say whether it is safe for parallel reading; Sphinx then reads one
    document at a time. It only replaces TocTreeCollector.assign_section_numbers,
    which Sphinx calls in the main process after the documents are read, so
    it is safe: say so on its behalf.
    """
    ext = app.extensions.get("sphinx_multitoc_numbering")
    if ext is not None and ext.parallel_read_safe is None:
        ext.parallel_read_safe = True
        ext.parallel_write_safe = True
