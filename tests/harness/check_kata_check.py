#!/usr/bin/env python3
"""harness.tools.check: `kata.py check` (make check EX=...), the learner's
hidden checks, on the self-test build (KATA_SOURCE=solutions: the exercise's
binary is the reference, so the checks must agree).

    check_kata_check.py ROOT BUILD
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT, BUILD = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
FAILURES: list[str] = []


def kata(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "kata.py"), "--color", "never", *args],
                          capture_output=True, text=True, errors="replace", timeout=600)


def check(cond: bool, what: str, p: subprocess.CompletedProcess | None = None) -> None:
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}" + (f"\n--- stdout\n{p.stdout[-1500:]}\n--- stderr\n{p.stderr[-1500:]}" if p else ""))


p = kata("check", "ch1.ex02", "--build", str(BUILD), "--seed", "5")
check(p.returncode == 0 and "\u2713 ch1.ex02: 20/20 generated programs" in p.stdout and "(seed 5)" in p.stdout,
      "the reference agrees with itself, seed named", p)
p = kata("check", "ch3.ex02", "--probe", "--build", str(BUILD), "--cases", "3")
check(p.returncode == 0 and "3/3 generated programs" in p.stdout, "--probe and --cases", p)
p = kata("check", "ch4.ex09", "--build", str(BUILD))
check(p.returncode == 0 and "has no hidden checks yet" in p.stdout, "an exercise without a probe says so", p)
for bad, says in ((["--cases", "0"], "--cases takes"), (["--seed", "-1"], "--seed takes")):
    p = kata("check", "ch1.ex02", "--build", str(BUILD), *bad)
    check(p.returncode == 2 and says in p.stderr, f"{bad}: a clear error, exit 2", p)
p = kata("check", "ch9.ex99", "--build", str(BUILD))
check(p.returncode == 2 and "no exercise" in p.stderr, "an unknown exercise: a clear error", p)
print("ok" if not FAILURES else f"{len(FAILURES)} check(s) failed")
sys.exit(1 if FAILURES else 0)
