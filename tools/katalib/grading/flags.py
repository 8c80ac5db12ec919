"""Flags for the instructor, not verdicts: constructs in a submission's edit
files that no solution of this kata needs and that a cheater does need —
leaving the test process early, reading its own command line, talking to
gtest, writing files next to the tests (ctest's `Testing/`, the
`*_tests.cmake` lists), code that runs before main() or instead of it (its
own main(), a C-linkage function standing in for a library's).

The sandbox already decides what such code can achieve (DESIGN.md: the
verdict comes from outside the test process); a flag only says "read this
line". It never changes a score, and an honest file may get one (a student's
own fork+exec where the kata gives one): the line is shown so the reader
decides in seconds.

    scan({"chapters/ch1-.../event_emitter.cpp": b"..."}) ->
        {"chapters/ch1-.../event_emitter.cpp": ["12: _exit() ...", ...]}

Calibration: every file of solutions/ scans clean, except what ALLOW lists
with its reason (tests/harness/grading/check_flags.py checks both that and
that the known cheating tricks are flagged).

How: a C++ scanner (similarity.lex) gives two views of each file with every
line in place — `code` (comments blanked, string contents blanked: `"exit("`
in a message is not a call) and `text` (comments blanked, strings kept: a
path such as "/proc/self/cmdline" or "Testing/" is exactly what to flag).
Comments never run, so blanking them hides nothing. Rules are regular
expressions on one view, plus one structural rule over the namespace-scope
declarations: a variable whose initialisation runs code — an immediately
called lambda, a lambda handed to a call (std::thread), a function this
file defines, an object of a class whose constructor this file defines —
i.e. a static initialiser, which runs before gtest's main() and so before
the test list is taken; and a definition of main() itself.

Limits: a heuristic over text, not a compiler. Macros are not expanded
(token pasting `##` is flagged itself), and a construct
split across names (a function pointer fetched by a computed string) is
seen only as its parts (dlsym, /proc, a static initialiser). Everything it
misses is still inside the sandbox.
"""
from __future__ import annotations

import bisect
import re

from .similarity import lex

MAX_FLAGS = 50                   # lines per file
CH4 = "ch4-node-multiprocess/"

# Known allowances, per file (path suffix) and rule, with the reason. The
# flag text must match `what` too, so only the construct the reference needs
# is allowed, not the rule for the whole file. Survey of solutions/ (2026-12):
# no reference edit file calls exit/_exit/abort or exec*/system (chapter 4's
# fork + execve + _exit live in given code: launch_support.cpp,
# cluster_plumbing.cpp), so none is allowed them.
ALLOW: list[tuple[str, str, str, str]] = [
    ("ch4-node-multiprocess/ex01-process/os_process.cpp", "proc", r"/proc/self/(cmdline|exe)\b",
     "process.argv and process.execPath: the exercise reads them where libuv does"),
    ("ch4-node-multiprocess/ex02-spawn/child_process.cpp", "syscall", r"\bSYS_pidfd_send_signal: ",
     "kill() through the pidfd (no glibc wrapper before 2.36): a reaped pid can name a stranger"),
    ("ch4-node-multiprocess/ex01-process/os_process.cpp", "env", r"\b(setenv|unsetenv)\(",
     "process.env is the exercise: set_env/unset_env write the environment"),
]


def _views(text: str) -> tuple[str, str]:
    """(code, text): comments blanked in both, string/char contents blanked in
    `code`; newlines kept, so a match's offset gives its line."""
    code, keep = list(text), list(text)
    for kind, tok, start in lex(text):
        if kind == "comment":
            for i in range(start, start + len(tok)):
                if text[i] != "\n":
                    code[i] = keep[i] = " "
        elif kind in ("string", "char"):
            q = tok.index(tok[-1]) if tok[-1] in "\"'" else tok.find('"')
            for i in range(start + q + 1, start + len(tok) - 1):
                if text[i] != "\n":
                    code[i] = "_"      # not a space: "a b" must not read as two words
    return "".join(code), "".join(keep)


