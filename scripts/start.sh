#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the pack, then runs the demo (scripts/demo.ts).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
gulp build --silent
bash scripts/ensure-n8n.sh
exec tsx scripts/demo.ts
