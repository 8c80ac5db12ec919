"""A submission: where it comes from (a folder or a git URL), which of its
files grading takes (the manifest's `edit` files, nothing else) and which of
its changes are ignored (tests, harness, given code, CMake, manifest...)."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ToolError
from ..manifest import Exercise

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


def is_url(spec: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*://", spec)) or bool(re.match(r"^[\w.-]+@[\w.-]+:", spec))


def student_name(spec: str) -> str:
    """A folder's name; `owner/name` for a repository URL (every fork has the same name)."""
    if is_url(spec):
        parts = [p for p in re.split(r"[/:]", spec.rstrip("/")) if p]
        name = parts[-1][:-4] if parts[-1].endswith(".git") else parts[-1]
        return f"{parts[-2]}/{name}" if len(parts) >= 2 else name
    return Path(spec).resolve().name


def _git(args: list[str], cwd: Path | None = None, timeout: float = 600) -> str:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true"}
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired as err:
        raise ToolError(f"git {args[0]} took longer than {timeout:.0f} s") from err
    if proc.returncode != 0:
        raise ToolError(f"git {' '.join(args[:2])} failed: {proc.stderr.strip()[-500:]}")
    return proc.stdout.strip()


def fetch(spec: str, work: Path, before: str | None = None, student: str | None = None) -> Submission:
    """A folder is read in place (or, with `before`, its last commit before that
    date is exported); a URL is cloned into `work`. Nothing of it is run here."""
    name = student or student_name(spec)
    if is_url(spec):
        checkout = work / "checkout"
        if checkout.exists():
            shutil.rmtree(checkout)
        depth = [] if before else ["--depth", "1"]
        _git(["clone", "--quiet", "--no-tags", *depth, "--", spec, str(checkout)])
        commit = _at_date(checkout, before) if before else _git(["rev-parse", "HEAD"], checkout)
        if before:
            _git(["-c", "advice.detachedHead=false", "checkout", "--quiet", commit], checkout)
        return Submission(spec, name, checkout, commit)
    path = Path(spec).resolve()
    if not path.is_dir():
        raise ToolError(f"submission {spec}: no such folder (and not a git URL)")
    if before:
        if not (path / ".git").exists():
            raise ToolError(f"submission {spec}: --before needs a git repository")
        commit = _at_date(path, before)
        export = work / "checkout"
        if export.exists():
            shutil.rmtree(export)
        export.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(path), "archive", "--format=tar", commit],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(export)], input=archive, check=True)
        return Submission(spec, name, export, commit)
    commit = ""
    if (path / ".git").exists():
        try:
            commit = _git(["rev-parse", "HEAD"], path)
        except ToolError:
            pass
    return Submission(spec, name, path, commit)


def _at_date(repo: Path, before: str) -> str:
    commit = _git(["rev-list", "-1", f"--before={before}", "HEAD"], repo)
    if not commit:
        raise ToolError(f"no commit before {before}")
    return commit


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
            if not os.path.lexists(p):
                ov.missing.append(rel)
                continue
            if p.is_symlink() or not p.is_file():
                _ignore(ov, f"{rel} (not a regular file: the stub is used)")
                continue
            if p.stat().st_size > MAX_EDIT_BYTES:
                _ignore(ov, f"{rel} (larger than {MAX_EDIT_BYTES} bytes: the stub is used)")
                continue
            data = p.read_bytes()
            if data == (pristine / rel).read_bytes():
                ov.unchanged.append(rel)
            else:
                ov.changed[rel] = data
    for rel, why in _differences(pristine, sub, all_edit):
        _ignore(ov, f"{rel} ({why})" if why else rel)
    return ov


def _ignore(ov: Overlay, entry: str) -> None:
    ov.ignored_total += 1
    if len(ov.ignored) < MAX_LISTED:
        ov.ignored.append(entry)


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
