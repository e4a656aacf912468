"""The code is ruff-clean and formatted, and the prose has no common misspellings (as pre-commit checks)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.fences import ROOT

BIN = Path(sys.executable).parent
CHECKED = ["pipeline", "snippets", "tests", "benchmarks", "conftest.py"]


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    done = run(str(BIN / "ruff"), "check", "--output-format=concise", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_code_is_formatted() -> None:
    done = run(str(BIN / "ruff"), "format", "--check", *CHECKED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_misspellings_in_docs_and_code() -> None:
    done = run(str(BIN / "codespell"), "docs", "snippets", "pipeline", "tests", "README.md", "CONTRIBUTING.md")
    assert done.returncode == 0, done.stdout + done.stderr
