"""Helpers for tests/: run one section of a snippet file and use what it defines."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from pipeline import claims
from pipeline.fences import ROOT, Fence, python_fences, read_section, rel
from pipeline.pytest_plugin import BlockFailed, continued_blocks, execute, run_block, sandbox


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


def break_claim(page: Path, claim_id: str, old: str, new: str) -> str:
    """Run the block bound to `claim_id` with `old` replaced by `new`: it must fail, naming the page,
    the claim and the snippet line. Returns the failure message.

    The broken run's claim results go to a scratch folder, so the site's results are untouched.
    """
    fences = python_fences(page)
    fence = next(f for f in fences if any(m.claim_id == claim_id for m in f.claims))
    broken = dataclasses.replace(fence, code=fence.code.replace(old, new))
    assert broken.code != fence.code, f"the edit for claim {claim_id} no longer matches {rel(fence.origin)}"
    saved = claims.RESULTS
    with tempfile.TemporaryDirectory() as scratch:
        claims.RESULTS = Path(scratch)
        try:
            run_block(broken, {}, continued_blocks(fence, fences))
        except BlockFailed as failure:
            message = str(failure)
        else:
            raise AssertionError(f"claim {claim_id} still passes after replacing {old!r} with {new!r}")
        finally:
            claims.RESULTS = saved
    for expected in (f"{rel(page)}:", f"claim '{claim_id}'", f"{rel(fence.origin)}:"):
        assert expected in message, f"the failure of claim {claim_id} does not name {expected!r}:\n{message}"
    return message
