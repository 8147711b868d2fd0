#!/usr/bin/env bash
# Money and quantities are fixed-point: no double or float in the OMS's own sources.
set -euo pipefail
cd "$(dirname "$0")/.."
if grep -rnwE '(double|float)' include src --include='*.hpp' --include='*.cpp' --include='*.h'; then
  echo "check-no-float: found 'double' or 'float' in include/ or src/ (use Price/Quantity/Money)" >&2
  exit 1
fi
echo "check-no-float: ok"
