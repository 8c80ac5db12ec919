#!/usr/bin/env python3
"""harness.probes: every exercise's hidden check (kata/probe.hpp) is fair.

    check_probes.py ROOT BUILD     (BUILD: the self-test build, KATA_SOURCE=solutions)

For every exercise with a probe:
  * the reference solution inside its test binary prints exactly what
    probe_ref_<key> prints (the grader's reference) for three seeds — a probe
    that depends on anything but its seed would fail honest students;
  * the same seed prints the same bytes twice; another seed prints other bytes
    (the programs are generated, not fixed) — except predict-the-output
    exercises, whose probe prints the learner's predictions;
  * the stub (stub_<key>) prints "not done yet" and exits 3, never hangs;
  * 20 cases take less than 10 s (the grader allows 30 s);
  * run as the grader runs the reference (hidden.reference: bubblewrap, an
    unprivileged uid, a private /tmp, the grader's environment), it prints
    what it prints outside — a probe that needs anything the sandbox lacks
    would turn every honest submission's hidden check red.
And the exercises that must have a probe have one (a removed probe fails).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT, BUILD = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
sys.path.insert(0, str(ROOT / "tools"))
from katalib import manifest  # noqa: E402
from katalib.grading import hidden  # noqa: E402

# Every exercise of chapters 1-3, and chapter 4's whose outcome a generated
# input decides (ex05, ex09-ex11 are process choreographies: docs/grading.md).
REQUIRED = {f"ch{c}.ex{n:02d}" for c, count in ((1, 3), (2, 6), (3, 9)) for n in range(1, count + 1)} | {
    f"ch4.ex{n:02d}" for n in (1, 2, 3, 4, 6, 7, 8)}
FIXED = {"ch1.ex03", "ch2.ex05", "ch3.ex09"}     # predict-the-output: the predictions, whatever the seed
FAILURES: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}", flush=True)


def run(binary: Path, key: str, seed: int, cases: int = 20) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.monotonic()
    try:
        p = subprocess.run(hidden.argv(str(binary), seed, key, cases), cwd=BUILD, capture_output=True,
                           text=True, errors="replace", timeout=60, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        p = subprocess.CompletedProcess([], -9, "", "timed out after 60 s")
    return p, time.monotonic() - t0


def sandboxed(exercises, have: set[str]) -> None:
    """Every reference probe through hidden.reference, in bubblewrap, against
    the same probe run directly."""
    import tempfile
    from katalib.grading import sandbox as sb
    from katalib.grading.base import SANDBOXED, Base
    exe, why = sb.probe()
    check(exe is not None, f"bubblewrap cannot run here ({why}): the sandboxed half is not checked")
    if exe is None:
        return
    with tempfile.TemporaryDirectory() as tmp:
        box = sb.Sandbox(True, exe, uid_base=sb.uid_base())
        (Path(tmp) / "bin").mkdir()
        base = Base(Path(tmp), ROOT, BUILD, Path(tmp) / "bin", "", "", [], SANDBOXED, 0.0, True,
                    probes=sorted(have))
        ref = hidden.reference(base, 424242, box, log=print)
        for key in sorted(have):
            ex = next(e for e in exercises if e.key == key)
            direct, _ = run(BUILD / f"probe_ref_{ex.target}", key, 424242)
            # (a probe may print its working folder: the grader's is /kata/build)
            h = hidden.compare(direct.stdout.replace(str(BUILD), SANDBOXED.build), ref.expected.get(key, ""), 0, False, ref.notes.get(key, ""))
            check(h.agree, f"{key}: in the grader's sandbox the reference probe prints something else: {h.detail}")


def main() -> int:
    exercises = manifest.all_exercises(manifest.load(ROOT))
    have = {e.key for e in exercises if (ROOT / e.probe).is_file()}
    check(REQUIRED <= have, f"exercises without a probe: {sorted(REQUIRED - have)}")
    rows = []
    for ex in exercises:
        if ex.key not in have:
            continue
        ref_bin, sol_bin, stub_bin = (BUILD / f"probe_ref_{ex.target}", BUILD / ex.target, BUILD / f"stub_{ex.target}")
        for b in (ref_bin, sol_bin, stub_bin):
            check(b.exists(), f"{ex.key}: {b.name} was not built")
        if not all(b.exists() for b in (ref_bin, sol_bin, stub_bin)):
            continue
        outputs = {}
        slowest = 0.0
        for seed in (1, 2, 12345678901):
            ref, t_ref = run(ref_bin, ex.key, seed)
            sol, t_sol = run(sol_bin, ex.key, seed)
            slowest = max(slowest, t_ref, t_sol)
            check(ref.returncode == 0, f"{ex.key}: probe_ref exits {ref.returncode}: {ref.stderr[-300:]}")
            check(len(hidden.split_cases(ref.stdout)) == 20, f"{ex.key}: probe_ref printed "
                  f"{len(hidden.split_cases(ref.stdout))} cases, not 20")
            h = hidden.compare(ref.stdout, sol.stdout, sol.returncode, False, sol.stderr)
            check(h.agree, f"{ex.key} seed {seed}: the reference in its test binary disagrees with probe_ref: {h.detail}")
            outputs[seed] = ref.stdout
        again, _ = run(ref_bin, ex.key, 1)
        check(again.stdout == outputs[1], f"{ex.key}: the same seed printed different output on a second run")
        if ex.key not in FIXED:
            check(outputs[1] != outputs[2], f"{ex.key}: seeds 1 and 2 print the same (nothing is generated)")
        check(slowest < 10, f"{ex.key}: 20 cases took {slowest:.1f} s (the grader allows {hidden.WALL:.0f})")
        stub, t_stub = run(stub_bin, ex.key, 1)
        check(stub.returncode == 3 and "not done yet" in stub.stdout,
              f"{ex.key}: the stub's probe exits {stub.returncode} (want 3, 'not done yet'): {stub.stderr[-300:]}")
        lines = sum(len(c) for c in hidden.split_cases(outputs[1]))
        rows.append((ex.key, lines, slowest))
    sandboxed(exercises, have)
    for key, lines, secs in rows:
        print(f"{key:10} {lines:6} lines for 20 cases  {secs:5.2f} s")
    print(json.dumps({"probes": len(rows), "failures": len(FAILURES)}))
    print("ok" if not FAILURES else f"{len(FAILURES)} check(s) failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
