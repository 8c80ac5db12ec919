"""Runs a submission's build or tests inside bubblewrap, with limits.

What one sandboxed command gets:
  - its own pid namespace (bwrap is pid 1; when the grader kills bwrap, or
    bwrap's parent dies, the kernel kills every process inside: nothing
    outlives the command), its own network namespace (loopback only: chapter 4
    serves HTTP on 127.0.0.1), IPC and UTS namespaces, a new session;
  - the whole system read-only (each top-level folder ro-bound), a fresh /dev and /proc, a
    private /tmp (a folder of the submission's work directory, not RAM), the
    grading work root hidden (no other submission is visible), and writable
    only the binds the caller names (the submission's own folders);
  - an unprivileged uid when the grader runs as root (RLIMIT_NPROC does not
    apply to root), no capabilities, no_new_privs;
  - prlimit limits per process: processes/threads of that uid (nproc),
    address space (memory), file size, CPU seconds, no core files;
  - a wall-time limit, enforced from outside by killing bwrap.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass
class Limits:
    wall: float = 600.0                  # seconds for the whole command
    memory: int = 4 << 30                # RLIMIT_AS per process, bytes
    nproc: int = 256                     # processes + threads of the sandbox uid
    fsize: int = 1 << 30                 # largest file a process may write, bytes
    cpu: int = 900                       # CPU seconds per process


@dataclass
class Result:
    returncode: int
    timed_out: bool
    seconds: float
    output: str = ""                     # stdout+stderr (stdout alone with split_stderr), first `keep` bytes
    stderr: str = ""                     # with split_stderr: the last 64 KiB of stderr


@dataclass
class Sandbox:
    """enabled=False runs the same commands directly (--no-sandbox): no
    isolation, and the fixed paths are real folders (see Layout)."""
    enabled: bool = True
    bwrap: str = "bwrap"
    hide: list[Path] = field(default_factory=list)   # folders to cover with an empty tmpfs
    uid_base: int | None = None          # root: sandboxed commands run as uid_base + slot

    def uid(self, slot: int) -> int | None:
        return None if self.uid_base is None else self.uid_base + slot

    def owner(self, path: Path, slot: int) -> None:
        """Gives `path` (recursively) to the uid of `slot`, so it can write there."""
        uid = self.uid(slot)
        if uid is None:
            return
        subprocess.run(["chown", "-R", f"{uid}:{uid}", str(path)], check=True)

    def command(self, argv: list[str], binds: list[tuple[Path, str, bool]], limits: Limits,
                slot: int = 0, env: dict[str, str] | None = None, cwd: str | None = None,
                hide_extra: list[str] | None = None) -> list[str]:
        base_env = {"PATH": PATH, "HOME": "/tmp", "LANG": "C.UTF-8", "TMPDIR": "/tmp", "NO_COLOR": "1"}
        base_env.update(env or {})
        envs = [f"{k}={v}" for k, v in base_env.items()]
        limited = ["prlimit", f"--nproc={limits.nproc}", f"--as={limits.memory}",
                   f"--fsize={limits.fsize}", f"--cpu={limits.cpu}", "--core=0", "--"]
        if not self.enabled:
            return [*limited, "env", "-i", *envs, *argv]
        cmd = [self.bwrap, *system_binds(), "--dev", "/dev", "--proc", "/proc",
               "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
               "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
        for h in self.hide:
            cmd += ["--tmpfs", str(h)]
        cmd += ["--perms", "0755", "--dir", "/kata"]   # base.SANDBOXED's fixed paths live here
        for src, dst, writable in binds:
            cmd += ["--bind" if writable else "--ro-bind", str(src), dst]
        for inside in hide_extra or []:          # e.g. /kata/src/solutions while tests run
            cmd += ["--tmpfs", inside]
        if cwd:
            cmd += ["--chdir", cwd]
        cmd += ["--"]
        uid = self.uid(slot)
        if uid is not None:
            # setpriv after prlimit: lowering limits needs no privilege, and the
            # uid change comes last so nothing runs as root inside.
            cmd += [*limited, "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups",
                    "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
        else:
            cmd += limited
        return [*cmd, "env", "-i", *envs, *argv]

    def run(self, argv: list[str], binds: list[tuple[Path, str, bool]], limits: Limits,
            slot: int = 0, env: dict[str, str] | None = None, cwd: str | None = None,
            keep: int = 4 << 20, split_stderr: bool = False, hide_extra: list[str] | None = None) -> Result:
        """Runs and waits at most limits.wall seconds; keeps the first `keep`
        bytes of output and drains the rest (a build log cannot fill memory).
        split_stderr: stdout alone in `output`, stderr's tail in `stderr`."""
        cmd = self.command(argv, binds, limits, slot, env, cwd, hide_extra if self.enabled else None)
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE if split_stderr else subprocess.STDOUT,
                                start_new_session=True, cwd=None if self.enabled else cwd)
        chunks: list[bytes] = []
        kept = [0]
        err_tail = bytearray()

        def drain() -> None:
            assert proc.stdout is not None
            while True:
                data = proc.stdout.read1(65536)
                if not data:
                    return
                if kept[0] < keep:
                    chunks.append(data[:keep - kept[0]])
                    kept[0] += len(chunks[-1])

        def drain_err() -> None:
            assert proc.stderr is not None
            while True:
                data = proc.stderr.read1(65536)
                if not data:
                    return
                err_tail.extend(data)
                del err_tail[:-65536]

        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        err_reader = threading.Thread(target=drain_err, daemon=True) if split_stderr else None
        if err_reader:
            err_reader.start()
        timed_out = False
        try:
            rc = proc.wait(timeout=limits.wall)
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_tree(proc)
            rc = proc.wait()
        except BaseException:
            kill_tree(proc)
            proc.wait()
            raise
        reader.join(timeout=5)
        if err_reader:
            err_reader.join(timeout=5)
        if not self.enabled:
            kill_tree(proc)          # no pid namespace: take its process group down too
        out = b"".join(chunks).decode("utf-8", errors="replace")
        if kept[0] >= keep:
            out += f"\n[kata grader: output cut after {keep} bytes]\n"
        return Result(rc, timed_out, time.monotonic() - start, out, bytes(err_tail).decode("utf-8", "replace"))


