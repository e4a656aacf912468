"""Run snippet files as scripts; the figures they save are the ones the site shows.

A snippet writes its figures into the folder it runs in. The tests run every snippet
here, and the build reuses that output when the snippet has not changed since.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipeline.fences import ROOT, rel

SNIPPETS = ROOT / "snippets"
OUTPUT = ROOT / ".cache" / "figures"
FIGURE_SUFFIXES = {".svg", ".png"}
MATPLOTLIBRC = ROOT / "pipeline" / "matplotlibrc"


# Every page block and snippet runs with this: headless matplotlib in the project's style, dates
# pinned so figures are byte-stable, and one math thread: the tests run two workers on two cores,
# and a second BLAS/torch thread in each only fights for them.
SANDBOX_ENV = {
    "MATPLOTLIBRC": str(MATPLOTLIBRC),
    "MPLBACKEND": "Agg",
    "SOURCE_DATE_EPOCH": "0",
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


def script_env() -> dict[str, str]:
    """The environment of a snippet run as a script: this process's, plus the sandbox settings."""
    return {**os.environ, **SANDBOX_ENV}


def snippet_files() -> list[Path]:
    return sorted(p for p in SNIPPETS.glob("*.py") if not p.name.startswith("_"))


def _key(script: Path) -> str:
    data = script.read_bytes() + MATPLOTLIBRC.read_bytes()
    return hashlib.sha256(data).hexdigest()


def fresh_folder(script: Path) -> Path:
    """The empty folder a snippet runs in; the figures it saves stay there."""
    folder = OUTPUT / script.stem
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def mark_current(script: Path) -> None:
    """Record that the figures in the snippet's folder come from its current code."""
    (OUTPUT / script.stem / ".source-hash").write_text(_key(script))


def run_script(script: Path, force: bool = True, timeout: float = 120) -> subprocess.CompletedProcess | None:
    """Run one snippet as a script in its own output folder; None when a cached run is current."""
    stamp = OUTPUT / script.stem / ".source-hash"
    if not force and stamp.is_file() and stamp.read_text() == _key(script):
        return None
    folder = fresh_folder(script)
    done = subprocess.run(
        [sys.executable, str(script)], cwd=folder, env=script_env(), capture_output=True, text=True, timeout=timeout
    )
    if done.returncode == 0:
        mark_current(script)
    return done


def figures() -> dict[str, Path]:
    """Every figure written by the snippets, by file name (names must be unique)."""
    found: dict[str, Path] = {}
    for path in sorted(OUTPUT.glob("*/*")):
        if path.suffix not in FIGURE_SUFFIXES:
            continue
        if path.name in found:
            raise RuntimeError(f"figure {path.name} is written by two snippets: {rel(found[path.name])}, {rel(path)}")
        found[path.name] = path
    return found


def refresh(scripts: list[Path] | None = None) -> list[str]:
    """Bring every snippet's figures up to date; return the failures as messages."""
    failures = []
    for script in scripts or snippet_files():
        done = run_script(script, force=False)
        if done is not None and done.returncode != 0:
            failures.append(f"{rel(script)} failed when run as a script:\n{done.stderr[-3000:]}")
    return failures
