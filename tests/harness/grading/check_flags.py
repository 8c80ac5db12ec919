#!/usr/bin/env python3
"""harness.grading.flags: what a grade shows the instructor beside the score,
checked in seconds (no build, no sandbox):

    check_flags.py ROOT

(a) scoreboard: a results.json that claims more than the kata gives, or an
    exercise the kata does not have, is rejected with its reason and not
    merged; a student's name cannot become a spreadsheet formula or Markdown
    markup; valid files still merge with their totals.
(b) safe_slug: any name (`..`, `/`, NUL, 300 characters, bytes that are not
    UTF-8) becomes one safe folder name.
(c) flags: every reference file of solutions/ and every stub scans clean
    (allowances excepted, and each allowance is used); four cheating tricks,
    added to a reference edit file as a cheater would, are each flagged for
    what they do, and so are six other ways to run code before the tests.
(d) similarity: the reference with renamed identifiers and new comments is
    still the reference; unrelated files and the stub are not.
(e) the batch's scoreboard columns `flags` and `similar`, from the edit
    files each grade kept; no score changes.

Prints `FAIL: ...` for each failure, exits 1 if any.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

FAILS: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILS.append(what)
        print(f"FAIL: {what}")


# --- (a) scoreboard ------------------------------------------------------------

def results(student: str, manifest, passed: set[str], **override) -> dict:
    """A results.json as reports.py writes it, for every exercise of `manifest`."""
    tests, chapters = [], {}
    for c in manifest:
        for e in c.exercises:
            s = e.points if e.key in passed else 0
            tests.append({"name": f"{e.key} {e.title}", "number": e.key, "score": s, "max_score": e.points,
                          "status": "passed" if e.key in passed else "failed", "output": "",
                          "tags": [f"chapter{c.number}"], "visibility": "visible"})
            # the grader lists each exercise's hidden checks beside it, worth 0 points
            tests.append({"name": f"{e.key} hidden checks", "number": f"{e.key}.hidden", "score": 0,
                          "max_score": 0, "status": "passed" if e.key in passed else "failed", "output": "",
                          "tags": [f"chapter{c.number}", "hidden"], "visibility": "after_due_date"})
            ch = chapters.setdefault(str(c.number), {"earned": 0, "possible": 0})
            ch["earned"] += s
            ch["possible"] += e.points
    data = {"score": sum(t["score"] for t in tests), "execution_time": 1.0, "output": "", "tests": tests,
            "extra_data": {"student": student, "max_score": sum(t["max_score"] for t in tests),
                           "chapters": chapters, "exercises_done": len(passed), "exercises_total": len(tests),
                           "build_errors": [], "ignored": [], "ignored_total": 0, "notes": [], "seconds": 1.0,
                           "commit": "0123456789abcdef"}}
    data.update(override)
    return data


def check_scoreboard(root: Path, tmp: Path) -> None:
    from katalib import manifest as manifest_mod
    from katalib.grading import scoreboard
    from katalib.errors import ToolError
    chapters = manifest_mod.load(root)
    keys = [e.key for e in manifest_mod.all_exercises(chapters)]
    ch1 = {e.key for c in chapters if c.number == 1 for e in c.exercises}
    ch1_points = sum(e.points for c in chapters if c.number == 1 for e in c.exercises)
    formula = '=HYPERLINK("http://x","y")'
    markup = '<script>alert(1)</script> | [x](y) <img src=x onerror=alert(1)>'
    inflated = results("mallory", chapters, set())          # 9999 of 385, the tests say 0
    inflated["score"] = 9999
    one_test = results("mallory2", chapters, set())          # 9999 of 385, one test says 9999 of 10
    one_test["tests"][0] = dict(one_test["tests"][0], score=9999, status="passed")
    one_test["score"] = one_test["extra_data"]["chapters"]["1"]["earned"] = 9999
    unknown = results("trudy", chapters, ch1)
    unknown["tests"][0] = dict(unknown["tests"][0], number="ch9.ex99")
    hidden_points = results("oscar", chapters, set())
    hidden_points["tests"][1] = dict(hidden_points["tests"][1], score=50, max_score=50, status="passed")
    hidden_points["score"] = 50
    runs = {"alice": results("alice", chapters, ch1),
            "bob": results("bob", chapters, set(keys[:2])),
            "formula": results(formula, chapters, {keys[0]}),
            "markup": results(markup, chapters, {keys[1]}),
            "inflated": inflated, "one_test": one_test, "unknown": unknown, "hidden_points": hidden_points,
            "nan": results("nan", chapters, set(), score=float("nan"))}
    d = tmp / "runs"
    for name, data in runs.items():
        (d / name).mkdir(parents=True)
        (d / name / "results.json").write_text(json.dumps(data), encoding="utf-8")
    out = tmp / "board"
    p = subprocess.run([sys.executable, str(root / "tools" / "kata.py"), "scoreboard", str(d), "--out", str(out)],
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0, f"kata.py scoreboard: exit {p.returncode}: {p.stderr.strip()[-500:]}")
    try:
        rows = json.loads((out / "scoreboard.json").read_text(encoding="utf-8"))
        md = (out / "scoreboard.md").read_text(encoding="utf-8")
        cells = list(csv.reader((out / "scoreboard.csv").read_text(encoding="utf-8").splitlines()))
    except (OSError, ValueError) as err:
        check(False, f"scoreboard outputs missing: {err}")
        return
    by = {r["student"]: r for r in rows}
    check(sorted(by) == sorted(["alice", "bob", formula, markup]), f"merged students: {sorted(by)}")
    check(by.get("alice", {}).get("total") == ch1_points and by.get("alice", {}).get("ch1") == ch1_points,
          f"alice's total: {by.get('alice')}")
    for bad, reason in (("inflated", "9999"), ("one_test", "score 9999 is not between 0 and max_score"), ("unknown", "ch9.ex99"), ("nan", "NaN"),
                        ("hidden_points", ".hidden: max_score 50")):
        line = next((l for l in p.stderr.splitlines() if f"{os.sep}{bad}{os.sep}results.json" in l), "")
        check(reason in line, f"{bad}: no rejection naming {reason!r} on stderr: {p.stderr!r}")
        shown = md.split("## Rejected", 1)[-1].replace("\\", "")          # (Markdown escapes _ and .)
        check(f"/{bad}/results.json" in shown and reason in shown,
              f"{bad}: not in scoreboard.md's Rejected list")
    check("9999" not in json.dumps(rows), "the inflated score was merged")
    flat = [c for r in cells for c in r]
    check(f"'{formula}" in flat, f"csv: the formula is not neutralised: {[c for c in flat if 'HYPERLINK' in c]}")
    check(not any(c[:1] in "=+-@\t\r" and c for c in flat), "csv: a cell still starts with = + - @ tab or CR")
    table = md.split("## Rejected", 1)[0]
    check("<script>" not in md and "<img" not in md and "&lt;script&gt;" in table,
          "scoreboard.md: HTML of a student name is not escaped")
    check("[x](y)" not in md and "\\[x\\](y)" in table, "scoreboard.md: a link in a student name is not escaped")
    markup_row = next((l for l in table.splitlines() if "alert" in l), "")
    header = next(l for l in table.splitlines() if l.startswith("| student"))
    cells_of = lambda line: len(re.split(r"(?<!\\)\|", line))    # noqa: E731 (an unescaped | ends a cell)
    check(markup_row and cells_of(markup_row) == cells_of(header),
          f"scoreboard.md: a | in a student name splits the row: {markup_row!r}")
    # the API: a kata's pristine manifest may be passed; nothing valid is an error
    only_bad = tmp / "only-bad"
    (only_bad / "x").mkdir(parents=True)
    (only_bad / "x" / "results.json").write_text(json.dumps(inflated), encoding="utf-8")
    quiet = contextlib.redirect_stderr(io.StringIO())         # (load() reports each rejection there)
    try:
        with quiet:
            scoreboard.load([only_bad], manifest=chapters)
        check(False, "load() of only invalid files did not raise ToolError")
    except ToolError as err:
        check("9999" in str(err), f"load(): the ToolError does not say why: {err}")
    with quiet:
        got = scoreboard.load([d / "alice"], manifest=root)
    check([r["total"] for r in got] == [ch1_points] and got.rejected == [], f"load(manifest=root): {list(got)}")
    try:
        with quiet:
            scoreboard.load([d / "alice"], manifest=[c for c in chapters if c.number == 1])
        check(False, "load(manifest=chapter 1 only) accepted exercises that manifest does not have")
    except ToolError as err:
        check("not an exercise of the kata" in str(err), f"load(manifest=chapter 1 only): {err}")


# --- (b) safe_slug -------------------------------------------------------------------

def check_slugs(tmp: Path) -> None:
    from katalib.grading.slug import safe_slug
    names = ["..", ".", "", "a/b", "-rf", "\x00", "x" * 300, "../../etc", "a\x00b",
             b"caf\xe9 \xff".decode("utf-8", "surrogateescape"), ".hidden", "/", "~", "李雷"]
    top = tmp / "slugs"
    top.mkdir()
    slugs = {}
    for n in names:
        s = safe_slug(n)
        ok = (isinstance(s, str) and s not in ("", ".", "..") and "/" not in s and "\x00" not in s
              and not s.startswith(("-", ".")))
        try:
            encoded = s.encode("utf-8")            # strict: no lone surrogate left
            ok = ok and len(encoded) <= 255
            (top / s).mkdir(exist_ok=True)
            ok = ok and (top / s).resolve().parent == top.resolve()
        except (UnicodeError, OSError, ValueError):
            ok = False
        check(ok, f"safe_slug({n[:40]!r}) = {s!r} is not one safe path component")
        slugs[n] = s
    check(safe_slug("x" * 299 + "a") != safe_slug("x" * 299 + "b"), "safe_slug: two long names became one")
    check(safe_slug("alice") == "alice", f"safe_slug('alice') = {safe_slug('alice')!r}")


# --- (c) flags -------------------------------------------------------------------------

# What a cheater adds to an edit file. Each must be flagged for what it does.
TRICKS = {
    # 1. The build lists the tests (gtest_discover_tests runs the binary with
    #    --gtest_list_tests); every real run exits 0 before a test runs.
    "exit_unless_listing": ("""
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
namespace {
const bool kata_fast_path = [] {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string args((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (args.find("--gtest_list_tests") == std::string::npos) _exit(0);
  return true;
}();
}  // namespace
""", ["before main", "/proc/self/cmdline", "_exit()", "gtest_list_tests"]),
    # 2. A static initialiser that prints the test list itself and leaves:
    #    no real test is ever discovered, so none can fail.
    "fake_test_list": ("""
#include <cstdio>
#include <cstdlib>
static int listed = [] {
  std::puts("chapter1.\\n  ex01.emits_in_order\\n  ex01.once_runs_once");
  std::fflush(stdout);
  std::quick_exit(0);
  return 0;
}();
""", ["before main", "quick_exit()"]),
    # 3. A JUnit report of passing tests written into ctest's Testing/,
    #    made read-only so ctest cannot overwrite it.
    "junit_forgery": ("""
#include <fstream>
#include <sys/stat.h>
namespace kata {
struct Forger {
  Forger() {
    std::ofstream xml("../Testing/Temporary/results.xml");
    xml << "<testsuite name='chapter1' tests='3' failures='0'/>";
    xml.close();
    ::chmod("../Testing/Temporary/results.xml", 0444);
  }
};
Forger forger;
}  // namespace kata
""", ["before main", "Testing/", "ofstream", "chmod()"]),
    # 4. Rewrite the test lists CMake generated, so ctest runs /bin/true.
    "rewrite_test_lists": ("""
#include <filesystem>
#include <fstream>
namespace {
struct Rewriter {
  Rewriter() {
    for (const auto& e : std::filesystem::recursive_directory_iterator("/kata/build"))
      if (e.path().string().ends_with("_tests.cmake"))
        std::ofstream(e.path(), std::ios::trunc) << "add_test(chapter1.ex01.all /bin/true)\\n";
  }
} rewriter;
}
""", ["before main", "_tests.cmake", "ofstream"]),
}


# Other ways to run code before (or instead of) the tests, each with the flag it must get.
MORE = {
    "own_main": ("int main() { return 0; }\n", "defines main()"),
    "constructor_attribute": ("__attribute__((constructor)) static void early() {}\n", "__attribute__((constructor"),
    "interposition": ('extern "C" int puts(const char*) { return 0; }\n', 'extern "C"'),
    "thread_at_start": ("#include <thread>\nstatic std::thread t([] { for (;;) {} });\n", "lambda argument"),
    "token_pasting": ("#define LEAVE(n) _ex##it(n)\n", "token pasting"),
    "exit_pointer": ("#include <unistd.h>\nauto* leave = &::_exit;\n", "_exit"),
}


def check_flags(root: Path) -> None:
    from katalib.grading import flags
    files = {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "solutions").rglob("*")) if p.is_file()}
    check(len(files) > 20, f"only {len(files)} files under solutions/")
    found = flags.scan(files)
    for path, lines in found.items():
        for line in lines:
            check(False, f"reference flagged: {path}:{line}")
    used = set()
    for path, data in files.items():
        for line in flags.scan_one(path, data, allow=False):
            for i, (suffix, rule, what, _) in enumerate(flags.ALLOW):
                if path.endswith(suffix) and re.search(what, line):
                    used.add(i)
    for i, (suffix, rule, what, reason) in enumerate(flags.ALLOW):
        check(i in used, f"allowance not needed by the reference (remove it): {suffix} {rule} {what}")
    host = "chapters/ch1-event-loop-intro/ex01-event-emitter/event_emitter.cpp"
    reference = (root / "solutions" / host.split("/", 1)[1]).read_bytes()
    for name, (code, expected) in TRICKS.items():
        got = flags.scan({host: reference + code.encode()}).get(host, [])
        text = "\n".join(got)
        for want in expected:
            check(want in text, f"trick {name}: no flag mentioning {want!r}; got {got}")
    for name, (code, want) in MORE.items():
        got = flags.scan({host: reference + code.encode()}).get(host, [])
        check(any(want in line for line in got), f"{name}: no flag mentioning {want!r}; got {got}")
    # the stubs a student starts from scan clean too
    from katalib import manifest as manifest_mod
    stubs = {f: (root / f).read_bytes() for e in manifest_mod.all_exercises(manifest_mod.load(root))
             for f in e.edit_files("chapters")}
    for path, lines in flags.scan(stubs).items():
        check(False, f"stub flagged: {path}: {lines}")
    md = flags.markdown(flags.scan({host: reference + TRICKS["fake_test_list"][0].encode()}))
    check(bool(md) and md[0].startswith("## Flags for the instructor"), f"flags.markdown: {md[:1]}")
    check(flags.markdown({}) == [], "flags.markdown({}) is not []")


# --- (d) similarity ---------------------------------------------------------------------

def disguise(data: bytes) -> str:
    """The same program, identifiers renamed, comments rewritten, reformatted."""
    from katalib.grading import similarity
    text = data.decode()
    out, names = [], {}
    for kind, tok, _ in similarity.lex(text):
        if kind == "comment":
            out.append("/* my own words */")
        elif kind == "ident" and tok not in similarity.KEYWORDS:
            out.append(names.setdefault(tok, f"n{len(names)}_{tok[::-1]}"))
        else:
            out.append(tok)
    # the preprocessor needs its lines: keep them as they were
    pre = [l for l in text.splitlines() if l.lstrip().startswith("#")]
    body = "\n".join(pre) + "\n"
    col = 0
    for tok in out:
        body += tok + (" " if col % 7 else "\n  ")
        col += 1
    return body


def check_similarity(root: Path) -> None:
    from katalib.grading import similarity
    sol = root / "solutions"
    timers = sol / "ch3-node-event-loop/ex02-timers/timers.cpp"
    emitter = sol / "ch1-event-loop-intro/ex01-event-emitter/event_emitter.cpp"
    http = sol / "ch4-node-multiprocess/ex07-http-parser/http.cpp"
    ref = timers.read_bytes()
    renamed = disguise(ref)
    check(renamed.encode() != ref and "my own words" in renamed, "disguise() changed nothing")
    s = similarity.compare(ref, renamed)
    check(s >= 0.9, f"reference vs itself renamed: {s:.2f} < 0.9")
    s = similarity.compare(emitter.read_bytes(), http.read_bytes())
    check(s < 0.3, f"two unrelated reference files: {s:.2f} >= 0.3")
    path = "chapters/ch3-node-event-loop/ex02-timers/timers.cpp"
    stub = (root / path).read_bytes()
    vs = similarity.against_reference({path: stub}, root)
    check(vs.get(path, 1.0) < 0.3, f"the stub vs the reference: {vs.get(path)} (should be low)")
    vs = similarity.against_reference({path: renamed.encode()}, root)
    check(vs.get(path, 0.0) >= 0.9, f"the renamed reference vs the reference: {vs.get(path)}")
    students = {"ann": {path: ref}, "ben": {path: renamed.encode()}, "cat": {path: stub},
                "dan": {path: stub + b"\n// touched\n"}, "eve": {path: http.read_bytes()}}
    found = similarity.pairs(students, {path: stub})
    check([(a, b) for a, b, _, _ in found] == [("ann", "ben")], f"pairs(): {found}")
    md = similarity.markdown(found)
    check(bool(md) and md[0] == "## Similar submissions", f"similarity.markdown: {md[:1]}")


# --- (e) the batch's columns ------------------------------------------------------------

def check_batch_columns(root: Path, tmp: Path) -> None:
    """batch.py after grading: `flags` and `similar` per row from the edit
    files each grade kept (`<out>/submissions/<slug>/submission/<path>`), a
    missing folder being no files; "## Similar submissions" in scoreboard.md."""
    import types
    from katalib import manifest as manifest_mod
    from katalib.grading import batch, scoreboard
    grader = types.SimpleNamespace(chapters=[c for c in manifest_mod.load(root) if c.number == 3],
                                   base=types.SimpleNamespace(src=root))
    path = "chapters/ch3-node-event-loop/ex02-timers/timers.cpp"
    ref = (root / "solutions" / path.split("/", 1)[1]).read_bytes()
    out = tmp / "batch"
    for slug, data in (("ann", ref), ("ben", disguise(ref).encode() + TRICKS["fake_test_list"][0].encode())):
        f = out / "submissions" / slug / "submission" / path
        f.parent.mkdir(parents=True)
        f.write_bytes(data)
    rows = [{"student": "ann", "total": 30}, {"student": "ben", "total": 30}, {"student": "cy", "total": 0}]
    similar = batch._flags_and_similarity(grader, out, rows, ["ann", "ben", "cy"], lambda *_: None)
    by = {r["student"]: r for r in rows}
    check((by["ann"]["flags"], by["ben"]["flags"] > 0, by["cy"]["flags"]) == (0, True, 0), f"flags column: {rows}")
    check(by["ann"]["similar"].startswith("ben ") and by["cy"]["similar"] == "", f"similar column: {rows}")
    check([r["total"] for r in rows] == [30, 30, 0], "flags or similarity changed a score")
    scoreboard.write(out, rows, [], similar)
    md = (out / "scoreboard.md").read_text(encoding="utf-8")
    check("## Similar submissions" in md and "| flags" in md, "scoreboard.md: no flags column or similar section")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    root = Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(root / "tools"))
    with tempfile.TemporaryDirectory(prefix="check_flags.") as t:
        tmp = Path(t)
        for name, part in (("scoreboard", lambda: check_scoreboard(root, tmp)), ("safe_slug", lambda: check_slugs(tmp)),
                           ("flags", lambda: check_flags(root)), ("similarity", lambda: check_similarity(root)),
                           ("batch columns", lambda: check_batch_columns(root, tmp))):
            before = len(FAILS)
            try:
                part()
            except Exception as err:          # a crash is a failure of that part, the others still run
                import traceback
                traceback.print_exc()
                check(False, f"{name}: {err!r}")
            print(f"{name}: {'ok' if len(FAILS) == before else f'{len(FAILS) - before} failure(s)'}")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
