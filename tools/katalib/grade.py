"""The grade report: grade.md (per-chapter tables) and grade.json, from one
ctest run whose JUnit XML is kept beside them."""
from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from .collect import Snapshot
from .status import DONE, NO_COMPILE

FOOTNOTE = ("Points are awarded per exercise, all or nothing: an exercise earns its points only when "
            "every one of its tests passes (\"done\"). The tests column shows partial progress "
            "for information; it earns no points on its own.")


def _p(x) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def as_json(snap: Snapshot) -> dict:
    chapters = []
    by_key = snap.by_key()
    for c in snap.chapters:
        exs = []
        for e in c.exercises:
            st = by_key[e.key]
            exs.append({
                "key": e.key, "title": e.title, "title_zh": e.title_zh, "status": st.status,
                "tests_passed": st.passed, "tests_total": st.total, "tests_skipped": st.skipped,
                "points_earned": e.points if st.status == DONE else 0, "points_possible": e.points,
                "failed_tests": [t.name for t in st.tests if t.status == "fail"],
                **({"why": st.why} if st.why and st.status != DONE else {}),
            })
        chapters.append({"chapter": c.number, "title": c.title, "title_zh": c.title_zh, "exercises": exs,
                         "points_earned": sum(x["points_earned"] for x in exs),
                         "points_possible": sum(x["points_possible"] for x in exs)})
    return {
        "generated": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "tree": snap.tree,
        "junit": str(snap.junit),
        "exercises_done": sum(1 for s in snap.statuses if s.status == DONE),
        "exercises_total": len(snap.statuses),
        "tests_passed": sum(s.passed for s in snap.statuses),
        "tests_total": sum(s.total for s in snap.statuses),
        "points_earned": sum(c["points_earned"] for c in chapters),
        "points_possible": sum(c["points_possible"] for c in chapters),
        "chapters": chapters,
    }


def tables(g: dict) -> list[str]:
    """One Markdown table per chapter (shared with the pristine grader's report)."""
    out = []
    for c in g["chapters"]:
        zh = f" \u00b7 {c['title_zh']}" if c["title_zh"] else ""
        out += [f"## Chapter {c['chapter']} \u00b7 {c['title']}{zh}", "",
                "| Exercise | Status | Tests passed | Points\u00b9 |", "| --- | --- | ---: | ---: |"]
        for x in c["exercises"]:
            skip = f" ({x['tests_skipped']} skipped)" if x["tests_skipped"] else ""
            tests = f"{x['tests_passed']}/{x['tests_total']}{skip}" if x["status"] != NO_COMPILE else "\u2014"
            title = x["title"].replace("|", "\\|")
            out.append(f"| {x['key']} {title} | {x['status']} | {tests} | "
                       f"{_p(x['points_earned'])}/{_p(x['points_possible'])} |")
        out.append(f"| **Chapter {c['chapter']}** | | | **{_p(c['points_earned'])}/{_p(c['points_possible'])}** |")
        out.append("")
    return out


def total_line(g: dict) -> str:
    return (f"**Total: {_p(g['points_earned'])}/{_p(g['points_possible'])} points** \u00b7 "
            f"{g['exercises_done']}/{g['exercises_total']} exercises done \u00b7 "
            f"{g['tests_passed']}/{g['tests_total']} tests passed")


def as_markdown(g: dict) -> str:
    out = [f"# evloop-kata grade \u2014 {g['tree']}/", "", *tables(g)]
    out += [total_line(g), "",
            f"\u00b9 {FOOTNOTE}", "",
            f"_Generated {g['generated']} from `{g['junit']}`._", ""]
    return "\n".join(out)


def write(snap: Snapshot, out_dir: Path) -> tuple[dict, str]:
    g = as_json(snap)
    md = as_markdown(g)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "grade.json").write_text(json.dumps(g, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out_dir / "grade.md").write_text(md, encoding="utf-8")
    return g, md
