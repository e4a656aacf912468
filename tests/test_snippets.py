"""Each file in snippets/ runs as a script, as a reader would run it, and writes its figures."""

from __future__ import annotations

import contextlib
import re
import runpy
from pathlib import Path

import coverage
import pytest

from pipeline import figures, pytest_plugin
from pipeline.fences import rel


@contextlib.contextmanager
def coverage_paused():
    """Lines a script run executes do not count: the 100% gate means every line runs in a page block."""
    cov = coverage.Coverage.current()
    if cov is not None:
        cov.stop()
    try:
        yield
    finally:
        if cov is not None:
            cov.start()


@pytest.mark.parametrize("script", figures.snippet_files(), ids=lambda p: p.name)
def test_snippet_runs_as_a_script(script: Path) -> None:
    """`python snippets/x.py` from an empty folder, as a reader runs it: here as __main__ in the worker,
    which has torch and matplotlib imported already (the build runs it in a fresh interpreter)."""
    folder = figures.fresh_folder(script)
    with coverage_paused(), pytest_plugin.sandbox(), contextlib.chdir(folder):
        runpy.run_path(str(script), run_name="__main__")
    figures.mark_current(script)
    written = [p.name for p in folder.iterdir() if p.suffix in figures.FIGURE_SUFFIXES]
    if "savefig(" in script.read_text():
        assert written, f"{rel(script)} calls savefig but wrote no figure"


def test_every_snippet_file_is_shown_on_some_page() -> None:
    shown = " ".join(p.read_text() for p in Path(figures.ROOT, "docs").rglob("*.md"))
    for script in figures.snippet_files():
        assert f"snippets/{script.name}:" in shown, f"{rel(script)} is included by no page under docs/"


def test_every_snippet_section_is_shown_on_some_page() -> None:
    """Coverage counts lines run by page blocks; a section no page includes must not exist."""
    shown = " ".join(p.read_text() for p in Path(figures.ROOT, "docs").rglob("*.md"))
    for script in figures.snippet_files():
        for section in re.findall(r"# --8<-- \[start:([\w-]+)\]", script.read_text()):
            assert f"snippets/{script.name}:{section}" in shown, f"{rel(script)}: section '{section}' is on no page"
