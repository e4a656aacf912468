"""MkDocs hooks: claims with their status, the claims page, figures, math, and block counts.

Loaded through ``hooks:`` in mkdocs.yml. Every check here fails the build with a
message that names the file and line to fix.
"""

from __future__ import annotations

import datetime
import html
import itertools
import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.structure.files import File, Files  # noqa: E402

from pipeline import bench, devices, glue, notebooks, results, terms  # noqa: E402
from pipeline.claims import Claim, unique_ids  # noqa: E402
from pipeline.errors import PageError  # noqa: E402
from pipeline.fences import ROOT, Fence, rel  # noqa: E402
from pipeline.pages import Page, all_pages, snippet_of  # noqa: E402
from pipeline.results import ClaimResult, PageResult  # noqa: E402
from pipeline.terms import glossary_pages, unsafe_terms  # noqa: E402

TEMML = ROOT / "node_modules" / "temml" / "dist"
CLAIMS_TABLE = "<!-- claims-table -->"
GLOSSARY_INDEX = "<!-- glossary-index -->"
PYTHON_BLOCK = re.compile(r'<div class="language-(?:python|py|python3) highlight">')
MATH = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
ICONS = {"verified": "✓", "failing": "✗", "not run": "–"}

_state: dict[str, object] = {}
log = logging.getLogger("mkdocs.hooks.claims")


def _fail(exc: Exception) -> PluginError:
    return PluginError(str(exc))


def on_pre_build(config) -> None:
    """Read every page once; run the pages whose recorded results are stale (a failing claim renders
    as failing, it does not stop the build); structural errors of a page stop it with file and line."""
    try:
        pages = {page: Page.load(page) for page in all_pages(Path(config["docs_dir"]))}
        errors = [e for page in pages.values() for e in page.structural_problems()]
        unique_ids(page.claims.values() for page in pages.values())
    except PageError as exc:
        raise _fail(exc) from None
    if errors:
        raise PluginError("\n".join(errors))
    recorded = results.read()
    stale = [p for p in pages.values() if p.fences and not results.is_current(p, recorded.get(p.rel))]
    fresh = [results.run(page) for page in stale]
    if fresh:
        results.write(fresh, site=list(pages))
        recorded = results.read()
    for result in fresh:
        for message in result.failures.values():
            log.info("failing, and shown as failing on the page:\n%s", message)
    executed = {}
    for notebook in sorted(Path(config["docs_dir"]).rglob("*.ipynb")):
        try:
            executed[notebook.resolve()], failures = notebooks.executed_copy(notebook)
        except PageError as exc:
            raise _fail(exc) from None
        for message in failures.values():
            log.info("notebook cell failing (its error shows under the cell):\n%s", message)
    glossary = terms.load(glossary_pages(Path(config["config_file_path"])))
    if problems := unsafe_terms(glossary):
        raise PluginError("\n".join(problems))
    _state.update(pages=pages, results=recorded, terms=glossary, cuda=devices.read_record(), notebooks=executed)
    _state.update(repo_url=config["repo_url"] or "", glossary={t.page.resolve() for t in glossary}, built=build_date())


def on_files(files: Files, config) -> Files:
    """Add the pages' figures and Temml's stylesheet and small font; notebooks render from their executed copies."""
    for file in files:
        if file.abs_src_path and Path(file.abs_src_path).resolve() in _state["notebooks"]:
            file.abs_src_path = str(_state["notebooks"][Path(file.abs_src_path).resolve()])
    for name, path in results.figures().items():
        files.append(File.generated(config, f"figures/{name}", abs_src_path=str(path)))
    for page in _state["pages"].values():
        if snippet_of(page.path).is_file():
            script = snippet_of(page.path)
            files.append(File.generated(config, f"code/{script.name}", abs_src_path=str(script)))
    if not TEMML.is_dir():
        raise PluginError(f"{rel(TEMML)} is missing: run `npm ci` (the Makefile does) to install Temml")
    files.append(File.generated(config, "assets/temml/temml.css", abs_src_path=str(TEMML / "Temml-Local.css")))
    files.append(File.generated(config, "assets/temml/Temml.woff2", abs_src_path=str(TEMML / "Temml.woff2")))
    return files


