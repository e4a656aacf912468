"""Numbers a page states that come from its code: ``{{ ... }}`` placeholders filled from the run.

Written in a page's prose (claim statements and running text):

- ``{{ x_local:.3f }}``: the value of ``x_local`` after the block runs, formatted with ``.3f``. In a claim
  statement the block is the claim's own; in running text name it: ``{{ x:.4f @gd }}`` is ``x`` in the
  block that includes section ``gd`` of the page's snippet.
- ``{{ lr = 0.01 }}``: a definition of the problem the page states as written; the code's ``lr`` must
  equal it, or the block fails.
- A format ending in ``!tex`` writes powers of ten for math: ``{{ tol:.0e!tex }}`` gives ``10^{-10}``.

The runner evaluates each placeholder in its block's namespace; the build writes the value into the page.
So a number a reader reads is the number the code computed, and the page linter rejects bare numbers in
claim statements and computed-looking numbers in running text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PageError
from pipeline.fences import prose_lines, rel

PLACEHOLDER = re.compile(r"\{\{(?P<body>.*?)\}\}")
_BODY = re.compile(
    r"^\s*(?P<expr>[^=:@{}]+?)\s*(?:=\s*(?P<literal>[-+]?[\d,]*\.?\d+(?:[eE][-+]?\d+)?)\s*)?"
    r"(?::(?P<fmt>[^@{}]*?)\s*)?(?:@\s*(?P<section>[\w-]+)\s*)?$"
)
_TEX_POWER = re.compile(r"^(?P<mantissa>[-+]?\d+(?:\.\d+)?)e(?P<exp>[-+]?\d+)$")


@dataclass(frozen=True)
class Placeholder:
    """One ``{{ ... }}`` as written on a page."""

    text: str  # exactly as written, braces included: the key of its value
    expr: str
    literal: str | None
    fmt: str
    section: str | None
    page: Path
    line: int
    claim_id: str | None = None  # the claim whose statement holds it

    @property
    def where(self) -> str:
        return f"{rel(self.page)}:{self.line}"


def parse(text: str, page: Path, line: int, claim_id: str | None = None) -> Placeholder:
    """Read one placeholder; a malformed one is an error naming its line."""
    match = _BODY.match(text[2:-2])
    if not match:
        raise PageError(
            f"{rel(page)}:{line}",
            f"malformed placeholder {text!r}; write {{{{ name:fmt }}}}, {{{{ name:fmt @section }}}} "
            "or a definition {{ name = 0.01 }}",
        )
    return Placeholder(
        text, match["expr"], match["literal"], match["fmt"] or "", match["section"], page, line, claim_id
    )


def page_placeholders(page: Path, lines: list[str], claim_of_line: dict[int, str]) -> list[Placeholder]:
    """Every placeholder in a page's prose, with the claim statement it sits in (by 1-based line)."""
    found = []
    for i, line in prose_lines(lines):
        for match in PLACEHOLDER.finditer(line):
            found.append(parse(match.group(0), page, i + 1, claim_of_line.get(i + 1)))
    return found


def _literal_value(literal: str) -> float:
    return float(literal.replace(",", ""))


def tex_power(text: str) -> str:
    """``1e-10`` as ``10^{-10}``, ``2.5e+03`` as ``2.5 \\times 10^{3}``: a power of ten for math."""
    match = _TEX_POWER.match(text)
    if not match:
        return text
    exp = int(match["exp"])
    if abs(float(match["mantissa"])) == 1:
        return f"{'-' if match['mantissa'].startswith('-') else ''}10^{{{exp}}}"
    return f"{match['mantissa']} \\times 10^{{{exp}}}"


def show(value: object, fmt: str) -> str:
    """A value as the page shows it."""
    tex = fmt.endswith("!tex")
    fmt = fmt.removesuffix("!tex")
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()  # numpy and torch scalars format like Python numbers
    text = format(value, fmt)
    return tex_power(text) if tex else text


