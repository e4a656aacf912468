"""Numbers a reader reads come from the run: placeholders, definitions, and the linter's number rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import glue
from pipeline.errors import PageError

PAGE = Path("docs/p.md")


@pytest.mark.parametrize(
    ("text", "expr", "literal", "fmt", "section"),
    [
        ("{{ x }}", "x", None, "", None),
        ("{{ x_local:.3f }}", "x_local", None, ".3f", None),
        ("{{ harmed.max():.3f @rates }}", "harmed.max()", None, ".3f", "rates"),
        ("{{ lr = 0.01 }}", "lr", "0.01", "", None),
        ("{{ n = 1,001 @rates }}", "n", "1,001", "", "rates"),
        ("{{ margin * 100:.0f }}", "margin * 100", None, ".0f", None),
    ],
)
def test_placeholders_parse(text: str, expr: str, literal: str | None, fmt: str, section: str | None) -> None:
    holder = glue.parse(text, PAGE, 3)
    assert (holder.expr, holder.literal, holder.fmt, holder.section) == (expr, literal, fmt, section)


def test_a_malformed_placeholder_names_its_line() -> None:
    with pytest.raises(PageError, match=r"docs/p\.md:7: malformed placeholder"):
        glue.parse("{{ a == b }}", PAGE, 7)


def test_values_are_formatted_and_definitions_checked() -> None:
    namespace = {"x": 2 / 3, "lr": 0.01, "tol": 1e-10, "n": 1001}
    assert glue.evaluate(glue.parse("{{ x:.3f }}", PAGE, 1), namespace) == ("0.667", None)
    assert glue.evaluate(glue.parse("{{ lr = 0.01 }}", PAGE, 1), namespace) == ("0.01", None)
    assert glue.evaluate(glue.parse("{{ n = 1,001 }}", PAGE, 1), namespace) == ("1,001", None)
    assert glue.evaluate(glue.parse("{{ tol:.0e!tex }}", PAGE, 1), namespace) == ("10^{-10}", None)
    assert glue.tex_power("-1e+90") == "-10^{90}" and glue.tex_power("2.5e-03") == "2.5 \\times 10^{-3}"
    shown, error = glue.evaluate(glue.parse("{{ lr = 0.02 }}", PAGE, 1), namespace)
    assert shown is None and error == "the page states lr = 0.02, but the code has 0.01"
    shown, error = glue.evaluate(glue.parse("{{ y }}", PAGE, 1), namespace)
    assert shown is None and "cannot evaluate 'y'" in error


def test_fill_writes_values_by_line_and_leaves_code_alone() -> None:
    text = "A {{ x }}.\n\n```python\nprint('{{ x }}')\n```\n"
    assert glue.fill(text, {(1, "{{ x }}"): "2"}) == "A 2.\n\n```python\nprint('{{ x }}')\n```\n"


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("converges to $x \\approx -1.301$ in 438 steps", ["-1.301", "438"]),
        ("by more than 5 percentage points", ["5"]),
        ("to within $10^{-10}$", ["10"]),
        ("$f(x) = x^4$ and $x_0 = {{ x0 = 2 }}$, in float64", []),
        ("see [`two-minima`](#claim-two-minima)", []),
    ],
)
def test_bare_numbers_in_claim_statements_are_found(statement: str, found: list[str]) -> None:
    assert glue.bare_numbers(statement) == found


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("The ratio is 1.891 and 193/69 ≈ 2.8 after 438 steps.", ["1.891", "193", "2.8", "438"]),
        ("Polyak (1964) and Nocedal & Wright, Theorem 2.2; Section 4.3.", []),
        ("Nocedal & Wright, Theorems 2.3 and 2.4.", []),
        ("See section 2.1 of the loss-landscapes 3.0.6 source.", []),
        ("Two minima, 5 starts and a step of {{ lr = 0.01 @gd }}.", []),
    ],
)
def test_computed_looking_numbers_in_running_text_are_found(line: str, found: list[str]) -> None:
    assert glue.computed_looking_numbers(line) == found


def test_the_lint_names_page_line_and_claim(tmp_path: Path) -> None:
    lines = [
        "# P",
        "",
        '!!! claim "c"',
        "    It takes 438 steps.",
        "",
        "Running text: 2.8 here.",
        "",
        "## References",
        "- 1964.5",
    ]
    problems = glue.lint_numbers(tmp_path / "p.md", lines, {4: "c"})
    assert len(problems) == 2
    assert "p.md:4: claim 'c' types 438" in problems[0] and "p.md:6: running text types 2.8" in problems[1]
