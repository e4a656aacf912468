"""Run every Python block of docs/ under pytest-markdown-docs, and record each claim's result.

pytest-markdown-docs alone misses blocks inside tabs and admonitions and runs
``--8<--`` include lines as Python. So pages are collected here with the shared
scanner (pipeline.fences) into the plugin's own test items, and a runner executes
each block under the included file's name and line numbers: the traceback and the
coverage point at ``snippets/*.py``, the message at the page and the claim.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import socket
import sys
import tempfile
import traceback
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import _Runner, register_runner
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

from pipeline.claims import DOCS, Result, check_bindings, code_hash, page_claims, site_claims, write_result
from pipeline.errors import PageError
from pipeline.fences import ROOT, ClaimMarker, Fence, python_fences, rel
from pipeline.figures import SANDBOX_ENV

BLOCK_FIGURES = ROOT / ".cache" / "block-figures"  # what page blocks drew, compared with the scripts' figures
BLOCK_TIME_LIMIT = 60.0  # seconds; a block may set its own with {.python timeout="120"}
_FENCES: dict[tuple[str, int], tuple[Fence, list[Fence]]] = {}


os.environ.update(SANDBOX_ENV)  # set before any block imports numpy, torch or matplotlib


class BlockFailed(AssertionError):
    """A page's code block failed; the message names the page, the claim and the code line."""


def pytest_configure(config: pytest.Config) -> None:
    """Start each run with no figures from earlier blocks (the controller only, before any worker)."""
    if not hasattr(config, "workerinput") and not config.option.markexpr == "site":
        shutil.rmtree(BLOCK_FIGURES, ignore_errors=True)


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    path = Path(file_path).resolve()
    if path.suffix == ".md" and DOCS in path.parents:
        return PageFile.from_parent(parent, path=path)
    return None


class PageFile(pytest.File):
    """A docs page: one item checking its claims' bindings, one item per Python block."""

    def collect(self):
        try:
            fences = python_fences(self.path)
        except PageError as exc:
            raise self.CollectError(str(exc)) from None
        yield ClaimsBoundItem.from_parent(self, name="claims-bound", fences=fences)
        for fence in fences:
            _FENCES[(str(self.path), fence.line)] = (fence, fences)
            definition = FenceTestDefinition(
                source=fence.code,
                fixture_names=(),
                start_line=fence.line,
                source_path=self.path,
                runner_name=PageRunner.__name__,
            )
            yield MarkdownInlinePythonItem.from_parent(
                self, name=f"block-line-{fence.line}", test_definition=definition
            )


class ClaimsBoundItem(pytest.Item):
    """Every claim on the page is bound to asserts, every bound id exists, ids are unique."""

    def __init__(self, *, fences: list[Fence], **kwargs) -> None:
        super().__init__(**kwargs)
        self.fences = fences

    def runtest(self) -> None:
        errors = check_bindings(self.path, self.fences)
        try:
            site_claims()
        except PageError as exc:
            errors.append(exc)
        if errors:
            raise PageError(rel(self.path), "\n" + "\n".join(str(e) for e in errors))

    def repr_failure(self, excinfo, style=None) -> str:
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, "claims-bound"


class BlockTimeout(Exception):
    """A block ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float, where: str):
    """Interrupt the block with BlockTimeout after `seconds` (wall clock)."""

    def expire(signum, frame):
        raise BlockTimeout(f"{where}: the block ran longer than its {seconds:g} s limit")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_of(fence: Fence) -> float:
    """The block's time limit: its `timeout` option, or the default."""
    value = fence.attrs.get("timeout", BLOCK_TIME_LIMIT)
    try:
        return float(value)
    except ValueError:
        raise PageError(fence.where, f'timeout="{value}" is not a number of seconds') from None


@contextlib.contextmanager
def sandbox():
    """Run in a scratch folder (figures land there) with network connections refused."""
    here = os.getcwd()

    def refuse(*args, **kwargs):
        raise PermissionError("code blocks may not open network connections; use local data")

    with tempfile.TemporaryDirectory(prefix="block-") as scratch:
        os.chdir(scratch)
        saved = socket.socket.connect, socket.create_connection
        socket.socket.connect, socket.create_connection = refuse, refuse
        try:
            yield
            _keep_figures(Path(scratch))
        finally:
            socket.socket.connect, socket.create_connection = saved
            os.chdir(here)
            if "matplotlib.pyplot" in sys.modules:
                plt = sys.modules["matplotlib.pyplot"]
                plt.close("all")
                sys.modules["matplotlib"].rc_file_defaults()


def _keep_figures(folder: Path) -> None:
    """Keep the figures a block saved, to check they match the ones its snippet draws as a script."""
    for figure in [*folder.glob("*.svg"), *folder.glob("*.png")]:
        BLOCK_FIGURES.mkdir(parents=True, exist_ok=True)
        figure.replace(BLOCK_FIGURES / figure.name)


def execute(fence: Fence, namespace: dict) -> str:
    """Run a block's code under its origin file's name and line numbers; return what it printed."""
    code = compile("\n" * (fence.origin_line - 1) + fence.code, str(fence.origin), "exec")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(code, namespace)
    return printed.getvalue()


def failing_line(fence: Fence, exc: BaseException) -> int | None:
    """The top-level line of the block that raised, in the origin file's numbering."""
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == str(fence.origin) and frame.f_code.co_name == "<module>":
            line = lineno
    return line


