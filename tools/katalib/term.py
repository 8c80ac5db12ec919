"""Colour on a terminal, plain text everywhere else (pipes, CI, NO_COLOR)."""
from __future__ import annotations

import os
import sys

_CODES = {"green": "32", "red": "31", "yellow": "33", "blue": "34", "magenta": "35",
          "dim": "2", "bold": "1", "cyan": "36"}


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
