"""The page can't be made to say something false unnoticed: for every glossary page, change a number in
a claim statement, a number in running text, a claim's parameter in the code, and re-paste the output;
each is caught (by the linter, or by the claim failing with page and claim named).

For the edits that need a run, the claim whose block ran fastest in the last recorded run is used
(any claim would do; this keeps the suite fast). Only that block and the blocks it continues run.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from pipeline import glue, results, runner
from pipeline.fences import Fence
from pipeline.pages import Page
from pipeline.terms import content_pages
from pipeline.testing import break_claim

PAGES = [p.resolve() for p in content_pages()]
IDS = [p.stem for p in PAGES]


def definitions(page: Page) -> list[glue.Placeholder]:
    """Definitions (``{{ name = value }}``) in claim statements whose name is a plain variable."""
    return [p for p in page.placeholders if p.claim_id and p.literal is not None and p.expr.isidentifier()]


def cheapest(page: Page, holders: list[glue.Placeholder]) -> glue.Placeholder:
    """The placeholder whose claim's block ran fastest last time (the first one if nothing is recorded)."""
    recorded = results.read().get(page.rel)
    seconds = recorded.seconds if recorded else {}

    def cost(holder: glue.Placeholder) -> float:
        return sum(seconds.get(str(f.line), 0.0) for f in page.chain(page.fence_of(holder.claim_id)))

    return min(holders, key=cost)


def other_number(literal: str) -> str:
    """A different number of the same kind (an int stays an int: a count must still be a count)."""
    text = literal.replace(",", "")
    if text.lstrip("-+").isdigit():
        value = int(text)
        return str(value * 2 + 1 if value != -1 else 2)  # -1 * 2 + 1 would be -1 again
    value = float(text)
    return repr(value * 2 + 1 if value != -1 else 2.0) if value else "1.5"


def set_in_code(code: str, name: str, new: str) -> str:
    """The code with the number assigned to `name` (alone or in a tuple assignment) replaced by `new`."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            for lhs, rhs in pairs:
                if isinstance(lhs, ast.Name) and lhs.id == name:
                    return _replace_segment(code, rhs, new)
    raise AssertionError(f"no assignment of {name} in the block: a definition's name must be set in its code")


def _replace_segment(code: str, node: ast.expr, new: str) -> str:
    lines = code.splitlines(keepends=True)
    line = lines[node.lineno - 1]
    lines[node.lineno - 1] = line[: node.col_offset] + new + line[node.end_col_offset :]
    return "".join(lines)


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_a_number_typed_into_a_claim_statement_is_rejected(path: Path) -> None:
    page = Page.load(path)
    claim = next(iter(page.claims.values()))
    holder = next((p for p in page.placeholders if p.claim_id == claim.claim_id), None)
    old = holder.text if holder else claim.text.splitlines()[0]
    new = "4.2" if holder else old + " 4.2"
    mutated = Page.load(path, page.text.replace(old, new, 1))
    assert any(f"claim '{claim.claim_id}' types" in p and "4.2" in p for p in mutated.typed_numbers())


@pytest.mark.parametrize("path", PAGES, ids=IDS)
def test_a_number_typed_into_running_text_is_rejected(path: Path) -> None:
    page = Page.load(path)
    holder = next((p for p in page.placeholders if p.claim_id is None), None)
    if holder is not None:
        mutated = page.text.replace(holder.text, "1.891", 1)
    else:  # no computed number in the text yet: type one into the first paragraph
        first = page.lines[2]
        mutated = page.text.replace(first, first + " The ratio is 1.891.", 1)
    assert any("running text types" in p and "1.891" in p for p in Page.load(path, mutated).typed_numbers())


# Pages whose claims state parameters ({{ name = value }}); a page whose claims state none has no
# parameter to change (its numbers are all computed, and the linter rejects a typed one).
STATING = [p for p in PAGES if definitions(Page.load(p))]


@pytest.mark.parametrize("path", STATING, ids=[p.stem for p in STATING])
def test_changing_a_stated_parameter_fails_its_claim(path: Path) -> None:
    page = Page.load(path)
    holder = cheapest(page, definitions(page))
    changed = holder.text.replace(f"= {holder.literal}", f"= {other_number(holder.literal)}")
    message = break_claim(path, holder.claim_id, holder.text, changed, in_page=True)
    assert f"states {holder.expr} = " in message


@pytest.mark.parametrize("path", STATING, ids=[p.stem for p in STATING])
def test_changing_a_parameter_in_the_code_fails_even_with_its_new_output_pasted(path: Path) -> None:
    """Whether the changed code crashes, fails an assert, or runs and prints something else: pasting what it
    printed under it cannot make the claim pass, since the page still states the old parameter."""
    page = Page.load(path)
    holder = cheapest(page, definitions(page))
    fence = page.fence_of(holder.claim_id)
    broken: Fence = dataclasses.replace(fence, code=set_in_code(fence.code, holder.expr, other_number(holder.literal)))
    run = runner.run_page(page.blocks([*page.chain(fence)[:-1], broken]))
    assert results.judge(page, run).claims[holder.claim_id].status == "failing"
    pasted = results.judge(page, run, check_output=False)  # as if what it printed were pasted under it
    assert pasted.claims[holder.claim_id].status == "failing", "re-pasting the output made a false claim pass"


def test_a_figure_that_stops_showing_what_its_alt_text_says_fails() -> None:
    """The local-minimum figure's description says momentum crosses the barrier: with beta = 0 it can't."""
    page = Page.load(PAGES[0].parent / "local-minimum.md")
    (fence,) = [f for f in page.fences if f.section == "figure"]
    broken = dataclasses.replace(fence, code=fence.code.replace("0.01, 0.9, 120", "0.01, 0.0, 120"))
    assert broken.code != fence.code
    failure = results.run(page, [broken]).failures[str(fence.line)]
    assert "docs/local-minimum.md" in failure and "snippets/local_minimum.py" in failure
