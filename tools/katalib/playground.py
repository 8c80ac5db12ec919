"""The JavaScript playground's plumbing (kata.py js): node, the C++ driver,
one run of each side, the first difference. Python 3 stdlib only.

A program runs twice: natively (`node FILE`) and on a chapter-3 loop
(`playground_driver -- node host.js FILE`, playground/README.md), and the
two outputs are compared line by line.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

NEED_NODE_MAJOR = 20
BUILD_DIR = "build/playground"
TARGETS = {"reference": "playground_driver", "yours": "playground_driver_yours"}


class PlaygroundError(Exception):
    """A tool problem (no node, the driver does not build): exit status 2."""


class Run:
    """What one side printed. (A plain class: `kata.py js` starts faster
    without the dataclasses module.)"""

    def __init__(self) -> None:
        self.stdout: list[str] = []
        self.stderr = ""
        self.exit: int | None = None
        self.stopped: str | None = None        # "timeout" | "max-callbacks"
        self.not_done: str | None = None       # "not done yet: file:line — hint"
        self.unsupported: str | None = None    # "... is not supported in the playground (...)"
        self.race: dict | None = None          # the loop's other order (startup 1 ms)
        self.trace: list | None = None
        self.seconds = 0.0
        self.callbacks = 0


_VERSION: dict[str, str] = {}


def find_node() -> str:
    node = shutil.which("node")
    if not node:
        raise PlaygroundError("node is not installed (the playground needs Node.js 20 or newer)")
    out = node_version(node)
    m = re.match(r"v(\d+)", out)
    if not m or int(m.group(1)) < NEED_NODE_MAJOR:
        raise PlaygroundError(f"node {out or '?'} is older than {NEED_NODE_MAJOR}: the playground needs Node.js 20 or newer")
    return node


def node_version(node: str) -> str:
    if node not in _VERSION:
        _VERSION[node] = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    return _VERSION[node]


# ---- the driver ---------------------------------------------------------------
def _sources(root: Path, loop: str) -> list[Path]:
    globs = ["playground/driver/*", "playground/CMakeLists.txt", "harness/src/*", "harness/include/kata/*",
             "chapters/ch3-node-event-loop/*/*.?pp", "chapters/ch1-event-loop-intro/ex01-event-emitter/*.?pp",
             "solutions/ch1-event-loop-intro/ex01-event-emitter/*.?pp", "manifest/chapter3.json"]
    if loop == "reference":
        globs.append("solutions/ch3-node-event-loop/*/*.?pp")
    out: list[Path] = []
    for g in globs:
        out.extend(root.glob(g))
    return out


def driver_path(root: Path, loop: str, build: Path | None = None) -> Path:
    return (build or root / BUILD_DIR) / "playground" / TARGETS[loop]


def ensure_driver(root: Path, loop: str, build: Path | None = None, quiet: bool = False) -> Path:
    """The driver binary for `loop`, (re)built when a source is newer."""
    build = build or root / BUILD_DIR
    exe = driver_path(root, loop, build)
    if exe.exists():
        newest = max((p.stat().st_mtime for p in _sources(root, loop) if p.is_file()), default=0)
        if exe.stat().st_mtime >= newest:
            return exe
    what = "the reference loop (solutions/)" if loop == "reference" else "your chapter-3 loop (chapters/)"
    say = (lambda msg: None) if quiet else (lambda msg: print(msg, file=sys.stderr, flush=True))
    log = build.parent / "playground.build.log"
    build.mkdir(parents=True, exist_ok=True)
    if not (build / "build.ninja").exists() and not (build / "Makefile").exists():
        say(f"playground: configuring {build.relative_to(root) if build.is_relative_to(root) else build} (once) ...")
        gen = ["-G", "Ninja"] if shutil.which("ninja") else []
        r = subprocess.run(["cmake", "-S", str(root), "-B", str(build), *gen, "-DKATA_SOURCE=chapters",
                            "-DCMAKE_BUILD_TYPE=RelWithDebInfo"], capture_output=True, text=True)
        if r.returncode != 0:
            log.write_text(r.stdout + r.stderr)
            raise PlaygroundError(f"cmake failed to configure {build} (log: {log}):\n{(r.stdout + r.stderr)[-2000:]}")
    say(f"playground: building the driver for {what} (target {TARGETS[loop]}; later runs start at once) ...")
    r = subprocess.run(["cmake", "--build", str(build), "--target", TARGETS[loop], "-j", os.environ.get("JOBS", "2")],
                       capture_output=True, text=True)
    log.write_text(r.stdout + r.stderr)
    if r.returncode != 0:
        errors = [l for l in (r.stdout + r.stderr).splitlines() if "error" in l or l.startswith("FAILED")]
        raise PlaygroundError(f"the driver does not build (log: {log}):\n" + "\n".join(errors[:20]))
    os.utime(exe)   # ninja may consider it up to date while a source is newer (e.g. a README)
    return exe


# ---- running ------------------------------------------------------------------------
def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_native(node: str, file: Path, timeout: float) -> Run:
    """`node FILE` from FILE's folder."""
    start = time.monotonic()
    proc = subprocess.Popen([node, str(file)], cwd=file.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    run = Run()
    try:
        out, err = proc.communicate(timeout=timeout)
        run.exit = proc.returncode
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, err = proc.communicate()
        run.stopped = "timeout"
    run.seconds = time.monotonic() - start
    run.stdout = _lines(out.decode("utf-8", "replace"))
    run.stderr = err.decode("utf-8", "replace")
    return run


def _lines(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def host_command(root: Path, node: str, driver: Path, file: Path, *, legacy: bool = False, trace: bool = False,
                 max_callbacks: int = 100000, timeout: float = 10.0, race_check: bool = True) -> list[str]:
    cmd = [str(driver), "--", node, "--expose-internals", str(root / "playground" / "js" / "host.js"), str(file),
           "--max-callbacks", str(max_callbacks), "--timeout", str(timeout)]
    if legacy:
        cmd.append("--legacy-node10")
    if trace:
        cmd.append("--trace")
    if race_check:
        cmd.append("--race-check")
    return cmd


def run_loop(root: Path, node: str, driver: Path, file: Path, *, timeout: float = 10.0, **kw) -> Run:
    """FILE on the C++ loop through the bridge."""
    start = time.monotonic()
    cmd = host_command(root, node, driver, file, timeout=timeout, **kw)
    proc = subprocess.Popen(cmd, cwd=file.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    run = Run()
    killed = False
    try:
        out, err = proc.communicate(timeout=timeout + 2.0)
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, err = proc.communicate()
        killed = True
    run.seconds = time.monotonic() - start
    result, text = None, {"out": [], "err": []}
    for line in out.decode("utf-8", "replace").splitlines():
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if "result" in msg:
            result = msg["result"]
        elif "w" in msg:
            text[msg["w"]].append(msg["t"])
    # The driver's own stderr: the reference's "Uncaught ..." echo is what the
    # host already reported in node's words; anything else (your prints) stays.
    loop_err = "".join(l + "\n" for l in err.decode("utf-8", "replace").splitlines() if not l.startswith("Uncaught "))
    if result is None:
        run.stdout = _lines("".join(text["out"]))
        run.stderr = "".join(text["err"]) + loop_err
        run.stopped = "timeout" if killed else None
        if not killed:
            run.stderr += f"playground: the bridge ended without a result (exit status {proc.returncode})\n"
        return run
    run.stdout = result.get("stdout", [])
    run.stderr = result.get("stderr", "") + loop_err
    run.exit = result.get("exit")
    run.stopped = result.get("stopped")
    run.not_done = result.get("notDone")
    run.unsupported = result.get("unsupported")
    run.race = result.get("race")
    run.trace = result.get("trace")
    run.callbacks = result.get("callbacks", 0)
    return run


def first_difference(a: list[str], b: list[str]) -> int | None:
    """Index of the first line that differs, or None when equal."""
    for i in range(max(len(a), len(b))):
        if i >= len(a) or i >= len(b) or a[i] != b[i]:
            return i
    return None


if __name__ == "__main__":   # `make fuzz-order`: the reference driver's path, built if needed
    try:
        find_node()
        print(ensure_driver(Path(__file__).resolve().parents[2], sys.argv[1] if len(sys.argv) > 1 else "reference"))
    except PlaygroundError as e:
        print(f"playground: error: {e}", file=sys.stderr)
        sys.exit(2)
