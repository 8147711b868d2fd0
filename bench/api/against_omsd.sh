#!/usr/bin/env bash
# bench_api_load against the real omsd trading with the real oms-broker-sim on 127.0.0.1 (free ports,
# a temporary directory, the SQLite record), as scripts/run-demo.sh runs them.
#   bench/api/against_omsd.sh BUILD_DIR [ORDERS] [DURABILITY] [CLIENTS...]
#   e.g. bench/api/against_omsd.sh build/release 3000 process 1 4 8
# The rule book is the demo's order-level rules without the duplicate-order warning: the load posts
# identical orders, which that rule would (rightly) answer with 409 until acknowledged.
set -euo pipefail
S=$(cd "$(dirname "$0")/../.." && pwd)
B=$(cd "$1" && pwd); N=${2:-3000}; DUR=${3:-process}; shift $(( $# < 3 ? $# : 3 ))
CLIENTS=("${@:-1}")
D=$(mktemp -d /tmp/oms-bench-api.XXXXXX)
SIM=""; OMSD=""
cleanup() { [[ -n $OMSD ]] && kill "$OMSD" 2>/dev/null; [[ -n $SIM ]] && kill "$SIM" 2>/dev/null; wait 2>/dev/null; rm -rf "$D"; }
trap cleanup EXIT
mkdir "$D/rules"
awk '/- id: duplicate-60s/{skip=1} /- id: /&&!/duplicate-60s/{skip=0} !skip' "$S/compliance_rules/order_limits.yaml" > "$D/rules/order_limits.yaml"
cat > "$D/sim.yaml" <<Y
listen: {host: 127.0.0.1, port: 0}
store: {type: memory}
sessions:
  - {BeginString: FIX.4.4, SenderCompID: BROKER, TargetCompID: OMS, DataDictionary: $S/fix_specs/FIX44.xml}
default: {action: fill, price: limit, reference_price: "100"}
Y
"$B/src/bin/oms-broker-sim" --config "$D/sim.yaml" --port 0 --journal "$D/journal.jsonl" > "$D/sim.out" 2>&1 &
SIM=$!
for _ in $(seq 100); do grep -q LISTENING "$D/sim.out" && break; sleep 0.1; done
PORT=$(grep -o 'LISTENING [0-9]*' "$D/sim.out" | cut -d' ' -f2)
cat > "$D/oms.yaml" <<Y
database: {path: $D/oms.db, durability: $DUR}
reference: {instruments: $S/config/instruments.csv, accounts: $S/config/accounts.yaml}
compliance: {rules_dir: $D/rules}
api: {listen: 127.0.0.1:0, users: $S/config/users.yaml}
fix:
  default_broker: BROKER
  log_dir: $D/fix-log
  sessions:
    - {name: BROKER, begin_string: FIX.4.4, sender_comp_id: OMS, target_comp_id: BROKER, port: $PORT, heartbeat: 30, reconnect_interval: 1, data_dictionary: $S/fix_specs/FIX44.xml}
Y
"$B/src/bin/omsd/omsd" --config "$D/oms.yaml" > "$D/omsd.out" 2>&1 &
OMSD=$!
for _ in $(seq 200); do grep -q "BROKER logged on" "$D/omsd.out" && break; sleep 0.1; done
API=$(grep -o 'api listening on 127.0.0.1:[0-9]*' "$D/omsd.out" | cut -d: -f2)
for c in "${CLIENTS[@]}"; do
  "$B/bench/api/bench_api_load" --url "http://127.0.0.1:$API" --token demo-dave --account GROWTH --symbol AAPL \
    --orders "$N" --clients "$c" || true
done
sleep 2  # the last fills
curl -s -H 'Authorization: Bearer demo-root' "http://127.0.0.1:$API/metrics" | grep '^oms_orders' || true
