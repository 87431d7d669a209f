"""Run notebooks top to bottom in fresh kernels, as a reader would; report
each one's time and fail on the first cell error.

Usage: python scripts/run_notebooks.py [--jobs N] NOTEBOOK.ipynb ...
The kernel is this interpreter's (so run it with the environment to test);
``DLBOOK_STATIC_BUILD`` is left unset: a reader's notebook has a live kernel.
"""

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def run(path):
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    try:
        NotebookClient(nb, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    except CellExecutionError as err:
        return path, None, str(err)[-3000:]
    stderr = [o["text"] for c in nb.cells if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("name") == "stderr"]
    return path, time.perf_counter() - start, "".join(stderr)[-1500:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    failed = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for fut in as_completed([pool.submit(run, p) for p in args.notebooks]):
            path, seconds, text = fut.result()
            if seconds is None:
                failed.append(path)
                print(f"FAILED {path}\n{text}", flush=True)
            else:
                print(f"ok     {path} ({seconds:.0f} s)" + (f"\n  stderr: {text}" if text else ""),
                      flush=True)
    if failed:
        sys.exit(f"{len(failed)} of {len(args.notebooks)} notebooks failed: {failed}")
    print(f"all {len(args.notebooks)} notebooks ran")


if __name__ == "__main__":
    main()
