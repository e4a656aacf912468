"""Tests of docs/momentum.md beyond its own blocks: bad input to its helpers, every device, a claim broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "momentum.md"


@pytest.fixture(scope="module")
def velocity() -> dict:
    return run_section("momentum", "velocity")


@pytest.fixture(scope="module")
def forms() -> dict:
    return run_section("momentum", "forms")


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_helpers_reject_a_step_size_that_is_not_positive(velocity: dict, forms: dict, lr: float) -> None:
    grads, curv, x0 = np.ones((5, 2)), np.array([1.0, 2.0]), np.ones(2)
    with pytest.raises(ValueError, match=r"lr must be a finite positive step size, got lr="):
        velocity["momentum_moves"](grads, lr=lr, beta=0.5)
    for helper in ["heavy_ball", "nesterov"]:
        with pytest.raises(ValueError, match=r"lr must be a finite positive step size, got lr="):
            forms[helper](curv, x0, lr=lr, beta=0.5, steps=3)
    with pytest.raises(ValueError, match=r"lr must be a finite positive step size, got lr="):
        forms["buffer_form"](curv, x0, lr=lr, beta=0.5, steps=3, lookahead=True)


@pytest.mark.parametrize("beta", [1.0, -0.1, 1.5, float("nan")])
def test_helpers_reject_a_momentum_outside_zero_one(velocity: dict, forms: dict, beta: float) -> None:
    grads, curv, x0 = np.ones((5, 2)), np.array([1.0, 2.0]), np.ones(2)
    with pytest.raises(ValueError, match=rf"beta must lie in \[0, 1\), got beta={beta}"):
        velocity["momentum_moves"](grads, lr=0.1, beta=beta)
    for helper in ["heavy_ball", "nesterov"]:
        with pytest.raises(ValueError, match=rf"beta must lie in \[0, 1\), got beta={beta}"):
            forms[helper](curv, x0, lr=0.1, beta=beta, steps=3)


def test_torch_velocity_on_device(device: str) -> None:
    """Claim momentum-velocity-torch on each device: the move grows to lr |g| / (1 - beta)."""
    ns = run_section("momentum", "velocity-torch")
    slopes = torch.tensor([0.5, -2.0], dtype=torch.float64, device=device)
    speed = ns["torch_speeds"](slopes, lr=0.1, beta=0.9, steps=50)
    expected = (1 - 0.9 ** np.arange(1, 51)) / 0.1
    assert np.allclose(speed, expected[:, None], rtol=1e-12, atol=0)


def test_torch_sgd_follows_the_paper_forms_on_device(device: str) -> None:
    """Claim momentum-forms-torch on each device: heavy ball and Nesterov's look-ahead points."""
    ns = run_section("momentum", "forms-torch")
    curv, x0 = np.array([1.0, 10.0, 50.0]), np.array([1.0, -0.5, 0.25])
    polyak, lookahead = ns["paper_forms"](curv, x0, lr=0.01, beta=0.9, steps=100)
    c, start = torch.tensor(curv, device=device), torch.tensor(x0, device=device)
    assert np.abs(ns["torch_path"](c, start, 0.01, 0.9, 100, nesterov=False) - polyak).max() < 1e-12
    assert np.abs(ns["torch_path"](c, start, 0.01, 0.9, 100, nesterov=True) - lookahead).max() < 1e-12


def test_torch_lr_drop_on_device(device: str) -> None:
    """Claim momentum-lr-drop on each device: torch's move shrinks with the lr at once."""
    ns = run_section("momentum", "lr-drop")
    lrs = np.r_[np.full(60, 0.1), np.full(5, 0.01)]
    moves = ns["torch_moves"](2.0, lrs, 0.9, device)
    assert np.allclose(moves, ns["moves_pytorch_form"](2.0, lrs, 0.9), rtol=1e-12)
    assert abs(moves[60] / moves[59] - 0.1) < 1e-2


def test_forms_claim_fails_when_torch_runs_the_other_method() -> None:
    """Swapping heavy ball and Nesterov in the PyTorch tab breaks claim momentum-forms-torch."""
    break_claim(PAGE, "momentum-forms-torch", "nesterov=True)", "nesterov=False)")
