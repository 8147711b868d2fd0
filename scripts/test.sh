#!/usr/bin/env bash
# Installs dependencies, builds everything (tests and benchmarks) and runs every test with ctest.
# This is the command the README names and the one .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${OMS_BUILD_DIR:-build/test}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOMS_BUILD_BENCH=ON -DOMS_FUZZ_SECONDS=60 ${OMS_CMAKE_ARGS:-}
cmake --build "$BUILD_DIR" -j "$(nproc)"
bash scripts/check-no-float.sh
# The browser test's one dependency (playwright-core, pinned by package-lock.json) from the npm registry.
(cd tests/browser && npm ci --no-audit --no-fund)
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" --timeout 600
