"""Glossary terms across the site: the A–Z index, and term links with hover definitions.

Each glossary page's title is its term and its first paragraph its definition
(term below). On every page, the first mention of each other term in running text
becomes a link to its page whose title attribute is the definition: assets/tooltips.js
shows it on hover and keyboard focus.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.claims import DOCS, UNSAFE
from pipeline.fences import ROOT, display_math, prose_lines, rel

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Term:
    """A glossary term as its page states it."""

    title: str
    page: Path
    definition: str  # the first paragraph, in Markdown


def glossary_pages(config: Path = ROOT / "mkdocs.yml") -> list[Path]:
    """The pages listed under the Glossary section of the nav: the terms (A–Z index, tooltips)."""
    pages = _nav_section(config, "Glossary")
    if pages is None:
        raise ValueError(f"{rel(config)}: the nav has no 'Glossary' section")
    return pages


def content_pages(config: Path = ROOT / "mkdocs.yml") -> list[Path]:
    """Every page held to the term template and its tests: the glossary terms, then the Experiments
    (worked studies such as the flagship, which are not terms and so get no tooltip or A–Z entry)."""
    return glossary_pages(config) + (_nav_section(config, "Experiments") or [])


def _nav_section(config: Path, name: str) -> list[Path] | None:
    """The pages of one top-level section of the nav, or None if it has no such section."""
    nav = yaml.load(config.read_text(), Loader=_Loader)["nav"]
    for entry in nav:
        if isinstance(entry, dict) and name in entry:
            return [DOCS / next(iter(item.values())) for item in entry[name]]
    return None


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml, ignoring the !!python tags some plugins use."""


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def term(page: Path) -> Term:
    """The page's title and first paragraph."""
    lines = page.read_text(encoding="utf-8").splitlines()
    title = next((m.group(2) for line in lines if (m := _HEADING.match(line)) and len(m.group(1)) == 1), "")
    start = next((i for i, line in enumerate(lines) if line.startswith("# ")), -1) + 1
    para: list[str] = []
    for line in lines[start:]:
        if not line.strip():
            if para:
                break
            continue
        if line.startswith(("#", "!!!", "???", "```", "|", "<", "- ", "* ", "$$")) and not para:
            break
        para.append(line.strip())
    return Term(title, page, " ".join(para))


_PROTECTED = re.compile(
    r"(`+).*?\1"  # inline code
    r"|\$\$.*?\$\$|\$[^$]+\$"  # math
    r"|!?\[[^\]]*\]\([^)]*\)"  # links and images
    r"|\[[^\]]*\]"  # link text, footnotes
    r"|<[^>]+>"  # inline HTML
    r"|\*\*[^*]+\*\*"  # bold: the page defining a term emphasises it itself
)
_SKIP_LINE = re.compile(r"^(\s{4,}|\t|#|!!!|\?\?\?|\||!\[|<|---|\s*```|\s*~~~|\s*--8<--|\s*\$\$)")


def plain(markdown: str) -> str:
    """Definition text fit for a tooltip: no Markdown marks, no TeX delimiters."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"[*_`$\\]", "", text)
    return " ".join(text.split())


def attribute_text(text: str) -> str:
    """Text safe inside a Markdown link title: every character that could end it, or open HTML, as an entity."""
    return "".join(f"&#{ord(c)};" if c in "\"'()<>&[]\\" else c for c in text)


def forms(title: str) -> list[str]:
    """The spellings of a term we link: as written, plural in -s, and Latin -um → -a."""
    base = title.lower()
    found = [base, base + "s"]
    if base.endswith("um"):
        found.append(base[:-2] + "a")
    return sorted(found, key=len, reverse=True)


def link_terms(markdown: str, page: Path, terms: list[Term]) -> str:
    """Link the first mention of each other glossary term in the page's running text.

    The longest term wins where terms nest: "stochastic gradient descent" links to its own page, never
    "gradient descent" inside it, and the page's own term ("Nesterov momentum") is never split either.
    """
    lines = markdown.splitlines()
    here = page.resolve()
    todo = [t for t in terms if t.page.resolve() != here]
    if not todo:
        return markdown
    spellings = {form: entry for entry in terms for form in forms(entry.title)}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(spellings, key=len, reverse=True))) + r")\b", re.I)
    prose = list(prose_lines(lines))
    math = {i for first, last in display_math(prose) for i in range(first, last + 1)}  # a term in \text{} stays TeX
    for index, line in prose:
        if todo and index not in math and not _SKIP_LINE.match(line):
            lines[index], todo = _link_line(line, page, todo, pattern, spellings)
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")


def _link_line(
    line: str, page: Path, todo: list[Term], pattern: re.Pattern[str], spellings: dict[str, Term]
) -> tuple[str, list[Term]]:
    """The line with at most one new term link per unprotected piece, and the terms still to link."""
    pieces, last = [], 0
    for match in _PROTECTED.finditer(line):
        pieces.append((line[last : match.start()], True))
        pieces.append((match.group(0), False))
        last = match.end()
    pieces.append((line[last:], True))
    remaining = list(todo)
    out = []
    for text, free in pieces:
        for match in pattern.finditer(text) if free else ():
            entry = spellings[match.group(0).lower()]
            if entry in remaining:  # a mention of a linked term, or of this page's own, is passed over
                target = _relative(entry.page, page)
                title = attribute_text(plain(entry.definition))
                link = f'[{match.group(0)}]({target} "{title}")'
                text = text[: match.start()] + link + text[match.end() :]
                remaining.remove(entry)
                break  # one link per piece keeps the text readable
        out.append(text)
    return "".join(out), remaining


def _relative(target: Path, page: Path) -> str:
    """Link from one page's source to another's, as MkDocs resolves .md links."""
    return Path(os.path.relpath(Path(target).resolve(), Path(page).resolve().parent)).as_posix()


def index(terms: list[Term], here: Path) -> str:
    """The A–Z glossary: every term, linked, with its one-paragraph definition."""
    rows, letter = [], ""
    for entry in sorted(terms, key=lambda t: t.title.lower()):
        first = entry.title[0].upper()
        if first != letter:
            rows.append(f"\n## {first}\n")
            letter = first
        target = _relative(entry.page, here)
        definition = re.sub(r"(?<!!)\[([^\]]*)\]\([^)]*\)", r"\1", entry.definition)  # its links are page-relative
        rows.append(f"[**{html.escape(entry.title)}**]({target})\n:   {html.escape(definition, quote=False)}\n")
    return "\n".join(rows) + "\n"


def load(pages: list[Path]) -> list[Term]:
    return [term(p) for p in pages if p.is_file()]


def unsafe_terms(terms: list[Term]) -> list[str]:
    """Terms whose title or definition holds raw HTML or script: they would reach every page's tooltips."""
    problems = []
    for entry in terms:
        for what, text, line in (("title", entry.title, 1), ("definition", entry.definition, 3)):
            if found := UNSAFE.search(text):
                problems.append(
                    f"{rel(entry.page)}:{line}: the {what} holds raw HTML or script ({found.group(0)!r}); "
                    "write Markdown"
                )
    return problems
