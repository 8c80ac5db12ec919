"""What the learner reads: the progress board, one exercise's hints, the list."""
from __future__ import annotations

import re
from pathlib import Path

from . import buildlog, failure
from .collect import Snapshot
from .manifest import Chapter, Exercise
from .status import DONE, IN_PROGRESS, NO_COMPILE, NOT_STARTED, ExerciseStatus
from .term import Style, ljust, truncate, width as text_width

MARK = {DONE: ("\u2713", "green"), IN_PROGRESS: ("\u2026", "yellow"),
        NOT_STARTED: ("\u00b7", "dim"), NO_COMPILE: ("\u2717", "red")}


def _fmt_points(p) -> str:
    return str(int(p)) if float(p).is_integer() else f"{p:g}"


def chapter_heading(c: Chapter, s: Style) -> str:
    zh = f" \u00b7 {c.title_zh}" if c.title_zh else ""
    return s(f"Chapter {c.number} \u00b7 {c.title}{zh}", "bold")


def exercise_title(e: Exercise) -> str:
    return f"{e.title} \u00b7 {e.title_zh}" if e.title_zh else e.title


def status_table(chapters: list[Chapter], by_key: dict[str, ExerciseStatus | None], s: Style,
                 current: str | None = None) -> list[str]:
    """One line per exercise, columns aligned by display width (中文 = 2)."""
    out = []
    width = max((text_width(e.title) for c in chapters for e in c.exercises), default=10)
    width = min(max(width, 12), 52)
    for c in chapters:
        out.append(chapter_heading(c, s))
        if not c.exercises:
            out.append("  (no exercises yet)")
        for e in c.exercises:
            st = by_key.get(e.key)
            if st is None:
                mark, colour, word, counts = "?", "dim", "checking…", ""
            else:
                mark, colour = MARK[st.status]
                word = st.status
                counts = st.why if st.status == NO_COMPILE or st.untouched else f"{st.counts()} tests"
            zh = f"  {e.title_zh}" if e.title_zh else ""
            here = s("▸", "bold", "cyan") if current == e.key else " "
            out.append(f" {here}{s(mark, colour)} {ljust(e.key, 9)} {ljust(truncate(e.title, width), width)}  "
                       f"{s(ljust(word, 17), colour)} {counts}{s(zh, 'dim') if zh else ''}".rstrip())
        out.append("")
    return out


def first_todo(root: Path, e: Exercise) -> str | None:
    """The first KATA_TODO of the exercise's stubs, as the test would report it."""
    for rel in e.edit_files("chapters"):
        try:
            lines = (root / rel).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        for i, line in enumerate(lines, 1):
            m = re.search(r'KATA_TODO\(\s*"((?:[^"\\]|\\.)*)"', line)
            if m and not line.lstrip().startswith(("//", "#define")):
                return f"{NOT_DONE_PREFIX}{rel}:{i} \u2014 {m.group(1)}"
    return None


NOT_DONE_PREFIX = "not done yet: "


def progress(snap: Snapshot, build_display: str, s: Style, chapter_only: bool = False) -> str:
    out = [s(f"evloop-kata \u2014 progress of {snap.tree}/ (build: {build_display})", "bold"), ""]
    if snap.config_errors:
        out.append(s("CMake could not configure the build, so nothing was rebuilt; the results below "
                     "come from the last good build:", "red", "bold"))
        out += [f"    {l}" for l in snap.config_errors]
        out.append("")
    out += status_table(snap.chapters, snap.by_key(), s)
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
    out = [s(f"Next: {e.key} \u2014 {exercise_title(e)}", "bold", "cyan") + f"   ({st.status})"]
    out += _about(e, tree, s)
    out += check_lines(st, build_display, s, root)
    out.append(f"  Run it: ctest --test-dir {build_display} -R chapter{e.chapter}.{e.id} --output-on-failure")
    return out


def check_lines(st: ExerciseStatus, build_display: str, s: Style, root: Path | None = None) -> list[str]:
    """Why an exercise is not done: the compiler's first errors, or its first
    failing check (the 'not done yet' line, the order diff, the hang or crash)."""
    e = st.exercise
    prefix = f"{root}/" if root else None

    def rel(line: str) -> str:   # /work/main/chapters/x.cpp:3 → chapters/x.cpp:3
        return line.replace(prefix, "") if prefix else line
    out = []
    if st.status == NO_COMPILE:
        out.append(s(f"  Does not compile: {st.why}.", "red"))
        errs = buildlog.first_errors(st.build_failures) if st.build_failures else []
        if errs:
            out.append("  First compiler messages:")
            out += [f"    {rel(l)}" for l in errs]
        else:
            out.append(f"  Build it to see why: cmake --build {build_display} --target {e.target}")
    elif st.untouched and not st.tests and root is not None:
        todo = first_todo(root, e)
        out.append("  Not started: your files are the stubs as committed (nothing was built or run).")
        if todo:
            out.append("  First thing to write:")
            out.append(f"    {s(todo, 'red')}")
    else:
        first = st.first_failure()
        if first is not None:
            out.append(f"  First failing check ({first.name}):")
            msg = failure.first_message(first.output)
            if first.detail and first.detail.lower() not in ("failed", "passed"):
                msg = [f"[ctest: {first.detail}]"] + msg
            out += [f"    {s(rel(l), 'red') if i == 0 else rel(l)}" for i, l in enumerate(msg)]
    return out


def _about(e: Exercise, tree: str, s: Style, hint: bool = True) -> list[str]:
    files = e.edit_files(tree)
    out = [f"  Goal:  {e.goal}",
           f"  Read:  {e.readme(tree)}",
           f"  Edit:  {files[0] if files else '(see the README)'}"]
    out += [f"         {f}" for f in files[1:]]
    given = [f for f in e.given_files() if not f.endswith("README.md")]
    if given:
        out.append(f"  Given: {given[0]}" + (f"  (+{len(given) - 1} more in the folder)" if len(given) > 1 else ""))
    if hint:
        out.append(f"  Hint:  {s(e.hint, 'yellow')}")
    return out


def readme_hints(root: Path, e: Exercise, tree: str) -> list[str]:
    """The README's own numbered hints (English '## Hints' and 中文 '## 提示')."""
    path = root / e.readme(tree)
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
            out.append(f"  {ljust(e.key, 9)} {e.title}{zh}  [{_fmt_points(e.points)} pts]")
            out.append(s(f"            {e.goal}", "dim"))
            out.append(s(f"            {tree}/{e.folder}/", "dim"))
        out.append("")
    n = sum(len(c.exercises) for c in chapters)
    pts = sum(e.points for c in chapters for e in c.exercises)
    out.append(f"{n} exercises in {len(chapters)} chapters, {_fmt_points(pts)} points")
    return "\n".join(out) + "\n"


def reference_files(e: Exercise) -> list[str]:
    return e.edit_files("solutions")


def done_lines(e: Exercise, s: Style, kata: str = "python3 tools/kata.py") -> list[str]:
    """What a finished exercise shows: the reference to compare with, and how."""
    out = [s(f"  done \u2713  {e.key} passes every test.", "green", "bold"),
           "  Compare your code with the reference:"]
    out += [f"    {f}" for f in reference_files(e)]
    out.append(f"  The diff: {kata} compare {e.key}")
    out.append(f"  A grade also runs hidden checks (programs generated from a seed): {kata} check {e.key}")
    return out
