"""Reads manifest/chapter*.json, the one list of exercises the build, the
progress view and the grader all share (nothing is listed twice)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path


class ManifestError(Exception):
    pass


@dataclass
class Exercise:
    chapter: int
    chapter_slug: str
    id: str                 # "ex01"
    slug: str               # "event-emitter"
    title: str
    title_zh: str
    goal: str
    hint: str
    edit: list[str]         # what the learner writes (and grading takes from a submission)
    given: list[str]        # everything else in the folder but README.md, in chapters/ only
    test: str
    points: float
    uses: list[str] = field(default_factory=list)
    link: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:          # "ch1.ex01" — what people type
        return f"ch{self.chapter}.{self.id}"

    @property
    def target(self) -> str:       # "ch1_ex01" — the CMake target
        return f"ch{self.chapter}_{self.id}"

    @property
    def test_prefix(self) -> str:  # "chapter1.ex01." — ctest names
        return f"chapter{self.chapter}.{self.id}."

    @property
    def folder(self) -> str:       # "ch1-.../ex01-event-emitter"
        return f"{self.chapter_slug}/{self.id}-{self.slug}"

    @property
    def probe(self) -> str:        # its hidden check's source (kata/probe.hpp), if the file exists
        return f"tests/{self.chapter_slug}/probes/{re.sub(r'_test[.]cpp$', '_probe.cpp', self.test)}"

    def readme(self, tree: str = "chapters") -> str:
        # READMEs are given: one copy, in chapters/, whichever tree is built.
        return f"chapters/{self.folder}/README.md"

    def edit_files(self, tree: str = "chapters") -> list[str]:
        return [f"{tree}/{self.folder}/{f}" for f in self.edit]

    def given_files(self) -> list[str]:
        return [f"chapters/{self.folder}/{f}" for f in self.given]


@dataclass
class Chapter:
    number: int
    slug: str
    title: str
    title_zh: str
    exercises: list[Exercise]


def _num(path: Path) -> int:
    m = re.search(r"(\d+)", path.stem)
    return int(m.group(1)) if m else 0


def load(root: Path) -> list[Chapter]:
    """Chapters in number order (chapter10 after chapter9), exercises in file order."""
    files = sorted((root / "manifest").glob("chapter*.json"), key=_num)
    if not files:
        raise ManifestError(f"no manifest/chapter*.json under {root}")
    chapters = []
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            number = int(data["chapter"])
            slug = data["slug"]
            exercises = [
                Exercise(
                    chapter=number, chapter_slug=slug, id=e["id"], slug=e["slug"],
                    title=e.get("title", e["slug"]), title_zh=e.get("title_zh", ""),
                    goal=e.get("goal", ""), hint=e.get("hint", ""),
                    edit=list(e["edit"]), given=list(e.get("given", [])), test=e.get("test", ""),
                    points=e.get("points", 0), uses=list(e.get("uses", [])),
                    link=list(e.get("link", [])))
                for e in data.get("exercises", [])
            ]
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise ManifestError(f"{path}: cannot read the manifest ({err!r})") from err
        chapters.append(Chapter(number, slug, data.get("title", slug), data.get("title_zh", ""), exercises))
    chapters.sort(key=lambda c: c.number)
    return chapters


def all_exercises(chapters: list[Chapter]) -> list[Exercise]:
    return [e for c in chapters for e in c.exercises]


def find(chapters: list[Chapter], key: str) -> Exercise:
    """Accepts ch1.ex01, ch1_ex01, chapter1.ex01, 1.1 or 1.01."""
    m = re.fullmatch(r"(?:ch(?:apter)?)?(\d+)[._-](?:ex)?(\d+)", key.strip().lower())
    if m:
        chapter, ex = int(m.group(1)), int(m.group(2))
        for e in all_exercises(chapters):
            if e.chapter == chapter and int(re.sub(r"\D", "", e.id) or -1) == ex:
                return e
    known = ", ".join(e.key for e in all_exercises(chapters))
    raise ManifestError(f"no exercise '{key}' in the manifest (known: {known})")
