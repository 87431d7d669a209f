"""Seed sweep: build the book with other seeds and check that what it says holds.

For every seed shift (``DLBOOK_SEED_SHIFT``, see ``code/dlbook/seeds.py``) the
book is built into ``_build/seeds/shift-N`` (its own site; its own execution
cache beside the book's, ``_build/.jupyter_cache/dlbook-<hash>-seedN``) and
the chapter tests (``tests/test_chapters.py``) run against that build. Shift 0
is the book's own build (``make book``), cached. Writes ``_build/seeds.json``
(every glued value per shift) and ``_build/seeds.md`` (per glued number: value
per shift, min, median, max; per glued sentence: how many versions the runs
gave), and fails when any chapter test fails for any shift.

Usage: python scripts/seeds.py [SHIFT ...]   (default: 1 2 3)
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def build_extension():
    path = ROOT / "book" / "_ext" / "dlbook_build.py"
    spec = importlib.util.spec_from_file_location("dlbook_build", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chapters():
    """Every chapter with code, as paths relative to book/ without suffix."""
    return sorted(str(p.relative_to(ROOT / "book").with_suffix(""))
                  for p in (ROOT / "book").rglob("*.md")
                  if "_build" not in p.parts and "```{code-cell}" in p.read_text())


def run(cmd, env, log):
    with open(log, "w") as f:
        return subprocess.run(cmd, cwd=ROOT, env=env, stdout=f, stderr=subprocess.STDOUT).returncode


def sweep_one(shift, ext):
    env = {**os.environ, "DLBOOK_SEED_SHIFT": str(shift)}
    out = ROOT / "_build" / "seeds" / f"shift-{shift}"
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    built = run(["bash", "scripts/build-book.sh", str(ROOT), str(out) if shift else str(ROOT)],
                env, out / "build.log") == 0
    seconds = time.perf_counter() - start
    tested = built and run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_chapters.py"],
                           env, out / "tests.log") == 0
    os.environ["DLBOOK_SEED_SHIFT"] = str(shift)
    try:
        cache = ROOT / "_build" / ".jupyter_cache" / ext.cache_key()
    finally:
        del os.environ["DLBOOK_SEED_SHIFT"]
    values = {c: ext.executed_glue(cache, ROOT / "book" / f"{c}.md") or {} for c in chapters()} if built else {}
    return {"built": built, "tests_passed": tested, "build_seconds": round(seconds),
            "logs": str(out.relative_to(ROOT)), "values": values}


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def summary(report):
    shifts = report["shifts"]
    runs = report["runs"]
    lines = ["# Seed sweep", "",
             "| shift | built | chapter tests | build s |", "|---:|:-:|:-:|---:|"]
    for s in shifts:
        r = runs[str(s)]
        lines.append(f"| {s} | {'yes' if r['built'] else 'NO'} | "
                     f"{'pass' if r['tests_passed'] else 'FAIL'} | {r['build_seconds']} |")
    head = " | ".join(f"shift {s}" for s in shifts)
    lines += ["", "## Glued numbers", "",
              f"| chapter | name | {head} | min | median | max |",
              "|---|---|" + "---:|" * (len(shifts) + 3)]
    texts = []
    for chapter in chapters():
        names = sorted({n for s in shifts for n in runs[str(s)]["values"].get(chapter, {})})
        for name in names:
            vals = [runs[str(s)]["values"].get(chapter, {}).get(name) for s in shifts]
            if all(_is_number(v) for v in vals):
                cells = " | ".join(f"{v:.4g}" for v in vals)
                lines.append(f"| {chapter} | {name} | {cells} | {min(vals):.4g} | "
                             f"{statistics.median(vals):.4g} | {max(vals):.4g} |")
            elif all(isinstance(v, str) for v in vals):
                texts.append(f"| {chapter} | {name} | {len(set(vals))} |")
    if texts:
        lines += ["", "## Glued sentences (versions over the shifts)", "",
                  "| chapter | name | versions |", "|---|---|---:|"] + texts
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shifts", nargs="*", type=int, default=[1, 2, 3])
    args = parser.parse_args()
    if any(s <= 0 for s in args.shifts):
        sys.exit(f"seed shifts must be positive integers (0 is the book's own build), got {args.shifts}")
    ext = build_extension()
    shifts = [0] + sorted(set(args.shifts))
    report = {"shifts": shifts, "runs": {}}
    for shift in shifts:
        print(f"shift {shift}: building and testing ...", flush=True)
        r = report["runs"][str(shift)] = sweep_one(shift, ext)
        print(f"shift {shift}: built {r['built']}, chapter tests "
              f"{'pass' if r['tests_passed'] else 'FAIL'} ({r['build_seconds']} s; logs in {r['logs']})",
              flush=True)
    (ROOT / "_build" / "seeds.json").write_text(json.dumps(report, indent=1))
    text = summary(report)
    (ROOT / "_build" / "seeds.md").write_text(text)
    print(text)
    failed = [s for s in shifts if not report["runs"][str(s)]["tests_passed"]]
    if failed:
        for s in failed:
            log = ROOT / report["runs"][str(s)]["logs"] / ("tests.log" if report["runs"][str(s)]["built"]
                                                          else "build.log")
            print(f"--- shift {s}: {log.relative_to(ROOT)} (tail)\n" + log.read_text()[-3000:])
        sys.exit(f"seed sweep failed for shifts {failed}")


if __name__ == "__main__":
    main()
