"""Grades one submission on a copy of the base build: lay its edit files
over the pristine source, build in the sandbox (ninja -k 0: an exercise that
does not compile stops only itself; no test discovery, so no submission code
runs while the build tree is writable), then run every test the pristine
kata lists, each in a sandbox of its own (own pid namespace and uid: a fork
bomb or a hang takes nothing else down) with the build tree read-only, and
read each verdict from outside; then the hidden checks (hidden.py)."""
from __future__ import annotations

import secrets
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import ctest
from ..manifest import Exercise
from . import hidden
from .base import Base, copy_tree, parse_test_list, run_built, test_env
from .sandbox import Limits, Sandbox
from .submission import Overlay

JUNIT_OUTPUT_PASSED = 32 << 10     # what the grader keeps of a passed / failed test's output
JUNIT_OUTPUT_FAILED = 64 << 10
LIST_WALL = 20.0                   # listing the tests (gtest's own discovery allowed 20 s)
TEST_WALL = 40.0                   # one test (the tests' own watchdog: 5-15 s; kata-outcap: 29 s)


@dataclass
class RunResult:
    build_log: str
    build_seconds: float
    build_timed_out: bool
    results: dict[str, dict[str, ctest.TestResult] | None]   # key → test results (None: no run)
    notes: dict[str, str] = field(default_factory=dict)       # key → why the tests did not finish
    test_seconds: float = 0.0
    hidden: dict[str, "hidden.HiddenResult"] = field(default_factory=dict)   # key → its hidden checks
    unknown: dict[str, list[str]] = field(default_factory=dict)   # key → tests its binary lists, the kata not


def prepare(base: Base, sub_dir: Path, ov: Overlay, sandbox: Sandbox) -> tuple[Path, Path]:
    """Copies of the base's source and build; the changed edit files written
    over the source (fresh mtime: ninja recompiles exactly those)."""
    if sandbox.enabled:
        src, build = sub_dir / "src", sub_dir / "build"
    else:
        src, build = Path(base.layout.src), Path(base.layout.build)
    copy_tree(base.src, src)
    copy_tree(base.build, build)
    for ref_probe in build.glob("probe_ref_*"):    # the reference, runnable: never in a submission's tree
        ref_probe.unlink()
    for rel, data in ov.changed.items():
        target = src / rel
        target.unlink()
        target.write_bytes(data)
    return src, build


def run(base: Base, sub_dir: Path, ov: Overlay, exercises: list[Exercise], sandbox: Sandbox,
        build_limits: Limits, test_limits: Limits, jobs: int = 2, slots: int = 2) -> RunResult:
    src, build = prepare(base, sub_dir, ov, sandbox)
    tmp = sub_dir / "tmp-build"
    tmp.mkdir(parents=True, exist_ok=True)
    sandbox.owner(build, 0)
    sandbox.owner(tmp, 0)
    lay = base.layout
    binds = [(src, lay.src, False), (build, lay.build, True), (base.bin, lay.bin, False), (tmp, "/tmp", True)]
    res = sandbox.run(["ninja", "-C", lay.build, f"-j{jobs}", "-k", "0", *base.targets], binds, build_limits,
                      slot=0, env=test_env(), cwd=None if sandbox.enabled else lay.build)
    shutil.rmtree(tmp, ignore_errors=True)
    log = res.output
    if res.timed_out:
        log += f"\n[kata grader: the build did not finish within {build_limits.wall:.0f} s and was stopped]\n"
    out = RunResult(log, res.seconds, res.timed_out, {})
    from ..buildlog import parse_log
    failed = set(parse_log(log))
    todo = [e for e in exercises if e.target not in failed and not res.timed_out]
    for e in exercises:
        out.results[e.key] = None
    start = time.monotonic()
    _run_tests(todo, sub_dir, src, build, base, sandbox, test_limits, jobs, slots, out)
    out.test_seconds = time.monotonic() - start
    return out


def _run_tests(todo: list[Exercise], sub_dir: Path, src: Path, build: Path, base: Base, sandbox: Sandbox,
               limits: Limits, jobs: int, slots: int, out: RunResult) -> None:
    """Every expected test of every exercise (the pristine base's list, never
    the submission's), a sandbox each, `slots * jobs` at a time; an exercise
    whose tests together take longer than limits.wall gets its remaining
    tests failed with that note. Then the hidden checks of each exercise
    whose tests all passed."""
    lock = threading.Lock()               # guards `spent` and out.notes
    n = max(1, min(7, slots * jobs) if sandbox.enabled else 1)   # uids 1..7 of the grader's block
    listed = _pool(n, todo, lambda ex, slot: _list_one(ex, sub_dir / "tests" / ex.target, src, build, base,
                                                         sandbox, slot))
    runnable = []
    for ex, (names, note) in zip(todo, listed):
        if note:                       # the binary never reached main(): its tests cannot run either
            out.notes[ex.key] = note
            continue
        out.results[ex.key] = {}
        runnable.append(ex)
        unknown = sorted(set(names) - set(base.tests.get(ex.key, [])))
        if unknown:
            out.unknown[ex.key] = unknown
        if not base.tests.get(ex.key):
            out.notes[ex.key] = "the pristine kata lists no test for it"
    work = [(ex, i, name) for ex in runnable for i, name in enumerate(base.tests.get(ex.key, []))]
    spent: dict[str, float] = {ex.key: 0.0 for ex in runnable}   # test-seconds, `jobs` at a time
    per_test = Limits(wall=min(TEST_WALL, limits.wall), memory=limits.memory, nproc=limits.nproc,
                      fsize=limits.fsize, cpu=limits.cpu)

    def one(item, slot: int) -> ctest.TestResult:
        ex, index, name = item
        with lock:
            over = spent[ex.key] >= limits.wall * max(1, jobs)
            if over:
                out.notes[ex.key] = (f"its tests did not finish within {limits.wall:.0f} s; the grader "
                                     "stopped them (a hang, or processes that never exit)")
        if over:
            r = ctest.TestResult(name=test_name(ex, name), status="fail", detail="Timeout",
                                 output=f"[kata grader: not run: the exercise's tests took longer than "
                                        f"{limits.wall:.0f} s together]")
        else:
            t0 = time.monotonic()
            r = _test_one(ex, name, sub_dir / "tests" / ex.target, src, build, base, sandbox, per_test, slot)
            with lock:
                spent[ex.key] += time.monotonic() - t0
        r.index = index
        return r

    for (ex, _, _), r in zip(work, _pool(n, work, one)):
        out.results[ex.key][r.name] = r
    if base.hidden is None:
        return
    checks = [ex for ex in runnable if ex.key in base.hidden.expected
              and all(r.status == "pass" for r in out.results[ex.key].values()) and out.results[ex.key]]
    found = _pool(n, checks, lambda ex, slot: hidden.check(ex, base, build, src, sub_dir / "tests" / ex.target,
                                                           sandbox, slot))
    out.hidden.update({ex.key: h for ex, h in zip(checks, found)})


