"""Tests of docs/rmsprop.md beyond its own blocks: bad input to its helpers, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "rmsprop.md"


@pytest.fixture(scope="module")
def update() -> dict:
    return run_section("rmsprop", "torch")


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_rmsprop_rejects_a_step_size_that_is_not_positive(update: dict, lr: float) -> None:
    with pytest.raises(ValueError, match=r"lr must be a finite positive step size, got lr="):
        update["rmsprop_path"](np.ones(2), np.ones(2), 3, lr=lr, alpha=0.9, eps=1e-8)


@pytest.mark.parametrize("alpha", [1.0, -0.1, float("nan")])
def test_rmsprop_rejects_a_decay_outside_zero_one(update: dict, alpha: float) -> None:
    with pytest.raises(ValueError, match=rf"alpha must lie in \[0, 1\), got alpha={alpha}"):
        update["rmsprop_path"](np.ones(2), np.ones(2), 3, lr=0.01, alpha=alpha, eps=1e-8)


def test_first_step_is_lr_over_sqrt_one_minus_alpha(update: dict) -> None:
    """v_0 = 0: the first move is lr * g / (sqrt(1 - alpha) |g|) = lr / sqrt(1 - alpha) in each coordinate."""
    path = update["rmsprop_path"](np.array([2.0, 0.5]), np.array([1.0, -3.0]), 1, lr=0.01, alpha=0.99, eps=0.0)
    assert np.allclose(np.abs(path[1] - path[0]), 0.01 / np.sqrt(0.01), rtol=1e-12)


@pytest.mark.parametrize("options", [{"lr": 0.01}, {"lr": 0.02, "alpha": 0.9, "momentum": 0.5, "centered": True}])
def test_numpy_equals_torch_on_device(update: dict, device: str, options: dict) -> None:
    """Claim rmsprop-torch on each device, on another problem."""
    rng = np.random.default_rng(5)
    curv, x0 = rng.uniform(0.5, 5.0, (3, 4)), rng.standard_normal((3, 4))
    full = {"alpha": 0.99, "eps": 1e-8, **options}
    ours = update["rmsprop_path"](curv, x0, steps=50, **full)
    assert np.abs(ours - update["torch_path"](curv, x0, 50, device, **full)).max() < 1e-12


def test_torch_claim_fails_if_the_numpy_default_alpha_differs_from_torchs() -> None:
    break_claim(PAGE, "rmsprop-torch", "alpha: float = 0.99,", "alpha: float = 0.9,")


def test_scale_claim_fails_if_gradient_descent_moved_more() -> None:
    break_claim(PAGE, "rmsprop-scale-free", "most, huge = 0.05, 1e19", "most, huge = 0.04, 1e19")


def test_torch_claim_fails_when_eps_goes_inside_the_root() -> None:
    break_claim(
        PAGE,
        "rmsprop-torch",
        "np.sqrt(v - mean**2 if centered else v) + eps",
        "np.sqrt((v - mean**2 if centered else v) + eps)",
    )


def test_eps_claim_fails_when_torch_is_compared_with_the_inside_form() -> None:
    break_claim(PAGE, "rmsprop-eps-outside", "np.abs(theirs / outside - 1)", "np.abs(theirs / inside - 1)")


def test_scale_claim_fails_with_an_eps_that_does_not_scale() -> None:
    """A large eps breaks the invariance at the smallest scale."""
    break_claim(
        PAGE,
        "rmsprop-scale-free",
        "run(c, lr, alpha, eps, steps, adaptive=True)",
        "run(c, lr, alpha, 1e-3, steps, adaptive=True)",
    )


def test_cycle_claim_fails_when_the_band_is_not_lr_over_two() -> None:
    break_claim(PAGE, "rmsprop-cycle", "np.abs(path) / (lrs / 2 - eps) - 1", "np.abs(path) / (lrs / 3 - eps) - 1")


def test_cycle_claim_fails_with_a_decaying_learning_rate() -> None:
    """With a step that shrinks like 1/t the band is no longer proportional to the initial lr."""
    break_claim(
        PAGE,
        "rmsprop-cycle",
        "x = x - lr * x / (np.sqrt(v) + eps)",
        "x = x - lr / (1 + len(path)) * x / (np.sqrt(v) + eps)",
    )


def test_cycle_rate_claim_fails_for_another_rate() -> None:
    """Compared with alpha instead of sqrt(alpha), the 0.1% window fails at alpha = 0.99 too."""
    break_claim(PAGE, "rmsprop-cycle-rate", "rates[alpha] / np.sqrt(alpha) - 1", "rates[alpha] / alpha - 1")


def test_cycle_rate_claim_fails_for_a_slowly_growing_deviation() -> None:
    """A deviation that grows by 0.4% a step on top of sqrt(alpha) (the reviewer's change) fails."""
    break_claim(
        PAGE,
        "rmsprop-cycle-rate",
        "out.append(abs(x) / (lr / 2) - 1)",
        "out.append((abs(x) / (lr / 2) - 1) * 1.004 ** len(out))",
    )


def test_cycle_rate_claim_fails_when_the_matrix_is_not_rmsprops() -> None:
    break_claim(PAGE, "rmsprop-cycle-rate", "[-alpha, 2 * alpha - 1]", "[-alpha, alpha]")


def test_step_bound_claim_fails_with_a_longer_step() -> None:
    break_claim(PAGE, "rmsprop-step-bound", "bound = lr / np.sqrt(1 - alpha)", "bound = lr / np.sqrt(1 - alpha) / 1.01")


def test_cycle_limits_claim_fails_if_torch_ran_in_float64() -> None:
    """In float64 torch's default run does reach the cycle: not stuck on a float32 subnormal."""
    break_claim(
        PAGE,
        "rmsprop-cycle-limits",
        "x = torch.ones((), requires_grad=True)",
        "x = torch.ones((), dtype=torch.float64, requires_grad=True)",
    )


def test_cycle_limits_claim_fails_with_eps_below_half_the_lr() -> None:
    break_claim(
        PAGE, "rmsprop-cycle-limits", "eps_factors = np.array([0.6, 1.0])", "eps_factors = np.array([0.3, 1.0])"
    )


def test_adam_claim_fails_if_rmsprop_had_bias_correction() -> None:
    break_claim(
        PAGE, "rmsprop-not-adam-without-momentum", "ratio = rms / adam", "ratio = rms / adam * np.sqrt(1 - alpha**t)"
    )
