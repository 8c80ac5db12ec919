"""`kata.py watch` / `make watch`: one screen for the current exercise,
rebuilt and retested every time you save one of its files.

  * The first screen comes at once: untouched exercises are "not started"
    (pristine.py), the others show their kept results (results.py) while the
    first check builds the touched exercises and the next one.
  * Every `--interval` seconds (0.1) it stats the files of the current
    exercise (its `edit` and `given` files, nothing else: an editor's swap,
    backup or temporary files are never looked at). A change that has held
    still for a moment (debounce) builds only that exercise's target and runs
    only its tests, in a worker thread; the screen stays live meanwhile.
  * Keys: h hint, n next (once this exercise passes), l list, r rerun,
    x reset (asks first), c check all, q quit.
  * Without a terminal (or with --lines) it prints one result block per
    change; keys may still come as lines on stdin (a pipe), e.g. "q".
"""
from __future__ import annotations

import os
import queue
import select
import shutil
import signal
import sys
import threading
import time
from pathlib import Path

from . import collect, edits, learner, manifest, results, views
from .errors import ToolError
from .status import DONE, NO_COMPILE, ExerciseStatus, classify, untouched as untouched_status
from .term import Style, char_width, display_path as _display, truncate, width as text_width

KEYS = "h hint \u00b7 n next \u00b7 l list \u00b7 r rerun \u00b7 x reset \u00b7 c check all \u00b7 q quit"
DEBOUNCE = 0.1          # a change must hold still this long before a build starts


class WakingQueue(queue.Queue):
    """The worker's events; each put() also writes a byte to a pipe, so the
    screen loop, waiting in select() on stdin and that pipe, draws a result
    the moment it arrives instead of at its next look at the files."""

    def __init__(self):
        super().__init__()
        self.wake_fd, self._write_fd = os.pipe()
        os.set_blocking(self.wake_fd, False)
        os.set_blocking(self._write_fd, False)

    def put(self, item, block=True, timeout=None):
        super().put(item, block, timeout)
        try:
            os.write(self._write_fd, b"x")
        except BlockingIOError:   # the pipe is full of wake-ups already: one is enough
            pass

    def drain_wakeups(self) -> None:
        try:
            while os.read(self.wake_fd, 512):
                pass
        except BlockingIOError:
            pass

    def close(self) -> None:
        for fd in (self.wake_fd, self._write_fd):
            try:
                os.close(fd)
            except OSError:
                pass


class Worker(threading.Thread):
    """Builds and tests, one job at a time; reports on `events`."""

    def __init__(self, w: "Watch"):
        super().__init__(daemon=True)
        self.w = w
        self.jobs: queue.Queue = queue.Queue()
        self.procs: list = []
        self.stopping = False

    def _track(self, proc) -> None:
        self.procs.append(proc)

    def stop(self) -> None:
        self.stopping = True
        self.jobs.put(None)
        for proc in list(self.procs):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    pass
        deadline = time.monotonic() + 5
        for proc in list(self.procs):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except Exception:  # noqa: BLE001 - a stubborn child: kill it
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

    def run(self) -> None:
        w = self.w
        while True:
            job = self.jobs.get()
            if job is None or self.stopping:
                return
            keys, force, why = job
            try:
                exercises = [e for e in w.exercises if e.key in keys]
                targets = [e.target for e in exercises]
                w.events.put(("busy", f"building {' '.join(targets)}"))
                if not learner.is_configured(w.build):
                    w.events.put(("busy", "configuring the build (cmake, once) ..."))
                    learner.configure(w.root, w.build, w.build / "kata" / "configure.log")
                t0 = time.monotonic()

                def echo(line: str) -> None:
                    if line.startswith("["):
                        w.events.put(("busy", f"building {' '.join(targets)}  {line[:60]}"))
                log = w.build / "kata" / "watch-build.log"
                built = learner.build_targets(w.build, targets, log, echo=echo, on_start=self._track)
                if self.stopping:
                    return
                t1 = time.monotonic()
                w.events.put(("busy", f"running the tests of {' '.join(e.key for e in exercises)}"))
                snap = collect.snapshot(w.root, w.build, w.build / "kata" / "watch-junit.xml", log, jobs=2,
                                        stale_check=built.returncode != 0, run=True, untouched=set(),
                                        cache_dir=learner.cache_dir(w.build), force=force, keys=set(keys),
                                        on_start=self._track)
                self.procs = [p for p in self.procs if p.poll() is None]
                if self.stopping:
                    return
                w.events.put(("result", ({st.exercise.key: st for st in snap.statuses},
                                         {"build": t1 - t0, "tests": time.monotonic() - t1, "why": why})))
            except (ToolError, manifest.ManifestError, OSError) as err:
                w.events.put(("error", str(err)))
            except Exception as err:  # noqa: BLE001 - keep watching; say what broke
                w.events.put(("error", f"{type(err).__name__}: {err}"))
            w.events.put(("idle", None))


