#!/bin/sh
# QuickFIX's own example `executor` as the OMS's counterparty, started with oms-broker-sim's command line so
# tests/integration/oms_harness.hpp can start it in the simulator's place (fix_interop_test.cpp).
#   run_quickfix_executor.sh --config IGNORED --port IGNORED --journal DIR/journal.jsonl --log-dir IGNORED
# Environment: OMS_EXECUTOR (the executor built from libquickfix-doc's sources), OMS_FIX_SPECS (fix_specs/).
# Writes DIR/executor.cfg, keeps its FileStore in DIR/executor-store and its pid in DIR/executor.pid, prints
# "LISTENING <port>" as the simulator does, then becomes the executor (its screen log is this process's output).
# The executor's SocketAcceptor binds every interface, so this refuses to run unless loopback is the only
# network interface (a namespace of the test's own: unshare -n).
set -eu

journal=""
while [ $# -gt 0 ]; do
  case "$1" in
    --journal) journal="$2"; shift 2 ;;
    --*) shift 2 ;;
    *) shift ;;
  esac
done
[ -n "$journal" ] || { echo "run_quickfix_executor: --journal is required" >&2; exit 2; }
: "${OMS_EXECUTOR:?OMS_EXECUTOR must name the executor binary}"
: "${OMS_FIX_SPECS:?OMS_FIX_SPECS must name the fix_specs folder}"

others=$(ip -o link show | awk -F': ' '$2 != "lo" { print $2 }')
if [ -n "$others" ]; then
  echo "run_quickfix_executor: refusing to start: interfaces other than lo exist ($others); the executor binds" \
       "every interface, run it in a loopback-only network namespace (unshare -n)" >&2
  exit 3
fi

dir=$(dirname "$journal")
port=${OMS_EXECUTOR_PORT:-15001}  # any port: the namespace is the test's own
cat >"$dir/executor.cfg" <<EOF
[DEFAULT]
ConnectionType=acceptor
SocketAcceptPort=$port
SocketReuseAddress=Y
FileStorePath=$dir/executor-store
StartTime=00:00:00
EndTime=00:00:00
UseDataDictionary=Y
ValidateUserDefinedFields=N

[SESSION]
BeginString=FIX.4.4
SenderCompID=BROKER
TargetCompID=OMS
DataDictionary=$OMS_FIX_SPECS/FIX44.xml

[SESSION]
BeginString=FIX.4.2
SenderCompID=BROKER42
TargetCompID=OMS42
DataDictionary=$OMS_FIX_SPECS/FIX42.xml
EOF
echo $$ >"$dir/executor.pid"
echo "LISTENING $port"
exec "$OMS_EXECUTOR" "$dir/executor.cfg"
