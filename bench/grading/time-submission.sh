#!/usr/bin/env bash
# Times pristine grading (docs/grading.md) of complete submissions — every
# edit file from solutions/ — on this machine:
#   1. the first submission (builds the shared pristine base, then grades),
#   2. a second complete submission on that base (what each later student costs),
#   3. a batch of two complete submissions on that base (the scoreboard path).
#   bash bench/grading/time-submission.sh          # all exercises, kata at HEAD
#   REF=v1 ONLY=ch1,ch4.ex07 bash bench/grading/time-submission.sh
# (REF=WORKTREE grades against the files on disk: only on a tree nobody else is editing.)
# Needs bubblewrap (scripts/install-deps.sh --grade); run as root for the uid sandbox.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORK:-$root/build/grade-bench}
ref=${REF:-HEAD}
# Pin the commit now: if HEAD moves during the run, every step still grades
# against the same kata (and the same base build).
[[ "$ref" == WORKTREE ]] || ref=$(git -C "$root" rev-parse --verify "$ref^{commit}")
only=()
[[ -n "${ONLY:-}" ]] && only=(--only "$ONLY")
rm -rf "$work"
mkdir -p "$work/class"
# The submissions are the solutions *of REF* (git archive), so they match the
# tests they are graded against even while the work tree changes.
python3 - "$root" "$work/class" "$ref" <<'PY'
import json, shutil, sys, tempfile
from pathlib import Path
root, cls, ref = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
sys.path.insert(0, str(root / "tools"))
from katalib.grading import pristine
with tempfile.TemporaryDirectory() as tmp:
    kata = Path(tmp) / "kata"
    pristine.export(root, ref, kata)
    for student in ("complete-1", "complete-2", "complete-3"):
        for m in sorted((kata / "manifest").glob("chapter*.json")):
            data = json.loads(m.read_text())
            for e in data["exercises"]:
                for f in e["edit"]:
                    rel = f"{data['slug']}/{e['id']}-{e['slug']}/{f}"
                    dst = cls / student / "chapters" / rel
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(kata / "solutions" / rel, dst)
PY
mkdir -p "$work/batch"
mv "$work/class/complete-2" "$work/class/complete-3" "$work/batch/"
kata=(python3 "$root/tools/kata.py" grade --ref "$ref" --work "$work/grader" "${only[@]}")
t() { local s; s=$(date +%s.%N); "$@" >"$work/last.log" 2>&1 || { tail -30 "$work/last.log"; exit 1; }
      python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$s" "$(date +%s.%N)"; }
score() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['score'])" "$1"; }
first=$(t "${kata[@]}" --submission "$work/class/complete-1" --out "$work/out-1")
echo "first submission (base build included): ${first} s, score $(score "$work/out-1/results.json")"
later=$(t "${kata[@]}" --submission "$work/batch/complete-2" --out "$work/out-2")
echo "later complete submission: ${later} s, score $(score "$work/out-2/results.json")"
batch=$(t "${kata[@]}" --batch "$work/batch" --out "$work/out-batch")
echo "batch of 2 complete submissions: ${batch} s"
grep -E '^\[[0-9]+/[0-9]+\]' "$work/last.log" || true
python3 - "$work" <<'PY'
import json, sys
from pathlib import Path
for f in sorted(Path(sys.argv[1]).glob("out-*/**/results.json")):
    x = json.loads(f.read_text())["extra_data"]
    print(f"  {x['student']}: {x['seconds']} s (build {x.get('build_seconds')} s, tests {x.get('test_seconds')} s)")
PY
sed -n '1,8p' "$work/out-batch/scoreboard.md"
python3 - "$work" <<'PY'
import json, os, sys
from pathlib import Path
stamp = json.loads(next(Path(sys.argv[1]).glob("grader/base-*/stamp.json")).read_text())
print(f"(nproc: {os.cpu_count()}; base {stamp['ident'][:12]}: {stamp['seconds']} s, {len(stamp['targets'])} exercises, "
      f"{sum(map(len, stamp['tests'].values()))} tests, {len(stamp['probes'])} probes)")
PY
