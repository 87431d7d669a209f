#!/usr/bin/env bash
# Builds the book into _build/html, executing every chapter (cached), and fails
# on any cell error or Sphinx warning. Usage: scripts/build-book.sh [BOOK_DIR [OUT_DIR]]
# (default: this repository); the site goes to OUT_DIR/_build/html (default:
# BOOK_DIR's). The execution cache is BOOK_DIR/_build/.jupyter_cache either way.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
book=${1:-$root}
out=${2:-$book}
py="$root/.venv/bin/python"
[ -x "$py" ] || py=python3
# oneDNN: ./start decides per processor (capped at AVX2 on AVX-512, see code/dlbook).
export TF_CPP_MIN_LOG_LEVEL=3 PYTHONHASHSEED=0
# `jupyter-book build`, with the chapters executed DLBOOK_JOBS at a time
# (default: one per core; see scripts/jupyter_book_parallel.py).
# -W: warnings are errors; -n: also warn on broken references;
# --keep-going: report every warning of the run, not just the first.
# Through ./start, so that the chapters' kernels run as on Binder (the malloc
# arena cap keeps several parallel kernels small).
"$root/start" "$py" "$root/scripts/jupyter_book_parallel.py" build "$book" --path-output "$out" -W -n --keep-going
echo "Built: $out/_build/html/index.html (serve it with: make serve, then open http://127.0.0.1:8000)"
