"""A whole class: every sub-folder of a folder, or every line of a list
(`PATH_OR_URL [student name]`, # comments), graded one after another on the
one shared base build. A submission that fails to build, hangs or crashes
gets the points of what passed and a note; the batch goes on. Once all
are graded, each row gets the instructor's columns `flags` and `similar`
(flags.py, similarity.py): information, never a score."""
from __future__ import annotations

import json
import time
from pathlib import Path

from .. import manifest
from ..errors import ToolError
from . import flags, scoreboard, similarity
from .single import Grader
from .slug import safe_slug

MAX_EDIT_FILE = 1 << 20          # the grader ignores larger edit files (docs/grading.md)


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
    points = scoreboard.points_of(grader.chapters)       # the pristine manifest at REF
    rows, slugs, rejected, used = [], [], [], set()
    for i, (src, name) in enumerate(subs, 1):
        student = name or Path(src).name if not ("://" in src or "@" in src) else name
        one_start = time.monotonic()
        label = student or src
        slug = safe_slug(student or src.rstrip("/").split("/")[-1])
        while slug.casefold() in used:                   # (Bob and bob are one folder on macOS)
            slug += "_"
        used.add(slug.casefold())
        try:
            results = grader.grade(src, out / "submissions" / slug, student)
        except Exception as err:            # a grader bug must not stop the class
            results = {"score": 0, "tests": [], "extra_data": {"student": label,
                       "notes": [f"the grader failed on this submission: {err!r}"]}}
            (out / "submissions" / slug).mkdir(parents=True, exist_ok=True)
            (out / "submissions" / slug / "results.json").write_text(json.dumps(results, indent=2) + "\n")
        why = scoreboard.check(results, points)
        if why:                             # the grader's own output: a grader bug, shown, not merged
            rejected.append(f"submissions/{slug}/results.json: {why}")
            log(f"[{i}/{len(subs)}] {label}: results rejected: {why}")
            continue
        r = scoreboard.row(results, label)
        rows.append(r)
        slugs.append(slug)
        log(f"[{i}/{len(subs)}] {r['student']}: {scoreboard._fmt(r['total'])}/{scoreboard._fmt(r.get('max', 0))} "
            f"points, {r['done']}/{r['exercises']} done, {time.monotonic() - one_start:.0f} s"
            + (f" \u2014 {r['errors']}" if r["errors"] else ""))
    rows = scoreboard._unique(rows)
    similar = _flags_and_similarity(grader, out, rows, slugs, log)
    scoreboard.write(out, rows, rejected, similar)
    return rows, time.monotonic() - start


def _edit_paths(grader: Grader) -> list[str]:
    return [f for e in manifest.all_exercises(grader.chapters) for f in e.edit_files("chapters")]


def submitted(folder: Path, paths: list[str]) -> dict[str, bytes]:
    """The edit files the grader kept of one submission (`<out>/submission/
    <repo-relative path>`; only those that differ from the stub). Absent
    files are simply left out; a link or a path leading outside `folder` is
    never read."""
    out = {}
    top = folder.resolve()
    for rel in paths:
        p = folder / rel
        try:
            if p.is_symlink() or not p.is_file() or not p.resolve().is_relative_to(top):
                continue
            if p.stat().st_size <= MAX_EDIT_FILE:
                out[rel] = p.read_bytes()
        except OSError:
            continue
    return out


def _flags_and_similarity(grader: Grader, out: Path, rows: list[dict], slugs: list[str], log) -> list:
    """Adds the columns `flags` (how many, flags.scan) and `similar` (the
    classmate whose edit files are most alike, similarity.pairs) to the rows;
    returns the similar pairs for scoreboard.md. Information only: no score
    changes."""
    paths = _edit_paths(grader)
    stubs = submitted(grader.base.src, paths) if grader.base else {}     # the pristine kata at REF
    by_student: dict[str, dict[str, bytes]] = {}
    for r, slug in zip(rows, slugs):
        files = submitted(out / "submissions" / slug / "submission", paths)
        by_student[r["student"]] = files
        r["flags"] = flags.count(flags.scan(files))
    found = similarity.pairs(by_student, stubs)
    best = similarity.best_matches(found)
    for r in rows:
        other = best.get(r["student"])
        r["similar"] = f"{other[0]} {other[1]:.2f}" if other else ""
    if found:
        log(f"similar submissions: {len(found)} pair(s) of edit files above {similarity.THRESHOLD:.0%}")
    return found
