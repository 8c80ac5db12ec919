#!/usr/bin/env python3
"""harness.onecopy.header_member: a learner who adds a private member to a
class in a header still gets honest results.

On a copy of the kata (the repository itself is never touched) it plays a
learner of ch3.ex02 who has finished timers.cpp and, on the way, added a
private member at the top of `class Timers` in the given timers.hpp, and one
to `class TaskQueues` in task_queues.hpp. Loop builds both in loop.cpp;
run.cpp reads the timers, process.cpp (run_main) drains the task queues.
Reference objects compiled against another copy of either header would
disagree on the layout and crash. The rule of docs/build.md (one set of headers per build) must make
the learner's ch3.ex02 tests pass: its binary runs the learner's timers.cpp
inside the reference loop (ch3.ex01's loop.cpp and run.cpp, ...).

  check_header_member.py ROOT WORKDIR
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

EX02 = "ch3-node-event-loop/ex02-timers"
EX03 = "ch3-node-event-loop/ex03-next-tick-and-microtasks"
MEMBER = "  // Added by the learner: shifts every member after it.\n  char learner_scratch_[256] = {};\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    root, work = Path(argv[0]).resolve(), Path(argv[1]).resolve()
    kata = work / "kata"
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(root, kata, symlinks=True, ignore=shutil.ignore_patterns("build", ".git", "__pycache__", ".cache"))
    for header, cls in ((kata / "chapters" / EX02 / "timers.hpp", "Timers"),
                        (kata / "chapters" / EX03 / "task_queues.hpp", "TaskQueues")):
        text = header.read_text(encoding="utf-8")
        anchor = text.find(" private:\n", text.find(f"class {cls} {{"))
        if anchor < 0:
            print(f"{header}: no ' private:' section in class {cls} to add a member to")
            return 1
        anchor += len(" private:\n")
        header.write_text(text[:anchor] + MEMBER + text[anchor:], encoding="utf-8")
    shutil.copy(kata / "solutions" / EX02 / "timers.cpp", kata / "chapters" / EX02 / "timers.cpp")
    build = work / "build"
    steps = [
        ["cmake", "-S", str(kata), "-B", str(build), "-G", "Ninja", "-DKATA_SOURCE=chapters",
         "-DCMAKE_BUILD_TYPE=RelWithDebInfo"],
        ["cmake", "--build", str(build), "--target", "ch3_ex02", "-j2"],
        ["ctest", "--test-dir", str(build), "-R", r"^chapter3\.ex02\.", "--output-on-failure",
         "--timeout", "60", "--no-tests=error"],
    ]
    for step in steps:
        print("$", " ".join(step), flush=True)
        r = subprocess.run(step, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        tail = r.stdout.splitlines()[-25:]
        print("\n".join(tail))
        if r.returncode != 0:
            print(f"FAILED: a learner's private members in timers.hpp and task_queues.hpp broke the build or the tests "
                  f"(exit {r.returncode})")
            return 1
    shutil.rmtree(work, ignore_errors=True)
    print("the learner's Timers and TaskQueues with an extra member each: ch3.ex02 passes on the reference loop")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
