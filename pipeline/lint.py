"""The page linter: every glossary page has the shape readers and the index rely on.

Glossary pages are the ones under "Glossary" in mkdocs.yml's nav. Each problem is
reported as ``file:line: what is wrong; how to fix it``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.claims import page_claims
from pipeline.fences import display_math, prose_lines, python_fences, rel
from pipeline.terms import _HEADING, term, unsafe_terms

REQUIRED_SECTIONS = ("Common misconceptions", "Related terms", "References")
_FIGURE = re.compile(r"!\[(?P<alt>(?:\{\{.*?\}\}|[^\]])*)\]\((?P<src>figures/[^)\s]+)\)")
_META = re.compile(r"\bseed\s+texts?\b|\btooling\s+notes?\b", re.I)
_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<target>[^)#\s]+\.md)(?:#[^)]*)?\)")


def lint(page: Path, glossary: list[Path]) -> list[str]:
    """Every way a glossary page falls short of the template (docs/contributing.md)."""
    where = rel(page)
    lines = page.read_text(encoding="utf-8").splitlines()
    prose = list(prose_lines(lines))
    problems = []
    if not lines or not lines[0].startswith("# "):
        problems.append(f"{where}:1: the page must start with its title as '# Term'")
    entry = term(page)
    if len(entry.definition.split()) < 12:
        problems.append(
            f"{where}:3: the first paragraph under the title must define the term in a sentence or two "
            "(the glossary index and hover tooltips show it)"
        )
    problems += unsafe_terms([entry])
    if "$" in entry.definition:
        problems.append(f"{where}:3: write the first paragraph in words, without math: tooltips show it as plain text")
    headings = {m.group(2): i + 1 for i, line in prose if (m := _HEADING.match(line)) and len(m.group(1)) == 2}
    for section in REQUIRED_SECTIONS:
        if section not in headings:
            problems.append(f"{where}: missing the section '## {section}' (see the template in docs/contributing.md)")
    if not page_claims(page):
        problems.append(f'{where}: no claim; state at least one as `!!! claim "id"` and bind it to an assert')
    figures = [(i + 1, m) for i, line in prose for m in _FIGURE.finditer(line)]
    if not figures:
        problems.append(f"{where}: no figure; embed one drawn by the page's code as ![alt text](figures/name.svg)")
    for line_no, match in figures:
        if len(match["alt"].split()) < 4:
            problems.append(f"{where}:{line_no}: figure {match['src']} needs alt text that says what it shows")
    problems += _section_problems(page, lines, headings)
    problems += [
        f"{where}:{i + 1}: unfinished: replace the 'To write' placeholder"
        for i, line in prose
        if "to write" in line.lower()
    ]
    problems += [
        f"{where}:{i + 1}: internal note on a public page ({match.group(0)!r}): readers can't check it; state a "
        "misconception as a common belief and cite where it is said publicly"
        for i, line in prose
        if (match := _META.search(line))
    ]
    problems += [
        f"{where}:{i + 1}: display math '$$' right after a line of text is not rendered as math: "
        "leave a blank line before it (and indent it with the list item's text inside a list)"
        for i, _ in display_math(prose)
        if lines[i].strip() == "$$" and i and lines[i - 1].strip()
    ]
    problems += [
        f"{rel(f.origin)}:{f.origin_line}: the block drawing a figure (page line {f.line}) asserts nothing: "
        "assert what the figure's alt text says it shows"
        for f in python_fences(page)
        if "savefig(" in f.code and not re.search(r"^\s*assert\b", f.code, re.M)
    ]
    return problems


def _section_body(lines: list[str], headings: dict[str, int], name: str) -> list[tuple[int, str]]:
    if name not in headings:
        return []
    start = headings[name]
    body = []
    for i in range(start, len(lines)):
        if lines[i].startswith("## "):
            break
        body.append((i + 1, lines[i]))
    return body


def _section_problems(page: Path, lines: list[str], headings: dict[str, int]) -> list[str]:
    where = rel(page)
    problems = []
    related = _section_body(lines, headings, "Related terms")
    links = [(n, m) for n, line in related for m in _LINK.finditer(line)]
    if "Related terms" in headings and not links:
        problems.append(f"{where}:{headings['Related terms']}: 'Related terms' links to no page")
    for line_no, match in links:
        target = (page.parent / match["target"]).resolve()
        if not target.is_file():
            problems.append(
                f"{where}:{line_no}: related term '{match['text']}' links to {match['target']}, which does not exist"
            )
    references = [
        line for _, line in _section_body(lines, headings, "References") if line.strip().startswith(("-", "1."))
    ]
    if "References" in headings and not references:
        problems.append(f"{where}:{headings['References']}: 'References' lists no source; cite the primary sources")
    return problems
