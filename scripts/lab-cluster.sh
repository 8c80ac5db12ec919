#!/usr/bin/env bash
# lab-cluster.sh — chapter 4's lab: is multi-process faster, and who gets the load?
#
# Measures on 127.0.0.1, with the seed's ab -n1000 -c20 (and larger) and wrk:
#   single process · reference cluster rr with 1..nproc workers (Node's
#   algorithm: one unacknowledged connection per worker) · rr with a window
#   of 64 (this kata's extension) · none (shared socket, the seed's first
#   model) · SO_REUSEPORT · nginx upstream (the seed's config) in front of
#   nproc single-process servers · the seed's own Node cluster program
# and prints one table (requests/s, failed requests, per-worker distribution,
# max/min, Jain) with the machine (cores, kernel, node, load average), then
# the thundering-herd table. The same output goes to
# lab/results/cluster-<date>-<N>cores[-<k>].md (a new file per run).
#
# Bounded: every run is limited in requests and in time (timeout), and every
# process this script starts is stopped on exit (trap). Environment knobs:
#   LAB_REQUESTS=1000 LAB_CONCURRENCY=20 LAB_BIG_REQUESTS=10000 LAB_BIG_CONCURRENCY=50
#   LAB_WRK_SECONDS=5 LAB_HERD_CONNECTIONS=2000 LAB_BUILD_DIR=build/lab LAB_QUICK=1 (ab -n$REQ only)
#   LAB_ONLY="single rr window64 none reuseport nginx node herd" (a subset) LAB_KEEP=1 (keep logs)
#   LAB_RESULTS=<file> (where to write the tables; LAB_RESULTS=- : stdout only)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REQ="${LAB_REQUESTS:-1000}"; CONC="${LAB_CONCURRENCY:-20}"
BIG_REQ="${LAB_BIG_REQUESTS:-10000}"; BIG_CONC="${LAB_BIG_CONCURRENCY:-50}"
WRK_S="${LAB_WRK_SECONDS:-5}"; HERD_CONN="${LAB_HERD_CONNECTIONS:-2000}"
BUILD="${LAB_BUILD_DIR:-$ROOT/build/lab}"
NPROC="$(nproc)"
TMP="$(mktemp -d /tmp/kata-lab-cluster.XXXXXX)"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  sleep 0.3
  for pid in "${PIDS[@]:-}"; do
    [[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null || true
    [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true
  done
  [[ -n "${LAB_KEEP:-}" ]] && echo "kept $TMP" >&2 || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

need() {  # need <command> <debian package>
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing $2 (for $1)..." >&2
  local sudo=""; [[ "$(id -u)" != 0 ]] && sudo="sudo"
  $sudo apt-get install -y "$2" >/dev/null || { echo "cannot install $2: skipping what needs $1" >&2; return 1; }
}
HAVE_AB=1; HAVE_WRK=1; HAVE_NGINX=1; HAVE_NODE=1
need ab apache2-utils || HAVE_AB=0
need wrk wrk || HAVE_WRK=0
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || need nginx nginx-light || HAVE_NGINX=0
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
command -v node >/dev/null 2>&1 || HAVE_NODE=0
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed for the statistics" >&2; exit 1; }
[[ $HAVE_AB == 1 ]] || { echo "ab is required" >&2; exit 1; }

# ---- build the reference programs ---------------------------------------------
echo "building ch4_cluster_server and ch4_thundering_herd in $BUILD ..." >&2
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DKATA_SOURCE=solutions -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 --target ch4_cluster_server ch4_thundering_herd >/dev/null
SERVER="$(find "$BUILD" -name ch4_cluster_server -type f -perm -u+x | head -1)"
HERD="$(find "$BUILD" -name ch4_thundering_herd -type f -perm -u+x | head -1)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

wait_port() {  # wait_port <port>: up to 5 s for something to accept
  local i
  for i in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2; return 1
}

start() {  # start <cmd...>: background, remembered for cleanup; sets LAST_PID
  "$@" >>"$TMP/servers.log" 2>&1 &
  LAST_PID=$!
  PIDS+=("$LAST_PID")
}

stop() {  # stop <pid>: SIGTERM, wait (bounded)
  kill -TERM "$1" 2>/dev/null || true
  local i; for i in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.05; done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

ab_run() {  # ab_run <port> <n> <c> → "rps failed"
  local out
  out="$(timeout 120 ab -q -n "$2" -c "$3" "http://127.0.0.1:$1/" 2>&1 || true)"
  local rps failed
  rps="$(awk '/Requests per second/ {print $4}' <<<"$out")"
  failed="$(awk '/Failed requests/ {print $3}' <<<"$out")"
  local complete; complete="$(awk '/Complete requests/ {print $3}' <<<"$out")"
  [[ -z "$complete" ]] && { rps="-"; failed="$2 (ab failed)"; }
  echo "${rps:--} ${failed:--}"
}

wrk_run() {  # wrk_run <port> → rps (keep-alive connections: balance is per connection)
  [[ $HAVE_WRK == 1 && -z "${LAB_QUICK:-}" ]] || { echo "-"; return; }
  timeout $((WRK_S + 30)) wrk -t2 -c "$CONC" -d "${WRK_S}s" "http://127.0.0.1:$1/" 2>/dev/null |
    awk '/Requests\/sec/ {print $2}' || echo "-"
}

stats() {  # stats <report json files...> → "counts max/min jain"
  python3 - "$@" <<'PY'
import json, sys
served = {}
for i, path in enumerate(sys.argv[1:]):
    try:
        j = json.load(open(path))
    except Exception:
        continue
    for k, v in j.get("served", {}).items():
        served[f"{k}" if len(sys.argv) == 2 else f"s{i+1}"] = served.get(k, 0) + v
vals = list(served.values())
if not vals:
    print("- - -"); sys.exit()
mx, mn = max(vals), min(vals)
ratio = "inf" if mn == 0 and mx > 0 else f"{(mx / mn if mn else 1):.3f}"
s, ss = sum(vals), sum(v * v for v in vals)
jain = (s * s) / (len(vals) * ss) if ss else 1.0
print(" ".join(f"{k}:{v}" for k, v in sorted(served.items())).replace(" ", ",") + f" {ratio} {jain:.4f}")
PY
}

want() { [[ -z "${LAB_ONLY:-}" || " $LAB_ONLY " == *" $1 "* ]]; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 | $6 | $7 | $8 |"); }

measure() {  # measure <label> <port> <pids to stop...> -- <report files...>
  local label="$1" port="$2"; shift 2
  local pids=() reports=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do pids+=("$1"); shift; done
  shift
  reports=("$@")
  wait_port "$port"
  read -r rps failed <<<"$(ab_run "$port" "$REQ" "$CONC")"
  local big_rps big_failed
  if [[ -z "${LAB_QUICK:-}" ]]; then read -r big_rps big_failed <<<"$(ab_run "$port" "$BIG_REQ" "$BIG_CONC")"; else big_rps="-"; big_failed="-"; fi
  local wrps; wrps="$(wrk_run "$port")"
  local p; for p in "${pids[@]}"; do stop "$p"; done
  read -r counts ratio jain <<<"$(stats "${reports[@]}")"
  row "$label" "$rps" "$failed" "$big_rps / $big_failed" "${wrps:--}" "$counts" "$ratio" "$jain"
  echo "  done: $label" >&2
}

cluster_case() {  # cluster_case <label> <workers> <policy> [window] (default: the cluster's, 1)
  local port; port="$(free_port)"
  local rep="$TMP/report-$RANDOM.json"
  start "$SERVER" --workers "$2" --policy "$3" --port "$port" ${4:+--window "$4"} --report "$rep"
  measure "$1" "$port" "$LAST_PID" -- "$rep"
}

LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "cores (nproc): $NPROC; load average $LOAD_START; ab -n$REQ -c$CONC, ab -n$BIG_REQ -c$BIG_CONC, wrk -t2 -c$CONC -d${WRK_S}s; 127.0.0.1" >&2
want single && cluster_case "single process (reference)" 0 rr
if want rr; then for n in $(seq 1 "$NPROC"); do cluster_case "reference cluster rr (Node's algorithm), $n worker(s)" "$n" rr; done; fi
want window64 && cluster_case "rr, window 64 (extension), $NPROC workers" "$NPROC" rr 64
want none && cluster_case "none (shared socket), $NPROC workers" "$NPROC" none
want reuseport && cluster_case "SO_REUSEPORT, $NPROC workers" "$NPROC" reuseport

if [[ $HAVE_NGINX == 1 ]] && want nginx; then
  prefix="$TMP/nginx"; mkdir -p "$prefix"
  nport="$(free_port)"; servers=""; bpids=(); breps=()
  for i in $(seq 1 "$NPROC"); do
    bport="$(free_port)"; brep="$TMP/backend-$i.json"
    start "$SERVER" --workers 0 --port "$bport" --report "$brep"
    bpids+=("$LAST_PID"); breps+=("$brep"); servers+="    server 127.0.0.1:$bport;"$'\n'
    wait_port "$bport"
  done
  sed -e "s#@PORT@#$nport#g" -e "s#@PREFIX@#$prefix#g" "$ROOT/lab/nginx-upstream.conf.in" |
    python3 -c 'import sys; print(sys.stdin.read().replace("@SERVERS@", sys.argv[1].rstrip()))' "$servers" >"$prefix/nginx.conf"
  start "$NGINX" -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" -g "daemon off;"
  npid="$LAST_PID"
  measure "nginx upstream → $NPROC single-process servers" "$nport" "$npid" "${bpids[@]}" -- "${breps[@]}"
fi

if [[ $HAVE_NODE == 1 ]] && want node; then
  port="$(free_port)"; rep="$TMP/node.json"
  PORT="$port" WORKERS="$NPROC" REPORT="$rep" start node "$ROOT/lab/node_cluster.js"
  measure "the seed's Node cluster (rr), $NPROC workers" "$port" "$LAST_PID" -- "$rep"
fi

LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
NODE_VERSION="$( [[ $HAVE_NODE == 1 ]] && node --version || echo "not installed")"

results() {
  echo "## Cluster load test — $(date -u +%F), $NPROC cores, kernel $(uname -r), node $NODE_VERSION, load generator on the same machine"
  echo
  echo "Load average (1/5/15 min) at the start: $LOAD_START; at the end: $LOAD_END."
  echo
  echo "| setup | ab -n$REQ -c$CONC req/s | failed | ab -n$BIG_REQ -c$BIG_CONC req/s / failed | wrk -c$CONC ${WRK_S}s req/s (keep-alive) | served per worker (all runs) | max/min | Jain |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "(nginx row: per-backend counts s1..sN. wrk keeps connections alive: balance is per connection.)"
  if want herd; then
    echo
    echo "## Thundering herd — wake-ups per accepted connection ($NPROC cores, $((NPROC < 4 ? 4 : NPROC)) waiters, $HERD_CONN sequential connections)"
    echo
    timeout 300 "$HERD" --workers "$((NPROC < 4 ? 4 : NPROC))" --connections "$HERD_CONN"
  fi
}

echo
if [[ "${LAB_RESULTS:-}" == "-" ]]; then
  results
else
  out="${LAB_RESULTS:-}"
  if [[ -z "$out" ]]; then  # never overwrite an earlier run
    base="$ROOT/lab/results/cluster-$(date -u +%F)-${NPROC}cores"
    out="$base.md"; k=2
    while [[ -e "$out" ]]; do out="$base-$k.md"; k=$((k + 1)); done
  fi
  mkdir -p "$(dirname "$out")"
  results | tee "$out"
  echo "written: $out" >&2
fi
