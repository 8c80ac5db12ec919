"""From test results (and build failures) to one status per exercise.

  done              every test of the exercise passes (a test skipped because
                    node is missing counts neither way)
  not started       every test that ran fails, and every failure says "not done yet";
                    or its edit files are the pristine stubs (untouched: nothing
                    is built or run for it)
  does not compile  its binary failed to build, is missing or out of date,
                    or it has no test at all
  in progress       anything else
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import failure
from .buildlog import BuildFailure
from .ctest import TestResult
from .manifest import Exercise

DONE, IN_PROGRESS, NOT_STARTED, NO_COMPILE = "done", "in progress", "not started", "does not compile"


@dataclass
class ExerciseStatus:
    exercise: Exercise
    status: str
    tests: list[TestResult] = field(default_factory=list)
    passed: int = 0
    why: str = ""                                  # for does-not-compile
    build_failures: list[BuildFailure] = field(default_factory=list)
    untouched: bool = False                        # stubs as committed: not built, not run

    @property
    def total(self) -> int:
        return len(self.tests)

    @property
    def skipped(self) -> int:
        return sum(1 for t in self.tests if t.status == "skipped")

    def counts(self) -> str:
        extra = f" ({self.skipped} skipped)" if self.skipped else ""
        return f"{self.passed}/{self.total}{extra}"

    @property
    def finished(self) -> bool:
        return self.status == DONE

    def first_failure(self) -> TestResult | None:
        return next((t for t in self.tests if t.status == "fail"), None)


def _binary_missing(tests: list[TestResult]) -> bool:
    for t in tests:
        if t.status == "notrun":
            return True
        cmd = t.command or []
        if cmd and Path(cmd[0]).is_absolute() and not Path(cmd[0]).exists():
            return True
    return False


def classify(ex: Exercise, results: list[TestResult], build_failures: dict[str, list[BuildFailure]],
             stale: set[str] | None, dependency_failed: str | None = None) -> ExerciseStatus:
    not_built = [r for r in results if r.name.endswith("_NOT_BUILT")]
    tests = sorted((r for r in results if not r.name.endswith("_NOT_BUILT")), key=lambda r: r.index)
    st = ExerciseStatus(ex, NO_COMPILE, tests=tests)
    st.passed = sum(1 for t in tests if t.status == "pass")
    if ex.target in build_failures:
        st.why = "the build failed"
        st.build_failures = build_failures[ex.target]
    elif dependency_failed:
        st.why = f"{dependency_failed} (which it needs) failed to build"
        st.build_failures = build_failures.get(dependency_failed, [])
    elif not_built or not tests or _binary_missing(tests):
        st.why = "no test binary was built" if (not_built or tests) else "no tests registered (binary not built?)"
    elif stale is not None and ex.target in stale:
        st.why = "its binary is older than your code: the last build failed or did not run"
    else:
        failed = [t for t in tests if t.status == "fail"]
        ran = [t for t in tests if t.status != "skipped"]
        if not failed and ran:
            st.status = DONE
        elif failed and len(failed) == len(ran) and all(failure.says_not_done(t.output) for t in failed):
            st.status = NOT_STARTED
        else:
            st.status = IN_PROGRESS
    if st.status == NO_COMPILE:
        st.passed = 0
    return st


def untouched(ex: Exercise) -> ExerciseStatus:
    """Every edit file is the pristine stub: every test would stop at a KATA_TODO."""
    return ExerciseStatus(ex, NOT_STARTED, why="untouched stub", untouched=True)


def next_unfinished(statuses: list[ExerciseStatus]) -> ExerciseStatus | None:
    return next((s for s in statuses if not s.finished), None)
