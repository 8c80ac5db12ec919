#!/usr/bin/env python3
"""evloop-kata's learner tools.

  kata.py progress [--build build/learner] [--make] [--all]     where you are, what's next
  kata.py watch [chN.exNN]                                       rebuild + retest on save, one screen
  kata.py hint [chN.exNN] [--build DIR]                          goal, hint, README hints
  kata.py list                                                   every exercise
  kata.py reset chN.exNN [--yes]                                 the stubs back (your files backed up)
  kata.py compare chN.exNN [--force]                             your files vs the reference
  kata.py grade [--build DIR] [--out DIR]                        grade.md + grade.json
  kata.py grade --submission PATH_OR_URL --out DIR               pristine grade (sandboxed)
  kata.py grade --batch DIR_OR_LIST --out DIR                    a class: scoreboard.md/.csv/.json
  kata.py scoreboard RESULTS... --out DIR                        merge students' results.json
  kata.py check-stub BINARY --exercise chN.exNN                  harness self-test
  kata.py js FILE.js [--loop reference|yours] [--trace] [--html OUT.html]   node vs a C++ loop
  kata.py check chN.exNN [--seed N]                              the hidden checks: generated programs, yours vs the reference

Exit status: 0 even when exercises are unfinished; 2 for a real tool error
(no build directory, unreadable manifest, ctest missing), with a message.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from katalib.errors import ToolError  # noqa: E402
from katalib.lazy import lazy_module  # noqa: E402
from katalib.term import Style, display_path as _display  # noqa: E402

# Each command loads only the modules it uses (on first attribute access):
# `kata.py js` and `kata.py hint` start in a fraction of the time.
checkstub, collect, edits, grade, learner, manifest, views = (
    lazy_module(f"katalib.{name}") for name in ("checkstub", "collect", "edits", "grade", "learner", "manifest", "views"))

ROOT = Path(__file__).resolve().parent.parent


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


def _learner_snapshot(args, run: bool = True, chapter: int | None = None, only: str | None = None,
                      make: bool = False, every: bool = False, force: bool = False):
    """The learner's view: untouched exercises are "not started" without a
    build or a run, results are reused while a binary is unchanged; `make`
    first builds the touched exercises and the next one (`every`: all)."""
    build = _build(args)
    exercises = learner.scope(args.root, chapter)
    if only:
        exercises = [e for e in exercises if e.key == only]
    log = Path(args.build_log) if getattr(args, "build_log", None) else None
    built = None
    if make:
        if not learner.is_configured(build):
            learner.say(f"configuring {_display(build, args.root)} (cmake, once) ...")
            learner.configure(args.root, build, build / "kata" / "configure.log")
    untouched = set() if every else learner.pristine(args.root, build, learner.scope(args.root)).untouched_keys(exercises)
    if make:
        planned = learner.plan(exercises, untouched).build
        targets = [e.target for e in planned]
        # The next exercise is built and run even when untouched: its stub's
        # first failing check is what the screen shows.
        untouched -= {e.key for e in planned}
        if every:
            targets = [e.target for e in exercises]
        log = build / "build.log"
        shown = targets if len(targets) <= 6 else targets[:5] + [f"... ({len(targets)} targets)"]
        learner.say(f"building {' '.join(shown)} (log: {_display(log, args.root)}) ...")
        errors: list[str] = []

        def echo(line: str) -> None:
            if line.startswith("FAILED:") or " error:" in line:
                if len(errors) < 20:
                    learner.say(line)
                errors.append(line)
        built = learner.build_targets(build, targets, log, jobs=None, echo=echo)
    stale = not args.no_stale_check and (built is None or built.returncode != 0)
    return collect.snapshot(args.root, build, _progress_junit(args), log, jobs=args.jobs, stale_check=stale,
                            run=run, chapter=chapter, only=only, untouched=untouched,
                            cache_dir=learner.cache_dir(build), force=force)


def cmd_progress(args, style: Style) -> int:
    snap = _learner_snapshot(args, run=not args.no_run, chapter=args.chapter, make=args.make,
                             every=args.all, force=args.rerun)
    sys.stdout.write(views.progress(snap, _display(_build(args), args.root), style,
                                    chapter_only=args.chapter is not None))
    untouched = sum(1 for st in snap.statuses if st.untouched)
    if untouched and (args.make or not args.no_run):
        print(style(f"({untouched} untouched exercise(s) were not built or run: their files are the stubs."
                    f" `make all` builds and runs everything.)", "dim"))
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
            snap = _learner_snapshot(args, run=args.run, only=ex.key)
            st = snap.by_key().get(ex.key)
        sys.stdout.write(views.hint(args.root, ex, collect.build_tree(build), st, display, style))
        return 0
    if not configured:
        ex = manifest.all_exercises(chapters)[0]
        print(f"({display} is not built yet: showing the first exercise. Run `make` to build and test.)\n")
        sys.stdout.write(views.hint(args.root, ex, "chapters", None, display, style))
        return 0
    snap = _learner_snapshot(args, run=args.run)
    st = next((s for s in snap.statuses if not s.finished), None)
    if st is None:
        print("All exercises are done: nothing left to hint at. Pass an exercise, e.g. kata.py hint ch1.ex01")
        return 0
    sys.stdout.write(views.hint(args.root, st.exercise, snap.tree, st, display, style))
    return 0


def _ask(question: str) -> bool:
    """y/N on the terminal (or a line of stdin); no answer is no."""
    sys.stdout.write(f"{question} [y/N] ")
    sys.stdout.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def cmd_reset(args, style: Style) -> int:
    ex = manifest.find(manifest.load(args.root), args.exercise)
    build = _build(args)
    p = learner.pristine(args.root, build, learner.scope(args.root))
    plan = edits.reset_plan(args.root, ex, p)
    if plan.unknown:
        print(f"kata.py reset: error: the stub of {', '.join(plan.unknown)} is not known here"
              f" (pristine source: {p.describe()}); nothing was changed", file=sys.stderr)
        return 2
    if not plan.changed:
        print(f"{ex.key}: your files are already the stubs; nothing to reset.")
        return 0
    print(f"Reset {ex.key} ({ex.title}) to its stubs? These files go back to {p.describe()}:")
    for rel in plan.changed:
        print(f"  {rel}")
    print(f"A copy of them is kept first in {edits.BACKUP_DIR}/{ex.key}-<time>/.")
    if not args.yes and not _ask("Reset?"):
        print("Not reset.")
        return 1
    backup = edits.reset(args.root, ex, p, plan)
    print(f"{ex.key} reset. Your files are in {_display(backup, args.root)}/")
    return 0


def cmd_compare(args, style: Style) -> int:
    ex = manifest.find(manifest.load(args.root), args.exercise)
    build = _build(args)
    if not args.force:
        st = None
        if (build / "CTestTestfile.cmake").exists():
            st = _learner_snapshot(args, run=True, only=ex.key, make=args.make).by_key().get(ex.key)
        if st is None or not st.finished:
            state = st.status if st is not None else f"not built ({_display(build, args.root)} is not configured)"
            print(f"{ex.key} is not done yet ({state}): the reference is shown once every test passes,"
                  f" so it does not spoil the exercise.\nTo see it anyway: kata.py compare {ex.key} --force")
            return 1
    text, differing = edits.diff(args.root, ex, style)
    sys.stdout.write(text)
    print(f"({differing} of {len(ex.edit)} file(s) differ from the reference."
          f" By hand: diff -u {' '.join(ex.edit_files('solutions'))} {' '.join(ex.edit_files('chapters'))})")
    return 0


def cmd_targets(args, style: Style) -> int:
    print(" ".join(e.target for e in learner.scope(args.root, args.chapter)))
    return 0


def cmd_watch(args, style: Style) -> int:
    from katalib import watch
    return watch.main(args)


def cmd_list(args, style: Style) -> int:
    sys.stdout.write(views.listing(manifest.load(args.root), "chapters", style))
    return 0


def cmd_grade(args, style: Style) -> int:
    if args.submission or args.batch:      # pristine grading: tools/katalib/grading/
        from katalib.grading import cli as grading_cli
        return grading_cli.grade(args)
    out = Path(args.out) if args.out else Path(args.build) / "grade"
    snap = _snapshot(args, out / "junit.xml")
    _, md = grade.write(snap, out)
    sys.stdout.write(md)
    print(f"(written: {out / 'grade.md'}, {out / 'grade.json'}, JUnit XML {out / 'junit.xml'})")
    return 0


def cmd_scoreboard(args, style: Style) -> int:
    from katalib.grading import cli as grading_cli
    return grading_cli.scoreboard_cmd(args)


def cmd_check_stub(args, style: Style) -> int:
    ok, report = checkstub.check(Path(args.binary), args.exercise, timeout=args.timeout)
    sys.stdout.write(report)
    return 0 if ok else 1


# --- kata.py stats: the lines a learner writes per exercise (tools/katalib/stats.py)
def cmd_stats(args, style: Style) -> int:
    from katalib import stats
    sizes = stats.measure_all(args.root, manifest.load(args.root), args.chapter)
    sys.stdout.write(stats.markdown(sizes) if args.markdown else stats.table(sizes))
    if args.max is not None:
        big = stats.over(sizes, args.max)
        for s in big:
            print(f"over {args.max}: {s.exercise.key} {s.lines} lines", file=sys.stderr)
        return 1 if big else 0
    return 0


def add_stats_parser(sub) -> None:
    st = sub.add_parser("stats", help="per exercise, the code lines a learner writes (solution minus stub)")
    st.add_argument("--markdown", action="store_true", help="print a Markdown table (docs/exercise-sizes.md)")
    st.add_argument("--chapter", type=int, help="one chapter only")
    st.add_argument("--max", type=int, metavar="N", help="exit 1, listing them, if an exercise has more than N lines")
    st.set_defaults(func=cmd_stats)
# --- end of kata.py stats


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
    pr.add_argument("--make", action="store_true",
                    help="first configure if needed and build the exercises you touched plus the next one")
    pr.add_argument("--all", action="store_true",
                    help="build and run every exercise, untouched ones too (with --make: build them all)")
    pr.add_argument("--rerun", action="store_true", help="ignore the kept results: run the tests again")
    w = sub.add_parser("watch", help="one screen for the current exercise, rebuilt and retested on save")
    w.add_argument("exercise", nargs="?", help="start at this exercise (default: the next unfinished one)")
    with_build(w)
    w.add_argument("--interval", type=float, default=0.1, help="seconds between looks at your files (default 0.1)")
    w.add_argument("--lines", action="store_true", help="line mode: one result block per change (the default without a terminal)")
    r = sub.add_parser("reset", help="put an exercise's stubs back (your files are backed up first)")
    r.add_argument("exercise")
    r.add_argument("-y", "--yes", action="store_true", help="do not ask")
    with_build(r)
    cp = sub.add_parser("compare", help="diff your files against the reference (once the exercise passes)")
    cp.add_argument("exercise")
    cp.add_argument("--force", action="store_true", help="show it even though the exercise is not done")
    cp.add_argument("--make", action="store_true", help="build the exercise first")
    with_build(cp)
    h = sub.add_parser("hint", help="goal, hint and README hints of an exercise (default: the next one)")
    h.add_argument("exercise", nargs="?", help="e.g. ch1.ex01 (default: the next unfinished one)")
    h.add_argument("--run", action="store_true",
                   help="run the tests first (default: reuse the last results when every test has one)")
    with_build(h)
    sub.add_parser("list", help="every chapter and exercise in the manifest")
    g = sub.add_parser("grade", help="run the tests, write grade.md and grade.json")
    with_build(g)
    g.add_argument("--out", help="output directory (default: BUILD/grade)")
    from katalib.grading import arguments as grading_arguments
    grading_arguments.add_arguments(g)
    sb = sub.add_parser("scoreboard", help="merge results.json files (e.g. from students' CI runs) into a scoreboard")
    sb.add_argument("results", nargs="+", help="results.json files, or folders to search for them")
    sb.add_argument("--out", default="scoreboard", help="output directory (default: scoreboard)")
    c = sub.add_parser("check-stub", help="harness self-test: every test of a stub fails with 'not done yet'")
    c.add_argument("binary")
    c.add_argument("--exercise", required=True, help="chN.exNN, for the report")
    c.add_argument("--timeout", type=float, default=15.0, help="seconds per test before it counts as hung")
    t = sub.add_parser("targets", help="the CMake targets of the exercises (for make chapterN)")
    t.add_argument("--chapter", type=int)
    from katalib import playground_cli  # the JavaScript playground (playground/README.md)
    playground_cli.add_parser(sub)
    add_stats_parser(sub)   # kata.py stats
    from katalib.commands import check as check_command
    check_command.add_parser(sub)
    args = p.parse_args(argv)
    args.root = args.root.resolve()
    style = Style(args.color)
    handler = getattr(args, "func", None) or {"progress": cmd_progress, "hint": cmd_hint, "list": cmd_list, "grade": cmd_grade,
               "scoreboard": cmd_scoreboard, "check-stub": cmd_check_stub, "watch": cmd_watch, "reset": cmd_reset,
               "compare": cmd_compare, "targets": cmd_targets, "js": playground_cli.cmd_js}[args.command]
    try:
        return handler(args, style)
    except (ToolError, manifest.ManifestError) as err:
        print(f"kata.py {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:          # `kata.py compare ... | head`
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0


if __name__ == "__main__":
    sys.exit(main())
