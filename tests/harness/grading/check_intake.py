#!/usr/bin/env python3
"""harness.grading.intake: how the grader reads a submission, attacked as a
hostile student would (issue: nothing of a student's runs outside the
sandbox). Fast: no build, no bubblewrap; run as root (as an instructor's
cron job runs the grader), since two cases need files owned by another user.

    check_intake.py ROOT WORK

Cases, each failing before its defence existed:
  smudge        a local repository graded with --before whose .git/config
                defines a smudge filter (and hooks, fsmonitor) applied by its
                .gitattributes to an edit file: nothing of it runs; the
                committed bytes are graded
  gitfile       a .git *file* pointing at another repository is refused
  link_dir      an exercise folder that is a symlink to a folder elsewhere:
                the stub is used and the link is listed
  link_in_git   a symlink committed in git is not written, and is listed
  non_utf8      a file name that is not UTF-8: listed escaped; results.json
                and grade.md are written
  other_owner   as root, a kata checkout and a student repository owned by
                another user: the kata exports, the student's commit is read
                (with and without --before)
  names         student names such as `..`, `.`, `/`, `-rf`: one safe folder
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))

from katalib import manifest  # noqa: E402
from katalib.errors import ToolError  # noqa: E402
from katalib.grading import evaluate, gitread, pristine, reports, runner, submission  # noqa: E402

FAILURES: list[str] = []
EX = "ch1.ex01"


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}")


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "s", "GIT_AUTHOR_EMAIL": "s@x", "GIT_COMMITTER_NAME": "s",
           "GIT_COMMITTER_EMAIL": "s@x", "GIT_AUTHOR_DATE": "2026-10-01T12:00:00Z",
           "GIT_COMMITTER_DATE": "2026-10-01T12:00:00Z", "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", "-c", "safe.directory=*", "-C", str(cwd), *args], check=True,
                          capture_output=True, text=True, env=env).stdout.strip()


def exercises() -> list[manifest.Exercise]:
    return manifest.all_exercises(manifest.load(ROOT))


def edit_rel() -> str:
    return manifest.find(manifest.load(ROOT), EX).edit_files("chapters")[0]


def student_repo(d: Path, content: bytes) -> Path:
    """A repository whose one commit holds ch1.ex01's edit file."""
    rel = edit_rel()
    (d / rel).parent.mkdir(parents=True, exist_ok=True)
    (d / rel).write_bytes(content)
    git(d, "init", "-q", "-b", "main")
    git(d, "add", "-A")
    git(d, "commit", "-qm", "solution")
    return d


def case_smudge(work: Path) -> None:
    marker = work / "smudge-ran"
    repo = student_repo(work / "smudge", b"// the committed solution\n")
    cmd = work / "evil.sh"              # (a `;` would start a comment in .git/config)
    cmd.write_text(f"#!/bin/sh\nid -u > {marker}\nexec cat\n")
    cmd.chmod(0o755)
    (repo / ".gitattributes").write_text("* filter=evil\n* export-subst\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "attributes")
    # Set last: the student's own git commands above must not trip the trap.
    with open(repo / ".git" / "config", "a") as f:
        f.write(f"[filter \"evil\"]\n\tsmudge = {cmd}\n\tclean = cat\n\trequired = true\n"
                f"[core]\n\tfsmonitor = {cmd}\n\thooksPath = {repo}/.git/hooks\n"
                f"[alias]\n\trev-list = !{cmd}\n")
    hook = repo / ".git" / "hooks" / "post-checkout"
    hook.write_text(f"#!/bin/sh\nid -u > {marker}\n")
    hook.chmod(0o755)
    out = work / "smudge-fetch"
    try:
        sub = submission.fetch(str(repo), out, before="2030-01-01", student="smudge")
        got = (sub.files / edit_rel()).read_bytes()
        check(got == b"// the committed solution\n", f"smudge: graded bytes {got[:80]!r}")
        check(len(sub.commit) == 40, f"smudge: commit {sub.commit!r}")
    except (ToolError, OSError, subprocess.CalledProcessError) as err:
        check(False, f"smudge: fetch failed: {err}")
    check(not marker.exists(), "smudge: the student's filter, hook or fsmonitor ran on the grading machine"
          + (f" (as uid {marker.read_text().strip()})" if marker.exists() else ""))


def case_gitfile(work: Path) -> None:
    other = student_repo(work / "elsewhere", b"// someone else's code\n")
    d = work / "gitfile"
    d.mkdir()
    (d / ".git").write_text(f"gitdir: {other}/.git\n")
    try:
        submission.fetch(str(d), work / "gitfile-fetch", before="2030-01-01", student="gitfile")
        check(False, "gitfile: a .git file pointing at another repository was followed")
    except ToolError as err:
        check("not a folder of its own" in str(err), f"gitfile: message {err}")


def overlay(sub: Path) -> submission.Overlay:
    exs = [e for e in exercises() if e.key == EX]
    all_edit = {f for e in exercises() for f in e.edit_files("chapters")}
    return submission.overlay(ROOT, sub, exs, all_edit)


def case_link_dir(work: Path) -> None:
    secret = work / "root-only"
    rel = edit_rel()
    (secret / Path(rel).name).parent.mkdir(parents=True, exist_ok=True)
    (secret / Path(rel).name).write_text("// a file of the grading machine\n")
    secret.chmod(0o700)
    sub = work / "link-dir"
    (sub / rel).parent.parent.mkdir(parents=True)
    os.symlink(secret, sub / Path(rel).parent)
    ov = overlay(sub)
    check(rel not in ov.changed, "link_dir: a symlinked exercise folder was read as the submission's")
    check(any(e.startswith(rel) and "symlink" in e for e in ov.ignored),
          f"link_dir: the link is not listed: {ov.ignored}")


def case_link_in_git(work: Path) -> None:
    repo = student_repo(work / "link-git", b"// ok\n")
    os.symlink("/etc/shadow", repo / "chapters" / "shadow.cpp")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "link")
    try:
        sub = submission.fetch(str(repo), work / "link-git-fetch", before="2030-01-01", student="l")
        check(not os.path.lexists(sub.files / "chapters" / "shadow.cpp"), "link_in_git: the symlink was written")
        check(any("shadow.cpp" in s and "symlink" in s for s in sub.skipped),
              f"link_in_git: not listed: {sub.skipped}")
    except ToolError as err:
        check(False, f"link_in_git: {err}")


