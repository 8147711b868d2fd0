#!/usr/bin/env bash
# Installs dependencies, builds (Release) and runs the OMS on its embedded defaults: the SQLite record
# under var/, config/oms.yaml, the demo rule book, and the bundled broker simulator on 127.0.0.1:9878.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
BUILD_DIR=${OMS_BUILD_DIR:-build/release}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DOMS_BUILD_TESTS=OFF -DOMS_BUILD_BENCH=OFF
cmake --build "$BUILD_DIR" -j "$(nproc)" --target omsd oms-broker-sim omsctl
mkdir -p var

"$BUILD_DIR/src/bin/oms-broker-sim" --config config/broker-sim.yaml --port 9878 \
  --journal var/broker-journal.jsonl --log-dir var/broker-sim-log &
SIM_PID=$!
trap 'kill "$SIM_PID" 2>/dev/null || true' EXIT

cat <<MSG

  OMS demo
  --------
  Blotter:    http://127.0.0.1:8080/        (sign in with a token below; web/README.md)
  API:        http://127.0.0.1:8080/api/v1  (routes: src/api/ROUTES.md)
  PM token:          demo-alice   (portfolio manager of GROWTH and BALANCED)
  compliance token:  demo-carol   (compliance officer: approves held orders)
  trader token:      demo-dave    viewer: demo-erin    admin: demo-root
  Orders above 1,000,000 of notional are held for approval (compliance_rules/order_limits.yaml).
  try:  OMS_TOKEN=demo-alice $BUILD_DIR/src/bin/omsctl/omsctl orders new --account GROWTH --symbol AAPL --side buy --qty 100 --limit 190
  Ctrl-C stops omsd and the broker simulator.

MSG
"$BUILD_DIR/src/bin/omsd/omsd" --config config/oms.yaml
