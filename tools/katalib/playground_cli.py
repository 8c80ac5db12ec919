"""`kata.py js FILE.js`: a JavaScript program on node and on a chapter-3 loop,
side by side, the first difference marked (playground/README.md)."""
from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path

from . import playground as pg


def add_parser(sub) -> None:
    js = sub.add_parser("js", help="run a JavaScript file on node and on a C++ loop, side by side",
                        description="Runs FILE natively with node and on a chapter-3 C++ loop (the reference, "
                                    "or yours), and prints both outputs side by side with the first difference marked.")
    js.add_argument("file", type=Path)
    js.add_argument("--loop", choices=["reference", "yours"], default="reference",
                    help="reference: solutions/ (default); yours: your chapter-3 files in chapters/")
    js.add_argument("--legacy-node10", action="store_true", help="run the loop in its Node <= 10 tick mode")
    js.add_argument("--trace", action="store_true", help="print each callback: iteration, phase, queue lengths")
    js.add_argument("--html", type=Path, metavar="OUT.html", help="write a page that steps through the trace")
    js.add_argument("--json", action="store_true", help='print {"node": [lines], "loop": [lines], "same": bool}')
    js.add_argument("--timeout", type=float, default=10.0, help="seconds before a run is stopped (default 10)")
    js.add_argument("--max-callbacks", type=int, default=100000,
                    help="callbacks before the loop's run is stopped (default 100000)")
    js.add_argument("--build", type=Path, help=f"build directory of the driver (default {pg.BUILD_DIR})")
    js.add_argument("--driver", type=Path, help=argparse.SUPPRESS)   # a built driver, used as is (tests)


def _clip(s: str, w: int) -> str:
    return s if len(s) <= w else s[: w - 1] + "…"


def _loop_name(args) -> str:
    name = "reference loop" if args.loop == "reference" else "your loop"
    return name + (" (Node <= 10 tick mode)" if args.legacy_node10 else "")


def _status(run: pg.Run, timeout: float, max_callbacks: int) -> str | None:
    if run.not_done:
        return run.not_done
    if run.unsupported:
        return run.unsupported
    if run.stopped == "timeout":
        return f"stopped after {timeout:g} s (--timeout): it did not end"
    if run.stopped == "max-callbacks":
        return f"stopped after {max_callbacks} callbacks (--max-callbacks): it did not end"
    return None


def side_by_side(node_run: pg.Run, loop_run: pg.Run, args, node_version: str) -> str:
    out: list[str] = []
    w = 38
    diff = pg.first_difference(node_run.stdout, loop_run.stdout)
    left = f"node {node_version}"
    right = _loop_name(args)
    out.append(f"     {left:<{w}}  {right}")
    loop_status = _status(loop_run, args.timeout, args.max_callbacks)
    rows = max(len(node_run.stdout), 0 if loop_run.not_done or loop_run.unsupported else len(loop_run.stdout))
    if loop_run.not_done or loop_run.unsupported:
        rows = len(node_run.stdout)
    for i in range(rows):
        a = node_run.stdout[i] if i < len(node_run.stdout) else ""
        b = "" if (loop_run.not_done or loop_run.unsupported) else (loop_run.stdout[i] if i < len(loop_run.stdout) else "")
        mark = ">" if diff == i and not (loop_run.not_done or loop_run.unsupported) else " "
        out.append(f"{mark}{i + 1:>3} {_clip(a, w):<{w}}  {_clip(b, 60)}")
    if loop_status:
        out.append(f"loop: {loop_status}")
    node_status = _status(node_run, args.timeout, args.max_callbacks)
    if node_status:
        out.append(f"node: {node_status}")
    for name, run in (("node", node_run), ("loop", loop_run)):
        if run.stderr.strip():
            out.append(f"{name} stderr:")
            out.extend("  " + l for l in run.stderr.rstrip("\n").split("\n"))
    if not (loop_run.not_done or loop_run.unsupported):
        codes = f"exit code: node {node_run.exit if node_run.exit is not None else '-'}, " \
                f"loop {loop_run.exit if loop_run.exit is not None else '-'}"
        if diff is None and node_run.exit == loop_run.exit and not loop_status and not node_status:
            out.append(f"same output ({len(node_run.stdout)} lines); {codes}")
        elif diff is not None:
            out.append(f"first difference: line {diff + 1}; {codes}")
        else:
            out.append(codes)
    if loop_run.race:
        other = loop_run.race["stdout"]
        out.append("race: this program's order depends on time — both orders are possible.")
        out.append(f"  the loop printed {loop_run.stdout} when the loop starts at once,")
        out.append(f"  and {other} when node's bootstrap takes {loop_run.race['startup_ms']} ms;")
        seen = "the first" if node_run.stdout == loop_run.stdout else "the second" if node_run.stdout == other else "neither"
        out.append(f"  node printed {node_run.stdout} this time ({seen} of the two).")
    out.append(f"(node {node_run.seconds:.2f} s; loop {loop_run.seconds:.2f} s, {loop_run.callbacks} callbacks)")
    return "\n".join(out) + "\n"


