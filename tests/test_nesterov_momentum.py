"""Tests of docs/nesterov-momentum.md beyond its own blocks: bad input to its helpers, every device, a claim broken."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "nesterov-momentum.md"


@pytest.fixture(scope="module")
def rates() -> dict:
    return run_section("nesterov_momentum", "rates")


@pytest.mark.parametrize("L", [0.0, -1.0, float("nan"), float("inf")])
def test_worst_gaps_rejects_a_smoothness_constant_that_is_not_positive(rates: dict, L: float) -> None:
    with pytest.raises(ValueError, match=r"L must be a finite positive smoothness constant, got L="):
        rates["worst_gaps"](np.array([0.5]), L, 3)


def test_worst_gaps_rejects_curvatures_outside_zero_to_L(rates: dict) -> None:
    with pytest.raises(ValueError, match=r"every curvature must lie in \[0, L\]"):
        rates["worst_gaps"](np.array([0.5, 1.5]), 1.0, 3)
    with pytest.raises(ValueError, match=r"every curvature must lie in \[0, L\]"):
        rates["worst_gaps"](np.array([-0.1]), 1.0, 3)


def test_nesterov_and_heavy_ball_differ_from_the_second_step() -> None:
    """FISTA's first momentum is zero, so steps 1 and 2 agree; at step 3 the gradient points (y against x) differ."""
    ns = run_section("nesterov_momentum", "heavy-ball")
    grad = lambda x: x / np.sqrt(1 + x**2)  # noqa: E731
    nag, hb = (ns["iterates"](grad, np.array([1.0]), 1.0, 3, la) for la in (True, False))
    assert nag[0] == hb[0] and nag[1] == hb[1] and abs(nag[2] - hb[2]) > 1e-3, (nag, hb)


def test_first_nesterov_step_is_a_gradient_step(rates: dict) -> None:
    """FISTA's momentum (t_1 - 1) / t_2 is zero: the first step is gradient descent's."""
    lam = np.array([0.25, 0.5, 1.0])
    gaps = rates["worst_gaps"](lam, 1.0, 1)
    assert np.allclose(gaps[0], lam * (1 - lam) ** 2 / 2, rtol=1e-15, atol=0)


def test_slope_of_a_power_law(rates: dict) -> None:
    k = np.arange(1.0, 50.0)
    assert abs(rates["slope"](k, 3 * k**-2.0) + 2) < 1e-12


def test_worst_function_gradient_matches_finite_differences() -> None:
    ns = run_section("nesterov_momentum", "lower-bound")
    x, h = np.random.default_rng(1).standard_normal(7), 1e-6
    numeric = [(ns["chain_value"](x + h * e, 2.0) - ns["chain_value"](x - h * e, 2.0)) / (2 * h) for e in np.eye(7)]
    assert np.allclose(ns["chain_grad"](x, 2.0), numeric, rtol=0, atol=1e-8)


def test_torch_nesterov_on_device(device: str) -> None:
    """Claim nesterov-torch on each device: parameters and buffer equal the numpy form, step for step."""
    ns = run_section("nesterov_momentum", "torch")
    rng = np.random.default_rng(3)
    x = rng.standard_normal((40, 3))
    y = np.where(rng.standard_normal(40) > 0, 1.0, -1.0)
    w0 = rng.standard_normal(3)
    ps, bs = ns["pytorch_form"](w0, x, y, 0.3, 0.8, 30)
    tp, tb = ns["torch_sgd"](w0, x, y, 0.3, 0.8, 30, device)
    assert np.abs(tp - ps).max() < 1e-12 and np.abs(tb - bs).max() < 1e-12
    ws, vs = ns["sutskever"](w0, x, y, 0.3, 0.8, 30)
    assert np.abs(tp - (ws + 0.8 * vs)).max() < 1e-12


def test_rates_claim_fails_without_acceleration() -> None:
    """Nesterov's method with no momentum is gradient descent: slope -1 is not -2."""
    break_claim(PAGE, "nesterov-rates", "((t - 1) / t_new if beta is None else beta)", "0.0")


