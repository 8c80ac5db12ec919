#!/usr/bin/env bash
# Chapter 4 benchmark: children and IPC round trips per second, side by side:
# this kata's reference runtime, Node's child_process, and a raw posix_spawn
# loop. Usage: bench/child_process/run.sh [seconds-per-figure]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${KATA_BENCH_BUILD:-$root/build/h4-bench}"
secs="${1:-2}"

cmake -S "$root" -B "$build" -G Ninja -DKATA_SOURCE=solutions -DKATA_BENCH=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target bench_child_process ch4_fork_echo -j2 >/dev/null

kata="$("$build/bench/child_process/bench_child_process" "$secs" "$build/tests/ch4-node-multiprocess/ch4_fork_echo")"
node_out=""
if command -v node >/dev/null; then node_out="$(node "$here/node_bench.js" "$secs")"; fi

get() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2fx", a / b }'; }

echo "chapter 4 child_process — per second, one ${secs}s run each, $(nproc) cores, $(uname -sr)"
echo "node $(node --version 2>/dev/null || echo missing)"
printf '%-16s %12s %12s %12s %12s %14s\n' "what" "kata" "node" "raw spawn" "kata/node" "raw/kata"
raw="$(get "$kata" raw_posix_spawn)"
for k in spawn exec ipc_round_trip; do
  a="$(get "$kata" $k)"; n="$(get "$node_out" $k)"
  r="-"; rr="-"
  [ "$k" = spawn ] && { r="$raw"; rr="$(ratio "$raw" "$a")"; }
  printf '%-16s %12s %12s %12s %12s %14s\n' "$k" "$a" "${n:--}" "$r" "$(ratio "$a" "$n")" "$rr"
done
echo "targets: spawn >= 2x node and raw/kata <= 1.3x; ipc_round_trip >= 3x node"
