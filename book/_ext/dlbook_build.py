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
"""

import hashlib
import os
import shutil
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
    return {"parallel_read_safe": True, "parallel_write_safe": True}
