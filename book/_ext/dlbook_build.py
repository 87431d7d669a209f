"""Sphinx extension with the book's build-time settings.

1. Execution cache keyed by the shared package. jupyter-cache decides whether
   to re-run a chapter by hashing the chapter's own code cells only, so a
   changed helper in ``code/dlbook`` would leave stale outputs in the pages.
   The cache therefore lives in a folder named after a hash of the package:
   change the package and every chapter runs afresh.
2. Theme fixes: a default colour mode (book/_static/page-setup.js; else the
   theme logs a console error on a reader's first visit), and each script only once
   per page (sphinx-thebe and sphinx-togglebutton register their inline
   configuration twice under Jupyter Book, and thebe's ``const`` then throws).
3. A change to the book's static files (CSS, JS) rewrites every page, so that
   it reaches the site on a warm rebuild.
4. The kernel's environment: the chapters learn they run in the static build
   (``DLBOOK_STATIC_BUILD``) and TensorFlow's C++ logging is off before any
   chapter imports it.
5. Colab: every chapter is also written as a Jupyter notebook to
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
from pathlib import Path

BOOK_DIR = Path(__file__).resolve().parents[1]
PACKAGE_DIR = BOOK_DIR.parent / "code" / "dlbook"
STATIC_DIRS = (BOOK_DIR / "_static", BOOK_DIR / "_vendor")
_SKIP_DIRS = {"__pycache__"}


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


def _key_cache(app, config):
    base = Path(config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache")
    if not base.is_absolute():
        base = Path(app.confdir) / base
    key = package_hash()
    # Caches of older package versions can never be hit again; drop them.
    if base.is_dir():
        for old in base.iterdir():
            if old.is_dir() and old.name.startswith("dlbook-") and old.name != f"dlbook-{key}":
                shutil.rmtree(old, ignore_errors=True)
    config.nb_execution_cache_path = str(base / f"dlbook-{key}")
    # Create the cache's database now, in the main process: with parallel
    # reading, the first chapters would otherwise all create it at once
    # ("table settings already exists").
    from jupyter_cache import get_cache

    get_cache(config.nb_execution_cache_path).list_cache_records()


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


def colab_notebook(source, repo, commit):
    """The chapter at ``source`` as a notebook that runs in Colab."""
    import jupytext
    from nbformat.v4 import new_code_cell

    nb = jupytext.read(source)
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["colab"] = {"provenance": []}
    nb.cells.insert(0, new_code_cell(SETUP_CELL.format(repo=repo, commit=commit)))
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
            target = out / f"{docname}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(colab_notebook(source, repo, commit), target)


def colab_link(app, docname):
    """Where Colab opens the notebook of ``docname`` (None if not on GitHub)."""
    _, org, repo = _github(app)
    if org is None:
        return None
    return f"{COLAB_URL}/github/{org}/{repo}/blob/{NOTEBOOK_BRANCH}/{docname}.ipynb"


def _add_colab_button(app, pagename, templatename, context, doctree):
    # After sphinx-book-theme has built its launch menu (priority 500).
    if pagename not in app.env.found_docs or not _is_chapter(app.env.doc2path(pagename)):
        return
    url = colab_link(app, pagename)
    for group in context.get("header_buttons", []):
        items = group.get("buttons") if isinstance(group, dict) else None
        if url and group.get("label") == "launch-buttons" and items is not None:
            items.append({"type": "link", "text": "Colab", "tooltip": "Launch on Colab",
                          "icon": "_static/images/logo_colab.png", "url": url})


def setup(app):
    os.environ["DLBOOK_STATIC_BUILD"] = "1"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # why: see dlbook/__init__.py
    # Runs before myst-nb reads its configuration at builder-inited.
    app.connect("config-inited", _key_cache, priority=400)
    app.connect("env-get-outdated", _static_outdated)
    # html-page-context stops at the first handler that returns a template
    # name, so run early; the duplicates are registered long before this.
    app.connect("html-page-context", _dedupe_scripts, priority=100)
    app.add_js_file("page-setup.js", priority=100)
    app.connect("html-page-context", _add_colab_button, priority=600)
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
