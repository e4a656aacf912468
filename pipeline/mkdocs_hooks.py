"""MkDocs hooks: claims with their status, the claims page, figures, math, and block counts.

Loaded through ``hooks:`` in mkdocs.yml. Every check here fails the build with a
message that names the file and line to fix.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

from pipeline import figures, terms  # noqa: E402
from pipeline.claims import (  # noqa: E402
    Claim,
    Result,
    check_bindings,
    page_claims,
    read_results,
    site_claims,
    status_of,
)
from pipeline.errors import PageError  # noqa: E402
from pipeline.fences import ROOT, Fence, python_fences, rel  # noqa: E402
from pipeline.lint import glossary_pages  # noqa: E402

KATEX = ROOT / "node_modules" / "katex" / "dist"
CLAIMS_TABLE = "<!-- claims-table -->"
GLOSSARY_INDEX = "<!-- glossary-index -->"
PYTHON_BLOCK = re.compile(r'<div class="language-(?:python|py|python3) highlight">')
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
ICONS = {"verified": "✓", "failing": "✗", "not run": "–"}

_state: dict[str, object] = {}


def _fail(exc: Exception) -> PluginError:
    return PluginError(str(exc))


def on_pre_build(config) -> None:
    """Check every claim's binding and refresh snippet figures before any page is built."""
    docs = Path(config["docs_dir"])
    try:
        claims = site_claims(docs)
        fences = {page.resolve(): python_fences(page) for page in sorted(docs.rglob("*.md"))}
    except PageError as exc:
        raise _fail(exc) from None
    errors = [str(e) for page, page_fences in fences.items() for e in check_bindings(page, page_fences)]
    errors += figures.refresh()
    if errors:
        raise PluginError("\n".join(errors))
    glossary = terms.load(glossary_pages(Path(config["config_file_path"])))
    _state.update(claims=claims, fences=fences, results=read_results(), terms=glossary)


def on_files(files: Files, config) -> Files:
    """Add the snippets' figures and KaTeX's stylesheet and fonts to the site."""
    for name, path in figures.figures().items():
        files.append(File.generated(config, f"figures/{name}", abs_src_path=str(path)))
    for script in figures.snippet_files():
        files.append(File.generated(config, f"code/{script.name}", abs_src_path=str(script)))
    if not KATEX.is_dir():
        raise PluginError(f"{rel(KATEX)} is missing: run `npm ci` (the Makefile does) to install KaTeX")
    files.append(File.generated(config, "assets/katex/katex.min.css", abs_src_path=str(KATEX / "katex.min.css")))
    for font in sorted((KATEX / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"assets/katex/fonts/{font.name}", abs_src_path=str(font)))
    return files


def _result(claim: Claim) -> Result:
    return status_of(claim, _state["fences"][claim.page], _state["results"])


def describe(result: Result) -> str:
    """One line of what a run measured: devices, and how many starts or seeds it covered."""
    parts = []
    if result.devices is not None:
        parts.append("ran on " + ", ".join(result.devices))
        if "cuda" not in result.devices:
            parts.append("cuda: skipped, no GPU in this run")
    parts += [f"{value:,} {key}" for key, value in sorted(result.measures.items())]
    return " · ".join(parts)


