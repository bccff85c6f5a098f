#!/usr/bin/env bash
# Installs the project's dependencies when they are missing or older than package-lock.json.
# Node 24 comes with them (the `node` package from the npm registry); npm scripts put
# node_modules/.bin first on PATH, so every script runs on it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
marker=node_modules/.package-lock.json
if [ ! -f "$marker" ] || [ package-lock.json -nt "$marker" ] || [ ! -x node_modules/.bin/node ]; then
	echo "› Installing dependencies…" >&2
	# `npm install` with the committed lock (complete for every platform, so `npm ci` accepts it
	# too): it installs the locked versions and, unlike `npm ci`, keeps what is already installed.
	npm install --no-audit --no-fund --loglevel=error >&2
fi
version="$(node_modules/.bin/node --version)"
case "$version" in
v24.*) ;;
*) echo "Expected Node 24 in node_modules/.bin/node, found $version" >&2; exit 1 ;;
esac
