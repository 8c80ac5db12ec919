#!/usr/bin/env python3
"""One program of playground/tests/programs/ on the loop, against real node,
live: promise ticks (thenable adoption, finally, all/race/any), nextTick vs
microtasks, process lifetime (beforeExit, exit, exitCode, process.exit,
uncaughtException), fs.readFile errors, and bad input.

  check_program.py NAME [--driver PATH]

Most programs: same stdout lines and exit code as node. The bad-input ones
say what must happen instead (EXPECT below)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgtest  # noqa: E402

# name → (what the loop must report, what node does)
EXPECT = {
    "busy_forever": ("stopped:timeout", "timeout"),
    "interval_forever": ("stopped:max-callbacks", "timeout"),
    "uses_async": ("unsupported:async functions", None),
    "uses_fetch": ("unsupported:fetch", None),
    "uses_worker_threads": ("unsupported:require('worker_threads')", None),
}
# programs whose stderr must carry node's error line ("Error: boom")
ERROR_LINE = {"uncaught_timer", "unhandled_rejection", "syntax_error"}


def error_lines(text: str) -> list[str]:
    return [l for l in text.splitlines() if re.match(r"^[A-Za-z]*Error\b", l)][:1]


def main(argv: list[str]) -> int:
    name = argv[1]
    node = pgtest.node_or_skip()
    driver = pgtest.driver_arg(argv)
    js = Path(__file__).resolve().parent / "programs" / f"{name}.js"
    if name in EXPECT:
        want, node_does = EXPECT[name]
        kind, _, detail = want.partition(":")
        lp = pgtest.loop(node, driver, js, timeout=2.0, max_callbacks=5000)
        if kind == "stopped" and lp.stopped != detail:
            pgtest.fail(f"the loop should be stopped by {detail}, got stopped={lp.stopped} exit={lp.exit}")
        if kind == "unsupported" and not (lp.unsupported and lp.unsupported.startswith(detail + ": not supported in the playground")):
            pgtest.fail(f"expected '{detail}: not supported in the playground', got {lp.unsupported!r} {lp.stdout}")
        if node_does == "timeout":
            nv = pgtest.native(node, js, timeout=1.0)
            if nv.stopped != "timeout":
                pgtest.fail(f"node was expected to run forever; it ended with {nv.exit}")
        print(f"ok: {lp.stopped or lp.unsupported}")
        return 0
    lp = pgtest.loop(node, driver, js)
    nv = pgtest.native(node, js)
    if lp.not_done or lp.unsupported or lp.stopped:
        pgtest.fail(f"the loop did not run it: {lp.not_done or lp.unsupported or lp.stopped}\n{lp.stderr}")
    if nv.stdout != lp.stdout or nv.exit != lp.exit:
        pgtest.fail(f"node printed {nv.stdout} (exit {nv.exit})\nthe loop    {lp.stdout} (exit {lp.exit})\n{lp.stderr}")
    if name in ERROR_LINE:
        if not error_lines(nv.stderr) or error_lines(nv.stderr) != error_lines(lp.stderr):
            pgtest.fail(f"stderr: node {error_lines(nv.stderr)}, loop {error_lines(lp.stderr)}\n{lp.stderr}")
        if nv.stderr.splitlines()[:1] != lp.stderr.splitlines()[:1]:
            pgtest.fail(f"first stderr line: node {nv.stderr.splitlines()[:1]}, loop {lp.stderr.splitlines()[:1]}")
    print(f"ok: {len(lp.stdout)} lines, exit {lp.exit} (node agrees)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
