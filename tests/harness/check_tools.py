#!/usr/bin/env python3
"""Self-tests of tools/kata.py against a tiny fake repository and build
directory (a hand-written CTestTestfile.cmake whose "tests" are small Python
scripts), so they do not depend on which exercises exist or pass.

    check_tools.py <repo-root> <case> [fake-stub-binary]

Cases: progress, no_run, hint, grade, list, errors, colour, check_stub.
"""
from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]
KATA = ROOT / "tools" / "kata.py"

MANIFEST1 = {
    "chapter": 1, "slug": "ch1-fake", "title": "Fake chapter", "title_zh": "假章节",
    "exercises": [
        {"id": f"ex0{i}", "slug": f"thing-{i}", "title": f"Thing {i}", "title_zh": f"东西{i}",
         "goal": f"goal of thing {i}", "hint": f"hint of thing {i}", "files": ["x.hpp", "x.cpp"],
         "test": f"ex0{i}_test.cpp", "points": 10}
        for i in range(1, 6)
    ],
}
MANIFEST2 = {
    "chapter": 2, "slug": "ch2-fake", "title": "Second", "title_zh": "第二",
    "exercises": [{"id": "ex01", "slug": "other", "title": "Other", "goal": "g", "hint": "h",
                   "files": ["o.cpp"], "test": "ex01_test.cpp", "points": 5}],
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
