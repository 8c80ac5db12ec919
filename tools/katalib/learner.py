"""The learner's loop, made cheap: build and test only what can have changed.

  * an exercise whose edit files are the pristine stubs is "not started"
    without building it (pristine.py);
  * `make` builds the touched exercises plus the next one (its stub's first
    failing check is what the progress screen shows), in one ninja call;
  * test results are kept per exercise and reused while its binary is
    unchanged (results.py).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import collect, manifest
from .errors import ToolError
from .pristine import Pristine


@dataclass
class BuildResult:
    targets: list[str]
    returncode: int = 0
    seconds: float = 0.0
    log: Path | None = None
    output: str = ""
    skipped: bool = False


@dataclass
class Plan:
    exercises: list[manifest.Exercise]     # in scope (a chapter, or all)
    untouched: set[str]                    # keys
    build: list[manifest.Exercise] = field(default_factory=list)   # touched + the next one


def cache_dir(build: Path) -> Path:
    return build / "kata" / "results"


def pristine(root: Path, build: Path, exercises: list[manifest.Exercise]) -> Pristine:
    return Pristine(root, build / "kata", exercises)


def plan(exercises: list[manifest.Exercise], untouched: set[str], extra: list[str] = ()) -> Plan:
    """Touched exercises, plus the first untouched one (the next to start),
    plus `extra` keys."""
    p = Plan(exercises, set(untouched))
    first_untouched = next((e for e in exercises if e.key in untouched), None)
    for e in exercises:
        if e.key not in untouched or e is first_untouched or e.key in extra:
            p.build.append(e)
    return p


def is_configured(build: Path) -> bool:
    return (build / "build.ninja").exists() or (build / "Makefile").exists()


def configure(root: Path, build: Path, log: Path | None = None, quiet: bool = True) -> None:
    """cmake --preset learner for the default tree, else the same by hand."""
    cmake = shutil.which("cmake")
    if not cmake:
        raise ToolError("cmake not found on PATH (run `make deps` or scripts/install-deps.sh)")
    if build.resolve() == (root / "build" / "learner").resolve():
        cmd = [cmake, "--preset", "learner"]
    else:
        cmd = [cmake, "-S", str(root), "-B", str(build), "-G", "Ninja",
               "-DKATA_SOURCE=chapters", "-DCMAKE_BUILD_TYPE=RelWithDebInfo"]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, errors="replace")
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        raise ToolError(f"cmake could not configure {build}:\n{(proc.stdout + proc.stderr).strip()[-3000:]}")


def build_command(build: Path, targets: list[str], jobs: int | None = None) -> list[str]:
    """ninja itself on a Ninja build (what `cmake --build` would run, minus a
    process), `cmake --build` otherwise. -k 0: keep going past a failure, so
    one broken exercise does not hide another's result."""
    ninja = shutil.which("ninja")
    if ninja and (build / "build.ninja").exists():
        return [ninja, "-C", str(build), *(["-j", str(jobs)] if jobs else []), "-k", "0", *targets]
    cmake = shutil.which("cmake")
    if not cmake:
        raise ToolError("cmake not found on PATH")
    return [cmake, "--build", str(build), "--target", *targets, *(["-j", str(jobs)] if jobs else []),
            "--", "-k", "0"]


def build_targets(build: Path, targets: list[str], log: Path | None, jobs: int | None = None,
                  echo=None, on_start=None) -> BuildResult:
    """Builds `targets`, output kept in `log`. `echo(line)` sees every line as
    it comes; `on_start(proc)` gets the process (to stop it)."""
    res = BuildResult(list(targets), log=log)
    if not targets:
        res.skipped = True
        return res
    cmd = build_command(build, targets, jobs)
    t0 = time.monotonic()
    env = dict(os.environ, NINJA_STATUS="[%f/%t] ")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            text=True, errors="replace", env=env, start_new_session=True)
    if on_start:
        on_start(proc)
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if echo:
            echo(line.rstrip("\n"))
    res.returncode = proc.wait()
    res.seconds = time.monotonic() - t0
    res.output = "".join(lines)
    if log is not None:
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(res.output)
        except OSError:
            pass
    return res


def scope(root: Path, chapter: int | None = None) -> list[manifest.Exercise]:
    chapters = manifest.load(root)
    if chapter is not None:
        chapters = [c for c in chapters if c.number == chapter]
        if not chapters:
            raise manifest.ManifestError(f"no chapter {chapter} in the manifest")
    return manifest.all_exercises(chapters)


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)
