#!/usr/bin/env bash
# Rebuilds plotly-poc.min.js from the pinned plotly.js (package-lock.json). Needs node and npm
# (only to rebuild: the built file is committed, so neither setup nor CI needs them).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
node node_modules/esbuild/install.js
version=$(node -p "require('plotly.js/package.json').version")
{
  echo "/* plotly.js v${version} (MIT, Plotly, Inc.): core + bar, heatmap, choropleth, scattergeo, scatterpolar."
  echo "   Built by vendor/plotly/build.sh from entry.js; do not edit. */"
  node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2018 \
    --loader:.css=empty --define:global=window --log-level=warning
} > plotly-poc.min.js
rm -rf node_modules
ls -l plotly-poc.min.js
