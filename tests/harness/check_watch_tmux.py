#!/usr/bin/env python3
"""`make watch` driven like a person drives it, in tmux.

    check_watch_tmux.py <repo-root> <work-dir>

Copies the kata (its git-tracked and untracked-but-not-ignored files, no
build/) to <work-dir>/kata as a fresh git checkout, starts `make watch` in a
detached tmux session, and reads the screen with capture-pane:

  1. the first screen shows ch1.ex01 and its first failing check;
  2. the reference solution is written over ch1.ex01's file: the screen turns
     to "done ✓" (the seconds it took are printed);
  3. n → ch1.ex02; h → its README's hints;
  4. ch1.ex02's file is edited, x → the reset question, y → the stub is back
     byte for byte and the learner's file is in the backup folder;
  5. q → watch exits; then `make` shows exactly ch1.ex01 as done.

Builds two exercises (ch1_ex01, ch1_ex02) and the harness. Leaves no tmux
server behind (its own socket, killed at the end).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve()
WORK = Path(sys.argv[2]).resolve()
SOCKET = f"kata-watch-{os.getpid()}"
problems: list[str] = []


class Abort(Exception):
    """A step failed: the later ones would only fail after it."""


def tmux(*args: str, check: bool = True) -> str:
    p = subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, encoding="utf-8",
                       errors="replace")
    if check and p.returncode != 0:
        raise RuntimeError(f"tmux {' '.join(args)}: {p.stderr.strip()}")
    return p.stdout


def screen() -> str:
    return tmux("capture-pane", "-p", "-t", "kata", check=False)


def wait_for(pattern: str, timeout: float, what: str) -> float | None:
    """Seconds until the screen matches `pattern`, or None (recorded as a problem)."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if re.search(pattern, screen(), re.M):
            return time.monotonic() - t0
        time.sleep(0.2)
    problems.append(f"{what}: /{pattern}/ not on the screen within {timeout:.0f} s")
    return None


def copy_tree(dst: Path) -> None:
    if (ROOT / ".git").exists() and shutil.which("git"):
        p = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "-co", "--exclude-standard"],
                           capture_output=True, check=True)
        for rel in p.stdout.decode().split("\0"):
            if not rel or rel.startswith("build/"):
                continue
            src = ROOT / rel
            if src.is_file():
                (dst / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst / rel)
    else:
        shutil.copytree(ROOT, dst, ignore=shutil.ignore_patterns("build", ".git", ".cache"), dirs_exist_ok=True)
    if not shutil.which("git"):
        return                       # a tarball: the stubs are recorded as first seen (pristine.py)
    g = ["git", "-C", str(dst), "-c", "user.name=kata", "-c", "user.email=kata@example.invalid"]
    subprocess.run(["git", "-C", str(dst), "init", "-q"], check=True)
    subprocess.run(g + ["add", "-A"], check=True)
    subprocess.run(g + ["commit", "-q", "-m", "fresh clone"], check=True)


def exercise(root: Path, key: str) -> tuple[str, list[str]]:
    ch, ex = key[2:].split(".")
    data = json.loads((root / "manifest" / f"chapter{ch}.json").read_text(encoding="utf-8"))
    e = next(x for x in data["exercises"] if x["id"] == ex)
    return f"{data['slug']}/{e['id']}-{e['slug']}", e["edit"]


