#!/usr/bin/env python3
"""`--loop yours`: the driver built from chapters/ (your chapter-3 files).

  check_yours.py stubs --driver playground_driver_yours
      with the chapter-3 stubs untouched, a seed snippet says "not done yet"
      with the first KATA_TODO the program reaches (run_main, process.cpp);
      skipped (77) when the chapter-3 files are not the stubs any more.
  check_yours.py solutions --driver playground_driver_solutions
      the same recipe with solutions/ laid in: node's output, live.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgtest  # noqa: E402

CH3 = pgtest.ROOT / "chapters" / "ch3-node-event-loop"
EDITS = ["ex01-phases/run.cpp", "ex02-timers/timers.cpp", "ex03-next-tick-and-microtasks/task_queues.cpp",
         "ex04-set-immediate/immediates.cpp", "ex05-poll/poll.cpp", "ex06-close-callbacks/handle.cpp",
         "ex07-process-lifetime/process.cpp"]
EXACT = ["ch1_essence", "ch2_interview1", "ch2_interview2", "ch3_code3_in_io", "ch3_nexttick_readfile",
         "ch3_emitter_nexttick_listen"]


def run_main_todo_line() -> int:
    lines = (CH3 / "ex07-process-lifetime/process.cpp").read_text().splitlines()
    start = next(i for i, l in enumerate(lines) if "Loop::run_main" in l)
    return next(i for i in range(start, len(lines)) if "KATA_TODO(" in lines[i]) + 1


def main(argv: list[str]) -> int:
    mode = argv[1]
    node = pgtest.node_or_skip()
    driver = pgtest.driver_arg(argv)
    seed = Path(__file__).resolve().parent / "seed"
    if mode == "stubs":
        if not all("KATA_TODO(" in (CH3 / f).read_text() for f in EDITS):
            print("SKIP: your chapter-3 files are not the stubs any more")
            return 77
        lp = pgtest.loop(node, driver, seed / "ch1_essence.js")
        want = f"not done yet: chapters/ch3-node-event-loop/ex07-process-lifetime/process.cpp:{run_main_todo_line()} — run_main:"
        if not lp.not_done or not lp.not_done.startswith(want):
            pgtest.fail(f"expected '{want} ...', got not_done={lp.not_done!r} stdout={lp.stdout} {lp.stderr}")
        print(f"ok: {lp.not_done}")
        return 0
    for name in EXACT:
        js = seed / f"{name}.js"
        lp, nv = pgtest.loop(node, driver, js), pgtest.native(node, js)
        if lp.stdout != nv.stdout or lp.exit != nv.exit:
            pgtest.fail(f"{name}: node {nv.stdout} (exit {nv.exit}), yours-with-solutions {lp.stdout} (exit {lp.exit}) {lp.not_done or ''}")
        print(f"ok: {name}: {lp.stdout}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
