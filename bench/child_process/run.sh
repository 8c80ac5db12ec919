#!/usr/bin/env bash
# Chapter 4 benchmark: children and IPC round trips per second, side by side:
# this kata's reference runtime, Node's child_process, and raw system calls
# (a posix_spawn loop; a socketpair ping-pong).
# Usage: bench/child_process/run.sh [seconds-per-figure]
# Environment: KATA_BENCH_RUNS=3 (each figure is the median of that many runs)
#              KATA_BENCH_PIN=0  (do not pin the IPC figures to one CPU)
#              KATA_BENCH_BUILD=build/h4-bench
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${KATA_BENCH_BUILD:-$root/build/h4-bench}"
secs="${1:-2}"
runs="${KATA_BENCH_RUNS:-3}"

cmake -S "$root" -B "$build" -G Ninja -DKATA_SOURCE=solutions -DKATA_BENCH=ON -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target bench_child_process ch4_fork_echo -j2 >/dev/null

bench="$build/bench/child_process/bench_child_process"
echo_child="$build/tests/ch4-node-multiprocess/ch4_fork_echo"
# Two processes ping-ponging are fastest on one CPU and several times slower
# when the scheduler puts them on two (each wake-up is then a cross-CPU
# interrupt; on a VM an expensive one), and which one a run gets is luck.
# Pinning both sides of every implementation to CPU 0 compares like with like.
pin=()
if [ "${KATA_BENCH_PIN:-1}" != 0 ] && command -v taskset >/dev/null; then pin=(taskset -c 0); fi

all=""
for _ in $(seq "$runs"); do
  all+="$("$bench" "$secs")"$'\n'
  all+="$("${pin[@]}" "$bench" "$secs" "$echo_child" ipc-only)"$'\n'
  if command -v node >/dev/null; then
    all+="$(node "$here/node_bench.js" "$secs" spawn-only | sed 's/^/node_/')"$'\n'
    all+="$("${pin[@]}" node "$here/node_bench.js" "$secs" ipc-only | sed 's/^/node_/')"$'\n'
  fi
done

# The median of the runs of figure $1 (empty when there is none).
median() { echo "$all" | awk -v k="$1" '$1 == k { print $2 }' | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2fx", a / b }'; }

echo "chapter 4 child_process — per second, median of $runs runs of ${secs}s, $(nproc) cores, $(uname -sr)"
echo "node $(node --version 2>/dev/null || echo missing); IPC figures ${pin[*]:+pinned to CPU 0 (${pin[*]})}"
printf '%-16s %12s %12s %12s %12s %12s\n' "what" "kata" "node" "raw" "kata/node" "raw/kata"
row() {
  local k="$1" raw_key="$2" a n r
  a="$(median "$k")"; n="$(median "node_$k")"; r=""
  [ -n "$raw_key" ] && r="$(median "$raw_key")"
  printf '%-16s %12s %12s %12s %12s %12s\n' "$k" "$a" "${n:--}" "${r:--}" "$(ratio "$a" "$n")" "$(ratio "$r" "$a")"
}
row spawn raw_posix_spawn
row exec ""
row ipc_round_trip raw_socketpair
row ipc_pipelined ""
echo "raw: spawn = a posix_spawn + waitpid loop; ipc_round_trip = the same line over a socketpair, blocking, no JSON"
echo "targets: spawn >= 2x node and raw/kata <= 1.3x; IPC round trips >= 3x node"
