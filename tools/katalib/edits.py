"""The learner's own files of an exercise: put the stubs back (reset, with a
backup first) and compare them with the reference (compare)."""
from __future__ import annotations

import difflib
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from .manifest import Exercise
from .pristine import Pristine
from .term import Style

BACKUP_DIR = Path(".cache") / "kata-backup"     # git-ignored, and survives `make clean`


@dataclass
class ResetPlan:
    changed: list[str]          # chapters/... files that differ from the stub
    unknown: list[str]          # files whose stub is not known (no git, no copy)


def reset_plan(root: Path, e: Exercise, p: Pristine) -> ResetPlan:
    changed, unknown = [], []
    for rel in e.edit_files("chapters"):
        if p.is_pristine(rel):
            continue
        (changed if p.content(rel) is not None else unknown).append(rel)
    return ResetPlan(changed, unknown)


def reset(root: Path, e: Exercise, p: Pristine, plan: ResetPlan) -> Path:
    """Copies the changed files to a fresh backup folder, then writes the stubs.
    Returns the backup folder."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = root / BACKUP_DIR / f"{e.key}-{stamp}"
    n = 1
    while backup.exists():
        n += 1
        backup = root / BACKUP_DIR / f"{e.key}-{stamp}-{n}"
    stubs = {rel: p.content(rel) for rel in plan.changed}
    for rel in plan.changed:
        src = root / rel
        if src.exists():
            dst = backup / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    for rel, data in stubs.items():
        assert data is not None
        (root / rel).write_bytes(data)
    return backup


def diff(root: Path, e: Exercise, s: Style) -> tuple[str, int]:
    """Unified diff, reference (solutions/) → yours (chapters/); and how many
    files differ."""
    out, differing = [], 0
    for mine, ref in zip(e.edit_files("chapters"), e.edit_files("solutions")):
        try:
            a = (root / ref).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        except OSError:
            a = []
        try:
            b = (root / mine).read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)
        except OSError:
            b = []
        lines = list(difflib.unified_diff(a, b, fromfile=f"{ref} (reference)", tofile=f"{mine} (yours)"))
        if not lines:
            out.append(s(f"= {mine} is identical to the reference", "dim") + "\n")
            continue
        differing += 1
        for l in lines:
            if not l.endswith("\n"):
                l += "\n\\ No newline at end of file\n"
            if l.startswith(("---", "+++")):
                out.append(s(l.rstrip("\n"), "bold") + "\n")
            elif l.startswith("@@"):
                out.append(s(l.rstrip("\n"), "cyan") + "\n")
            elif l.startswith("-"):
                out.append(s(l.rstrip("\n"), "red") + "\n")
            elif l.startswith("+"):
                out.append(s(l.rstrip("\n"), "green") + "\n")
            else:
                out.append(l)
    return "".join(out), differing