def case_non_utf8(work: Path) -> None:
    sub = work / "non-utf8"
    (sub / "chapters").mkdir(parents=True)
    (sub / "chapters").joinpath(os.fsdecode(b"caf\xe9-\xff.cpp")).write_text("int x;\n")
    ov = overlay(sub)
    shown = [e for e in ov.ignored if "caf" in e]
    check(shown == ["chapters/caf\\xe9-\\xff.cpp (added)"], f"non_utf8: listed as {shown}")
    chapters = [c for c in manifest.load(ROOT) if any(e.key == EX for e in c.exercises)]
    chapters = [manifest.Chapter(c.number, c.slug, c.title, c.title_zh, [e for e in c.exercises if e.key == EX])
                for c in chapters]
    snap = evaluate.statuses(chapters, runner.RunResult("", 0.0, False, {}), work / "out" / "junit.xml", ROOT)
    meta = {"student": os.fsdecode(b"stud\xe9nt"), "source": "x", "ignored": ov.ignored,
            "ignored_total": ov.ignored_total, "notes": []}
    try:
        reports.write(work / "out", snap, {**meta, "student": gitread.shown(meta["student"])})
        data = json.loads((work / "out" / "results.json").read_text(encoding="utf-8"))
        check("chapters/caf\\xe9-\\xff.cpp (added)" in data["extra_data"]["ignored"], "non_utf8: results.json")
    except (UnicodeError, OSError, ValueError, AttributeError) as err:
        check(False, f"non_utf8: the report writer failed: {err!r}")


def case_other_owner(work: Path) -> None:
    if os.geteuid() != 0:
        print("other_owner: needs root (the grader's cron-job case); run the self-tests as root")
        check(False, "other_owner: not run as root")
        return
    kata = work / "kata-other"
    kata.mkdir()
    (kata / "manifest").mkdir()
    (kata / "manifest" / "chapter1.json").write_text("{}\n")
    git(kata, "init", "-q", "-b", "main")
    git(kata, "add", "-A")
    git(kata, "commit", "-qm", "kata")
    repo = student_repo(work / "student-other", b"// mine\n")
    for d in (kata, repo):
        subprocess.run(["chown", "-R", "4242:4242", str(d)], check=True)
    try:
        ident = pristine.export(kata, "HEAD", work / "kata-export")
        check(len(ident) == 40 and (work / "kata-export" / "manifest" / "chapter1.json").exists(),
              "other_owner: the kata was not exported")
    except ToolError as err:
        check(False, f"other_owner: the kata owned by another user: {err}")
    want = git(repo, "rev-parse", "HEAD")
    try:
        sub = submission.fetch(str(repo), work / "other-fetch", before="2030-01-01", student="o")
        check(sub.commit == want, f"other_owner --before: commit {sub.commit!r}, want {want}")
        check((sub.files / edit_rel()).read_bytes() == b"// mine\n", "other_owner --before: file")
    except ToolError as err:
        check(False, f"other_owner --before: {err}")
    sub = submission.fetch(str(repo), work / "other-fetch2", student="o")
    check(sub.commit == want, f"other_owner without --before: commit {sub.commit!r}, want {want}")


def case_names(work: Path) -> None:
    from katalib.grading.slug import safe_slug
    for name in ["..", ".", "", "/", "a/../..", "-rf", ".hidden", os.fsdecode(b"\xff\xfe"), "x" * 300, "a\0b"]:
        slug = safe_slug(name)
        check(bool(slug) and slug not in (".", "..") and "/" not in slug and "\0" not in slug
              and not slug.startswith((".", "-")) and len(slug) <= 100
              and slug.encode("utf-8", "strict") is not None, f"names: {name!r} → {slug!r}")


def main() -> int:
    work = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else Path("/tmp/kata-intake")
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    for case in (case_smudge, case_gitfile, case_link_dir, case_link_in_git, case_non_utf8, case_other_owner,
                 case_names):
        d = work / case.__name__
        d.mkdir()
        try:
            case(d)
        except Exception as err:      # a crash of the code under test is a failure of that case
            check(False, f"{case.__name__}: {err!r}")
    print("ok" if not FAILURES else f"{len(FAILURES)} check(s) failed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
