#!/usr/bin/env bash
# Installs what evloop-kata needs, from the distribution's packages only.
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --bench  also benchmark dependencies (Google Benchmark, libuv)
#   scripts/install-deps.sh --lab    also the load-test lab (ab, wrk, nginx)
#   scripts/install-deps.sh --fuzz   also clang and its libFuzzer/sanitizer runtimes
# Idempotent and quiet when everything is there. On a system without apt it
# prints the exact package list and exits non-zero.
set -euo pipefail

packages=(cmake ninja-build g++ make python3 libgtest-dev libgmock-dev
          libboost-dev libboost-filesystem-dev nlohmann-json3-dev)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(libbenchmark-dev libuv1-dev) ;;
    --lab) packages+=(apache2-utils wrk nginx-light curl) ;;
    # libclang-rt-dev (libFuzzer, ASan, UBSan runtimes) is only a Recommends
    # of clang, which --no-install-recommends below skips.
    --fuzz) packages+=(clang libclang-rt-dev) ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "install-deps: unknown option '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: this is not a Debian/Ubuntu system (no apt-get)." >&2
  echo "Install these (Debian names; find your distribution's equivalents):" >&2
  echo "  ${packages[*]}" >&2
  echo "and Node.js 20 (optional: checks the JavaScript twins of the tests)." >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == *"install ok installed"* ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "install-deps: not root and no sudo; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
if ! command -v node >/dev/null 2>&1; then
  echo "install-deps: note: node is not installed; tests that check the JavaScript twins against node will be skipped." >&2
fi
