#!/usr/bin/env bash
# `make colab`: every chapter, as the notebook its Colab button opens, run top
# to bottom on Google Colab's stack (tests/colab/requirements.txt: Colab's
# TensorFlow, Keras, ipywidgets 7, numpy, matplotlib and Pillow). Checks first
# that installing dlbook there changes none of those packages.
# Needs the notebooks of a build (make book writes _build/notebooks).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv=.venv-colab
reqs=tests/colab/requirements.txt
if [ ! -f "$venv/.installed" ] || [ "$reqs" -nt "$venv/.installed" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet -r "$reqs"
  touch "$venv/.installed"
fi
"$venv/bin/python" -m pip uninstall --quiet --yes dlbook 2>/dev/null || true
before=$("$venv/bin/python" -m pip freeze)
# As the notebook's first cell does on Colab: with dependencies, which must
# all be satisfied already.
"$venv/bin/python" -m pip install --quiet ./code
after=$("$venv/bin/python" -m pip freeze | grep -v '^dlbook')
if [ "$before" != "$after" ]; then
  echo "installing dlbook changed Colab's packages:" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  exit 1
fi
mapfile -t notebooks < <(find _build/notebooks -name '*.ipynb' | sort)
if [ "${#notebooks[@]}" -eq 0 ]; then
  echo "no notebooks in _build/notebooks: run make book first" >&2
  exit 1
fi
# ipykernel 6's debugger warns about frozen modules on every kernel start.
export PYDEVD_DISABLE_FILE_VALIDATION=1
env -u DLBOOK_STATIC_BUILD "$venv/bin/python" -Xfrozen_modules=off scripts/run_notebooks.py \
  --jobs "${DLBOOK_JOBS:-2}" "${notebooks[@]}"
