"""Harness self-test: a stub (chapters/ code) must fail every test, each with
"not done yet", without crashing or hanging. Each test runs in its own
process (as under ctest), in its own process group so a hung test and its
children can be killed together."""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .failure import NOT_DONE, first_message


@dataclass
class Verdict:
    test: str
    ok: bool
    problem: str = ""
    output: str = ""
    seconds: float = 0.0


def list_gtests(binary: Path, timeout: float = 30) -> list[str]:
    proc = subprocess.run([str(binary), "--gtest_list_tests"], capture_output=True, text=True,
                          errors="replace", timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{binary} --gtest_list_tests exited with {proc.returncode}:\n{proc.stderr[-2000:]}")
    tests, suite = [], None
    for line in proc.stdout.splitlines():
        code = line.split("#", 1)[0].rstrip()
        if not code.strip():
            continue
        if not line.startswith(" "):
            suite = code.strip()          # "Suite." (with its dot)
        elif suite:
            tests.append(suite + code.strip())
    # ctest does not run DISABLED_ tests either (gtest_discover_tests marks them disabled).
    return [t for t in tests if not t.startswith("DISABLED_") and ".DISABLED_" not in t]


def run_one(binary: Path, test: str, timeout: float) -> Verdict:
    start = time.monotonic()
    proc = subprocess.Popen([str(binary), f"--gtest_filter={test}"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True,
                            cwd=str(binary.resolve().parent))  # where ctest runs the real binary
    try:
        raw, _ = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate()
        timed_out = True
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)   # children the test left behind
        except OSError:
            pass
    out = raw.decode("utf-8", "replace")
    v = Verdict(test, False, output=out, seconds=time.monotonic() - start)
    rc = proc.returncode
    if timed_out:
        v.problem = f"hung: still running after {timeout:g} s (killed); the watchdog did not stop it"
    elif "hang:" in out:
        v.problem = "hung: stopped by the watchdog (a stub must fail fast with KATA_TODO)"
    elif rc is not None and rc < 0:
        name = signal.Signals(-rc).name if -rc in signal.Signals._value2member_map_ else str(-rc)
        v.problem = f"crashed with {name}" + (" (after a KATA_TODO: it escaped where no exception may, e.g. a destructor or noexcept)" if NOT_DONE in out else "")
    elif rc == 0 and "[  SKIPPED ]" in out:
        v.problem = "skipped instead of failing (a stub must fail with \"not done yet\")"
    elif rc == 0 and "[  PASSED  ] 1 test" in out:
        v.problem = "passed: the stub must not pass any test (call a stubbed function first)"
    elif rc == 0:
        v.problem = "ran no test (exit 0 without a pass): is the filter right?"
    elif NOT_DONE not in out:
        v.problem = "failed, but not with \"not done yet\" (a wrong answer, not a TODO)"
    else:
        v.ok = True
    return v


def check(binary: Path, exercise: str, timeout: float = 15.0) -> tuple[bool, str]:
    if not binary.exists():
        return False, f"check-stub {exercise}: {binary} does not exist (build the stub_ target first)\n"
    try:
        tests = list_gtests(binary)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as err:
        return False, f"check-stub {exercise}: cannot list the tests: {err}\n"
    if not tests:
        return False, f"check-stub {exercise}: {binary.name} has no tests\n"
    verdicts = [run_one(binary, t, timeout) for t in tests]
    bad = [v for v in verdicts if not v.ok]
    lines = [f"check-stub {exercise}: {len(tests) - len(bad)}/{len(tests)} tests fail with \"not done yet\""
             f" as a stub must ({binary})"]
    for v in verdicts:
        lines.append(f"  {'ok ' if v.ok else 'BAD'} {v.test} ({v.seconds:.1f} s)" + ("" if v.ok else f": {v.problem}"))
    for v in bad:
        if v.problem.startswith("passed"):
            continue                      # its output says nothing more than "OK"
        lines.append(f"\n--- {v.test}: {v.problem}")
        lines += [f"    {l}" for l in first_message(v.output, 25)]
    lines.append("PASS" if not bad else f"FAIL: {len(bad)} test(s) of the stub {exercise} misbehave")
    return not bad, "\n".join(lines) + "\n"
