"""Helpers for tests/: run one section of a snippet file and use what it defines."""

from __future__ import annotations

from pipeline.fences import ROOT, Fence, read_section
from pipeline.pytest_plugin import execute, sandbox


def run_section(snippet: str, section: str) -> dict:
    """Execute ``snippets/<snippet>.py:<section>`` as a page block would; return its namespace.

    The code runs under the snippet's own file name and line numbers, so coverage and
    tracebacks point at the snippet.
    """
    target = f"snippets/{snippet}.py:{section}"
    code, origin, line = read_section(target, where=f"run_section({target!r})")
    fence = Fence(ROOT / "tests", 0, "python", frozenset(), {}, code, origin, line)
    namespace: dict = {"__name__": f"section_{section}"}
    with sandbox():
        execute(fence, namespace)
    return namespace
