#!/usr/bin/env python3
"""Layout self-tests: one copy of every file, and a manifest that knows which
files are the learner's.

  check_layout.py ROOT CHECK     run one check on the kata at ROOT
  check_layout.py ROOT detects   every check, on fake trees that break it

Checks:
  identical_pairs   no file of solutions/ is byte-identical to its chapters/ twin
  solutions_only_edit  solutions/ holds only files some exercise lists under `edit`
  todo_only_in_edit    a chapters/ file that says KATA_TODO is an `edit` file
  edit_has_todo     every `edit` file says KATA_TODO in chapters/ (it is a stub)
  folders_listed    an exercise folder holds README.md + `edit` + `given`, nothing else
  edit_headers_alone   an exercise that edits a header edits no .cpp beside it (a
                    reference .cpp would find the solutions/ header by the quoted-
                    include rule, not yours: docs/build.md)
"""
from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

SOURCE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc"}


def exercises(root: Path):
    for m in sorted((root / "manifest").glob("chapter*.json")):
        data = json.loads(m.read_text(encoding="utf-8"))
        for e in data.get("exercises", []):
            folder = f"{data['slug']}/{e['id']}-{e['slug']}"
            yield f"ch{data['chapter']}.{e['id']}", folder, list(e.get("edit", [])), list(e.get("given", []))


def edit_paths(root: Path) -> set[str]:
    return {f"{folder}/{f}" for _, folder, edit, _ in exercises(root) for f in edit}


def files_under(d: Path):
    return sorted(p for p in d.rglob("*") if p.is_file()) if d.exists() else []


def identical_pairs(root: Path) -> list[str]:
    bad = []
    for s in files_under(root / "solutions"):
        c = root / "chapters" / s.relative_to(root / "solutions")
        if c.exists() and c.read_bytes() == s.read_bytes():
            bad.append(f"solutions/{s.relative_to(root / 'solutions')} is identical to its chapters/ twin: keep one copy (chapters/)")
    return bad


def solutions_only_edit(root: Path) -> list[str]:
    edits = edit_paths(root)
    return [f"solutions/{rel} is not an `edit` file of any exercise: given files live in chapters/ only"
            for rel in (str(s.relative_to(root / "solutions")) for s in files_under(root / "solutions"))
            if rel not in edits]


def todo_only_in_edit(root: Path) -> list[str]:
    edits = edit_paths(root)
    bad = []
    for c in files_under(root / "chapters"):
        if c.suffix in SOURCE_SUFFIXES and "KATA_TODO" in c.read_text(encoding="utf-8", errors="replace"):
            rel = str(c.relative_to(root / "chapters"))
            if rel not in edits:
                bad.append(f"chapters/{rel} says KATA_TODO but is not an `edit` file in the manifest")
    return bad


def edit_has_todo(root: Path) -> list[str]:
    bad = []
    for key, folder, edit, _ in exercises(root):
        for f in edit:
            c = root / "chapters" / folder / f
            if not c.exists():
                bad.append(f"{key}: edit file chapters/{folder}/{f} does not exist")
            elif "KATA_TODO" not in c.read_text(encoding="utf-8", errors="replace"):
                bad.append(f"{key}: chapters/{folder}/{f} is an `edit` file without a KATA_TODO (not a stub)")
            if not (root / "solutions" / folder / f).exists():
                bad.append(f"{key}: edit file {f} has no reference solutions/{folder}/{f}")
    return bad


def folders_listed(root: Path) -> list[str]:
    bad = []
    for key, folder, edit, given in exercises(root):
        d = root / "chapters" / folder
        listed = {"README.md", *edit, *given}
        present = {p.name for p in d.iterdir()} if d.is_dir() else set()
        for extra in sorted(present - listed):
            bad.append(f"{key}: chapters/{folder}/{extra} is neither `edit` nor `given` in the manifest")
        for missing in sorted(listed - present):
            bad.append(f"{key}: the manifest lists {missing}, which chapters/{folder}/ does not have")
        for both in sorted(set(edit) & set(given)):
            bad.append(f"{key}: {both} is listed as both `edit` and `given`")
    return bad


def edit_headers_alone(root: Path) -> list[str]:
    bad = []
    for key, folder, edit, _ in exercises(root):
        headers = [f for f in edit if Path(f).suffix in {".hpp", ".h"}]
        sources = [f for f in edit if Path(f).suffix == ".cpp"]
        if headers and sources:
            bad.append(f"{key}: edits header(s) {headers} and source(s) {sources}; the reference .cpp would "
                       "include the solutions/ header, not yours (split the exercise or make the header given)")
    return bad


CHECKS = {f.__name__: f for f in (identical_pairs, solutions_only_edit, todo_only_in_edit,
                                  edit_has_todo, folders_listed, edit_headers_alone)}


def fake_tree(tmp: Path) -> Path:
    """A kata that passes every check; detects() breaks it one rule at a time."""
    root = tmp / "kata"
    (root / "manifest").mkdir(parents=True)
    (root / "manifest" / "chapter1.json").write_text(json.dumps({
        "chapter": 1, "slug": "ch1-x", "exercises": [
            {"id": "ex01", "slug": "a", "edit": ["a.cpp"], "given": ["a.hpp"]}]}))
    ex = root / "chapters" / "ch1-x" / "ex01-a"
    ex.mkdir(parents=True)
    (ex / "README.md").write_text("# a\n")
    (ex / "a.hpp").write_text("int a();\n")
    (ex / "a.cpp").write_text('int a() { KATA_TODO("a"); }\n')
    ref = root / "solutions" / "ch1-x" / "ex01-a"
    ref.mkdir(parents=True)
    (ref / "a.cpp").write_text("int a() { return 1; }\n")
    return root


def detects(root_unused: Path) -> list[str]:
    ex, ref = Path("chapters/ch1-x/ex01-a"), Path("solutions/ch1-x/ex01-a")
    breakages = {
        "identical_pairs": lambda r: shutil.copy(r / ex / "a.hpp", r / ref / "a.hpp"),
        "solutions_only_edit": lambda r: (r / ref / "extra.cpp").write_text("int x;\n"),
        "todo_only_in_edit": lambda r: (r / ex / "a.hpp").write_text('#define X KATA_TODO("x")\n'),
        "edit_has_todo": lambda r: (r / ex / "a.cpp").write_text("int a() { return 1; }\n"),
        "folders_listed": lambda r: (r / ex / "stray.cpp").write_text("int s;\n"),
        "edit_headers_alone": lambda r: (r / "manifest" / "chapter1.json").write_text(json.dumps({
            "chapter": 1, "slug": "ch1-x", "exercises": [
                {"id": "ex01", "slug": "a", "edit": ["a.cpp", "a.hpp"], "given": []}]})),
    }
    bad = []
    with tempfile.TemporaryDirectory() as tmp:
        clean = fake_tree(Path(tmp) / "clean")
        for name, check in CHECKS.items():
            if check(clean):
                bad.append(f"{name} fails a tree that follows every rule: {check(clean)}")
        for name, breakage in breakages.items():
            root = fake_tree(Path(tmp) / name)
            breakage(root)
            if not CHECKS[name](root):
                bad.append(f"{name} did not notice a tree that breaks it")
    return bad


def main(argv: list[str]) -> int:
    if len(argv) != 2 or (argv[1] not in CHECKS and argv[1] != "detects"):
        print(__doc__, file=sys.stderr)
        return 2
    root, name = Path(argv[0]).resolve(), argv[1]
    problems = detects(root) if name == "detects" else CHECKS[name](root)
    for p in problems:
        print(p)
    print(f"{name}: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
