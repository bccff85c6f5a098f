#!/usr/bin/env bash
# One test layer, for the inner loop (`npm run test:unit`, `test:engine`, `test:e2e`): only what
# that layer needs, no lint. Extra arguments go to jest before the project is chosen, e.g.
# `npm run test:unit -- test/unit/kisi` or `npm run test:engine -- -t "Kisi Trigger"`.
#   unit    pure modules and the sandbox: nothing installed or built
#   engine  workflows through n8n's engine in this process: the pinned n8n (its core nodes)
#   e2e     a real n8n and a real browser: build, the pinned n8n, Chromium, PostgreSQL and Redis
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
layer="${1:-}"
shift || true
case "$layer" in
unit) ;;
engine) bash scripts/ensure-n8n.sh ;;
e2e)
	echo "› Build" >&2
	gulp build --silent
	bash scripts/ensure-n8n.sh
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-queue-services.sh
	;;
*)
	echo "Usage: scripts/test-layer.sh unit|engine|e2e [jest arguments]" >&2
	exit 2
	;;
esac
args=(--ci)
if [ -n "${JEST_JSON:-}" ]; then args+=(--json "--outputFile=$JEST_JSON"); fi
# The paths first: --selectProjects takes every word after it as a project name.
exec jest "${args[@]}" "$@" --selectProjects "$layer"