class Watch:
    def __init__(self, args, style: Style, tty: bool):
        self.args = args
        self.root: Path = args.root
        self.build: Path = Path(args.build) if Path(args.build).is_absolute() else Path.cwd() / args.build
        self.style = style
        self.tty = tty
        self.chapters = manifest.load(self.root)
        self.exercises = manifest.all_exercises(self.chapters)
        self.by_key: dict[str, ExerciseStatus | None] = {}
        self.events = WakingQueue()
        self.worker = Worker(self)
        self.busy: str | None = None
        self.want: tuple[set[str], bool, str] | None = None     # a job waiting for the worker
        self.message = ""
        self.view = "main"                                      # main, list
        self.show_hint = False
        self.confirm = False                                    # reset asked, waiting for y
        self.timing = ""
        self.quit = False
        self.fixed = bool(args.exercise)
        self.current = manifest.find(self.chapters, args.exercise) if args.exercise else self.exercises[0]
        self.pristine = None
        self.stamps: dict[str, tuple] = {}
        self.changed_at: float | None = None
        self.size = (0, 0)
        self.printed_for: str | None = None                      # line mode: last block printed

    # -- state -----------------------------------------------------------------
    def _pristine(self):
        self.pristine = learner.pristine(self.root, self.build, self.exercises)
        return self.pristine

    def initial_statuses(self) -> set[str]:
        """What is known without building: untouched stubs and kept results."""
        self.build.mkdir(parents=True, exist_ok=True)
        untouched = self._pristine().untouched_keys()
        cache = learner.cache_dir(self.build)
        for e in self.exercises:
            if e.key in untouched:
                self.by_key[e.key] = untouched_status(e)
                continue
            hit = results.load_unlisted(cache, e.key)
            self.by_key[e.key] = classify(e, list(hit.values()), {}, None) if hit else None
        return untouched

    def next_unfinished(self, after: manifest.Exercise | None = None) -> manifest.Exercise | None:
        order = self.exercises
        if after is not None:
            i = order.index(after)
            order = order[i + 1:] + order[:i + 1]
        for e in order:
            st = self.by_key.get(e.key)
            if st is None or not st.finished:
                if after is not None and e is after:
                    continue
                return e
        return None

    def files(self, e: manifest.Exercise) -> list[Path]:
        return [self.root / f for f in e.edit_files("chapters") + e.given_files()]

    def stamp(self) -> dict[str, tuple]:
        out = {}
        for f in self.files(self.current):
            try:
                st = f.stat()
                out[str(f)] = (st.st_mtime_ns, st.st_size, st.st_ino)
            except OSError:
                out[str(f)] = None
        return out

    def request(self, keys: set[str], force: bool = False, why: str = "") -> None:
        if self.busy is None and self.want is None:
            self.busy = "starting"
            self.worker.jobs.put((set(keys), force, why))
        elif self.want is None:
            self.want = (set(keys), force, why)
        else:
            k, f, y = self.want
            self.want = (k | set(keys), f or force, why or y)

    def check_all(self, why: str = "check all") -> None:
        untouched = self._pristine().untouched_keys()
        plan = learner.plan(self.exercises, untouched, extra=[self.current.key])
        for e in self.exercises:
            if e.key in untouched:
                self.by_key[e.key] = untouched_status(e)
        self.request({e.key for e in plan.build}, False, why)

    # -- events ------------------------------------------------------------------
    def handle(self, kind: str, data) -> None:
        if kind == "busy":
            self.busy = data
        elif kind == "idle":
            self.busy = None
            if self.want is not None:
                keys, force, why = self.want
                self.want = None
                self.request(keys, force, why)
        elif kind == "error":
            self.message = f"error: {data}"
            if not self.tty:
                print(f"watch: {self.message}", flush=True)
        elif kind == "result":
            statuses, timing = data
            before = self.by_key.get(self.current.key)
            self.by_key.update(statuses)
            cur = statuses.get(self.current.key)
            if timing["why"] == "start" and not self.fixed and cur is not None and cur.finished:
                nxt = self.next_unfinished()        # its kept result was stale: it is done after all
                if nxt is not None and nxt is not self.current:
                    self.switch(nxt, check=True)
                    return
            st = self.by_key.get(self.current.key)
            if self.current.key in statuses:
                self.timing = f"built in {timing['build']:.1f} s, tests {timing['tests']:.1f} s"
                if st is not None and st.finished and (before is None or not before.finished):
                    self.message = "done \u2713 \u2014 press n for the next exercise"
                if not self.tty:
                    self.print_block(st)

    def switch(self, e: manifest.Exercise, check: bool = True) -> None:
        self.current = e
        self.stamps = self.stamp()
        self.changed_at = None
        self.show_hint = False
        self.confirm = False
        if check:
            self.request({e.key}, False, "switch")

    # -- keys ---------------------------------------------------------------------
    def key(self, ch: str) -> None:
        if self.confirm:
            self.confirm = False
            if ch.lower() == "y":
                self.do_reset()
            else:
                self.message = "not reset"
            return
        if self.view == "list" and ch not in ("q",):
            self.view = "main"
            if ch in ("l", "\x1b", "\r", "\n", " "):
                return
        if ch == "q" or ch == "\x03":
            self.quit = True
        elif ch == "h":
            self.show_hint = not self.show_hint
        elif ch == "l":
            self.view = "list"
        elif ch == "r":
            self.message = "rerun"
            self.request({self.current.key}, True, "rerun")
        elif ch == "c":
            self.message = "checking every exercise you touched, and the next one"
            self.check_all()
        elif ch == "x":
            plan = edits.reset_plan(self.root, self.current, self._pristine())
            if plan.unknown:
                self.message = f"cannot reset: the stub of {plan.unknown[0]} is not known ({self.pristine.describe()})"
            elif not plan.changed:
                self.message = f"{self.current.key}: your files are already the stubs"
            else:
                self.confirm = True
        elif ch == "n":
            st = self.by_key.get(self.current.key)
            if st is None or not st.finished:
                self.message = "n goes on once this exercise passes (l lists them all; `kata.py watch chN.exNN` starts anywhere)"
                return
            nxt = self.next_unfinished(after=self.current)
            if nxt is None:
                self.message = "every exercise is done \u2014 \u5168\u90e8\u5b8c\u6210\uff01"
                return
            self.message = ""
            self.switch(nxt, check=True)

    def do_reset(self) -> None:
        p = self._pristine()
        plan = edits.reset_plan(self.root, self.current, p)
        if not plan.changed:
            self.message = "nothing to reset"
            return
        backup = edits.reset(self.root, self.current, p, plan)
        try:
            shown = backup.relative_to(self.root)
        except ValueError:
            shown = backup
        self.message = f"{self.current.key} reset to its stubs; your files are in {shown}/"
        self.stamps = self.stamp()
        self.request({self.current.key}, False, "reset")

    # -- drawing ------------------------------------------------------------------
    def bar(self) -> str:
        done = sum(1 for e in self.exercises if (st := self.by_key.get(e.key)) is not None and st.finished)
        total = len(self.exercises)
        cells = 24
        full = round(cells * done / total) if total else 0
        s = self.style
        bar = s("\u2588" * full, "green") + s("\u2591" * (cells - full), "dim")
        pts = sum(e.points for e in self.exercises if (st := self.by_key.get(e.key)) is not None and st.finished)
        possible = sum(e.points for e in self.exercises)
        return (f"{s('evloop-kata watch', 'bold')}  [{bar}] {s(f'{done}/{total} done', 'bold')}"
                f" \u00b7 {views._fmt_points(pts)}/{views._fmt_points(possible)} points")

    def body(self) -> list[str]:
        s, e = self.style, self.current
        st = self.by_key.get(e.key)
        build_display = _display(self.build, self.root)
        out = [self.bar(), ""]
        if self.view == "list":
            out += views.status_table(self.chapters, self.by_key, s, current=e.key)
            out.append("(any key: back)")
            return out
        if st is None:
            word = s("checking\u2026", "dim")
        else:
            word = s(st.status, views.MARK[st.status][1], "bold")
            if st.status != NO_COMPILE and not st.untouched:
                word += f" ({st.counts()} tests)"
        out.append(s(f"{e.key} \u2014 {views.exercise_title(e)}", "bold", "cyan") + f"   {word}")
        out += views._about(e, "chapters", s, hint=self.show_hint)
        out.append("")
        if st is None:
            todo = views.first_todo(self.root, e)
            out.append("  (building and running its tests ...)")
            if todo and self.pristine is not None and self.pristine.untouched(e):
                out += ["  First thing to write:", f"    {s(todo, 'red')}"]
        elif st.status == DONE:
            out += views.done_lines(e, s)
            nxt = self.next_unfinished(after=e)
            if nxt is not None:
                out.append(f"  Press n for the next one: {nxt.key} \u2014 {views.exercise_title(nxt)}")
        else:
            out += views.check_lines(st, build_display, s, self.root)
        if self.show_hint:
            more = views.readme_hints(self.root, e, "chapters")
            if more:
                out += ["", f"  From {e.readme()}:"] + [f"  {l}" for l in more]
        return out

    def footer(self) -> list[str]:
        s = self.style
        out = []
        if self.confirm:
            out.append(s(f"Reset {self.current.key} to its stubs? Your files are backed up first"
                         f" (to {edits.BACKUP_DIR}/). y/N", "yellow", "bold"))
        elif self.message:
            out.append(s(self.message, "yellow"))
        state = f"\u27f3 {self.busy}" if self.busy else (self.timing or "")
        watching = f"watching {len(self.files(self.current))} file(s) of {self.current.key}"
        sep = "  \u00b7  " if state else ""
        cols = shutil.get_terminal_size((100, 40)).columns
        out.append(s(truncate(f"{state}{sep}{watching}", max(10, cols - 1)), "dim"))
        out.append(s(KEYS, "dim"))
        return out

    def draw(self) -> None:
        cols, rows = shutil.get_terminal_size((100, 40))
        self.size = (cols, rows)
        body = [l for line in self.body() for l in _wrap(line, cols)]
        foot = [l for line in self.footer() for l in _wrap(line, cols)]
        room = max(1, rows - len(foot) - 1)
        if len(body) > room:
            body = body[:room - 1] + [self.style("  ... (more: make the window taller)", "dim")]
        screen = body + [""] * (rows - len(body) - len(foot)) + foot
        sys.stdout.write("\x1b[H" + "\n".join("\x1b[2K" + l for l in screen[:rows]) + "\x1b[J")
        sys.stdout.flush()

    def print_block(self, st: ExerciseStatus | None) -> None:
        """Line mode: one block per result of the current exercise."""
        s, e = self.style, self.current
        done = sum(1 for x in self.exercises if (y := self.by_key.get(x.key)) is not None and y.finished)
        word = st.status if st is not None else "unknown"
        lines = [s(f"== {e.key} \u2014 {views.exercise_title(e)}: {word} \u00b7 {done}/{len(self.exercises)} done"
                   f" \u00b7 {time.strftime('%H:%M:%S')} ({self.timing})", "bold")]
        if st is not None and st.status == DONE:
            lines += views.done_lines(e, s)
        elif st is not None:
            lines += views.check_lines(st, _display(self.build, self.root), s, self.root)
        print("\n".join(lines) + "\n", flush=True)
        if st is not None and st.status == DONE and not self.fixed:
            nxt = self.next_unfinished(after=e)
            if nxt is not None:
                print(f"next: {nxt.key} \u2014 {views.exercise_title(nxt)} (watching its files now)\n", flush=True)
                self.switch(nxt, check=True)

    # -- the loop -----------------------------------------------------------------
    def poll_files(self) -> None:
        now = time.monotonic()
        stamps = self.stamp()
        if stamps != self.stamps:
            self.stamps = stamps
            self.changed_at = now            # still moving: wait until it holds still
            return
        if self.changed_at is not None and now - self.changed_at >= DEBOUNCE:
            self.changed_at = None
            self.message = ""
            self.request({self.current.key}, False, "save")

    def run(self) -> int:
        self.initial_statuses()
        if not self.fixed:
            self.current = self.next_unfinished() or self.exercises[0]
        self.stamps = self.stamp()
        self.worker.start()
        # Only the current exercise at first: its result is what the screen is for.
        # (c checks the others: every touched exercise and the next one.)
        self.request({self.current.key}, False, "start")
        interval = max(0.05, float(self.args.interval))
        fd = sys.stdin.fileno() if sys.stdin is not None else None
        stdin_open = fd is not None
        old_term = None
        if self.tty:
            import termios
            import tty as ttymod
            try:
                old_term = termios.tcgetattr(fd)
                ttymod.setcbreak(fd)
            except (termios.error, OSError):
                old_term = None
            sys.stdout.write("\x1b[?1049h\x1b[?25l")
        else:
            print(f"kata.py watch: line mode (no terminal); watching {self.current.key}."
                  f" One block per change; q on stdin quits.", flush=True)
        dirty = True
        try:
            while not self.quit:
                try:
                    while True:
                        kind, data = self.events.get_nowait()
                        self.handle(kind, data)
                        dirty = True
                except queue.Empty:
                    pass
                if self.tty and (dirty or shutil.get_terminal_size((100, 40)) != self.size):
                    self.draw()
                    dirty = False
                # Wait for a key, a worker event or the next look at the files
                # (sooner while a change is holding still for DEBOUNCE).
                wait = interval
                if self.changed_at is not None:
                    wait = max(0.01, min(interval, self.changed_at + DEBOUNCE - time.monotonic()))
                ready = []
                try:
                    ready, _, _ = select.select([fd, self.events.wake_fd] if stdin_open else [self.events.wake_fd],
                                                [], [], wait)
                except (OSError, ValueError):
                    stdin_open = False
                if self.events.wake_fd in ready:
                    self.events.drain_wakeups()
                if stdin_open and fd in ready:
                    data = os.read(fd, 64)
                    if not data:
                        stdin_open = False      # stdin closed (e.g. /dev/null): keep watching
                    else:
                        for ch in data.decode("utf-8", "replace"):
                            if ch.isspace() and not self.tty:
                                continue
                            self.key(ch)
                        dirty = True
                before = self.changed_at
                self.poll_files()
                dirty = dirty or before != self.changed_at
        except KeyboardInterrupt:
            pass
        finally:
            self.worker.stop()
            self.events.close()
            if self.tty:
                sys.stdout.write("\x1b[?25h\x1b[?1049l")
                sys.stdout.flush()
                if old_term is not None:
                    import termios
                    termios.tcsetattr(fd, termios.TCSADRAIN, old_term)
        if self.tty:
            st = self.by_key.get(self.current.key)
            print(f"watch: stopped at {self.current.key} ({st.status if st else 'unknown'}).")
        return 0


def _wrap(line: str, cols: int) -> list[str]:
    """Wraps by display width, at a space when there is one; continuation
    lines are indented. Lines with colour codes lose their colour when wrapped."""
    if text_width(line) <= cols:
        return [line]
    if "\x1b[" in line:
        return _wrap(_strip(line), cols)
    out, cur, used, last_space = [], [], 0, -1
    indent = "    "
    for ch in line:
        w = char_width(ch)
        if used + w > cols:
            if last_space > len(indent):
                head, tail = cur[:last_space], cur[last_space + 1:]
            else:
                head, tail = cur, []
            out.append("".join(head).rstrip())
            cur = list(indent) + tail
            used = sum(char_width(c) for c in cur)
            last_space = -1
        if ch == " ":
            last_space = len(cur)
        cur.append(ch)
        used += w
    out.append("".join(cur))
    return out


def _strip(line: str) -> str:
    import re
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)


def main(args) -> int:
    tty = sys.stdout.isatty() and sys.stdin.isatty() and not args.lines
    style = Style(args.color)
    w = Watch(args, style, tty)
    signal.signal(signal.SIGTERM, lambda *_: setattr(w, "quit", True))
    return w.run()
