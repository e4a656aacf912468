"""Find every code block of a Markdown page the way Material renders it.

One scanner is shared by the tests (which execute the Python blocks) and the build
(which counts and checks them), so both sides always agree on what a page contains.
It sees fences at any indentation (inside admonitions and content tabs) and expands
``--8<--`` includes, keeping the included file's own line numbers.
"""

from __future__ import annotations

import ast
import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.errors import PageError

ROOT = Path(__file__).resolve().parent.parent
PYTHON_LANGS = {"python", "py", "python3"}
OUTPUT_LANG = "output"

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})\s*(?P<info>[^`]*?)\s*$")
_INCLUDE = re.compile(r"^\s*-{1,}8<-{1,}\s+(?P<quote>[\"'])(?P<target>.+)(?P=quote)\s*$")
_SECTION_MARK = re.compile(r"^\s*#\s*-{1,}8<-{1,}\s*\[(?P<kind>start|end):(?P<name>[\w-]+)\]\s*$")
_CLAIM_MARK = re.compile(r"^\s*#\s*claim\b(?P<rest>.*)$")
_CLAIM_SPEC = re.compile(r"^:\s*(?P<id>[a-z0-9][a-z0-9-]*)(?:\s+\[(?P<covers>.*)\])?\s*$")
_COVER = re.compile(r"^(?P<key>[a-z][a-z_]*)=(?P<expr>\S+)$")


@dataclass(frozen=True)
class ClaimMarker:
    """A ``# claim: <id> [key=expr ...]`` comment that binds the asserts below it to a claim."""

    claim_id: str
    line: int  # line in the origin file
    covers: tuple[tuple[str, str], ...] = ()  # (what, python expression) measured after the run
    asserts: tuple[int, ...] = ()  # lines (in the origin file) of the asserts it binds; each must run


@dataclass(frozen=True)
class Fence:
    """One fenced code block of a page, with where its code really comes from."""

    page: Path
    line: int  # 1-based line of the opening fence in the page
    lang: str
    options: frozenset[str]
    attrs: dict[str, str]
    code: str
    origin: Path  # the file the code lines live in: the page itself or an included snippet
    origin_line: int  # line of the first code line in `origin`
    output: str | None = None  # the text of the ``output`` fence right under it
    claims: tuple[ClaimMarker, ...] = field(default=())
    section: str | None = None  # the snippet section it includes (``gd`` in ``snippets/x.py:gd``)

    @property
    def is_python(self) -> bool:
        return self.lang in PYTHON_LANGS

    @property
    def opted_out(self) -> bool:
        return "notest" in self.options

    @property
    def continuation(self) -> bool:
        return "continuation" in self.options

    @property
    def where(self) -> str:
        return f"{rel(self.page)}:{self.line}"


def rel(path: Path) -> str:
    """Path relative to the repository, for messages."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def parse_info(info: str, where: str) -> tuple[str, frozenset[str], dict[str, str]]:
    """Split a fence's info string (plain or superfences ``{.python opt key="v"}``)."""
    text = info.strip()
    if text.startswith("{"):
        if not text.endswith("}"):
            raise PageError(where, f"fence options {info!r} open a brace they never close")
        text = text[1:-1]
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise PageError(where, f"cannot read fence options {info!r}: {exc}") from None
    lang, options, attrs = "", set(), {}
    for word in words:
        if "=" in word:
            key, value = word.split("=", 1)
            attrs[key] = value
        elif word.startswith(".") and not lang:
            lang = word[1:]
        elif not lang:
            lang = word
        else:
            options.add(word.lstrip("."))
    return lang.lower(), frozenset(options), attrs


def _read_lines(path: Path) -> tuple[str, ...]:
    """A file's lines, re-read whenever it changes (mkdocs serve edits snippets under us)."""
    stat = path.stat()
    return _cached_lines(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _cached_lines(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    return tuple(path.read_text(encoding="utf-8").splitlines())


def project_root(page: Path) -> Path:
    """The folder a page's includes are relative to: the one holding its docs/ folder."""
    return next((p.parent for p in page.parents if p.name == "docs"), ROOT)


def read_section(target: str, where: str, base: Path = ROOT) -> tuple[str, Path, int]:
    """Resolve ``file`` or ``file:section`` the way pymdownx.snippets does, failing loudly."""
    name, _, section = target.partition(":")
    path = (base / name).resolve()
    if not path.is_file():
        raise PageError(where, f"include {target!r}: no file {name!r} under {base}")
    lines = _read_lines(path)
    marks = [(i, m) for i, line in enumerate(lines) if (m := _SECTION_MARK.match(line))]
    if not section:
        if marks:
            raise PageError(where, f"include {target!r}: the file has sections; include one by name")
        return "\n".join(lines) + "\n", path, 1
    starts = [i for i, m in marks if m["kind"] == "start" and m["name"] == section]
    ends = [i for i, m in marks if m["kind"] == "end" and m["name"] == section]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise PageError(
            where,
            f"include {target!r}: {rel(path)} needs exactly one "
            f"'# --8<-- [start:{section}]' and one '# --8<-- [end:{section}]' after it",
        )
    body = lines[starts[0] + 1 : ends[0]]
    if any(_SECTION_MARK.match(line) for line in body):
        raise PageError(where, f"include {target!r}: sections must not nest in {rel(path)}")
    return "\n".join(body) + "\n", path, starts[0] + 2


def claim_markers(code: str, origin: Path, first_line: int) -> tuple[ClaimMarker, ...]:
    """Read ``# claim:`` comments; each must be followed by an ``assert`` before the next one."""
    lines = code.splitlines()
    found: list[ClaimMarker] = []
    for offset, text in enumerate(lines):
        match = _CLAIM_MARK.match(text)
        if not match:
            continue
        lineno = first_line + offset
        spec = _CLAIM_SPEC.match(match["rest"])
        if not spec:
            raise PageError(
                f"{rel(origin)}:{lineno}",
                f"malformed claim marker {text.strip()!r}; write '# claim: some-id' or "
                "'# claim: some-id [starts=len(x0) devices=devices]'",
            )
        covers = []
        for item in (spec["covers"] or "").split():
            cover = _COVER.match(item)
            if not cover:
                raise PageError(
                    f"{rel(origin)}:{lineno}",
                    f"malformed measure {item!r} in claim marker; write key=expression with no spaces",
                )
            covers.append((cover["key"], cover["expr"]))
        found.append(ClaimMarker(spec["id"], lineno, tuple(covers)))
    return tuple(_bind_asserts(code, origin, first_line, found)) if found else ()


def _bind_asserts(code: str, origin: Path, first_line: int, markers: list[ClaimMarker]) -> list[ClaimMarker]:
    """Each marker with the asserts between it and the next marker; none, or one that tests only
    constants (``assert True``), is an error: a claim needs an assertion that can fail."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        raise PageError(f"{rel(origin)}:{first_line + (exc.lineno or 1) - 1}", f"syntax error: {exc.msg}") from None
    asserts = sorted((first_line + n.lineno - 1, n) for n in ast.walk(tree) if isinstance(n, ast.Assert))
    bounds = [m.line for m in markers[1:]] + [first_line + len(code.splitlines())]
    bound = []
    for marker, end in zip(markers, bounds, strict=True):
        mine = [(line, node) for line, node in asserts if marker.line < line < end]
        where = f"{rel(origin)}:{marker.line}"
        if not mine:
            raise PageError(
                where,
                f"claim marker '{marker.claim_id}' is followed by no assert statement: "
                "a claim needs an assertion that fails when it is false",
            )
        for line, node in mine:
            if not any(isinstance(n, ast.Name) for n in ast.walk(node.test)) or isinstance(node.test, ast.Tuple):
                raise PageError(
                    f"{rel(origin)}:{line}",
                    f"the assert bound to claim '{marker.claim_id}' tests no value the code computed; "
                    "it can never fail",
                )
        bound.append(ClaimMarker(marker.claim_id, marker.line, marker.covers, tuple(line for line, _ in mine)))
    return bound


def _closer(ticks: str) -> re.Pattern:
    """The line that closes a fence opened with `ticks`: the same character, at least as many."""
    return re.compile(rf"^[ \t]*{re.escape(ticks[0])}{{{len(ticks)},}}\s*$")


def _opens(line: str) -> re.Match | None:
    """The opening line of a fence (not an inline ```code``` span)."""
    match = _FENCE_OPEN.match(line)
    return match if match and not (match["ticks"][0] == "`" and "`" in match["info"]) else None


def prose_lines(lines: list[str]):
    """(index, line) of every line outside a code fence: what claims, the linter and term links read."""
    closing = None
    for i, line in enumerate(lines):
        if closing is not None:
            closing = None if closing.match(line) else closing
        elif match := _opens(line):
            closing = _closer(match["ticks"])
        else:
            yield i, line


def display_math(prose: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(first, last) line index of every `$$` display-math block among prose lines: what term links skip
    and what the linter checks is set apart from the text above it."""
    blocks, start = [], None
    for i, line in prose:
        text = line.strip()
        if start is not None:
            if text.endswith("$$"):
                blocks.append((start, i))
                start = None
        elif text.startswith("$$"):
            if text == "$$" or not text[2:].rstrip().endswith("$$"):
                start = i
            else:
                blocks.append((i, i))
    return blocks


def scan(page: Path, text: str | None = None) -> list[Fence]:
    """Every fence of a page, in order, with includes expanded and outputs attached."""
    page = Path(page).resolve()
    lines = (text if text is not None else page.read_text(encoding="utf-8")).splitlines()
    fences: list[Fence] = []
    i = 0
    while i < len(lines):
        match = _opens(lines[i])
        if not match:
            i += 1
            continue
        start, indent, ticks = i, match["indent"], match["ticks"]
        where = f"{rel(page)}:{start + 1}"
        close = _closer(ticks)
        i += 1
        body: list[str] = []
        while i < len(lines) and not close.match(lines[i]):
            body.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i].lstrip())
            i += 1
        if i == len(lines):
            raise PageError(where, f"code fence {ticks} is never closed")
        i += 1
        lang, options, attrs = parse_info(match["info"], where)
        fences.append(_make_fence(page, start + 1, lang, options, attrs, body, where))
    return _attach_outputs(fences, lines)


def _make_fence(page, line, lang, options, attrs, body, where) -> Fence:
    includes = [m for text in body if (m := _INCLUDE.match(text))]
    if includes:
        if len(body) != 1:
            raise PageError(where, "a fence holds either one '--8<--' include or inline code, not both")
        target = includes[0]["target"]
        code, origin, origin_line = read_section(target, where, project_root(page))
        section = target.partition(":")[2] or None
    else:
        code, origin, origin_line = "\n".join(body) + ("\n" if body else ""), page, line + 1
        section = attrs.get("id")
    claims = claim_markers(code, origin, origin_line) if lang in PYTHON_LANGS else ()
    return Fence(page, line, lang, options, attrs, code, origin, origin_line, None, claims, section)


def _attach_outputs(fences: list[Fence], lines: list[str]) -> list[Fence]:
    """Pair each ``output`` fence with the Python fence right above it (blank lines between)."""
    result: list[Fence] = []
    for fence in fences:
        if fence.lang != OUTPUT_LANG:
            result.append(fence)
            continue
        prev = result[-1] if result else None
        closing = _closing_line(prev, lines) if prev else None
        gap = lines[closing : fence.line - 1] if closing is not None else ["x"]
        if prev is None or not prev.is_python or any(text.strip() for text in gap) or prev.output:
            raise PageError(fence.where, "an 'output' fence must come right under a Python fence")
        result[-1] = Fence(**{**prev.__dict__, "output": fence.code})
    return result


def _closing_line(fence: Fence, lines: list[str]) -> int:
    """Index (0-based) of the line after the closing fence of `fence`."""
    match = _FENCE_OPEN.match(lines[fence.line - 1])
    close = _closer(match["ticks"] if match else "```")
    j = fence.line
    while not close.match(lines[j]):
        j += 1
    return j + 1


def python_fences(page: Path, text: str | None = None) -> list[Fence]:
    """The Python fences of a page: the blocks a reader sees and the tests run."""
    return [fence for fence in scan(page, text) if fence.is_python]
