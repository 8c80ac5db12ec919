"""Runs ctest in a build directory and reads back what each test did.

JUnit XML (--output-junit) gives every test's status and full output;
ctest's console lines add what JUnit flattens away (segfault vs timeout).
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

# The exercises' tests, plus gtest_discover_tests' placeholder when a binary is missing.
EXERCISE_TESTS = r"^(chapter[0-9]+\.ex[0-9]+\.|ch[0-9]+_ex[0-9]+_NOT_BUILT$)"


from .errors import ToolError


@dataclass
class TestResult:
    name: str
    status: str          # "pass", "fail", "notrun", "skipped"
    output: str = ""
    detail: str = ""     # ctest's word for an abnormal end: "SegFault", "Timeout", ...
    index: int = 0       # ctest's order (registration order = source order)
    command: list | None = None


def ctest_exe() -> str:
    exe = shutil.which("ctest")
    if not exe:
        raise ToolError("ctest not found on PATH (install CMake ≥ 3.20)")
    return exe


def check_build_dir(build: Path) -> None:
    if not (build / "CTestTestfile.cmake").exists():
        raise ToolError(f"{build} is not a configured build directory (no CTestTestfile.cmake);"
                        f" configure it first, e.g. cmake -S . -B {build} -G Ninja")


def list_tests(build: Path, regex: str = EXERCISE_TESTS) -> list[TestResult]:
    """Every registered test (name, command, order) without running anything."""
    proc = subprocess.run([ctest_exe(), "--test-dir", str(build), "--show-only=json-v1", "-R", regex],
                          capture_output=True, text=True, errors="replace")
    if proc.returncode != 0:
        raise ToolError(f"ctest --show-only failed in {build}:\n{proc.stderr.strip()}")
    try:
        data = json.loads(proc.stdout)
    except ValueError as err:
        raise ToolError(f"could not read ctest's test list: {err}") from err
    return [TestResult(name=t["name"], status="notrun", index=i, command=t.get("command"))
            for i, t in enumerate(data.get("tests", []))]


_CONSOLE = re.compile(r"Test\s+#\d+:\s+(\S+)\s+\.+\**\s*(.*?)\s+[\d.]+\s+sec")


def run_tests(build: Path, junit: Path, jobs: int = 2, regex: str = EXERCISE_TESTS,
              timeout: float | None = None, on_start=None) -> dict[str, TestResult]:
    """Runs the tests (quietly) and returns name → result. ctest's own exit
    status is not an error: failing tests are the normal state of a kata.
    `on_start(proc)`, if given, receives the ctest process (started in its own
    session, so a caller such as watch mode can stop it and its tests)."""
    junit.parent.mkdir(parents=True, exist_ok=True)
    if junit.exists():
        junit.unlink()
    cmd = [ctest_exe(), "--test-dir", str(build), "-j", str(jobs), "-R", regex,
           "--output-junit", str(junit.resolve()), "--no-tests=ignore"]
    try:
        if on_start is None:
            proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout)
        else:
            popen = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                     text=True, errors="replace", start_new_session=True)
            on_start(popen)
            try:
                out, err = popen.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.communicate()
                raise
            proc = subprocess.CompletedProcess(cmd, popen.returncode, out, err)
    except subprocess.TimeoutExpired as err:
        raise ToolError(f"ctest did not finish within {timeout} s") from err
    details = {}
    for line in proc.stdout.splitlines():
        m = _CONSOLE.search(line)
        if m:
            details[m.group(1)] = m.group(2).strip("* ")
    if not junit.exists():
        if "No tests were found" in proc.stdout + proc.stderr:
            return {}
        raise ToolError(f"ctest wrote no results (exit {proc.returncode}):\n"
                        f"{(proc.stderr or proc.stdout).strip()[-2000:]}")
    results = parse_junit(junit)
    for name, r in results.items():
        r.detail = details.get(name, "")
    return results


def parse_junit(path: Path) -> dict[str, TestResult]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as err:
        raise ToolError(f"cannot read JUnit results {path}: {err}") from err
    results = {}
    for i, case in enumerate(root.iter("testcase")):
        name = case.get("name", "")
        out = case.findtext("system-out") or ""
        status = case.get("status", "")
        if case.find("failure") is not None or case.find("error") is not None or status == "fail":
            st = "fail"
        elif status == "notrun" and "find executable" in out:
            st = "notrun"    # the binary is missing: it did not compile
        elif case.find("skipped") is not None or status in ("disabled", "skipped"):
            st = "skipped"
        else:
            st = "pass"
        results[name] = TestResult(name=name, status=st, output=out, index=i)
    return results


_LOG_TEST = re.compile(r"^\d+/\d+ Test: (.+)$")


def parse_last_test_log(path: Path) -> dict[str, TestResult]:
    """ctest's own record of its last run (Testing/Temporary/LastTest.log),
    for when the tests were just run by someone else (make chapterN)."""
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return {}
    results: dict[str, TestResult] = {}
    current, out, in_output = None, [], False
    for line in lines:
        m = _LOG_TEST.match(line)
        if m:
            current, out, in_output = TestResult(name=m.group(1).strip(), status="fail"), [], False
            continue
        if current is None:
            continue
        if line == "Output:":
            in_output = True
            continue
        if in_output:
            if line == "<end of output>":
                in_output = False
                current.output = "\n".join(out[1:] if out and set(out[0]) == {"-"} else out)
            else:
                out.append(line)
            continue
        if line.startswith("Test Passed.") or line.startswith("Test Pass Reason:"):
            current.status = "pass"
        elif line.startswith("Skip regular expression found"):
            current.status = "skipped"
        elif line.startswith("Test Failed."):
            current.status = "fail"
        elif line.startswith(f'"{current.name}" end time:'):
            results[current.name] = current
            current = None
    return results


def last_results(build: Path, saved_junit: Path) -> dict[str, TestResult]:
    """The most recent known result of each test: our saved JUnit file and
    ctest's LastTest.log, the newer one winning."""
    sources = []
    if saved_junit.exists():
        sources.append((saved_junit.stat().st_mtime, lambda: parse_junit(saved_junit)))
    log = build / "Testing" / "Temporary" / "LastTest.log"
    if log.exists():
        sources.append((log.stat().st_mtime, lambda: parse_last_test_log(log)))
    merged: dict[str, TestResult] = {}
    for _, load in sorted(sources, key=lambda s: s[0]):
        try:
            merged.update(load())
        except ToolError:
            pass
    return merged
