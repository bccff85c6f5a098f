#!/usr/bin/env bash
# Type-check everything (pack, sandbox, tests, scripts), then ESLint with n8n's community-node rules.
set -euo pipefail
cd "$(dirname "$0")/.."
tsc --noEmit -p tsconfig.json
eslint . package.json
