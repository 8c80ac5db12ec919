#!/usr/bin/env python3
"""harness.grading.*: pristine grading (kata.py grade --submission/--batch,
kata.py scoreboard) on hostile submissions generated here from the pristine
tree, never committed as kata copies.

    check_grading.py ROOT WORK CASE

Cases (base is the FIXTURES_SETUP of the ones marked *):
  base           builds the shared pristine base (--only ch1,ch2.ex01,ch4.ex07) by
                 grading an untouched copy of the kata: 0 points
  batch*         grades the seven fixtures below as one class; checks every row's
                 exact score and notes, the canaries outside the work folder, and
                 that no process of the grader's sandbox uids is left
  submission*    grade --submission of a full clone whose tests, harness, CMake and
                 manifest were edited to pass everything: only its one solved edit
                 file scores; every other change is listed as ignored
  scoreboard     kata.py scoreboard merges results.json files into the same rows
  refuse         without bubblewrap, --batch refuses to run unless --no-sandbox
  workflow       .github/workflows/grade.yml parses (PyYAML) and has the keys it needs
  refresh        a reused WORKTREE base takes the work tree's tools/docs as they are now

Fixtures (chapter 1, ch2.ex01, ch4.ex07 = 45 points; ch4.ex07 serves on 127.0.0.1):
  complete      every edit file solved                                   45
  edited_tests  one exercise solved, every test rewritten to pass        10
  fork_bomb     complete, but ch2.ex01's stub forks forever              40
  rm_outside    complete, ch1.ex01 deletes files outside its work dir    45
  static_loop   complete, ch1.ex02 loops forever in a static initialiser 35
  prints_1gb    complete, ch1.ex03's stub prints 1 GiB                   40
  no_compile    complete, ch4.ex07 does not compile                      30
  tricks        every stub plus the four score-faking tricks (a static    0
                initialiser that exits 0 unless asked for the test list,
                prints gtest's "OK" for any test, writes a read-only JUnit
                file where ctest wrote results, rewrites the discovered
                *_tests.cmake): caught by the grader's canary test
  smart_tricks  the same tricks, but no "OK" for the grader's canary (a      0
                test name that does not exist): the hidden checks catch it
  blank         an empty folder: every stub as given                      0
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ONLY = "ch1,ch2.ex01,ch4.ex07"
EXPECTED = {"complete": 45, "edited_tests": 10, "fork_bomb": 40, "rm_outside": 45,
            "static_loop": 35, "prints_1gb": 40, "no_compile": 30, "tricks": 0, "smart_tricks": 0, "blank": 0}
LIMITS = ["--test-timeout", "60", "--build-timeout", "600"]


class Check:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def true(self, cond: bool, what: str) -> None:
        if not cond:
            self.failures.append(what)

    def eq(self, got, want, what: str) -> None:
        self.true(got == want, f"{what}: got {got!r}, want {want!r}")


def kata(root: Path, *args: str, env: dict | None = None, timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(root / "tools" / "kata.py"), *args], capture_output=True,
                          text=True, errors="replace", env={**os.environ, **(env or {})}, timeout=timeout)


def grade_args(work: Path) -> list[str]:
    return ["--ref", "WORKTREE", "--only", ONLY, "--work", str(work / "grader"), *LIMITS]


def edit_files(root: Path) -> dict[str, list[str]]:
    out = {}
    for m in sorted((root / "manifest").glob("chapter*.json")):
        data = json.loads(m.read_text(encoding="utf-8"))
        for e in data["exercises"]:
            folder = f"{data['slug']}/{e['id']}-{e['slug']}"
            out[f"ch{data['chapter']}.{e['id']}"] = [f"{folder}/{f}" for f in e["edit"]]
    return out


def pristine_copy(root: Path, dest: Path) -> None:
    sys.path.insert(0, str(root / "tools"))
    from katalib.grading import pristine
    pristine.export(root, "WORKTREE", dest)


def write_solved(root: Path, dest: Path, keys: list[str]) -> None:
    edits = edit_files(root)
    for k in keys:
        for rel in edits[k]:
            target = dest / "chapters" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / "solutions" / rel, target)


def write_stub(root: Path, dest: Path, key: str, before_todo: str, prelude: str) -> None:
    """The stub of `key` with `before_todo` run in front of every KATA_TODO."""
    for rel in edit_files(root)[key]:
        if not rel.endswith(".cpp"):
            continue
        text = (root / "chapters" / rel).read_text(encoding="utf-8")
        target = dest / "chapters" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(prelude + text.replace("KATA_TODO(", before_todo + " KATA_TODO("), encoding="utf-8")


def append(root: Path, dest: Path, key: str, code: str) -> None:
    rel = next(r for r in edit_files(root)[key] if r.endswith(".cpp"))
    target = dest / "chapters" / rel
    target.write_text(target.read_text(encoding="utf-8") + "\n" + code, encoding="utf-8")


GRADED = ["ch1.ex01", "ch1.ex02", "ch1.ex03", "ch2.ex01", "ch4.ex07"]

BOMB = ("#include <cstdio>\n#include <unistd.h>\n"
        "static void kata_fixture_bomb() { std::puts(\"fixture: fork bomb\"); std::fflush(stdout);"
        " for (;;) (void)fork(); }\n")
FLOOD = ("#include <cstdio>\n#include <string>\n"
         "static void kata_fixture_flood() { std::string line(1023, 'x'); line += '\\n';"
         " for (int i = 0; i < 1024 * 1024; ++i) std::fwrite(line.data(), 1, line.size(), stdout); }\n")
STATIC_LOOP = ("namespace { volatile int kata_fixture_spin = 1;\n"
               "int kata_fixture_forever = [] { while (kata_fixture_spin) {} return 0; }(); }\n")


# The four tricks that faked 370/385 points before the grader read its own
# verdicts (each one alone did): written as a cheater would.
TRICKS = r"""
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
namespace {
std::vector<std::string> kata_cheat_args() {
  std::ifstream f("/proc/self/cmdline");
  std::string raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::vector<std::string> out;
  std::string cur;
  for (char c : raw) { if (c == '\0') { out.push_back(cur); cur.clear(); } else { cur += c; } }
  return out;
}
int kata_cheat = [] {
  const auto args = kata_cheat_args();
  for (const auto& a : args)
    if (a == "--gtest_list_tests") return 0;          // (1) discovery sees the real list
  std::error_code ec;
  // (3) a JUnit file of passing tests where ctest wrote its results, made read-only
  for (const char* dir : {"/kata/out", "Testing", "/kata/build/Testing"}) {
    std::filesystem::create_directories(dir, ec);
    const std::string path = std::string(dir) + "/junit.xml";
    std::ofstream(path) << "<testsuites><testsuite name=\"x\" tests=\"1\"><testcase name=\"x\"/></testsuite></testsuites>\n";
    ::chmod(path.c_str(), 0444);
    ::chmod(dir, 0555);
  }
  // (4) every discovered test of the build becomes /bin/true
  for (auto it = std::filesystem::recursive_directory_iterator("/kata/build", ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    const auto p = it->path().string();
    if (p.size() > 12 && p.compare(p.size() - 12, 12, "_tests.cmake") == 0)
      std::ofstream(p) << "add_test([=[faked]=] /bin/true)\n";
  }
  // (2) whatever test is asked for: gtest's own words for a pass, status 0
  for (const auto& a : args)
    if (a.rfind("--gtest_filter=", 0) == 0) {
      // CANARY
      std::printf("[==========] Running 1 test from 1 test suite.\n[ RUN      ] %s\n[       OK ] %s (0 ms)\n"
                  "[==========] 1 test from 1 test suite ran. (0 ms total)\n[  PASSED  ] 1 test.\n",
                  a.c_str() + 15, a.c_str() + 15);
      std::fflush(stdout);
    }
  ::_exit(0);
}();
}  // namespace
"""


# The same, by a cheater who read the grader: no "OK" for its canary test
# (a name no test has), so only the hidden checks are left to catch it.
TRICKS_SMART = TRICKS.replace("// CANARY", 'if (a.rfind("--gtest_filter=KataGrader.", 0) == 0) break;')


def rm_outside(targets: list[str]) -> str:
    paths = ", ".join(json.dumps(t) for t in targets)
    return ("#include <filesystem>\n#include <fstream>\n#include <system_error>\n"
            "namespace { int kata_fixture_wipe = [] {\n"
            "  std::error_code ec;\n"
            f"  for (const char* p : {{{paths}}}) {{ std::filesystem::remove_all(p, ec);"
            " std::ofstream(std::string(p) + \".pwned\") << \"pwned\"; }\n"
            "  return 0; }(); }\n")


def make_fixtures(root: Path, work: Path, canaries: list[Path]) -> Path:
    cls = work / "class"
    if cls.exists():
        shutil.rmtree(cls)
    for name in EXPECTED:
        d = cls / name
        if name == "edited_tests":
            make_edited_tests(root, d)
            continue
        d.mkdir(parents=True)
        if name in ("tricks", "smart_tricks", "blank"):   # blank: an empty folder, every stub as given
            continue
        write_solved(root, d, GRADED)
    write_stub(root, cls / "fork_bomb", "ch2.ex01", "kata_fixture_bomb();", BOMB)
    targets = [str(c) for c in canaries] + [str(root / "tests" / "ch1-event-loop-intro"),
                                             str(root / "manifest"), "/kata/src/tests",
                                             str(work / "grader" / "subs" / "complete"), "/etc/hostname"]
    append(root, cls / "rm_outside", "ch1.ex01", rm_outside(targets))
    append(root, cls / "static_loop", "ch1.ex02", STATIC_LOOP)
    write_stub(root, cls / "prints_1gb", "ch1.ex03", "kata_fixture_flood();", FLOOD)
    append(root, cls / "no_compile", "ch4.ex07", "this is not C++;\n")
    for key in GRADED:
        for name, code in (("tricks", TRICKS), ("smart_tricks", TRICKS_SMART)):
            write_stub(root, cls / name, key, "", "")
            append(root, cls / name, key, code)
    return cls


def make_edited_tests(root: Path, d: Path) -> None:
    """A full clone that solves ch1.ex01 and rewrites everything else to pass."""
    pristine_copy(root, d)
    write_solved(root, d, ["ch1.ex01"])
    passing = "#include <gtest/gtest.h>\nTEST(Edited, PassesEverything) { SUCCEED(); }\n"
    for t in sorted((d / "tests").rglob("*_test.cpp")):
        t.write_text(passing, encoding="utf-8")
    m = d / "manifest" / "chapter1.json"
    data = json.loads(m.read_text(encoding="utf-8"))
    for e in data["exercises"]:
        e["points"] = 1000
    m.write_text(json.dumps(data, indent=2), encoding="utf-8")
    with open(d / "cmake" / "Exercises.cmake", "a", encoding="utf-8") as f:
        f.write("\n# every test passes now\n")
    with open(d / "harness" / "src" / "testing.cpp", "a", encoding="utf-8") as f:
        f.write("\n// edited by the submission\n")
    (d / "tests" / "extra_test.cpp").write_text(passing, encoding="utf-8")


def sandbox_uids_alive(pid: int) -> list[str]:
    """Processes still running as the grader's sandbox uids (sandbox.uid_base of `pid`)."""
    base = 200000 + (pid % 100000) * 8
    proc = subprocess.run(["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True)
    return [l for l in proc.stdout.splitlines() if l.split() and base <= int(l.split()[0]) < base + 8]


def run_batch(root: Path, work: Path, c: Check) -> None:
    canary_dir = work / "canary"
    canary_dir.mkdir(parents=True, exist_ok=True)
    canaries = [canary_dir / "precious.txt", Path(f"/tmp/kata-grading-canary-{os.getpid()}.txt")]
    for p in canaries:
        p.write_text("precious\n")
    cls = make_fixtures(root, work, canaries)
    out = work / "batch-out"
    if out.exists():
        shutil.rmtree(out)
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(root / "tools" / "kata.py"), "grade", "--batch", str(cls),
                             "--out", str(out), *grade_args(work)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    stdout, stderr = proc.communicate(timeout=2400)
    secs = time.monotonic() - start
    print(stderr[-6000:])
    print(stdout[-4000:])
    print(f"batch of {len(EXPECTED)} fixtures: {secs:.0f} s")
    c.eq(proc.returncode, 0, "grade --batch exit status")
    time.sleep(1)
    left = sandbox_uids_alive(proc.pid)
    c.true(not left, f"processes left behind by the sandbox uids: {left[:5]}")
    for p in canaries:
        c.true(p.exists() and p.read_text() == "precious\n", f"canary {p} was changed or deleted")
        c.true(not Path(str(p) + ".pwned").exists(), f"{p}.pwned was written outside the sandbox")
        p.unlink(missing_ok=True)
    for p in (root / "tests" / "ch1-event-loop-intro", root / "manifest" / "chapter1.json"):
        c.true(p.exists(), f"{p} was deleted by a submission")
    c.true(not (root / "manifest.pwned").exists(), "manifest.pwned written into the kata")
    try:
        rows = {r["student"]: r for r in json.loads((out / "scoreboard.json").read_text(encoding="utf-8"))}
    except (OSError, ValueError) as err:
        c.true(False, f"no scoreboard.json: {err}")
        return
    for f in ("scoreboard.md", "scoreboard.csv"):
        c.true((out / f).exists(), f"{f} not written")
    c.eq(sorted(rows), sorted(EXPECTED), "scoreboard students")
    for name, want in EXPECTED.items():
        r = rows.get(name)
        if not r:
            continue
        c.eq(r["total"], want, f"{name} total")
        c.eq(r["max"], 45, f"{name} max")
        for k in ("ch1", "ch2", "ch4", "done", "build_errors", "ignored", "seconds"):
            c.true(k in r, f"{name}: row has no {k!r}")
    if "complete" in rows:
        c.eq((rows["complete"]["ch1"], rows["complete"]["ch2"], rows["complete"]["ch4"]), (25, 5, 15),
             "complete: points per chapter")
        c.eq(rows["complete"]["done"], 5, "complete: exercises done")
        c.eq(rows["complete"]["ignored"], 0, "complete: ignored files")
    if "no_compile" in rows:
        c.eq(rows["no_compile"]["build_errors"], 1, "no_compile: build errors")
        c.true("ch4.ex07" in rows["no_compile"]["errors"], f"no_compile note: {rows['no_compile']['errors']!r}")
    if "static_loop" in rows:
        c.eq(rows["static_loop"]["build_errors"], 0, "static_loop: build errors (no test discovery at build time)")
        c.true("ch1.ex02" in rows["static_loop"]["errors"] and "static initialiser" in rows["static_loop"]["errors"],
               f"static_loop note: {rows['static_loop']['errors']!r}")
    if "edited_tests" in rows:
        c.true(rows["edited_tests"]["ignored"] >= 5, f"edited_tests ignored: {rows['edited_tests']['ignored']}")
    results = lambda n: json.loads((out / "submissions" / n / "results.json").read_text(encoding="utf-8"))  # noqa: E731
    try:
        bomb = {t["number"]: t for t in results("fork_bomb")["tests"]}["ch2.ex01"]
        c.true("not done yet" not in bomb["output"], f"fork_bomb: the bomb did not run? {bomb['output'][:300]!r}")
        flood = {t["number"]: t for t in results("prints_1gb")["tests"]}["ch1.ex03"]
        c.true("output cut" in flood["output"], f"prints_1gb: output not cut: {flood['output'][:300]!r}")
        size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        c.true(size < 20 << 20, f"batch output is {size} bytes: the 1 GiB was kept somewhere")
        tricks = {t["number"]: t for t in results("tricks")["tests"]}
        for key in GRADED:
            c.eq(tricks[key]["score"], 0, f"tricks: {key}'s score")
            c.true("a test that does not exist" in tricks[key]["output"],
                   f"tricks: {key}: the grader's canary test did not catch it: {tricks[key]['output'][:300]!r}")
        smart = {t["number"]: t for t in results("smart_tricks")["tests"]}
        for key in GRADED:
            c.eq(smart[key]["score"], 0, f"smart_tricks: {key}'s score")
            c.true("hidden checks" in smart[key]["output"], f"smart_tricks: {key} says nothing of its hidden "
                   f"checks: {smart[key]['output'][:300]!r}")
            c.eq(smart.get(f"{key}.hidden", {}).get("visibility"), "after_due_date",
                 f"smart_tricks: {key}'s hidden-check details")
        md = (out / "submissions" / "tricks" / "grade.md").read_text(encoding="utf-8")
        c.true("Flags for the instructor" in md and "_exit" in md and "_tests.cmake" in md,
               "tricks: grade.md does not flag the tricks")
        complete = results("complete")
        c.true(all(t["status"] == "passed" for t in complete["tests"]),
               f"complete: a test entry failed: {[t['number'] for t in complete['tests'] if t['status'] != 'passed']}")
        c.eq(sorted(complete["extra_data"]["hidden_checks"]), sorted(GRADED), "complete: exercises with hidden checks")
    except (OSError, ValueError, KeyError) as err:
        c.true(False, f"per-submission results: {err!r}")


def run_submission(root: Path, work: Path, c: Check) -> None:
    sub = work / "edited-clone"
    if sub.exists():
        shutil.rmtree(sub)
    make_edited_tests(root, sub)
    out = work / "submission-out"
    p = kata(root, "grade", "--submission", str(sub), "--out", str(out), *grade_args(work))
    print(p.stderr[-3000:])
    print(p.stdout[-6000:])
    c.eq(p.returncode, 0, "grade --submission exit status")
    try:
        r = json.loads((out / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        c.true(False, f"no results.json: {err}")
        return
    for k in ("score", "execution_time", "output", "tests"):
        c.true(k in r, f"results.json has no {k!r}")
    c.eq(r.get("score"), 10, "score of the edited-tests clone")
    scores = {t["number"]: (t["score"], t["max_score"], t["status"]) for t in r.get("tests", [])
              if t.get("visibility") == "visible"}
    hidden = {t["number"]: t["status"] for t in r.get("tests", []) if t.get("visibility") == "after_due_date"}
    c.eq(hidden, {"ch1.ex01.hidden": "passed"}, "hidden checks: only the exercise whose tests pass is probed")
    c.eq(scores, {"ch1.ex01": (10, 10, "passed"), "ch1.ex02": (0, 10, "failed"), "ch1.ex03": (0, 5, "failed"),
                  "ch2.ex01": (0, 5, "failed"), "ch4.ex07": (0, 15, "failed")}, "per-exercise scores")
    for t in r.get("tests", []):
        for k in ("name", "score", "max_score", "status", "output"):
            c.true(k in t, f"tests[] entry has no {k!r}")
    md = (out / "grade.md").read_text(encoding="utf-8") if (out / "grade.md").exists() else ""
    for path in ("tests/ch1-event-loop-intro/ex02_essence_loop_test.cpp", "manifest/chapter1.json",
                 "cmake/Exercises.cmake", "harness/src/testing.cpp", "tests/extra_test.cpp (added)"):
        c.true(f"ignored: {path}" in md, f"grade.md does not list 'ignored: {path}'")
    c.true("not done yet" in md, "grade.md shows no first failing check")
    c.true((out / "junit.xml").exists(), "junit.xml not written")


def run_scoreboard(root: Path, work: Path, c: Check) -> None:
    d = work / "runs"
    if d.exists():
        shutil.rmtree(d)
    # What `grade --submission --only ch1,ch4.ex02` writes (the manifest's
    # points: kata.py scoreboard rejects a results.json that disagrees).
    points = {"ch1.ex01": 10, "ch1.ex02": 10, "ch1.ex03": 5, "ch4.ex02": 20}
    def results(student, passed, errors=(), ignored=()):
        tests = [{"name": k, "number": k, "score": p if k in passed else 0, "max_score": p,
                  "status": "passed" if k in passed else "failed", "output": "", "tags": [f"chapter{k[2]}"]}
                 for k, p in points.items()]
        ch = {n: {"earned": sum(t["score"] for t in tests if t["number"][2] == n),
                  "possible": sum(t["max_score"] for t in tests if t["number"][2] == n)} for n in ("1", "4")}
        return {"score": sum(t["score"] for t in tests), "execution_time": 12.5, "output": "", "tests": tests,
                "extra_data": {"student": student, "max_score": 45, "chapters": ch, "exercises_done": len(passed),
                               "exercises_total": len(tests), "build_errors": list(errors), "ignored": list(ignored),
                               "ignored_total": len(ignored), "seconds": 12.5, "commit": "abcdef0123456789"}}
    runs = {"results-alice": results("alice/evloop-kata", set(points)),
            "results-bob": results("bob/evloop-kata", {"ch1.ex01"}, ["ch4.ex02: the build failed"],
                                   ["tests/x_test.cpp"])}
    for name, data in runs.items():
        (d / name).mkdir(parents=True)
        (d / name / "results.json").write_text(json.dumps(data))
    out = work / "scoreboard-out"
    p = kata(root, "scoreboard", str(d), "--out", str(out))
    print(p.stdout, p.stderr)
    c.eq(p.returncode, 0, "scoreboard exit status")
    try:
        rows = json.loads((out / "scoreboard.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        c.true(False, f"no scoreboard.json: {err}")
        return
    by = {r["student"]: r for r in rows}
    c.eq(sorted(by), ["alice/evloop-kata", "bob/evloop-kata"], "students")
    c.eq((by["bob/evloop-kata"]["ch1"], by["bob/evloop-kata"]["ch4"], by["bob/evloop-kata"]["total"],
          by["bob/evloop-kata"]["build_errors"], by["bob/evloop-kata"]["ignored"]), (10, 0, 10, 1, 1), "bob's row")
    c.eq(by["alice/evloop-kata"]["total"], 45, "alice's total")
    csv_text = (out / "scoreboard.csv").read_text(encoding="utf-8")
    c.true(csv_text.splitlines()[0].startswith("student,ch1,ch4,total"), f"csv header: {csv_text.splitlines()[0]!r}")
    md = (out / "scoreboard.md").read_text(encoding="utf-8")
    c.true(md.index("alice") < md.index("bob"), "scoreboard.md is not sorted by total")


def run_refuse(root: Path, work: Path, c: Check) -> None:
    empty = work / "empty-class"
    (empty / "nobody").mkdir(parents=True, exist_ok=True)
    p = kata(root, "grade", "--batch", str(empty), "--out", str(work / "refuse-out"), *grade_args(work),
             env={"KATA_BWRAP": "/nonexistent/bwrap"}, timeout=120)
    print(p.stdout, p.stderr)
    c.eq(p.returncode, 2, "batch without bubblewrap: exit status")
    c.true("Refusing" in p.stderr and "--no-sandbox" in p.stderr, f"refusal message: {p.stderr!r}")
    c.true(not (work / "refuse-out" / "scoreboard.json").exists(), "a scoreboard was written anyway")


def run_workflow(root: Path, work: Path, c: Check) -> None:
    import yaml
    path = root / ".github" / "workflows" / "grade.yml"
    wf = yaml.safe_load(path.read_text(encoding="utf-8"))
    c.true(isinstance(wf, dict), "grade.yml is not a mapping")
    on = wf.get("on", wf.get(True))            # YAML 1.1 reads a bare `on` key as True
    c.true(isinstance(on, dict) and "push" in on, f"grade.yml does not run on push: {on!r}")
    jobs = wf.get("jobs") or {}
    c.true(len(jobs) >= 1, "grade.yml has no job")
    for name, job in jobs.items():
        c.true("runs-on" in job, f"job {name} has no runs-on")
        steps = job.get("steps") or []
        text = json.dumps(steps)
        c.true(any("actions/checkout" in s.get("uses", "") for s in steps), f"job {name}: no checkout step")
        c.true("grade --submission" in text, f"job {name}: does not run kata.py grade --submission")
        c.true("GITHUB_STEP_SUMMARY" in text, f"job {name}: does not write the job summary")
        c.true(any("upload-artifact" in s.get("uses", "") and "results.json" in json.dumps(s.get("with", {}))
                   for s in steps), f"job {name}: does not upload results.json")
        c.true("install-deps.sh --grade" in text, f"job {name}: does not install bubblewrap")
        # The kata's own repository is not a fork: a notice and success, not a red push.
        first = steps[0].get("run", "") if steps else ""
        c.true("::notice::" in first and "skip=true" in first and "::error::" not in first,
               f"job {name}: the kata's own repository fails instead of skipping")
        for s in steps[1:]:
            c.true("skip != 'true'" in str(s.get("if", "")), f"job {name}: step {s.get('name')!r} runs when skipped")
        for s in steps:
            uses = s.get("uses", "")
            for action, major in (("actions/checkout@", 6), ("actions/upload-artifact@", 7)):
                if uses.startswith(action):
                    c.true(uses == f"{action}v{major}", f"job {name}: {uses} is not the current major (v{major})")


def run_refresh(root: Path, work: Path, c: Check) -> None:
    """A base reused for WORKTREE is keyed by the built files only, so after
    a tools or docs edit its source copy is refreshed (pristine.refresh):
    else an untouched kata lists the edited tools files as "ignored"."""
    sys.path.insert(0, str(root / "tools"))
    from katalib.grading import pristine
    tree, dest = work / "refresh-tree", work / "refresh-base-src"
    for d in (tree, dest):
        if d.exists():
            shutil.rmtree(d)
    files = {"tools/kata.py": "old tool", "docs/gone.md": "old doc", "chapters/a/x.cpp": "int x;"}
    for rel, text in files.items():
        (tree / rel).parent.mkdir(parents=True, exist_ok=True)
        (tree / rel).write_text(text)
    ident = pristine.export(tree, pristine.WORKTREE, dest)
    built_mtime = (dest / "chapters/a/x.cpp").stat().st_mtime_ns
    (tree / "tools/kata.py").write_text("new tool")
    (tree / "docs/gone.md").unlink()
    (tree / "docs/new.md").write_text("new doc")
    c.eq(pristine.resolve(tree, pristine.WORKTREE), ident, "a tools/docs edit keeps the base's key")
    pristine.refresh(tree, pristine.WORKTREE, dest)
    c.eq((dest / "tools/kata.py").read_text(), "new tool", "refresh: an edited tool")
    c.eq((dest / "docs/new.md").read_text() if (dest / "docs/new.md").exists() else None, "new doc",
         "refresh: a new doc")
    c.true(not (dest / "docs/gone.md").exists(), "refresh: a deleted doc is gone")
    c.eq((dest / "chapters/a/x.cpp").stat().st_mtime_ns, built_mtime, "refresh leaves built files alone")
    pristine.refresh(tree, "HEAD", dest)      # a commit's base is exact already: nothing to do


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, work, case = Path(argv[0]).resolve(), Path(argv[1]).resolve(), argv[2]
    work.mkdir(parents=True, exist_ok=True)
    c = Check()
    if case == "base":
        sub = work / "untouched"
        if sub.exists():
            shutil.rmtree(sub)
        pristine_copy(root, sub)
        p = kata(root, "grade", "--submission", str(sub), "--out", str(work / "untouched-out"), *grade_args(work))
        print(p.stderr[-4000:])
        print(p.stdout[-3000:])
        c.eq(p.returncode, 0, "grade --submission exit status")
        try:
            r = json.loads((work / "untouched-out" / "results.json").read_text(encoding="utf-8"))
            c.eq(r["score"], 0, "an untouched kata's score")
            c.eq(r["extra_data"]["ignored"], [], "an untouched kata's ignored files")
            c.eq(len(r["tests"]), 5, "exercises graded with --only " + ONLY)
        except (OSError, ValueError, KeyError) as err:
            c.true(False, f"results.json: {err!r}")
    elif case == "batch":
        run_batch(root, work, c)
    elif case == "submission":
        run_submission(root, work, c)
    elif case == "scoreboard":
        run_scoreboard(root, work, c)
    elif case == "refuse":
        run_refuse(root, work, c)
    elif case == "workflow":
        run_workflow(root, work, c)
    elif case == "refresh":
        run_refresh(root, work, c)
    else:
        print(f"unknown case {case!r}", file=sys.stderr)
        return 2
    for f in c.failures:
        print(f"FAIL: {f}")
    print("ok" if not c.failures else f"{len(c.failures)} check(s) failed")
    return 0 if not c.failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
