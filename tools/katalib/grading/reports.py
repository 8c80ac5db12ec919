"""What a pristine grade writes: results.json (Gradescope's autograder
schema: top-level score / execution_time / output, one `tests[]` entry per
exercise, our own details under `extra_data`), junit.xml and grade.md."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .. import buildlog, failure, grade
from . import flags, similarity
from ..collect import Snapshot
from ..status import DONE, NO_COMPILE

MAX_TEST_OUTPUT = 8000            # characters of one failing test's output in junit.xml
_BAD_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    """Test output may hold any byte; XML 1.0 may not."""
    return _BAD_XML.sub("\ufffd", text)


def first_check(st) -> list[str]:
    """The first failing check of an unfinished exercise, as a learner reads it."""
    if st.status == NO_COMPILE:
        lines = [f"does not compile: {st.why}"] if st.why else ["does not compile"]
        return lines + buildlog.first_errors(st.build_failures, limit=12)
    if st.why:
        return [st.why]
    t = st.first_failure()
    if t is None:
        return ["no test failed, but not every test ran"]
    cut = next((l.strip() for l in t.output.splitlines() if "output cut:" in l), None)
    if cut:                                  # kata-outcap stopped it: the flood itself says nothing
        return [f"{t.name}:", cut]
    return [f"{t.name}:"] + failure.first_message(t.output, limit=15)


def build(snap: Snapshot, meta: dict) -> tuple[dict, dict, str]:
    """(grade dict, results.json dict, grade.md text). meta: student, source,
    commit, kata_ref, kata_commit, ignored, ignored_total, missing, notes, seconds."""
    g = grade.as_json(snap)
    by_key = snap.by_key()
    hidden = meta.get("hidden") or {}
    tests, checks = [], {}
    for c in g["chapters"]:
        for x in c["exercises"]:
            st = by_key[x["key"]]
            if st.status != DONE:
                checks[x["key"]] = first_check(st)
            lines = checks.get(x["key"], [])
            h = hidden.get(x["key"])
            if st.status != NO_COMPILE:       # (first_check says "does not compile: why" itself)
                counts = f"{x['status']} \u00b7 tests passed {x['tests_passed']}/{x['tests_total']}"
                if h is not None:
                    counts += f" \u00b7 hidden checks {h.agreed}/{h.cases}"
                lines = [counts, *lines]
            out = "\n".join(lines)
            tests.append({"name": f"{x['key']} {x['title']}", "number": x["key"],
                          "score": x["points_earned"], "max_score": x["points_possible"],
                          "status": "passed" if st.status == DONE else "failed",
                          "output": out, "tags": [f"chapter{c['chapter']}"], "visibility": "visible"})
            if h is not None:
                # Gradescope shows these after the due date: what the generated
                # programs were is not for students to tune against before it.
                tests.append({"name": f"{x['key']} hidden checks", "number": f"{x['key']}.hidden",
                              "score": 0, "max_score": 0, "status": "passed" if h.agree else "failed",
                              "output": (f"{h.agreed}/{h.cases} generated programs print what the reference "
                                         "prints" + (f"\nfirst difference: {h.detail}" if h.detail else "")),
                              "tags": [f"chapter{c['chapter']}", "hidden"], "visibility": "after_due_date"})
    build_errors = [f"{x['key']}: {x.get('why', 'does not compile')}"
                    for c in g["chapters"] for x in c["exercises"] if x["status"] == NO_COMPILE]
    extra = {
        "student": meta["student"], "submission": meta.get("source", ""), "commit": meta.get("commit", ""),
        "kata_ref": meta.get("kata_ref", ""), "kata_commit": meta.get("kata_commit", ""),
        "max_score": g["points_possible"],
        "chapters": {str(c["chapter"]): {"earned": c["points_earned"], "possible": c["points_possible"]}
                     for c in g["chapters"]},
        "exercises_done": g["exercises_done"], "exercises_total": g["exercises_total"],
        "build_errors": build_errors, "ignored": meta.get("ignored", []),
        "ignored_total": meta.get("ignored_total", len(meta.get("ignored", []))),
        "missing": meta.get("missing", []), "notes": meta.get("notes", []),
        "seconds": round(meta.get("seconds", 0.0), 1), "sandbox": meta.get("sandbox", True),
        "build_seconds": round(meta.get("build_seconds", 0.0), 1),
        "test_seconds": round(meta.get("test_seconds", 0.0), 1),
        "flags": meta.get("flags") or {},
        "similarity_to_reference": {k: round(v, 2) for k, v in (meta.get("similarity") or {}).items()},
        "hidden_seed": meta.get("hidden_seed"),
        "hidden_checks": {k: {"agree": h.agree, "agreed": h.agreed, "cases": h.cases}
                          for k, h in hidden.items()},
    }
    md = markdown(g, meta, checks)
    results = {
        "score": g["points_earned"],
        "execution_time": round(meta.get("seconds", 0.0), 1),
        "output": (f"{grade._p(g['points_earned'])}/{grade._p(g['points_possible'])} points, "
                   f"{g['exercises_done']}/{g['exercises_total']} exercises done"
                   + (f"; {extra['ignored_total']} changed file(s) outside the edit files ignored"
                      if extra["ignored_total"] else "")
                   + "".join(f"\nnote: {n}" for n in extra["notes"])),
        "visibility": "visible", "stdout_visibility": "visible",
        "tests": tests,
        "extra_data": extra,
    }
    return g, results, md


def markdown(g: dict, meta: dict, checks: dict[str, list[str]]) -> str:
    commit = f" @ `{meta['commit'][:12]}`" if meta.get("commit") else ""
    out = [f"# evloop-kata grade \u2014 {meta['student']}", "",
           f"Pristine grade of `{meta.get('source', '')}`{commit} against the kata at "
           f"`{meta.get('kata_ref', '')}` (`{meta.get('kata_commit', '')[:12]}`): only the manifest's "
           f"`edit` files were taken from the submission"
           + ("" if meta.get("sandbox", True) else " \u2014 **without a sandbox** (--no-sandbox)") + ".", ""]
    if meta.get("hidden"):
        agree = sum(1 for h in meta["hidden"].values() if h.agree)
        out += [f"Hidden checks (programs generated from a seed the submission never saw, run on its code and "
                f"on the reference): {agree}/{len(meta['hidden'])} exercises agree. An exercise is done only "
                "when its tests pass and its hidden checks agree.", ""]
    out += grade.tables(g)
    out += [grade.total_line(g), ""]
    if checks:
        out += ["## First failing check of each unfinished exercise", ""]
        for key, lines in checks.items():
            out += [f"**{key}**", "", "```", *[l.replace("```", "'''") for l in lines], "```", ""]
    ignored = meta.get("ignored", [])
    if ignored:
        total = meta.get("ignored_total", len(ignored))
        out += [f"## Ignored ({total} file(s) the submission changed outside its edit files; "
                "the pristine ones were used)", ""]
        out += [f"- ignored: {p}" for p in ignored]
        if total > len(ignored):
            out.append(f"- ... and {total - len(ignored)} more")
        out.append("")
    if meta.get("missing"):
        out += ["## Missing edit files (the stub was used)", "", *[f"- {p}" for p in meta["missing"]], ""]
    if meta.get("notes"):
        out += ["## Notes", "", *[f"- {n}" for n in meta["notes"]], ""]
    out += flags.markdown(meta.get("flags") or {})
    out += similarity.markdown(reference=meta.get("similarity") or {})
    out += [f"\u00b9 {grade.FOOTNOTE}", "", f"_Graded in {meta.get('seconds', 0):.0f} s, {g['generated']}._", ""]
    return "\n".join(out)


def junit(snap: Snapshot) -> ET.ElementTree:
    """One testsuite per exercise; an exercise that does not compile is one
    failing `build` test case, so CI test viewers show it."""
    root = ET.Element("testsuites", name="evloop-kata")
    for st in snap.statuses:
        suite = ET.SubElement(root, "testsuite", name=st.exercise.key)
        cases = st.tests
        if st.status == NO_COMPILE or not cases:
            case = ET.SubElement(suite, "testcase", name=f"{st.exercise.test_prefix}build", classname=st.exercise.key)
            if st.status != DONE:
                f = ET.SubElement(case, "failure", message=_x(st.why or st.status))
                f.text = _x("\n".join(first_check(st)))
            cases = []
        for t in cases:
            case = ET.SubElement(suite, "testcase", name=t.name, classname=st.exercise.key)
            if t.status == "fail":
                msg = (failure.first_message(t.output, limit=1) or ["failed"])[0]
                f = ET.SubElement(case, "failure", message=_x(msg[:300]))
                f.text = _x(t.output[-MAX_TEST_OUTPUT:])
            elif t.status in ("skipped", "notrun"):
                ET.SubElement(case, "skipped")
        suite.set("tests", str(len(suite)))
        suite.set("failures", str(sum(1 for c in suite if c.find("failure") is not None)))
    ET.indent(root)
    return ET.ElementTree(root)


def write(out: Path, snap: Snapshot, meta: dict) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    g, results, md = build(snap, meta)
    (out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "grade.md").write_text(md, encoding="utf-8")
    (out / "grade.json").write_text(json.dumps(g, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    junit(snap).write(out / "junit.xml", encoding="utf-8", xml_declaration=True)
    return results
