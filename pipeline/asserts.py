"""Asserts that report what they saw: each one counts its executions and, when it fails, shows its values.

The page shows ``assert gap < 1e-10``; the runner executes the same line, rewritten so that

- ``__claim_hit__(line)`` runs just before it: a claim is verified only if each of its asserts ran;
- its message, when it fails, names the values of its parts (``gap = 0.002``), as pytest's
  rewritten asserts do, so a failure explains itself without a debugger.

Line numbers are kept, so tracebacks and coverage still point at the snippet file.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from types import CodeType

HIT = "__claim_hit__"
EXPLAIN = "__claim_explain__"
_MAX_REPR = 300


def _parts(test: ast.expr) -> list[ast.expr]:
    """The sub-expressions worth showing when `test` is false: operands of comparisons and and/or/not."""
    if isinstance(test, ast.BoolOp):
        return [part for value in test.values for part in _parts(value)]
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _parts(test.operand)
    if isinstance(test, ast.Compare):
        operands = [test.left, *test.comparators]
        found = [o for o in operands if not isinstance(o, ast.Constant)]
        for operand in operands:  # abs(gap) < tol: also show gap
            if isinstance(operand, ast.Call):
                found += [a for a in operand.args if isinstance(a, ast.Name | ast.Attribute | ast.Subscript)]
        return found
    return [] if isinstance(test, ast.Constant) else [test]


class _Rewriter(ast.NodeTransformer):
    def __init__(self, source: str) -> None:
        self.source = source

    def visit_Assert(self, node: ast.Assert) -> list[ast.stmt]:
        parts = []
        seen: set[str] = set()
        for part in _parts(node.test):
            text = ast.get_source_segment(self.source, part) or ast.unparse(part)
            if text in seen:
                continue
            seen.add(text)
            thunk = ast.Lambda(args=ast.arguments([], [], None, [], [], None, []), body=part)
            parts.append(ast.Tuple([ast.Constant(text), thunk], ast.Load()))
        message = ast.Call(
            ast.Name(EXPLAIN, ast.Load()),
            [ast.Constant(node.lineno), node.msg or ast.Constant(None), ast.List(parts, ast.Load())],
            [],
        )
        hit = ast.Expr(ast.Call(ast.Name(HIT, ast.Load()), [ast.Constant(node.lineno)], []))
        rewritten = ast.Assert(node.test, message)
        for new in (hit, rewritten, *ast.walk(message)):
            ast.copy_location(new, node)
        return [hit, rewritten]


def instrument(code: str, filename: str, first_line: int) -> CodeType:
    """Compile a block's code under `filename` with its lines at `first_line`, every assert rewritten."""
    source = "\n" * (first_line - 1) + code
    tree = _Rewriter(source).visit(ast.parse(source, filename))
    ast.fix_missing_locations(tree)
    return compile(tree, filename, "exec")


def explain(line: int, message: object, parts: list[tuple[str, Callable[[], object]]]) -> str:
    """The message of a failed assert: the author's message, then each part's value."""
    lines = [str(message)] if message is not None else []
    for text, thunk in parts:
        try:
            value = repr(thunk())
        except Exception as exc:  # a part may only be defined when an earlier part is true
            value = f"<{type(exc).__name__}: {exc}>"
        if len(value) > _MAX_REPR:
            value = value[:_MAX_REPR] + "..."
        lines.append(f"{text} = {value}")
    return "\n".join(lines)


def runtime(hits: dict[int, int]) -> dict[str, object]:
    """The names the rewritten code calls, counting hits into `hits` (line -> times run)."""

    def hit(line: int) -> None:
        hits[line] = hits.get(line, 0) + 1

    return {HIT: hit, EXPLAIN: explain}
