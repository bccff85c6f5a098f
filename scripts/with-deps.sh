#!/usr/bin/env bash
# Runs a command after making sure the project's dependencies (and with them Node 24, which n8n
# 2.x needs) are installed: `npm run build` and friends work on a fresh clone.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
export PATH="$ROOT/node_modules/.bin:$PATH"
cd "$ROOT"
exec "$@"
