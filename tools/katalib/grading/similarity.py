"""How alike two solutions are: winnowing fingerprints (Schleimer, Wilkerson,
Aiken, "Winnowing: local algorithms for document fingerprinting", SIGMOD
2003 — the algorithm behind MOSS). A flag for the instructor, never a score.

The algorithm, as used here:

1. Tokenize the C++: every identifier becomes `V`, every number `N`, every
   string or character literal `S`; keywords and punctuation stay as they
   are; comments, whitespace and preprocessor lines are dropped. Renaming
   variables, reformatting and rewriting comments therefore change nothing.
2. Hash every k-gram of K = 15 consecutive tokens (the noise threshold:
   a match shorter than 15 tokens, e.g. `for (int i = 0; i < n; ++i)`, is
   code anyone writes and is not looked at).
3. Winnow: in every window of W = 8 consecutive k-gram hashes keep the
   smallest. The fingerprint of a file is the set of
   kept hashes. The guarantee: any shared run of at least W + K - 1 = 22
   tokens yields at least one shared fingerprint.
4. `compare(a, b)` = |A ∩ B| / min(|A|, |B|): 1.0 when the smaller file is
   contained in the larger. A file with fewer than MIN_PRINTS fingerprints
   (a stub, an empty function) scores 0: there is too little to compare.

`pairs()` first removes the fingerprints of the stub (code everyone was
given: signatures, the includes' shape, the given comments' code) so two
students are not alike because they both kept the stub's skeleton.

Limits (what an instructor should know before reading a number):
- Token-level only: reordering functions keeps most fingerprints, but
  rewriting the logic (a loop as recursion, a different data structure)
  defeats it — as it does MOSS. A high score says "look at these two", a
  low one proves nothing.
- Small exercises (a 10-line function) have few fingerprints: everyone's
  correct answer looks alike there; MIN_PRINTS drops the smallest, and a
  pair is only reported above THRESHOLD.
- Macros are not expanded, templates not instantiated: text is compared,
  not programs.

Why hand-written: Debian packages no winnowing library for Python (its
`similarity-tester`, Dick Grune's SIM, is a C command-line tool that lists
common token runs: a good second opinion on a pair reported here, not a
library), PyPI's (copydetect) is not reachable from the grading machines, and
MOSS is a web service that would upload every student's code to a third
party. So this module is the paper's algorithm, standard library only.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

K = 15                 # tokens per k-gram: shorter matches are noise
W = 8                  # window: any shared run of W + K - 1 tokens is detected
MIN_PRINTS = 10        # fewer fingerprints than this: stub-sized, scores 0
THRESHOLD = 0.8        # pairs() reports pairs at or above this

KEYWORDS = frozenset("""
alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
extern false float for friend goto if inline int long mutable namespace new noexcept not not_eq
nullptr operator or or_eq private protected public register reinterpret_cast requires return
short signed sizeof static static_assert static_cast struct switch template this thread_local
throw true try typedef typeid typename union unsigned using virtual void volatile wchar_t while
xor xor_eq override final
""".split())

# One scanner for C++ source, shared with flags.py. Order matters: comments
# and literals first, so `//` in a string or `"` in a comment is not misread.
_TOKEN = re.compile(r"""
    (?P<comment>//(?:[^\n\\]|\\.|\\\n)*|/\*.*?(?:\*/|\Z))
  | (?P<raw>(?:u8|[uUL])?R"(?P<delim>[^()\\\s"]{0,16})\(.*?(?:\)(?P=delim)"|\Z))
  | (?P<string>(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*(?:"|$))
  | (?P<char>(?:u8|[uUL])?'(?:[^'\\\n]|\\.)*(?:'|$))
  | (?P<number>\.?\d(?:[\w.]|'(?=\w)|[eEpP][+-])*)
  | (?P<ident>[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*)
  | (?P<punct>\.\.\.|<=>|<<=|>>=|->\*|::|->|\+\+|--|&&|\|\||==|!=|<=|>=|\+=|-=|\*=|/=|%=|&=|\|=|\^=|<<|>>|\#\#|\.\*|\S)
  | (?P<space>\s+)
""", re.X | re.S | re.M)


def lex(text: str):
    """(kind, text, start offset) for every token of `text`, comments and
    literals included (kind: comment, string, char, number, ident, punct);
    raw strings count as strings."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup if m.lastgroup != "delim" else "raw"
        if kind == "space":
            continue
        if kind == "raw":
            kind = "string"
        yield kind, m.group(), m.start()


def _decode(data: bytes | str) -> str:
    return data if isinstance(data, str) else data.decode("utf-8", errors="replace")


def _strip_preprocessor(text: str) -> str:
    # #include/#define lines are the same in every solution (and a macro body
    # is not code until expanded): not part of what someone wrote.
    return re.sub(r"^[ \t]*#(?:[^\n\\]|\\.|\\\n)*", "", text, flags=re.M)


def tokens(data: bytes | str) -> list[str]:
    """The normalised token stream: identifiers V, numbers N, literals S."""
    out = []
    for kind, tok, _ in lex(_strip_preprocessor(_decode(data))):
        if kind == "comment":
            continue
        if kind == "ident":
            out.append(tok if tok in KEYWORDS else "V")
        elif kind == "number":
            out.append("N")
        elif kind in ("string", "char"):
            out.append("S")
        else:
            out.append(tok)
    return out


_TOKEN_IDS: dict[str, int] = {}


def _token_id(tok: str) -> int:
    # A stable number per token (Python's hash() of a str is salted per
    # process; blake2b is not), computed once per distinct token.
    n = _TOKEN_IDS.get(tok)
    if n is None:
        n = _TOKEN_IDS[tok] = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=8).digest(), "big")
    return n


def fingerprint(data: bytes | str, k: int = K, w: int = W) -> set[int]:
    ids = [_token_id(t) for t in tokens(data)]
    # hash() of a tuple of ints is the same in every process (only str and
    # bytes hashing is salted), so fingerprints of two runs compare
    hashes = [hash(tuple(ids[i:i + k])) for i in range(len(ids) - k + 1)]
    if len(hashes) <= w:
        return set(hashes)        # shorter than one window: every hash (MIN_PRINTS decides)
    # (the paper keeps the rightmost minimum to record positions; a set of
    # hashes needs no position, so any minimum is the same value)
    return {min(hashes[i:i + w]) for i in range(len(hashes) - w + 1)}


def compare_prints(a: set[int], b: set[int]) -> float:
    if len(a) < MIN_PRINTS or len(b) < MIN_PRINTS:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def compare(a: bytes | str, b: bytes | str) -> float:
    """|A ∩ B| / min(|A|, |B|) of the two files' fingerprints; 0 when either
    is stub-sized (fewer than MIN_PRINTS fingerprints)."""
    return compare_prints(fingerprint(a), fingerprint(b))


def _read(path: Path) -> bytes | None:
    try:
        if path.is_symlink() or not path.is_file():
            return None
        return path.read_bytes()
    except OSError:
        return None


def against_reference(submitted: dict[str, bytes], reference_root: Path) -> dict[str, float]:
    """Each submitted edit file (repo-relative `chapters/...` path) against the
    reference solution, both without the stub's fingerprints. `reference_root`
    is a kata tree holding both `solutions/` and `chapters/` (the grader's
    pristine export, never the submission). Without removing the stub, an
    untouched stub would be "83 % the reference" wherever the stub is mostly
    given code (ch3.ex02's timers.cpp). Files without a reference are left out."""
    out = {}
    root = Path(reference_root)
    for path, data in sorted(submitted.items()):
        rel = path.split("/", 1)[1] if path.startswith(("chapters/", "solutions/")) else path
        ref = _read(root / "solutions" / rel)
        if ref is None:
            continue
        stub = _read(root / "chapters" / rel)
        given = fingerprint(stub) if stub is not None else set()
        out[path] = round(compare_prints(fingerprint(data) - given, fingerprint(ref) - given), 3)
    return out


def pairs(students: dict[str, dict[str, bytes]], stubs: dict[str, bytes],
          threshold: float = THRESHOLD) -> list[tuple[str, str, str, float]]:
    """(student a, student b, path, score) for every pair of students whose
    same edit file scores >= threshold once the stub's fingerprints are
    removed from both; highest first. A file equal to its stub is skipped
    (a student who did not touch it shares it with everyone)."""
    stub_prints = {p: fingerprint(d) for p, d in stubs.items()}
    by_path: dict[str, list[tuple[str, set[int]]]] = {}
    for name, files in students.items():
        for path, data in files.items():
            if path in stubs and data == stubs[path]:
                continue
            prints = fingerprint(data) - stub_prints.get(path, set())
            by_path.setdefault(path, []).append((name, prints))
    out = []
    for path, entries in by_path.items():
        entries.sort(key=lambda e: e[0])
        for i, (a, pa) in enumerate(entries):
            for b, pb in entries[i + 1:]:
                score = compare_prints(pa, pb)
                if score >= threshold:
                    out.append((a, b, path, round(score, 3)))
    out.sort(key=lambda t: (-t[3], t[0], t[1], t[2]))
    return out


def best_matches(found: list[tuple[str, str, str, float]]) -> dict[str, tuple[str, float]]:
    """Per student, the classmate of its highest-scoring pair (for a
    scoreboard column)."""
    best: dict[str, tuple[str, float]] = {}
    for a, b, _, score in found:
        for me, other in ((a, b), (b, a)):
            if me not in best or score > best[me][1]:
                best[me] = (other, score)
    return best


def markdown(found: list[tuple[str, str, str, float]] | None = None,
             reference: dict[str, float] | None = None, escape=None) -> list[str]:
    """Lines for a report: "## Similar submissions" (pairs()) and/or
    "## Similarity to the reference" (against_reference(), files at or above
    THRESHOLD); [] when there is nothing to say. `escape` renders a student
    name or path as Markdown text (default scoreboard.md_cell)."""
    if escape is None:
        from .scoreboard import md_cell as escape
    out: list[str] = []
    if found:
        out += ["## Similar submissions", "",
                f"Pairs whose same edit file shares \u2265 {THRESHOLD:.0%} of its winnowing fingerprints "
                "once the stub's are removed (a reason to read both, not a verdict; see "
                "`katalib/grading/similarity.py`).", "",
                "| student | student | file | similarity |", "| --- | --- | --- | ---: |"]
        out += [f"| {escape(a)} | {escape(b)} | {escape(p)} | {s:.2f} |" for a, b, p, s in found]
        out.append("")
    close = {p: s for p, s in (reference or {}).items() if s >= THRESHOLD}
    if close:
        out += ["## Similarity to the reference", "",
                "Edit files sharing most of their fingerprints with the kata's reference solution "
                "(small exercises have one natural answer: read before concluding).", "",
                "| file | similarity |", "| --- | ---: |"]
        out += [f"| {escape(p)} | {s:.2f} |" for p, s in sorted(close.items())]
        out.append("")
    return out