def evaluate(placeholder: Placeholder, namespace: dict) -> tuple[str | None, str | None]:
    """(what the page shows, error): the placeholder's value in the block's namespace."""
    try:
        value = eval(placeholder.expr, namespace)  # noqa: S307 - the expression is the page's own
    except Exception as exc:
        return None, f"cannot evaluate {placeholder.expr!r} after the block ran: {type(exc).__name__}: {exc}"
    try:
        shown = show(value, placeholder.fmt)
    except (TypeError, ValueError) as exc:
        return None, f"cannot format {placeholder.expr} = {value!r} with {placeholder.fmt!r}: {exc}"
    if placeholder.literal is None:
        return shown, None
    stated = _literal_value(placeholder.literal)
    try:
        equal = math.isclose(float(value), stated, rel_tol=1e-12, abs_tol=0.0)
    except (TypeError, ValueError):
        equal = False
    if not equal:
        plain = value.item() if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value
        return None, f"the page states {placeholder.expr} = {placeholder.literal}, but the code has {plain!r}"
    return (shown if placeholder.fmt else placeholder.literal), None


def fill(markdown: str, values: dict[tuple[int, str], str], missing: str = "?") -> str:
    """Write each placeholder's value, keyed by (1-based line, text), into the page's Markdown (prose only)."""
    lines = markdown.splitlines()
    for i, line in prose_lines(lines):
        if "{{" in line:
            lines[i] = PLACEHOLDER.sub(lambda m, n=i + 1: values.get((n, m.group(0)), missing), line)
    return "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")


# --- the linter's rules for numbers a reader reads --------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w.\\])[-−+]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:[eE][-−+]?\d+)?(?![\w])")
_EXEMPT_BEFORE = re.compile(r"(?:[\^_]\{?[-−]?|\\[a-zA-Z]+\{?)$")  # exponents, indices: x^2, x_{t+1}
_REFERENCE_WORDS = re.compile(
    r"(?:Theorems?|Lemmas?|Propositions?|Corollary|Section|Sections|Chapter|Chapters|Eq\.|Eqs\.|Algorithm|"
    r"Example|Exercise|Figure|Table|§|pp?\.|vol\.|No\.|ICML|ICLR|NeurIPS|NIPS|COLT|AISTATS|arXiv:?)"
    r"(?:[\d.,–\-\s]|\band\b|\bor\b)*$",
    re.I,
)
_INLINE_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<[^>]*>")


def bare_numbers(text: str) -> list[str]:
    """Numbers written into a claim statement instead of coming from the run (placeholders removed)."""
    text = _LINK_TARGET.sub("", PLACEHOLDER.sub("", text))
    return [m.group(0) for m in _NUMBER.finditer(text) if not _EXEMPT_BEFORE.search(text[: m.start()])]


def computed_looking_numbers(line: str) -> list[str]:
    """Numbers in running text that look like results of code: decimals, and integers of three or more
    digits that are not years; theorem, section and page numbers are exempt."""
    text = _LINK_TARGET.sub("", PLACEHOLDER.sub("", line))
    found = []
    for match in _NUMBER.finditer(text):
        number = match.group(0).lstrip("-−+")
        before = text[: match.start()]
        if re.match(r"\.\d", text[match.end() :]):
            continue  # a dotted version such as 3.0.6
        if _EXEMPT_BEFORE.search(before) or _REFERENCE_WORDS.search(before):
            continue
        digits = number.replace(",", "")
        is_year = digits.isdigit() and 1600 <= int(digits) <= 2099 and "," not in number
        if "." in number or "e" in number.lower() or (digits.isdigit() and int(digits) >= 100 and not is_year):
            found.append(match.group(0))
    return found


def lint_numbers(page: Path, lines: list[str], claim_lines: dict[int, str]) -> list[str]:
    """Bare numbers in claim statements, and computed-looking numbers in running text, as file:line messages."""
    problems = []
    in_references = False
    for i, line in prose_lines(lines):
        if line.startswith("#"):
            in_references = line.lstrip("#").strip().lower() in {"references", "further reading"}
            continue
        if in_references or line.lstrip().startswith("<!--"):
            continue
        where = f"{rel(page)}:{i + 1}"
        claim = claim_lines.get(i + 1)
        if claim:
            numbers = bare_numbers(line)
            if numbers:
                problems.append(
                    f"{where}: claim '{claim}' types {', '.join(numbers)}: take each from the run with "
                    "{{ name:fmt }}, or mark a definition of the problem with {{ name = value }}"
                )
        else:
            numbers = computed_looking_numbers(_INLINE_CODE.sub("", line))
            if numbers:
                problems.append(
                    f"{where}: running text types {', '.join(numbers)}: take each from the run with "
                    "{{ name:fmt @section }}, or mark a definition with {{ name = value @section }}"
                )
    return problems
