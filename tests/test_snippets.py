"""Each file in snippets/ is the page's blocks, in order, so `python snippets/x.py` runs what the page ran.

The page run executes every section as its own block (each self-contained, as a reader copies it);
a snippet file that holds only those sections therefore runs as a script too, without running the
page's code a second time in the suite (`make page PAGE=x` runs the script as well).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.fences import rel
from pipeline.pages import SNIPPETS, all_pages

_MARK = re.compile(r"^# --8<-- \[(start|end):([\w-]+)\]$")


def snippet_files() -> list[Path]:
    return sorted(p for p in SNIPPETS.glob("*.py") if not p.name.startswith("_"))


def loose_lines(script: Path) -> list[int]:
    """Lines of code outside every section: code a reader's script would run that no page block ran."""
    inside, loose = False, []
    for number, line in enumerate(script.read_text().splitlines(), 1):
        mark = _MARK.match(line.strip())
        if mark:
            inside = mark[1] == "start"
        elif not inside and line.strip() and not line.lstrip().startswith("#"):
            loose.append(number)
    return loose


@pytest.mark.parametrize("script", snippet_files(), ids=lambda p: p.name)
def test_snippet_file_is_only_its_sections(script: Path) -> None:
    assert loose_lines(script) == [], f"{rel(script)}: code outside any section runs in no page block"


def test_every_snippet_section_is_shown_on_some_page() -> None:
    """Coverage counts lines run by page blocks; a section no page includes must not exist."""
    shown = " ".join(p.read_text() for p in all_pages())
    for script in snippet_files():
        assert f"snippets/{script.name}:" in shown, f"{rel(script)} is included by no page under docs/"
        for section in re.findall(r"# --8<-- \[start:([\w-]+)\]", script.read_text()):
            assert f"snippets/{script.name}:{section}" in shown, f"{rel(script)}: section '{section}' is on no page"


def test_a_loose_line_is_found(tmp_path: Path) -> None:
    script = tmp_path / "x.py"
    script.write_text("# header\n# --8<-- [start:a]\nx = 1\n# --8<-- [end:a]\nprint(x)\n")
    assert loose_lines(script) == [5]
