"""A docs page as the pipeline sees it, read once: its blocks, claims and placeholders, and the names
that tie a page to its code and tests (``docs/local-minimum.md`` - ``snippets/local_minimum.py`` -
``tests/test_local_minimum.py``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pipeline import bench, glue
from pipeline.claims import Claim, check_bindings, page_claims
from pipeline.errors import PageError
from pipeline.fences import ROOT, Fence, python_fences, rel
from pipeline.runner import BLOCK_TIME_LIMIT, MAX_BLOCK_TIME_LIMIT, Block

DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
TESTS = ROOT / "tests"
# The runner's own code: a change to how code runs makes every recorded result stale.
_RUNNER_SOURCES = ("runner.py", "asserts.py", "glue.py", "guard.py")


def module_name(slug: str) -> str:
    """The one rule from a page's slug to its code's name: ``local-minimum`` -> ``local_minimum``."""
    return slug.replace("-", "_")


def snippet_of(page: Path) -> Path:
    return SNIPPETS / f"{module_name(page.stem)}.py"


def tests_of(page: Path) -> Path:
    return TESTS / f"test_{module_name(page.stem)}.py"


def all_pages(docs: Path = DOCS) -> list[Path]:
    return sorted(p.resolve() for p in docs.rglob("*.md"))


@dataclass
class Page:
    """One Markdown page: read once, then everything else is derived from its text."""

    path: Path
    text: str

    @classmethod
    def load(cls, path: Path, text: str | None = None) -> Page:
        path = Path(path).resolve()
        return cls(path, text if text is not None else path.read_text(encoding="utf-8"))

    @property
    def rel(self) -> str:
        return rel(self.path)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @cached_property
    def fences(self) -> list[Fence]:
        return python_fences(self.path, self.text)

    @cached_property
    def claims(self) -> dict[str, Claim]:
        return {c.claim_id: c for c in page_claims(self.path, self.text)}

    @cached_property
    def claim_lines(self) -> dict[int, str]:
        """Page line (1-based) -> the claim whose statement it belongs to."""
        found = {}
        for claim in self.claims.values():
            for offset in range(len(claim.text.splitlines())):
                found[claim.line + 1 + offset] = claim.claim_id
        return found

    @cached_property
    def placeholders(self) -> list[glue.Placeholder]:
        """The page's placeholders filled from a run of its own blocks."""
        return [p for p in self._all_placeholders if not is_bench(p)]

    @cached_property
    def bench_placeholders(self) -> list[glue.Placeholder]:
        """The page's placeholders filled from a recorded benchmark (``@bench-<name>``, pipeline.bench)."""
        return [p for p in self._all_placeholders if is_bench(p)]

    @cached_property
    def _all_placeholders(self) -> list[glue.Placeholder]:
        return glue.page_placeholders(self.path, self.lines, self.claim_lines)

    def bench_values(self) -> tuple[dict[tuple[int, str], str], list[str]]:
        """(page line, text) -> value for each benchmark placeholder, and the problems found."""
        found, problems = {}, []
        for holder in self.bench_placeholders:
            name = holder.section.removeprefix(bench.SECTION_PREFIX)
            try:
                shown, error = glue.evaluate(holder, bench.values(name, holder.where))
            except PageError as exc:
                problems.append(str(exc))
                continue
            if error:
                problems.append(f"{holder.where}: {holder.text}: {error}")
            else:
                found[(holder.line, holder.text)] = shown
        return found, problems

    def fence_of(self, claim_id: str) -> Fence | None:
        """The block whose code holds the claim's first marker."""
        return next((f for f in self.fences if any(m.claim_id == claim_id for m in f.claims)), None)

    def chain(self, fence: Fence) -> list[Fence]:
        """The blocks a block builds on (``continuation``), oldest first, then the block itself."""
        index = self.fences.index(fence)
        start = index
        while self.fences[start].continuation and start > 0:
            start -= 1
        return self.fences[start : index + 1]

    def placeholder_fence(self, placeholder: glue.Placeholder) -> Fence:
        """The block a placeholder takes its value from: its claim's, or the one it names with @section."""
        if placeholder.section is not None:
            named = [f for f in self.fences if f.section == placeholder.section]
            if len(named) != 1:
                known = ", ".join(sorted(f.section for f in self.fences if f.section)) or "none"
                raise PageError(
                    placeholder.where,
                    f"{placeholder.text}: no block of this page is section '{placeholder.section}' (known: {known})",
                )
            return named[0]
        fence = self.fence_of(placeholder.claim_id) if placeholder.claim_id else None
        if fence is None:
            raise PageError(
                placeholder.where,
                f"{placeholder.text} is in running text: name its block, e.g. {{{{ {placeholder.expr} @section }}}}",
            )
        return fence

    def problems(self) -> list[str]:
        """Everything wrong with the page before any code runs: its structure, and typed numbers."""
        return self.structural_problems() + self.typed_numbers()

    def typed_numbers(self) -> list[str]:
        """Numbers a reader reads that do not come from the run (pipeline.glue's rules)."""
        return glue.lint_numbers(self.path, self.lines, self.claim_lines)

    def structural_problems(self) -> list[str]:
        """What stops the page from being run or rendered: bindings, placeholders, time limits."""
        errors = [str(e) for e in check_bindings(self.path, self.fences, self.claims)]
        for placeholder in self.placeholders:
            try:
                self.placeholder_fence(placeholder)
            except PageError as exc:
                errors.append(str(exc))
        for fence in self.fences:
            try:
                limit_of(fence)
            except PageError as exc:
                errors.append(str(exc))
        errors += self.bench_values()[1]
        for number, line in enumerate(self.lines, 1):
            if match := bench.DIRECTIVE.match(line.strip()):
                try:
                    bench.load(match["name"], f"{self.rel}:{number}")
                except PageError as exc:
                    errors.append(str(exc))
        return errors

    def blocks(self, fences: list[Fence] | None = None) -> list[Block]:
        """What the runner needs for each block that runs (opted-out blocks are not sent)."""
        fences = self.fences if fences is None else fences
        wanted: dict[int, list[list[str | None]]] = {}
        for placeholder in self.placeholders:
            try:
                line = self.placeholder_fence(placeholder).line
            except PageError:
                continue  # reported by problems()
            spec = [placeholder.text, placeholder.expr, placeholder.literal, placeholder.fmt]
            if spec not in wanted.setdefault(line, []):
                wanted[line].append(spec)
        return [
            Block(
                key=str(f.line),
                code=f.code,
                filename=str(f.origin),
                first_line=f.origin_line,
                continuation=f.continuation,
                limit=limit_of(f),
                placeholders=wanted.get(f.line, []),
                measures=[[m.claim_id, key, expr] for m in f.claims for key, expr in m.covers],
            )
            for f in fences
            if not f.opted_out
        ]

    def with_outputs(self, printed: dict[str, str]) -> str:
        """The page's text with each block's ``output`` fence holding what the block printed (the
        ``--update-outputs`` flag): a fence is added under a block that prints and has none."""
        lines = list(self.lines)
        for fence in reversed(self.fences):
            text = printed.get(str(fence.line))
            if text is None:
                continue
            start, end = _output_fence_span(lines, fence)
            indent = lines[fence.line - 1][: len(lines[fence.line - 1]) - len(lines[fence.line - 1].lstrip())]
            body = [f"{indent}```output", *(indent + line if line else "" for line in text.rstrip().splitlines())]
            new = [*body, f"{indent}```"] if text.strip() else []
            if start is None:
                lines[end:end] = ["", *new] if new else []
            else:
                lines[start:end] = new
        return "\n".join(lines) + "\n"

    def claim_hash(self, claim_id: str) -> str:
        """What a claim's result was measured with: its statement, its code and the code it continues."""
        fence = self.fence_of(claim_id)
        parts = [self.claims[claim_id].text]
        for block in self.chain(fence) if fence else []:
            parts += [block.code, block.output or ""]
        return _digest(parts)

    @cached_property
    def run_hash(self) -> str:
        """What a run of the page depends on: its text, its code, and the runner's own code."""
        runner = [(ROOT / "pipeline" / name).read_text() for name in _RUNNER_SOURCES]
        return _digest([self.text, *(f.code for f in self.fences), *runner])


