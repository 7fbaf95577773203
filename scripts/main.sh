#!/usr/bin/env bash
# README command 1: install, build, and run the main job: verify every test of
# the example dataset with the embedded q engine (and the Python references).
# Exits non-zero when any test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
node scripts/build.mjs
node dist/cli.js verify examples/dataset "$@"
