#!/usr/bin/env python3
"""The --html page in headless Chromium: the DOM text of a few steps (the
arrow keys step through the trace; the page also opens at #N) and a
non-empty screenshot. Skipped (77) without chromium or node.

  check_html.py --driver PATH --chromium /usr/bin/chromium
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pgtest  # noqa: E402

HERE = Path(__file__).resolve().parent


def chromium(exe: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([exe, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                           "--no-first-run", "--user-data-dir=" + tempfile.mkdtemp(prefix="pg-chromium-"), *args],
                          capture_output=True, text=True, timeout=60)


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--driver", required=True)
    p.add_argument("--chromium", default=shutil.which("chromium") or "")
    a = p.parse_args()
    pgtest.node_or_skip()
    if not a.chromium or not Path(a.chromium).exists():
        print("SKIP: chromium is not installed (apt-get install chromium)")
        return 77
    with tempfile.TemporaryDirectory() as d:
        page = Path(d) / "trace.html"
        r = subprocess.run([sys.executable, str(pgtest.ROOT / "tools/kata.py"), "js", str(HERE / "seed/ch3_nexttick_readfile.js"),
                            "--html", str(page), "--driver", a.driver], capture_output=True, text=True, timeout=60)
        if not page.exists():
            pgtest.fail(f"no page written: {r.stdout} {r.stderr}")
        checks = {
            # step → what the DOM must say there (the seed's nextTick snippet on the reference loop)
            1: ["main script", "console so far"],
            2: ["poll", "readFile"],
            3: ["nextTick queue", "nextTick1"],
        }
        for step, wants in checks.items():
            dom = chromium(a.chromium, "--dump-dom", f"file://{page}#{step}").stdout
            text = re.sub(r"<[^>]+>", " ", dom)
            if f'id="step">{step}<' not in dom:
                pgtest.fail(f"step {step}: the page did not show it:\n{dom[:2000]}")
            for w in wants:
                if w not in text:
                    pgtest.fail(f"step {step}: '{w}' missing from the DOM text:\n{text[:3000]}")
        # the console of the last step holds all five lines
        last = chromium(a.chromium, "--dump-dom", f"file://{page}#999").stdout
        if "nextTick3" not in last or "setTimeout" not in re.sub(r"<[^>]+>", " ", last):
            pgtest.fail("last step: the console is not complete")
        shot = Path(d) / "shot.png"
        chromium(a.chromium, f"--screenshot={shot}", "--window-size=1200,800", f"file://{page}#3")
        if not shot.exists() or shot.stat().st_size < 5000:
            pgtest.fail("no (or an empty) screenshot")
        print(f"ok: steps 1-3 and the last in the DOM, screenshot {shot.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
