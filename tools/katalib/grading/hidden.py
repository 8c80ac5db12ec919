"""Hidden checks: what a submission's code cannot fake from inside its own
test process (docs/grading.md, "Hidden checks").

Each exercise with a probe (kata/probe.hpp, tests/<chapter>/probes/) is run
twice on the same generated inputs: as `probe_ref_<key>` built from the
reference in the pristine base, once per grading run, and as the
submission's own test binary with `--kata-probe`. The seed of each exercise
comes from the instructor's `--hidden-seed` (random by default) and is not
known when the submission is written. The grader compares the two outputs
itself: an exercise is done only when they agree.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from .base import probe_target, run_built
from .sandbox import Limits

CASES = 20                       # generated programs per exercise
WALL = 30.0                      # seconds for one probe run (a case takes milliseconds)
KEEP = 4 << 20                   # bytes of a probe's output the grader reads


@dataclass
class HiddenResult:
    agree: bool
    cases: int                   # cases the reference ran
    agreed: int                  # cases whose lines are the same
    detail: str = ""             # the first difference, for the instructor


@dataclass
class Reference:
    seed: int
    cases: int
    expected: dict[str, str] = field(default_factory=dict)     # key → the reference probe's output
    notes: dict[str, str] = field(default_factory=dict)        # key → why it has no hidden check


def new_seed() -> int:
    return secrets.randbits(62)


def seed_for(seed: int, key: str) -> int:
    """Each exercise its own stream, so one exercise's output says nothing of another's."""
    return int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "big") >> 1


def argv(binary: str, seed: int, key: str, cases: int) -> list[str]:
    return [binary, "--kata-probe", "--seed", str(seed_for(seed, key)), "--cases", str(cases)]


def split_cases(text: str) -> list[list[str]]:
    cases: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("case ") and line[5:].isdigit():
            cases.append([line])
        elif cases:
            cases[-1].append(line)
    return cases


def compare(expected: str, got: str, returncode: int, timed_out: bool, stderr: str) -> HiddenResult:
    want, have = split_cases(expected), split_cases(got)
    agreed = sum(1 for i, c in enumerate(want) if i < len(have) and have[i] == c)
    if agreed == len(want) and len(have) == len(want) and returncode == 0 and not timed_out:
        return HiddenResult(True, len(want), agreed)
    if timed_out:
        why = f"the probe did not finish within {WALL:.0f} s"
    elif "not done yet" in got.splitlines()[-1:] or returncode == 3:
        why = "not done yet (a KATA_TODO was reached)"
    elif returncode == 124:
        why = "a generated program hung (the probe's watchdog stopped it after 10 s)"
    elif returncode != 0:
        why = f"the probe ended with status {returncode}"
    else:
        why = ""
    first = next((i for i, c in enumerate(want) if i >= len(have) or have[i] != c), None)
    if first is not None:
        w, h = want[first], have[first] if first < len(have) else []
        line = next((j for j in range(max(len(w), len(h))) if j >= len(w) or j >= len(h) or w[j] != h[j]), 0)
        exp = w[line] if line < len(w) else "(nothing)"
        got_line = h[line] if line < len(h) else "(nothing)"
        diff = f"{w[0]}, line {line}: expected {exp!r}, got {got_line!r}"
        why = f"{why}; {diff}" if why else diff
    tail = stderr.strip().splitlines()[-3:]
    if tail:
        why += " — stderr: " + " | ".join(t[:200] for t in tail)
    return HiddenResult(False, len(want), agreed, why)


def reference(base, seed: int, sandbox, log=print, cases: int = CASES) -> Reference:
    """Runs every reference probe of the base (trusted code) with `seed`, in
    the same sandbox a submission's probe gets (run_built: a fresh writable
    /tmp, the same environment and folder), so the two see the same world."""
    ref = Reference(seed, cases)
    for key in base.probes:
        res = run_built(base, base.src, base.build, base.dir / "probe-tmp", sandbox, 0,
                        argv(f"{base.layout.build}/{probe_target(key)}", seed, key, cases), Limits(wall=WALL * 2),
                        keep=KEEP, split_stderr=True)
        if res.returncode != 0 or res.timed_out or not split_cases(res.output):
            ref.notes[key] = f"the reference probe failed (status {res.returncode}): {res.stderr.strip()[-300:]}"
            log(f"hidden checks: {key}: {ref.notes[key]}")
            continue
        ref.expected[key] = res.output
    return ref


def check(ex, base, build: Path, src: Path, ex_dir: Path, sandbox, slot: int) -> HiddenResult:
    """The submission's probe of `ex` (its test binary, build read-only)."""
    ref = base.hidden
    res = run_built(base, src, build, ex_dir / f"probe-tmp-{slot}", sandbox, slot,
                    argv(f"{base.layout.build}/{ex.target}", ref.seed, ex.key, ref.cases), Limits(wall=WALL),
                    keep=KEEP, split_stderr=True)
    return compare(ref.expected[ex.key], res.output, res.returncode, res.timed_out, res.stderr)
