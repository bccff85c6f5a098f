#!/usr/bin/env bash
# The benchmarks (`npm run bench`): installs what is missing, builds the pack (a real n8n installs
# it from its tarball), installs the pinned n8n, then runs bench/run.ts. Arguments go to it, e.g.
#   npm run bench -- --quick                 # 1,000 members, 50 unlocks (a few minutes)
#   npm run bench -- --sizes 1000,5000       # some sizes
#   npm run bench -- --only economy,rate     # some sections (economy, rate, apilatency, compute, accuracy, latency, queue)
# Results: bench/results/latest.json (+ a timestamped copy); a full default run also writes its
# tables into bench/README.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
started=$(date +%s)
bash scripts/bootstrap.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
echo "› Build" >&2
gulp build --silent
bash scripts/ensure-n8n.sh
bash scripts/ensure-queue-services.sh
echo "› Benchmarks (setup took $(( $(date +%s) - started )) s)" >&2
BENCH_SETUP_SECONDS=$(( $(date +%s) - started )) tsx bench/run.ts "$@"
