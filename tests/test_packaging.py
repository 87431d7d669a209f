"""code/pyproject.toml states ranges that admit Google Colab's stack, so that
installing dlbook there upgrades nothing; the book's pins stay in
requirements.txt."""

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "code" / "pyproject.toml").read_text())["project"]
# Colab's published backend-info (tests/colab/requirements.txt holds the same)
COLAB = {"numpy": "2.1.3", "matplotlib": "3.10.0", "ipywidgets": "7.7.1", "pillow": "11.3.0",
         "keras": "3.13.2", "tensorflow": "2.20.0"}


def requirements():
    reqs = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in PROJECT.get("optional-dependencies", {}).values():
        reqs += [Requirement(r) for r in extra]
    return reqs


def test_no_exact_pins():
    for req in requirements():
        assert not any(s.operator in ("==", "===") for s in req.specifier), f"{req} pins a version"


def test_colab_versions_are_admitted():
    for req in requirements():
        assert req.name.lower() in COLAB, f"{req.name}: add Colab's version to this test"
        assert req.specifier.contains(COLAB[req.name.lower()]), f"Colab's {req.name} {COLAB[req.name.lower()]} is outside {req}"


def test_the_books_pins_are_admitted_too():
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", (ROOT / "requirements.txt").read_text(), re.M))
    for req in requirements():
        name = {"tensorflow": "tensorflow-cpu"}.get(req.name, req.name)
        assert req.specifier.contains(pins[name]), f"the book's {name} {pins[name]} is outside {req}"


def test_python_range_admits_colab_and_binder():
    spec = Requirement("python" + PROJECT["requires-python"]).specifier
    assert spec.contains("3.11") and spec.contains("3.13")