def claim_result(page: Page, claim_id: str) -> ClaimResult:
    """The claim's result from the latest run of its page, or 'not run' when its code changed since."""
    recorded: PageResult | None = _state["results"].get(page.rel)
    found = recorded.claims.get(claim_id) if recorded else None
    if found is not None and found.claim_hash == page.claim_hash(claim_id):
        return found
    message = "no run since this claim or its code last changed" if found else "no run yet"
    return ClaimResult(claim_id, "not run", page.rel, "", "", message=message)


def describe(page: Page, result: ClaimResult) -> str:
    """One line of what a run established: devices (with provenance), and how many starts or seeds."""
    parts = []
    if result.devices is not None:
        recorded: PageResult = _state["results"][page.rel]
        parts.append(devices.describe(result, recorded.environment, recorded.when, _state["cuda"]))
    parts += [f"{value:,} {key}" for key, value in sorted(result.measures.items())]
    return " · ".join(parts)


def report_url(repo_url: str, page: Page, claim_id: str) -> str:
    """The claim issue form, opened with the page and the claim filled in (a plain link: nothing is fetched)."""
    query = urlencode(
        {
            "template": "claim.yml",
            "title": f"Claim {claim_id} on {page.path.name}",
            "page": f"{page.path.name}, claim {claim_id}",
        }
    )
    return f"{repo_url.rstrip('/')}/issues/new?{query}"


