"""Content never reaches the site as raw HTML: claims, titles and definitions are Markdown, escaped where shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.claims import page_claims
from pipeline.errors import PageError
from pipeline.terms import Term, index, link_terms, unsafe_terms


@pytest.mark.parametrize(
    "statement",
    ["Adam <script>alert(1)</script> wins.", 'See <img src=x onerror="alert(1)">.', "[x](javascript:alert(1))"],
)
def test_raw_html_or_script_in_a_claim_is_an_error(tmp_path: Path, statement: str) -> None:
    page = tmp_path / "p.md"
    page.write_text(f'# P\n\n!!! claim "c"\n    {statement}\n')
    with pytest.raises(PageError, match=r"p\.md:3: claim 'c' holds raw HTML or script"):
        page_claims(page)


@pytest.mark.parametrize("header", ['!!! Claim "c"', '!!!claim "c"', '??? CLAIMS "c"'])
def test_anything_that_looks_like_a_claim_is_a_claim_or_an_error(tmp_path: Path, header: str) -> None:
    page = tmp_path / "p.md"
    page.write_text(f"# P\n\n{header}\n    Statement.\n")
    with pytest.raises(PageError, match=r"p\.md:3: .* looks like a claim but is not one"):
        page_claims(page)


def test_unsafe_titles_and_definitions_are_reported_with_their_page(tmp_path: Path) -> None:
    terms = [
        Term("Adam <b>", tmp_path / "adam.md", "Fine."),
        Term("RMSprop", tmp_path / "rms.md", "<script>x</script>"),
    ]
    problems = unsafe_terms(terms)
    assert len(problems) == 2 and "adam.md:1: the title" in problems[0] and "rms.md:3: the definition" in problems[1]


def test_the_longest_term_is_linked_where_terms_nest(tmp_path: Path) -> None:
    """'Nesterov momentum' links to its page, not 'momentum' inside it; on its own page neither is split."""
    momentum = Term("Momentum", tmp_path / "momentum.md", "Velocity.")
    nesterov = Term("Nesterov momentum", tmp_path / "nesterov-momentum.md", "Look-ahead.")
    text = "Use Nesterov momentum.\nPlain momentum too.\n"
    linked = link_terms(text, tmp_path / "other.md", [momentum, nesterov])
    assert linked.splitlines() == [
        'Use [Nesterov momentum](nesterov-momentum.md "Look-ahead.").',
        'Plain [momentum](momentum.md "Velocity.") too.',
    ]
    own = link_terms(text, nesterov.page, [momentum, nesterov])
    assert own.splitlines() == ["Use Nesterov momentum.", 'Plain [momentum](momentum.md "Velocity.") too.']
    assert link_terms(text, momentum.page, [momentum]) == text


def test_no_term_is_linked_inside_display_math(tmp_path: Path) -> None:
    """A term in a display-math block (\\text{Adam:}) stays TeX; the first mention after the block is linked."""
    adam = Term("Adam", tmp_path / "adam.md", "An optimizer.")
    text = "$$\n\\text{Adam:}\\quad x\n$$\n$$ \\text{Adam} $$\nWith Adam.\n"
    linked = link_terms(text, tmp_path / "other.md", [adam]).splitlines()
    assert linked[:4] == text.splitlines()[:4] and linked[4] == 'With [Adam](adam.md "An optimizer.").'


def test_tooltips_and_the_index_escape_their_text(tmp_path: Path) -> None:
    term = Term("Learning rate", tmp_path / "learning-rate.md", "The step size (the 'learning rate') & \"eta\" <x>.")
    page = tmp_path / "other.md"
    linked = link_terms("A learning rate matters.\n", page, [term])
    assert linked.startswith("A [learning rate](learning-rate.md ") and "<x>" not in linked and "'" not in linked
    title = linked.split('"')[1]
    assert "(" not in title and ")" not in title and "&#40;the &#39;learning rate&#39;&#41;" in title
    assert "&lt;x&gt;" in index([term], page) and "&amp;" in index([term], page)
