"""Time each phase of `make test` on this machine (the suite time the README points to).

Run with `make measure` (after set-up): it runs the three phases as `make test` does, one after the
other, and prints a table of wall-clock seconds; `pipeline.bench` records it with the machine and date
in benchmarks/results/phases.json. Not part of the tests: a timed test would fail on a slow machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PHASES = [
    (
        "page blocks, claims and tests",
        [
            BIN / "python",
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "-m",
            "not site",
            "--cov",
            "--cov-fail-under=100",
            "-q",
            "-p",
            "no:randomly",
        ],
    ),
    ("mkdocs build --strict", [BIN / "mkdocs", "build", "--strict", "-q"]),
    ("browser tests", [BIN / "python", "-m", "pytest", "-n", "2", "-m", "site", "-q", "-p", "no:randomly"]),
]


def main() -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    seconds = {}
    print("| phase of `make test` | wall-clock seconds |\n|---|---:|")
    for name, command in PHASES:
        start = time.perf_counter()
        done = subprocess.run([str(c) for c in command], cwd=ROOT, env=env, capture_output=True, text=True)
        seconds[name] = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
        print(f"| {name} | {seconds[name]:.0f} |")
    total = sum(seconds.values())
    print(f"| **total, after set-up** | **{total:.0f}** |")
    print("values: " + json.dumps({"total_seconds": round(total), **{k: round(v) for k, v in seconds.items()}}))


if __name__ == "__main__":
    main()
