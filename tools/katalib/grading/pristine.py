"""The pristine kata a submission is graded against: this checkout at a git
ref (default HEAD), exported with `git archive`, so nothing a submission or
an uncommitted edit changed is in it. `WORKTREE` exports the checkout's
files as they are (tracked and untracked, minus .gitignore'd) for developing
the kata itself; the self-tests use it so `make test` checks what is on disk.
"""
from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import tarfile
from pathlib import Path

from ..errors import ToolError

WORKTREE = "WORKTREE"
SKIP_TOP = {".git", "build"}
BUILD_INPUTS = {"CMakeLists.txt", "cmake", "harness", "chapters", "solutions", "manifest", "tests", "fuzz"}


def _git(root: Path, *args: str, binary: bool = False):
    # The kata checkout is the instructor's own, trusted by choice: as plain
    # root (a cron job) it may belong to another user, and git's "dubious
    # ownership" check would refuse it. Only this one folder is trusted;
    # a submission's repository never is (gitread.py).
    safe = ["-c", f"safe.directory={root.resolve()}"]
    proc = subprocess.run(["git", *safe, "-C", str(root), *args], capture_output=True, text=not binary)
    if proc.returncode != 0:
        err = proc.stderr if not binary else proc.stderr.decode(errors="replace")
        raise ToolError(f"git {' '.join(args)} failed in {root}: {err.strip()}")
    return proc.stdout


def resolve(root: Path, ref: str) -> str:
    """A commit id for `ref`, or a content hash of the work tree for WORKTREE."""
    if ref == WORKTREE:
        # Only what the build reads: editing docs or tools must not cost a new base.
        h = hashlib.sha256()
        for rel in worktree_files(root):
            if not _built(rel):
                continue
            h.update(rel.encode() + b"\0")
            h.update(hashlib.sha256((root / rel).read_bytes()).digest())
        return "worktree-" + h.hexdigest()[:16]
    return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()


def _built(rel: str) -> bool:
    """Whether the grader's build reads `rel` (tests/harness: only with KATA_SELFTEST)."""
    return rel.split("/", 1)[0] in BUILD_INPUTS and not rel.startswith("tests/harness/")


def refresh(root: Path, ref: str, dest: Path) -> None:
    """A reused WORKTREE base: the files its key leaves out (tools, docs ...)
    may have changed since `dest` was exported; bring them in line with the
    work tree, so a submission is compared with the kata as it is now. Built
    files are never touched (the key says they are the same)."""
    if ref != WORKTREE:
        return
    now = {rel for rel in worktree_files(root) if not _built(rel)}
    for f in [f for f in dest.rglob("*") if f.is_file() or f.is_symlink()]:
        rel = str(f.relative_to(dest))
        if not _built(rel) and rel not in now:
            f.unlink()
    for rel in sorted(now):
        target = dest / rel
        if target.is_file() and target.read_bytes() == (root / rel).read_bytes():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)


def worktree_files(root: Path) -> list[str]:
    if (root / ".git").exists():
        out = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        files = [f for f in out.split("\0") if f]
    else:
        files = [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]
    return sorted(f for f in set(files)
                  if f.split("/", 1)[0] not in SKIP_TOP and (root / f).is_file()
                  and not (root / f).is_symlink() and "__pycache__" not in f)


def export(root: Path, ref: str, dest: Path) -> str:
    """Writes the kata at `ref` into `dest` (created); returns resolve(ref)."""
    ident = resolve(root, ref)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    if ref == WORKTREE:
        for rel in worktree_files(root):
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / rel, target)
        return ident
    data = _git(root, "archive", "--format=tar", ident, binary=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for m in tar.getmembers():
            if not (m.isfile() or m.isdir() or m.issym()) or m.name.startswith(("/", "..")) or "/../" in m.name:
                continue
            tar.extract(m, dest, set_attrs=m.isfile() or m.isdir())
    return ident
