#!/usr/bin/env python3
"""A fixed-seed sample of `make fuzz-order`: N random deterministic programs,
each 3 times natively and once on the reference loop; every program node
agrees with itself on must agree with the loop.

  check_fuzz.py --driver PATH [-n 200] [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgtest  # noqa: E402


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--driver", type=Path, required=True)
    p.add_argument("-n", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    node = pgtest.node_or_skip()
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([str(a.driver), "--", node, "--expose-internals", str(pgtest.ROOT / "playground/js/fuzz.js"),
                            "--n", str(a.n), "--seed", str(a.seed), "--jobs", "2", "--out", out],
                           stdout=subprocess.PIPE, text=True, timeout=600)
        lines = [l for l in r.stdout.splitlines() if l.startswith("{")]
        if r.returncode != 0 or not lines:
            pgtest.fail(f"fuzz.js failed (exit {r.returncode})")
        s = json.loads(lines[-1])
        print(f"tried {s['tried']}, agreed {s['agreed']}, dropped {s['dropped']} (node varied), "
              f"mismatched {s['mismatched']}, {s['seconds']:.1f} s")
        if s["mismatched"]:
            for f in s["files"]:
                print(Path(f).read_text())
            pgtest.fail(f"{s['mismatched']} program(s) where the reference loop and node disagree")
        if s["agreed"] < s["tried"] * 0.9:
            pgtest.fail("too many programs dropped: the generator leaves the deterministic subset")
    return 0


if __name__ == "__main__":
    sys.exit(main())
