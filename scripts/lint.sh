#!/usr/bin/env bash
# `npm run lint`: type-check everything (pack, sandbox, tests, scripts); ESLint with typescript-eslint
# and n8n's community-node rules on the whole repository (eslint.config.mjs); then the lint of n8n's
# community-package scanner exactly as the scanner applies it (scripts/scan-lint.mjs): on the
# sources and on the compiled JavaScript `npm pack` publishes, which is why this builds dist/.
# Rules and the reasons behind them: docs/CONVENTIONS.md, "Lint and the scanner".
set -euo pipefail
cd "$(dirname "$0")/.."
tsc --noEmit -p tsconfig.json
eslint . package.json
gulp build --silent
node scripts/scan-lint.mjs
