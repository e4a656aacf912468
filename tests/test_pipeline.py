"""The pipeline itself: blocks are found everywhere, and every mistake names its file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pipeline.claims import check_bindings, page_claims, site_claims
from pipeline.errors import PageError
from pipeline.fences import python_fences, scan
from pipeline.mkdocs_hooks import _mark_opted_out

SNIPPET = Path(__file__).resolve().parent.parent / "snippets" / "local_minimum.py"


def write(folder: Path, name: str, text: str) -> Path:
    page = folder / name
    page.write_text(textwrap.dedent(text).lstrip("\n"))
    return page


def test_blocks_in_tabs_and_admonitions_are_found(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.md",
        """
        ```python
        a = 1
        ```

        === "numpy"

            ```python
            b = 2
            ```

        !!! note
            ```{.python title="in a note"}
            c = 3
            ```
        """,
    )
    fences = python_fences(page)
    assert [f.code for f in fences] == ["a = 1\n", "b = 2\n", "c = 3\n"]
    assert [f.line for f in fences] == [1, 7, 12]


def test_included_code_keeps_the_snippet_line_numbers(tmp_path: Path) -> None:
    page = write(tmp_path, "p.md", '```python\n--8<-- "snippets/local_minimum.py:gd"\n```\n')
    (fence,) = python_fences(page)
    lines = SNIPPET.read_text().splitlines()
    assert fence.origin == SNIPPET
    assert lines[fence.origin_line - 2].strip() == "# --8<-- [start:gd]"
    assert fence.code.splitlines()[0] == lines[fence.origin_line - 1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('--8<-- "snippets/local_minimum.py:nope"', "needs exactly one '# --8<-- [start:nope]'"),
        ('--8<-- "snippets/missing.py:gd"', "no file 'snippets/missing.py' under"),
        ('x = 1\n--8<-- "snippets/local_minimum.py:gd"', "either one '--8<--' include or inline code"),
        ("# claim oops\nassert True", "malformed claim marker"),
        ("# claim: some-claim\nx = 1", "followed by no assert statement"),
        ("# claim: some-claim [starts = 3]\nassert True", "malformed measure"),
    ],
)
def test_bad_blocks_name_file_and_line(tmp_path: Path, body: str, message: str) -> None:
    page = write(tmp_path, "p.md", f"# Title\n\n```python\n{body}\n```\n")
    with pytest.raises(PageError, match=r"p\.md:[34]: |local_minimum\.py") as error:
        scan(page)
    assert message in str(error.value)


def test_unclosed_fence_names_its_line(tmp_path: Path) -> None:
    page = write(tmp_path, "p.md", "text\n\n```python\nx = 1\n")
    with pytest.raises(PageError, match=r"p\.md:3: code fence ``` is never closed"):
        scan(page)


@pytest.mark.parametrize("header", ["!!! claim gd-stuck", '!!! claim "Bad Id"', '    !!! claim "nested"', "!!! claim"])
def test_malformed_claim_names_its_line(tmp_path: Path, header: str) -> None:
    page = write(tmp_path, "p.md", f"# T\n\n{header}\n    Statement.\n")
    with pytest.raises(PageError, match=r"p\.md:3: malformed claim"):
        page_claims(page)


def test_claim_without_statement_is_an_error(tmp_path: Path) -> None:
    page = write(tmp_path, "p.md", '!!! claim "lonely"\n\nNot indented.\n')
    with pytest.raises(PageError, match=r"p\.md:1: claim 'lonely' has no statement"):
        page_claims(page)


def test_claim_syntax_inside_a_code_fence_is_not_a_claim(tmp_path: Path) -> None:
    page = write(tmp_path, "p.md", '```markdown\n!!! claim "example"\n    Shown, not claimed.\n```\n')
    assert page_claims(page) == []


def test_claim_id_used_twice_names_both_places(tmp_path: Path) -> None:
    write(tmp_path, "a.md", '!!! claim "same"\n    One.\n')
    write(tmp_path, "b.md", '# B\n\n!!! claim "same"\n    Two.\n')
    with pytest.raises(PageError, match=r"b\.md:3: claim id 'same' is already used at .*a\.md:1"):
        site_claims(tmp_path)


def test_unbound_claim_and_unknown_binding_are_reported(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "p.md",
        """
        !!! claim "stated"
            Stated but never tested.

        ```python
        x = 2
        # claim: elsewhere
        assert x == 2
        ```
        """,
    )
    errors = [str(e) for e in check_bindings(page)]
    assert any("p.md:1: claim 'stated' has no bound test" in e for e in errors)
    assert any("p.md:6: code is bound to claim 'elsewhere', which is not written on" in e for e in errors)


def test_output_fence_must_sit_under_a_python_block(tmp_path: Path) -> None:
    page = write(tmp_path, "p.md", "Text.\n\n```output\n42\n```\n")
    with pytest.raises(PageError, match=r"p\.md:3: an 'output' fence must come right under a Python fence"):
        scan(page)


def test_opted_out_block_is_skipped_and_labelled_on_the_page(tmp_path: Path) -> None:
    page = write(tmp_path, "p.md", '```{.python notest reason="needs a cluster"}\nrun_on_cluster()\n```\n')
    (fence,) = python_fences(page)
    assert fence.opted_out and fence.attrs["reason"] == "needs a cluster"
    html = '<p>x</p><div class="language-python highlight"><pre>run_on_cluster()</pre></div>'
    assert '<p class="untested">Not run by the tests: needs a cluster</p>' in _mark_opted_out(html, [fence])


def test_break_claim_rejects_edits_that_miss_or_break_nothing() -> None:
    """The shared break-a-claim helper fails loudly when an edit matches nothing or leaves the claim true."""
    from pipeline.testing import break_claim

    page = Path(__file__).resolve().parent.parent / "docs" / "local-minimum.md"
    with pytest.raises(AssertionError, match="no longer matches"):
        break_claim(page, "momentum-escapes", "beta=0.45", "beta=0.0")
    with pytest.raises(AssertionError, match="still passes"):
        break_claim(page, "momentum-escapes", "0.9, 500", "0.9, 501")


def test_break_claim_rejects_an_edit_only_the_output_fence_catches() -> None:
    """An edit that changes what a block prints but not what its asserts check is no break of the claim:
    pasting the new output under the block would make it pass."""
    from pipeline.testing import break_claim

    page = Path(__file__).resolve().parent.parent / "docs" / "convexity.md"
    with pytest.raises(AssertionError, match="only what the block prints changed"):
        break_claim(page, "convexity-flat-bottom", "no two runs end closer", "no two runs end nearer")


def test_readme_audit_table_is_the_recorded_audit() -> None:
    """The README's page-speed table is rendered from benchmarks/results/audit.json, never typed by hand."""
    import json

    from pipeline import audit

    record = json.loads(audit.RESULT.read_text())
    section = audit.README_TABLE.search(audit.README.read_text())
    assert section, "README.md has no <!-- audit-table --> section"
    assert section.group(0) == section.group(1) + audit.render(record) + section.group(2), (
        "README's audit table differs from benchmarks/results/audit.json: run `python -m pipeline.audit --readme`"
    )


def test_audit_names_each_page_and_target_it_misses() -> None:
    """The gate's messages name the page and the target; a page within every target has none."""
    from pipeline import audit

    fine = {"elements": 100, "first_visit_bytes": 1000, "performance": 99, "accessibility": 100}
    fine |= {"best-practices": 100, "seo": 100, "tbt_ms": 50, "lcp_ms": 1000}
    assert audit.misses("home/", fine) == []
    slow = fine | {"performance": 80, "tbt_ms": 900, "elements": audit.MAX_ELEMENTS + 1, "seo": 92}
    found = audit.misses("loss-surface/", slow)
    assert len(found) == 4 and all(m.startswith("/loss-surface/: ") for m in found), found


def test_code_markup_keeps_text_and_coloured_tokens() -> None:
    """Spans of tokens drawn in the code colour go; the text and every coloured token stay."""
    from pipeline.mkdocs_hooks import lighter_code

    html = '<span class="k">def</span><span class="w"> </span><span class="nf">f</span><span class="p">(</span>'
    html += '<span class="n">x</span><span class="o">=</span><span class="mi">1</span><span class="p">):</span>'
    assert lighter_code(html) == '<span class="k">def</span> <span class="nf">f</span>(x=<span class="mi">1</span>):'
