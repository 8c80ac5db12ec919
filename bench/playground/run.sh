#!/usr/bin/env bash
# The playground, timed end to end: `kata.py js` on a 50-callback snippet
# (python start, node running it natively, node + the C++ driver through the
# bridge), best and median of RUNS (default 5), with the machine.
#   bash bench/playground/run.sh [RUNS]
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "$0")/../.." && pwd)
prog="$root/playground/tests/programs/fifty_callbacks.js"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$root/tools/kata.py" js "$prog" --json >/dev/null   # builds the driver the first time
python3 - "$root" "$prog" "$runs" <<'PY'
import statistics, subprocess, sys, time
root, prog, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
took = []
for _ in range(runs):
    t = time.monotonic()
    subprocess.run([sys.executable, f"{root}/tools/kata.py", "js", prog, "--json"], check=True, capture_output=True)
    took.append(time.monotonic() - t)
print(f"50-callback snippet, kata.py js end to end: best {min(took):.2f} s, median {statistics.median(took):.2f} s ({runs} runs)")
# The peer, in the same run: node alone on the same file (kata.py js runs it
# once natively and once through the bridge, side by side).
alone = []
for _ in range(runs):
    t = time.monotonic()
    subprocess.run(["node", prog], check=True, capture_output=True)
    alone.append(time.monotonic() - t)
print(f"node {prog.rsplit('/', 1)[-1]} alone:             best {min(alone):.2f} s, median {statistics.median(alone):.2f} s")
PY
