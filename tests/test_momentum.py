"""Tests of docs/momentum.md beyond its own blocks: bad input to its helpers, every device, a claim broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline import results
from pipeline.fences import ROOT
from pipeline.pages import Page
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


def test_velocity_claim_fails_when_its_stated_tolerance_is_tighter_than_the_run() -> None:
    """The tolerance the claim states is the one its asserts use: 1e-17 is below float error at beta = 0.99."""
    break_claim(PAGE, "momentum-velocity", "3, 1e-12, 0.9", "3, 1e-17, 0.9")


def test_velocity_claim_fails_when_the_page_states_another_learning_rate() -> None:
    """A parameter the claim states is a definition checked against the code. (break_claim(in_page=True)
    also demands a snippet line in the message, which a definition mismatch has none of: checked here.)"""
    page = Page.load(PAGE)
    broken = Page.load(PAGE, page.text.replace("and $\\eta = {{ lr = 0.1 }}$", "and $\\eta = {{ lr = 0.2 }}$"))
    assert broken.text != page.text
    fence = broken.fence_of("momentum-velocity")
    outcome = results.run(broken, broken.chain(fence))
    assert outcome.claims["momentum-velocity"].status == "failing"
    message = outcome.failures[str(fence.line)]
    assert "docs/momentum.md:" in message and "claim 'momentum-velocity'" in message
    assert "the page states lr = 0.2, but the code has 0.1" in message


def test_dampening_claim_fails_without_dampening() -> None:
    """Undamped SGD builds up speed: claim momentum-dampening must notice."""
    break_claim(PAGE, "momentum-dampening", "dampening=beta, device=device)", "dampening=0.0, device=device)")


def test_cycle_claim_fails_from_a_start_that_converges() -> None:
    """From x0 = 3 heavy ball with Polyak's tuning converges on Lessard et al.'s function: no cycle."""
    break_claim(PAGE, "momentum-polyak-cycle", "25.0, 3.3, 3000", "25.0, 3.0, 3000")


def test_nesterov_rate_claim_fails_without_acceleration() -> None:
    """Plain gradient descent in place of Nesterov's method breaks its O(1/k^2) bound."""
    break_claim(PAGE, "momentum-nesterov-rate", "x0, L, steps, accelerated=True", "x0, L, steps, accelerated=False")


def test_noise_claim_fails_when_sgd_takes_the_same_step() -> None:
    """Momentum's noise floor is the larger step's, not the same step's."""
    break_claim(PAGE, "momentum-noise", "big = lr / (1 - beta)", "big = lr")


def test_not_faster_claim_fails_when_the_grid_misses_half_the_stable_range() -> None:
    """'The whole stable range' is asserted, not assumed."""
    break_claim(
        PAGE, "momentum-not-always-faster", "np.linspace(0, edge, n_lrs + 1)", "np.linspace(0, edge / 2, n_lrs + 1)"
    )


def test_velocity_torch_claim_fails_when_sgd_moves_uphill() -> None:
    """The move's direction is checked, not only its length: maximize=True (uphill) must fail."""
    break_claim(PAGE, "momentum-velocity-torch", "lr=lr, momentum=beta)", "lr=lr, momentum=beta, maximize=True)")


def test_nesterov_rate_claim_fails_with_a_constant_momentum() -> None:
    """The bounds are Nesterov's schedule's: a constant momentum of 0.99 breaks them on some problem."""
    break_claim(PAGE, "momentum-nesterov-rate", "(t - 1) / t_new * (x_new - x)", "0.99 * (x_new - x)")


def test_noise_claim_fails_when_momentum_is_not_the_stated_one() -> None:
    """Every seed must sit near its own stationary value: heavy ball run at beta = 0.8 instead fails."""
    break_claim(PAGE, "momentum-noise", "noise_floor(lr, beta, curv,", "noise_floor(lr, 0.8, curv,")


def test_cycle_claim_fails_when_no_start_cycles() -> None:
    """With a smaller momentum, heavy ball converges from every start: the cycle claim must notice."""
    break_claim(
        PAGE,
        "momentum-polyak-cycle",
        "tails = heavy_ball(starts, lr, beta, steps)",
        "tails = heavy_ball(starts, lr, 0.1, steps)",
    )


def test_noise_claim_fails_when_sgd_reuses_heavy_balls_noise() -> None:
    """'Noise drawn independently' is asserted: SGD run on heavy ball's seeds must fail the claim."""
    break_claim(PAGE, "momentum-noise", "range(seeds, 2 * seeds)", "range(seeds)")


def test_noise_claim_fails_with_a_wrong_sign_in_the_stationary_value() -> None:
    """At small steps the sign of h barely matters; the direct solve at a large step must catch it."""
    break_claim(PAGE, "momentum-noise", "(2 * (1 + beta) - h)", "(2 * (1 + beta) + h)")


def test_forms_claim_fails_when_qhm_takes_the_wrong_nu_for_nesterov() -> None:
    """Quasi-hyperbolic momentum is Nesterov's method at nu = beta, not at nu = 1."""
    break_claim(
        PAGE,
        "momentum-forms",
        "qhm(curv, x0, lr / (1 - beta), beta, beta, steps)",
        "qhm(curv, x0, lr / (1 - beta), beta, 1.0, steps)",
    )
