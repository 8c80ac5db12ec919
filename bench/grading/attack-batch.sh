#!/usr/bin/env bash
# A class of four on the whole kata (docs/grading.md, "Threat model"):
#   attacker  every stub plus the four score-faking tricks of
#             tests/harness/grading/check_grading.py (TRICKS) in every edit .cpp
#   smart     the same, silent for the grader's canary test (TRICKS_SMART)
#   blank     an empty folder (every stub)
#   partial   chapter 1 solved, nothing else
# and prints each one's score per exercise: the attacker must get 0 wherever
# a hidden check exists, and its grade.md must flag it.
#   bash bench/grading/attack-batch.sh            # reuses build/grade-bench's base if there is one
# Needs bubblewrap (scripts/install-deps.sh --grade); run as root.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${WORK:-$root/build/grade-bench}
ref=${REF:-HEAD}
[[ "$ref" == WORKTREE ]] || ref=$(git -C "$root" rev-parse --verify "$ref^{commit}")
cls="$work/attack-class"
rm -rf "$cls" "$work/out-attack"
python3 - "$root" "$cls" "$ref" <<'PY'
import json, shutil, sys, tempfile
from pathlib import Path
root, cls, ref = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
sys.path.insert(0, str(root / "tools"))
sys.path.insert(0, str(root / "tests" / "harness" / "grading"))
from katalib.grading import pristine
from check_grading import TRICKS, TRICKS_SMART
with tempfile.TemporaryDirectory() as tmp:
    kata = Path(tmp) / "kata"
    pristine.export(root, ref, kata)
    (cls / "blank").mkdir(parents=True)
    for m in sorted((kata / "manifest").glob("chapter*.json")):
        data = json.loads(m.read_text())
        for e in data["exercises"]:
            for f in e["edit"]:
                rel = f"{data['slug']}/{e['id']}-{e['slug']}/{f}"
                for who, code in (("attacker", TRICKS), ("smart", TRICKS_SMART)):
                    if f.endswith(".cpp"):
                        dst = cls / who / "chapters" / rel
                        dst.parent.mkdir(parents=True, exist_ok=True)
                        dst.write_text((kata / "chapters" / rel).read_text() + "\n" + code)
                if data["chapter"] == 1:
                    dst = cls / "partial" / "chapters" / rel
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(kata / "solutions" / rel, dst)
PY
start=$(date +%s)
python3 "$root/tools/kata.py" grade --ref "$ref" --work "$work/grader" --batch "$cls" --out "$work/out-attack" \
  > "$work/attack.log" 2>&1 || { tail -30 "$work/attack.log"; exit 1; }
echo "batch of 4 (attacker, smart, blank, partial): $(( $(date +%s) - start )) s"
grep -E '^\[[0-9]+/[0-9]+\]' "$work/attack.log" || true
python3 - "$work/out-attack" <<'PY'
import json, sys
from pathlib import Path
out = Path(sys.argv[1])
for name in ("attacker", "smart", "blank", "partial"):
    r = json.loads((out / "submissions" / name / "results.json").read_text())
    scored = [f"{t['number']} {t['score']:g}" for t in r["tests"] if t["visibility"] == "visible" and t["score"]]
    hidden = r["extra_data"]["hidden_checks"]
    print(f"{name}: {r['score']:g}/{r['extra_data']['max_score']:g}; points from: {', '.join(scored) or 'nothing'}; "
          f"hidden checks run {len(hidden)}, agreeing {sum(h['agree'] for h in hidden.values())}")
for name in ("attacker", "smart"):
    md = (out / "submissions" / name / "grade.md").read_text()
    print(f"{name} flagged:", "Flags for the instructor" in md)
PY