# (rule, view, pattern, message, needles): message may use {0} for the
# matched text; the pattern runs only on a file whose lower-cased view holds
# one of the needles (a regular expression tries every position: twenty of
# them over a 1 MiB file took seconds).
RULES: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("proc", "text", r"/proc/[\w/.-]*", "{0}: the process reads /proc (its own command line, maps, fds)",
     ("/proc/",)),
    ("gtest", "text", r"(?i:gtest)\w*|\bGTEST_\w*|(?:\b|::)testing::\w*",
     "{0}: talks to GoogleTest (test list, flags, listeners) from an edit file", ("gtest", "testing::")),
    ("constructor", "code",
     r"__attribute__\s*\(\(\s*(?:__)?(?:constructor|destructor|section)\b|\[\[\s*gnu::(?:constructor|destructor|section)\b",
     "{0}: a function that runs before main() or after exit", ("__attribute__", "gnu::")),
    ("constructor", "text", r"\.(?:pre)?init_array|\.fini_array", "{0}: a function pointer run before main()",
     ("init_array", "fini_array")),
    ("asm", "code", r"\b(?:asm|__asm__|__asm)\b", "{0}: inline assembly", ("asm",)),
    ("asm", "text", r"\.incbin\b|^[ \t]*#[ \t]*embed\b", "{0}: embeds a file of the build machine",
     (".incbin", "embed")),
    ("dl", "code", r"\b(?:dlopen|dlsym|dlvsym|dlmopen)\b", "{0}: loads or looks up code at run time",
     ("dlopen", "dlsym", "dlvsym", "dlmopen")),
    ("dl", "text", r"\bLD_PRELOAD\b", "{0}: preloads a library", ("ld_preload",)),
    # a pointer to the exits (`auto* f = &::_exit;`), not only a call
    ("exit", "code", r"\b(?:_exit|_Exit|quick_exit)\b", "{0}: ends the process",
     ("_exit", "quick_exit")),
    # `_ex##it`: a name spelt so that no rule can read it
    ("macro", "code", r"##", "{0}: token pasting (builds names a reader cannot search for)", ("##",)),
    # a C-linkage definition can stand in for a function of libc or gtest
    # (interposition: the linker takes the program's own first)
    ("linkage", "text", r"\bextern\s+\"C(?:\+\+)?\"", "{0}: C linkage (can replace a library's function)",
     ("extern",)),
    ("ptrace", "code", r"\bptrace\b|\bprocess_vm_(?:readv|writev)\b", "{0}: inspects another process",
     ("ptrace", "process_vm_")),
    # a raw system call, by its number (`syscall(` alone is also a common member name)
    ("syscall", "code", r"\bsyscall\s*\(\s*(?:::)?(?:SYS_\w+|__NR_\w+|\d+)|\b(?:SYS|__NR)_\w+",
     "{0}: a raw system call", ("syscall", "sys_", "__nr_")),
    ("env", "text", r"\bgetenv\s*\(\s*\"(?:GTEST|CTEST|KATA|TEST)\w*", "{0}: reads the test runner's environment",
     ("getenv",)),
    ("write", "code", r"(?<!i)\bo?fstream\b(?!>)|\bbasic_ofstream\b|\bfreopen\b|\bfdopen\b",
     "{0}: opens a file for writing", ("fstream", "freopen", "fdopen")),
    ("write", "code", r"(?:\bfilesystem|\bfs)\s*::\s*(?:remove|remove_all|rename|permissions|copy|copy_file|"
     r"copy_symlink|create_symlink|create_directory_symlink|create_hard_link|resize_file|last_write_time)\b",
     "{0}: changes files", ("filesystem", "fs")),
    ("include", "text", r"^[ \t]*#[ \t]*include\s*(?:[<\"](?:/|[^>\"\n]*\.\.)[^>\"\n]*[>\"]?|[^<\"\s][^\n]*)",
     "{0}: includes a file outside the kata's include paths (an absolute path, `..`, or a macro)", ("include",)),
    ("testfiles", "text", r"(?i:junit)\w*|\bTesting/|CTestTestfile\w*|\w*_tests\.cmake|\bLastTest\w*|\bctest\b",
     "{0}: names a file of the test runner",
     ("junit", "testing/", "ctesttestfile", "_tests.cmake", "lasttest", "ctest")),
]

