#!/usr/bin/env bash
# Installs every Debian 12 package the OMS needs to build, test and run. Idempotent; run as root.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  build-essential g++ cmake ninja-build pkg-config git ca-certificates
  libquickfix-dev libquickfix-doc
  libboost-dev libssl-dev
  libsqlite3-dev sqlite3
  libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev googletest libbenchmark-dev librapidcheck-dev
  iproute2 procps curl python3
  chromium                     # the browser test (tests/browser) drives Debian's headless Chromium
  clang libclang-rt-14-dev     # libFuzzer for the compliance fuzz targets (scripts/fuzz.sh)
)
# The browser test runs under node (>= 18) with npm. Debian 12's nodejs/npm are fine; a node already
# installed from elsewhere (e.g. NodeSource, which bundles npm) is kept rather than fought over.
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