def trace_text(trace: list) -> str:
    out = [f"{'step':>4} {'iter':>4}  {'phase':<34} {'callback':<40} {'line':>4}  timers imm ticks micro"]
    for t in trace:
        phase = t["phase"] + (f" (after {t['after']})" if t.get("after") else "")
        c = t["counts"]
        out.append(f"{t['step']:>4} {t['iteration']:>4}  {_clip(phase, 34):<34} {_clip(t['label'], 40):<40} "
                   f"{t['line'] or '':>4}  {c['timers']:>6} {c['immediates']:>3} {c['ticks']:>5} {c['microtasks']:>5}")
    return "\n".join(out) + "\n"


def cmd_js(args, style=None) -> int:
    root: Path = args.root
    file = args.file.resolve()
    if not file.is_file():
        print(f"kata.py js: error: no such file: {args.file}", file=sys.stderr)
        return 2
    try:
        node = pg.find_node()
        driver = args.driver.resolve() if args.driver else \
            pg.ensure_driver(root, args.loop, args.build.resolve() if args.build else None, quiet=args.json)
    except pg.PlaygroundError as e:
        print(f"kata.py js: error: {e}", file=sys.stderr)
        return 2
    trace = bool(args.trace or args.html)
    native: list = []      # both sides at once: node in a thread, the loop here

    def run_native() -> None:
        try:
            native.append(pg.run_native(node, file, args.timeout))
        except BaseException as e:   # re-raised below, in this thread
            native.append(e)

    side = threading.Thread(target=run_native)
    side.start()
    loop_run = pg.run_loop(root, node, driver, file, timeout=args.timeout, legacy=args.legacy_node10, trace=trace,
                           max_callbacks=args.max_callbacks)
    side.join()
    if isinstance(native[0], BaseException):
        raise native[0]
    node_run = native[0]
    same = (pg.first_difference(node_run.stdout, loop_run.stdout) is None and node_run.exit == loop_run.exit
            and not (loop_run.not_done or loop_run.unsupported or loop_run.stopped or node_run.stopped))
    if args.html and loop_run.trace is not None:
        from . import playground_html
        playground_html.write(args.html, root, file, node_run, loop_run, _loop_name(args))
    if args.json:
        doc = {"node": node_run.stdout, "loop": loop_run.stdout, "same": same,
               "node_exit": node_run.exit, "loop_exit": loop_run.exit}
        for key, value in (("not_done_yet", loop_run.not_done), ("unsupported", loop_run.unsupported),
                           ("stopped", loop_run.stopped), ("node_stopped", node_run.stopped)):
            if value:
                doc[key] = value
        if loop_run.race:
            doc["race"] = {"loop_other_order": loop_run.race["stdout"]}
        print(json.dumps(doc, ensure_ascii=False))
    else:
        sys.stdout.write(side_by_side(node_run, loop_run, args, pg.node_version(node)))
        if args.trace and loop_run.trace is not None:
            sys.stdout.write("\ntrace (loop):\n" + trace_text(loop_run.trace))
        if args.html:
            print(f"wrote {args.html}")
    return 0 if same else 1
