#!/usr/bin/env bash
# Rebuilds plotly-poc.min.js and regenerator-runtime.min.js from the pinned packages
# (package-lock.json) with build.mjs. Needs node and npm, only to rebuild: the built files are
# committed, so neither setup nor CI needs them.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
node node_modules/esbuild/install.js
version() { node -p "require('$1/package.json').version"; }
node build.mjs "$(version plotly.js)" "$(version regenerator-runtime)"
rm -rf node_modules
ls -l ./*.min.js ./*.LEGAL.txt
