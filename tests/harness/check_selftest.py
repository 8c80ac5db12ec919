#!/usr/bin/env python3
"""Runs one deliberately bad test of kata_harness_selftest in its own process
(as ctest does) and checks that the harness failed it the right way.

    check_selftest.py <kata_harness_selftest> <case>

Cases: watchdog, crash_isolation, swallowed_todo, order_diff_output,
order_diff_unit, noleaks_fd, noleaks_child, noleaks_todo, noleaks_clean.
Exit 0 when the harness behaved, 1 with a report when it did not.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time


def run(binary: str, gtest_filter: str, timeout: float = 30.0) -> tuple[int | None, str, float]:
    env = dict(os.environ)
    env.pop("KATA_WATCHDOG_SECONDS", None)   # the default budget is what we test
    env.pop("GTEST_FILTER", None)
    start = time.monotonic()
    proc = subprocess.Popen([binary, "--gtest_also_run_disabled_tests", f"--gtest_filter={gtest_filter}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        rc = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        rc = None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass
    return rc, out.decode("utf-8", "replace"), time.monotonic() - start


class Check:
    def __init__(self, case: str):
        self.case, self.problems = case, []

    def expect(self, ok: bool, what: str) -> None:
        if not ok:
            self.problems.append(what)

    def contains(self, out: str, *needles: str) -> None:
        for n in needles:
            self.expect(n in out, f"output lacks {n!r}")


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, case = sys.argv[1], sys.argv[2]
    c = Check(case)
    outputs = []

    def failing(gtest_filter: str) -> str:
        """Runs one test that must fail (exit 1); its output."""
        rc, out, _ = run(binary, gtest_filter)
        outputs.append(out)
        c.expect(rc == 1, f"exit status {rc}, want 1 (a failed test)")
        return out

    if case == "watchdog":
        rc, out, secs = run(binary, "Watchdog.DISABLED_EndlessLoop", timeout=30)
        outputs.append(out)
        c.expect(rc is not None, "the endless loop was never stopped (killed by this checker after 30 s)")
        # A harness property, not a speed claim: the 5 s watchdog must end it within seconds.
        c.expect(secs < 10, f"stopped only after {secs:.1f} s (want < 10 s)")
        c.expect(rc not in (0, None), f"exit status {rc}: a hang must fail the test")
        c.contains(out, "hang: Watchdog.DISABLED_EndlessLoop", "still pending: timers: 2, immediates: 1",
                   "trace so far:", "tick 1", "tick 2")
        print(f"watchdog stopped the endless loop after {secs:.1f} s (exit {rc})")
    elif case == "crash_isolation":
        rc, out, _ = run(binary, "Crash.DISABLED_Segfault")
        outputs.append(out)
        c.expect(rc == -signal.SIGSEGV, f"the segfaulting test ended with {rc}, want signal SIGSEGV")
        c.contains(out, "crash: Crash.DISABLED_Segfault died with signal 11", "Only this test fails")
        rc2, out2, _ = run(binary, "Crash.DISABLED_NextTestStillRuns")
        outputs.append(out2)
        c.expect(rc2 == 0, f"the test after the crash ended with {rc2}, want 0 (pass)")
        c.contains(out2, "[  PASSED  ] 1 test")
    elif case == "swallowed_todo":
        out = failing("Todo.DISABLED_SwallowedByCatchAll")
        c.contains(out, "not done yet: tests/harness/bad_fixtures_test.cpp:",
                   "selftest: a stub the learner's code calls (hint 1)",
                   "[  FAILED  ] Todo.DISABLED_SwallowedByCatchAll")
    elif case == "order_diff_output":
        out = failing("Order.DISABLED_WrongOrder")
        c.contains(out, "order differs at event 2", "  expected:\n", "  got:\n", "diff (- expected, + got):",
                   "     1  main\n     2  promise\n     3  setTimeout",
                   "     1  main\n     2  setTimeout\n     3  promise")
        c.expect(any(l.startswith("  - ") for l in out.splitlines()), "no '- expected' line")
        c.expect(any(l.startswith("  + ") for l in out.splitlines()), "no '+ got' line")
    elif case == "order_diff_unit":
        rc, out, _ = run(binary, "OrderDiff.*")
        outputs.append(out)
        c.expect(rc == 0, f"exit status {rc}: the order_diff unit tests failed")
        c.contains(out, "[  PASSED  ]")
        c.expect("[  FAILED  ]" not in out, "a unit test failed")
    elif case == "noleaks_fd":
        out = failing("NoLeaksSelfTest.DISABLED_LeakedFd")
        c.contains(out, "left 1 file descriptor(s) open", "/dev/null")
    elif case == "noleaks_child":
        out = failing("NoLeaksSelfTest.DISABLED_LeakedChild")
        c.contains(out, "left 2 child process(es) behind", "killed and reaped now")
    elif case == "noleaks_todo":
        out = failing("NoLeaksSelfTest.DISABLED_TodoAfterLeaking")
        c.contains(out, "not done yet")
        c.expect("left " not in out, "a test that reached KATA_TODO was failed for leaking too")
        m = re.search(r"child pid (\d+)", out)
        c.expect(m is not None, "the test did not print its child's pid")
        if m:
            pid = int(m.group(1))
            try:
                os.kill(pid, 0)
                c.expect(False, f"its child {pid} is still running: NoLeaks must kill it")
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    elif case == "noleaks_clean":
        rc, out, _ = run(binary, "NoLeaksSelfTest.DISABLED_CleanTestPasses")
        outputs.append(out)
        c.expect(rc == 0, f"exit status {rc}: a test that closes its fd and reaps its child must pass")
    else:
        print(f"unknown case {case!r}\n{__doc__}", file=sys.stderr)
        return 2

    if c.problems:
        print(f"FAIL harness.selftest.{case}:")
        for p in c.problems:
            print(f"  - {p}")
        for out in outputs:
            print("---- test output ----")
            print(out[-4000:])
        return 1
    print(f"PASS harness.selftest.{case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
