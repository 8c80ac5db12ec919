#!/usr/bin/env python3
"""Self-tests of tools/kata.py against a tiny fake repository and build
directory (a hand-written CTestTestfile.cmake whose "tests" are small Python
scripts), so they do not depend on which exercises exist or pass.

    check_tools.py <repo-root> <case> [fake-stub-binary]

Cases: progress, no_run, hint, grade, list, errors, colour, check_stub;
and on a fake learner tree whose "build" is a tiny build.ninja (each exercise's
"binary" is a copy of its x.cpp, its "test" a script that passes once x.cpp
says SOLVED): width, untouched, untouched_git, cache, reset, compare, watch_lines.
"""
from __future__ import annotations

import json
import os
import pty
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
KATA = ROOT / "tools" / "kata.py"

MANIFEST1 = {
    "chapter": 1, "slug": "ch1-fake", "title": "Fake chapter", "title_zh": "假章节",
    "exercises": [
        {"id": f"ex0{i}", "slug": f"thing-{i}", "title": f"Thing {i}", "title_zh": f"东西{i}",
         "goal": f"goal of thing {i}", "hint": f"hint of thing {i}", "edit": ["x.cpp"], "given": ["x.hpp"],
         "test": f"ex0{i}_test.cpp", "points": 10}
        for i in range(1, 6)
    ],
}
MANIFEST2 = {
    "chapter": 2, "slug": "ch2-fake", "title": "Second", "title_zh": "第二",
    "exercises": [{"id": "ex01", "slug": "other", "title": "Other", "goal": "g", "hint": "h",
                   "edit": ["o.cpp"], "test": "ex01_test.cpp", "points": 5}],
}

SCRIPTS = {
    "pass.py": "print('[ RUN      ] S.T'); print('[       OK ] S.T')",
    # Passes, and counts its runs: shows whether kata.py re-ran the tests.
    "count.py": ("import pathlib\np = pathlib.Path(__file__).with_name('runs.txt')\n"
                 "p.write_text(p.read_text() + 'x' if p.exists() else 'x')\nprint('[       OK ] S.C')"),
    "todo.py": ("import sys\nprint('[ RUN      ] S.T')\n"
                "print('/r/chapters/ch1-fake/ex02-thing-2/x.cpp:3: Failure')\n"
                "print('not done yet: chapters/ch1-fake/ex02-thing-2/x.cpp:3 \\u2014 write thing 2 (hint 1)')\n"
                "print('[  FAILED  ] S.T')\nsys.exit(1)"),
    "order.py": ("import sys\nprint('[ RUN      ] S.T')\nprint('/r/tests/t.cpp:9: Failure')\n"
                 "print('Value of: same_order(...)')\nprint('order differs at event 2')\n"
                 "print('  - promise')\nprint('  + setTimeout')\nprint('[  FAILED  ] S.T')\nsys.exit(1)"),
}

BUILD_LOG = """[1/4] Building CXX object CMakeFiles/ch1_ex05.dir/chapters/ch1-fake/ex05-thing-5/x.cpp.o
FAILED: CMakeFiles/ch1_ex05.dir/chapters/ch1-fake/ex05-thing-5/x.cpp.o 
/usr/bin/c++ -I/r/harness/include -O2 -c /r/chapters/ch1-fake/ex05-thing-5/x.cpp -o x.cpp.o
/r/chapters/ch1-fake/ex05-thing-5/x.cpp: In function 'int f()':
/r/chapters/ch1-fake/ex05-thing-5/x.cpp:3:12: error: expected ';' before '}' token
[2/4] Building CXX object CMakeFiles/ch2_ex01.dir/tests/x.cpp.o
ninja: build stopped: subcommand failed.
"""


