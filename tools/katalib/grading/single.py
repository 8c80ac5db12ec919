"""One pristine grade: fetch the submission, take its edit files, build and
test them on a copy of the shared base, write the reports."""
from __future__ import annotations

import shutil
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .. import manifest
from ..errors import ToolError
from . import base as base_mod, evaluate, flags, gitread, hidden, reports, runner, similarity, submission
from .sandbox import Limits, Sandbox
from .slug import safe_slug


@dataclass
class Options:
    root: Path                       # the grader's checkout (the kata's source of truth)
    ref: str = "HEAD"
    only: list[str] = field(default_factory=list)
    work: Path | None = None         # where bases and per-submission copies live
    before: str | None = None        # grade the last commit before this date (git submissions)
    jobs: int = 2
    slots: int = 2                   # exercises whose tests run at the same time
    build_limits: Limits = field(default_factory=lambda: Limits(wall=900))
    test_limits: Limits = field(default_factory=lambda: Limits(wall=120))
    keep: bool = False               # keep the per-submission build copy (debugging)
    hidden_seed: int | None = None   # the hidden checks' seed (None: a random one per run)
    hidden_cases: int = hidden.CASES



def select(chapters: list[manifest.Chapter], only: list[str]) -> list[manifest.Chapter]:
    """--only ch1,ch2.ex01: whole chapters or single exercises."""
    if not only:
        return chapters
    keys: set[str] = set()
    for item in only:
        item = item.strip()
        if not item:
            continue
        if "." in item or "_" in item:
            keys.add(manifest.find(chapters, item).key)
            continue
        num = item.lower().removeprefix("chapter").removeprefix("ch")
        if not num.isdigit() or not any(c.number == int(num) for c in chapters):
            raise manifest.ManifestError(f"--only: no chapter '{item}'")
        keys |= {e.key for c in chapters if c.number == int(num) for e in c.exercises}
    return [manifest.Chapter(c.number, c.slug, c.title, c.title_zh, [e for e in c.exercises if e.key in keys])
            for c in chapters if any(e.key in keys for e in c.exercises)]


class Grader:
    """Holds the base build so a batch builds it once."""

    def __init__(self, opts: Options, sandbox: Sandbox, log=print, hide: tuple[Path, ...] = ()):
        self.opts, self.sandbox, self.log = opts, sandbox, log
        self.work = (opts.work or (opts.root / "build" / "grade-work")).resolve()
        self.work.mkdir(parents=True, exist_ok=True)
        if sandbox.enabled:
            # The grader's work (other submissions, the reference probes) and
            # the kata checkout (solutions/) are not for a submission's eyes.
            # So are the reports (--out: earlier students' graded files).
            root = opts.root.resolve()
            sandbox.hide = [root]
            for extra in (self.work, *[h.resolve() for h in hide]):
                if not any(extra.is_relative_to(h) for h in sandbox.hide):
                    sandbox.hide.append(extra)
        self.base: base_mod.Base | None = None
        self.chapters: list[manifest.Chapter] = []

    def ensure_base(self) -> base_mod.Base:
        if self.base is None:
            # The manifest that decides what is graded is the pristine one at REF.
            probe = self.work / "manifest-probe"
            from . import pristine
            pristine.export(self.opts.root, self.opts.ref, probe)
            self.chapters = select(manifest.load(probe), self.opts.only)
            shutil.rmtree(probe)
            exercises = manifest.all_exercises(self.chapters)
            self.base = base_mod.ensure(self.opts.root, self.opts.ref, exercises, self.work, self.sandbox,
                                        self.opts.build_limits, self.opts.jobs, self.log)
            seed = self.opts.hidden_seed if self.opts.hidden_seed is not None else hidden.new_seed()
            self.base.hidden = hidden.reference(self.base, seed, self.sandbox, self.log, self.opts.hidden_cases)
            self.log(f"hidden checks: {len(self.base.hidden.expected)} exercises, {self.opts.hidden_cases} "
                     f"generated programs each (seed {seed})")
        return self.base

    def grade(self, spec: str, out: Path, student: str | None = None) -> dict:
        """Grades `spec` into `out`; never raises for a bad submission (the
        error becomes a note and a zero), only for a broken grader."""
        base = self.ensure_base()
        start = time.monotonic()                 # the shared base is not this submission's cost
        exercises = manifest.all_exercises(self.chapters)
        name = gitread.shown(student) if student else submission.student_name(spec)
        sub_dir = self.work / "subs" / safe_slug(name)
        if sub_dir.exists():
            shutil.rmtree(sub_dir)
        sub_dir.mkdir(parents=True)
        meta = {"student": name, "source": gitread.shown(spec), "kata_ref": self.opts.ref,
                "kata_commit": base.ident, "sandbox": self.sandbox.enabled, "notes": [],
                "hidden_seed": base.hidden.seed if base.hidden else None}
        try:
            sub = submission.fetch(spec, sub_dir, self.opts.before, name)
            meta["commit"] = sub.commit
            meta["notes"] += sub.notes
            all_edit = {f for e in manifest.all_exercises(manifest.load(base.src)) for f in e.edit_files("chapters")}
            ov = submission.overlay(base.src, sub.files, exercises, all_edit)
            for entry in sub.skipped:
                submission.ignore(ov, entry)
            meta.update(ignored=ov.ignored, ignored_total=ov.ignored_total, missing=ov.missing)
            _keep_submitted(out, ov)
            # For the instructor's eyes; never part of the score.
            meta["flags"] = flags.scan(ov.changed)
            meta["similarity"] = similarity.against_reference(ov.changed, base.src)
            run = runner.run(base, sub_dir, ov, exercises, self.sandbox, self.opts.build_limits,
                             self.opts.test_limits, self.opts.jobs, self.opts.slots)
            meta["build_seconds"], meta["test_seconds"] = run.build_seconds, run.test_seconds
            out.mkdir(parents=True, exist_ok=True)
            (out / "build.log").write_text(run.build_log, encoding="utf-8")
            if run.build_timed_out:
                meta["notes"].append(f"the build did not finish within {self.opts.build_limits.wall:.0f} s")
            for key, note in run.notes.items():
                meta["notes"].append(f"{key}: {note}")
            for key, names in run.unknown.items():
                shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
                meta["notes"].append(f"{key}: its test binary lists tests the kata does not have (ignored): {shown}")
            snap = evaluate.statuses(self.chapters, run, out / "junit.xml", base.src)
            meta["hidden"] = run.hidden
            if base.hidden:
                meta["notes"] += [f"{k}: no hidden check ({why})" for k, why in base.hidden.notes.items()
                                  if k in {e.key for e in exercises}]
        except (ToolError, OSError, ValueError) as err:
            meta["notes"].append(f"could not grade the submission: {err}")
            snap = evaluate.statuses(self.chapters, runner.RunResult("", 0.0, False, {}), out / "junit.xml",
                                     base.src)
            for st in snap.statuses:
                st.status, st.why = "does not compile", "the submission could not be graded"
            self.log(traceback.format_exc(limit=3).strip())
        finally:
            if not self.opts.keep:
                for part in ("src", "build", "tests", "checkout"):
                    shutil.rmtree(sub_dir / part, ignore_errors=True)
        meta["seconds"] = time.monotonic() - start
        return reports.write(out, snap, meta)


def _keep_submitted(out: Path, ov: submission.Overlay) -> None:
    """The edit files that were graded, beside the report (the instructor's
    record, and what the batch compares for similarity)."""
    keep = out / "submission"
    if keep.exists():
        shutil.rmtree(keep)
    for rel, data in ov.changed.items():
        target = keep / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
