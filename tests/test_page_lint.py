"""The page linter on every glossary page, and each of its rules shown firing."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.claims import DOCS
from pipeline.lint import lint
from pipeline.terms import content_pages, glossary_pages

SITE_PAGES = {"index.md", "claims.md", "glossary.md", "contributing.md"}  # not glossary terms


@pytest.mark.parametrize("page", content_pages(), ids=lambda p: p.name)
def test_glossary_page_has_the_template_shape(page: Path) -> None:
    problems = lint(page, glossary_pages())
    assert not problems, "\n".join(problems)


def test_every_page_is_in_the_nav() -> None:
    listed = {p.name for p in content_pages()}
    stray = sorted(p.name for p in DOCS.glob("*.md") if p.name not in listed | SITE_PAGES)
    assert not stray, (
        f"pages under docs/ in no nav section: {stray}; add them under Glossary or Experiments in mkdocs.yml"
    )


def test_display_math_right_after_text_is_reported_with_its_line(tmp_path: Path) -> None:
    """Python-Markdown leaves `$$` glued to a paragraph as raw text: the linter says where, before a browser does."""
    page = tmp_path / "glued.md"
    page.write_text("# Glued\n\nText before\n$$\nx^2\n$$\n\nSeparate:\n\n$$\ny\n$$\n")
    found = [p for p in lint(page, []) if "display math" in p]
    assert found == [
        f"{page}:4: display math '$$' right after a line of text is not rendered as math: "
        "leave a blank line before it (and indent it with the list item's text inside a list)"
    ]


def test_the_rules_fire_on_a_bare_page(tmp_path: Path) -> None:
    page = tmp_path / "bare.md"
    page.write_text(
        "# Bare\n\nShort.\n\n![](figures/x.svg)\n\n## Related terms\n\n- [nowhere](nowhere.md)\n\n"
        "## References\n\nNone.\n\nTo write: more.\n\nOne seed text says so.\n\n"
        "```python\nimport matplotlib.pyplot as plt\nplt.savefig('x.svg')\n```\n"
    )
    found = "\n".join(lint(page, []))
    for rule in [
        "bare.md:3: the first paragraph under the title must define the term",
        "missing the section '## Common misconceptions'",
        "no claim",
        "bare.md:5: figure figures/x.svg needs alt text",
        "bare.md:9: related term 'nowhere' links to nowhere.md, which does not exist",
        "'References' lists no source",
        "bare.md:15: unfinished",
        "bare.md:17: internal note on a public page ('seed text')",
        "the block drawing a figure (page line 19) asserts nothing",
    ]:
        assert rule in found, f"rule {rule!r} did not fire:\n{found}"
