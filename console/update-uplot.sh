#!/usr/bin/env bash
# Copies the uPlot version pinned in console/package.json into gateway/wwwroot/lib/uplot/.
# The console has no build step and a fresh machine has no node, so the built files are
# committed; run this (with npm) only to change the version, then commit the three files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/../gateway/wwwroot/lib/uplot"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$work/"
(cd "$work" && npm install --no-audit --no-fund --ignore-scripts --silent)
mkdir -p "$target"
cp "$work/node_modules/uplot/dist/uPlot.iife.min.js" "$work/node_modules/uplot/dist/uPlot.min.css" "$work/node_modules/uplot/LICENSE" "$target/"
echo "uPlot $(node -p "require('$work/node_modules/uplot/package.json').version") copied to $target"
