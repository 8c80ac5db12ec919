"""Per-exercise test results, kept in BUILD/kata/results/<key>.json and
reused while the exercise's binary is the same file (same mtime, size and
inode): `make` with nothing changed runs no test at all.

A record is valid only for exactly the tests ctest lists now, with the same
commands; a rebuild (which rewrites the binary) or a changed test list
invalidates it."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .ctest import TestResult

VERSION = 1


def _fingerprint(tests: list[TestResult]) -> list | None:
    """The files the tests run (the test binary; for scripts, the script too)."""
    files = set()
    for t in tests:
        if t.name.endswith("_NOT_BUILT") or not t.command:
            return None                       # nothing built: nothing worth keeping
        for arg in t.command:
            if isinstance(arg, str) and os.path.isabs(arg) and os.path.isfile(arg):
                files.add(arg)
    if not files:
        return None
    fp = []
    for f in sorted(files):
        try:
            st = os.stat(f)
        except OSError:
            return None
        fp.append([f, st.st_mtime_ns, st.st_size, st.st_ino])
    return fp


def _path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{key}.json"


def load(cache_dir: Path, key: str, listed: list[TestResult]) -> dict[str, TestResult]:
    """name → result for every listed test of `key`, or {} when the record is
    missing or stale."""
    if not listed:
        return {}
    fp = _fingerprint(listed)
    if fp is None:
        return {}
    try:
        data = json.loads(_path(cache_dir, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("version") != VERSION or data.get("fingerprint") != fp:
        return {}
    tests = data.get("tests", {})
    commands = {t.name: t.command for t in listed}
    if set(tests) != set(commands) or any(tests[n].get("command") != commands[n] for n in tests):
        return {}
    return {n: TestResult(name=n, status=r["status"], output=r.get("output", ""), detail=r.get("detail", ""))
            for n, r in tests.items()}


def load_unlisted(cache_dir: Path, key: str) -> dict[str, TestResult]:
    """The record of `key` without asking ctest for the test list: valid while
    the files its tests ran (the binary) are unchanged. A changed binary is
    also the only way gtest's discovered test list changes."""
    try:
        data = json.loads(_path(cache_dir, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("version") != VERSION or not data.get("tests"):
        return {}
    tests = data["tests"]
    listed = [TestResult(name=n, status="notrun", index=r.get("index", 0), command=r.get("command"))
              for n, r in tests.items()]
    if _fingerprint(listed) != data.get("fingerprint"):
        return {}
    return {n: TestResult(name=n, status=r["status"], output=r.get("output", ""), detail=r.get("detail", ""),
                          index=r.get("index", 0), command=r.get("command"))
            for n, r in tests.items()}


def store(cache_dir: Path, key: str, listed: list[TestResult], ran: dict[str, TestResult]) -> None:
    fp = _fingerprint(listed)
    if fp is None or not listed or any(t.name not in ran for t in listed):
        invalidate(cache_dir, key)
        return
    data = {"version": VERSION, "key": key, "fingerprint": fp,
            "tests": {t.name: {"status": ran[t.name].status, "output": ran[t.name].output,
                               "detail": ran[t.name].detail, "command": t.command, "index": t.index}
                      for t in listed}}
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = _path(cache_dir, key).with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(_path(cache_dir, key))
    except OSError:
        pass


def invalidate(cache_dir: Path, key: str) -> None:
    try:
        _path(cache_dir, key).unlink()
    except OSError:
        pass
