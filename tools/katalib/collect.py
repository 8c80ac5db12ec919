"""Runs the learner's tests once and gives every exercise its status."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import buildlog, ctest, manifest, status

HARNESS_TARGETS = ("kata_harness", "kata_support")


@dataclass
class Snapshot:
    chapters: list[manifest.Chapter]
    statuses: list[status.ExerciseStatus]
    tree: str                 # which tree the build compiles: chapters or solutions
    junit: Path
    unknown_tests: list[str]  # tests named like an exercise the manifest lacks
    config_errors: list[str]  # CMake could not configure: binaries are old or missing
    root: Path | None = None  # to print repo-relative paths

    def by_key(self) -> dict[str, status.ExerciseStatus]:
        return {s.exercise.key: s for s in self.statuses}


def build_tree(build: Path) -> str:
    cache = build / "CMakeCache.txt"
    if cache.exists():
        m = re.search(r"^KATA_SOURCE:\w+=(\S+)", cache.read_text(errors="replace"), re.M)
        if m:
            return m.group(1)
    return "chapters"


def _regex(chapter: int | None, key: str | None = None) -> str:
    if key:                      # one exercise: "ch1.ex02"
        ch, ex = key[2:].split(".")
        return rf"^(chapter{ch}\.{ex}\.|ch{ch}_{ex}_NOT_BUILT$)"
    if chapter is not None:
        return rf"^(chapter{chapter}\.ex[0-9]+\.|ch{chapter}_ex[0-9]+_NOT_BUILT$)"
    return ctest.EXERCISE_TESTS


def snapshot(root: Path, build: Path, junit: Path, build_log: Path | None = None,
             jobs: int = 2, stale_check: bool = True, run: bool = True,
             chapter: int | None = None, only: str | None = None) -> Snapshot:
    """run=False reuses the last recorded results (ours or ctest's LastTest.log)
    and runs only when a test of interest has no record yet. `chapter` or
    `only` (an exercise key) restrict which tests are run and shown."""
    chapters = manifest.load(root)
    if chapter is not None:
        chapters = [c for c in chapters if c.number == chapter]
        if not chapters:
            raise manifest.ManifestError(f"no chapter {chapter} in the manifest")
    if only is not None:
        chapters = [manifest.Chapter(c.number, c.slug, c.title, c.title_zh,
                                     [e for e in c.exercises if e.key == only])
                    for c in chapters if any(e.key == only for e in c.exercises)]
    exercises = manifest.all_exercises(chapters)
    ctest.check_build_dir(build)
    regex = _regex(chapter, only)
    listed = ctest.list_tests(build, regex)
    ran: dict[str, ctest.TestResult] = {}
    if not run:
        known = ctest.last_results(build, junit)
        wanted = [t.name for t in listed if not t.name.endswith("_NOT_BUILT")]
        if all(n in known for n in wanted):
            ran = known
        else:
            run = True
    if run:
        ran = ctest.run_tests(build, junit, jobs=jobs, regex=regex)
    # A listed test that produced no result keeps its "notrun" status.
    results = {}
    for t in listed:
        r = ran.get(t.name, t)
        r.index, r.command = t.index, t.command
        results[t.name] = r

    failures: dict[str, list[buildlog.BuildFailure]] = {}
    config_errors: list[str] = []
    if build_log is not None and not build_log.exists():
        print(f"note: no build log at {build_log}; compile errors are not shown", file=sys.stderr)
        build_log = None
    if build_log is not None:
        try:
            text = build_log.read_text(errors="replace")
            failures = buildlog.parse_log(text)
            config_errors = buildlog.configure_errors(text)
        except OSError as err:
            raise ctest.ToolError(f"cannot read the build log {build_log}: {err}") from err
    stale = buildlog.stale_targets(build, [e.target for e in exercises]) if stale_check else None

    by_exercise: dict[str, list[ctest.TestResult]] = {e.key: [] for e in exercises}
    unknown = []
    for name, r in results.items():
        m = re.match(r"chapter(\d+)\.(ex\d+)\.", name) or re.match(r"ch(\d+)_(ex\d+)_NOT_BUILT$", name)
        key = f"ch{int(m.group(1))}.{m.group(2)}" if m else None
        if key in by_exercise:
            by_exercise[key].append(r)
        else:
            unknown.append(name)

    statuses = []
    for e in exercises:
        dep = next((t for t in [*e.link, *HARNESS_TARGETS] if t in failures), None)
        statuses.append(status.classify(e, by_exercise[e.key], failures, stale, dep))
    return Snapshot(chapters, statuses, build_tree(build), junit, unknown, config_errors, root)
