#!/usr/bin/env bash
# Installs what evloop-kata needs, from the distribution's packages only.
#   scripts/install-deps.sh          what `make` needs (build the exercises, run their tests)
#   scripts/install-deps.sh --bench  also benchmark dependencies (Google Benchmark, libuv)
#   scripts/install-deps.sh --lab    also the load-test lab (ab, wrk, nginx)
#   scripts/install-deps.sh --grade  also pristine grading (the bubblewrap sandbox)
#   scripts/install-deps.sh --test   also what `make test`'s harness self-tests drive: tmux (make watch),
#                                    bubblewrap (grading), PyYAML (the grading workflow's check)
#   scripts/install-deps.sh --fuzz   also clang and its libFuzzer/sanitizer runtimes
# Idempotent and quiet when everything is there. On a system without apt it
# prints the exact package list and exits non-zero.
set -euo pipefail

packages=(cmake ninja-build g++ make python3 libgtest-dev libgmock-dev
          libboost-dev libboost-filesystem-dev nlohmann-json3-dev)
grade=0
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(libbenchmark-dev libuv1-dev) ;;
    --lab) packages+=(apache2-utils wrk nginx-light curl) ;;
    --grade) packages+=(bubblewrap); grade=1 ;;
    --test) packages+=(tmux bubblewrap python3-yaml); grade=1 ;;
    # libclang-rt-dev (libFuzzer, ASan, UBSan runtimes) is only a Recommends
    # of clang, which --no-install-recommends below skips.
    --fuzz) packages+=(clang libclang-rt-dev) ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
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

# Node.js is optional: the learner's build never runs it; `make test`'s
# oracle tests (the JavaScript twins) need node >= 20 and are skipped without
# it. Said once per checkout (the note's stamp lives in build/).
# Grading sandboxes with bubblewrap: say so now if it cannot make namespaces
# here (e.g. Ubuntu 24.04 lets only root create user namespaces).
bwrap_note() {
  [[ $grade -eq 1 ]] || return 0
  if ! bwrap --ro-bind / / --unshare-pid --unshare-net --dev /dev --proc /proc -- true 2>/dev/null; then
    echo "install-deps: note: bubblewrap cannot create its sandbox here as $(id -un); run the grader as root" >&2
    echo "install-deps:       (sudo), or allow user namespaces (Ubuntu: sysctl kernel.apparmor_restrict_unprivileged_userns=0)." >&2
  fi
}

node_note() {
  local build_dir; build_dir="$(cd "$(dirname "$0")/.." && pwd)/build"
  local stamp="$build_dir/.node-note-shown" have=""
  [[ -e "$stamp" ]] && return 0
  if command -v node >/dev/null 2>&1; then have=$(node --version 2>/dev/null || true); fi
  case "$have" in
    v2[0-9].*|v[3-9][0-9].*) return 0 ;;
  esac
  local found="node is not installed"
  [[ -n "$have" ]] && found="node $have is older than 20"
  echo "install-deps: note: $found; the oracle tests (ctest -L oracle) will be skipped." >&2
  echo "install-deps:       Your exercises do not need node. To check the JavaScript twins, install Node.js 20 or newer" >&2
  echo "install-deps:       (Debian 12's nodejs package is v18; e.g. 'nvm install 20', or your distribution's nodejs 20)." >&2
  mkdir -p "$build_dir" && : > "$stamp"
}

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == *"install ok installed"* ]] || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then node_note; bwrap_note; exit 0; fi

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
node_note
bwrap_note
