"""Create a new glossary term: its page, snippet file and test file, wired into the nav.

    python -m pipeline.scaffold "Learning rate"      (or: make term NAME="Learning rate")

The new page fails the tests until its author replaces every "to write" part: a visible
placeholder claim fails its assert, and the page linter rejects the placeholder text.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from pipeline.fences import ROOT, rel
from pipeline.pages import module_name
from pipeline.terms import glossary_pages

TEMPLATES = Path(__file__).resolve().parent / "templates"


_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9' -]{0,59}$")


def names(title: str) -> dict[str, str]:
    """Title, page slug and Python module name of a term; a name that is not plain words is refused."""
    title = " ".join(title.split())
    if not title or not title[0].isalpha():
        raise ValueError(f"term name {title!r} must start with a letter")
    if not _NAME.match(title):
        raise ValueError(
            f"term name {title!r} may hold only letters, digits, spaces, hyphens and apostrophes (at most 60)"
        )
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return {"title": title[0].upper() + title[1:], "slug": slug, "module": module_name(slug)}


def _nav_title(entry: str) -> str:
    """The title of a nav line `- "Title": page.md`, for sorting: "Learning rate" before "Learning rate schedule"."""
    return entry.strip().removeprefix("- ").rsplit(": ", 1)[0].strip('"').lower()


def nav_with(config: Path, title: str, page: str) -> str:
    """mkdocs.yml with `- "Title": page` in the Glossary section, in alphabetical order; checked to parse."""
    lines = config.read_text().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "- Glossary:"), None)
    if start is None:
        raise ValueError(f"{rel(config)}: no '- Glossary:' section in the nav")
    indent = " " * (len(lines[start]) - len(lines[start].lstrip()) + 4)
    end = start + 1
    while end < len(lines) and lines[end].startswith(indent + "- "):
        end += 1
    entries = lines[start + 1 : end] + [f"{indent}- {json.dumps(title)}: {page}"]
    lines[start + 1 : end] = sorted(entries, key=_nav_title)
    text = "\n".join(lines) + "\n"
    check = config.with_name(".mkdocs.yml.check")
    check.write_text(text)
    try:
        listed = [p.name for p in glossary_pages(check)]
    except yaml.YAMLError as exc:
        raise ValueError(f"{rel(config)}: adding {title!r} to the nav would break the file: {exc}") from None
    finally:
        check.unlink()
    if page not in listed:
        raise ValueError(f"{rel(config)}: the edited nav does not list {page}")
    return text


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
    config = root / "mkdocs.yml"
    contents = {target: (TEMPLATES / template).read_text().format(**n) for template, target in targets.items()}
    contents[config] = nav_with(config, n["title"], f"{n['slug']}.md")  # checked before anything is written
    written: list[Path] = []
    try:
        for target, text in contents.items():
            temporary = target.with_name(f".{target.name}.new")
            temporary.write_text(text)
            temporary.replace(target)
            written.append(target)
    except OSError:
        for target in written:
            if target != config:
                target.unlink()
        raise
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
