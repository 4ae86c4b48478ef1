#!/usr/bin/env bash
# The whole test suite: type check, then unit, integration (PGlite and PostgreSQL)
# and browser tests. Extra arguments go to vitest (e.g. a file filter).
set -euo pipefail
cd "$(dirname "$0")/../.."
TEST_DATABASE_URL="$(bash scripts/test/prepare-system.sh)"
export TEST_DATABASE_URL
echo "type check (tsc)…"
npx tsc -p .
npx vitest run "$@"