def render_claim(page: Page, claim: Claim, result: ClaimResult, statement: str) -> str:
    """The claim as the reader sees it: status, id, what the run measured, and the statement (values filled)."""
    status = result.status
    meta = describe(page, result) if status == "verified" else result.message.splitlines()[0] if result.message else ""
    slug = status.replace(" ", "-")
    return (
        f'<div class="claim claim--{slug}" id="claim-{claim.claim_id}" markdown="1">\n'
        f'<p class="claim__head"><span class="claim__status">{ICONS[status]} {status}</span> '
        f'<a class="claim__id" href="#claim-{claim.claim_id}">claim: {claim.claim_id}</a>'
        f"{f' <span class=claim__meta>{html.escape(meta)}</span>' if meta else ''}</p>\n\n"
        f"{statement}\n\n"
        f'<p class="claim__report"><a href="{html.escape(report_url(_state["repo_url"], page, claim.claim_id))}">'
        "report a problem with this claim</a></p>\n\n</div>\n"
    )


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Claims with their latest status, placeholders with the values the run computed, the claims table."""
    path = Path(page.file.abs_src_path).resolve()
    if path not in _state["pages"]:
        return markdown  # a notebook: mkdocs-jupyter renders it
    source = _state["pages"][path]
    values = results.page_values(source, _state["results"].get(source.rel)) | source.bench_values()[0]
    markdown = glue.fill(markdown, values, missing="(not computed)")
    lines = markdown.splitlines()
    for claim in sorted(source.claims.values(), key=lambda c: c.line, reverse=True):
        end = claim.line
        while end < len(lines) and (not lines[end].strip() or lines[end].startswith("    ")):
            end += 1
        statement = "\n".join(line[4:] for line in lines[claim.line : end]).strip()
        rendered = render_claim(source, claim, claim_result(source, claim.claim_id), statement)
        lines[claim.line - 1 : end] = rendered.splitlines() + [""]
    markdown = bench.expand("\n".join(lines) + "\n", source.rel)
    markdown = terms.link_terms(markdown, source.path, _state["terms"]) + download_note(source.path)
    if source.path in _state["glossary"]:
        markdown += cite_note(source, page, config)
    if CLAIMS_TABLE in markdown:
        markdown = markdown.replace(CLAIMS_TABLE, claims_table(page))
    if GLOSSARY_INDEX in markdown:
        markdown = markdown.replace(GLOSSARY_INDEX, terms.index(_state["terms"], source.path))
    return markdown


def build_date() -> str:
    """The date of the commit the site is built from (today's date outside a git checkout)."""
    done = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip() or datetime.date.today().isoformat()


def cite_note(source: Page, page, config) -> str:
    """'Cite this page' (plain text and BibTeX, with the page's URL and the build's date) and an edit link."""
    title = source.lines[0].removeprefix("# ").strip()
    url = (config["site_url"] or "/").rstrip("/") + "/" + page.url
    site, date = config["site_name"], _state["built"]
    key = "optimization-glossary-" + source.path.stem
    edit = f"{(config['repo_url'] or '').rstrip('/')}/{(config['edit_uri'] or '').strip('/')}/{source.path.name}"
    return (
        f'\n??? quote "Cite this page"\n'
        f"    The Optimization Glossary contributors. “{title}.” *{site}*, version of {date}. <{url}>\n\n"
        f"    ```bibtex\n"
        f"    @misc{{{key},\n"
        f"      author       = {{{{The Optimization Glossary contributors}}}},\n"
        f"      title        = {{{{{title}}}}},\n"
        f"      howpublished = {{{site}}},\n"
        f"      year         = {{{date[:4]}}},\n"
        f"      note         = {{Version of {date}}},\n"
        f"      url          = {{{url}}}\n"
        f"    }}\n"
        f"    ```\n\n"
        + (f"[Edit this page]({edit}) · " if config["repo_url"] else "")
        + "code under the MIT licence, text and figures under CC BY 4.0\n"
    )


def download_note(page: Path) -> str:
    """A link to the page's whole snippet file, runnable as a script (it also draws the figures)."""
    script = snippet_of(page)
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
    here = Path(page.file.abs_src_path).parent
    rows = ["| Status | Claim | Page | Measured |", "|---|---|---|---|"]
    counts = dict.fromkeys(ICONS, 0)
    blocks: list[Fence] = [f for p in _state["pages"].values() for f in p.fences]
    for source in _state["pages"].values():
        for cid, claim in source.claims.items():
            result = claim_result(source, cid)
            counts[result.status] += 1
            link = Path(claim.page).relative_to(here).as_posix()
            title = link.removesuffix(".md").replace("-", " ")
            measured = describe(source, result) if result.status == "verified" else result.message.splitlines()[0]
            rows.append(
                f"| {ICONS[result.status]} {result.status} | [`{cid}`]({link}#claim-{cid}) | {title} "
                f"| {html.escape(measured).replace('|', '&#124;')} |"
            )
    opted = [f for f in blocks if f.opted_out]
    summary = (
        f"**{sum(counts.values())} claims**: {counts['verified']} verified, {counts['failing']} failing, "
        f"{counts['not run']} not run. **{len(blocks)} Python blocks** on the site: "
        f"{len(blocks) - len(opted)} executed by the tests, {len(opted)} opted out"
    )
    summary += (": " + "; ".join(f"{f.where} ({f.attrs.get('reason', 'no reason')})" for f in opted)) if opted else "."
    return summary + "\n\n" + "\n".join(rows) + "\n"


def on_page_content(content: str, page, config, files) -> str:
    """Check the page shows exactly the Python blocks the tests ran, and mark opted-out ones."""
    path = Path(page.file.abs_src_path).resolve()
    fences = _state["pages"][path].fences if path in _state["pages"] else []
    shown = PYTHON_BLOCK.findall(content)
    if len(shown) != len(fences):
        raise PluginError(
            f"{rel(path)}: the built page shows {len(shown)} Python blocks but the tests found {len(fences)}; "
            "a fence is malformed or indented where Markdown does not see it"
        )
    content = _mark_opted_out(content, fences)
    if not page.file.src_path.endswith(".md"):
        return content
    return copy_buttons(lazy_figures(lighter_code(content))).replace(*NOT_SEARCHED)


# What a run printed stays out of the search index (numbers nobody searches for; the index is what
# the first search downloads).
NOT_SEARCHED = (
    '<div class="language-output highlight">',
    '<div class="language-output highlight" data-search-exclude>',
)


FIGURE = re.compile(r"<img (?![^>]*\bloading=)")


def lazy_figures(content: str) -> str:
    """Every figure after the first loads when it scrolls near: a first visit downloads what it shows."""
    parts = FIGURE.split(content)
    return parts[0] + "".join(
        ("<img " if i == 0 else '<img loading="lazy" ') + part for i, part in enumerate(parts[1:])
    )


# Pygments token spans for text drawn in the code's own colour: plain names (`n`, the theme's colour for
# them is the code colour), whitespace (`w`, no colour) and, with extra.css, operators and punctuation
# (`o`, `p`). Long pages carry thousands of them; each is an element to style and lay out on every load.
UNSTYLED_TOKEN = re.compile(r'<span class="[nwop]">([^<]*)</span>')


def lighter_code(content: str) -> str:
    """The same highlighted code with fewer elements: the spans of tokens drawn in the code colour removed
    (the text and every other token's colour stay as they were)."""
    return UNSTYLED_TOKEN.sub(r"\1", content)


CODE_BLOCK = re.compile(r'(<div class="language-([\w-]+) highlight">)<pre><span></span><code>')


def copy_buttons(content: str) -> str:
    """Each code block's copy button written into the page, as Material's content.code.copy would add it
    at load: Material's own clipboard handler (one listener for the document) copies the code on click, and
    no script has to insert 30 toolbars into a long page while it loads (~30 ms of main thread measured on
    saddle-point). Each toolbar is named for its block (several same-named landmarks confuse screen readers)."""
    count = itertools.count(1)

    def button(match: re.Match) -> str:
        n = next(count)
        return (
            f'{match[1]}<pre><span></span><nav class="md-code__nav" aria-label="Code block {n} ({match[2]}) tools">'
            f'<button class="md-code__button" title="Copy to clipboard" data-clipboard-target="#code-{n}" '
            f'data-md-type="copy"></button></nav><code id="code-{n}">'
        )

    return CODE_BLOCK.sub(button, content)


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
    return content_security_policy(typeset(output, rel(Path(page.file.abs_src_path))))


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'none'"
)


