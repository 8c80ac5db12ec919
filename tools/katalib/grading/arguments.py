"""The options of `kata.py grade` for pristine grading, in a module that
imports nothing else: kata.py builds its whole parser on every start, and a
start of `kata.py js` or `kata.py progress` should not load the grader."""
from __future__ import annotations


def add_arguments(g) -> None:
    """The pristine-grading options of `kata.py grade`."""
    g.add_argument("--submission", metavar="PATH_OR_GIT_URL",
                   help="grade this submission's edit files over a pristine copy of the kata (writes "
                        "results.json, junit.xml, grade.md into --out)")
    g.add_argument("--batch", metavar="DIR_OR_LIST",
                   help="grade every sub-folder of DIR (or every PATH_OR_URL line of LIST); writes "
                        "scoreboard.md/.csv/.json into --out")
    g.add_argument("--ref", default="HEAD",
                   help="the kata commit to grade against (default HEAD of this checkout; WORKTREE: "
                        "the checkout's files as they are)")
    g.add_argument("--only", help="grade a subset: chapters or exercises, e.g. ch1,ch2.ex01")
    g.add_argument("--before", metavar="DATE", help="git submissions: grade the last commit before DATE")
    g.add_argument("--student", help="the name in the report (default: folder or owner/repository)")
    g.add_argument("--work", help="where the shared base build and copies live (default build/grade-work)")
    g.add_argument("--no-sandbox", action="store_true",
                   help="run untrusted code without bubblewrap (only where it cannot run; never for strangers' code)")
    g.add_argument("--build-timeout", type=float, default=900, help="seconds for one submission's build (900)")
    g.add_argument("--test-timeout", type=float, default=120, help="seconds for one exercise's tests (120)")
    g.add_argument("--memory", type=int, default=4096, help="address-space limit per process, MiB (4096)")
    g.add_argument("--slots", type=int, default=2, help="exercises tested at the same time (2)")
    g.add_argument("--keep", action="store_true", help="keep each submission's build copy (debugging)")
    g.add_argument("--hidden-seed", type=int, metavar="N",
                   help="seed of the hidden checks' generated programs (default: a new random one each run; "
                        "written into results.json)")
    g.add_argument("--hidden-cases", type=int, default=20, metavar="K",
                   help="generated programs per exercise in the hidden checks (20)")
