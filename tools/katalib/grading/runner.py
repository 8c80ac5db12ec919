"""Grades one submission on a copy of the base build: lay its edit files
over the pristine source, build in the sandbox (ninja -k 0: an exercise that
does not compile stops only itself), then run each exercise's tests in a
sandbox of its own (own pid namespace and uid: a fork bomb or a hang in one
exercise takes nothing else down) with the build tree read-only."""
from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import ctest
from ..manifest import Exercise
from .base import Base, copy_tree, test_env
from .sandbox import Limits, Sandbox
from .submission import Overlay

JUNIT_OUTPUT_PASSED = 32 << 10     # what ctest keeps of a test's output
JUNIT_OUTPUT_FAILED = 64 << 10


@dataclass
class RunResult:
    build_log: str
    build_seconds: float
    build_timed_out: bool
    results: dict[str, dict[str, ctest.TestResult] | None]   # key → test results (None: no run)
    notes: dict[str, str] = field(default_factory=dict)       # key → why the tests did not finish
    test_seconds: float = 0.0


def _regex(ex: Exercise) -> str:
    return rf"^({ex.test_prefix.replace('.', chr(92) + '.')}|{ex.target}_NOT_BUILT$)"


def prepare(base: Base, sub_dir: Path, ov: Overlay, sandbox: Sandbox) -> tuple[Path, Path]:
    """Copies of the base's source and build; the changed edit files written
    over the source (fresh mtime: ninja recompiles exactly those)."""
    if sandbox.enabled:
        src, build = sub_dir / "src", sub_dir / "build"
    else:
        src, build = Path(base.layout.src), Path(base.layout.build)
    copy_tree(base.src, src)
    copy_tree(base.build, build)
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
    lock = threading.Lock()
    queue = list(todo)

    def worker(slot: int) -> None:
        while True:
            with lock:
                if not queue:
                    return
                ex = queue.pop(0)
            results, note = _test_one(ex, sub_dir / "tests" / ex.target, src, build, base, sandbox,
                                      test_limits, jobs, slot)
            with lock:
                out.results[ex.key] = results
                if note:
                    out.notes[ex.key] = note

    n = max(1, slots if sandbox.enabled else 1)     # without a sandbox: one ctest at a time
    threads = [threading.Thread(target=worker, args=(1 + i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.test_seconds = time.monotonic() - start
    return out


def _test_one(ex: Exercise, ex_dir: Path, src: Path, build: Path, base: Base, sandbox: Sandbox,
              limits: Limits, jobs: int, slot: int) -> tuple[dict[str, ctest.TestResult] | None, str]:
    lay = base.layout
    testing, tmp, outd = ex_dir / "Testing", ex_dir / "tmp", ex_dir / "out"
    for d in (testing, tmp, outd):
        d.mkdir(parents=True, exist_ok=True)
    sandbox.owner(ex_dir, slot)
    if sandbox.enabled:
        junit = f"{lay.out}/junit.xml"
        binds = [(src, lay.src, False), (build, lay.build, False), (base.bin, lay.bin, False),
                 (testing, f"{lay.build}/Testing", True), (tmp, "/tmp", True), (outd, lay.out, True)]
    else:
        junit = str(outd / "junit.xml")
        binds = []
    argv = ["ctest", "--test-dir", lay.build, "-R", _regex(ex), "-j", str(jobs), "--no-tests=ignore",
            "--output-junit", junit, "--test-output-size-passed", str(JUNIT_OUTPUT_PASSED),
            "--test-output-size-failed", str(JUNIT_OUTPUT_FAILED)]
    res = sandbox.run(argv, binds, limits, slot=slot, env=test_env(), keep=1 << 20,
                      cwd=None if sandbox.enabled else lay.build)
    (ex_dir / "ctest.log").write_text(res.output, encoding="utf-8")
    shutil.rmtree(tmp, ignore_errors=True)
    if res.timed_out:
        return None, (f"its tests did not finish within {limits.wall:.0f} s; the grader stopped them "
                      "(a hang, or processes that never exit)")
    path = outd / "junit.xml"
    if not path.exists():
        return None, f"ctest wrote no results (exit {res.returncode}): {res.output.strip()[-300:]}"
    try:
        results = ctest.parse_junit(path)
    except ctest.ToolError as err:
        return None, str(err)
    details = {}
    for line in res.output.splitlines():
        m = ctest._CONSOLE.search(line)
        if m:
            details[m.group(1)] = m.group(2).strip("* ")
    for name, r in results.items():
        r.detail = details.get(name, "")
    return results, ""
