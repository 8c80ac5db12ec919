"""A whole class: every sub-folder of a folder, or every line of a list
(`PATH_OR_URL [student name]`, # comments), graded one after another on the
one shared base build. A submission that fails to build, hangs or crashes
gets the points of what passed and a note; the batch goes on."""
from __future__ import annotations

import json
import time
from pathlib import Path

from ..errors import ToolError
from . import scoreboard
from .single import Grader


def entries(spec: Path) -> list[tuple[str, str | None]]:
    if spec.is_dir():
        return [(str(d), None) for d in sorted(spec.iterdir()) if d.is_dir() and not d.name.startswith(".")]
    if spec.is_file():
        out = []
        for line in spec.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if line:
                parts = line.split(None, 1)
                out.append((parts[0], parts[1].strip() if len(parts) > 1 else None))
        return out
    raise ToolError(f"--batch {spec}: neither a folder nor a list file")


def run(grader: Grader, spec: Path, out: Path, log=print) -> tuple[list[dict], float]:
    subs = entries(spec)
    if not subs:
        raise ToolError(f"--batch {spec}: no submissions")
    start = time.monotonic()
    grader.ensure_base()
    rows, used = [], set()
    for i, (src, name) in enumerate(subs, 1):
        student = name or Path(src).name if not ("://" in src or "@" in src) else name
        one_start = time.monotonic()
        label = student or src
        slug = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in (student or src.rstrip("/").split("/")[-1]))
        while slug in used:
            slug += "_"
        used.add(slug)
        try:
            results = grader.grade(src, out / "submissions" / slug, student)
        except Exception as err:            # a grader bug must not stop the class
            results = {"score": 0, "tests": [], "extra_data": {"student": label,
                       "notes": [f"the grader failed on this submission: {err!r}"]}}
            (out / "submissions" / slug).mkdir(parents=True, exist_ok=True)
            (out / "submissions" / slug / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        r = scoreboard.row(results, label)
        rows.append(r)
        log(f"[{i}/{len(subs)}] {r['student']}: {scoreboard._fmt(r['total'])}/{scoreboard._fmt(r.get('max', 0))} "
            f"points, {r['done']}/{r['exercises']} done, {time.monotonic() - one_start:.0f} s"
            + (f" \u2014 {r['errors']}" if r["errors"] else ""))
    rows = scoreboard._unique(rows)
    scoreboard.write(out, rows)
    return rows, time.monotonic() - start
