"""Tests of docs/local-minimum.md beyond its own blocks: every device, and the claim failing when broken."""

from __future__ import annotations

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "local-minimum.md"


def test_torch_follows_numpy_on_device(device: str) -> None:
    """Claim torch-matches-numpy on each device; CUDA reports as skipped where there is no GPU."""
    ns = run_section("local_minimum", "torch")
    path = ns["torch_momentum_path"](2.0, lr=0.01, beta=0.9, steps=300, device=device)
    reference = ns["numpy_momentum_path"](2.0, lr=0.01, beta=0.9, steps=300)
    assert abs(path - reference).max() < 1e-10
    assert abs(path[-1] - (-1.3008)) < 1e-3


def test_flagship_claim_fails_when_momentum_is_removed() -> None:
    """Setting momentum to 0 breaks claim momentum-escapes; the failure names page, claim and line."""
    break_claim(PAGE, "momentum-escapes", ", 0.9, 500", ", 0.0, 500")