def is_bench(placeholder: glue.Placeholder) -> bool:
    return bool(placeholder.section and placeholder.section.startswith(bench.SECTION_PREFIX))


def _output_fence_span(lines: list[str], fence: Fence) -> tuple[int | None, int]:
    """(first, end) line indexes of the output fence under `fence`; (None, after its closing line) if none."""
    opening = lines[fence.line - 1]
    ticks = opening.lstrip()[: len(opening.lstrip()) - len(opening.lstrip().lstrip("`~"))]
    j = fence.line
    while lines[j].strip() != ticks:
        j += 1
    after = j + 1
    k = after
    while k < len(lines) and not lines[k].strip():
        k += 1
    if fence.output is None or k >= len(lines) or lines[k].strip() != "```output":
        return None, after
    m = k + 1
    while lines[m].strip() != "```":
        m += 1
    return k, m + 1


def _digest(parts: list[str]) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(part.encode())
        sha.update(b"\0")
    return sha.hexdigest()[:16]


def limit_of(fence: Fence) -> float:
    """A block's wall-clock limit: its ``timeout`` option (at most the cap), or the default."""
    value = fence.attrs.get("timeout", BLOCK_TIME_LIMIT)
    try:
        seconds = float(value)
    except ValueError:
        raise PageError(fence.where, f'timeout="{value}" is not a number of seconds') from None
    if not 0 < seconds <= MAX_BLOCK_TIME_LIMIT:
        raise PageError(fence.where, f'timeout="{value}": a block may take at most {MAX_BLOCK_TIME_LIMIT:g} s')
    return seconds
