#!/usr/bin/env python3
"""One seed snippet (playground/tests/seed/NAME.js, the seed's chapters 1-3
verbatim) on the loop through the bridge, against real node, live.

  check_seed.py NAME [--driver PATH]

How a snippet is compared (node is the oracle every time):
  exact         same stdout lines and exit code (the default);
  numbers       code 1 and 2 print milliseconds: same lines with the numbers
                masked, and the loop's numbers are the ones the seed explains
                (code 1: the timer waits for the 20 ms busy callback; code 2:
                the 5 ms timer has not run when the busy callback logs);
  race          code 3 (setTimeout 1 vs setImmediate): the loop must show
                both orders (startup 0 ms / 1 ms) and node's must be one of them;
  unsupported   needs http: the playground says so; node never ends.
Timing-dependent snippets retry node up to 8 times (a loaded machine can
make a 0.1 ms readFile take longer than the 10 ms timer).
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgtest  # noqa: E402

POLICY = {
    "ch3_code1_readfile_busy": "numbers",
    "ch3_code2_readfile_busy": "numbers",
    "ch3_code3_timeout_vs_immediate": "race",
    "ch3_nexttick_compute_http": "unsupported",
}


def numbers_ok(name: str, lines: list[str]) -> str | None:
    nums = [int(n) for n in re.findall(r"-?\d+", " ".join(lines))]
    if name == "ch3_code1_readfile_busy":
        return None if len(nums) == 2 and 20 <= nums[0] <= 25 else f"code 1: expected a delay of 20..25 ms, got {lines}"
    return None if len(nums) == 2 and nums[0] == 0 else f"code 2: expected 'setTimeout: 0ms', got {lines}"


def main(argv: list[str]) -> int:
    name = argv[1]
    node = pgtest.node_or_skip()
    driver = pgtest.driver_arg(argv)
    js = Path(__file__).resolve().parent / "seed" / f"{name}.js"
    policy = POLICY.get(name, "exact")
    if policy == "unsupported":
        lp = pgtest.loop(node, driver, js, timeout=5)
        if not lp.unsupported or "http" not in lp.unsupported:
            pgtest.fail(f"expected 'require('http') is not supported in the playground', got {lp}")
        nv = pgtest.native(node, js, timeout=1.0)
        if nv.stopped != "timeout":
            pgtest.fail(f"node was expected to run forever (a recursive nextTick), it ended: {nv}")
        print(f"ok: loop says: {lp.unsupported}; node never ends (stopped after 1 s)")
        return 0
    lp = pgtest.loop(node, driver, js)
    if lp.not_done or lp.unsupported or lp.stopped:
        pgtest.fail(f"the loop did not run it: {lp.not_done or lp.unsupported or lp.stopped}\n{lp.stderr}")
    tries = 1 if policy == "exact" else 8
    seen = []
    for attempt in range(tries):
        if attempt:
            time.sleep(0.2 * attempt)   # a loaded machine: let it breathe
        nv = pgtest.native(node, js)
        seen.append((nv.stdout, nv.exit))
        if policy == "exact":
            if nv.stdout != lp.stdout or nv.exit != lp.exit:
                pgtest.fail(f"node printed {nv.stdout} (exit {nv.exit}), the loop {lp.stdout} (exit {lp.exit})\n"
                            f"node stderr:\n{nv.stderr}\nloop stderr:\n{lp.stderr}")
            if nv.stderr.strip() or lp.stderr.strip():
                # Same error line ("ReferenceError: net is not defined") on both.
                el = lambda s: [l for l in s.splitlines() if re.match(r"^[A-Za-z]*Error\b", l)][:1]
                if el(nv.stderr) != el(lp.stderr):
                    pgtest.fail(f"stderr differs: node {el(nv.stderr)}, loop {el(lp.stderr)}\n{lp.stderr}")
            print(f"ok: {lp.stdout} exit {lp.exit} (node agrees)")
            return 0
        if policy == "numbers":
            bad = numbers_ok(name, lp.stdout)
            if bad:
                pgtest.fail(bad)
            if pgtest.masked(nv.stdout) == pgtest.masked(lp.stdout) and nv.exit == lp.exit:
                print(f"ok: loop {lp.stdout}, node {nv.stdout} (same lines, numbers aside)")
                return 0
        if policy == "race":
            orders = [tuple(lp.stdout), tuple(lp.race["stdout"]) if lp.race else ()]
            if sorted(orders) != sorted([("timeout", "immediate"), ("immediate", "timeout")]):
                pgtest.fail(f"the loop should show both orders, it shows {orders}")
            if tuple(nv.stdout) in orders:
                print(f"ok: both orders are possible; the loop prints {orders[0]} (startup 0 ms) and "
                      f"{orders[1]} (1 ms); node printed {tuple(nv.stdout)}")
                return 0
    pgtest.fail(f"node printed {seen}, the loop {lp.stdout} (exit {lp.exit})")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
