#!/usr/bin/env bash
# Builds the compliance fuzz targets with clang's libFuzzer (+ AddressSanitizer, UBSan) and runs each for a time.
#   scripts/fuzz.sh OUT_DIR SECONDS [rules|expression ...]
# The corpus grows in OUT_DIR/corpus-<target> across runs; a crash leaves its input in OUT_DIR and fails the script.
# The per-input timeout is wall-clock: 60 s, so that a loaded 2-core CI machine does not report a slow input as a hang.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$(mkdir -p "$1" && cd "$1" && pwd)
SECONDS_EACH=$2
shift 2
TARGETS=("${@:-rules expression}")
read -ra TARGETS <<<"${TARGETS[*]}"
CXX=${FUZZ_CXX:-clang++}

# The pure modules the targets reach, instrumented for coverage; clang 14 compiles them against libstdc++ 12
# because they avoid <ranges> (see the architecture page's dependency facts).
SOURCES=("$ROOT"/src/core/*.cpp "$ROOT"/src/domain/*.cpp "$ROOT"/src/compliance/*.cpp)
FLAGS=(-std=c++20 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
       -I"$ROOT/include")

for t in "${TARGETS[@]}"; do
  case $t in
    rules) define=OMS_FUZZ_TARGET_RULES ;;
    expression) define=OMS_FUZZ_TARGET_EXPRESSION ;;
    *) echo "fuzz.sh: unknown target $t (rules, expression)" >&2; exit 2 ;;
  esac
  bin=$OUT/fuzz_$t
  if [[ ! -x $bin || -n $(find "$ROOT/src/compliance" "$ROOT/src/core" "$ROOT/src/domain" "$ROOT/include" \
        "$ROOT/fuzz" -newer "$bin" -name '*.[ch]pp' -print -quit) ]]; then
    echo "fuzz.sh: building $bin"
    "$CXX" "${FLAGS[@]}" -D"$define" "${SOURCES[@]}" "$ROOT/fuzz/compliance/fuzz_rules.cpp" -lyaml-cpp -o "$bin"
  fi
  corpus=$OUT/corpus-$t
  mkdir -p "$corpus"
  if [[ $t == rules ]]; then
    cp -n "$ROOT"/compliance_rules/*.yaml "$corpus"/ 2>/dev/null || true
  else
    # Every `require:` expression of the demo rule book is a seed.
    grep -h 'require:' "$ROOT"/compliance_rules/*.yaml | sed 's/^.*require:[[:space:]]*//; s/^"//; s/"$//' |
      while IFS= read -r e; do printf '%s' "$e" >"$corpus/seed-$(printf '%s' "$e" | md5sum | cut -c1-12)"; done
  fi
  echo "fuzz.sh: running $t for ${SECONDS_EACH}s"
  (cd "$OUT" && "$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -timeout=60 -rss_limit_mb=2048 \
     "$corpus" 2>&1 | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==|SUMMARY|Done)' || true)
  # libFuzzer writes crash-/leak-/timeout- files for every failure it finds.
  if compgen -G "$OUT/crash-*" >/dev/null || compgen -G "$OUT/leak-*" >/dev/null || compgen -G "$OUT/timeout-*" >/dev/null; then
    echo "fuzz.sh: $t found a failure: $(ls "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* 2>/dev/null)" >&2
    exit 1
  fi
done
