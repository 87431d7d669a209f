"""dlbook imports from anywhere; the standard library's `code` module is not shadowed."""

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = Path(sysconfig.get_paths()["stdlib"]).resolve()


def run(cwd, code):
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True)
    return out.stdout.strip()


@pytest.mark.parametrize("where", [ROOT, ROOT / "book", Path("/tmp")])
def test_dlbook_imports(where):
    path = run(where, "import dlbook, sys; print(dlbook.__file__)")
    assert Path(path).resolve() == ROOT / "code" / "dlbook" / "__init__.py"


@pytest.mark.parametrize("where", [ROOT, ROOT / "book"])
def test_code_is_the_standard_library(where):
    path = Path(run(where, "import code; print(code.__file__)")).resolve()
    assert path.parent == STDLIB, f"`import code` gave {path}, not the standard library's"
    run(where, "import pdb")  # pdb imports code


def test_dlbook_does_not_import_tensorflow():
    # Chapters that only draw should not wait for TensorFlow.
    assert run("/tmp", "import dlbook, sys; print('tensorflow' in sys.modules)") == "False"