def _pool(n: int, items: list, fn) -> list:
    """[fn(item, slot) for item in items], n at a time: each worker thread
    has its own slot (1..n), i.e. its own sandbox uid."""
    lock = threading.Lock()
    queue, done = list(enumerate(items)), [None] * len(items)

    def worker(slot: int) -> None:
        while True:
            with lock:
                if not queue:
                    return
                i, item = queue.pop(0)
            done[i] = fn(item, slot)

    threads = [threading.Thread(target=worker, args=(1 + i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done


def _list_one(ex: Exercise, ex_dir: Path, src: Path, build: Path, base: Base, sandbox: Sandbox,
              slot: int) -> tuple[list[str], str]:
    """Asks the submission's binary for its tests, for two things only: a
    binary that hangs or crashes before main() fails its exercise at once
    (instead of every test timing out), and tests it registers that the
    pristine kata does not are listed for the instructor. What runs and what
    counts is the pristine list."""
    from .evaluate import DISCOVERY_HANG
    res = run_built(base, src, build, ex_dir / f"list-tmp-{slot}", sandbox, slot,
                    [f"{base.layout.build}/{ex.target}", "--gtest_list_tests"], Limits(wall=LIST_WALL),
                    keep=1 << 20, split_stderr=True)
    if res.timed_out or res.returncode < 0 or res.returncode > 128:
        return [], DISCOVERY_HANG
    names = parse_test_list(res.output)
    # A canary: a test that does not exist. GoogleTest runs nothing for it; a
    # binary that answers "OK" to whatever it is asked (a static initialiser
    # printing gtest's words) is caught here, whatever its other answers.
    canary = f"KataGrader.NoSuchTest_{secrets.token_hex(4)}"
    res = run_built(base, src, build, ex_dir / f"list-tmp-{slot}", sandbox, slot,
                    [f"{base.layout.build}/{ex.target}", f"--gtest_filter={canary}"], Limits(wall=LIST_WALL),
                    keep=1 << 20, split_stderr=True)
    if f"[       OK ] {canary}" in res.output or f"[       OK ] {canary}" in res.stderr:
        return [], (f"its test binary reports a pass for a test that does not exist ({canary}): none of its "
                    "answers can be trusted (the grade.md flags say what in its files does that)")
    return names, ""


def test_name(ex: Exercise, gtest_name: str) -> str:
    """What reports call a test: chapter3.ex02.Timers.Order (ctest's name)."""
    return ex.test_prefix + gtest_name


def _verdict(gtest_name: str, res) -> tuple[str, str]:
    """(status, detail) of one test from what the grader itself saw: its exit
    status and gtest's own line for that test. Code in the test's process
    can still print both (docs/grading.md, "What a test process can fake"):
    the hidden checks are what it cannot fake."""
    if res.timed_out:
        return "fail", "Timeout"
    if res.returncode < 0 or res.returncode > 128:
        sig = -res.returncode if res.returncode < 0 else res.returncode - 128
        return "fail", f"Exception: signal {sig}"
    ok = f"[       OK ] {gtest_name} (" in res.output
    failed = f"[  FAILED  ] {gtest_name}" in res.output
    if res.returncode == 0 and ok and not failed:
        return "pass", ""
    if res.returncode == 0:
        return "fail", "did not run (exit 0 without gtest's OK for this test)"
    return "fail", "Failed"


def _test_one(ex: Exercise, gtest_name: str, ex_dir: Path, src: Path, build: Path, base: Base,
              sandbox: Sandbox, limits: Limits, slot: int) -> ctest.TestResult:
    """One test in a sandbox of its own: build and source read-only, its
    own /tmp, nothing else writable; output and exit status read by the
    grader through a pipe (nothing the test can write is read back)."""
    lay = base.layout
    argv = [f"{lay.bin}/kata-outcap", f"{lay.build}/{ex.target}", f"--gtest_filter={gtest_name}",
            "--gtest_also_run_disabled_tests"]
    res = run_built(base, src, build, ex_dir / f"tmp-{slot}", sandbox, slot, argv, limits, keep=JUNIT_OUTPUT_FAILED)
    status, detail = _verdict(gtest_name, res)
    out = res.output if status == "fail" else res.output[-JUNIT_OUTPUT_PASSED:]
    if status == "fail" and res.timed_out:
        out += f"\n[kata grader: stopped after {limits.wall:.0f} s]\n"
    return ctest.TestResult(name=test_name(ex, gtest_name), status=status, output=out, detail=detail)
