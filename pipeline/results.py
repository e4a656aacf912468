"""What a run of a page established, judged once, stored in one file, rendered by the build.

A claim is **verified** only when all of this held in the run:

- its block completed, and so did every block it continues;
- what those blocks printed matches the ``output`` fences under them;
- every assert bound to the claim ran at least once (an assert in a loop that never ran, or in a
  function never called, is a failure naming its line);
- every placeholder in its statement took a value from the run (and every definition matched).

Otherwise it is **failing**, with a message naming the page, the claim, the code line and the values.
The results of a run live in ``.cache/results.json`` with the figures beside it; a result counts only
while the page's text and code hash to what was run.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.fences import ROOT, Fence, rel
from pipeline.pages import Page, all_pages
from pipeline.runner import Outcome, PageRun, run_page

CACHE = Path(os.environ.get("PIPELINE_CACHE", ROOT / ".cache"))  # tests of the pipeline point it elsewhere
RESULTS_FILE = CACHE / "results.json"
FIGURES = CACHE / "figures"
STATUSES = ("verified", "failing", "not run")


@dataclass
class ClaimResult:
    """What a run found for one claim."""

    claim_id: str
    status: str
    page: str
    code_at: str  # file:line of its marker
    claim_hash: str
    message: str = ""
    measures: dict[str, object] = field(default_factory=dict)
    devices: list[str] | None = None  # devices its code ran on, e.g. ["cpu"]


@dataclass
class PageResult:
    """What a run of one page found: claims, block failures, the values its text shows, its figures."""

    page: str
    run_hash: str
    claims: dict[str, ClaimResult]
    failures: dict[str, str]  # block key (page line) -> message; empty when every block held
    values: dict[str, dict[str, str]]  # block key -> {placeholder as written -> value shown}
    environment: dict[str, object]
    figures: dict[str, str] = field(default_factory=dict)  # name -> base64; written to FIGURES, not the file
    when: str = ""
    printed: dict[str, str] = field(default_factory=dict)  # block key -> what it printed
    seconds: dict[str, float] = field(default_factory=dict)  # block key -> wall-clock time of its run


# --- judging ----------------------------------------------------------------------------------------------


def output_difference(fence: Fence, printed: str) -> str:
    """Why the printed output differs from the page's ``output`` fence, or '' when it matches."""
    shown = fence.output
    if shown is None:
        return (
            f"the block prints but the page shows no ```output fence under it; add one:\n{printed}"
            if (printed.strip())
            else ""
        )
    if [s.rstrip() for s in shown.strip().splitlines()] == [s.rstrip() for s in printed.strip().splitlines()]:
        return ""
    return (
        "the output shown on the page differs from what the block prints\n"
        f"--- shown on the page\n{shown.rstrip()}\n--- printed\n{printed.rstrip()}\n"
        "(run `make page PAGE=<page> UPDATE=1` to write the printed output into the page)"
    )


def _owner(fence: Fence, line: int | None) -> str | None:
    """The claim whose bound assert (or region) holds `line`."""
    for marker in fence.claims:
        if line in marker.asserts:
            return marker.claim_id
    above = [m for m in fence.claims if line is not None and m.line <= line]
    return max(above, key=lambda m: m.line).claim_id if above else None


def _block_problem(page: Page, fence: Fence, outcome: Outcome, check_output: bool = True) -> str:
    """Why a block did not hold ('' when it did): its error, its printed output, its placeholders."""
    if outcome.status != "passed":
        at = f"\n  at {rel(Path(fence.origin))}:{outcome.error_line}" if outcome.error_line else ""
        printed = f"\n  it printed:\n{_indent(outcome.printed)}" if outcome.printed.strip() else ""
        trace = f"\n  traceback:\n{_indent(outcome.traceback)}" if outcome.traceback.strip() else ""
        return f"{outcome.error}{at}{printed}{trace}"
    problems = [output_difference(fence, outcome.printed) if check_output else ""]
    block_at = f"{rel(Path(fence.origin))}:{fence.origin_line}"
    problems += [f"{text}: {error} (block code at {block_at})" for text, error in outcome.value_errors.items()]
    return "\n".join(p for p in problems if p)


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.rstrip().splitlines())