def test_rates_claim_fails_when_the_gd_bound_is_halved() -> None:
    """The bound has no slack to spare at the first step: L / (4k) is broken."""
    break_claim(PAGE, "nesterov-rates", "gd_bound, nag_bound = L / (2 * k),", "gd_bound, nag_bound = L / (4 * k),")


def test_rates_claim_fails_when_the_spectrum_stops_short_of_zero() -> None:
    """With curvatures only down to 1e-3 the worst case converges linearly and the slope is not -1."""
    break_claim(PAGE, "nesterov-rates", "smallest = 1.0, 1000, 1e-8", "smallest = 1.0, 1000, 1e-3")


def test_constant_momentum_claim_fails_with_fistas_momentum() -> None:
    """With FISTA's growing momentum the slope is -2, not -1."""
    break_claim(
        PAGE,
        "nesterov-constant-momentum",
        "per_curvature = gaps(lam, L, steps, beta)",
        "per_curvature = gaps(lam, L, steps, None)",
    )


def test_constant_momentum_claim_fails_for_heavy_ball() -> None:
    """Heavy ball (the gradient at x, not at the look-ahead y) leaves the steepest direction's minimum."""
    break_claim(PAGE, "nesterov-constant-momentum", "x_new = y - lam * y / L", "x_new = y - lam * x / L")


def test_rates_claim_fails_for_heavy_ball_with_the_same_schedule() -> None:
    """The reviewer's swap: heavy ball with FISTA's momentum passes on quadratics, breaks the bound on pseudo-Huber."""
    break_claim(PAGE, "nesterov-rates", "x_new = y - grad(y) / L", "x_new = y - grad(x) / L")


def test_heavy_ball_claim_fails_when_both_methods_take_the_look_ahead_gradient() -> None:
    """If 'heavy ball' took its gradient at y too, it would be Nesterov's method and keep the bound."""
    break_claim(PAGE, "nesterov-heavy-ball", "grad(y if lookahead else x)", "grad(y)")


def test_torch_schedule_claim_fails_with_a_constant_momentum() -> None:
    """With the same mu at every step the relabelling holds again: the parameter is the look-ahead point."""
    break_claim(
        PAGE,
        "nesterov-torch-schedule",
        "schedule = (np.arange(steps) + 1) / (np.arange(steps) + 4)",
        "schedule = np.full(steps, mu)",
    )


def test_lower_bound_claim_fails_for_a_method_that_is_not_first_order() -> None:
    """Jumping to the minimizer after the first step breaks both the support and the lower bound."""
    break_claim(
        PAGE,
        "nesterov-lower-bound",
        "x_new = y - chain_grad(y, L) / L",
        "x_new = 1 - np.arange(1, n + 1) / (n + 1)",
    )


def test_lower_bound_claim_fails_with_a_constant_momentum() -> None:
    """A constant momentum of 0.5 is not accelerated: its gap at step K leaves the window."""
    break_claim(
        PAGE, "nesterov-lower-bound", "(t - 1) / t_new * (x_new - x) if accelerated", "0.5 * (x_new - x) if accelerated"
    )


def test_torch_claim_fails_when_torch_runs_heavy_ball() -> None:
    """Without nesterov=True, torch's iterates are heavy ball's and miss the numpy Nesterov form."""
    break_claim(
        PAGE, "nesterov-torch", "momentum=float(mus[0]), nesterov=True)", "momentum=float(mus[0]), nesterov=False)"
    )


def test_torch_claim_fails_with_the_wrong_change_of_variables() -> None:
    """The parameter is the look-ahead point w + mu v, not w + v."""
    break_claim(PAGE, "nesterov-torch", "rel(ps, ws + mu * vs)", "rel(ps, ws + vs)")


def test_not_heavy_ball_claim_fails_for_heavy_ball() -> None:
    """Heavy ball's own moves are fitted exactly by heavy ball: the claim must fail."""
    break_claim(PAGE, "nesterov-not-heavy-ball", "p = p - lr * (g + mu * b)", "p = p - lr * b")
