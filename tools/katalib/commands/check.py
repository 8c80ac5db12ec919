"""kata.py check --probe chN.exNN: the hidden checks, before the grader.

The grader runs each exercise's probe (harness/include/kata/probe.hpp) with
a seed the submission never saw and compares it with the reference's output
(docs/grading.md, "Hidden checks"). This command does the same on a
learner's own build with a fresh seed every time, and shows the first case
where the two differ in full — so an honest learner meets a rule the visible
tests missed before a grade does.
"""
from __future__ import annotations

import subprocess
from pathlib import Path

from .. import learner, manifest
from ..errors import ToolError
from ..grading import hidden
from ..grading.base import probe_target
from ..term import display_path

WALL = 60.0
SHOWN = 40                       # lines of the differing case shown


def add_parser(sub) -> None:
    c = sub.add_parser("check", help="run an exercise's hidden checks (generated programs: yours vs the reference)")
    c.add_argument("exercise", help="e.g. ch3.ex02")
    c.add_argument("--probe", action="store_true", help="the hidden checks (the only check so far; the default)")
    c.add_argument("--seed", type=int, help="the seed of the generated programs (default: a new random one)")
    c.add_argument("--cases", type=int, default=hidden.CASES, help=f"generated programs ({hidden.CASES})")
    c.add_argument("--build", default="build/learner", help="build directory (default: build/learner)")
    c.set_defaults(func=run)


def _run(binary: Path, key: str, seed: int, cases: int, cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(hidden.argv(str(binary), seed, key, cases), cwd=cwd, capture_output=True,
                              text=True, errors="replace", timeout=WALL, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as err:
        out = err.stdout.decode(errors="replace") if isinstance(err.stdout, bytes) else (err.stdout or "")
        return subprocess.CompletedProcess(err.cmd, -9, out, f"did not finish within {WALL:.0f} s")


def run(args, style) -> int:
    if not 1 <= args.cases <= 1000:
        raise ToolError("--cases takes a number from 1 to 1000")
    if args.seed is not None and not 0 <= args.seed < 1 << 62:
        raise ToolError("--seed takes a number from 0 to 2^62-1")
    ex = manifest.find(manifest.load(args.root), args.exercise)
    if not (args.root / ex.probe).is_file():
        print(f"{ex.key} has no hidden checks yet (no {ex.probe}).")
        return 0
    build = Path(args.build) if Path(args.build).is_absolute() else Path.cwd() / args.build
    if not learner.is_configured(build):
        learner.say(f"configuring {display_path(build, args.root)} (cmake, once) ...")
        learner.configure(args.root, build, build / "kata" / "configure.log")
    ref_target = probe_target(ex.key)
    learner.say(f"building {ex.target} and {ref_target} ...")
    res = learner.build_targets(build, [ex.target, ref_target], build / "kata" / "check-build.log")
    if res.returncode != 0:
        tail = "\n".join(res.output.strip().splitlines()[-15:])
        raise ToolError(f"the build failed ({display_path(build / 'kata' / 'check-build.log', args.root)}):\n{tail}")
    seed = args.seed if args.seed is not None else hidden.new_seed()
    ref = _run(build / ref_target, ex.key, seed, args.cases, build)
    if ref.returncode != 0:
        raise ToolError(f"the reference probe failed (status {ref.returncode}): {ref.stderr.strip()[-500:]}")
    yours = _run(build / ex.target, ex.key, seed, args.cases, build)
    h = hidden.compare(ref.stdout, yours.stdout, yours.returncode, yours.returncode == -9, yours.stderr)
    again = f"python3 tools/kata.py check {ex.key} --seed {seed}"
    if h.agree:
        print(style("\u2713", "green") + f" {ex.key}: {h.agreed}/{h.cases} generated programs print what the reference "
              f"prints (seed {seed}).")
        print(f"  生成的 {h.cases} 个程序的输出与参考实现一致。")
        return 0
    print(style("\u2717", "red") + f" {ex.key}: {h.agreed}/{h.cases} generated programs print what the reference "
          f"prints (seed {seed}).")
    todo = next((l for l in yours.stderr.splitlines() if l.startswith("not done yet")), "")
    if todo:
        print(f"  {todo}")
        return 0
    print(f"  {h.detail}")
    want, got = hidden.split_cases(ref.stdout), hidden.split_cases(yours.stdout)
    first = next((i for i, c in enumerate(want) if i >= len(got) or got[i] != c), None)
    if first is not None:
        print("\nThe first program that differs, line by line (expected | yours):")
        w, g = want[first], got[first] if first < len(got) else []
        rows = max(len(w), len(g))
        for i in range(min(rows, SHOWN)):
            a = w[i] if i < len(w) else ""
            b = g[i] if i < len(g) else ""
            mark = " " if a == b else style("\u2260", "red")
            print(f"  {mark} {a:<40} | {b}")
        if rows > SHOWN:
            print(f"  ... {rows - SHOWN} more lines")
    print(f"\nThe same programs again: {again}")
    print("  What a probe generates: the comments at the top of its file, " + ex.probe)
    print("  用同一个种子重跑：上面的命令；探针生成什么程序：见该文件开头的注释。")
    return 0
