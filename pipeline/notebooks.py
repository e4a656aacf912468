"""Notebook pages run like Markdown pages: their code cells go through pipeline.runner (guarded, time-limited,
one child process), and the site renders the notebook with the outputs of that run.

The build hands mkdocs-jupyter an executed copy (``.cache/notebooks/<name>.ipynb``) with ``execute: false``,
so no notebook code runs outside the runner. Links to other pages (``loss-surface.md``) are rewritten to
the built pages' URLs, which mkdocs-jupyter does not do.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from pipeline.errors import PageError
from pipeline.fences import ROOT, rel
from pipeline.runner import BLOCK_TIME_LIMIT, Block, PageRun, run_page

CACHE = ROOT / ".cache" / "notebooks"
_MD_LINK = re.compile(r"\]\((?P<slug>[\w-]+)\.md(?P<anchor>#[^)\s]*)?\)")


@dataclass
class NotebookRun:
    """The failures of a notebook's run, by cell, and the executed notebook the site shows."""

    failures: dict[str, str]
    executed: nbformat.NotebookNode


def load(path: Path) -> nbformat.NotebookNode:
    """Read and validate a notebook; anything malformed is an error naming the file."""
    try:
        notebook = nbformat.read(str(path), as_version=4)
        nbformat.validate(notebook)
    except (OSError, ValueError, nbformat.ValidationError) as exc:
        raise PageError(rel(path), f"not a valid notebook: {str(exc).splitlines()[0]}") from None
    return notebook


def blocks(path: Path, notebook: nbformat.NotebookNode) -> list[Block]:
    """Its code cells as one chain of blocks (each continues the one before, as in a kernel)."""
    cells = [(i, c) for i, c in enumerate(notebook.cells) if c.cell_type == "code"]
    return [
        Block(f"cell-{i}", cell.source + "\n", str(path), 1, continuation=n > 0, limit=BLOCK_TIME_LIMIT, figures=True)
        for n, (i, cell) in enumerate(cells)
    ]


def run_hash(path: Path) -> str:
    runner = [(ROOT / "pipeline" / name).read_bytes() for name in ("runner.py", "guard.py", "notebooks.py")]
    return hashlib.sha256(path.read_bytes() + b"".join(runner)).hexdigest()[:16]


def run(path: Path) -> NotebookRun:
    """Run the notebook's cells through the runner; return failures and the executed notebook."""
    notebook = load(path)
    outcome = run_page(blocks(path, notebook))
    return NotebookRun(_failures(path, outcome), _executed(notebook, outcome))


def _failures(path: Path, run: PageRun) -> dict[str, str]:
    return {
        key: f"{rel(path)} ({key.replace('-', ' ')}): {o.error}\n{o.traceback}".rstrip()
        for key, o in run.outcomes.items()
        if o.status != "passed"
    }


def _executed(notebook: nbformat.NotebookNode, run: PageRun) -> nbformat.NotebookNode:
    executed = nbformat.from_dict(json.loads(json.dumps(notebook)))
    count = 0
    for i, cell in enumerate(executed.cells):
        if cell.cell_type == "markdown":
            cell.source = _MD_LINK.sub(lambda m: f"](../{m['slug']}/{m['anchor'] or ''})", cell.source)
            continue
        if cell.cell_type != "code":
            continue
        count += 1
        outcome = run.outcomes[f"cell-{i}"]
        cell.execution_count, cell.outputs = count, []
        if outcome.printed:
            cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=outcome.printed))
        for name in sorted(outcome.figures):
            data = {"image/png": outcome.figures[name], "text/plain": f"<figure {name}>"}
            cell.outputs.append(nbformat.v4.new_output("display_data", data=data))
        if outcome.status != "passed":
            cell.outputs.append(nbformat.v4.new_output("stream", name="stderr", text=outcome.error))
    return executed


def executed_copy(path: Path) -> tuple[Path, dict[str, str]]:
    """The executed notebook for the site (run again only when the notebook or the runner changed)."""
    key = run_hash(path)
    target = CACHE / path.name
    stamp = CACHE / f"{path.name}.hash"
    failures_file = CACHE / f"{path.name}.failures.json"
    if stamp.is_file() and stamp.read_text() == key and target.is_file():
        return target, json.loads(failures_file.read_text())
    result = run(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    nbformat.write(result.executed, str(target))
    failures_file.write_text(json.dumps(result.failures))
    stamp.write_text(key)
    return target, result.failures
