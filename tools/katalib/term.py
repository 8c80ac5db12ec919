"""Colour on a terminal, plain text everywhere else (pipes, CI, NO_COLOR);
and text width as a terminal shows it (East Asian wide characters take two
columns), so tables stay aligned on lines with 中文."""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path

_CODES = {"green": "32", "red": "31", "yellow": "33", "blue": "34", "magenta": "35",
          "dim": "2", "bold": "1", "cyan": "36", "reverse": "7"}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Style:
    def __init__(self, mode: str = "auto", stream=None):
        stream = stream or sys.stdout
        if mode == "always":
            self.on = True
        elif mode == "never":
            self.on = False
        else:
            self.on = (hasattr(stream, "isatty") and stream.isatty()
                       and not os.environ.get("NO_COLOR")
                       and os.environ.get("TERM", "") != "dumb")

    def __call__(self, text: str, *styles: str) -> str:
        if not self.on or not styles:
            return text
        codes = ";".join(_CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


def char_width(ch: str) -> int:
    """Columns one character takes: 2 for wide and fullwidth (中, ，), 0 for
    combining marks and zero-width characters, 1 otherwise."""
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufeff":
        return 0
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cf") and ch not in "\t":
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width(text: str) -> int:
    """Display width of `text` (colour codes take no room)."""
    return sum(char_width(c) for c in _ANSI.sub("", text))


def ljust(text: str, columns: int) -> str:
    """`text` padded with spaces to `columns` display columns."""
    return text + " " * max(0, columns - width(text))


def truncate(text: str, columns: int, ellipsis: str = "\u2026") -> str:
    """`text` cut to at most `columns` display columns (plain text only)."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    room = columns - width(ellipsis)
    for c in text:
        w = char_width(c)
        if used + w > room:
            break
        out.append(c)
        used += w
    return "".join(out) + ellipsis


def display_path(path: Path, root: Path) -> str:
    """build/learner rather than /work/main/build/learner when under the repo or cwd."""
    p = path.resolve()
    for base in (Path.cwd().resolve(), root):
        try:
            return str(p.relative_to(base))
        except ValueError:
            pass
    return str(p)