def judge(page: Page, run: PageRun, check_output: bool = True) -> PageResult:
    """Turn a run's block outcomes into claim statuses and the values the page shows.

    With ``check_output=False`` a block's printed output is not compared with the page's: the claims as
    they would stand if what the run printed were pasted under the blocks (how a break test tells an edit
    its asserts catch from one that only changes what a block prints).
    """
    outcomes = run.outcomes
    ran = [f for f in page.fences if str(f.line) in outcomes]
    problems = {f.line: _block_problem(page, f, outcomes[str(f.line)], check_output) for f in ran}
    claims = {}
    for claim_id in page.claims:
        claims[claim_id] = _judge_claim(page, claim_id, outcomes, problems, run.environment)
    failures = {}
    for fence in page.fences:
        if problems.get(fence.line):
            named = [c for c in claims.values() if c.status == "failing" and page.fence_of(c.claim_id) is fence]
            head = f"{page.rel}:{fence.line}: code block failed"
            failures[str(fence.line)] = "\n".join([head, *(_claim_line(page, c) for c in named), problems[fence.line]])
    for claim in claims.values():  # a claim can fail in a block that itself completed (an assert never ran)
        fence = page.fence_of(claim.claim_id)
        if claim.status == "failing" and fence is not None and str(fence.line) not in failures:
            failures[str(fence.line)] = f"{page.rel}:{fence.line}: {_claim_line(page, claim)}\n  {claim.message}"
    values = {key: o.values for key, o in outcomes.items() if o.values}
    figures = {name: data for o in outcomes.values() for name, data in o.figures.items()}
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d")
    printed = {key: o.printed for key, o in outcomes.items() if o.status == "passed"}
    seconds = {key: round(o.seconds, 3) for key, o in outcomes.items()}
    return PageResult(
        page.rel, page.run_hash, claims, failures, values, run.environment, figures, when, printed, seconds
    )


def _claim_line(page: Page, result: ClaimResult) -> str:
    claim = page.claims[result.claim_id]
    return f"  claim '{claim.claim_id}' ({claim.where}) is not verified: {' '.join(claim.text.split())}"


def _judge_claim(page: Page, claim_id: str, outcomes: dict[str, Outcome], problems, environment) -> ClaimResult:
    fence = page.fence_of(claim_id)
    marker = next(m for m in fence.claims if m.claim_id == claim_id) if fence else None
    code_at = f"{rel(Path(fence.origin))}:{marker.line}" if fence and marker else ""
    result = ClaimResult(claim_id, "failing", page.rel, code_at, page.claim_hash(claim_id))
    if fence is None:
        result.message = "no block of the page is bound to it"
        return result
    for block in page.chain(fence):
        outcome = outcomes.get(str(block.line))
        if outcome is None:
            result.message = f"its block at {page.rel}:{block.line} did not run"
            return result
        if problems.get(block.line):
            blamed = _owner(fence, outcome.error_line) if block is fence else None
            what = "its block" if block is fence else f"the block it continues ({page.rel}:{block.line})"
            if block is fence and blamed not in (None, claim_id):
                result.message = f"{what} failed at another claim ('{blamed}') before its asserts finished"
            else:
                result.message = f"{what} failed: {problems[block.line]}"
            return result
    outcome = outcomes[str(fence.line)]
    for marker in (m for m in fence.claims if m.claim_id == claim_id):
        never = [line for line in marker.asserts if not outcome.hits.get(line)]
        if never:
            result.message = "its assert at " + ", ".join(f"{rel(Path(fence.origin))}:{n}" for n in never)
            result.message += " never ran (in a loop with nothing to loop over, or a function never called)"
            return result
    statement = [p for p in page.placeholders if p.claim_id == claim_id]
    missing = [p.text for p in statement if p.text not in outcome.values]
    if missing:
        result.message = f"its statement's values did not come from the run: {', '.join(missing)}"
        return result
    result.status = "verified"
    result.measures = {k: v for k, v in outcome.measures.get(claim_id, {}).items() if k != "devices"}
    devices = outcome.measures.get(claim_id, {}).get("devices")
    result.devices = list(devices) if isinstance(devices, list) else None
    return result