# Calls of the C library, flagged only when the name means the library's
# function: `x.exit(0)`, `Process::exit` and, in a file that defines its own
# `Foo::name`, a bare `name(...)` (a member call) are not. (A limit: a file
# that defines a dummy `Foo::exit` hides a bare `exit(0)` outside Foo; the
# static-initialiser rule still shows code that runs before main().)
CALLS: list[tuple[str, tuple[str, ...], str, bool]] = [
    # (rule, names, message, outside chapter 4 only)
    ("exit", ("_exit", "_Exit", "quick_exit", "exit", "abort", "atexit", "at_quick_exit"),
     "{0}(): ends the process (or runs code at its end)", False),
    ("process", ("system", "popen", "execl", "execlp", "execle", "execv", "execvp", "execve", "execvpe",
                 "fexecve", "posix_spawn", "posix_spawnp", "fork", "vfork", "clone"),
     "{0}(): starts a program or process", True),
    ("env", ("setenv", "unsetenv", "putenv", "clearenv"), "{0}(): changes the environment", False),
    ("write", ("rename", "renameat", "unlink", "unlinkat", "chmod", "fchmod", "fchmodat", "chown", "lchown",
               "truncate", "symlink", "link", "creat", "remove", "mkfifo"), "{0}(): changes files", False),
]

_WRITE_FLAGS = re.compile(r"\bO_(?:WRONLY|RDWR|CREAT|TRUNC|APPEND|TMPFILE)\b")


