"""`kata.py stats`: how much code a learner writes, per exercise.

For each `edit` file of an exercise, the written lines are the lines of the
solutions/ version that are not in the chapters/ stub: both files lose their
blank lines and comment-only lines (`// …`, and the lines of a `/* … */`
block with no code outside it), the rest is compared with difflib on lines
stripped of leading and trailing whitespace (re-indenting a line does not
count), and every solution line in an `insert` or `replace` opcode counts.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import Chapter, Exercise
from .term import ljust, width


def code_lines(text: str) -> list[str]:
    """The lines of C++ `text` that hold code, stripped; blank and comment-only lines dropped."""
    out, in_block = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if in_block:
            end = line.find("*/")
            if end < 0:
                continue
            in_block = False
            line = line[end + 2:].strip()
        # A line that opens a block comment: code before it keeps the line.
        while line.startswith("/*"):
            end = line.find("*/", 2)
            if end < 0:
                in_block = True
                line = ""
                break
            line = line[end + 2:].strip()
        if not line or line.startswith("//"):
            continue
        if "/*" in line and "*/" not in line[line.index("/*"):] and '"' not in line:
            in_block = True          # `code; /* comment…` continues on later lines
        out.append(line)
    return out


def added_lines(stub: str, solution: str) -> int:
    """Code lines of `solution` that are not in `stub` (see the module docstring)."""
    a, b = code_lines(stub), code_lines(solution)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(j2 - j1 for op, _i1, _i2, j1, j2 in sm.get_opcodes() if op in ("insert", "replace"))


@dataclass
class ExerciseSize:
    exercise: Exercise
    files: list[tuple[str, int]] = field(default_factory=list)   # (file name, written lines)
    missing: list[str] = field(default_factory=list)              # edit files without a solution

    @property
    def lines(self) -> int:
        return sum(n for _, n in self.files)


def measure(root: Path, e: Exercise) -> ExerciseSize:
    size = ExerciseSize(e)
    for name in e.edit:
        stub = root / "chapters" / e.folder / name
        sol = root / "solutions" / e.folder / name
        if not sol.exists():
            size.missing.append(name)
            continue
        stub_text = stub.read_text(encoding="utf-8") if stub.exists() else ""
        size.files.append((name, added_lines(stub_text, sol.read_text(encoding="utf-8"))))
    return size


def measure_all(root: Path, chapters: list[Chapter], chapter: int | None = None) -> list[ExerciseSize]:
    return [measure(root, e) for c in chapters if chapter is None or c.number == chapter for e in c.exercises]


def _title(e: Exercise) -> str:
    return f"{e.title} / {e.title_zh}" if e.title_zh else e.title


def _files(s: ExerciseSize) -> str:
    parts = [f"{name} {n}" for name, n in s.files] + [f"{name} (no solution)" for name in s.missing]
    return ", ".join(parts)


HEADER = ("exercise", "title", "lines", "files")


def rows(sizes: list[ExerciseSize]) -> list[tuple[str, str, str, str]]:
    return [(s.exercise.key, _title(s.exercise), str(s.lines), _files(s)) for s in sizes]


def table(sizes: list[ExerciseSize]) -> str:
    """Plain columns, aligned by display width (中文 counts two columns); lines right-aligned."""
    body = rows(sizes)
    total = sum(s.lines for s in sizes)
    all_rows = [HEADER] + body + [("total", "", str(total), "")]
    w = [max(width(r[i]) for r in all_rows) for i in range(3)]
    out = []
    for r in all_rows:
        num = " " * (w[2] - width(r[2])) + r[2]
        out.append(f"{ljust(r[0], w[0])}  {ljust(r[1], w[1])}  {num}  {r[3]}".rstrip())
    return "\n".join(out) + "\n"


def markdown(sizes: list[ExerciseSize]) -> str:
    """The same as a Markdown table (cells padded by display width, so the source reads too)."""
    body = [tuple(c.replace("|", "\\|").replace("<", "\\<") for c in r) for r in rows(sizes)]
    total = sum(s.lines for s in sizes)
    all_rows = [HEADER] + body + [("**total**", "", f"**{total}**", "")]
    w = [max(3, max(width(r[i]) for r in all_rows)) for i in range(4)]

    def line(r, right=(2,)):
        cells = [(" " * (w[i] - width(c)) + c) if i in right else ljust(c, w[i]) for i, c in enumerate(r)]
        return "| " + " | ".join(cells) + " |"

    sep = "| " + " | ".join(("-" * (w[i] - 1) + ":") if i == 2 else "-" * w[i] for i in range(4)) + " |"
    return "\n".join([line(all_rows[0], right=()), sep] + [line(r) for r in all_rows[1:]]) + "\n"


def over(sizes: list[ExerciseSize], limit: int) -> list[ExerciseSize]:
    return [s for s in sizes if s.lines > limit]