def render_claim(claim: Claim, result: Result) -> str:
    status = result.status
    meta = describe(result) if status == "verified" else result.message
    slug = status.replace(" ", "-")
    return (
        f'<div class="claim claim--{slug}" id="claim-{claim.claim_id}" markdown="1">\n'
        f'<p class="claim__head"><span class="claim__status">{ICONS[status]} {status}</span> '
        f'<a class="claim__id" href="#claim-{claim.claim_id}">claim: {claim.claim_id}</a>'
        f"{f' <span class=claim__meta>{html.escape(meta)}</span>' if meta else ''}</p>\n\n"
        f"{claim.text}\n\n</div>\n"
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Replace each claim admonition with the claim and its latest status; fill the claims table."""
    path = Path(page.file.abs_src_path).resolve()
    lines = markdown.splitlines()
    try:
        located = page_claims(path, markdown)
    except PageError as exc:
        raise _fail(exc) from None
    for claim in reversed(located):
        end = claim.line
        while end < len(lines) and (not lines[end].strip() or lines[end].startswith("    ")):
            end += 1
        lines[claim.line - 1 : end] = render_claim(claim, _result(_state["claims"][claim.claim_id])).splitlines() + [""]
    markdown = terms.link_terms("\n".join(lines) + "\n", path, _state["terms"]) + download_note(path)
    if CLAIMS_TABLE in markdown:
        markdown = markdown.replace(CLAIMS_TABLE, claims_table(page))
    if GLOSSARY_INDEX in markdown:
        markdown = markdown.replace(GLOSSARY_INDEX, terms.index(_state["terms"], path))
    return markdown


def download_note(page: Path) -> str:
    """A link to the page's whole snippet file, runnable as a script (it also draws the figures)."""
    script = figures.SNIPPETS / f"{page.stem.replace('-', '_')}.py"
    if not script.is_file():
        return ""
    return (
        f'\n!!! tip "Run this page yourself"\n'
        f"    [Download {script.name}](code/{script.name}){{ download }}: every block of this page in one\n"
        f"    script. `python {script.name}` runs each claim's checks and saves the figures, with only\n"
        f"    numpy, torch and matplotlib installed.\n"
    )


def claims_table(page) -> str:
    """Every claim on the site with its status and a link to it; plus how many blocks ran."""
    claims: dict[str, Claim] = _state["claims"]
    results = {cid: _result(claim) for cid, claim in claims.items()}
    counts = {s: sum(r.status == s for r in results.values()) for s in ICONS}
    blocks: list[Fence] = [f for fs in _state["fences"].values() for f in fs]
    opted = [f for f in blocks if f.opted_out]
    here = Path(page.file.abs_src_path).parent
    rows = ["| Status | Claim | Page | Measured |", "|---|---|---|---|"]
    for cid, claim in sorted(claims.items(), key=lambda item: (rel(item[1].page), item[1].line)):
        result = results[cid]
        link = Path(claim.page).relative_to(here).as_posix()
        title = link.removesuffix(".md").replace("-", " ")
        measured = describe(result) if result.status == "verified" else result.message
        rows.append(
            f"| {ICONS[result.status]} {result.status} | [`{cid}`]({link}#claim-{cid}) | {title} | {measured} |"
        )
    summary = (
        f"**{len(claims)} claims**: {counts['verified']} verified, {counts['failing']} failing, "
        f"{counts['not run']} not run. **{len(blocks)} Python blocks** on the site: "
        f"{len(blocks) - len(opted)} executed by the tests, {len(opted)} opted out"
    )
    summary += (": " + "; ".join(f"{f.where} ({f.attrs.get('reason', 'no reason')})" for f in opted)) if opted else "."
    return summary + "\n\n" + "\n".join(rows) + "\n"


def on_page_content(content: str, page, config, files) -> str:
    """Check the page shows exactly the Python blocks the tests ran, and mark opted-out ones."""
    path = Path(page.file.abs_src_path).resolve()
    fences = _state["fences"].get(path, [])
    shown = PYTHON_BLOCK.findall(content)
    if len(shown) != len(fences):
        raise PluginError(
            f"{rel(path)}: the built page shows {len(shown)} Python blocks but the tests found {len(fences)}; "
            "a fence is malformed or indented where Markdown does not see it"
        )
    return _mark_opted_out(content, fences)


# mkdocs-jupyter's MathJax slot, left empty (it fetches nothing and renders nothing), and
# nbconvert's Mermaid loader, which would import from cdnjs if a notebook had a diagram.
NOTEBOOK_THIRD_PARTY = re.compile(
    r'<script src="">\s*</script>'
    r'|<script type="module">(?:(?!</script>).)*?cdnjs\.cloudflare\.com(?:(?!</script>).)*?</script>',
    re.S,
)


def on_post_page(output: str, page, config) -> str:
    """Typeset math in the finished page, after the search index took the plain TeX.

    Notebook pages lose nbconvert's dormant loaders that point at a CDN: a page names no other host.
    """
    if page.file.src_path.endswith(".ipynb"):
        output = NOTEBOOK_THIRD_PARTY.sub("", output)
    return typeset(output, rel(Path(page.file.abs_src_path)))


def _mark_opted_out(content: str, fences: list[Fence]) -> str:
    pieces = PYTHON_BLOCK.split(content)
    heads = PYTHON_BLOCK.findall(content)
    out = [pieces[0]]
    for fence, head, rest in zip(fences, heads, pieces[1:], strict=True):
        if fence.opted_out:
            reason = html.escape(fence.attrs.get("reason", "no reason given"))
            out.append(f'<p class="untested">Not run by the tests: {reason}</p>')
        out.append(head + rest)
    return "".join(out)


def typeset(content: str, where: str) -> str:
    """Render every arithmatex span with KaTeX at build time: no math script in the reader's browser."""
    found = MATH.findall(content)
    if not found:
        return content
    items = []
    for tag, body in found:
        items.append([html.unescape(body).strip(), tag == "div"])
    done = subprocess.run(
        ["node", str(ROOT / "pipeline" / "katex_render.cjs")],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise PluginError(f"{where}: KaTeX failed: {done.stderr.strip()}")
    rendered = iter(json.loads(done.stdout))

    def swap(match: re.Match) -> str:
        item = next(rendered)
        if "error" in item:
            raise PluginError(f"{where}: cannot typeset {html.unescape(match.group(2))!r}: {item['error']}")
        return item["html"] if match.group(1) == "span" else f'<div class="math-display">{item["html"]}</div>'

    return MATH.sub(swap, content)
