"""The shared pristine build: the kata at REF, built once (learner semantics:
KATA_SOURCE=chapters, Ninja, Release so the tree is small and links fast),
copied for every submission.

The copy is valid anywhere because every build sees the same paths: inside
the sandbox the source is always /kata/src and the build /kata/build (with
--no-sandbox: WORK/live/src and WORK/live/build, one submission at a time).
`cp -a` keeps every mtime, so ninja recompiles only the edit files a
submission changed (an edit file equal to the stub is not written at all),
relinks what uses them and reruns their test discovery. Objects are copied,
never hard-linked: compilers truncate their outputs in place.

Every test command, and gtest's discovery, runs through kata-outcap
(CMAKE_CROSSCOMPILING_EMULATOR): output capped at 1 MiB, the test's process
group killed when it ends (see outcap.c).
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ToolError
from ..manifest import Exercise
from . import pristine
from .sandbox import Limits, Sandbox

BUILD_TYPE = "Release"
# -O1, not Release's -O3: every submission recompiles its edit files, and
# the tests check orders and outcomes, not speed. -O1 compiles ~14 % faster
# (bench/grading/time-submission.sh: the figures in docs/grading.md).
OPT_FLAGS = "-O1 -DNDEBUG"
VERSION = "2"                      # bump when the base's layout changes (2: no discovery, probes)
OUTCAP_C = Path(__file__).with_name("outcap.c")
OUTCAP_BYTES = 1 << 20
OUTCAP_SECONDS = 29                # below ctest's 30 s per test
KEEP_BASES = 3                     # finished bases kept in WORK (the newest ones)


@dataclass
class Layout:
    """Where the sandboxed commands see the source, build, tools and outputs."""
    src: str
    build: str
    bin: str
    out: str


SANDBOXED = Layout("/kata/src", "/kata/build", "/kata/bin", "/kata/out")
# What a submission's running code must not read: the sandbox's copy of the
# reference sources (the kata checkout itself is covered by Sandbox.hide). A
# test or probe that could run or compile the reference would make the
# hidden checks meaningless.
HIDDEN_FROM_TESTS = [f"{SANDBOXED.src}/solutions"]


def direct_layout(work: Path) -> Layout:
    live = work / "live"
    return Layout(str(live / "src"), str(live / "build"), str(work / "bin"), str(live / "out"))


@dataclass
class Base:
    dir: Path
    src: Path
    build: Path
    bin: Path
    ident: str                     # commit id (or work-tree hash) of the pristine kata
    ref: str
    targets: list[str]
    layout: Layout
    seconds: float
    reused: bool
    tests: dict[str, list[str]] = field(default_factory=dict)   # key → gtest names the pristine kata lists
    probes: list[str] = field(default_factory=list)             # keys with a reference probe built
    hidden: object = None                                        # hidden.Reference, set by the Grader


def test_env() -> dict[str, str]:
    return {"KATA_OUTCAP_BYTES": str(OUTCAP_BYTES), "KATA_OUTCAP_SECONDS": str(OUTCAP_SECONDS)}


def targets_for(exercises: list[Exercise]) -> list[str]:
    return [e.target for e in exercises]


def probe_target(key: str) -> str:
    return "probe_ref_" + key.replace(".", "_")


def parse_test_list(text: str) -> list[str]:
    """gtest's --gtest_list_tests: "Suite." lines, then "  Name" lines
    (either may end with a "# GetParam() = ..." comment)."""
    names, suite = [], ""
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        word = line.split("#", 1)[0].strip()
        if not line.startswith(" "):
            suite = word
        elif suite and word and not (suite.startswith("DISABLED_") or word.startswith("DISABLED_")):
            names.append(suite + word)             # (ctest does not run disabled tests either)
    return names


def _list_tests(exercises: list[Exercise], here: Path, layout: Layout, binds, sandbox: Sandbox,
                limits: Limits) -> dict[str, list[str]]:
    """The tests each pristine test binary registers (the stubs' binaries:
    the kata's own code). What a submission's binary says is never asked."""
    tests = {}
    for ex in exercises:
        res = sandbox.run([f"{layout.build}/{ex.target}", "--gtest_list_tests"], binds, limits,
                          cwd=layout.build if not sandbox.enabled else None, split_stderr=True)
        names = parse_test_list(res.output)
        if res.returncode != 0 or not names:
            raise ToolError(f"the pristine {ex.target} does not list its tests (status {res.returncode}): "
                            f"{(res.stderr or res.output).strip()[-500:]}")
        tests[ex.key] = names
    return tests


def copy_tree(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-a", "--", str(src), str(dst)], check=True)


def _outcap(bin_dir: Path) -> Path:
    exe = bin_dir / "kata-outcap"
    if not exe.exists() or exe.stat().st_mtime < OUTCAP_C.stat().st_mtime:
        bin_dir.mkdir(parents=True, exist_ok=True)
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc:
            raise ToolError("no C compiler (cc) to build the grader's kata-outcap")
        proc = subprocess.run([cc, "-O2", "-o", str(exe), str(OUTCAP_C)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise ToolError(f"cannot build kata-outcap: {proc.stderr.strip()}")
    return exe


def _prune(work: Path, keep: int) -> None:
    """Old bases (an earlier kata commit or exercise set) are 10-200 MB each."""
    done = sorted((d for d in work.glob("base-*") if (d / "stamp.json").exists()),
                  key=lambda d: (d / "stamp.json").stat().st_mtime, reverse=True)
    for d in done[keep - 1:]:
        shutil.rmtree(d, ignore_errors=True)


def ensure(root: Path, ref: str, exercises: list[Exercise], work: Path, sandbox: Sandbox,
           limits: Limits, jobs: int = 2, log=print) -> Base:
    """The base build for `exercises` (reused when an identical one exists in `work`)."""
    start = time.monotonic()
    ident = pristine.resolve(root, ref)
    targets = targets_for(exercises)
    key_src = json.dumps([VERSION, ident, sorted(targets), sandbox.enabled, BUILD_TYPE, OPT_FLAGS,
                          hashlib.sha256(OUTCAP_C.read_bytes()).hexdigest(), str(work.resolve())])
    key = hashlib.sha256(key_src.encode()).hexdigest()[:12]
    bin_dir = work / "bin"
    _outcap(bin_dir)
    layout = SANDBOXED if sandbox.enabled else direct_layout(work)
    bdir = work / f"base-{key}"
    stamp = bdir / "stamp.json"
    if stamp.exists():
        pristine.refresh(root, ref, bdir / "src")
        data = json.loads(stamp.read_text())
        return Base(bdir, bdir / "src", bdir / "build", bin_dir, ident, ref, targets, layout,
                    time.monotonic() - start, True, data["tests"], data["probes"])
    if bdir.exists():
        shutil.rmtree(bdir)
    # Where the build happens: bound at /kata/... (sandbox) or the live folder.
    here = bdir if sandbox.enabled else work / "live"
    if here.exists():
        shutil.rmtree(here)
    log(f"pristine kata {ref} ({ident[:12]}): building the base for {len(targets)} exercises ...")
    pristine.export(root, ref, here / "src")
    (here / "build").mkdir(parents=True)
    (here / "tmp").mkdir()
    sandbox.owner(here, 0)
    binds = [(here / "src", layout.src, False), (here / "build", layout.build, True),
             (bin_dir, layout.bin, False), (here / "tmp", "/tmp", True)]
    probes = [e.key for e in exercises if (here / "src" / e.probe).is_file()]
    configure = ["cmake", "-S", layout.src, "-B", layout.build, "-G", "Ninja",
                 "-DKATA_SOURCE=chapters", "-DKATA_DISCOVER_TESTS=OFF", f"-DCMAKE_BUILD_TYPE={BUILD_TYPE}",
                 f"-DCMAKE_CXX_FLAGS_RELEASE={OPT_FLAGS}", f"-DCMAKE_C_FLAGS_RELEASE={OPT_FLAGS}",
                 f"-DCMAKE_CROSSCOMPILING_EMULATOR={layout.bin}/kata-outcap"]
    big = Limits(wall=max(limits.wall, 3600), memory=limits.memory, nproc=limits.nproc,
                 fsize=limits.fsize, cpu=max(limits.cpu, 3600))
    for step, argv in (("configure", configure),
                       ("build", ["ninja", "-C", layout.build, f"-j{jobs}", *targets,
                                  *[probe_target(k) for k in probes]])):
        res = sandbox.run(argv, binds, big, env=test_env(), cwd=layout.build if not sandbox.enabled else None)
        (here / f"base-{step}.log").write_text(res.output, encoding="utf-8")
        if res.returncode != 0 or res.timed_out:
            raise ToolError(f"the pristine kata does not {step} ({here / f'base-{step}.log'}):\n"
                            f"{res.output.strip()[-3000:]}")
    ro = [(p, d, False) for p, d, _ in binds]
    tests = _list_tests(exercises, here, layout, ro, sandbox, big)
    if not sandbox.enabled:
        bdir.mkdir(parents=True)
        for part in ("src", "build"):
            copy_tree(here / part, bdir / part)
    else:
        shutil.rmtree(here / "tmp")
    secs = time.monotonic() - start
    _prune(work, keep=KEEP_BASES)
    stamp.write_text(json.dumps({"ident": ident, "ref": ref, "targets": targets, "seconds": round(secs, 1),
                                 "tests": tests, "probes": probes}) + "\n")
    log(f"pristine base built in {secs:.0f} s ({bdir}): {sum(map(len, tests.values()))} tests, "
        f"{len(probes)} probes")
    return Base(bdir, bdir / "src", bdir / "build", bin_dir, ident, ref, targets, layout, secs, False,
                tests, probes)


def run_built(base: Base, src: Path, build: Path, scratch: Path, sandbox: Sandbox, slot: int, argv: list[str],
              limits: Limits, **kw):
    """Runs `argv` (a submission's built binaries) in a sandbox where the
    source and build are read-only and only a fresh /tmp (`scratch`, removed
    afterwards) is writable; the reference sources are covered."""
    lay = base.layout
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    sandbox.owner(scratch, slot)
    binds = [(src, lay.src, False), (build, lay.build, False), (base.bin, lay.bin, False), (scratch, "/tmp", True)]
    try:
        return sandbox.run(argv, binds, limits, slot=slot, env=test_env(), cwd=lay.build,
                           hide_extra=HIDDEN_FROM_TESTS, **kw)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
