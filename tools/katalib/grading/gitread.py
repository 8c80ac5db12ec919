"""Reads a submission's git history without running anything of it.

A student's repository is data, never configuration: its `.git/config`
(filters, fsmonitor, aliases, hooksPath), `.gitattributes` (smudge filters,
export-subst) and hooks all run commands as whoever runs git there — as root
on a grading machine. So the grader never runs git inside a student's
repository. It copies the object database and refs (regular files only; a
symlink or an alternates file is skipped) into a bare repository of its own,
or clones a URL into one (a clone takes no configuration from the remote),
and reads trees and blobs with `ls-tree` / `cat-file`, which apply no
filter and no attribute. Files are written with O_NOFOLLOW|O_EXCL under a
fresh folder the grader made, component by component: no path of a tree can
leave it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ToolError

MAX_GIT_BYTES = 2 << 30          # a .git folder larger than this is not copied
MAX_BLOB_BYTES = 4 << 20         # larger files are listed, not written (edit files are ≤ 1 MiB)
MAX_TREE_BYTES = 512 << 20       # what one submission may write in total


def _env() -> dict[str, str]:
    # The instructor's own global config is kept (credential helpers for
    # private forks); the system's and the repository's are never read from
    # the student: the repositories git runs in are the grader's.
    return {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "true", "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_ATTR_NOSYSTEM": "1", "GIT_NO_REPLACE_OBJECTS": "1", "GIT_OPTIONAL_LOCKS": "0",
            "LC_ALL": "C"}


SAFE = ["-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false", "-c", "protocol.ext.allow=never",
        "-c", "core.sshCommand=ssh -o BatchMode=yes"]


def git(args: list[str], repo: Path | None = None, timeout: float = 600, binary: bool = False,
        stdin: bytes | None = None):
    cmd = ["git", *SAFE]
    if repo is not None:
        cmd += ["-c", f"safe.directory={repo}", "--git-dir", str(repo)]
    try:
        proc = subprocess.run([*cmd, *args], capture_output=True, env=_env(), timeout=timeout, input=stdin)
    except subprocess.TimeoutExpired as err:
        raise ToolError(f"git {args[0]} took longer than {timeout:.0f} s") from err
    if proc.returncode != 0:
        raise ToolError(f"git {' '.join(args[:2])} failed: "
                        f"{proc.stderr.decode('utf-8', 'replace').strip()[-500:]}")
    return proc.stdout if binary else proc.stdout.decode("utf-8", "replace").strip()


def clone(url: str, dest: Path, full: bool) -> Path:
    """A bare clone of `url` (full history for --before, else depth 1)."""
    if dest.exists():
        shutil.rmtree(dest)
    depth = [] if full else ["--depth", "1"]
    git(["clone", "--bare", "--quiet", "--no-tags", *depth, "--", url, str(dest)])
    return dest


def _regular(path: Path) -> bool:
    try:
        return path.is_file() and not path.is_symlink()
    except OSError:
        return False


def copy_repository(src_git: Path, dest: Path) -> Path:
    """The objects and refs of `src_git` (a .git folder) in a bare repository
    the grader owns; nothing else of it (no config, hooks, info, index)."""
    if src_git.is_symlink() or not src_git.is_dir():
        raise ToolError("its .git is not a folder of its own (a link, or a worktree's pointer to another "
                        "repository): copy the repository itself")
    total = 0
    for dirpath, _dirs, files in os.walk(src_git):
        for f in files:
            try:
                total += os.lstat(os.path.join(dirpath, f)).st_size
            except OSError:
                pass
        if total > MAX_GIT_BYTES:
            raise ToolError(f"its .git folder is larger than {MAX_GIT_BYTES >> 30} GiB")
    if dest.exists():
        shutil.rmtree(dest)
    git(["init", "--quiet", "--bare", str(dest)])
    for top in ("objects", "refs"):
        for dirpath, dirnames, filenames in os.walk(src_git / top):
            rel = os.path.relpath(dirpath, src_git)
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            for f in filenames:
                if rel == os.path.join("objects", "info"):
                    continue                      # alternates: other repositories of the machine
                p = Path(dirpath) / f
                if not _regular(p):
                    continue
                target = dest / rel / f
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(p, target, follow_symlinks=False)
    for f in ("packed-refs", "HEAD"):
        if _regular(src_git / f):
            shutil.copyfile(src_git / f, dest / f, follow_symlinks=False)
    return dest


def read_head(src_git: Path) -> str:
    """The commit HEAD names in a .git folder, read as text (regular files
    only), or "" — for the report of a folder graded as it is."""
    def text(p: Path) -> str:
        return p.read_text(encoding="utf-8", errors="replace").strip() if _regular(p) else ""
    try:
        head = text(src_git / "HEAD")
        if re.fullmatch(r"[0-9a-f]{40}", head):
            return head
        ref = head.removeprefix("ref: ").strip()
        if not ref.startswith("refs/") or safe_parts(ref) is None:
            return ""
        direct = text(src_git / ref)
        if re.fullmatch(r"[0-9a-f]{40}", direct):
            return direct
        for line in text(src_git / "packed-refs").splitlines():
            sha, _, name = line.partition(" ")
            if name == ref and re.fullmatch(r"[0-9a-f]{40}", sha):
                return sha
    except OSError:
        pass
    return ""


def head_commit(repo: Path) -> str:
    return git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], repo)


def commit_before(repo: Path, before: str) -> str:
    commit = git(["rev-list", "-1", f"--before={before}", "HEAD"], repo)
    if not commit:
        raise ToolError(f"no commit before {before}")
    return commit


def shown(rel: str) -> str:
    """A path as reports show it: bytes that are not UTF-8 escaped (\\xNN)."""
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


_BAD_PART = re.compile(r"^(|\.|\.\.|\.git)$", re.IGNORECASE)


def safe_parts(rel: str) -> list[str] | None:
    """The components of a tree path, or None when one could leave the folder."""
    parts = rel.split("/")
    if any(_BAD_PART.match(p) or "\0" in p for p in parts):
        return None
    return parts


@dataclass
class Tree:
    written: int = 0
    skipped: list[str] = field(default_factory=list)      # "path (why)", shown()


def write_tree(repo: Path, commit: str, dest: Path, keep=lambda rel: True) -> Tree:
    """The files of `commit` under `dest` (created, must not exist): regular
    files only; symlinks, submodules, oversized blobs and unsafe paths are
    listed in `skipped`. `keep(rel)` chooses which files are written."""
    out = Tree()
    dest.mkdir(parents=True)
    listing = git(["ls-tree", "-r", "-z", "--full-tree", "-l", commit], repo, binary=True)
    wanted: list[tuple[str, str, list[str]]] = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw = entry.partition(b"\t")
        mode, kind, sha, size = meta.split()[:4]
        rel = os.fsdecode(raw)
        parts = safe_parts(rel)
        if parts is None:
            out.skipped.append(f"{shown(rel)} (an unsafe path)")
            continue
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            why = "a symlink: not followed" if mode == b"120000" else "not a regular file"
            out.skipped.append(f"{shown(rel)} ({why})")
            continue
        if not keep(rel):
            continue
        if int(size) > MAX_BLOB_BYTES:
            out.skipped.append(f"{shown(rel)} (larger than {MAX_BLOB_BYTES >> 20} MiB)")
            continue
        wanted.append((sha.decode(), rel, parts))
    if not wanted:
        return out
    data = git(["cat-file", "--batch"], repo, binary=True,
               stdin="".join(f"{sha}\n" for sha, _, _ in wanted).encode())
    pos = 0
    for sha, rel, parts in wanted:
        nl = data.index(b"\n", pos)
        header = data[pos:nl].split()
        size = int(header[2])
        blob = data[nl + 1:nl + 1 + size]
        pos = nl + 1 + size + 1
        if out.written + size > MAX_TREE_BYTES:
            out.skipped.append(f"{shown(rel)} (the submission is larger than {MAX_TREE_BYTES >> 20} MiB)")
            continue
        _write(dest, parts, blob)
        out.written += size
    return out


def _write(dest: Path, parts: list[str], data: bytes) -> None:
    """Creates dest/parts... without following any link: every folder on the
    way is one this function made (O_EXCL never reuses what exists)."""
    fd = os.open(dest, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for part in parts[:-1]:
            try:
                os.mkdir(part, 0o755, dir_fd=fd)
            except FileExistsError:
                pass
            nfd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = nfd
        ffd = os.open(parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644, dir_fd=fd)
        with os.fdopen(ffd, "wb") as f:
            f.write(data)
    finally:
        os.close(fd)
