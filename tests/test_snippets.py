"""Each file in snippets/ runs as a script, as a reader would run it, and writes its figures."""

from __future__ import annotations

import re
from contextlib import chdir
from pathlib import Path

import matplotlib.pyplot as plt
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


def _figure_sections() -> list[tuple[str, str]]:
    """(snippet module, section) for every section that saves a figure."""
    found = []
    for script in figures.snippet_files():
        text = script.read_text()
        for name in re.findall(r"# --8<-- \[start:([\w-]+)\]", text):
            body = text.split(f"[start:{name}]")[1].split(f"[end:{name}]")[0]
            if "savefig(" in body:
                found.append((script.stem, name))
    return found


@pytest.mark.parametrize(("module", "section"), _figure_sections(), ids=lambda v: str(v))
def test_figures_are_byte_identical_from_run_to_run(module: str, section: str, tmp_path: Path) -> None:
    """Seeded code and a pinned SVG hash salt and date: the same code draws the same bytes."""
    from pipeline.fences import read_section
    from pipeline.pytest_plugin import Fence, execute

    code, origin, line = read_section(f"snippets/{module}.py:{section}", "test")
    fence = Fence(origin, line, "python", frozenset(), {}, code, origin, line)
    outputs = []
    for run in ("first", "second"):
        folder = tmp_path / run
        folder.mkdir()
        with chdir(folder):
            execute(fence, {"__name__": "__main__"})
            plt.close("all")
        outputs.append({p.name: p.read_bytes() for p in folder.iterdir()})
    assert outputs[0], f"snippets/{module}.py:{section} saved no figure"
    assert outputs[0] == outputs[1], f"snippets/{module}.py:{section} draws different bytes on a second run"
