"""A submission: where it comes from (a folder or a git URL), which of its
files grading takes (the manifest's `edit` files, nothing else) and which of
its changes are ignored (tests, harness, given code, CMake, manifest...)."""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ToolError
from ..manifest import Exercise
from . import gitread

MAX_EDIT_BYTES = 1 << 20          # an edit file larger than this is not a source file
MAX_LISTED = 200                  # ignored files listed one by one in the reports
SKIP_TOP = {".git", "build"}      # a learner's build folder is not part of a submission


@dataclass
class Submission:
    spec: str                     # what was given: a path or a URL
    student: str
    files: Path                   # the submission's files on this machine
    commit: str = ""              # the graded commit, for git submissions
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)   # tree entries not written (links, unsafe paths)


def is_url(spec: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", spec)) or bool(re.match(r"^[\w.-]+@[\w.-]+:", spec))


def student_name(spec: str) -> str:
    """A folder's name; `owner/name` for a repository URL (every fork has the same name)."""
    if is_url(spec):
        parts = [p for p in re.split(r"[/:]", spec.rstrip("/")) if p]
        name = parts[-1][:-4] if parts[-1].endswith(".git") else parts[-1]
        return gitread.shown(f"{parts[-2]}/{name}" if len(parts) >= 2 else name)
    return gitread.shown(Path(spec).resolve().name)


def fetch(spec: str, work: Path, before: str | None = None, student: str | None = None) -> Submission:
    """A URL is cloned (bare) into `work`; a folder is read in place, or with
    `before` its last commit before that date is written out from a copy of
    its git database. Nothing of the submission runs, git included
    (gitread.py says why)."""
    name = student or student_name(spec)
    export = work / "checkout"
    if export.exists():
        shutil.rmtree(export)
    if is_url(spec):
        repo = gitread.clone(spec, work / "repo.git", full=bool(before))
        return _from_git(spec, name, repo, before, export)
    path = Path(spec).resolve()
    if not path.is_dir():
        raise ToolError(f"submission {spec}: no such folder (and not a git URL)")
    if before:
        if not os.path.lexists(path / ".git"):
            raise ToolError(f"submission {spec}: --before needs a git repository")
        repo = gitread.copy_repository(path / ".git", work / "repo.git")
        return _from_git(spec, name, repo, before, export)
    # The commit is named for reference only (the folder's files are graded
    # as they are); read as text, no git runs in the student's repository.
    return Submission(spec, name, path, gitread.read_head(path / ".git"))


def _from_git(spec: str, name: str, repo: Path, before: str | None, export: Path) -> Submission:
    try:
        commit = gitread.commit_before(repo, before) if before else gitread.head_commit(repo)
        if not commit:
            raise ToolError("the repository has no commit")
        # Only the files grading reads or lists (chapters/ ... all of it, to
        # list what was changed); the build folder a learner committed is not.
        tree = gitread.write_tree(repo, commit, export, keep=lambda rel: rel.split("/", 1)[0] not in SKIP_TOP)
    finally:
        shutil.rmtree(repo, ignore_errors=True)
    sub = Submission(spec, name, export, commit)
    sub.skipped = tree.skipped
    return sub


@dataclass
class Overlay:
    changed: dict[str, bytes]     # edit file (repo-relative) → the submission's content, where it differs
    unchanged: list[str]          # edit files equal to the stub (keep the pristine file and mtime)
    missing: list[str]            # edit files the submission lacks (the stub is used)
    ignored: list[str]            # everything else the submission changed, as "path" or "path (why)"
    ignored_total: int = 0


def overlay(pristine: Path, sub: Path, exercises: list[Exercise], all_edit: set[str]) -> Overlay:
    """Takes the edit files of `exercises` from `sub`; lists every other file
    of `sub` that differs from `pristine` as ignored. Symlinks and special
    files are never followed (a link to a file of the grader's machine must
    not be read as someone's solution)."""
    ov = Overlay({}, [], [], [])
    for ex in exercises:
        for rel in ex.edit_files("chapters"):
            p = sub / rel
            link = _link_on_path(sub, rel)
            if link:
                ignore(ov, f"{rel} (the path goes through the symlink {link}: the stub is used)")
                continue
            if not os.path.lexists(p):
                ov.missing.append(rel)
                continue
            if not p.is_file():
                ignore(ov, f"{rel} (not a regular file: the stub is used)")
                continue
            if p.stat().st_size > MAX_EDIT_BYTES:
                ignore(ov, f"{rel} (larger than {MAX_EDIT_BYTES} bytes: the stub is used)")
                continue
            data = p.read_bytes()
            if data == (pristine / rel).read_bytes():
                ov.unchanged.append(rel)
            else:
                ov.changed[rel] = data
    for rel, why in _differences(pristine, sub, all_edit):
        ignore(ov, f"{rel} ({why})" if why else rel)
    return ov


def _link_on_path(root: Path, rel: str) -> str:
    """The first component of `rel` under `root` that is a symlink (or ""):
    a folder that links elsewhere on the machine must not be read as the
    submission's, whichever component it is."""
    here = root
    for part in rel.split("/"):
        here = here / part
        if here.is_symlink():
            return str(here.relative_to(root))
        if not here.exists():
            return ""
    return ""


def ignore(ov: Overlay, entry: str) -> None:
    ov.ignored_total += 1
    if len(ov.ignored) < MAX_LISTED:
        ov.ignored.append(gitread.shown(entry))


def _differences(pristine: Path, sub: Path, skip: set[str]):
    """(path, why) for each file of `sub` that is not the pristine one."""
    for dirpath, dirnames, filenames in os.walk(sub):
        rel_dir = os.path.relpath(dirpath, sub)
        if rel_dir == ".":
            dirnames[:] = [d for d in dirnames if d not in SKIP_TOP]
            filenames = [f for f in filenames if f not in SKIP_TOP]   # a worktree's .git is a file
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                dirnames.remove(d)
                yield os.path.normpath(os.path.join(rel_dir, d)), "symlink"
        for f in sorted(filenames):
            rel = os.path.normpath(os.path.join(rel_dir, f))
            if rel in skip:
                continue
            p, q = Path(dirpath) / f, pristine / rel
            if p.is_symlink() or not p.is_file():
                yield rel, "not a regular file"
            elif not q.is_file():
                yield rel, "added"
            elif p.stat().st_size != q.stat().st_size or p.read_bytes() != q.read_bytes():
                yield rel, ""