def content_security_policy(output: str) -> str:
    """A Content-Security-Policy that lets the page run only its own files and its own inline scripts (by
    hash): script injected through content would not run, and nothing loads from another host."""
    hashes = sorted({_sha256(body) for body in INLINE_SCRIPT.findall(output)})
    policy = CSP.format(hashes=" ".join(f"'sha256-{h}'" for h in hashes))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return output.replace("<head>", f"<head>\n    {meta}", 1)


def _sha256(text: str) -> str:
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


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
    """Render every arithmatex span as native MathML (Temml) at build time: no math script, CSS tree or web
    font in the reader's browser; the TeX stays in each formula's annotation."""
    found = MATH.findall(content)
    if not found:
        return content
    items = []
    for tag, body in found:
        items.append([html.unescape(body).strip(), tag == "div"])
    done = subprocess.run(
        ["node", str(ROOT / "pipeline" / "math_render.cjs")],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise PluginError(f"{where}: Temml failed: {done.stderr.strip()}")
    rendered = iter(json.loads(done.stdout))

    def swap(match: re.Match) -> str:
        item = next(rendered)
        if "error" in item:
            raise PluginError(f"{where}: cannot typeset {html.unescape(match.group(2))!r}: {item['error']}")
        return item["html"] if match.group(1) == "span" else f'<div class="math-display">{item["html"]}</div>'

    return MATH.sub(swap, content)