def run(page: Page, fences: list[Fence] | None = None, coverage_data: str | None = None) -> PageResult:
    """Run a page's blocks (or the given replacements of them) and judge the outcome."""
    return judge(page, run_page(page.blocks(fences), coverage_data))


# --- the results file -------------------------------------------------------------------------------------


def read(path: Path = RESULTS_FILE) -> dict[str, PageResult]:
    """Every page's latest result by page path; an unreadable file is treated as no results."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    found = {}
    for key, entry in data.get("pages", {}).items():
        try:
            entry["claims"] = {cid: ClaimResult(**c) for cid, c in entry["claims"].items()}
            found[key] = PageResult(**entry)
        except (TypeError, KeyError):
            continue  # written by an older pipeline: that page simply runs again
    return found


def write(new: list[PageResult], site: list[Path] | None = None, path: Path = RESULTS_FILE) -> None:
    """Merge new page results into the file, dropping pages and claims no longer on the site."""
    known = read(path)
    on_site = {rel(p): p for p in (all_pages() if site is None else site)}
    for result in new:
        known[result.page] = result
        folder = FIGURES / Path(result.page).stem
        shutil.rmtree(folder, ignore_errors=True)
        if result.figures:
            folder.mkdir(parents=True)
            for name, data in result.figures.items():
                (folder / name).write_bytes(base64.b64decode(data))
    kept = {}
    for key, result in sorted(known.items()):
        if key in on_site:
            claims = Page.load(on_site[key]).claims
            result.claims = {cid: c for cid, c in result.claims.items() if cid in claims}
            kept[key] = {**asdict(result), "figures": {}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"pages": kept}, indent=1, sort_keys=True, default=str) + "\n")


def page_values(page: Page, result: PageResult | None) -> dict[tuple[int, str], str]:
    """(page line, placeholder text) -> the value its block computed, for every placeholder that has one."""
    found = {}
    for placeholder in page.placeholders if result else []:
        block = result.values.get(str(page.placeholder_fence(placeholder).line), {})
        if placeholder.text in block:
            found[(placeholder.line, placeholder.text)] = block[placeholder.text]
    return found


def is_current(page: Page, result: PageResult | None) -> bool:
    return result is not None and result.run_hash == page.run_hash


def figures() -> dict[str, Path]:
    """Every figure the page runs saved, by file name (names must be unique across the site)."""
    found: dict[str, Path] = {}
    for path in sorted(FIGURES.glob("*/*")):
        if path.name in found:
            raise RuntimeError(f"figure {path.name} is saved by two pages: {rel(found[path.name])}, {rel(path)}")
        found[path.name] = path
    return found


def main(argv: list[str]) -> int:
    """``python -m pipeline.results docs/x.md``: the page as a reader reads it, numbers filled from a run
    of its current code (run now if the recorded one is stale), each claim with its status."""
    from pipeline import bench
    from pipeline.glue import fill

    for name in argv:
        page = Page.load(Path(name))
        recorded = read().get(page.rel)
        if not is_current(page, recorded):
            recorded = run(page)
            write([recorded])
        values = page_values(page, recorded) | page.bench_values()[0]
        text = bench.expand(fill(page.text, values, missing="(not computed)"), page.rel)
        for claim_id, claim in recorded.claims.items():
            note = f" ({claim.message.splitlines()[0]})" if claim.message else ""
            text = text.replace(f'!!! claim "{claim_id}"', f'!!! claim "{claim_id}" [{claim.status}{note}]')
        print(text)
    return 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
