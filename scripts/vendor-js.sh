#!/usr/bin/env bash
# Reproduces book/_vendor/: the JavaScript the site serves itself instead of
# loading it from a CDN. Versions are pinned here; run this script after
# changing one and commit the result. Needs npm and the npm registry.
set -euo pipefail
MATHJAX=3.2.2                # MathJax 3, as Sphinx 7 expects
REQUIREJS=2.3.7              # loader that myst-nb's widget embedding uses
HTML_MANAGER=1.0.15          # @jupyter-widgets/html-manager 1.0.x renders ipywidgets 8 state

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/book/_vendor"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

npm install --prefix "$tmp" --no-audit --no-fund --ignore-scripts --silent \
  "mathjax@$MATHJAX" "requirejs@$REQUIREJS" "@jupyter-widgets/html-manager@$HTML_MANAGER"
nm="$tmp/node_modules"

rm -rf "$out"
mkdir -p "$out/mathjax" "$out/requirejs" "$out/html-manager"

# MathJax: the combined TeX component, plus what it loads relative to itself
# (fonts, autoloaded TeX extensions, menu and accessibility parts). The speech
# engine (sre, 4 MB) is left out: it only loads when a reader turns speech on.
cp "$nm/mathjax/es5/tex-mml-chtml.js" "$nm/mathjax/LICENSE" "$out/mathjax/"
for d in input/tex/extensions output/chtml/fonts a11y ui adaptors; do
  mkdir -p "$out/mathjax/$d" && cp -r "$nm/mathjax/es5/$d/." "$out/mathjax/$d/"
done

cp "$nm/requirejs/require.js" "$out/requirejs/require.js"
# require.js carries its licence (MIT) in its header; keep it as a file too.
head -n 5 "$nm/requirejs/require.js" > "$out/requirejs/LICENSE"

# html-manager: the self-contained AMD bundle and the web fonts it requests
# next to itself (woff2 for current browsers, woff as fallback).
hm="$nm/@jupyter-widgets/html-manager"
cp "$hm/dist/embed-amd.js" "$out/html-manager/"
cp "$hm/dist/"*.woff2 "$hm/dist/"*.woff "$out/html-manager/"
cp "$hm/dist/embed.js.LICENSE.txt" "$out/html-manager/THIRD-PARTY-LICENSES.txt"
cat > "$out/html-manager/LICENSE" <<'LIC'
@jupyter-widgets/html-manager is distributed under the BSD 3-Clause License,
Copyright (c) 2015 Project Jupyter Contributors. See
THIRD-PARTY-LICENSES.txt for the licences of the code bundled into it.
LIC

cat > "$out/VERSIONS" <<VER
mathjax $MATHJAX
requirejs $REQUIREJS
@jupyter-widgets/html-manager $HTML_MANAGER
VER
du -sh "$out"
