"""The pull-request summary names the claims a change adds, changes and removes."""

from __future__ import annotations

from pathlib import Path

from pipeline.summary import claim_hashes, compare, tree_at


def docs_with(folder: Path, claims: dict[str, str]) -> Path:
    docs = folder / "docs"
    docs.mkdir(parents=True)
    body = "".join(
        f'!!! claim "{cid}"\n    {text}\n\n```python\nx = 1\n# claim: {cid}\nassert x == 1\n```\n\n'
        for cid, text in claims.items()
    )
    (docs / "p.md").write_text("# P\n\n" + body)
    return docs


def test_added_changed_and_removed_claims_are_named(tmp_path: Path) -> None:
    base = claim_hashes(docs_with(tmp_path / "base", {"kept": "Same.", "edited": "Old.", "dropped": "Gone."}))
    head = claim_hashes(docs_with(tmp_path / "head", {"kept": "Same.", "edited": "New.", "new": "Fresh."}))
    assert compare(base, head) == {"added": ["new"], "removed": ["dropped"], "changed": ["edited"]}


def test_the_base_tree_is_read_from_git(tmp_path: Path) -> None:
    docs = tree_at("HEAD", tmp_path)
    assert (docs / "local-minimum.md").is_file() and (tmp_path / "snippets" / "local_minimum.py").is_file()
    assert "two-minima" in claim_hashes(docs)
