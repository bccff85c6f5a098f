#!/usr/bin/env bash
# The test command (`npm test`): installs what is missing, lints, builds, installs the pinned n8n,
# then runs every test layer: pure units and the sandbox, workflows through n8n's engine
# in-process, and end-to-end against a real n8n process and a real browser.
# Extra arguments go to jest (e.g. `npm test -- test/unit`).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
bash scripts/bootstrap.sh
export PATH="$ROOT/node_modules/.bin:$PATH"

# lint.sh builds the pack too: the community-package scanner's rules also read what npm pack publishes.
echo "› Lint and build" >&2
bash scripts/lint.sh
bash scripts/ensure-n8n.sh
bash scripts/ensure-chromium.sh
bash scripts/ensure-queue-services.sh

echo "› Tests" >&2
args=(--ci)
if [ -n "${JEST_JSON:-}" ]; then args+=(--json "--outputFile=$JEST_JSON"); fi
jest "${args[@]}" "$@"
