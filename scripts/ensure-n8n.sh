#!/usr/bin/env bash
# Installs the n8n release this pack is pinned to (tools/n8n/package.json) once, for the demo, the
# end-to-end tests and the benchmarks. Registry packages are installed without their install
# scripts (native add-ons n8n does not load here, such as Kafka's, cannot build on these
# machines), then SQLite's binding, the one n8n needs, is compiled for Node 24.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
export PATH="$ROOT/node_modules/.bin:$PATH"
cd "$ROOT/tools/n8n"
want="$(node -p "require('./package.json').dependencies.n8n")"
have="$(node -p "try { require('./node_modules/n8n/package.json').version } catch { '' }")"
if [ "$have" != "$want" ] || [ ! -f node_modules/.gym-access-ready ]; then
	echo "› Installing n8n $want into tools/n8n (first time only, about 5 minutes)…" >&2
	# npm install with the committed lock: see scripts/bootstrap.sh.
	npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	echo "› Compiling SQLite for Node $(node --version)…" >&2
	npm rebuild sqlite3 --loglevel=error >&2
	touch node_modules/.gym-access-ready
fi
