"""Which exercise targets failed to build, and the compiler's first words on why.

Two sources: the log of `cmake --build <dir> -- -k 0` (ninja's "FAILED: <output>"
lines name the object or binary that failed), and, without a log, a dry run
of ninja (`ninja -n`) that shows which exercise binaries are out of date.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PROGRESS = re.compile(r"^\[\d+/\d+\] ")
_TARGET_DIR = re.compile(r"CMakeFiles/([A-Za-z0-9_.+-]+)\.dir/")


@dataclass
class BuildFailure:
    target: str
    output: str                        # what ninja said failed ("CMakeFiles/x.dir/a.cpp.o")
    lines: list[str] = field(default_factory=list)   # compiler/linker messages


def target_of(output: str) -> str:
    """ninja output path → CMake target (object files live in CMakeFiles/<target>.dir/)."""
    m = _TARGET_DIR.search(output)
    if m:
        return m.group(1)
    return Path(output.split()[0]).name if output.split() else output


def parse_log(text: str) -> dict[str, list[BuildFailure]]:
    """target → its failures, in log order."""
    failures: dict[str, list[BuildFailure]] = {}
    current: BuildFailure | None = None
    skip_command = False
    for raw in text.splitlines():
        line = _ANSI.sub("", raw).rstrip()
        if line.startswith("FAILED: "):
            out = line[len("FAILED: "):].strip()
            current = BuildFailure(target=target_of(out), output=out)
            failures.setdefault(current.target, []).append(current)
            skip_command = True        # ninja prints the failed command next
            continue
        if current is None:
            continue
        if _PROGRESS.match(line) or line.startswith("ninja: ") or line.startswith("gmake"):
            current = None
            continue
        if skip_command:
            skip_command = False
            if not re.search(r"(error|warning|note):", line):
                continue
        current.lines.append(line)
    return failures


def first_errors(failures: list[BuildFailure], limit: int = 20) -> list[str]:
    """The first compiler messages, starting a little before the first 'error:'."""
    lines = [l for f in failures for l in f.lines]
    first = next((i for i, l in enumerate(lines) if "error" in l), 0)
    start = max(0, first - 3)
    # Keep "In file included from" context that leads to the error.
    while start > 0 and lines[start - 1].startswith(("In file included", "                 from")):
        start -= 1
    shown = lines[start:start + limit]
    if len(lines) > start + limit:
        shown.append(f"... ({len(lines) - start - limit} more lines in the build log)")
    return shown


def stale_targets(build: Path, targets: list[str]) -> set[str] | None:
    """Exercise binaries ninja would relink (None when not a ninja build)."""
    ninja = shutil.which("ninja")
    if not ninja or not (build / "build.ninja").exists() or not targets:
        return None
    try:
        proc = subprocess.run([ninja, "-C", str(build), "-n", "-k", "0", *targets],
                              capture_output=True, text=True, errors="replace", timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None                     # unknown target or broken build.ninja: no opinion
    wanted = set(targets)
    stale = set()
    for line in proc.stdout.splitlines():
        m = re.search(r"Linking \S+ executable (\S+)$", line.strip())
        if m and Path(m.group(1)).name in wanted:
            stale.add(Path(m.group(1)).name)
    return stale


def configure_errors(text: str, limit: int = 8) -> list[str]:
    """The first "CMake Error" block: the build could not even be configured,
    so every binary is from the last good build (or missing)."""
    lines = [_ANSI.sub("", l.rstrip()) for l in text.splitlines()]
    for i, line in enumerate(lines):
        if line.startswith("CMake Error"):
            block = [line]
            for nxt in lines[i + 1:]:
                if nxt and not nxt.startswith(" "):
                    break
                if nxt.strip():
                    block.append(nxt)
            return block[:limit]
    return []
