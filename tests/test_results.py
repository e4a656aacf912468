"""Verified means all of it held: the judge of a page's run, its messages, and how the site shows it."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.errors import PageError
from pipeline.fences import ROOT
from pipeline.pages import Page
from pipeline.results import run
from pipeline.testing import _is_constant, run_section


def project(folder: Path, page: str, snippet: str = "") -> Page:
    """A page (and its snippet file) in a project folder of its own: docs/p.md, snippets/p.py."""
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "snippets").mkdir(exist_ok=True)
    (folder / "snippets" / "p.py").write_text(textwrap.dedent(snippet).lstrip())
    path = folder / "docs" / "p.md"
    path.write_text(textwrap.dedent(page).lstrip())
    return Page.load(path)


def one_block(claims: str, code: str, output: str | None = None) -> str:
    shown = f"\n```output\n{output}```\n" if output is not None else ""
    return f"# P\n\n{claims}\n```python\n{textwrap.dedent(code).strip()}\n```\n{shown}"


def test_a_claim_is_not_verified_when_its_output_check_fails(tmp_path: Path) -> None:
    """The asserts pass; the printed output does not match the page: the claim fails (it used to verify)."""
    page = project(
        tmp_path, one_block('!!! claim "c"\n    Two is two.\n', "x = 2\nprint(x)\n# claim: c\nassert x == 2", "3\n")
    )
    result = run(page)
    assert result.claims["c"].status == "failing"
    assert "differs from what the block prints" in "".join(result.failures.values())


def test_a_failure_anywhere_in_the_block_leaves_no_claim_of_it_verified(tmp_path: Path) -> None:
    """A claim above the failing line is not verified when its own asserts (in a loop) did not finish."""
    code = """
        values = [1, 2, -3]
        # claim: first
        for v in values:
            assert v > 0
        # claim: second
        assert len(values) == 3
    """
    claims = '!!! claim "first"\n    All positive.\n\n!!! claim "second"\n    Three values.\n'
    result = run(project(tmp_path, one_block(claims, code)))
    assert {c: r.status for c, r in result.claims.items()} == {"first": "failing", "second": "failing"}
    assert "failed at another claim ('first')" in result.claims["second"].message


@pytest.mark.parametrize(
    "code",
    [
        "def check(x):\n    assert x > 0\nx = 1\n# claim: c\ndef never_called():\n    assert x > 0",
        "empty = []\n# claim: c\nfor v in empty:\n    assert v > 0",
    ],
    ids=["function-never-called", "empty-loop"],
)
def test_an_assert_that_never_ran_fails_its_claim_naming_the_line(tmp_path: Path, code: str) -> None:
    page = project(tmp_path, one_block('!!! claim "c"\n    Positive.\n', code))
    result = run(page)
    assert result.claims["c"].status == "failing"
    assert "p.md:" in "".join(result.failures.values()) and "never ran" in result.claims["c"].message


@pytest.mark.parametrize("test", ["True", "1 < 2", "(x, 'always true')"])
def test_an_assert_of_constants_cannot_bind_a_claim(tmp_path: Path, test: str) -> None:
    with pytest.raises(PageError, match="tests no value the code computed"):
        _ = project(tmp_path, one_block('!!! claim "c"\n    S.\n', f"x = 1\n# claim: c\nassert {test}")).fences


def test_a_failure_names_page_claim_line_and_values(tmp_path: Path) -> None:
    page = project(
        tmp_path,
        '# P\n\n!!! claim "small-gap"\n    The gap is tiny.\n\n```python\n--8<-- "snippets/p.py:gap"\n```\n',
        """
        # --8<-- [start:gap]
        gap = 0.25
        tolerance = 1e-10
        print(f"gap {gap}")
        # claim: small-gap
        assert gap < tolerance
        # --8<-- [end:gap]
        """,
    )
    message = run(page).failures["6"]
    for expected in ["docs/p.md:6: code block failed", "claim 'small-gap'", "snippets/p.py:6", "gap = 0.25"]:
        assert expected in message, message
    assert "tolerance = 1e-10" in message and "gap 0.25" in message  # values, and what the block printed


def test_a_definition_that_differs_from_the_code_fails_the_claim(tmp_path: Path) -> None:
    """The page says beta = 0.9; the code ran with 0.5 and prints a typed label: the claim fails."""
    code = "beta = 0.5\nprint('momentum 0.9')\n# claim: c\nassert beta < 1"
    page = project(
        tmp_path, one_block('!!! claim "c"\n    With $\\beta = {{ beta = 0.9 }}$ it works.\n', code, "momentum 0.9\n")
    )
    result = run(page)
    assert result.claims["c"].status == "failing"
    assert "states beta = 0.9, but the code has 0.5" in result.failures["6"]


def test_values_in_the_text_come_from_the_run(tmp_path: Path) -> None:
    code = "x = 2 / 3\n# claim: c\nassert x < 1"
    page = project(tmp_path, one_block('!!! claim "c"\n    It is {{ x:.3f }}.\n', code))
    result = run(page)
    assert result.claims["c"].status == "verified"
    from pipeline.results import page_values

    assert page_values(page, result) == {(4, "{{ x:.3f }}"): "0.667"}


def test_a_continuation_claim_is_stale_when_the_block_it_continues_changes(tmp_path: Path) -> None:
    text = '# P\n\n!!! claim "c"\n    S.\n\n```python\nx = 1\n```\n\n'
    text += "```{.python continuation}\n# claim: c\nassert x == 1\n```\n"
    page = project(tmp_path, text)
    changed = project(tmp_path, text.replace("x = 1\n```", "x = 1.0\n```"))
    assert page.claim_hash("c") != changed.claim_hash("c")
    assert run(page).claims["c"].status == "verified"


def test_statement_changes_make_the_result_stale(tmp_path: Path) -> None:
    text = one_block('!!! claim "c"\n    Small.\n', "x = 1\n# claim: c\nassert x < 2")
    assert project(tmp_path, text).claim_hash("c") != project(tmp_path, text.replace("Small", "Tiny")).claim_hash("c")


def test_measures_and_devices_are_recorded(tmp_path: Path) -> None:
    code = "starts = list(range(7))\ndevices = ['cpu']\n# claim: c [starts=len(starts) devices=devices]\nassert starts"
    claim = run(project(tmp_path, one_block('!!! claim "c"\n    S.\n', code))).claims["c"]
    assert (claim.status, claim.measures, claim.devices) == ("verified", {"starts": 7}, ["cpu"])


def test_helpers_of_a_section_load_without_rerunning_its_claims() -> None:
    """tests/ use a page's functions; the section's computations and claim asserts run only in the page run."""
    namespace = run_section("local_minimum", "gd")
    assert callable(namespace["gradient_descent"]) and "x" not in namespace


def test_run_section_loads_settings_but_not_assignments_into_state() -> None:
    """`LO, HI = -5.12, 5.12` is a setting tests reuse; `grads[0] = 1.0` needs the section's state, so it stays out."""
    loaded = [_is_constant(ast.parse(line).body[0]) for line in ("LO, HI = -5.12, 5.12", "grads[0] = 1.0", "a.b = 2")]
    assert loaded == [True, False, False]


