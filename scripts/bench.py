"""Benchmark the book against its budgets: `make bench`.

Measures, on this machine:

- every chapter run top to bottom as a notebook in a fresh kernel, as a reader
  in Binder would: wall time and the kernel's peak memory (budgets: 90 s,
  1.5 GiB);
- a cold build of the whole book (a copy of the working tree with no
  execution cache) and a warm one right after it (budgets: 8 min, 20 s);
- the weight of every built page (HTML with its embedded widget frames, as
  is and gzipped).

Writes _build/bench.json and prints a table. Usage:
    .venv/bin/python scripts/bench.py [--skip-build] [CHAPTER.md ...]
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BUDGET = {"chapter_seconds": 90, "chapter_peak_mib": 1536, "cold_build_seconds": 480,
          "warm_build_seconds": 20}
PEAK_CELL = ("import resource, sys\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")   # KiB on Linux


def chapters():
    """The chapters in the order of _toc.yml."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part["chapters"]]
    return [ROOT / f"{f}.md" for f in files if (ROOT / f"{f}.md").exists()]


def binder_env():
    """This process's environment as Binder's ``start`` script changes it."""
    out = subprocess.run([str(ROOT / "start"), "env", "-0"], capture_output=True,
                         check=True).stdout.decode()
    return dict(item.split("=", 1) for item in out.split("\0") if "=" in item)


def run_chapter(path):
    """Execute one chapter in a fresh kernel; seconds and peak MiB of the kernel."""
    nb = jupytext.read(path)
    if not any(c.cell_type == "code" for c in nb.cells):
        return None
    nb.cells.append(jupytext.reads(PEAK_CELL, fmt="py:percent").cells[0])
    env = dict(binder_env(), DLBOOK_STATIC_BUILD="1", TF_CPP_MIN_LOG_LEVEL="3",
               PYTHONHASHSEED="0")
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    old = os.environ.copy()
    os.environ.update(env)      # the kernel inherits this process's environment
    try:
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(old)
    out = [o for o in nb.cells[-1].outputs if o.get("name") == "stdout"]
    peak_kib = int(out[-1]["text"].split()[-1])
    return {"seconds": round(seconds, 1), "peak_mib": round(peak_kib / 1024)}


def timed_build(book):
    start = time.perf_counter()
    result = subprocess.run(["bash", str(ROOT / "scripts" / "build-book.sh"), str(book)],
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"build of {book} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return round(time.perf_counter() - start, 1)


def builds():
    """Cold and warm build of a copy of the working tree (tracked and new files)."""
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "book"
        files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
        for f in files:
            if (ROOT / f).is_file():
                (book / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(ROOT / f, book / f)
        cold = timed_build(book)
        warm = timed_build(book)
        # what a browser downloads for the page itself: the HTML with its
        # embedded widget frames, as is and gzipped (as servers send it)
        pages = {str(p.relative_to(book / "_build" / "html")):
                 {"bytes": p.stat().st_size, "gzip_bytes": len(gzip.compress(p.read_bytes()))}
                 for p in sorted((book / "_build" / "html").rglob("*.html"))
                 if "_static" not in p.parts and p.name not in ("genindex.html", "search.html")}
    return cold, warm, pages


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", type=Path)
    parser.add_argument("--skip-build", action="store_true", help="only run the chapters")
    args = parser.parse_args()
    kernel_env = binder_env()
    allocator = ("jemalloc" if "jemalloc" in kernel_env.get("LD_PRELOAD", "")
                 else f"glibc, MALLOC_ARENA_MAX={kernel_env.get('MALLOC_ARENA_MAX', 'default')}")
    # oneDNN's setting decides the CNN chapters' speed: say which one ran
    onednn = ("off" if kernel_env.get("TF_ENABLE_ONEDNN_OPTS") == "0"
              else f"on, ISA {kernel_env.get('ONEDNN_MAX_CPU_ISA', 'all')}")
    report = {"budget": BUDGET, "cores": os.cpu_count(), "allocator": allocator, "onednn": onednn,
              "chapters": {}}
    print(f"kernels run through ./start; memory allocator: {allocator}; oneDNN: {onednn}")
    for path in [p.resolve() for p in args.chapters] or chapters():
        name = str(path.relative_to(ROOT))
        result = run_chapter(path)
        if result:
            report["chapters"][name] = result
            print(f"{name:40} {result['seconds']:6.1f} s {result['peak_mib']:6d} MiB", flush=True)
    if not args.skip_build:
        report["cold_build_seconds"], report["warm_build_seconds"], report["pages"] = builds()
    out = ROOT / "_build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2))

    print("\n| chapter | seconds | peak MiB |\n|---|---:|---:|")
    for name, r in report["chapters"].items():
        flag = " ⚠" if r["seconds"] > BUDGET["chapter_seconds"] or r["peak_mib"] > BUDGET["chapter_peak_mib"] else ""
        print(f"| {name} | {r['seconds']:.1f} | {r['peak_mib']}{flag} |")
    if "pages" in report:
        print(f"\ncold build {report['cold_build_seconds']:.0f} s (budget {BUDGET['cold_build_seconds']}), "
              f"warm build {report['warm_build_seconds']:.0f} s (budget {BUDGET['warm_build_seconds']})")
        print("\n| page | KiB | KiB gzipped |\n|---|---:|---:|")
        for name, size in report["pages"].items():
            print(f"| {name} | {size['bytes'] / 1024:,.0f} | {size['gzip_bytes'] / 1024:,.0f} |")
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
