#!/usr/bin/env bash
# Event-loop benchmark: the kata's reference loop vs libuv vs node, same
# workloads, one run each; prints ops/s and ratios.
#   bash bench/loop/run.sh            (builds build/h3-bench, Release)
# Needs libuv1-dev (the C program) and node; a missing one shows "-".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${KATA_BENCH_BUILD:-$ROOT/build/h3-bench}"
JOBS="${JOBS:-2}"

cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DKATA_SOURCE=solutions -DKATA_BENCH=ON >/dev/null
cmake --build "$BUILD" --target bench_loop_ref -j "$JOBS" >/dev/null
cmake --build "$BUILD" --target bench_loop_uv -j "$JOBS" >/dev/null 2>&1 || true

TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT
"$BUILD/bench/loop/bench_loop_ref" > "$TMP/ref"
if [ -x "$BUILD/bench/loop/bench_loop_uv" ]; then "$BUILD/bench/loop/bench_loop_uv" > "$TMP/uv"; else : > "$TMP/uv"; fi
if command -v node >/dev/null; then node "$ROOT/bench/loop/node_bench.js" > "$TMP/node"; else : > "$TMP/node"; fi

python3 - "$TMP" <<'PY'
import sys, os
tmp = sys.argv[1]
def load(name):
    d = {}
    for line in open(os.path.join(tmp, name)):
        k, v = line.split()
        d[k] = None if v == 'n/a' else float(v)
    return d
ref, uv, node = load('ref'), load('uv'), load('node')
rows = ['next_tick', 'promise_then', 'immediates_at_once', 'immediates_chained', 'timers_50_durations']
labels = {'next_tick': '1M next_tick', 'promise_then': '1M promise reactions',
          'immediates_at_once': '1M immediates at once', 'immediates_chained': '1M chained immediates',
          'timers_50_durations': '1M timers, 50 durations'}
fmt = lambda v: '-' if v is None else f'{v/1e6:,.2f} M'
ratio = lambda a, b: '-' if a is None or b is None else f'{a/b:.1f}x'
cores = os.cpu_count()
print(f'ops/s, one run each ({cores} cores; node {os.popen("node --version").read().strip() or "-"})')
print(f'| workload | reference | libuv | node | ref/libuv | ref/node |')
print(f'|---|---:|---:|---:|---:|---:|')
for r in rows:
    a, b, c = ref.get(r), uv.get(r), node.get(r)
    print(f'| {labels[r]} | {fmt(a)} | {fmt(b)} | {fmt(c)} | {ratio(a, b)} | {ratio(a, c)} |')
PY
