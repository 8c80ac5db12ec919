#!/usr/bin/env python3
"""harness.build.header_fanout: an edit of one part's header recompiles a few
files of its exercise, not the whole chapter.

Reads the build's own record of who includes what (`ninja -t deps`, which is
what ninja consults to decide what an edit recompiles), after the build. For
each chapter-3 part header it counts the objects of its exercise's test
binary that include it. loop.hpp names the parts without including their
headers (loop.cpp builds them, docs/build.md "Chapter 3: who includes a
part's header"), so timers.hpp reaches timers.cpp, loop.cpp, run.cpp (alive()
and backend_timeout() ask the timers) and its test, and nothing else. (An
exercise's probe, tests/<chapter>/probes/, is a consumer like its test.)

  check_header_fanout.py BUILD_DIR
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# header (under chapters/ch3-node-event-loop/) → (its exercise's binary, the
# most objects of that binary that may include it, why that many).
LIMITS = {
    "ex02-timers/timers.hpp": ("ch3_ex02", 4, "timers.cpp, loop.cpp, run.cpp, its test"),
    "ex03-next-tick-and-microtasks/task_queues.hpp": ("ch3_ex03", 4, "task_queues.cpp, loop.cpp, process.cpp "
                                                      "(run_main drains the queues), its test"),
    "ex04-set-immediate/immediates.hpp": ("ch3_ex04", 4, "immediates.cpp, loop.cpp, run.cpp, its test"),
    "ex05-poll/poll.hpp": ("ch3_ex05", 5, "poll.cpp, poll_backend.cpp, loop.cpp, its test, its probe"),
    "ex05-poll/thread_pool.hpp": ("ch3_ex05", 3, "thread_pool.cpp, loop.cpp, its test"),
    "ex06-close-callbacks/handle.hpp": ("ch3_ex06", 8, "Handle is the base of IoWatcher, Async and Hook: "
                                        "handle.cpp, hooks.cpp, poll.cpp, poll_backend.cpp, loop.cpp, run.cpp, its test, "
                                        "its probe"),
    "ex07-process-lifetime/process.hpp": ("ch3_ex07", 4, "process.cpp, loop.cpp, its test, its probe"),
}


def ninja(build: Path, *args: str) -> str:
    return subprocess.run(["ninja", "-C", str(build), *args], check=True, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True).stdout


def objects_of(build: Path, target: str, seen: set[str] | None = None) -> set[str]:
    """The object files a target is made of, through the static libraries it links."""
    seen = set() if seen is None else seen
    objects: set[str] = set()
    out = ninja(build, "-t", "query", target)
    section = None
    for line in out.splitlines():
        if line.startswith("  input:"):
            section = "input"
            continue
        if line.startswith("  outputs:"):
            section = "outputs"
            continue
        if section != "input":
            continue
        name = line.strip()
        if name.startswith("|"):  # "| implicit" / "|| order-only" inputs
            name = name.lstrip("| ").strip()
        if name.endswith(".o"):
            objects.add(name)
        elif name.endswith(".a") and name not in seen:
            seen.add(name)
            objects |= objects_of(build, name, seen)
    return objects


def deps(build: Path) -> dict[str, set[str]]:
    """object → the headers it included when it was last compiled."""
    result: dict[str, set[str]] = {}
    current = None
    for line in ninja(build, "-t", "deps").splitlines():
        if not line.strip():
            current = None
        elif not line.startswith(" "):
            current = line.split(":", 1)[0]
            result[current] = set()
        elif current is not None:
            result[current].add(str(Path(line.strip()).resolve()))
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    build = Path(argv[0]).resolve()
    root = Path(__file__).resolve().parents[2]
    included = deps(build)
    failed = False
    for rel, (target, limit, why) in LIMITS.items():
        header = str((root / "chapters" / "ch3-node-event-loop" / rel).resolve())
        objects = objects_of(build, target)
        if not objects:
            print(f"FAILED: {target} has no objects in {build} (not built?)")
            return 1
        missing = sorted(o for o in objects if o not in included)
        if missing:
            print(f"FAILED: no dependency record for {missing[0]} (build {target} first)")
            return 1
        users = sorted(Path(o).name.removesuffix(".o") for o in objects if header in included[o])
        verdict = "ok" if len(users) <= limit else "TOO MANY"
        print(f"{rel}: {len(users)} of {len(objects)} objects of {target} include it "
              f"(at most {limit}: {why}) {verdict}\n    {', '.join(users)}")
        failed |= len(users) > limit
    if failed:
        print("FAILED: a part's header reaches more of its exercise than docs/build.md allows; "
              "did loop.hpp (or another shared header) start including it?")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
