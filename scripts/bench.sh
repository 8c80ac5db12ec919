#!/usr/bin/env bash
# Builds the benchmarks (Release) and runs every bench/<topic>/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset bench >/dev/null
cmake --build --preset bench -j "${JOBS:-2}"
echo "machine: $(nproc) cores, $(uname -srm), $(node --version 2>/dev/null || echo 'no node')"
for run in bench/*/run.sh; do
  [[ -f "$run" ]] || continue
  echo; echo "== ${run%/run.sh} =="
  # Every run.sh builds what it needs into the bench preset's directory.
  KATA_BENCH_BUILD="$PWD/build/bench" bash "$run"
done
