#!/usr/bin/env bash
# The pytest layer: remote/tests (the remote Python package: tiny-model
# training, resume, LoRA, cancel, the job-file contract) with the venv's
# python. Prints "pytest: N passed, N failed" and writes "<passed> <failed>"
# to $QDS_TEST_COUNTS/pytest like the other layers. A venv that cannot be
# built counts as a failure, never as a skip.
set -uo pipefail
cd "$(dirname "$0")/.."
report() {
  echo "pytest: $1 passed, $2 failed"
  if [ -n "${QDS_TEST_COUNTS:-}" ]; then echo "$1 $2" >"$QDS_TEST_COUNTS/pytest"; fi
}
if ! py=$(bash scripts/remote-env.sh | tail -n 1) || [ ! -x "$py" ]; then
  echo "pytest: the remote venv could not be prepared (see above)" >&2
  report 0 1
  exit 1
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
(cd remote && "$py" -m pytest -q -p no:cacheprovider tests) 2>&1 | tee "$out"
status=${PIPESTATUS[0]}
summary=$(tail -n 1 "$out")
count() { grep -oE "[0-9]+ $1" <<<"$summary" | grep -oE '^[0-9]+' || echo 0; }
passed=$(count passed)
failed=$(($(count failed) + $(count error)))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
report "$passed" "$failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
