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


def test_fairness_claim_fails_if_the_effective_step_is_not_matched() -> None:
    """Momentum given GD's step instead of lr (1 - beta) escapes from x0 = 2: claim momentum-fair fails."""
    break_claim(
        PAGE,
        "momentum-fair",
        '"momentum, step lr (1 - beta)": (lr * (1 - beta), beta)',
        '"momentum, step lr (1 - beta)": (lr, beta)',
    )


def test_basin_claim_fails_with_a_step_too_large_for_order() -> None:
    """With a step where lr f'' exceeds one the order argument no longer holds: claim gd-basins fails."""
    break_claim(PAGE, "gd-basins", "lr, beta, steps, margin = 0.01,", "lr, beta, steps, margin = 0.02,")


def test_adam_claim_fails_when_adam_is_gradient_descent() -> None:
    """Replacing the large-step Adam runs by SGD breaks claim adam-step-size."""
    break_claim(
        PAGE,
        "adam-step-size",
        "final_points(torch.optim.Adam, starts, lr=lr) for lr",
        "final_points(torch.optim.SGD, starts, lr=lr / 100) for lr",
    )
