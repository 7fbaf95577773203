#!/usr/bin/env bash
# README command 2: install everything the tests need, then run every layer:
# type check, lint, unit (mocha, includes the conformance ratchet), grammar,
# and integration tests in a real VS Code extension host. Each layer writes
# "<layer>: N passed, N failed"; the last line is the total.
set -euo pipefail
cd "$(dirname "$0")/.."
export QDS_TEST_COUNTS="$(mktemp -d)"
trap 'rm -rf "$QDS_TEST_COUNTS"' EXIT

# Each layer is timed (seconds) so slow layers show up in CI logs.
layer() {
  local name=$1 start=$SECONDS
  shift
  echo "== $name"
  "$@"
  echo "== $name took $((SECONDS - start)) s"
}
layer install bash scripts/install-deps.sh
layer "remote env" bash scripts/remote-env.sh
layer "type check" npx tsc --noEmit -p .
layer lint npx biome check .
layer build node scripts/build.mjs
layer unit npx mocha
layer grammar node scripts/test-grammar.mjs
layer pytest bash scripts/test-pytest.sh
# The suite's deadline (a hang guard, not a speed target): it includes a real bootstrap run and the code-server
# start, which took over 4 minutes on a loaded 2-core machine.
QDS_INTEGRATION_TIMEOUT_S="${QDS_INTEGRATION_TIMEOUT_S:-900}" layer integration npm run --silent test:integration

node scripts/total-counts.mjs "$QDS_TEST_COUNTS"