def measure(marker: ClaimMarker, namespace: dict, where: str) -> tuple[dict[str, object], list[str] | None]:
    """Evaluate a marker's measures (e.g. starts=len(x0)) in the block's namespace."""
    measures, devices = {}, None
    for key, expr in marker.covers:
        try:
            value = eval(expr, namespace)  # noqa: S307 - the expression is the page's own code
        except Exception as exc:
            raise PageError(where, f"claim '{marker.claim_id}': cannot evaluate {key}={expr}: {exc!r}") from exc
        if key == "devices":
            devices = [str(d) for d in value]
        else:
            measures[key] = int(value) if not isinstance(value, int) else value
    return measures, devices


def record(fence: Fence, statuses: dict[str, tuple[str, str]], namespace: dict) -> None:
    for marker in fence.claims:
        status, message = statuses[marker.claim_id]
        where = f"{rel(fence.origin)}:{marker.line}"
        measures, devices = measure(marker, namespace, where) if status == "verified" else ({}, None)
        write_result(
            Result(
                marker.claim_id,
                status,
                rel(fence.page),
                fence.line,
                where,
                code_hash(fence),
                measures,
                devices,
                message,
            )
        )


def owner_of(fence: Fence, line: int | None) -> ClaimMarker | None:
    """The claim a failing line belongs to: the nearest claim marker above it in the block."""
    above = [m for m in fence.claims if line is not None and m.line <= line]
    return max(above, key=lambda m: m.line, default=None)


def statuses_after_failure(fence: Fence, line: int | None, error: str) -> dict[str, tuple[str, str]]:
    """Claims above the failing line passed, the one it belongs to failed, the rest did not run."""
    owner = owner_of(fence, line)
    statuses = {}
    for marker in fence.claims:
        if marker is owner:
            statuses[marker.claim_id] = ("failing", error)
        elif line is not None and marker.line < line:
            statuses[marker.claim_id] = ("verified", "")
        else:
            statuses[marker.claim_id] = ("not run", "an earlier line of its block failed")
    return statuses


def describe_failure(fence: Fence, line: int | None, exc: BaseException) -> str:
    claims = {c.claim_id: c for c in page_claims(fence.page)}
    owner = owner_of(fence, line)
    lines = [f"{fence.where}: code block failed"]
    if owner is not None and owner.claim_id in claims:
        claim = claims[owner.claim_id]
        lines.append(f"  claim '{claim.claim_id}' ({claim.where}) is false: {' '.join(claim.text.split())}")
    if line is not None:
        lines.append(f"  at {rel(fence.origin)}:{line}")
    lines.append(f"  {type(exc).__name__}: {exc}")
    return "\n".join(lines)


def check_output(fence: Fence, printed: str) -> None:
    shown = fence.output
    if shown is None and printed.strip():
        raise BlockFailed(
            f"{fence.where}: the block prints but the page shows no ```output fence under it; add one with:\n{printed}"
        )
    if shown is not None and [s.rstrip() for s in shown.strip().splitlines()] != [
        s.rstrip() for s in printed.strip().splitlines()
    ]:
        raise BlockFailed(
            f"{fence.where}: the output shown on the page differs from what the block prints\n"
            f"--- shown on the page\n{shown.rstrip()}\n--- printed\n{printed.rstrip()}"
        )


def run_block(fence: Fence, namespace: dict, earlier: list[Fence] = ()) -> str:
    """Run a block (after the blocks it continues), record its claims, return what it printed.

    A failure is raised as BlockFailed naming the page, the claim and the code line.
    """
    with sandbox(), time_limit(limit_of(fence), fence.where):
        for previous in earlier:
            execute(previous, namespace)
        try:
            printed = execute(fence, namespace)
        except Exception as exc:
            line = failing_line(fence, exc)
            record(fence, statuses_after_failure(fence, line, f"{type(exc).__name__}: {exc}"), namespace)
            raise BlockFailed(describe_failure(fence, line, exc)) from exc
        record(fence, {m.claim_id: ("verified", "") for m in fence.claims}, namespace)
    return printed


@register_runner()
class PageRunner(_Runner):
    """Executes a page block as the reader sees it and records the claims bound in it."""

    def runtest(self, test: FenceTestDefinition, args: dict, **_: object) -> None:
        fence, page_fences = _FENCES[(str(test.source_path), test.start_line)]
        if fence.opted_out:
            pytest.skip(f"{fence.where}: opted out on the page: {fence.attrs.get('reason', '(no reason given)')}")
        printed = run_block(fence, args, continued_blocks(fence, page_fences))
        check_output(fence, printed)

    def repr_failure(self, test: FenceTestDefinition, excinfo, style=None) -> str:
        exc = excinfo.value
        cause = exc.__cause__ if isinstance(exc, BlockFailed) and exc.__cause__ else None
        if cause is None:
            return str(exc)
        frames = [
            f'  File "{rel(Path(f.filename))}", line {f.lineno}, in {f.name}\n    {(f.line or "").strip()}'
            for f in traceback.extract_tb(cause.__traceback__)
            if "pipeline" not in Path(f.filename).parts
        ]
        return (
            f"{exc}\n\nTraceback (most recent call last):\n" + "\n".join(frames) + f"\n{type(cause).__name__}: {cause}"
        )


def continued_blocks(fence: Fence, page_fences: list[Fence]) -> list[Fence]:
    """Blocks a ``continuation`` block builds on: the chain of blocks above it, oldest first."""
    chain: list[Fence] = []
    index = page_fences.index(fence)
    while page_fences[index].continuation and index > 0:
        index -= 1
        chain.insert(0, page_fences[index])
    return chain
