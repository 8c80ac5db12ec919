"""Runs the learner's tests once and gives every exercise its status."""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import buildlog, ctest, manifest, status
from . import results as results_cache

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


def keys_regex(keys: list[str]) -> str:
    """ctest -R for the tests of these exercises ("ch1.ex02", ...)."""
    parts = []
    for key in keys:
        ch, ex = key[2:].split(".")
        parts += [rf"chapter{ch}\.{ex}\.", rf"ch{ch}_{ex}_NOT_BUILT$"]
    return "^(" + "|".join(parts) + ")"


def key_of(test_name: str) -> str | None:
    m = re.match(r"chapter(\d+)\.(ex\d+)\.", test_name) or re.match(r"ch(\d+)_(ex\d+)_NOT_BUILT$", test_name)
    return f"ch{int(m.group(1))}.{m.group(2)}" if m else None


def snapshot(root: Path, build: Path, junit: Path, build_log: Path | None = None,
             jobs: int = 2, stale_check: bool = True, run: bool = True,
             chapter: int | None = None, only: str | None = None,
             untouched: set[str] | None = None, cache_dir: Path | None = None,
             force: bool = False, keys: set[str] | None = None, on_start=None) -> Snapshot:
    """run=False reuses the last recorded results (ours or ctest's LastTest.log)
    and runs only when a test of interest has no record yet. `chapter` or
    `only` (an exercise key) restrict which tests are run and shown.

    `untouched`: exercises whose edit files are the pristine stubs (pristine.py):
    "not started" without a look at their tests. `cache_dir`: per-exercise
    results (results.py), reused while the exercise's binary is unchanged
    (`force` ignores them). `keys`: only these exercises. `on_start`: gets the
    ctest process (ctest.run_tests)."""
    chapters = manifest.load(root)
    if chapter is not None:
        chapters = [c for c in chapters if c.number == chapter]
        if not chapters:
            raise manifest.ManifestError(f"no chapter {chapter} in the manifest")
    if only is not None:
        chapters = [manifest.Chapter(c.number, c.slug, c.title, c.title_zh,
                                     [e for e in c.exercises if e.key == only])
                    for c in chapters if any(e.key == only for e in c.exercises)]
    if keys is not None:
        chapters = [manifest.Chapter(c.number, c.slug, c.title, c.title_zh,
                                     [e for e in c.exercises if e.key in keys])
                    for c in chapters if any(e.key in keys for e in c.exercises)]
    exercises = manifest.all_exercises(chapters)
    untouched = {e.key for e in exercises if e.key in (untouched or ())}
    active = [e for e in exercises if e.key not in untouched]
    results: dict[str, ctest.TestResult] = {}
    # Exercises whose binary has not changed since their last run: no ctest at all.
    quick: dict[str, dict[str, ctest.TestResult]] = {}
    if cache_dir is not None and not force:
        for e in active:
            hit = results_cache.load_unlisted(cache_dir, e.key)
            if hit:
                quick[e.key] = hit
                results.update(hit)
    pending = [e for e in active if e.key not in quick]
    if pending:
        ctest.check_build_dir(build)
        if keys is not None:
            regex = keys_regex([e.key for e in pending])
        else:       # the whole scope: tests of exercises the manifest lacks are noticed too
            regex = _regex(chapter, only)
        everything = ctest.list_tests(build, regex)
        pending_keys = {e.key for e in pending}
        known_keys = {e.key for e in exercises}
        listed = [t for t in everything if key_of(t.name) in pending_keys or key_of(t.name) not in known_keys]
        ran: dict[str, ctest.TestResult] = {}
        groups: dict[str, list[ctest.TestResult]] = {e.key: [] for e in pending}
        for t in listed:
            k = key_of(t.name)
            if k in groups:
                groups[k].append(t)
        if cache_dir is not None and not force:
            for e in pending:
                ran.update(results_cache.load(cache_dir, e.key, groups[e.key]))
        need = [t for t in listed if t.name not in ran and not t.name.endswith("_NOT_BUILT")
                and key_of(t.name) in pending_keys]
        if need and not run:
            known = ctest.last_results(build, junit)
            if all(t.name in known for t in need):
                ran.update({t.name: known[t.name] for t in need})
                need = []
        if run and cache_dir is None and not untouched:
            ran = ctest.run_tests(build, junit, jobs=jobs, regex=regex)   # grade: one full run, as before
        elif need:
            run_keys = sorted({key_of(t.name) or "" for t in need} - {""})
            fresh = ctest.run_tests(build, junit, jobs=jobs, regex=keys_regex(run_keys), on_start=on_start)
            ran.update(fresh)
            if cache_dir is not None:
                for k in run_keys:
                    results_cache.store(cache_dir, k, groups.get(k, []), fresh)
        # A listed test that produced no result keeps its "notrun" status.
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
    stale = buildlog.stale_targets(build, [e.target for e in active]) if stale_check and active else None

    by_exercise: dict[str, list[ctest.TestResult]] = {e.key: [] for e in exercises}
    unknown = []
    for name, r in results.items():
        key = key_of(name)
        if key in by_exercise:
            by_exercise[key].append(r)
        else:
            unknown.append(name)

    statuses = []
    for e in exercises:
        if e.key in untouched:
            statuses.append(status.untouched(e))
            continue
        dep = next((t for t in [*e.link, *HARNESS_TARGETS] if t in failures), None)
        statuses.append(status.classify(e, by_exercise[e.key], failures, stale, dep))
    return Snapshot(chapters, statuses, build_tree(build), junit, unknown, config_errors, root)
