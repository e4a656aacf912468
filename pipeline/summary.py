"""What a pull request does to the site, for its reviewer: claims added, changed, removed and failing, and the
weight of the pages it changed. CI writes it to the run's summary page, beside the built site as an artifact.

    python -m pipeline.summary --base <commit>      (after `make test`, which records the results)
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from pipeline import results
from pipeline.fences import ROOT
from pipeline.pages import Page, all_pages

WEIGHT_BUDGET = 400_000  # bytes a first visit of a page without figures may download (README)
WEIGHTS = ROOT / "benchmarks" / "results" / "page_weights.json"  # the last recorded weights on main


def claim_hashes(docs: Path) -> dict[str, tuple[str, str]]:
    """Claim id -> (page file name, hash of its statement and code) for every page under `docs`."""
    found = {}
    for path in all_pages(docs):
        page = Page.load(path)
        for claim_id in page.claims:
            found[claim_id] = (path.name, page.claim_hash(claim_id))
    return found


def tree_at(commit: str, folder: Path) -> Path:
    """docs/ and snippets/ as they were at `commit`, unpacked into `folder`."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, "docs", "snippets"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "docs"


def compare(base: dict[str, tuple[str, str]], head: dict[str, tuple[str, str]]) -> dict[str, list[str]]:
    return {
        "added": sorted(set(head) - set(base)),
        "removed": sorted(set(base) - set(head)),
        "changed": sorted(c for c in set(head) & set(base) if head[c][1] != base[c][1]),
    }


def page_weight(site: Path, page_name: str) -> int:
    """Gzipped bytes of a built page's HTML and the figures it shows (what a first visit adds to the theme)."""
    folder = site / Path(page_name).stem
    html = folder / "index.html"
    if not html.is_file():
        return 0
    text = html.read_bytes()
    figures = [site / "figures" / name.decode() for name in set(_figure_names(text))]
    return len(gzip.compress(text)) + sum(len(gzip.compress(f.read_bytes())) for f in figures if f.is_file())


def _figure_names(html: bytes) -> list[bytes]:
    import re

    return re.findall(rb'src="[^"]*figures/([^"/]+)"', html)


def weights(site: Path = ROOT / "site") -> dict[str, int]:
    """Every Markdown page's first-visit weight in the built site, by page file name."""
    return {p.name: page_weight(site, p.name) for p in all_pages(ROOT / "docs") if page_weight(site, p.name)}


def report(base_commit: str, site: Path = ROOT / "site") -> str:
    head = claim_hashes(ROOT / "docs")
    with tempfile.TemporaryDirectory() as folder:
        base = claim_hashes(tree_at(base_commit, Path(folder)))
    diff = compare(base, head)
    recorded = results.read()
    status = {cid: c for r in recorded.values() for cid, c in r.claims.items()}
    failing = sorted(cid for cid in head if cid not in status or status[cid].status != "verified")
    lines = [f"## Claims: {len(head)} on the site ({len(head) - len(failing)} verified in this run)", ""]
    for what in ("added", "changed", "removed"):
        ids = diff[what]
        lines.append(
            f"- **{what}** ({len(ids)}): " + (", ".join(f"`{c}` ({(head | base)[c][0]})" for c in ids) or "none")
        )
    lines.append(f"- **not verified** ({len(failing)}): " + (", ".join(f"`{c}`" for c in failing) or "none"))
    before = json.loads(WEIGHTS.read_text()) if WEIGHTS.is_file() else {}
    now = weights(site)
    heavier = sorted(name for name, weight in now.items() if weight > before.get(name, weight) * 1.05)
    lines += ["", "## Page weight (gzipped HTML and figures), against the record on main", ""]
    lines.append(f"Pages more than 5% heavier: {', '.join(heavier) or 'none'}.")
    touched = sorted({head[c][0] for c in diff["added"] + diff["changed"]} | set(heavier))
    if touched:
        lines += ["", "| page | bytes | recorded on main | budget |", "|---|---:|---:|---|"]
        for name in touched:
            weight, old = now.get(name, 0), before.get(name)
            recorded = f"{old:,}" if old is not None else "new"
            lines.append(
                f"| {name} | {weight:,} | {recorded} | {'over' if weight > WEIGHT_BUDGET else 'within'} 400 KB |"
            )
    lines += ["", "Lighthouse is not run in CI (`make audit` measures the pages locally); weight is its proxy here."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", help="the commit the pull request is compared with")
    parser.add_argument("--record", action="store_true", help="record the built site's page weights (on main)")
    args = parser.parse_args(argv)
    if args.record:
        WEIGHTS.write_text(json.dumps(weights(), indent=1, sort_keys=True) + "\n")
        print(f"recorded {WEIGHTS.relative_to(ROOT)}")
    if args.base:
        print(report(args.base))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
