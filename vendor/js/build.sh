#!/usr/bin/env bash
# Rebuilds plotly-poc.min.js and regenerator-runtime.min.js from the pinned packages
# (package-lock.json). Needs node and npm, only to rebuild: the built files are committed, so
# neither setup nor CI needs them.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
node node_modules/esbuild/install.js
build() {  # entry, output, header
  {
    echo "$3"
    node_modules/.bin/esbuild "$1" --bundle --minify --format=iife --target=es2018 \
      --loader:.css=empty --define:global=window --log-level=warning
  } > "$2"
}
version() { node -p "require('$1/package.json').version"; }
build plotly-entry.js plotly-poc.min.js \
  "/* plotly.js v$(version plotly.js) (MIT, Plotly, Inc.): core + bar, heatmap, choropleth, scattergeo, scatterpolar.
   Built by vendor/js/build.sh from plotly-entry.js; do not edit. */"
build regenerator-entry.js regenerator-runtime.min.js \
  "/* regenerator-runtime v$(version regenerator-runtime) (MIT, Meta Platforms). Built by vendor/js/build.sh; do not edit. */"
rm -rf node_modules
ls -l ./*.min.js