def _args(code: str, open_paren: int) -> tuple[str, int]:
    """The text between a call's parentheses and its number of top-level arguments."""
    depth, i, commas = 0, open_paren, 0
    end = min(len(code), open_paren + 4000)             # a call's arguments: not the rest of a 1 MiB file
    while i < end:
        ch = code[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                break
        elif ch == "," and depth == 1:
            commas += 1
        i += 1
    inner = code[open_paren + 1:i]
    return inner, (commas + 1 if inner.strip() else 0)


def _library_calls(code: str, names: tuple[str, ...]):
    """(name, offset, open paren) of each call of a library function `name`."""
    own = set(re.findall(r"\b(?!std\b)[A-Za-z_]\w*\s*::\s*(\w+)\s*\(", code))
    for m in re.finditer(r"\b(" + "|".join(names) + r")\s*\(", code):
        name, before = m.group(1), code[max(0, m.start() - 200):m.start()].rstrip()
        if before.endswith((".", "->")):
            continue                                    # a member of some object
        if before.endswith("::"):
            qual = re.search(r"(\w*)\s*::$", before).group(1)
            if qual not in ("", "std"):
                continue                                # Foo::exit: their own function
        elif name in own:
            continue                                    # a member call in Foo's own file
        elif re.search(r"(?:\b(?:void|int|bool|auto|static|inline|\w+[&*>])|[*&])\s*$", before):
            continue                                    # a declaration or definition of `name`
        yield name, m.start(), m.end() - 1


def _shown(quoted: str) -> str:
    # a quote of the submission goes into a report that is also printed:
    # no terminal escapes, no bidi overrides that reorder what is read
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", "?", quoted)


def _is_ch4(path: str) -> bool:
    return CH4 in path


def _allowed(path: str, rule: str, flag: str) -> bool:
    return any(path.endswith(suffix) and rule == r and re.search(what, flag)
               for suffix, r, what, _ in ALLOW)


# --- the structural rule: code that runs before main() ---------------------

def _statements(code: str):
    """Namespace-scope declarations of `code` (preprocessor lines blanked),
    as (tokens, whether it is a function definition); tokens are (text,
    offset), the ones inside `{...}` included flat. namespace and extern "C"
    blocks are entered: their contents are namespace scope too."""
    code = re.sub(r"^[ \t]*#(?:[^\n\\]|\\.|\\\n)*", lambda m: re.sub(r"[^\n]", " ", m.group()), code, flags=re.M)
    toks = [(t, s) for kind, t, s in lex(code) if kind != "comment"]
    i, stmt = 0, []
    while i < len(toks):
        t = toks[i][0]
        if t in (";", "}"):                             # a declaration ends, or a namespace block
            if stmt and t == ";":
                yield stmt, False
            stmt, i = [], i + 1
            continue
        if t != "{":
            stmt.append(toks[i])
            i += 1
            continue
        head = [x for x, _ in stmt]
        if "namespace" in head[:3] or (head[:1] == ["extern"] and len(head) == 2):
            stmt, i = [], i + 1                         # enter the block: still namespace scope
            continue
        depth, j = 0, i
        while j < len(toks):
            depth += {"{": 1, "}": -1}.get(toks[j][0], 0)
            if depth == 0:
                break
            j += 1
        stmt += toks[i:j + 1]
        i = j + 1
        after = toks[i][0] if i < len(toks) else "}"
        if _looks_like_function(head) and after not in ("(", ")", ",", ";", "{", ".", "->", "["):
            yield stmt, True
            stmt = []


def _looks_like_function(head: list[str]) -> bool:
    """`... name(params) [const noexcept -> T : inits] {`: a function
    definition's head (not a class, not an initialiser)."""
    if not head or any(w in ("class", "struct", "union", "enum") for w in head[:4]) or ")" not in head:
        return False
    depth = 0
    for w in head:
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(w, 0)
        if w == "=" and depth == 0:
            return False
    return True


def _function_name(stmt) -> str | None:
    words = [t for t, _ in stmt]
    k = words.index("(") if "(" in words else 0
    return words[k - 1] if k and re.match(r"[A-Za-z_]\w*$", words[k - 1]) else None


def _top_level_assign(words: list[str]) -> int | None:
    """The `=` of `T x = init;` (not one inside a class body or a call)."""
    depth = 0
    for k, w in enumerate(words):
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(w, 0)
        if w == "=" and depth == 0:
            return k
    return None


def _static_initialisers(code: str, text: str) -> list[tuple[int, str]]:
    """Namespace-scope variables whose initialisation runs code of this file
    (and a definition of main(), which would run instead of the tests)."""
    stmts = list(_statements(code))
    defined = {n for st, is_fn in stmts if is_fn for n in [_function_name(st)] if n}
    # classes of this file with a constructor: an object of one at namespace
    # scope runs that constructor before main()
    with_ctor = set()
    for st, is_fn in stmts:
        words = [t for t, _ in st]
        named = {words[k + 1] for k in range(len(words) - 1) if words[k] in ("struct", "class")}
        with_ctor |= named & {words[k] for k in range(len(words) - 1) if words[k + 1] == "("}
    found = []
    for st, is_fn in stmts:
        if is_fn and _function_name(st) == "main":
            found.append((st[0][1], "defines main(): replaces the test runner's own (gtest_main)"))
        if is_fn:
            continue
        words = [t for t, _ in st]
        if words[:1] in (["using"], ["typedef"], ["template"], ["static_assert"], ["friend"], ["extern"]):
            continue
        why = None
        if any(words[k] == "}" and (words[k + 1] == "(" or words[k + 1:k + 3] == [")", "("])
               for k in range(len(words) - 1)):
            why = "a namespace-scope variable initialised by calling a lambda"
        elif any(words[k] in ("(", ",") and words[k + 1] == "[" for k in range(len(words) - 1)) \
                and "{" in words:
            # std::thread t([] {...}), std::invoke([] {...}): a lambda handed
            # to a call that may run it at once
            why = "a namespace-scope variable constructed with a lambda argument"
        eq = _top_level_assign(words)
        if why is None and eq is not None:
            calls = [words[k] for k in range(eq + 1, len(words) - 1) if words[k + 1] == "(" and words[k] in defined]
            if calls:
                why = f"a namespace-scope variable initialised by {calls[0]}(), a function of this file"
        bare = [w for w in words if w not in ("static", "const", "inline", "thread_local", "constinit")]
        if why is None and bare[:1] in (["struct"], ["class"]):
            close = max((k for k, w in enumerate(bare) if w == "}"), default=-1)
            if 0 <= close < len(bare) - 1 and re.match(r"[A-Za-z_]\w*$", bare[close + 1]):
                why = "a namespace-scope object of a class defined in place"
        if why is None and len(bare) >= 2 and bare[0] in with_ctor and re.match(r"[A-Za-z_]\w*$", bare[1]) \
                and bare[1:2] != ["operator"]:
            why = f"a namespace-scope object of {bare[0]}, whose constructor this file defines"
        if why:
            start, end = st[0][1], st[-1][1]
            body = text[start:end + 1]
            sniff = sorted({m.group() for m in re.finditer(
                r"\bargv\b|/proc/self/\w+|program_invocation_\w*|__libc_argv|--gtest\w*|\bgetenv\b", body)})
            found.append((start, why + " (runs before main())"
                          + (f", reading {', '.join(sniff)}" if sniff else "")))
    return found


def scan_one(path: str, data: bytes | str, allow: bool = True) -> list[str]:
    """The flags of one file, as "LINE: what" lines in line order (with
    allow=False, ALLOW's entries too: what the calibration checks)."""
    raw = data if isinstance(data, str) else data.decode("utf-8", errors="replace")
    code, text = _views(raw)
    found: list[tuple[int, str, str]] = []
    lower = {"code": code.lower(), "text": text.lower()}
    for rule, view, pattern, message, needles in RULES:
        src = code if view == "code" else text
        if not any(n in lower[view] for n in needles):
            continue
        for m in re.finditer(pattern, src, re.M):
            found.append((m.start(), rule, message.format(_shown(m.group().strip()[:80]))))
    for rule, names, message, outside_ch4 in CALLS:
        if (outside_ch4 and _is_ch4(path)) or not any(n in code for n in names):
            continue
        for name, pos, paren in _library_calls(code, names):
            inner, nargs = _args(code, paren)
            if name == "remove" and nargs != 1:
                continue                                # std::remove(first, last, value): the algorithm
            found.append((pos, rule, message.format(name)))
    for m in re.finditer(r"\b(open|openat|open64)\s*\(", code if "open" in code else ""):
        inner, _ = _args(code, m.end() - 1)
        literal = _args(text, m.end() - 1)[0]
        if _WRITE_FLAGS.search(inner) and '"/dev/null"' not in literal:
            found.append((m.start(), "write", f"{m.group(1)}() with {_WRITE_FLAGS.search(inner).group()}: "
                                              "opens a file for writing"))
    for m in re.finditer(r"\bfopen\s*\(", code if "fopen" in code else ""):
        literal = _args(text, m.end() - 1)[0]
        mode = re.search(r",\s*\"([^\"]*)\"\s*$", literal)
        if mode is None or re.search(r"[wa+]", mode.group(1)):
            found.append((m.start(), "write", f"fopen(..., \"{mode.group(1) if mode else '?'}\"): "
                                              "opens a file for writing"))
    for pos, why in _static_initialisers(code, text):
        found.append((pos, "static", why))
    starts = [0] + [m.end() for m in re.finditer("\n", raw)]
    out, seen = [], set()
    for pos, rule, message in sorted(found):
        number = bisect.bisect_right(starts, pos)
        # one flag per line, rule and construct: `_exit(0)` is a call and a name
        key = (number, rule, message.split(":", 1)[0].rstrip("()"))
        if key in seen or (allow and _allowed(path, rule, message)):
            continue
        seen.add(key)
        out.append(f"{number}: {message}")
    if len(out) > MAX_FLAGS:                            # a file of nothing but exit(0): the first ones say it
        out = out[:MAX_FLAGS] + [f"... and {len(out) - MAX_FLAGS} more"]
    return out


def scan(files: dict[str, bytes]) -> dict[str, list[str]]:
    """Per submitted edit file (repo-relative path -> content) the suspicious
    constructs found, "LINE: what" each; files without any are left out."""
    out = {}
    for path in sorted(files):
        lines = scan_one(path, files[path])
        if lines:
            out[path] = lines
    return out


def count(found: dict[str, list[str]]) -> int:
    return sum(len(v) for v in found.values())


def markdown(found: dict[str, list[str]], escape=None) -> list[str]:
    """A "## Flags for the instructor (not part of the score)" section for a
    report, or [] when there is no flag. `escape` renders a path as
    Markdown text (default scoreboard.md_cell); the flags, which quote the
    submission, go into a code block, where Markdown is not interpreted."""
    if escape is None:
        from .scoreboard import md_cell as escape
    if not found:
        return []
    out = ["## Flags for the instructor (not part of the score)", "",
           "Constructs no solution of this kata needs (leaving the process early, reading its own "
           "command line, talking to the test runner, writing files, code before main()). "
           "The score was computed without looking at them; read the lines.", ""]
    for path, lines in sorted(found.items()):
        out += [f"**{escape(path)}**", "", "```", *[l.replace("```", "'''") for l in lines], "```", ""]
    return out
