"""kata.py grade --submission / --batch and kata.py scoreboard."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from ..errors import ToolError
from . import batch, sandbox as sb, scoreboard
from .sandbox import Limits
from .single import Grader, Options


def _sandbox(args) -> sb.Sandbox:
    exe, why = sb.probe()
    if exe:
        return sb.Sandbox(True, exe, uid_base=sb.uid_base())
    if not args.no_sandbox:
        raise ToolError(f"{why}.\nRefusing to run untrusted code without a sandbox; pass --no-sandbox to "
                        "grade anyway (the submission's code then runs as you, with only rlimits).")
    print(f"kata.py grade: warning: {why}; grading WITHOUT a sandbox (--no-sandbox)", file=sys.stderr)
    return sb.Sandbox(False, uid_base=None)


def _options(args) -> Options:
    mem = args.memory << 20
    return Options(root=args.root, ref=args.ref, only=[s for s in (args.only or "").split(",") if s],
                   work=Path(args.work) if args.work else None, before=args.before, jobs=args.jobs,
                   slots=args.slots,
                   build_limits=Limits(wall=args.build_timeout, memory=mem),
                   test_limits=Limits(wall=args.test_timeout, memory=mem), keep=args.keep,
                   hidden_seed=args.hidden_seed, hidden_cases=args.hidden_cases)


def grade(args) -> int:
    if not 1 <= args.hidden_cases <= 1000:
        raise ToolError("--hidden-cases takes a number from 1 to 1000")
    if args.hidden_seed is not None and not 0 <= args.hidden_seed < 1 << 62:
        raise ToolError("--hidden-seed takes a number from 0 to 2^62-1")
    if args.submission and args.batch:
        raise ToolError("give --submission or --batch, not both")
    if not args.out:
        raise ToolError("--out DIR is required with --submission or --batch")
    out = Path(args.out).resolve()
    sandbox = _sandbox(args)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)   # noqa: E731
    out.mkdir(parents=True, exist_ok=True)
    grader = Grader(_options(args), sandbox, log, hide=(out,))
    if args.submission:
        start = time.monotonic()
        results = grader.grade(args.submission, out, args.student)
        sys.stdout.write((out / "grade.md").read_text(encoding="utf-8"))
        print(f"(written: {out / 'results.json'}, {out / 'junit.xml'}, {out / 'grade.md'}; "
              f"{results['score']:g} points in {time.monotonic() - start:.0f} s)")
        return 0
    rows, secs = batch.run(grader, Path(args.batch), out, log)
    sys.stdout.write((out / "scoreboard.md").read_text(encoding="utf-8"))
    print(f"(written: {out / 'scoreboard.md'}, scoreboard.csv, scoreboard.json; "
          f"{len(rows)} submissions in {secs:.0f} s)")
    return 0


def scoreboard_cmd(args) -> int:
    rows = scoreboard.load([Path(p) for p in args.results], manifest=args.root)
    out = Path(args.out)
    md = scoreboard.write(out, rows)
    sys.stdout.write(md)
    print(f"(written: {out / 'scoreboard.md'}, scoreboard.csv, scoreboard.json)")
    return 0
