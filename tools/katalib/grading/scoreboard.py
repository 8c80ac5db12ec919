"""A class's scoreboard from results.json files: scoreboard.md, .csv and
.json (a list of rows). The same rows whether the results come from one
machine's `grade --batch` or from every student's own CI run."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..errors import ToolError


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


def load(paths: list[Path]) -> list[dict]:
    """results.json files, or folders searched for them (e.g. `gh run download`'s)."""
    rows = []
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
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ToolError(f"scoreboard: cannot read {f}: {err}") from err
        rows.append(row(data, f.parent.name))
    return _unique(rows)


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
    return ["student", *chapters, "total", "max", "done", "exercises", "build_errors", "ignored",
            "seconds", "commit", "errors"]


def _fmt(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def markdown(rows: list[dict]) -> str:
    cols = columns(rows)
    heads = {"build_errors": "build errors", "done": "exercises done", "ignored": "ignored files",
             "seconds": "seconds", "exercises": "of"}
    out = ["# evloop-kata scoreboard", "",
           "| " + " | ".join(heads.get(c, c) for c in cols) + " |",
           "| " + " | ".join("---" if c in ("student", "errors", "commit") else "---:" for c in cols) + " |"]
    for r in sorted(rows, key=lambda r: (-float(r["total"]), r["student"])):
        cells = [_fmt(r.get(c, "")).replace("|", "\\|").replace("\n", " ") for c in cols]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"{len(rows)} submission(s). Points per exercise are all or nothing; "
                "only the manifest's `edit` files of each submission were graded.", ""]
    return "\n".join(out)


def write(out: Path, rows: list[dict]) -> str:
    out.mkdir(parents=True, exist_ok=True)
    (out / "scoreboard.json").write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns(rows), extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: _fmt(v) for k, v in r.items()})
    (out / "scoreboard.csv").write_text(buf.getvalue(), encoding="utf-8")
    md = markdown(rows)
    (out / "scoreboard.md").write_text(md, encoding="utf-8")
    return md
