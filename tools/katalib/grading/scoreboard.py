"""A class's scoreboard from results.json files: scoreboard.md, .csv and
.json (a list of rows). The same rows whether the results come from one
machine's `grade --batch` or from every student's own CI run.

A results.json from a student's CI run is the student's to write (their
fork's workflow uploads it), so nothing in it is trusted: each file is
checked against the schema the grader writes (reports.py) and against the
kata's manifest — every test an exercise of the kata, with its points, the
total the sum of the tests — and a file that fails is listed as rejected,
never merged. What is merged is shown as text: a CSV cell cannot become a
spreadsheet formula, a Markdown cell cannot become a link, an image or HTML.
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from pathlib import Path

from .. import manifest as manifest_mod
from ..errors import ToolError

ROOT = Path(__file__).resolve().parents[3]      # the checkout these tools belong to (kata.py's --root default)
MAX_FILE = 16 << 20                             # a results.json of the grader is a few KiB
_EPS = 1e-6                                      # points may be fractional (manifest: 2.5)


class Rows(list):
    """The merged rows, plus the files not merged ("file: reason") and the
    similar pairs (similarity.pairs) a batch found; write() shows both."""
    rejected: list[str]
    similar: list

    def __init__(self, rows=(), rejected=(), similar=()):
        super().__init__(rows)
        self.rejected, self.similar = list(rejected), list(similar)


def row(results: dict, fallback_name: str) -> dict:
    x = results.get("extra_data") or {}
    chapters = x.get("chapters") or {}
    r = {"student": x.get("student") or fallback_name}
    for num in sorted(chapters, key=int):
        r[f"ch{num}"] = chapters[num]["earned"]
    notes = list(x.get("build_errors", [])) + list(x.get("notes", []))
    r.update({
        "total": results.get("score", 0),
        "max": x.get("max_score", sum(c["possible"] for c in chapters.values())),
        "done": x.get("exercises_done", 0),
        "exercises": x.get("exercises_total", len(results.get("tests", []))),
        "build_errors": len(x.get("build_errors", [])),
        "ignored": x.get("ignored_total", len(x.get("ignored", []))),
        "seconds": x.get("seconds", results.get("execution_time", 0)),
        "commit": (x.get("commit") or "")[:12],
        "errors": "; ".join(notes),
        "ignored_files": list(x.get("ignored", [])),
    })
    return r


# --- what a results.json must be to be merged ------------------------------

def points_of(chapters) -> dict[str, float]:
    """{exercise key: points} of a manifest (a list of manifest.Chapter)."""
    return {e.key: e.points for e in manifest_mod.all_exercises(chapters)}


def _num(v) -> bool:
    # bool is an int in Python; JSON's true is not a score
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _strings(v) -> bool:
    return isinstance(v, list) and all(isinstance(s, str) for s in v)


def check(results, points: dict[str, float]) -> str | None:
    """Why `results` (a parsed results.json) must not be merged, or None.
    `points`: {exercise key: points} of the kata's manifest (points_of)."""
    if not isinstance(results, dict):
        return "not a JSON object"
    score, tests, x = results.get("score"), results.get("tests"), results.get("extra_data", {})
    if not _num(score) or score < 0:
        return f"score {score!r} is not a number >= 0"
    if not isinstance(tests, list):
        return "tests is not a list"
    if not isinstance(x, dict):
        return "extra_data is not an object"
    seen: dict[str, dict] = {}
    for i, t in enumerate(tests):
        if not isinstance(t, dict):
            return f"tests[{i}] is not an object"
        num, s, m, status = t.get("number"), t.get("score"), t.get("max_score"), t.get("status")
        if not isinstance(num, str):
            return f"tests[{i}].number {num!r} is not a string"
        # `ch1.ex02.hidden`: a detail of an exercise (its hidden checks) the
        # grader lists beside it, worth no points of its own
        key, detail = num, ""
        if num not in points and num.count(".") == 2:
            key, detail = num.rsplit(".", 1)
        if key not in points or (detail and not re.fullmatch(r"[a-z_]+", detail)):
            return f"tests[{i}].number {num!r} is not an exercise of the kata"
        if num in seen:
            return f"{num} is listed twice"
        if not _num(s) or not _num(m):
            return f"{num}: score {s!r} / max_score {m!r} are not numbers"
        want = 0 if detail else points[key]
        if abs(m - want) > _EPS:
            return f"{num}: max_score {m:g}, the manifest gives {want:g}"
        if s < 0 or s > m + _EPS:
            return f"{num}: score {s:g} is not between 0 and max_score {m:g}"
        if status not in ("passed", "failed"):
            return f"{num}: status {status!r} is neither passed nor failed"
        # all or nothing per exercise (docs/grading.md): passed = every point
        if abs(s - (m if status == "passed" else 0)) > _EPS:
            return f"{num}: {status} with score {s:g} of {m:g} (points are all or nothing)"
        seen[num] = t
    total = sum(t["score"] for t in tests)
    if abs(score - total) > _EPS:
        return f"score {score:g} is not the sum of the tests' scores ({total:g})"
    if not tests and score == 0 and "max_score" not in x and not x.get("chapters"):
        return _check_extra(x)                  # what the batch writes when the grader itself failed
    maxi = x.get("max_score")
    if not _num(maxi):
        return f"extra_data.max_score {maxi!r} is not a number"
    if score > maxi + _EPS:
        return f"score {score:g} is more than extra_data.max_score {maxi:g}"
    possible = sum(t["max_score"] for t in tests)
    if tests and abs(maxi - possible) > _EPS:
        return f"extra_data.max_score {maxi:g} is not the sum of the tests' max_score ({possible:g})"
    chapters = x.get("chapters", {})
    if not isinstance(chapters, dict):
        return "extra_data.chapters is not an object"
    if tests or chapters:
        by_ch: dict[str, list[float]] = {}
        for t in tests:
            e = by_ch.setdefault(t["number"][2:].split(".", 1)[0], [0, 0])
            e[0] += t["score"]
            e[1] += t["max_score"]
        for key, c in chapters.items():
            if not isinstance(c, dict) or key not in by_ch or not _num(c.get("earned")) \
                    or not _num(c.get("possible")) \
                    or abs(c["earned"] - by_ch[key][0]) > _EPS or abs(c["possible"] - by_ch[key][1]) > _EPS:
                return f"extra_data.chapters[{key!r}] {c!r} does not match the tests of chapter {key}"
    passed = sum(t["status"] == "passed" for t in tests if t["number"] in points)
    done = x.get("exercises_done", passed)
    if not _num(done) or done != passed:
        return f"extra_data.exercises_done {done!r} is not the number of passed tests"
    return _check_extra(x)


