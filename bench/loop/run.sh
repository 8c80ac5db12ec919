#!/usr/bin/env bash
# Event-loop benchmark: the kata's reference loop vs libuv vs node, same
# workloads, median of KATA_BENCH_RUNS (3) runs each; prints ops/s and ratios.
# All three are measured WARM: each workload runs once untimed, then timed.
# V8 keeps its heap after node's warm-up run; glibc would give freed memory
# back to the kernel at once (and the timed run would pay first-touch page
# faults again), so loop_bench.cpp and uv_bench.c tell it to keep it
# (mallopt M_TRIM_THRESHOLD / M_MMAP_THRESHOLD, see their main()).
#   bash bench/loop/run.sh            (builds build/h3-bench, Release)
# Needs libuv1-dev (the C program) and node; a missing one shows "-".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${KATA_BENCH_BUILD:-$ROOT/build/h3-bench}"
JOBS="${JOBS:-2}"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKATA_SOURCE=solutions -DKATA_BENCH=ON >/dev/null
cmake --build "$BUILD" --target bench_loop_ref -j "$JOBS" >/dev/null
cmake --build "$BUILD" --target bench_loop_uv -j "$JOBS" >/dev/null 2>&1 || true

RUNS="${KATA_BENCH_RUNS:-3}"
WORKLOADS="next_tick promise_then immediates_at_once immediates_chained timers_50_durations"
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
for run in $(seq "$RUNS"); do
  # The reference runs each workload in a process of its own: what one
  # workload leaves in the allocator (a million freed callbacks) then cannot
  # speed up or slow down the next one.
  for w in $WORKLOADS; do "$BUILD/bench/loop/bench_loop_ref" "$w"; done > "$TMP/ref.$run"
  if [ -x "$BUILD/bench/loop/bench_loop_uv" ]; then "$BUILD/bench/loop/bench_loop_uv" > "$TMP/uv.$run"; else : > "$TMP/uv.$run"; fi
  if command -v node >/dev/null; then node "$ROOT/bench/loop/node_bench.js" > "$TMP/node.$run"; else : > "$TMP/node.$run"; fi
done

python3 - "$TMP" "$RUNS" <<'PY'
import sys, os, statistics
tmp, runs = sys.argv[1], int(sys.argv[2])
def load(name):
    # The median of the runs, per workload.
    seen = {}
    for run in range(1, runs + 1):
        for line in open(os.path.join(tmp, f'{name}.{run}')):
            k, v = line.split()
            if v != 'n/a':
                seen.setdefault(k, []).append(float(v))
    return {k: statistics.median(v) for k, v in seen.items()}
ref, uv, node = load('ref'), load('uv'), load('node')
rows = ['next_tick', 'promise_then', 'immediates_at_once', 'immediates_chained', 'timers_50_durations']
labels = {'next_tick': '1M next_tick', 'promise_then': '1M promise reactions',
          'immediates_at_once': '1M immediates at once', 'immediates_chained': '1M chained immediates',
          'timers_50_durations': '1M timers, 50 durations'}
fmt = lambda v: '-' if v is None else f'{v/1e6:,.2f} M'
ratio = lambda a, b: '-' if a is None or b is None else f'{a/b:.1f}x'
cores = os.cpu_count()
print(f'ops/s, median of {runs} runs, warm (a warm-up run first; freed memory kept by all three) '
      f'({cores} cores; node {os.popen("node --version").read().strip() or "-"})')
print(f'| workload | reference | libuv | node | ref/libuv | ref/node |')
print(f'|---|---:|---:|---:|---:|---:|')
for r in rows:
    a, b, c = ref.get(r), uv.get(r), node.get(r)
    print(f'| {labels[r]} | {fmt(a)} | {fmt(b)} | {fmt(c)} | {ratio(a, b)} | {ratio(a, c)} |')
floor, t = ref.get('timers_floor'), ref.get('timers_50_durations')
if floor:
    # setTimeout reads a fresh clock per call (Node's getLibuvNow), and the
    # last 50 ms timer is due 50 ms after it was queued.
    node_t = node.get('timers_50_durations')
    print(f'\ntimers floor = 50 ms + 1M clock reads (measured): {fmt(floor)}/s; '
          f'reference at {100 * t / floor:.0f} % of it' + (f'; the floor is {floor / node_t:.1f}x node' if node_t else ''))
PY
