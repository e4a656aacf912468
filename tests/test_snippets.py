"""Each file in snippets/ runs as a script, as a reader would run it, and writes its figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import figures
from pipeline.fences import rel


@pytest.mark.parametrize("script", figures.snippet_files(), ids=lambda p: p.name)
def test_snippet_runs_as_a_script(script: Path) -> None:
    done = figures.run_script(script, force=True)
    assert done is not None
    assert done.returncode == 0, f"{rel(script)} failed when run as a script:\n{done.stderr[-4000:]}"
    written = sorted(p.name for p in (figures.OUTPUT / script.stem).iterdir() if p.suffix in figures.FIGURE_SUFFIXES)
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
