#!/usr/bin/env python3
"""Self-test of `tools/kata.py stats` (tools/katalib/stats.py) on a small fake
tree: stubs and solutions whose written lines are known, with comments (line,
block, one-line block, trailing), blank lines and re-indented lines that must
not count.

    check_stats.py <repo-root>

Checks: the exact counts per file and per exercise; the plain table aligned
by display width (a 中文 title counts two columns a character); --markdown;
--max 150 exits 1 naming only the exercise over it, and 0 when none is.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
KATA = ROOT / "tools" / "kata.py"
sys.path.insert(0, str(ROOT / "tools"))
from katalib import stats  # noqa: E402
from katalib.term import width  # noqa: E402

STUB_A = """\
// Implement f.
#include "x.hpp"

int f() {
  KATA_TODO("write f");
}
  int keep() { return 0; }
"""
SOLUTION_A = """\
// Implement f (done).
#include "x.hpp"
#include <vector>

/* a block
   comment */
int f() {
  // why: nothing
  int a = 1;

  return a + 1;
}
int keep() { return 0; }
int g() { return 2; }
"""
# written: #include <vector>, int a = 1;, return a + 1;, int g() → 4
# (keep() only re-indented, the comments and blanks not counted)

STUB_B = """\
void k() {
  KATA_TODO("k");
}
"""
SOLUTION_B = """\
/*
 * docs
 */
void k(int* p) {
  /* one-liner */
  *p = 1;
  p[1] = 2;  // trailing comment keeps the line
}
"""
# written: void k(int* p) {, *p = 1;, p[1] = 2; → 3

MANIFEST = {
    "chapter": 1, "slug": "ch1-fake", "title": "Fake", "title_zh": "假",
    "exercises": [
        {"id": "ex01", "slug": "small", "title": "Small", "title_zh": "小练习",
         "edit": ["a.cpp", "b.cpp"], "given": [], "test": "t.cpp", "points": 1},
        {"id": "ex02", "slug": "big", "title": "Big one", "edit": ["big.cpp"], "given": [],
         "test": "t.cpp", "points": 1},
    ],
}


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(KATA), "--root", str(root), "stats", *args],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def main() -> int:
    failures: list[str] = []

    def expect(cond: bool, what: str) -> None:
        if not cond:
            failures.append(what)

    expect(stats.added_lines(STUB_A, SOLUTION_A) == 4, f"a.cpp: expected 4, got {stats.added_lines(STUB_A, SOLUTION_A)}")
    expect(stats.added_lines(STUB_B, SOLUTION_B) == 3, f"b.cpp: expected 3, got {stats.added_lines(STUB_B, SOLUTION_B)}")
    expect(stats.added_lines(SOLUTION_A, SOLUTION_A) == 0, "a file against itself must count 0")

    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "manifest").mkdir()
        (t / "manifest/chapter1.json").write_text(json.dumps(MANIFEST, ensure_ascii=False), encoding="utf-8")
        for tree, files in (("chapters", {"ex01-small/a.cpp": STUB_A, "ex01-small/b.cpp": STUB_B,
                                          "ex02-big/big.cpp": "int main() {\n  KATA_TODO(\"all\");\n}\n"}),
                            ("solutions", {"ex01-small/a.cpp": SOLUTION_A, "ex01-small/b.cpp": SOLUTION_B,
                                           "ex02-big/big.cpp": "int main() {\n"
                                           + "".join(f"  int v{i} = {i};\n" for i in range(151)) + "}\n"})):
            for rel, text in files.items():
                p = t / tree / "ch1-fake" / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text(text, encoding="utf-8")

        r = run(t)
        expect(r.returncode == 0, f"stats: exit {r.returncode}: {r.stderr}")
        lines = r.stdout.splitlines()
        row = {ln.split()[0]: ln for ln in lines if ln.strip()}
        expect("ch1.ex01" in row and row["ch1.ex01"].rstrip().endswith("a.cpp 4, b.cpp 3"),
               f"ch1.ex01 row: {row.get('ch1.ex01')!r}")
        expect("小练习" in row.get("ch1.ex01", ""), "the 中文 title is shown")
        # Each row's count ends in the same display column (中文 = 2 columns).
        ends = set()
        for ln in lines:
            parts = ln.split("  ")
            nums = [i for i, p in enumerate(parts) if p.strip().isdigit() or p.strip() == "lines"]
            if nums:
                ends.add(width("  ".join(parts[:nums[0] + 1])))
        expect(len(ends) == 1, f"the lines column is not aligned by display width: {ends}\n{r.stdout}")
        counts = {ln.split()[0]: ln for ln in lines}
        expect(" 7  " in counts.get("ch1.ex01", ""), f"ch1.ex01 total 7: {counts.get('ch1.ex01')!r}")
        expect(" 151  " in counts.get("ch1.ex02", ""), f"ch1.ex02 total 151: {counts.get('ch1.ex02')!r}")
        expect(counts.get("total", "").split()[-1:] == ["158"], f"total 158: {counts.get('total')!r}")

        md = run(t, "--markdown")
        expect(md.returncode == 0, f"--markdown: exit {md.returncode}")
        mdl = md.stdout.splitlines()
        expect(mdl[0].startswith("| exercise") and set(mdl[1]) <= set("|-: "), f"--markdown header: {mdl[:2]}")
        cells = [c.strip() for c in next((ln for ln in mdl if "ch1.ex01" in ln), "").strip("|").split("|")]
        expect(cells == ["ch1.ex01", "Small / 小练习", "7", "a.cpp 4, b.cpp 3"], f"--markdown row: {cells}")
        expect(len({width(ln) for ln in mdl}) == 1, "--markdown rows are padded to one display width")

        big = run(t, "--max", "150")
        expect(big.returncode == 1, f"--max 150: expected exit 1, got {big.returncode}")
        expect("ch1.ex02" in big.stderr and "ch1.ex01" not in big.stderr,
               f"--max 150 lists only ch1.ex02: {big.stderr!r}")
        ok = run(t, "--max", "151")
        expect(ok.returncode == 0 and not ok.stderr, f"--max 151: exit {ok.returncode}, {ok.stderr!r}")

    for f in failures:
        print("FAIL:", f)
    print("check_stats: " + ("ok" if not failures else f"{len(failures)} failure(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
