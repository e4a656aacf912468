"""Where a claim's code ran: this run's devices, and the committed record of runs on a CUDA GPU.

A machine without a GPU runs the CUDA cases as skipped, never passed. When a session has a GPU,
``make device-record`` runs every page there and writes ``records/cuda.json``: for each claim that
ran on CUDA, the hash of its statement and code, the GPU's name, the torch version and the date.
The site shows "verified on CUDA (...)" for a claim whose hash still matches that record, and says
so plainly when the code changed since or CUDA never ran it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipeline.fences import ROOT

RECORD = ROOT / "records" / "cuda.json"


def read_record(path: Path = RECORD) -> dict[str, dict[str, str]]:
    """Claim id -> {claim_hash, device, torch, date} of its latest run on CUDA."""
    try:
        return json.loads(path.read_text())["claims"]
    except (OSError, ValueError, KeyError):
        return {}


def describe(result, environment: dict, when: str, record: dict[str, dict[str, str]]) -> str:
    """'ran on cpu (x86_64), torch 2.13.0, 2026-11-29 · cuda: ...' for a claim with device cases."""
    names = environment.get("devices", {})
    torch = environment.get("torch", "?")
    ran = [f"{d} ({names.get(d, '?')})" for d in result.devices or []]
    text = f"ran on {', '.join(ran)}, torch {torch}, {when}"
    if "cuda" in (result.devices or []):
        return text
    cuda = record.get(result.claim_id)
    if cuda is None:
        return text + " · CUDA: never run (no GPU in any recorded run)"
    if cuda["claim_hash"] != result.claim_hash:
        return text + f" · CUDA: not run since the code changed (last on {cuda['device']}, {cuda['date']})"
    return text + f" · verified on CUDA ({cuda['device']}, torch {cuda['torch']}, {cuda['date']})"


def write_record() -> int:
    """Run every page on this machine's GPU and record the claims verified on CUDA; refuse without one."""
    import torch

    from pipeline import results
    from pipeline.pages import Page, all_pages

    if not torch.cuda.is_available():
        print("no CUDA device here: nothing recorded (the record keeps only real GPU runs)", file=sys.stderr)
        return 1
    from concurrent.futures import ThreadPoolExecutor

    record = read_record()
    pages = [p for p in (Page.load(path) for path in all_pages()) if p.fences]
    with ThreadPoolExecutor(max_workers=8) as pool:  # each page runs in its own child process
        runs = list(pool.map(results.run, pages))
    for result in runs:
        for message in result.failures.values():
            print(f"not verified on this machine:\n{message}\n", file=sys.stderr)
        for claim in result.claims.values():
            if claim.status == "verified" and "cuda" in (claim.devices or []):
                device = result.environment.get("devices", {}).get("cuda", "?")
                record[claim.claim_id] = {
                    "claim_hash": claim.claim_hash,
                    "device": device,
                    "torch": str(result.environment.get("torch")),
                    "date": result.when,
                }
    on_site = {cid for page in pages for cid in page.claims}
    record = {cid: entry for cid, entry in record.items() if cid in on_site}  # claims no longer on the site go
    RECORD.parent.mkdir(exist_ok=True)
    RECORD.write_text(json.dumps({"claims": record}, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(record)} claims verified on CUDA in {RECORD.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(write_record())
