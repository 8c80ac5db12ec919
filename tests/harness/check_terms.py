#!/usr/bin/env python3
"""Terminology self-tests: every chapter and exercise README
(chapters/**/README.md) uses the words of docs/glossary.md.

  check_terms.py ROOT readmes    check the READMEs of the kata at ROOT
  check_terms.py ROOT detects    run the same checks on small fake texts that
                                 break them (and on ones that do not), so the
                                 check is seen to fail

The rules, line by line:

1. 轮询 means the poll phase only (round-robin is 轮转调度). An occurrence of
   轮询 is accepted when
   a. it is followed at once by 阶段 (轮询阶段), or
   b. it is the gloss of the word poll, `poll（轮询）` or `poll(轮询)`, the
      poll phase's name as the seed writes it, or
   c. it lies inside a quotation of the seed marked as such: between a pair
      of quote marks ("…", “…”, 「…」) that opens on the same line after a
      marker of the seed (原文教程, "the seed" / "The seed").
   Anything else (轮询调度, 轮询（round-robin）, 后面的轮询测试…) fails: it reads
   as round-robin, or is ambiguous.
2. 种子 (as in 种子文档, 种子里的) never appears: the seed is 原文教程 in Chinese.

Code blocks are checked too: the kata's READMEs have no Chinese output in
them that would need either word.
"""
from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

SEED_MARKER = re.compile(r"原文教程|[Tt]he seed")
QUOTES = {'"': '"', "“": "”", "「": "」"}
POLL_GLOSS = re.compile(r"poll\s*[（(]\s*$")


def _quoted_spans(line: str, start: int) -> list[tuple[int, int]]:
    """(open, close) index pairs of the quotations that open at or after `start`."""
    spans, i = [], start
    while i < len(line):
        close = QUOTES.get(line[i])
        if close is None:
            i += 1
            continue
        j = line.find(close, i + 1)
        if j < 0:
            spans.append((i, len(line)))
            break
        spans.append((i, j))
        i = j + 1
    return spans


def bad_poll_words(text: str) -> list[tuple[int, str]]:
    """(line number, line) of every 轮询 that rule 1 does not accept."""
    bad = []
    for n, line in enumerate(text.splitlines(), 1):
        marker = SEED_MARKER.search(line)
        spans = _quoted_spans(line, marker.end()) if marker else []
        for m in re.finditer("轮询", line):
            if line.startswith("阶段", m.end()):
                continue
            if POLL_GLOSS.search(line[:m.start()]) and re.match(r"\s*[）)]", line[m.end():]):
                continue
            if any(a < m.start() < b for a, b in spans):
                continue
            bad.append((n, line.strip()))
    return bad


def bad_seed_words(text: str) -> list[tuple[int, str]]:
    return [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1) if "种子" in line]


def check_text(name: str, text: str) -> list[str]:
    out = [f"{name}:{n}: bare 轮询 (round-robin is 轮转调度; the poll phase is 轮询阶段): {line}"
           for n, line in bad_poll_words(text)]
    out += [f"{name}:{n}: 种子 (the seed is 原文教程 in Chinese, docs/glossary.md): {line}"
            for n, line in bad_seed_words(text)]
    return out


def readmes(root: Path) -> list[str]:
    files = sorted((root / "chapters").rglob("README.md"))
    if not files:
        return [f"no README.md under {root / 'chapters'}"]
    bad = []
    for f in files:
        bad += check_text(str(f.relative_to(root)), f.read_text(encoding="utf-8"))
    return bad


BREAKS = [
    "而 cluster 的 round-robin（轮询调度）让负载均衡。",
    "# 第四章 · 练习 8 — 轮询（round-robin）分发器",
    "后面的轮询测试要求 ≤ 1.05。",
    "主进程按轮询把连接交给 worker。",
    "种子文档说：每一轮事件循环包含六个阶段。",
    "种子里的 demo 用 workers.pop() 盲目轮转。",
    '别人说："cluster 用轮询调度算法"。',              # a quotation, but not of the seed
    '原文教程说 rr 好，而 cluster 用轮询调度。',       # seed marked, but not in quotes
]
PASSES = [
    "`close(cb)` 在本轮的轮询阶段之后执行；轮询阶段会阻塞。",
    "原文教程说：**poll（轮询）**、**check（检查）**。",
    "The seed: \"**poll(轮询)**: 检索新的I/O事件\".",
    '原文教程："round-robin **轮询调度算法**的原理是每一次把请求轮流分配"。',
    "原文教程的 cluster 用轮转调度（round-robin）分发连接。",
    "The primary hands connections out round-robin (轮转调度).",
]


def detects(_root: Path) -> list[str]:
    failures = []
    for text in BREAKS:
        if not check_text("fake", text):
            failures.append(f"not detected: {text}")
    for text in PASSES:
        got = check_text("fake", text)
        if got:
            failures.append(f"wrongly flagged: {got}")
    # The same through readmes() on a fake tree: one bad README, one good.
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "chapters/ch9-fake/ex01-a").mkdir(parents=True)
        (t / "chapters/ch9-fake/ex01-a/README.md").write_text("\n".join(PASSES) + "\n", encoding="utf-8")
        (t / "chapters/ch9-fake/README.md").write_text("ok\n" + BREAKS[0] + "\n" + BREAKS[4] + "\n",
                                                     encoding="utf-8")
        got = readmes(t)
        want = ["chapters/ch9-fake/README.md:2:", "chapters/ch9-fake/README.md:3:"]
        if [g.split(" ", 1)[0] for g in got] != want:
            failures.append(f"readmes() on a fake tree: expected problems at {want}, got {got}")
    return failures


CHECKS = {"readmes": readmes, "detects": detects}


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[2] not in CHECKS:
        print(f"usage: check_terms.py ROOT {{{'|'.join(CHECKS)}}}", file=sys.stderr)
        return 2
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError):
            pass
    problems = CHECKS[argv[2]](Path(argv[1]).resolve())
    for p in problems:
        print(p)
    if problems:
        print(f"check_terms {argv[2]}: {len(problems)} problem(s); see docs/glossary.md")
        return 1
    print(f"check_terms {argv[2]}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
