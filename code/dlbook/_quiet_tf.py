"""Keep TensorFlow's "oneDNN custom operations are on" line out of the pages.

TensorFlow writes that line from C++ to file descriptor 2 when it is first
imported, whatever TF_CPP_MIN_LOG_LEVEL says (with absl's notice that logs
go to stderr), and a notebook kernel forwards both into the first cell that
imports Keras. This import hook runs
TensorFlow's first import with descriptor 2 sent to a temporary file, then
writes back every line but that one.
"""

import importlib.abc
import importlib.util
import os
import sys
import tempfile

# the line, and absl's notice that comes with the first line logged
NOISE = (b"oneDNN custom operations are on", b"before absl::InitializeLog() is called")


class _Loader(importlib.abc.Loader):
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        sys.stderr.flush()
        saved = os.dup(2)
        with tempfile.TemporaryFile() as caught:
            os.dup2(caught.fileno(), 2)
            try:
                self.loader.exec_module(module)
            finally:
                os.dup2(saved, 2)
                os.close(saved)
                caught.seek(0)
                kept = [line for line in caught.read().splitlines(keepends=True) if not any(n in line for n in NOISE)]
                if kept:
                    os.write(2, b"".join(kept))


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)          # once, and let the others find it
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def install():
    """Hook TensorFlow's first import (no-op if it is imported already)."""
    if "tensorflow" not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
