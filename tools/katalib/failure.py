"""Turns a failed test's output into the few lines a learner needs to read."""
from __future__ import annotations

import re

NOT_DONE = "not done yet"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def says_not_done(output: str) -> bool:
    return NOT_DONE in output


def first_message(output: str, limit: int = 25) -> list[str]:
    """The first failing check: the 'not done yet: …' line when a KATA_TODO was
    reached, else the first failure block (an order diff, a hang, a crash)."""
    lines = [_ANSI.sub("", l.rstrip()) for l in output.splitlines()]
    for l in lines:
        i = l.find(NOT_DONE + ":")
        if i >= 0:
            return [l[i:].strip()]
    for marker in ("\u2717 hang:", "\u2717 crash:"):
        for i, l in enumerate(lines):
            if marker in l:
                return _trim(lines[i:], limit)
    body = _test_body(lines)
    start = next((i for i, l in enumerate(body) if re.search(r"(: Failure|^Failure)$", l)), None)
    if start is not None:
        end = len(body)
        for j in range(start + 1, len(body)):
            if re.search(r"(: Failure|^Failure)$", body[j]):
                end = j
                break
        return _trim(_tidy(body[start:end]), limit)
    return _trim(body or lines, limit)


def _tidy(block: list[str]) -> list[str]:
    """An order diff wrapped by EXPECT_TRUE ("Value of: same_order(...)",
    "Actual: false (", ..., ")", "Expected: true") keeps only the diff."""
    i = next((k for k, l in enumerate(block) if l.startswith("order differs at event")), None)
    if i is None:
        return block
    j = len(block)
    for k in range(i + 1, len(block)):
        if block[k] == "Expected: true" or block[k] == ")":
            j = k
            break
    rest = [l for l in block[j:] if l not in (")", "Expected: true")]
    return [block[0]] + block[i:j] + rest


def _test_body(lines: list[str]) -> list[str]:
    """Lines between gtest's [ RUN ] and [ FAILED ] / [ OK ] markers."""
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("[ RUN      ]")) + 1
    except StopIteration:
        return [l for l in lines if l.strip()]
    end = next((i for i in range(start, len(lines))
                if lines[i].startswith(("[  FAILED  ]", "[       OK ]", "[  SKIPPED ]"))), len(lines))
    return [l for l in lines[start:end]]


def _trim(lines: list[str], limit: int) -> list[str]:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    if len(lines) > limit:
        return lines[:limit] + [f"... ({len(lines) - limit} more lines: run the test with --output-on-failure)"]
    return lines
