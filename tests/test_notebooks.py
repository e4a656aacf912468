"""Notebooks run under the same runner as page blocks, and a malformed one is an error naming its file."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from pipeline import notebooks
from pipeline.errors import PageError
from pipeline.pages import DOCS

NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_the_site_gets_its_outputs(path: Path) -> None:
    """Runs once here and caches the executed copy the build renders (the build reruns it if it changed)."""
    executed, failures = notebooks.executed_copy(path)
    assert failures == {}, "\n".join(failures.values())
    cells = [c for c in nbformat.read(str(executed), as_version=4).cells if c.cell_type == "code"]
    assert cells and all(c.outputs for c in cells), f"{path.name}: a code cell has no output in the executed copy"
    assert ".md)" not in "".join(c.source for c in nbformat.read(str(executed), as_version=4).cells)


def test_a_malformed_notebook_names_its_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(PageError, match=r"broken\.ipynb: not a valid notebook"):
        notebooks.load(path)


def test_notebook_cells_are_guarded_and_named_when_they_fail(tmp_path: Path) -> None:
    path = tmp_path / "net.ipynb"
    cells = [
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("import socket\nsocket.getaddrinfo('a.b', 80)"),
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), str(path))
    failures = notebooks.run(path).failures
    assert list(failures) == ["cell-1"] and "net.ipynb (cell 1)" in failures["cell-1"]
    assert "may not use the network" in failures["cell-1"]
