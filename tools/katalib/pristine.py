"""Which exercises the learner has not touched: every `edit` file is
byte-identical to its pristine stub. Such an exercise is "not started"
without building or running anything.

The pristine stub is the committed chapters/ file:

  * in a git checkout, the blob of that path in KATA_PRISTINE_REF if set, else
    in the branch's upstream (origin/main of a fresh clone: your own commits
    do not become "the stub"), else in HEAD. The ref's tree listing is cached
    per commit in BUILD/kata/pristine-git.json, so a run costs one
    `git rev-parse` and a hash of the exercise files;
  * without git (a tarball), a copy of every `edit` file as first seen,
    written once to BUILD/kata/pristine/ (the first `make` of the tree); a
    file without a KATA_TODO is never recorded (every stub has one), so a
    record made after `make clean` does not take finished work for a stub.

The same record gives `kata.py reset` the stub's bytes back.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

from .manifest import Exercise

GIT_CACHE = "pristine-git.json"
COPY_DIR = "pristine"


def blob_id(data: bytes) -> str:
    """git's object id of a file with these bytes (what `git hash-object` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _git(root: Path, *args: str) -> subprocess.CompletedProcess | None:
    git = shutil.which("git")
    if not git:
        return None
    try:
        return subprocess.run([git, "-C", str(root), *args], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None


class Pristine:
    """The pristine stubs of one tree; `cache_dir` is BUILD/kata."""

    def __init__(self, root: Path, cache_dir: Path, exercises: list[Exercise]):
        self.root = root
        self.cache_dir = cache_dir
        self.exercises = exercises
        self.kind = "none"          # "git" or "copy" or "none"
        self.ref = ""
        self.commit = ""
        self._blobs: dict[str, str] = {}    # chapters/... → blob id
        self._load()

    # -- where the pristine versions come from ---------------------------
    def _load(self) -> None:
        if self._load_git():
            return
        self._load_copy()

    def _load_git(self) -> bool:
        if os.environ.get("KATA_PRISTINE", "") == "copy":   # tests: force the no-git path
            return False
        ref = os.environ.get("KATA_PRISTINE_REF", "")
        # One call: HEAD's commit, then the upstream's (missing without one).
        p = _git(self.root, "rev-parse", *( [f"{ref}^{{commit}}"] if ref else ["HEAD", "@{upstream}"]))
        if p is None:
            return False
        shas = [l for l in p.stdout.decode(errors="replace").split() if len(l) == 40]
        if ref:
            if p.returncode != 0 or not shas:
                return False
            self.ref, self.commit = ref, shas[0]
        elif len(shas) == 2:
            self.ref, self.commit = "@{upstream}", shas[1]
        elif shas:
            self.ref, self.commit = "HEAD", shas[0]
        else:
            return False
        cache = self.cache_dir / GIT_CACHE
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
            if data.get("commit") == self.commit:
                self._blobs, self.kind = data["blobs"], "git"
                return True
        except (OSError, ValueError, KeyError, TypeError):
            pass
        p = _git(self.root, "ls-tree", "-r", "-z", self.commit, "--", "chapters")
        if p is None or p.returncode != 0:
            return False
        blobs = {}
        for entry in p.stdout.decode("utf-8", "replace").split("\0"):
            meta, _, path = entry.partition("\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == "blob":
                blobs[path] = parts[2]
        self._blobs, self.kind = blobs, "git"
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(".tmp")
            tmp.write_text(json.dumps({"commit": self.commit, "ref": self.ref, "blobs": blobs}), encoding="utf-8")
            tmp.replace(cache)
        except OSError:
            pass
        return True

    def _load_copy(self) -> None:
        base = self.cache_dir / COPY_DIR
        index = base / "index.json"
        try:
            self._blobs = json.loads(index.read_text(encoding="utf-8"))["blobs"]
            self.kind = "copy"
            return
        except (OSError, ValueError, KeyError, TypeError):
            pass
        if not self.cache_dir.parent.is_dir():      # no build directory: record nothing yet
            return
        # First sight of this tree: record every edit file as it is now.
        blobs = {}
        try:
            for e in self.exercises:
                for rel in e.edit_files("chapters"):
                    src = self.root / rel
                    try:
                        data = src.read_bytes()
                    except OSError:
                        continue
                    if b"KATA_TODO" not in data:   # every stub has one: this is work, not a stub
                        continue
                    dst = base / rel
                    dst.parent.mkdir(parents=True, exist_ok=True)
                    dst.write_bytes(data)
                    blobs[rel] = blob_id(data)
            base.mkdir(parents=True, exist_ok=True)
            index.write_text(json.dumps({"recorded": time.strftime("%Y-%m-%d %H:%M:%S"), "blobs": blobs}),
                             encoding="utf-8")
            self._blobs, self.kind = blobs, "copy"
        except OSError:
            self._blobs, self.kind = {}, "none"

    def describe(self) -> str:
        if self.kind == "git":
            return f"git {self.ref} ({self.commit[:10]})"
        if self.kind == "copy":
            return f"the copy of the stubs in {self.cache_dir / COPY_DIR}"
        return "nothing (no git, no recorded copy): every exercise counts as touched"

    # -- questions ----------------------------------------------------------
    def is_pristine(self, rel: str) -> bool:
        want = self._blobs.get(rel)
        if want is None:
            return False
        try:
            return blob_id((self.root / rel).read_bytes()) == want
        except OSError:
            return False

    def untouched(self, e: Exercise) -> bool:
        files = e.edit_files("chapters")
        return bool(files) and all(self.is_pristine(f) for f in files)

    def untouched_keys(self, exercises: list[Exercise] | None = None) -> set[str]:
        return {e.key for e in (exercises or self.exercises) if self.untouched(e)}

    def content(self, rel: str) -> bytes | None:
        """The stub's bytes, for reset (None when unknown)."""
        want = self._blobs.get(rel)
        if want is None:
            return None
        if self.kind == "git":
            p = _git(self.root, "cat-file", "blob", want)
            return p.stdout if p is not None and p.returncode == 0 else None
        try:
            data = (self.cache_dir / COPY_DIR / rel).read_bytes()
            return data if blob_id(data) == want else None
        except OSError:
            return None
