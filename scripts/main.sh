#!/usr/bin/env bash
# README command 1: install, build, and run the main job on the embedded q engine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
node scripts/build.mjs
node dist/cli.js version
