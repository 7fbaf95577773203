#!/usr/bin/env bash
# README command 2: install everything the tests need, then run every layer:
# type check, lint, unit (mocha, includes the conformance ratchet), grammar,
# and integration tests in a real VS Code extension host. Each layer writes
# "<layer>: N passed, N failed"; the last line is the total.
set -euo pipefail
cd "$(dirname "$0")/.."
export QDS_TEST_COUNTS="$(mktemp -d)"
trap 'rm -rf "$QDS_TEST_COUNTS"' EXIT

bash scripts/install-deps.sh
echo "== type check"; npx tsc --noEmit -p .
echo "== lint"; npx biome check .
echo "== build"; node scripts/build.mjs
echo "== unit"; npx mocha
echo "== grammar"; node scripts/test-grammar.mjs
echo "== integration"; npm run --silent test:integration

node scripts/total-counts.mjs "$QDS_TEST_COUNTS"