def main() -> int:
    if not shutil.which("tmux"):
        print("FAIL harness.watch.tmux: tmux is not installed (scripts/install-deps.sh installs it)")
        return 1
    if WORK.exists():
        shutil.rmtree(WORK)
    kata = WORK / "kata"
    kata.mkdir(parents=True)
    copy_tree(kata)
    total = sum(len(json.loads(m.read_text(encoding="utf-8")).get("exercises", []))
                for m in (kata / "manifest").glob("chapter*.json"))
    folder1, edit1 = exercise(kata, "ch1.ex01")
    folder2, edit2 = exercise(kata, "ch1.ex02")
    mine1 = kata / "chapters" / folder1 / edit1[0]
    mine2 = kata / "chapters" / folder2 / edit2[0]
    stub2 = mine2.read_bytes()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    timings = {}
    try:
        tmux("-f", "/dev/null", "new-session", "-d", "-s", "kata", "-x", "120", "-y", "50",
             "-c", str(kata), "env", f"PATH={env.get('PATH', '')}", "TERM=xterm-256color",
             "bash", "--norc", "--noprofile", "-c", "make watch; echo WATCH-EXITED $?; sleep 600")
        # 1. the first screen, then (after configure + the first build) the first failing check
        t = wait_for(r"ch1\.ex01 — ", 120, "first screen")
        timings["first screen"] = t
        # the first result (configure + build + tests): the footer then says "built in ... s"
        t = wait_for(r"built in [0-9.]+ s, tests", 900, "first result")
        timings["first result"] = t
        if t is None or not re.search(r"First failing check \(chapter1\.ex01\.", screen()):
            problems.append("the first result does not show ch1.ex01's first failing check")
            raise Abort()
        # 2. the learner writes the solution (as an editor would: the whole file at once)
        time.sleep(0.5)
        for f in edit1:
            shutil.copy(kata / "solutions" / folder1 / f, kata / "chapters" / folder1 / f)
        t = wait_for(r"done ✓", 300, "save → done")
        timings["save → done ✓"] = t
        if t is None:
            raise Abort()
        s = screen()
        for needle in [f"solutions/{folder1}/{edit1[0]}", "compare ch1.ex01", f"1/{total} done"]:
            if needle not in s:
                problems.append(f"done screen lacks {needle!r}")
        # 3. n → the next exercise, h → its hints
        tmux("send-keys", "-t", "kata", "n")
        if wait_for(r"^ch1\.ex02 — ", 10, "n → ch1.ex02") is None:
            raise Abort()
        tmux("send-keys", "-t", "kata", "h")
        wait_for(rf"From chapters/{re.escape(folder2)}/README\.md", 10, "h → README hints")
        # 4. edit ch1.ex02, x → asks, y → the stub is back, the edit is backed up
        with mine2.open("ab") as f:
            f.write(b"\n// my attempt\n")
        time.sleep(0.6)
        tmux("send-keys", "-t", "kata", "x")
        wait_for(r"Reset ch1\.ex02 to its stubs\?", 10, "x → the reset question")
        if mine2.read_bytes() == stub2:
            problems.append("x reset the file before the answer")
        tmux("send-keys", "-t", "kata", "y")
        wait_for(r"ch1\.ex02 reset to its stubs", 10, "y → reset")
        if mine2.read_bytes() != stub2:
            problems.append("after reset, ch1.ex02's file is not the stub")
        backups = list((kata / ".cache" / "kata-backup").glob(f"ch1.ex02-*/chapters/{folder2}/{edit2[0]}"))
        if len(backups) != 1 or not backups[0].read_bytes().endswith(b"// my attempt\n"):
            problems.append(f"no backup of the learner's ch1.ex02 file: {backups}")
        # 5. q quits; `make` agrees: exactly ch1.ex01 is done
        tmux("send-keys", "-t", "kata", "q")
        wait_for(r"WATCH-EXITED 0", 20, "q → watch exits")
        p = subprocess.run(["make", "-C", str(kata)], capture_output=True, text=True, encoding="utf-8",
                           errors="replace", env=env, timeout=900)
        out = p.stdout
        done_rows = [l for l in out.splitlines() if re.match(r"^\s*✓ ch\d+\.ex\d+", l)]
        if p.returncode != 0 or f"1/{total} done" not in out or len(done_rows) != 1 or "ch1.ex01" not in done_rows[0]:
            problems.append(f"make after the watch session: exit {p.returncode}, done rows {done_rows}")
            print(out[-3000:], p.stderr[-2000:])
    except Abort:
        pass
    finally:
        final = screen()
        tmux("kill-server", check=False)
    print("timings: " + ", ".join(f"{k} {v:.1f} s" if v is not None else f"{k} —" for k, v in timings.items()))
    if problems:
        print("FAIL harness.watch.tmux:")
        for p in problems:
            print(f"  - {p}")
        print("---- last screen ----")
        print(final)
        return 1
    shutil.rmtree(WORK, ignore_errors=True)
    print("PASS harness.watch.tmux")
    return 0


if __name__ == "__main__":
    sys.exit(main())