def test_pytest_names_page_claim_line_and_values_in_the_first_lines(tmp_path: Path) -> None:
    project(tmp_path, one_block('!!! claim "c"\n    Small.\n', "gap = 0.25\n# claim: c\nassert gap < 0.1"))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "docs/p.md", "-q", "-p", "pipeline.pytest_plugin", "-p", "no:randomly"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PIPELINE_CACHE": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)},
    )
    head = "\n".join(done.stdout.splitlines()[:15])
    assert done.returncode == 1
    for expected in ["p.md:6: code block failed", "claim 'c' (", "p.md:9", "gap = 0.25"]:
        assert expected in head, done.stdout


def test_the_build_shows_a_failing_claim_instead_of_stopping(tmp_path: Path) -> None:
    page = project(
        tmp_path, one_block('!!! claim "c"\n    Two is three, at {{ x:.1f }}.\n', "x = 2.0\n# claim: c\nassert x == 3")
    )
    (tmp_path / "mkdocs.yml").write_text(
        textwrap.dedent(f"""
            site_name: T
            nav:
              - Glossary:
                  - P: p.md
            hooks:
              - {ROOT / "pipeline" / "mkdocs_hooks.py"}
            markdown_extensions:
              - admonition
              - attr_list
              - md_in_html
              - pymdownx.arithmatex: {{generic: true}}
              - pymdownx.highlight: {{pygments_lang_class: true}}
              - pymdownx.superfences
        """)
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PIPELINE_CACHE": str(tmp_path / "cache"), "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "site" / "p" / "index.html").read_text()
    assert "✗ failing" in html and "claim: c" in html and "(not computed)" in html
    assert page.rel  # the page was read from its own project


def test_a_marker_value_that_is_not_a_number_fails_the_claim_with_where(tmp_path: Path) -> None:
    """An array (or an expression that raises) as a marker's value is bad input: the claim fails, and the
    message names the claim, the key, what was wrong and the block's file and line; the run goes on."""
    code = "import numpy as np\nstarts = np.arange(3)\n# claim: c [starts=starts]\nassert starts.size\n"
    code += "# claim: d [n=missing_name]\nassert starts.size"
    page = project(tmp_path, one_block('!!! claim "c"\n    S.\n\n!!! claim "d"\n    T.\n', code))
    result = run(page)
    assert result.claims["c"].status == "failing" and result.claims["d"].status == "failing"
    message = next(iter(result.failures.values()))
    assert "claim 'c' marker [starts=starts]: TypeError: a marker's value must be a number or a list" in message
    assert "ndarray of shape (3,)" in message and "claim 'd' marker [n=missing_name]: NameError" in message
    assert "docs/p.md:" in message
