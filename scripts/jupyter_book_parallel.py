"""`jupyter-book build` with Sphinx reading several chapters at once.

Jupyter Book 1.x passes no job count to Sphinx (its command line has no
``-j``), so a cold build executes the chapters one after the other and keeps
one core busy. myst-nb executes a chapter while Sphinx reads it, so parallel
reading executes chapters in parallel. The job count comes from
``DLBOOK_JOBS``; the arguments are those of ``jupyter-book build``.

The default is twice the number of cores: Sphinx cuts the sorted list of
documents into one chunk per job by count, not by cost, so with one job per
core the chunk that holds the long MNIST chapters runs long after the other
has finished; smaller chunks keep both cores busy to the end.
"""

import os
import sys

import jupyter_book.sphinx as jb_sphinx
from jupyter_book.cli.main import main

_build_sphinx = jb_sphinx.build_sphinx


def build_sphinx(*args, **kwargs):
    kwargs["jobs"] = int(os.environ.get("DLBOOK_JOBS") or 2 * (os.cpu_count() or 1))
    return _build_sphinx(*args, **kwargs)


# jupyter_book.cli.main imports build_sphinx inside its build command, at
# call time, so replacing the module attribute here is enough.
jb_sphinx.build_sphinx = build_sphinx

if __name__ == "__main__":
    sys.exit(main())
