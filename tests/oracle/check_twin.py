#!/usr/bin/env python3
"""The oracle test of one JavaScript twin: runs it with real node and checks
that node prints exactly the lines the twin records in its `// |` block (the
lines the C++ tests compare their order with).

  check_twin.py tests/ch3-node-event-loop/js/ex02_clear.js     check one twin
  check_twin.py --record FILE...                             (re)write the block

Exit 0: node agrees. 1: node prints something else (a diff is shown), exits
non-zero or hangs. 77 (ctest SKIP_RETURN_CODE): node is missing or older than
20, said in one line; the C++ tests do not depend on this.
"""
from __future__ import annotations

import difflib
import re
import shutil
import subprocess
import sys
from pathlib import Path

MARKER = "// node prints (checked by `ctest -L oracle`; the C++ test expects the same):"
NEED_MAJOR = 20
SKIP = 77


def recorded(text: str) -> list[str] | None:
    if MARKER not in text:
        return None
    lines = []
    for line in text[text.index(MARKER) + len(MARKER):].splitlines():
        if line == "// |":
            lines.append("")
        elif line.startswith("// | "):
            lines.append(line[5:])
    return lines


def node_version(node: str) -> tuple[int, str]:
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    m = re.match(r"v(\d+)", out)
    return (int(m.group(1)) if m else 0), out or "unknown"


def run_node(node: str, js: Path) -> tuple[int, list[str]]:
    # Same conditions as the recording: the twin's folder as cwd, stderr kept.
    r = subprocess.run([node, js.name], cwd=js.parent, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    text = r.stdout.decode("utf-8", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return r.returncode, lines


def record(paths: list[str], node: str) -> int:
    for p in map(Path, paths):
        runs = {tuple(run_node(node, p)[1]) for _ in range(3)}
        if len(runs) != 1:
            print(f"{p}: node prints different lines on different runs; not recorded", file=sys.stderr)
            return 1
        code, lines = run_node(node, p)
        if code != 0:
            print(f"{p}: node exited with status {code}; not recorded", file=sys.stderr)
            return 1
        src = p.read_text(encoding="utf-8")
        if MARKER in src:
            src = src[:src.index(MARKER)]
        block = "".join(("// | " + l if l else "// |") + "\n" for l in lines)
        p.write_text(src.rstrip("\n") + "\n\n" + MARKER + "\n" + block, encoding="utf-8")
        print(f"{p}: recorded {len(lines)} lines")
    return 0


def main(argv: list[str]) -> int:
    node = shutil.which("node")
    if node is None:
        print(f"skipped: node is not installed (install Node.js {NEED_MAJOR}+ to check the JavaScript twins)")
        return SKIP
    major, shown = node_version(node)
    if major < NEED_MAJOR:
        print(f"skipped: node {shown} found; the twins record what node {NEED_MAJOR}+ prints")
        return SKIP
    if argv[:1] == ["--record"]:
        return record(argv[1:], node)
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    js = Path(argv[0])
    try:
        expected = recorded(js.read_text(encoding="utf-8"))
    except OSError as err:
        print(f"cannot read {js}: {err}")
        return 1
    if expected is None:
        print(f"{js} has no recorded output (run: {Path(__file__).name} --record {js})")
        return 1
    try:
        code, got = run_node(node, js)
    except subprocess.TimeoutExpired:
        print(f"node {js.name} did not finish within 60 s")
        return 1
    if code != 0:
        print(f"node {js.name} exited with status {code}:")
        print("\n".join(got))
        return 1
    if got != expected:
        print(f"node {shown} prints something else than {js} records:")
        sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(
            expected, got, "recorded in the twin", f"node {shown}", lineterm=""))
        return 1
    print(f"node {shown} prints the {len(got)} recorded lines of {js.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
