"""What the learner reads: the progress board, one exercise's hints, the list."""
from __future__ import annotations

import re
from pathlib import Path

from . import buildlog, failure
from .collect import Snapshot
from .manifest import Chapter, Exercise
from .status import DONE, IN_PROGRESS, NO_COMPILE, NOT_STARTED, ExerciseStatus
from .term import Style

MARK = {DONE: ("\u2713", "green"), IN_PROGRESS: ("\u2026", "yellow"),
        NOT_STARTED: ("\u00b7", "dim"), NO_COMPILE: ("\u2717", "red")}


def _fmt_points(p) -> str:
    return str(int(p)) if float(p).is_integer() else f"{p:g}"


def chapter_heading(c: Chapter, s: Style) -> str:
    zh = f" \u00b7 {c.title_zh}" if c.title_zh else ""
    return s(f"Chapter {c.number} \u00b7 {c.title}{zh}", "bold")


def exercise_title(e: Exercise) -> str:
    return f"{e.title} \u00b7 {e.title_zh}" if e.title_zh else e.title


def progress(snap: Snapshot, build_display: str, s: Style, chapter_only: bool = False) -> str:
    out = [s(f"evloop-kata \u2014 progress of {snap.tree}/ (build: {build_display})", "bold"), ""]
    if snap.config_errors:
        out.append(s("CMake could not configure the build, so nothing was rebuilt; the results below "
                     "come from the last good build:", "red", "bold"))
        out += [f"    {l}" for l in snap.config_errors]
        out.append("")
    by_key = snap.by_key()
    width = max((len(e.title) for c in snap.chapters for e in c.exercises), default=10)
    width = min(max(width, 12), 40)
    for c in snap.chapters:
        out.append(chapter_heading(c, s))
        if not c.exercises:
            out.append("  (no exercises yet)")
        for e in c.exercises:
            st = by_key[e.key]
            mark, colour = MARK[st.status]
            counts = f"{st.counts()} tests" if st.status != NO_COMPILE else st.why
            zh = f"  {e.title_zh}" if e.title_zh else ""
            out.append(f"  {s(mark, colour)} {e.key:<9} {e.title:<{width}}  "
                       f"{s(f'{st.status:<17}', colour)} {counts}{s(zh, 'dim') if zh else ''}")
        out.append("")
    done = sum(1 for st in snap.statuses if st.finished)
    total = len(snap.statuses)
    earned = sum(st.exercise.points for st in snap.statuses if st.finished)
    possible = sum(st.exercise.points for st in snap.statuses)
    scope = f"chapter {snap.chapters[0].number}: " if chapter_only and snap.chapters else ""
    out.append(s(f"{scope}{done}/{total} done", "bold") + f"  \u00b7  {_fmt_points(earned)}/{_fmt_points(possible)} points")
    if snap.unknown_tests:
        out.append(s(f"(ignored {len(snap.unknown_tests)} test(s) of exercises not in the manifest, "
                     f"e.g. {snap.unknown_tests[0]})", "dim"))
    nxt = next((st for st in snap.statuses if not st.finished), None)
    out.append("")
    if nxt is None:
        what = "This chapter is" if chapter_only else "All exercises"
        out.append(s(f"{what} done. \u5168\u90e8\u5b8c\u6210\uff01 `make grade` writes the report.", "green", "bold"))
    else:
        out += next_block(nxt, snap.tree, build_display, s, snap.root)
    return "\n".join(out) + "\n"


def next_block(st: ExerciseStatus, tree: str, build_display: str, s: Style,
               root: Path | None = None) -> list[str]:
    e = st.exercise
    prefix = f"{root}/" if root else None

    def rel(line: str) -> str:   # /work/main/chapters/x.cpp:3 → chapters/x.cpp:3
        return line.replace(prefix, "") if prefix else line
    out = [s(f"Next: {e.key} \u2014 {exercise_title(e)}", "bold", "cyan") + f"   ({st.status})"]
    out += _about(e, tree, s)
    if st.status == NO_COMPILE:
        out.append(s(f"  Does not compile: {st.why}.", "red"))
        errs = buildlog.first_errors(st.build_failures) if st.build_failures else []
        if errs:
            out.append("  First compiler messages:")
            out += [f"    {rel(l)}" for l in errs]
        else:
            out.append(f"  Build it to see why: cmake --build {build_display} --target {e.target}")
    else:
        first = st.first_failure()
        if first is not None:
            out.append(f"  First failing check ({first.name}):")
            msg = failure.first_message(first.output)
            if first.detail and first.detail.lower() not in ("failed", "passed"):
                msg = [f"[ctest: {first.detail}]"] + msg
            out += [f"    {s(rel(l), 'red') if i == 0 else rel(l)}" for i, l in enumerate(msg)]
    out.append(f"  Run it: ctest --test-dir {build_display} -R chapter{e.chapter}.{e.id} --output-on-failure")
    return out


def _about(e: Exercise, tree: str, s: Style) -> list[str]:
    files = e.edit_files(tree)
    out = [f"  Goal:  {e.goal}",
           f"  Read:  {e.readme(tree)}",
           f"  Edit:  {files[0] if files else '(see the README)'}"]
    out += [f"         {f}" for f in files[1:]]
    out.append(f"  Hint:  {s(e.hint, 'yellow')}")
    return out


def readme_hints(root: Path, e: Exercise, tree: str) -> list[str]:
    """The README's own numbered hints (English '## Hints' and 中文 '## 提示')."""
    path = root / e.readme(tree)
    if not path.exists():
        path = root / e.readme("solutions")
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    out, inside = [], False
    for line in lines:
        if re.match(r"^#{1,4}\s", line):
            inside = bool(re.match(r"^#{1,4}\s*(hints?|\u63d0\u793a)\b", line.strip(), re.I)) or \
                     bool(re.match(r"^#{1,4}\s*\u63d0\u793a", line.strip()))
            if inside:
                if out:
                    out.append("")
                out.append(line.lstrip("# ").strip())
            continue
        if inside and line.strip() and not line.startswith("---"):
            out.append("  " + line)
    return out


def hint(root: Path, e: Exercise, tree: str, st: ExerciseStatus | None, build_display: str, s: Style) -> str:
    if st is not None:
        out = next_block(st, tree, build_display, s, root)
    else:
        out = [s(f"{e.key} \u2014 {exercise_title(e)}", "bold", "cyan")] + _about(e, tree, s)
        out.append(f"  Run it: ctest --test-dir {build_display} -R chapter{e.chapter}.{e.id} --output-on-failure")
    more = readme_hints(root, e, tree)
    if more:
        out += ["", f"  From {e.readme(tree)}:"] + [f"  {l}" for l in more]
    return "\n".join(out) + "\n"


def listing(chapters: list[Chapter], tree: str, s: Style) -> str:
    out = []
    for c in chapters:
        out.append(chapter_heading(c, s) + s(f"   (manifest/chapter{c.number}.json)", "dim"))
        for e in c.exercises:
            zh = f" \u00b7 {e.title_zh}" if e.title_zh else ""
            out.append(f"  {e.key:<9} {e.title}{zh}  [{_fmt_points(e.points)} pts]")
            out.append(s(f"            {e.goal}", "dim"))
            out.append(s(f"            {tree}/{e.folder}/", "dim"))
        out.append("")
    n = sum(len(c.exercises) for c in chapters)
    pts = sum(e.points for c in chapters for e in c.exercises)
    out.append(f"{n} exercises in {len(chapters)} chapters, {_fmt_points(pts)} points")
    return "\n".join(out) + "\n"
