"""Lighthouse and page weight for every page of the built site: the table in the README's audit.

    make audit        (installs Lighthouse from npm the first time; needs the built site/)

Serves site/ on loopback with gzip (pipeline.serve), runs Lighthouse's default mobile audit in
Debian's Chromium on each page, and prints one Markdown row per page.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from pipeline import serve
from pipeline.fences import ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def pages(site: Path) -> list[str]:
    """URL paths of every page in the built site."""
    found = sorted(p.parent.relative_to(site).as_posix() for p in site.rglob("index.html"))
    return ["" if p == "." else f"{p}/" for p in found if not p.startswith(("assets", "search"))]


def audit(url: str, out: Path) -> dict:
    """One Lighthouse run: the four category scores (0-100) and the bytes a first visit downloads."""
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--chrome-flags={FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
        ],
        check=True,
        env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin"},
    )
    report = json.loads(out.read_text())
    row = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    row["bytes"] = int(report["audits"]["total-byte-weight"]["numericValue"])
    return row


def main() -> int:
    site = ROOT / "site"
    if not (site / "index.html").is_file():
        print("site/ is not built: run `make build` first", file=sys.stderr)
        return 1
    server, base = serve.start(site)
    print("| page | performance | accessibility | best practices | SEO | first-visit KB |")
    print("|---|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        for path in pages(site):
            row = audit(base + path, Path(scratch) / "report.json")
            scores = " | ".join(str(row[c]) for c in CATEGORIES)
            print(f"| /{path} | {scores} | {row['bytes'] / 1000:.0f} |", flush=True)
    server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
