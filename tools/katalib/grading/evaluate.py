"""From a submission's build log and per-exercise test results to one status
per exercise, with the same rules as the learner's own `make grade`
(katalib.status): done only when every test passes."""
from __future__ import annotations

from pathlib import Path

from .. import buildlog, status
from ..collect import HARNESS_TARGETS, Snapshot
from ..manifest import Chapter
from .runner import RunResult

DISCOVERY_HANG = ("its tests could not be listed: the test binary hung or crashed before main() "
                  "(an endless loop or a crash in a static initialiser?)")


def _discovery_failed(failures: list[buildlog.BuildFailure]) -> bool:
    text = "\n".join(l for f in failures for l in f.lines)
    return "Error running test executable" in text or "Process terminated due to timeout" in text


def statuses(chapters: list[Chapter], run: RunResult, junit: Path, root: Path) -> Snapshot:
    failures = buildlog.parse_log(run.build_log)
    out = []
    for c in chapters:
        for ex in c.exercises:
            results = run.results.get(ex.key)
            dep = next((t for t in [*ex.link, *HARNESS_TARGETS] if t in failures), None)
            if run.build_timed_out and ex.target not in failures:
                st = status.ExerciseStatus(ex, status.NO_COMPILE, why="the build did not finish in time")
            elif results is None and ex.target not in failures and not dep:
                st = status.ExerciseStatus(ex, status.IN_PROGRESS, why=run.notes.get(ex.key, "its tests did not run"))
            else:
                st = status.classify(ex, list((results or {}).values()), failures, None, dep)
                if st.status == status.NO_COMPILE and _discovery_failed(st.build_failures):
                    st.why = DISCOVERY_HANG
                h = run.hidden.get(ex.key)
                if st.status == status.DONE and h is not None and not h.agree:
                    st.status = status.IN_PROGRESS
                    st.why = (f"its visible tests pass, but its hidden checks do not: {h.agreed}/{h.cases} "
                              "generated programs print what the reference prints (details after the due date)")
            out.append(st)
    return Snapshot(chapters, out, "chapters", junit, [], [], root)
