"""Helpers for tests/: use a page's helper functions, and break a claim on purpose.

``run_section`` gives a test the functions a snippet section defines, without running the section's
own computations and claim asserts again: those run once, in the page's run, and fail there with
one message. ``break_claim`` runs a claim's block with an edit through the real runner and checks
the claim fails, naming the page, the claim and the code line, and fails by more than its printed
output: with the new output pasted under the block, the claim must still fail.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from pipeline import results, runner
from pipeline.fences import read_section, rel
from pipeline.pages import Page

_DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)


def _is_inert(expr: ast.expr) -> bool:
    """Literals, lambdas and containers of them: evaluating one runs no code and reads no name."""
    if isinstance(expr, ast.Lambda):
        return not (expr.args.defaults or expr.args.kw_defaults)
    if isinstance(expr, ast.Dict):
        return all(k is not None and _is_inert(k) for k in expr.keys) and all(map(_is_inert, expr.values))
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        return all(map(_is_inert, expr.elts))
    try:
        ast.literal_eval(expr)
    except ValueError:
        return False
    return True


def _is_constant(node: ast.stmt) -> bool:
    """A module-level assignment of a literal or lambdas (``LO, HI = -5.12, 5.12``, a table of test
    functions): safe to load, so tests reuse the snippet's own tables instead of copying them."""
    return isinstance(node, ast.Assign) and all(map(_is_name, node.targets)) and _is_inert(node.value)


def _is_name(target: ast.expr) -> bool:
    """A plain name or a tuple of them: ``grads[0] = 1.0`` or ``obj.x = 1`` needs state and is not loaded."""
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(map(_is_name, target.elts))
    return isinstance(target, ast.Name)


def run_section(snippet: str, section: str) -> dict:
    """The imports, functions, classes and literal settings of ``snippets/<snippet>.py:<section>``, under the
    snippet's own file name and line numbers (tracebacks and coverage point at the snippet)."""
    target = f"snippets/{snippet}.py:{section}"
    code, origin, line = read_section(target, where=f"run_section({target!r})")
    tree = ast.parse("\n" * (line - 1) + code, str(origin))
    tree.body = [node for node in tree.body if isinstance(node, _DEFINITIONS) or _is_constant(node)]
    namespace: dict = {"__name__": f"section_{section}"}
    exec(compile(tree, str(origin), "exec"), namespace)
    return namespace


def break_claim(page_path: Path, claim_id: str, old: str, new: str, in_page: bool = False) -> str:
    """Run the block bound to `claim_id` with `old` replaced by `new` in its code (or, with `in_page`, in
    the page's Markdown): the claim must fail, also with the new output pasted (an assert or a stated value
    catches the edit, not only the output fence), and the message name the page, the claim and the code line.

    Only that block and the blocks it continues run; nothing is recorded.
    """
    page = Page.load(page_path)
    if in_page:
        broken_text = page.text.replace(old, new)
        assert broken_text != page.text, f"the edit for claim {claim_id} no longer matches {page.rel}"
        page = Page.load(page_path, broken_text)
    fence = page.fence_of(claim_id)
    assert fence is not None, f"claim {claim_id} is bound to no block of {page.rel}"
    chain = page.chain(fence)
    if not in_page:
        broken = dataclasses.replace(fence, code=fence.code.replace(old, new))
        assert broken.code != fence.code, f"the edit for claim {claim_id} no longer matches {rel(fence.origin)}"
        chain = [*chain[:-1], broken]
    run = runner.run_page(page.blocks(chain))
    outcome = results.judge(page, run)
    claim = outcome.claims[claim_id]
    assert claim.status == "failing", f"claim {claim_id} still passes after replacing {old!r} with {new!r}"
    pasted = results.judge(page, run, check_output=False).claims[claim_id]
    assert pasted.status == "failing", (
        f"claim {claim_id}: after replacing {old!r} with {new!r} its asserts still pass; only what the block "
        "prints changed, so pasting the new output would make the broken claim pass"
    )
    message = outcome.failures.get(str(fence.line), "")
    for expected in (f"{page.rel}:", f"claim '{claim_id}'", f"{rel(fence.origin)}:"):
        assert expected in message, f"the failure of claim {claim_id} does not name {expected!r}:\n{message}"
    return message
