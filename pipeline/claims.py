"""Claims: written once on a page, bound to the asserts that test them, with a status per run.

On a page a claim is an admonition with a stable id::

    !!! claim "gd-stuck"
        Plain gradient descent from x0 = 2 stops in the local minimum.

In the page's code, ``# claim: gd-stuck`` above the asserts binds them to it. What a run
found for each claim is judged and stored by pipeline.results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PageError
from pipeline.fences import ROOT, Fence, prose_lines, python_fences, rel

DOCS = ROOT / "docs"

_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?)\s+claim\b(?P<rest>.*)$")
# Anything an author may have meant as a claim (`!!! Claim`, `!!!claim`, `???claim`): a claim or an error.
_LOOKS_LIKE = re.compile(r"^[ \t]*(?:!{2,}|\?{2,}\+?)\s*claims?\b", re.I)
# Raw HTML and script in a statement would reach the page, the claims table and the search index.
UNSAFE = re.compile(r"</?[a-zA-Z][^>]*>|\bon[a-z]+\s*=|javascript\s*:", re.I)  # `a < b` in math is fine
_ID = re.compile(r'^\s+"(?P<id>[a-z0-9][a-z0-9-]*)"\s*$')


@dataclass(frozen=True)
class Claim:
    """A claim as written on its page."""

    claim_id: str
    page: Path
    line: int
    text: str  # the Markdown body, dedented

    @property
    def where(self) -> str:
        return f"{rel(self.page)}:{self.line}"


def page_claims(page: Path, text: str | None = None) -> list[Claim]:
    """Every claim admonition of a page; a malformed one is an error naming its line."""
    page = Path(page).resolve()
    lines = (text if text is not None else page.read_text(encoding="utf-8")).splitlines()
    claims = []
    for i, line in prose_lines(lines):
        match = _OPEN.match(line)
        where = f"{rel(page)}:{i + 1}"
        if not match and _LOOKS_LIKE.match(line):
            raise PageError(where, f'{line.strip()!r} looks like a claim but is not one; write `!!! claim "some-id"`')
        if not match:
            continue
        ident = _ID.match(match["rest"])
        if match["indent"] or not ident:
            raise PageError(
                where,
                'malformed claim; write `!!! claim "some-id"` at the start of a line '
                "(id: lower-case letters, digits, dashes), then the statement indented by 4 spaces",
            )
        body = []
        for text_line in lines[i + 1 :]:
            if text_line.strip() and not text_line.startswith("    "):
                break
            body.append(text_line[4:])
        statement = "\n".join(body).strip()
        if not statement:
            raise PageError(where, f"claim '{ident['id']}' has no statement under it (indent it by 4 spaces)")
        if unsafe := UNSAFE.search(statement):
            raise PageError(
                where, f"claim '{ident['id']}' holds raw HTML or script ({unsafe.group(0)!r}); write Markdown"
            )
        claims.append(Claim(ident["id"], page, i + 1, statement))
    return claims


def pages(docs: Path = DOCS) -> list[Path]:
    return sorted(docs.rglob("*.md"))


def site_claims(docs: Path = DOCS) -> dict[str, Claim]:
    """All claims of the site by id; an id used twice is an error naming both places."""
    return unique_ids(page_claims(page) for page in pages(docs))


def unique_ids(claims_by_page) -> dict[str, Claim]:
    """Claims by id from each page's claims; an id used twice is an error naming both places."""
    found: dict[str, Claim] = {}
    for claims in claims_by_page:
        for claim in claims:
            if claim.claim_id in found:
                raise PageError(
                    claim.where,
                    f"claim id '{claim.claim_id}' is already used at {found[claim.claim_id].where}; "
                    "claim ids must be unique across the site",
                )
            found[claim.claim_id] = claim
    return found


def check_bindings(
    page: Path, fences: list[Fence] | None = None, claims: dict[str, Claim] | None = None
) -> list[PageError]:
    """Every claim on a page has asserts bound to it in the page's executed code, and vice versa."""
    claims = {c.claim_id: c for c in page_claims(page)} if claims is None else claims
    fences = python_fences(page) if fences is None else fences
    bound: dict[str, str] = {}
    errors = []
    for fence in fences:
        for marker in fence.claims:
            at = f"{rel(fence.origin)}:{marker.line}"
            if fence.opted_out:
                errors.append(PageError(at, f"claim '{marker.claim_id}' is bound inside a block that is not run"))
            elif marker.claim_id not in claims:
                errors.append(
                    PageError(
                        at,
                        f"code is bound to claim '{marker.claim_id}', which is not written on "
                        f"{rel(page)} (known there: {', '.join(sorted(claims)) or 'none'})",
                    )
                )
            bound.setdefault(marker.claim_id, at)
    for claim in claims.values():
        if claim.claim_id not in bound:
            errors.append(
                PageError(
                    claim.where,
                    f"claim '{claim.claim_id}' has no bound test: add '# claim: {claim.claim_id}' "
                    "above its asserts in a Python block of this page",
                )
            )
    return errors
