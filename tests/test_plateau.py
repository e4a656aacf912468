"""Tests of docs/plateau.md beyond its own blocks: its helpers, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "plateau.md"


def test_saxe_time_is_zero_at_the_start_and_adds_up_along_the_way() -> None:
    """t(u0 -> u0) = 0 and t(u0 -> u1) + t(u1 -> u2) = t(u0 -> u2): the formula is a time along one solution."""
    ns = run_section("plateau", "saxe")
    s, t = np.array([2.0]), ns["saxe_time"]
    assert t(s, 1e-3, np.array([1e-3]), 0.1)[0] == 0.0
    assert np.isclose(
        t(s, 1e-3, np.array([0.5]), 0.1) + t(s, 0.5, np.array([1.9]), 0.1), t(s, 1e-3, np.array([1.9]), 0.1)
    )


def test_numpy_gradient_matches_torch_autograd_on_device(device: str) -> None:
    """Claim plateau-torch on each device: the numpy gradient formulas are torch's autograd."""
    ns = run_section("plateau", "saddle")
    rng = np.random.default_rng(3)
    S = rng.normal(size=(4, 4))
    ns["S"] = S  # the globals of numpy_grad
    W1, W2 = rng.normal(size=(4, 4)), rng.normal(size=(4, 4))
    g1, g2 = ns["numpy_grad"](W1, W2)
    theta = torch.tensor(np.r_[W1.ravel(), W2.ravel()], device=device, requires_grad=True)
    ns["loss"](theta, torch.tensor(S, device=device)).backward()
    assert np.allclose(theta.grad.cpu().numpy(), np.r_[g1.ravel(), g2.ravel()], rtol=1e-12, atol=1e-12)


def test_hessian_at_the_origin_has_eigenvalues_plus_and_minus_s() -> None:
    """At W1 = W2 = 0 the Hessian of |S - W2 W1|^2 / 2 has eigenvalues +-s_a (each hidden-layer times)."""
    ns = run_section("plateau", "saddle")
    S = np.diag([3.0, 1.5, 0.75, 0.0])
    eig = np.linalg.eigvalsh(torch.func.hessian(ns["loss"])(torch.zeros(32, dtype=torch.float64), torch.tensor(S)))
    assert np.isclose(eig[0], -3.0) and np.isclose(eig[-1], 3.0)


def test_stages_claim_fails_when_the_target_has_equal_singular_values() -> None:
    """With two equal singular values no order of learning is guaranteed: the claim must notice."""
    break_claim(PAGE, "plateau-stages", "s = np.array([3.0, 1.5, 0.75])", "s = np.array([3.0, 3.0, 0.75])")


def test_saxe_claim_fails_with_the_time_constant_off_by_two() -> None:
    """tau / s instead of tau / (2 s): the prediction doubles and the claim fails."""
    break_claim(PAGE, "plateau-saxe-time", "/ (2 * s * lr)", "/ (s * lr)")


def test_scaling_claim_fails_against_the_three_layer_law() -> None:
    """Half of Saxe et al.'s slope, tau / (2 s), is not what the runs measure: the claim must fail."""
    break_claim(PAGE, "plateau-scaling", "saxe = 1 / (lr * s)", "saxe = 1 / (2 * lr * s)")


def test_saddle_claim_fails_when_the_eigenvalue_is_matched_to_the_wrong_mode() -> None:
    """The negative eigenvalue belongs to the mode about to be learned, not to the one learned before."""
    break_claim(
        PAGE, "plateau-saddle", "np.abs(np.array(lowest) / -s - 1)", "np.abs(np.array(lowest) / -np.roll(s, 1) - 1)"
    )


def test_torch_claim_fails_with_another_learning_rate() -> None:
    """torch.optim.SGD with a step 1% off no longer follows the numpy iterates."""
    break_claim(PAGE, "plateau-torch", "torch.optim.SGD([w1, w2], lr=lr)", "torch.optim.SGD([w1, w2], lr=lr * 1.01)")


def test_stages_claim_fails_when_its_bounds_are_rounded_to_nearest() -> None:
    """'At least' rounded to nearest reads 100.0% while the earliest mode is just below: the claim must fail."""
    break_claim(PAGE, "plateau-stages", "np.floor(earliest * 1000) / 10", "np.round(earliest * 1000) / 10")


def test_scaling_claim_fails_when_the_times_are_not_linear_in_the_log() -> None:
    """Against (ln 1/scale)^1.2 the same times bend away from a straight line: 'grows linearly' must fail."""
    break_claim(PAGE, "plateau-scaling", "x = np.log(1 / scales)", "x = np.log(1 / scales) ** 1.2")


def test_saddle_claim_fails_at_the_initialization() -> None:
    """The first plateau's point must lie inside the plateau, not at the start of training."""
    break_claim(
        PAGE, "plateau-saddle", "middles = (np.r_[0, learned[:-1]] + learned) // 2", "middles = np.r_[0, learned[:-1]]"
    )