def make_fake(tmp: Path) -> tuple[Path, Path, Path]:
    root, build = tmp / "repo", tmp / "build"
    (root / "manifest").mkdir(parents=True)
    (root / "manifest" / "chapter1.json").write_text(json.dumps(MANIFEST1, ensure_ascii=False), encoding="utf-8")
    (root / "manifest" / "chapter2.json").write_text(json.dumps(MANIFEST2), encoding="utf-8")
    readme = root / "chapters" / "ch1-fake" / "ex02-thing-2" / "README.md"
    readme.parent.mkdir(parents=True)
    readme.write_text("# Thing 2\n\n## Hints\n1. first readme hint\n2. second readme hint\n\n"
                      "## How to run\nctest\n\n## 提示\n1. 第一个提示\n", encoding="utf-8")
    build.mkdir()
    for name, code in SCRIPTS.items():
        (build / name).write_text(code + "\n")
    py = sys.executable

    def t(name, script):
        return f'add_test({name} "{py}" "{build / script}")\n'
    lines = [
        t("chapter1.ex01.S.A", "pass.py"), t("chapter1.ex01.S.B", "pass.py"),         # done
        t("chapter1.ex01.S.C", "count.py"),
        t("chapter1.ex02.S.A", "todo.py"), t("chapter1.ex02.S.B", "todo.py"),         # not started
        t("chapter1.ex03.S.A", "pass.py"), t("chapter1.ex03.S.B", "order.py"),        # in progress
        'add_test(ch1_ex04_NOT_BUILT "ch1_ex04_NOT_BUILT")\n',                          # no binary
        t("chapter1.ex05.S.A", "todo.py"),                                              # build failed (log)
        t("chapter2.ex01.S.A", "todo.py"),
        t("chapter9.ex09.S.A", "pass.py"),                                              # not in the manifest
        t("harness.unrelated", "order.py"),                                             # not an exercise test
    ]
    (build / "CTestTestfile.cmake").write_text("".join(lines))
    log = tmp / "build.log"
    log.write_text(BUILD_LOG)
    return root, build, log


LEARNER = {
    "chapter": 1, "slug": "ch1-fake", "title": "Fake chapter", "title_zh": "假章节",
    "exercises": [
        {"id": "ex01", "slug": "thing-1", "title": "Thing 1", "goal": "goal 1", "hint": "hint 1",
         "edit": ["x.cpp"], "test": "t.cpp", "points": 10},
        {"id": "ex02", "slug": "thing-2", "title": "Interview questions (高频面试题)", "goal": "goal 2",
         "hint": "hint 2", "edit": ["x.cpp"], "test": "t.cpp", "points": 10},
        {"id": "ex03", "slug": "thing-3", "title": "Predict the output: the seed's 代码执行 1, 2, 3",
         "goal": "goal 3", "hint": "hint 3", "edit": ["x.cpp"], "test": "t.cpp", "points": 10},
    ],
}
CHECK = """import pathlib, sys
key, binary, rel = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
runs = binary.parent.parent / f"runs-{key}.txt"
runs.write_text((runs.read_text() if runs.exists() else "") + "x")
print("[ RUN      ] S.T")
if binary.exists() and "SOLVED" in binary.read_text():
    print("[       OK ] S.T")
    sys.exit(0)
print(f"not done yet: {rel}:1 \u2014 write the thing")
print("[  FAILED  ] S.T")
sys.exit(1)
"""


def make_learner(tmp: Path, git: bool = False) -> tuple[Path, Path]:
    """A fake repo + build directory that `progress --make` and `watch` can
    build (ninja copies x.cpp to the exercise's "binary") and test."""
    root, build = tmp / "learner", tmp / "learner" / "build" / "learner"
    (root / "manifest").mkdir(parents=True)
    (root / "manifest" / "chapter1.json").write_text(json.dumps(LEARNER, ensure_ascii=False), encoding="utf-8")
    build.mkdir(parents=True)
    (build / "check.py").write_text(CHECK, encoding="utf-8")
    ninja, tests = ["rule copy\n  command = cp $in $out\n"], []
    for e in LEARNER["exercises"]:
        key, folder = f"ch1_{e['id']}", f"ch1-fake/{e['id']}-{e['slug']}"
        for tree, text in (("chapters", f'int f() {{ KATA_TODO("write {e["title"]}"); }}\n'),
                           ("solutions", "int f() { return 1; }  // SOLVED\n")):
            (root / tree / folder).mkdir(parents=True)
            (root / tree / folder / "x.cpp").write_text(text, encoding="utf-8")
        (root / "chapters" / folder / "README.md").write_text(f"# {e['title']}\n\n## Hints\n1. readme hint of {key}\n",
                                                              encoding="utf-8")
        src, binary = root / "chapters" / folder / "x.cpp", build / "bin" / f"{key}.txt"
        ninja.append(f"build {binary}: copy {src}\nbuild {key}: phony {binary}\n")
        tests.append(f'add_test(chapter1.{e["id"]}.S.T "{sys.executable}" "{build / "check.py"}" "{key}" '
                     f'"{binary}" "chapters/{folder}/x.cpp")\n')
    (build / "build.ninja").write_text("".join(ninja))
    (build / "CTestTestfile.cmake").write_text("".join(tests))
    if git:
        g = ["git", "-C", str(root), "-c", "user.name=kata", "-c", "user.email=kata@example.invalid"]
        (root / ".gitignore").write_text("/build/\n")
        subprocess.run(g[:3] + ["init", "-q"], check=True)
        subprocess.run(g + ["add", "-A"], check=True)
        subprocess.run(g + ["commit", "-q", "-m", "stubs"], check=True)
    return root, build


