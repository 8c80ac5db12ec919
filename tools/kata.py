#!/usr/bin/env python3
"""evloop-kata's learner tools.

  kata.py progress [--build build/learner] [--build-log FILE]   where you are, what's next
  kata.py hint [chN.exNN] [--build DIR]                          goal, hint, README hints
  kata.py list                                                   every exercise
  kata.py grade [--build DIR] [--out DIR]                        grade.md + grade.json
  kata.py check-stub BINARY --exercise chN.exNN                  harness self-test

Exit status: 0 even when exercises are unfinished; 2 for a real tool error
(no build directory, unreadable manifest, ctest missing), with a message.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from katalib import checkstub, collect, grade, manifest, views  # noqa: E402
from katalib.ctest import ToolError  # noqa: E402
from katalib.term import Style  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _display(path: Path, root: Path) -> str:
    """build/learner rather than /work/main/build/learner when under the repo or cwd."""
    p = path.resolve()
    for base in (Path.cwd().resolve(), root):
        try:
            return str(p.relative_to(base))
        except ValueError:
            pass
    return str(p)


def _build(args) -> Path:
    build = Path(args.build)
    return build if build.is_absolute() else Path.cwd() / build


def _snapshot(args, junit: Path, run: bool = True, chapter: int | None = None, only: str | None = None):
    log = Path(args.build_log) if getattr(args, "build_log", None) else None
    return collect.snapshot(args.root, _build(args), junit, log, jobs=args.jobs,
                            stale_check=not args.no_stale_check, run=run, chapter=chapter, only=only)


def _progress_junit(args) -> Path:
    # progress and hint share one record, so `hint` right after `make` needs no rerun.
    return _build(args) / "kata" / "progress-junit.xml"


def cmd_progress(args, style: Style) -> int:
    snap = _snapshot(args, _progress_junit(args), run=not args.no_run, chapter=args.chapter)
    sys.stdout.write(views.progress(snap, _display(_build(args), args.root), style,
                                    chapter_only=args.chapter is not None))
    return 0


def cmd_hint(args, style: Style) -> int:
    chapters = manifest.load(args.root)
    build = _build(args)
    display = _display(build, args.root)
    configured = (build / "CTestTestfile.cmake").exists()
    if args.exercise:
        ex = manifest.find(chapters, args.exercise)
        st = None
        if configured:   # show its first failure too, from the last results (or a run)
            snap = _snapshot(args, _progress_junit(args), run=args.run, only=ex.key)
            st = snap.by_key().get(ex.key)
        sys.stdout.write(views.hint(args.root, ex, collect.build_tree(build), st, display, style))
        return 0
    if not configured:
        ex = manifest.all_exercises(chapters)[0]
        print(f"({display} is not built yet: showing the first exercise. Run `make` to build and test.)\n")
        sys.stdout.write(views.hint(args.root, ex, "chapters", None, display, style))
        return 0
    snap = _snapshot(args, _progress_junit(args), run=args.run)
    st = next((s for s in snap.statuses if not s.finished), None)
    if st is None:
        print("All exercises are done: nothing left to hint at. Pass an exercise, e.g. kata.py hint ch1.ex01")
        return 0
    sys.stdout.write(views.hint(args.root, st.exercise, snap.tree, st, display, style))
    return 0


def cmd_list(args, style: Style) -> int:
    sys.stdout.write(views.listing(manifest.load(args.root), "chapters", style))
    return 0


def cmd_grade(args, style: Style) -> int:
    out = Path(args.out) if args.out else Path(args.build) / "grade"
    snap = _snapshot(args, out / "junit.xml")
    _, md = grade.write(snap, out)
    sys.stdout.write(md)
    print(f"(written: {out / 'grade.md'}, {out / 'grade.json'}, JUnit XML {out / 'junit.xml'})")
    return 0


def cmd_check_stub(args, style: Style) -> int:
    ok, report = checkstub.check(Path(args.binary), args.exercise, timeout=args.timeout)
    sys.stdout.write(report)
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")   # a C locale must not crash on 中文 or ✓
        except (AttributeError, ValueError):
            pass
    p = argparse.ArgumentParser(prog="kata.py", description="evloop-kata learner tools")
    p.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                   help="colour output (auto: only on a terminal, and never with NO_COLOR set)")
    sub = p.add_subparsers(dest="command", required=True)

    def with_build(sp, default="build/learner"):
        sp.add_argument("--build", default=default, help=f"build directory (default: {default})")
        sp.add_argument("--build-log", help="log of `cmake --build DIR -- -k 0` to find what failed to compile")
        sp.add_argument("-j", "--jobs", type=int, default=2, help="parallel tests (default 2)")
        sp.add_argument("--no-stale-check", action="store_true",
                        help="do not ask ninja whether exercise binaries are out of date")

    pr = sub.add_parser("progress", help="status of every exercise and what to do next")
    with_build(pr)
    pr.add_argument("--no-run", action="store_true",
                    help="use the last test results (e.g. right after `ctest -L chapter3`) instead of"
                         " running the tests; runs them anyway when a test has no result yet")
    pr.add_argument("--chapter", type=int, help="show (and run) one chapter only")
    h = sub.add_parser("hint", help="goal, hint and README hints of an exercise (default: the next one)")
    h.add_argument("exercise", nargs="?", help="e.g. ch1.ex01 (default: the next unfinished one)")
    h.add_argument("--run", action="store_true",
                   help="run the tests first (default: reuse the last results when every test has one)")
    with_build(h)
    sub.add_parser("list", help="every chapter and exercise in the manifest")
    g = sub.add_parser("grade", help="run the tests, write grade.md and grade.json")
    with_build(g)
    g.add_argument("--out", help="output directory (default: BUILD/grade)")
    c = sub.add_parser("check-stub", help="harness self-test: every test of a stub fails with 'not done yet'")
    c.add_argument("binary")
    c.add_argument("--exercise", required=True, help="chN.exNN, for the report")
    c.add_argument("--timeout", type=float, default=15.0, help="seconds per test before it counts as hung")
    args = p.parse_args(argv)
    args.root = args.root.resolve()
    style = Style(args.color)
    handler = {"progress": cmd_progress, "hint": cmd_hint, "list": cmd_list, "grade": cmd_grade,
               "check-stub": cmd_check_stub}[args.command]
    try:
        return handler(args, style)
    except (ToolError, manifest.ManifestError) as err:
        print(f"kata.py {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
