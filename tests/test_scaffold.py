"""A new term from the scaffold fails the tests until it is written, then passes, with no other file edited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import results
from pipeline.claims import check_bindings
from pipeline.fences import ROOT
from pipeline.lint import lint
from pipeline.pages import Page
from pipeline.scaffold import main, names, scaffold
from pipeline.terms import glossary_pages


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the site's pages and config to scaffold into."""
    shutil.copytree(ROOT / "docs", tmp_path / "docs", ignore=shutil.ignore_patterns("*.ipynb"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "snippets").mkdir()
    (tmp_path / "tests").mkdir()
    return tmp_path


def run_page(page: Path) -> results.PageResult:
    return results.run(Page.load(page))


def test_new_term_fails_until_written_then_passes(project: Path) -> None:
    page, snippet, test = scaffold("Zz example term", root=project)
    assert (page.name, snippet.name, test.name) == (
        "zz-example-term.md",
        "zz_example_term.py",
        "test_zz_example_term.py",
    )
    nav = (project / "mkdocs.yml").read_text()
    assert '- "Zz example term": zz-example-term.md' in nav
    glossary = glossary_pages(project / "mkdocs.yml")
    titles = [line.split(": ")[0].strip(' -"').lower() for line in nav.splitlines() if line.endswith(".md")]
    glossary_titles = titles[titles.index("zz example term") - len(glossary) + 1 : titles.index("zz example term") + 1]
    assert glossary_titles == sorted(glossary_titles), glossary_titles  # "learning rate" before "... schedule"

    unfinished = run_page(page)
    assert unfinished.claims["zz-example-term-first-claim"].status == "failing"
    assert all("to write" in message for message in unfinished.failures.values()) and len(unfinished.failures) == 2
    assert any("unfinished" in p for p in lint(page, glossary))
    namespace: dict = {}
    exec(compile(test.read_text(), str(test), "exec"), namespace)
    with pytest.raises(pytest.fail.Exception, match="to write"):
        namespace["test_zz_example_term_helpers"]()

    # The author fills in the three files it created, and nothing else.
    snippet.write_text(
        snippet.read_text()
        .replace(
            'assert x.size == 0, "to write: replace this with the computation and asserts of the claim"',
            "assert np.all(x**2 >= 0)",
        )
        .replace("# to write: the figure of this term", "# the parabola")
        .replace(
            'assert x.size == 0, "to write: assert what the figure\'s alt text says it shows"', "assert x.min() < 0"
        )
    )
    page.write_text(
        "# Zz example term\n\nAn example term is a made-up word that this test writes a page for, to show how far "
        "a scaffolded page can be filled in.\n\n"
        '## In code\n\n!!! claim "zz-example-term-first-claim"\n    Squares are never negative.\n\n'
        '```python\n--8<-- "snippets/zz_example_term.py:first-claim"\n```\n\n'
        "![A parabola drawn from minus two to two](figures/zz-example-term-figure.svg)\n\n"
        '```python\n--8<-- "snippets/zz_example_term.py:figure"\n```\n\n'
        "## Common misconceptions\n\nNone yet.\n\n## Related terms\n\n- [local minimum](local-minimum.md)\n\n"
        "## References\n\n- A textbook.\n"
    )
    test.write_text("def test_zz_example_term_helpers() -> None:\n    assert 2**2 == 4\n")

    finished = run_page(page)
    assert finished.failures == {} and finished.claims["zz-example-term-first-claim"].status == "verified"
    assert check_bindings(page) == []
    assert lint(page, glossary) == []


def test_scaffold_refuses_bad_names_and_existing_terms(project: Path, capsys) -> None:
    with pytest.raises(ValueError, match="must start with a letter"):
        names("  42 ")
    scaffold("Momentum term", root=project)
    with pytest.raises(FileExistsError, match="already has docs/momentum-term.md|already has .*momentum-term.md"):
        scaffold("Momentum term", root=project)
    assert main([]) == 2
    assert "usage" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["Adam: adaptive moments", "Weight decay #2", "Bad `touch x`", "<script>x</script>"])
def test_a_name_that_is_not_plain_words_is_refused_and_nothing_is_edited(project: Path, name: str) -> None:
    before = {p: p.read_bytes() for p in [project / "mkdocs.yml", *sorted((project / "docs").glob("*.md"))]}
    with pytest.raises(ValueError, match="may hold only letters|must start with a letter"):
        scaffold(name, root=project)
    after = {p: p.read_bytes() for p in [project / "mkdocs.yml", *sorted((project / "docs").glob("*.md"))]}
    assert after == before and list((project / "snippets").iterdir()) == []


def test_a_nav_edit_that_would_break_the_config_writes_nothing(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - Glossary:\n", "  - Glossary:\n      - [unclosed\n", 1))
    before = config.read_text()
    with pytest.raises(ValueError, match="would break the file"):
        scaffold("Fresh term", root=project)
    assert config.read_text() == before and not (project / "docs" / "fresh-term.md").exists()