def runs(build: Path, key: str) -> int:
    f = build / f"runs-{key}.txt"
    return len(f.read_text()) if f.exists() else 0


def rows(out: str) -> dict[str, str]:
    """Progress table rows by exercise key."""
    found = {}
    for l in out.splitlines():
        parts = l.split()
        if len(parts) > 1 and parts[0] in ("✓", "…", "·", "✗", "▸·", "▸✓") and parts[1].startswith("ch"):
            found[parts[1]] = l
    return found


def kata(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ, **(env or {}))
    e.pop("NO_COLOR", None) if env is None or "NO_COLOR" not in env else None
    return subprocess.run([sys.executable, str(KATA), *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", env=e, stdin=subprocess.DEVNULL, timeout=300)


class Checker:
    def __init__(self):
        self.problems: list[str] = []
        self.shown: list[str] = []

    def has(self, text: str, *needles: str) -> None:
        for n in needles:
            if n not in text:
                self.problems.append(f"output lacks {n!r}")

    def lacks(self, text: str, *needles: str) -> None:
        for n in needles:
            if n in text:
                self.problems.append(f"output should not contain {n!r}")

    def true(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(what)


def learner_case(case: str, tmp: Path, c: Checker) -> None:
    if not shutil.which("ninja"):
        c.true(False, "ninja is not installed (scripts/install-deps.sh installs it)")
        return
    root, build = make_learner(tmp, git=case == "untouched_git")
    base = ["--root", str(root)]
    env = {"KATA_PRISTINE": "copy"} if case != "untouched_git" else None
    ex = {e["id"]: root / "chapters" / f"ch1-fake/{e['id']}-{e['slug']}" / "x.cpp" for e in LEARNER["exercises"]}
    stub2 = ex["ex02"].read_bytes()

    def progress(*extra: str) -> str:
        p = kata(*base, "progress", "--build", str(build), "--make", *extra, env=env)
        c.shown.append(p.stdout + p.stderr)
        c.true(p.returncode == 0, f"progress --make {' '.join(extra)}: exit {p.returncode}")
        return p.stdout

    if case == "width":
        out = progress()
        table = [l for l in out.splitlines() if l.split() and l.split()[0] in ("✓", "…", "·", "✗")]
        c.true(len(table) == 3, f"want 3 table rows, got {len(table)}")
        sys.path.insert(0, str(ROOT / "tools"))
        from katalib.term import width
        cols = {width(l[:l.index("not started")]) for l in table if "not started" in l}
        c.true(len(cols) == 1, f"the status column starts at different display columns {sorted(cols)}:\n"
                               + "\n".join(table))
        c.true(width("高频ab") == 6 and width("\x1b[32m✓\x1b[0m") == 1, "term.width miscounts")
    elif case in ("untouched", "untouched_git"):
        out = progress()
        r = rows(out)
        c.true(runs(build, "ch1_ex01") == 1, f"the next exercise (ch1.ex01) ran {runs(build, 'ch1_ex01')} times, want 1")
        c.true(runs(build, "ch1_ex02") == 0 and runs(build, "ch1_ex03") == 0,
               "an untouched exercise was run (it should be 'not started' without a run)")
        c.true(not (build / "bin" / "ch1_ex02.txt").exists(), "an untouched exercise was built")
        c.true("untouched" in r.get("ch1.ex02", "") and "not started" in r.get("ch1.ex02", ""), f"ch1.ex02: {r.get('ch1.ex02')!r}")
        c.has(out, "0/3 done", "not done yet: chapters/ch1-fake/ex01-thing-1/x.cpp:1")
        shutil.copy(root / "solutions" / "ch1-fake/ex03-thing-3/x.cpp", ex["ex03"])
        out = progress()
        r = rows(out)
        c.true("done" in r.get("ch1.ex03", ""), f"a solved exercise is not done: {r.get('ch1.ex03')!r}")
        c.true("not started" in r.get("ch1.ex02", "") and runs(build, "ch1_ex02") == 0, "ch1.ex02 was run")
        c.has(out, "1/3 done", "Next: ch1.ex01")
        with ex["ex02"].open("a") as f:
            f.write("// my first line\n")
        out = progress()
        c.true(runs(build, "ch1_ex02") == 1, f"a touched exercise was not run ({runs(build, 'ch1_ex02')} runs)")
        c.true("untouched" not in rows(out).get("ch1.ex02", ""), "a touched exercise is shown as untouched")
        ex["ex02"].write_bytes(stub2)          # back to the stub byte for byte: untouched again
        out = progress()
        c.true("untouched" in rows(out).get("ch1.ex02", ""), "the restored stub is not 'untouched'")
    elif case == "cache":
        shutil.copy(root / "solutions" / "ch1-fake/ex02-thing-2/x.cpp", ex["ex02"])
        progress()
        before = (runs(build, "ch1_ex01"), runs(build, "ch1_ex02"))
        c.true(before == (1, 1), f"first make: runs {before}, want (1, 1)")
        out = progress()
        c.true((runs(build, "ch1_ex01"), runs(build, "ch1_ex02")) == before, "nothing changed, yet tests ran again")
        c.true("done" in rows(out).get("ch1.ex02", ""), "the kept result lost the done status")
        time.sleep(0.05)
        with ex["ex02"].open("a") as f:
            f.write("// still solved\n")      # the build rewrites ch1.ex02's binary
        progress()
        c.true(runs(build, "ch1_ex02") == 2 and runs(build, "ch1_ex01") == 1,
               f"after a rebuild of ch1.ex02 only: runs ex01={runs(build, 'ch1_ex01')} ex02={runs(build, 'ch1_ex02')},"
               " want 1 and 2")
        progress("--rerun")
        c.true(runs(build, "ch1_ex01") == 2, "--rerun did not run the tests again")
    elif case == "reset":
        mine = b"int f() { return 42; }  // my work\n"
        progress()                                # records the pristine copy (no git here)
        ex["ex02"].write_bytes(mine)
        p = subprocess.run([sys.executable, str(KATA), *base, "reset", "ch1.ex02", "--build", str(build)],
                           input="n\n", capture_output=True, text=True, env=dict(os.environ, **env), timeout=60)
        c.shown.append(p.stdout + p.stderr)
        c.true(p.returncode == 1 and ex["ex02"].read_bytes() == mine, f"answered no, yet: exit {p.returncode}")
        c.has(p.stdout, "Reset ch1.ex02", "chapters/ch1-fake/ex02-thing-2/x.cpp")
        p = kata(*base, "reset", "ch1.ex02", "--yes", "--build", str(build), env=env)
        c.shown.append(p.stdout + p.stderr)
        c.true(p.returncode == 0, f"reset --yes: exit {p.returncode}")
        c.true(ex["ex02"].read_bytes() == stub2, "reset did not restore the stub byte for byte")
        backups = list((root / ".cache" / "kata-backup").glob("ch1.ex02-*/chapters/ch1-fake/ex02-thing-2/x.cpp"))
        c.true(len(backups) == 1 and backups[0].read_bytes() == mine, f"backup of the learner's file: {backups}")
        p = kata(*base, "reset", "ch1.ex02", "--build", str(build), env=env)
        c.has(p.stdout, "already the stubs")
    elif case == "compare":
        progress()
        p = kata(*base, "compare", "ch1.ex03", "--build", str(build), env=env)
        c.shown.append(p.stdout + p.stderr)
        c.true(p.returncode == 1, f"compare before done: exit {p.returncode}, want 1")
        c.has(p.stdout, "not done yet", "--force")
        c.lacks(p.stdout, "SOLVED")               # the reference is not shown
        p = kata(*base, "compare", "ch1.ex03", "--force", "--build", str(build), env=env)
        c.shown.append(p.stdout + p.stderr)
        c.true(p.returncode == 0, f"compare --force: exit {p.returncode}")
        c.has(p.stdout, "-int f() { return 1; }  // SOLVED", '+int f() { KATA_TODO("write Predict', "(reference)", "(yours)")
        shutil.copy(root / "solutions" / "ch1-fake/ex03-thing-3/x.cpp", ex["ex03"])
        p = kata(*base, "compare", "ch1.ex03", "--make", "--build", str(build), env=env)
        c.shown.append(p.stdout + p.stderr)
        c.true(p.returncode == 0, f"compare once done: exit {p.returncode}")
        c.has(p.stdout, "identical to the reference")
    elif case == "watch_lines":
        proc = subprocess.Popen([sys.executable, str(KATA), *base, "watch", "--build", str(build), "--interval", "0.2"],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                encoding="utf-8", errors="replace", env=dict(os.environ, **env))
        lines: queue.Queue = queue.Queue()
        seen: list[str] = []
        threading.Thread(target=lambda: [lines.put(l) for l in proc.stdout], daemon=True).start()

        def wait_for(pattern: str, timeout: float) -> bool:
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                try:
                    l = lines.get(timeout=0.1)
                except queue.Empty:
                    continue
                seen.append(l)
                if re.search(pattern, l):
                    return True
            return False
        try:
            c.true(wait_for(r"^== ch1\.ex01 .*not started", 60), "no first block for ch1.ex01")
            c.true(wait_for(r"not done yet: chapters/ch1-fake/ex01-thing-1/x.cpp:1", 10), "no first failing check")
            folder = ex["ex01"].parent
            (folder / ".x.cpp.swp").write_text("swap")
            (folder / "x.cpp~").write_text("backup")
            (folder / "4913").write_text("")
            c.true(not wait_for(r"^== ", 2.0), "an editor's swap/backup file triggered a rerun")
            runs_before = runs(build, "ch1_ex01")
            t0 = time.monotonic()
            shutil.copy(root / "solutions" / "ch1-fake/ex01-thing-1/x.cpp", ex["ex01"])
            c.true(wait_for(r"^== ch1\.ex01 .*: done", 30), "saving the solution did not turn ch1.ex01 to done")
            latency = time.monotonic() - t0
            c.true(runs(build, "ch1_ex01") == runs_before + 1, "the save did not rerun exactly ch1.ex01's tests once")
            c.true(wait_for(r"done ✓", 5), "no 'done ✓'")
            c.true(wait_for(r"solutions/ch1-fake/ex01-thing-1/x.cpp", 5), "no reference file to compare with")
            c.true(wait_for(r"kata.py compare ch1.ex01", 5), "no compare command")
            c.true(wait_for(r"^next: ch1\.ex02", 5), "line mode did not go on to ch1.ex02")
            c.true(runs(build, "ch1_ex03") == 0, "watch ran an exercise it was not on")
            proc.stdin.write("q\n")
            proc.stdin.flush()
            rc = proc.wait(timeout=20)
            c.true(rc == 0, f"q: exit {rc}")
            c.shown.append(f"(save → done in {latency:.2f} s)\n" + "".join(seen))
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            c.shown.append("".join(seen))


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    case = sys.argv[2]
    c = Checker()
    with tempfile.TemporaryDirectory(prefix="kata-tools-") as d:
        tmp = Path(d)
        root, build, log = make_fake(tmp)
        base = ["--root", str(root)]
        if case == "progress":
            p = kata(*base, "progress", "--build", str(build), "--build-log", str(log))
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 0, f"exit status {p.returncode}, want 0 with unfinished exercises")
            out = p.stdout
            c.has(out, "1/6 done", "10/55 points", "Chapter 1 · Fake chapter · 假章节", "Chapter 2 · Second",
                  "Next: ch1.ex02 — Thing 2 · 东西2", "chapters/ch1-fake/ex02-thing-2/README.md",
                  "chapters/ch1-fake/ex02-thing-2/x.hpp", "chapters/ch1-fake/ex02-thing-2/x.cpp",
                  "goal of thing 2", "hint of thing 2",
                  "not done yet: chapters/ch1-fake/ex02-thing-2/x.cpp:3 — write thing 2 (hint 1)",
                  "ignored 1 test(s)")
            status = {l.split()[1]: l for l in out.splitlines() if l.strip().startswith(("✓", "…", "·", "✗"))
                      and len(l.split()) > 1 and l.split()[1].startswith("ch")}
            for key, word in [("ch1.ex01", "done"), ("ch1.ex02", "not started"), ("ch1.ex03", "in progress"),
                              ("ch1.ex04", "does not compile"), ("ch1.ex05", "does not compile"),
                              ("ch2.ex01", "not started")]:
                c.true(word in status.get(key, ""), f"{key} should be '{word}': {status.get(key)!r}")
            c.lacks(out, "\x1b[")            # headless: plain text
        elif case == "no_run":
            runs = build / "runs.txt"
            def count() -> int:
                return len(runs.read_text()) if runs.exists() else 0
            # Nothing recorded yet: --no-run must run the tests anyway.
            p = kata(*base, "progress", "--build", str(build), "--no-run")
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 0 and count() == 1, f"first --no-run: exit {p.returncode}, runs {count()} (want 1)")
            c.has(p.stdout, "1/6 done")
            # `make chapter1` runs ctest itself, then asks for the chapter's view without a rerun.
            subprocess.run(["ctest", "--test-dir", str(build), "-R", "^chapter1\\."], capture_output=True)
            before = count()
            p = kata(*base, "progress", "--build", str(build), "--no-run", "--chapter", "1")
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 0, f"--no-run --chapter 1: exit {p.returncode}")
            c.true(count() == before, f"--no-run re-ran the tests ({before} → {count()} runs)")
            c.has(p.stdout, "chapter 1: 1/5 done", "Next: ch1.ex02")
            c.lacks(p.stdout, "Chapter 2")
            p = kata(*base, "progress", "--build", str(build), "--chapter", "2")
            c.shown.append(p.stdout + p.stderr)
            c.true(count() == before, "--chapter 2 ran chapter 1's tests")
            c.has(p.stdout, "chapter 2: 0/1 done", "Next: ch2.ex01")
        elif case == "hint":
            p = kata(*base, "hint", "--build", str(build))
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 0, f"hint: exit {p.returncode}")
            c.has(p.stdout, "ch1.ex02", "hint of thing 2", "1. first readme hint", "第一个提示")
            p = kata(*base, "hint", "ch1.ex05", "--run", "--build", str(build), "--build-log", str(log))
            c.shown.append(p.stdout + p.stderr)
            c.has(p.stdout, "does not compile", "error: expected ';' before '}' token")
            c.lacks(p.stdout, "/usr/bin/c++")   # the command line is noise
            p = kata(*base, "hint", "ch1.ex03", "--run", "--build", str(build))
            c.shown.append(p.stdout + p.stderr)
            c.has(p.stdout, "order differs at event 2", "  - promise", "  + setTimeout")
            p = kata(*base, "hint", "ch7.ex01")
            c.true(p.returncode == 2 and "no exercise" in p.stderr, f"unknown exercise: {p.returncode} {p.stderr!r}")
        elif case == "grade":
            out_dir = tmp / "grade"
            p = kata(*base, "grade", "--build", str(build), "--build-log", str(log), "--out", str(out_dir))
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 0, f"grade: exit {p.returncode}")
            g = json.loads((out_dir / "grade.json").read_text(encoding="utf-8"))
            c.true(g["points_earned"] == 10 and g["points_possible"] == 55, f"points {g['points_earned']}/{g['points_possible']}")
            c.true(g["exercises_done"] == 1 and g["exercises_total"] == 6, "exercise counts")
            ex3 = g["chapters"][0]["exercises"][2]
            c.true(ex3["tests_passed"] == 1 and ex3["tests_total"] == 2 and ex3["points_earned"] == 0,
                   f"partial exercise: {ex3}")
            md = (out_dir / "grade.md").read_text(encoding="utf-8")
            c.has(md, "| ch1.ex01 Thing 1 | done | 3/3 | 10/10 |", "| ch1.ex03 Thing 3 | in progress | 1/2 | 0/10 |",
                  "Total: 10/55 points", "all or nothing")
            c.true((out_dir / "junit.xml").exists(), "JUnit XML not kept in the out dir")
            c.has(p.stdout, "| Exercise | Status | Tests passed |")
        elif case == "list":
            p = kata("list")                 # the real manifest, whatever it holds today
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 0, f"list: exit {p.returncode}")
            keys = []
            for m in sorted((ROOT / "manifest").glob("chapter*.json")):
                data = json.loads(m.read_text(encoding="utf-8"))
                keys += [f"ch{data['chapter']}.{e['id']}" for e in data.get("exercises", [])]
            c.has(p.stdout, *keys, f"{len(keys)} exercises")
        elif case == "errors":
            p = kata(*base, "progress", "--build", str(tmp / "nowhere"))
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 2, f"missing build dir: exit {p.returncode}, want 2")
            c.has(p.stderr, "not a configured build directory")
            c.lacks(p.stderr, "Traceback")
            (root / "manifest" / "chapter3.json").write_text("{ not json")
            p = kata(*base, "list")
            c.shown.append(p.stdout + p.stderr)
            c.true(p.returncode == 2, f"broken manifest: exit {p.returncode}, want 2")
            c.has(p.stderr, "chapter3.json")
            c.lacks(p.stderr, "Traceback")
        elif case == "colour":
            def on_tty(env_extra: dict) -> str:
                master, slave = pty.openpty()
                env = dict(os.environ, **env_extra)
                if "NO_COLOR" not in env_extra:
                    env.pop("NO_COLOR", None)
                env["TERM"] = "xterm"
                proc = subprocess.Popen([sys.executable, str(KATA), *base, "progress", "--build", str(build)],
                                        stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env)
                os.close(slave)
                chunks = []
                while True:
                    try:
                        data = os.read(master, 65536)
                    except OSError:
                        break
                    if not data:
                        break
                    chunks.append(data)
                proc.wait(timeout=120)
                os.close(master)
                return b"".join(chunks).decode("utf-8", "replace")
            coloured = on_tty({})
            c.shown.append(coloured)
            c.has(coloured, "\x1b[", "1/6 done")
            plain = on_tty({"NO_COLOR": "1"})
            c.shown.append(plain)
            c.lacks(plain, "\x1b[")
            c.has(plain, "1/6 done")
        elif case == "check_stub":
            binary = sys.argv[3]
            p = kata("check-stub", binary, "--exercise", "ch0.ex00")
            out = p.stdout + p.stderr
            c.shown.append(out)
            c.true(p.returncode == 1, f"check-stub on a bad stub: exit {p.returncode}, want 1")
            c.has(out, "1/5 tests fail with \"not done yet\"", "ok  FakeStub.ReachesTodo",
                  "BAD FakeStub.PassesByAccident", "passed: the stub must not pass",
                  "BAD FakeStub.WrongAnswerWithoutTodo", "not with \"not done yet\"",
                  "BAD FakeStub.Crashes", "crashed with SIGSEGV",
                  "BAD FakeStub.Hangs", "hung", "FAIL: 4 test(s)")
        elif case in ("width", "untouched", "untouched_git", "cache", "reset", "compare", "watch_lines"):
            learner_case(case, tmp, c)
        else:
            print(f"unknown case {case!r}", file=sys.stderr)
            return 2
    if c.problems:
        print(f"FAIL harness.tools.{case}:")
        for p in c.problems:
            print(f"  - {p}")
        for s in c.shown:
            print("---- kata.py output ----")
            print(s[-5000:])
        return 1
    print(f"PASS harness.tools.{case}")
    for s in c.shown[:1]:
        print(s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
