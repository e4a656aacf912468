"""Device provenance: what a claim ran on, and CUDA shown only from a real, current GPU run."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import devices
from pipeline.results import ClaimResult

ENVIRONMENT = {"torch": "2.13.0+cpu", "devices": {"cpu": "Some CPU"}}


def claim(ran_on: list[str], claim_hash: str = "abc") -> ClaimResult:
    return ClaimResult("c", "verified", "docs/p.md", "snippets/p.py:3", claim_hash, devices=ran_on)


def test_a_cpu_run_never_reads_as_a_cuda_pass() -> None:
    text = devices.describe(claim(["cpu"]), ENVIRONMENT, "2026-11-29", {})
    assert text == "ran on cpu (Some CPU), torch 2.13.0+cpu, 2026-11-29 · CUDA: never run (no GPU in any recorded run)"


def test_a_recorded_gpu_run_counts_only_while_the_code_is_unchanged() -> None:
    record = {"c": {"claim_hash": "abc", "device": "NVIDIA H200", "torch": "2.13.0+cu130", "date": "2026-11-01"}}
    current = devices.describe(claim(["cpu"]), ENVIRONMENT, "2026-11-29", record)
    assert current.endswith("verified on CUDA (NVIDIA H200, torch 2.13.0+cu130, 2026-11-01)")
    stale = devices.describe(claim(["cpu"], claim_hash="changed"), ENVIRONMENT, "2026-11-29", record)
    assert stale.endswith("CUDA: not run since the code changed (last on NVIDIA H200, 2026-11-01)")


def test_the_record_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cuda.json"
    path.write_text(json.dumps({"claims": {"c": {"claim_hash": "abc"}}}))
    assert devices.read_record(path) == {"c": {"claim_hash": "abc"}}
    assert devices.read_record(tmp_path / "missing.json") == {}
