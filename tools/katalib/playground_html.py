"""`kata.py js FILE --html OUT.html`: one self-contained page (no network, no
server) that steps through the loop's trace with the arrow keys. The page
is playground/js/page.html with the trace, the source and the console
embedded as JSON."""
from __future__ import annotations

import html
import json
from pathlib import Path

KIND_OF_PHASE = {"timers": "timer", "check": "immediate", "poll": "fs", "main script": "main"}


def write(out: Path, root: Path, file: Path, node_run, loop_run, loop_name: str) -> None:
    template = (root / "playground" / "js" / "page.html").read_text(encoding="utf-8")
    trace = loop_run.trace or []
    out_text = "".join(l + "\n" for l in loop_run.stdout)
    # The trace counts console characters written so far: the page slices the console with them.
    data = {
        "file": str(file), "source": file.read_text(encoding="utf-8", errors="replace"), "trace": trace,
        "out": out_text, "node": node_run.stdout, "loop": loop_name,
        "start": trace[0]["now"] if trace else 0, "kindOf": KIND_OF_PHASE,
    }
    blob = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    page = template.replace("__TITLE__", html.escape(f"{file.name} on the {loop_name}")).replace("__DATA__", blob)
    out.write_text(page, encoding="utf-8")