def system_binds() -> list[str]:
    """Every top-level folder of the host read-only (symlinks such as /lib ->
    usr/lib recreated) on bwrap's own root tmpfs, which nothing inside may
    write: the root itself stays a place where /kata/... mount points can be
    made, which `--ro-bind / /` would not allow."""
    out: list[str] = []
    for entry in sorted(os.listdir("/")):
        if entry in ("dev", "proc", "tmp", "kata", "lost+found"):
            continue
        path = "/" + entry
        if os.path.islink(path):
            out += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            out += ["--ro-bind", path, path]
    return out


def kill_tree(proc: subprocess.Popen) -> None:
    """bwrap leads its own session: killing the group takes the outer bwrap
    down, and --die-with-parent takes pid 1 of the sandbox (and with it the
    whole pid namespace) after it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def probe(bwrap: str | None = None) -> tuple[str | None, str]:
    """(path of a working bwrap, "") or (None, why not). KATA_BWRAP overrides
    which program is tried (the self-tests use it to play a machine without one)."""
    name = bwrap or os.environ.get("KATA_BWRAP", "bwrap")
    exe = shutil.which(name)
    if not exe:
        return None, (f"bubblewrap ('{name}') is not installed: install it with "
                      "`bash scripts/install-deps.sh --grade` (Debian package bubblewrap)")
    try:
        proc = subprocess.run([exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
                               "--unshare-pid", "--unshare-net", "--die-with-parent", "--", "true"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return None, f"bubblewrap ({exe}) cannot run here: {err}"
    if proc.returncode != 0:
        return None, (f"bubblewrap ({exe}) cannot create its namespaces here: "
                      f"{(proc.stderr or proc.stdout).strip()[:300]} (unprivileged user namespaces may be "
                      "disabled: run the grader as root, e.g. with sudo)")
    return exe, ""


def uid_base() -> int | None:
    """Root: a block of 8 unused uids for this grader process (RLIMIT_NPROC
    counts per uid, so two graders on one machine, or two sandboxes of one
    grader, never share a process budget). Not root: None (our own uid)."""
    if os.geteuid() != 0:
        return None
    return 200000 + (os.getpid() % 100000) * 8
