#!/usr/bin/env bash
# `npm run check:package` (also run by `npm publish` as prepublishOnly, and inside `npm test`): the
# pre-publish check. Builds the pack, then test/e2e/package.test.ts checks what `npm pack` publishes:
# only dist/ (compiled nodes and credentials, icons, codex files), README, LICENSE, CHANGELOG; no
# source maps, local paths, tests or sandbox; no import of anything n8n does not provide to community
# packages; and every node and credential of the `n8n` attribute loads in a bare n8n (the tarball
# installed into an empty folder with only n8n's own n8n-workflow, luxon and zod, from the pinned n8n).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$PATH"
echo "› Build" >&2
gulp build --silent
bash scripts/ensure-n8n.sh
echo "› Package check" >&2
exec jest --ci test/e2e/package.test.ts --selectProjects e2e
