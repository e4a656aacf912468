"""Tests of docs/learning-rate-schedule.md beyond its own blocks: bad input, every device, claims broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "learning-rate-schedule.md"


@pytest.fixture(scope="module")
def formulas() -> dict:
    return run_section("learning_rate_schedule", "formulas")


def test_helpers_reject_bad_step_counts(formulas: dict) -> None:
    t = np.arange(5)
    with pytest.raises(ValueError, match=r"step_size must be a positive number of steps, got step_size=0"):
        formulas["step_decay"](t, 0.1, 0, 0.5)
    with pytest.raises(ValueError, match=r"t_max must be a positive number of steps, got t_max=0"):
        formulas["cosine"](t, 0.1, 0)
    with pytest.raises(ValueError, match=r"warmup must be >= 1 and start in \(0, 1\], got warmup=0"):
        formulas["linear_warmup"](t, 0.1, 0, 0.1)
    with pytest.raises(ValueError, match=r"got warmup=5, start=1.5"):
        formulas["linear_warmup"](t, 0.1, 5, 1.5)


def test_formulas_at_their_landmarks(formulas: dict) -> None:
    """Cosine: lr at 0, half at T/2, lr_min at T; warm-up: start * lr at 0, lr from W on; step: gamma per block."""
    assert np.allclose(formulas["cosine"](np.array([0, 50, 100]), 0.4, 100, 0.1), [0.4, 0.25, 0.1], rtol=1e-15)
    assert np.allclose(formulas["linear_warmup"](np.array([0, 5, 10, 20]), 0.4, 10, 0.1), [0.04, 0.22, 0.4, 0.4])
    assert np.allclose(formulas["step_decay"](np.array([0, 9, 10, 25]), 1.0, 10, 0.1), [1, 1, 0.1, 0.01])


def test_torch_schedulers_on_device(formulas: dict, device: str) -> None:
    """Claim lrs-torch on each device: the rate and the iterates of SGD driven by StepLR."""
    curv = torch.tensor([0.1, 0.3], dtype=torch.float64, device=device)
    make = lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=7, gamma=0.3)  # noqa: E731
    used, path = formulas["torch_run"](make, 0.5, curv, 30)
    rates = formulas["step_decay"](np.arange(30), 0.5, 7, 0.3)
    assert np.allclose(used, rates, rtol=1e-14)
    assert np.allclose(path, np.cumprod(1 - rates[:, None] * curv.cpu().numpy(), axis=0), rtol=1e-12)


def test_cosine_past_t_max_on_device(device: str) -> None:
    """Claim lrs-cosine-past-tmax on each device: the rate rises after T_max."""
    ns = run_section("learning_rate_schedule", "past-tmax")
    used = ns["torch_cosine_rates"](1.0, 10, 21, device)
    assert used[10] < 1e-12 and np.all(np.diff(used[10:]) > 0) and abs(used[20] - 1) < 1e-12


def test_expected_loss_matches_a_hand_computation() -> None:
    ns = run_section("learning_rate_schedule", "decay-wins")
    rates, curv = np.array([[0.5, 0.25]]), np.array([1.0, 2.0])
    m1 = (1 - 0.5 * curv) ** 2 * 4 + 0.25  # x0 = 2, sigma = 1
    m2 = (1 - 0.25 * curv) ** 2 * m1 + 0.0625
    assert np.isclose(ns["expected_loss"](rates, curv, 1.0, 2.0)[0], 0.5 * (curv * m2).sum(), rtol=1e-15)


def test_torch_claim_fails_with_a_wrong_step_size() -> None:
    """StepLR decaying every 50 steps is not the formula's every 60."""
    break_claim(PAGE, "lrs-torch", "StepLR(o, step_size=step_size,", "StepLR(o, step_size=50,")


def test_torch_claim_fails_when_the_cosine_has_a_floor() -> None:
    """A CosineAnnealingLR with eta_min > 0 is not the formula with lr_min = 0."""
    break_claim(
        PAGE, "lrs-torch", "CosineAnnealingLR(o, T_max=steps)", "CosineAnnealingLR(o, T_max=steps, eta_min=0.01)"
    )


def test_decay_claim_fails_when_the_constant_gets_the_best_schedule() -> None:
    """If the 'constant' were cosine, the decaying schedules would not beat it."""
    break_claim(
        PAGE,
        "lrs-decay-beats-constant",
        '"constant": p + 0 * t,',
        '"constant": p * (1 + np.cos(math.pi * t / steps)) / 2,',
    )


def test_decay_claim_fails_without_noise() -> None:
    """Without gradient noise there is no floor, and the largest stable constant rate wins."""
    break_claim(
        PAGE,
        "lrs-decay-beats-constant",
        "np.geomspace(0.05, 1.0, 4), 1.0, 4.0, 400",
        "np.geomspace(0.05, 1.0, 4), 0.0, 4.0, 400",
    )


def test_exact_recursion_claim_fails_with_a_wrong_noise_term() -> None:
    """Dropping the square on lr in the noise term makes the recursion disagree with the simulation."""
    break_claim(
        PAGE,
        "lrs-exact-recursion",
        "m = (1 - lr[:, None] * curv) ** 2 * m + (lr[:, None] * sigma) ** 2",
        "m = (1 - lr[:, None] * curv) ** 2 * m + lr[:, None] * sigma**2 / 4",
    )


@pytest.mark.parametrize("factor", ["0.95", "1.05"])
def test_exact_recursion_claim_fails_with_a_noise_term_off_by_five_percent(factor: str) -> None:
    """A recursion whose noise term is 5% too small or too large is caught by the simulation."""
    break_claim(
        PAGE,
        "lrs-exact-recursion",
        "m = (1 - lr[:, None] * curv) ** 2 * m + (lr[:, None] * sigma) ** 2",
        f"m = (1 - lr[:, None] * curv) ** 2 * m + {factor} * (lr[:, None] * sigma) ** 2",
    )


def test_robbins_monro_claim_fails_when_2a_lambda_is_below_one() -> None:
    """With a = lr0 t0 = 0.4 (2 a lambda < 1) the loss falls more slowly than 1/t."""
    break_claim(
        PAGE,
        "lrs-robbins-monro",
        "steps, lr0, t0 = 1.0, 1.0, 4.0, 100_000, 0.5, 10.0",
        "steps, lr0, t0 = 1.0, 1.0, 4.0, 100_000, 0.04, 10.0",
    )


def test_cosine_claim_fails_against_a_clamped_formula() -> None:
    """Comparing torch to a cosine that stays at zero after T_max must fail: torch's rate rises."""
    break_claim(PAGE, "lrs-cosine-past-tmax", "np.abs(used - periodic).max()", "np.abs(used - clamped).max()")
