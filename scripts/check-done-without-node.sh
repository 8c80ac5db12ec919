#!/usr/bin/env bash
# "Done" never depends on node: on a fresh copy of the kata, with node hidden
# from PATH, copy every `edit` file of solutions/ into chapters/ (what a learner
# who finished everything has) and run `make all`; every exercise must be done.
#   bash scripts/check-done-without-node.sh      (prints the progress screen; exit 1 unless N/N done)
# Works in a temporary folder (your tree is not touched); takes a full build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/kata-done-without-node.XXXXXX)
trap 'rm -rf "$work"' EXIT

(cd "$root" && git ls-files -z) | (cd "$root" && xargs -0 cp --parents -t "$work" 2>/dev/null) || true
cd "$work"
git init -q && git add -A && git -c user.name=check -c user.email=check@example.invalid commit -q -m "fresh copy"
python3 - <<'PY'
import json, shutil
from pathlib import Path
n = 0
for m in sorted(Path("manifest").glob("chapter*.json")):
    data = json.loads(m.read_text())
    for e in data["exercises"]:
        for f in e["edit"]:
            rel = Path(data["slug"]) / f"{e['id']}-{e['slug']}" / f
            shutil.copyfile(Path("solutions") / rel, Path("chapters") / rel)
            n += 1
print(f"copied {n} edit files from solutions/ into chapters/")
PY

# PATH without node: a folder of links to every program of PATH except node.
bin="$work/.path-without-node"
mkdir -p "$bin"
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [[ -d "$d" ]] || continue
  for p in "$d"/*; do
    name=${p##*/}
    [[ "$name" == node || "$name" == nodejs || -e "$bin/$name" ]] && continue
    [[ -x "$p" ]] && ln -s "$p" "$bin/$name"
  done
done
export PATH="$bin"
if command -v node >/dev/null 2>&1; then echo "node is still on PATH: $(command -v node)" >&2; exit 2; fi
echo "node hidden (PATH=$bin); make all ..."

start=$(date +%s)
make all 2>&1 | tee "$work/make-all.log" | tail -40
echo "(make all took $(( $(date +%s) - start )) s on $(nproc) cores)"
grep -Eo '[0-9]+/[0-9]+ done' "$work/make-all.log" | tail -1 | awk -F'[/ ]' '{ exit !($1 == $2 && $1 > 0) }' \
  && echo "every exercise is done without node" \
  || { echo "NOT every exercise is done (see above)" >&2; exit 1; }
