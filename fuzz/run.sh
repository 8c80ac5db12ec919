#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each in turn (`make fuzz-native`).
#   FUZZ_SECONDS=600   run time per target
#   FUZZ_TARGETS="json_lines http_parser"   a subset (default: all)
#   FUZZ_FLAGS="-max_len=8192"   extra libFuzzer flags
# Each target fuzzes a working copy of its seed corpus (build/fuzz/corpus-work/<target>),
# so what it discovers does not flood fuzz/corpus/. A crash is minimized into
# fuzz/crashes/<target>/ (give it a name that says what broke); the replay test
# fuzz.replay.<target> then runs it under every build.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-"json_lines fd_passing http_parser"}
build=build/fuzz
cxx=$(command -v clang++ || command -v clang++-14 || true)
cc=$(command -v clang || command -v clang-14 || true)
if [[ -z "$cxx" || -z "$cc" ]]; then
  echo "fuzz: no clang++ on PATH (bash scripts/install-deps.sh --fuzz installs it)" >&2
  exit 1
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DKATA_FUZZ=ON -DKATA_SOURCE=solutions -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1 \
  || { cat "$build.configure.log"; exit 1; }
binaries=()
for t in $targets; do binaries+=("${t}_fuzzer"); done
cmake --build "$build" -j "${JOBS:-2}" --target "${binaries[@]}"

found=0
for t in $targets; do
  work="$build/corpus-work/$t" artifacts="$build/artifacts/$t"
  mkdir -p "$work" "$artifacts"
  for seed in fuzz/corpus/"$t"/*; do  # keeps what earlier runs discovered
    [[ -e "$work/$(basename "$seed")" ]] || cp "$seed" "$work/"
  done
  log="$build/$t.log"
  echo "== $t: ${seconds}s on $work (log: $log)"
  set +e
  # One process, one worker: the machine is shared. -timeout catches hangs.
  # shellcheck disable=SC2086
  "$build/fuzz/${t}_fuzzer" "$work" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" ${FUZZ_FLAGS:-} >"$log" 2>&1
  rc=$?
  set -e
  grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1 || true
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$log" || true
  if [[ $rc -ne 0 ]]; then
    found=1
    crash=$(grep -oE "Test unit written to \S+" "$log" | tail -1 | cut -d' ' -f5 || true)
    echo "!! $t failed (exit $rc); first report:"
    grep -m1 -A12 -E '^==[0-9]+==ERROR|fuzz check failed|^SUMMARY|deadly signal' "$log" || tail -20 "$log"
    if [[ -n "$crash" ]]; then
      mkdir -p "fuzz/crashes/$t"
      out="fuzz/crashes/$t/new-$(basename "$crash")"
      "$build/fuzz/${t}_fuzzer" "$crash" -minimize_crash=1 -max_total_time=60 -timeout=10 \
        -exact_artifact_path="$out" >"$build/$t.minimize.log" 2>&1 || true
      [[ -s "$out" ]] || cp "$crash" "$out"
      echo "!! crash input: $crash"
      echo "!! minimized:   $out ($(stat -c %s "$out") bytes) — rename it after the bug it shows"
    fi
  fi
done
exit $found
