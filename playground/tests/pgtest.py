"""Shared bits of the playground's tests: node (skip with 77 when missing or
< 20, like tests/oracle/check_twin.py), the driver, one run of each side."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from katalib import playground as pg  # noqa: E402

SKIP = 77


def node_or_skip() -> str:
    try:
        return pg.find_node()
    except pg.PlaygroundError as e:
        print(f"SKIP: {e}")
        sys.exit(SKIP)


def driver_arg(argv: list[str]) -> Path:
    """--driver PATH (the build's playground_driver)."""
    if "--driver" in argv:
        return Path(argv[argv.index("--driver") + 1])
    return pg.driver_path(ROOT, "reference")


def loop(node: str, driver: Path, file: Path, **kw) -> pg.Run:
    return pg.run_loop(ROOT, node, driver, file, **kw)


def native(node: str, file: Path, timeout: float = 10.0) -> pg.Run:
    return pg.run_native(node, file, timeout)


def masked(lines: list[str]) -> list[str]:
    return [re.sub(r"\d+", "#", l) for l in lines]


def fail(msg: str) -> None:
    print("FAIL: " + msg)
    sys.exit(1)
