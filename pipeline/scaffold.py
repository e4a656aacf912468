"""Create a new glossary term: its page, snippet file and test file, wired into the nav.

    python -m pipeline.scaffold "Learning rate"      (or: make term NAME="Learning rate")

The new page fails the tests until its author replaces every "to write" part: a visible
placeholder claim fails its assert, and the page linter rejects the placeholder text.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from pipeline.fences import ROOT, rel

TEMPLATES = Path(__file__).resolve().parent / "templates"


def names(title: str) -> dict[str, str]:
    """Title, page slug and Python module name of a term."""
    title = " ".join(title.split())
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if not slug or not slug[0].isalpha():
        raise ValueError(f"term name {title!r} must start with a letter")
    return {"title": title[0].upper() + title[1:], "slug": slug, "module": slug.replace("-", "_")}


def add_to_nav(config: Path, title: str, page: str) -> None:
    """Insert `- Title: page` into the Glossary section of the nav, in alphabetical order."""
    lines = config.read_text().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "- Glossary:"), None)
    if start is None:
        raise ValueError(f"{rel(config)}: no '- Glossary:' section in the nav")
    indent = " " * (len(lines[start]) - len(lines[start].lstrip()) + 4)
    end = start + 1
    while end < len(lines) and lines[end].startswith(indent + "- "):
        end += 1
    entries = lines[start + 1 : end] + [f"{indent}- {title}: {page}"]
    lines[start + 1 : end] = sorted(entries, key=str.lower)
    config.write_text("\n".join(lines) + "\n")


def scaffold(title: str, root: Path = ROOT) -> list[Path]:
    """Write the three files of a new term and add it to the nav; return the files written."""
    n = names(title)
    targets = {
        "term.md.tmpl": root / "docs" / f"{n['slug']}.md",
        "term_snippet.py.tmpl": root / "snippets" / f"{n['module']}.py",
        "term_test.py.tmpl": root / "tests" / f"test_{n['module']}.py",
    }
    existing = [rel(p) for p in targets.values() if p.exists()]
    if existing:
        raise FileExistsError(f"term {n['title']!r} already has {', '.join(existing)}")
    for template, target in targets.items():
        target.write_text((TEMPLATES / template).read_text().format(**n))
    add_to_nav(root / "mkdocs.yml", n["title"], f"{n['slug']}.md")
    return list(targets.values())


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].strip():
        print('usage: python -m pipeline.scaffold "Term name"', file=sys.stderr)
        return 2
    try:
        written = scaffold(argv[0])
    except (ValueError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("Created " + ", ".join(rel(p) for p in written) + "; added to the nav in mkdocs.yml.")
    print("Fill every 'to write' part; `make page PAGE=" + written[0].stem + "` runs its tests.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