def _check_extra(x: dict) -> str | None:
    if "student" in x and not isinstance(x["student"], str):
        return "extra_data.student is not a string"
    for key in ("build_errors", "notes", "ignored"):
        if key in x and not _strings(x[key]):
            return f"extra_data.{key} is not a list of strings"
    for key in ("exercises_total", "ignored_total", "seconds"):
        if key in x and not _num(x[key]):
            return f"extra_data.{key} {x[key]!r} is not a number"
    if "commit" in x and not isinstance(x["commit"], str):
        return "extra_data.commit is not a string"
    return None


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _read(f: Path):
    if f.stat().st_size > MAX_FILE:
        raise ValueError(f"larger than {MAX_FILE >> 20} MiB")
    # json accepts NaN and Infinity; a score must not be one
    return json.loads(f.read_bytes().decode("utf-8"), parse_constant=_reject_constant)


def _shown(text: str) -> str:
    """A file name or reason for one terminal line: no control characters."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "?", text)


def load(paths: list[Path], manifest: list | Path | None = None) -> Rows:
    """results.json files, or folders searched for them (e.g. `gh run
    download`'s). Each is checked (check()) against `manifest`: a list of
    manifest.Chapter (the grader's pristine one), a kata root, or by default
    this checkout's own manifest. A file that fails is reported on stderr and
    in Rows.rejected, not merged; no valid file at all is a ToolError."""
    if manifest is None or isinstance(manifest, (str, Path)):
        manifest = manifest_mod.load(Path(manifest or ROOT))
    points = points_of(manifest)
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(p.rglob("results.json"))
        elif p.is_file():
            files.append(p)
        else:
            raise ToolError(f"scoreboard: {p} does not exist")
    if not files:
        raise ToolError("scoreboard: no results.json found")
    rows, rejected = [], []
    for f in files:
        try:
            data = _read(f)
            why = check(data, points)
        except (OSError, ValueError, RecursionError) as err:
            why = f"cannot read it: {err}"
        if why:
            rejected.append(_shown(f"{f}: {why}"))
            print(f"scoreboard: rejected {rejected[-1]}", file=sys.stderr)
            continue
        rows.append(row(data, f.parent.name))
    if not rows:
        raise ToolError(f"scoreboard: no valid results.json ({len(rejected)} rejected: "
                        + "; ".join(rejected[:5]) + (" ..." if len(rejected) > 5 else "") + ")")
    return Rows(_unique(rows), rejected)


def _unique(rows: list[dict]) -> list[dict]:
    seen: dict[str, int] = {}
    for r in rows:
        n = seen.get(r["student"], 0)
        seen[r["student"]] = n + 1
        if n:
            r["student"] = f"{r['student']} ({n + 1})"
    return rows


def columns(rows: list[dict]) -> list[str]:
    chapters = sorted({k for r in rows for k in r if k.startswith("ch") and k[2:].isdigit()}, key=lambda k: int(k[2:]))
    extra = [c for c in ("flags", "similar") if any(c in r for r in rows)]     # a batch's, not CI results'
    return ["student", *chapters, "total", "max", "done", "exercises", "build_errors", "ignored",
            "seconds", "commit", *extra, "errors"]


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# --- showing untrusted text ---------------------------------------------------

def csv_cell(v) -> str:
    """OWASP's CSV-injection rule: a cell starting with = + - @ tab or CR is
    a formula to a spreadsheet; a leading ' makes it text."""
    s = _fmt(v)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


_MD = {"\\": "\\\\", "|": "\\|", "`": "\\`", "[": "\\[", "]": "\\]", "*": "\\*", "_": "\\_", "~": "\\~",
       "<": "&lt;", ">": "&gt;", "&": "&amp;", "\r\n": " ", "\n": " ", "\r": " "}
_MD_RE = re.compile(r"\r\n|[\\|`\[\]*_~<>&\n\r]")


def md_cell(v) -> str:
    """Text for a Markdown table cell or list item: no table break (|), no
    link or image ([ ]), no HTML (< > &), no emphasis or code, one line, no
    terminal control characters (scoreboard.md is also printed)."""
    s = _MD_RE.sub(lambda m: _MD[m.group()], _fmt(v))
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "\ufffd", s)


def markdown(rows: list[dict], rejected: list[str] = (), similar: list = ()) -> str:
    from . import similarity
    cols = columns(rows)
    heads = {"build_errors": "build errors", "done": "exercises done", "ignored": "ignored files",
             "seconds": "seconds", "exercises": "of", "flags": "flags\u00b2", "similar": "most similar\u00b2"}
    out = ["# evloop-kata scoreboard", "",
           "| " + " | ".join(heads.get(c, c) for c in cols) + " |",
           "| " + " | ".join("---" if c in ("student", "errors", "commit", "similar") else "---:" for c in cols) + " |"]
    for r in sorted(rows, key=lambda r: (-float(r["total"]), r["student"])):
        cells = [md_cell(r.get(c, "")) for c in cols]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"{len(rows)} submission(s). Points per exercise are all or nothing; "
                "only the manifest's `edit` files of each submission were graded.", ""]
    if "flags" in cols or "similar" in cols:
        out += ["\u00b2 For the instructor, not part of the score: `flags` counts the constructs in a "
                "submission's edit files that no solution needs (katalib/grading/flags.py); `most similar` "
                "is the classmate whose same edit file shares the most winnowing fingerprints, the stub's "
                "code removed (similarity.py).", ""]
    if rejected:
        out += [f"## Rejected ({len(rejected)} results.json not merged)", "",
                *[f"- {md_cell(r)}" for r in rejected], ""]
    out += similarity.markdown(list(similar), escape=md_cell)
    return "\n".join(out)


def write(out: Path, rows: list[dict], rejected: list[str] | None = None, similar: list | None = None) -> str:
    """scoreboard.json/.csv/.md; `rejected` and `similar` default to those
    carried by Rows (load(), the batch)."""
    rejected = getattr(rows, "rejected", []) if rejected is None else rejected
    similar = getattr(rows, "similar", []) if similar is None else similar
    out.mkdir(parents=True, exist_ok=True)
    (out / "scoreboard.json").write_text(json.dumps(list(rows), indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8", errors="replace")   # (a name may hold lone surrogates)
    buf = io.StringIO()
    cols = columns(rows)
    w = csv.DictWriter(buf, fieldnames=[csv_cell(c) for c in cols], extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({csv_cell(k): csv_cell(v) for k, v in r.items() if k in cols})
    (out / "scoreboard.csv").write_text(buf.getvalue(), encoding="utf-8", errors="replace")
    md = markdown(rows, rejected, similar)
    (out / "scoreboard.md").write_text(md, encoding="utf-8", errors="replace")
    return md
