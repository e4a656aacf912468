"""Each file in snippets/ runs as a script, as a reader would run it, and writes its figures."""

from __future__ import annotations

from contextlib import chdir
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from pipeline import figures
from pipeline.fences import Fence, python_fences, rel
from pipeline.pytest_plugin import _continued, execute


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


def _figure_blocks() -> list[tuple[Fence, list[Fence]]]:
    """Every page block that saves a figure, with the blocks it continues (oldest first)."""
    found = []
    for page in sorted(Path(figures.ROOT, "docs").rglob("*.md")):
        fences = python_fences(page)
        found += [(f, _continued(f, fences)) for f in fences if "savefig(" in f.code and not f.opted_out]
    return found


@pytest.mark.parametrize(("fence", "earlier"), _figure_blocks(), ids=lambda v: v.where if isinstance(v, Fence) else "")
def test_figures_are_byte_identical_from_run_to_run(fence: Fence, earlier: list[Fence], tmp_path: Path) -> None:
    """Seeded code and a pinned SVG hash salt and date: the same code draws the same bytes."""
    outputs = []
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        namespace: dict = {"__name__": "__main__"}
        with chdir(folder):
            for block in [*earlier, fence]:
                execute(block, namespace)
            plt.close("all")
        outputs.append({p.name: p.read_bytes() for p in folder.iterdir()})
    assert outputs[0], f"{fence.where} saved no figure"
    assert outputs[0] == outputs[1], f"{fence.where} draws different bytes on a second run"
