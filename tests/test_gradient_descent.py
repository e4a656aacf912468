"""Tests of docs/gradient-descent.md beyond its own blocks: bad input, every device, a claim broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "gradient-descent.md"


@pytest.fixture(scope="module")
def update() -> dict:
    return run_section("gradient_descent", "update")


@pytest.fixture(scope="module")
def adaptive() -> dict:
    return run_section("gradient_descent", "adaptive")


@pytest.fixture(scope="module")
def momentum() -> dict:
    return run_section("gradient_descent", "momentum")


@pytest.fixture(scope="module")
def nesterov() -> dict:
    return run_section("gradient_descent", "nesterov")


def _quadratic_grad(x: np.ndarray) -> np.ndarray:
    return 2 * x


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_gradient_descent_rejects_a_step_size_that_is_not_positive(update: dict, lr: float) -> None:
    with pytest.raises(ValueError, match=r"lr must be a finite positive step size, got lr="):
        update["gradient_descent"](_quadratic_grad, np.ones(2), lr=lr, steps=3)


def test_gradient_descent_rejects_a_non_finite_gradient(update: dict) -> None:
    with pytest.raises(ValueError, match=r"gradient must be finite, got gradient=.*nan.* at step 0"):
        update["gradient_descent"](lambda x: x * np.nan, np.ones(2), lr=0.1, steps=3)


@pytest.mark.parametrize("helper", ["momentum", "nesterov"])
def test_momentum_helpers_reject_bad_settings(helper: str, momentum: dict, nesterov: dict) -> None:
    ns = {"momentum": momentum, "nesterov": nesterov}[helper]
    run = ns["heavy_ball"] if helper == "momentum" else ns["nesterov"]
    last = {"tol": 1e-3} if helper == "momentum" else {"steps": 3}
    curv, x0 = np.array([1.0, 2.0]), np.ones(2)
    with pytest.raises(ValueError, match=r"lr must be a finite positive step size, got lr=-1"):
        run(curv, x0, lr=-1, momentum=0.5, **last)
    for beta in [1.0, -0.1, 1.5]:
        with pytest.raises(ValueError, match=rf"momentum must lie in \[0, 1\), got momentum={beta}"):
            run(curv, x0, lr=0.1, momentum=beta, **last)
    with pytest.raises(ValueError, match=r"gradient must be finite, got gradient=.*inf.* at step 0"):
        run(np.array([np.inf, 1.0]), x0, lr=0.1, momentum=0.5, **last)


@pytest.mark.parametrize(
    ("optimizer", "settings", "message"),
    [
        ("sgd", {"lr": 0.0}, r"lr must be a finite positive step size, got lr=0.0"),
        ("sgd", {"lr": 0.1, "momentum": 1.0}, r"momentum must lie in \[0, 1\), got momentum=1.0"),
        ("sgd", {"lr": 0.1, "momentum": -0.5}, r"momentum must lie in \[0, 1\), got momentum=-0.5"),
        ("rmsprop", {"lr": -1e-3}, r"lr must be a finite positive step size, got lr=-0.001"),
        ("rmsprop", {"lr": 1e-3, "momentum": 1.2}, r"momentum must lie in \[0, 1\), got momentum=1.2"),
        ("rmsprop", {"lr": 1e-3, "alpha": 1.0}, r"alpha must lie in \[0, 1\), got alpha=1.0"),
        ("adam", {"lr": float("nan")}, r"lr must be a finite positive step size, got lr=nan"),
        ("adam", {"lr": 1e-3, "betas": (1.0, 0.999)}, r"beta1 must lie in \[0, 1\), got beta1=1.0"),
        ("adam", {"lr": 1e-3, "betas": (0.9, -0.1)}, r"beta2 must lie in \[0, 1\), got beta2=-0.1"),
    ],
)
def test_adaptive_helpers_reject_bad_settings(adaptive: dict, optimizer: str, settings: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        adaptive[optimizer](_quadratic_grad, [1.0, 1.0], steps=3, **settings)


@pytest.mark.parametrize("optimizer", ["sgd", "rmsprop", "adam"])
def test_adaptive_helpers_reject_a_non_finite_gradient(adaptive: dict, optimizer: str) -> None:
    def blows_up(x: np.ndarray) -> np.ndarray:
        return np.where(np.abs(x) > 0.5, 2 * x, np.inf)  # finite at the start, inf once x is small

    with pytest.raises(ValueError, match=r"gradient must be finite, got gradient=.*inf.* at step \d+"):
        adaptive[optimizer](blows_up, [1.0, 1.0], lr=0.3, steps=100)


def test_torch_sgd_reaches_least_squares_on_device(device: str) -> None:
    """Claim gd-least-squares-torch on one device."""
    ns = run_section("gradient_descent", "update-torch")
    w = ns["fit"](ns["X"].to(device), ns["y"].to(device), lr=1 / ns["L"], steps=60).cpu()
    assert (w - ns["w_best"]).abs().max() < 1e-10


def test_from_scratch_optimizers_follow_torch_on_device(adaptive: dict, device: str) -> None:
    """Claims gd-sgd-torch, gd-rmsprop-torch and gd-adam-torch on one device."""
    for name, (make_optimizer, ours) in adaptive["runs"].items():
        theirs = adaptive["torch_path"](make_optimizer, adaptive["x0"], adaptive["steps"], device)
        assert np.abs(theirs - ours).max() < 1e-12, name


def test_adam_first_step_is_a_sign_step_on_device(device: str) -> None:
    """Claim gd-adam-sign on one device, at a steeper and a flatter scale than the page's."""
    ns = run_section("gradient_descent", "adam-sign")
    for scale in [1e-1, 1e2]:
        c = torch.tensor(ns["curvatures"] * scale, device=device)
        x = torch.tensor(ns["starts"], device=device, requires_grad=True)
        opt = torch.optim.Adam([x], lr=0.01)
        (c * x**2 / 2).sum().backward()
        opt.step()
        step = (x.detach().cpu().numpy() - ns["starts"]) / 0.01
        assert np.allclose(step, -np.sign(ns["starts"]), rtol=0, atol=1e-3)


@pytest.mark.parametrize(
    ("claim_id", "original", "broken"),
    [
        # steps 5% longer than stated: those just under 2/L cross it and grow
        ("gd-step-size", "lr = lr_times_L / L", "lr = lr_times_L / (0.95 * L)"),
        # plain gradient descent at its best step instead of heavy ball: no speed-up
        ("gd-momentum-rate", "lr=lr, momentum=beta, tol=tol", "lr=2 / (kappa + 1), momentum=0.0, tol=tol"),
        # a constant step instead of the schedule: stuck at the noise floor
        ("gd-schedule", "decaying - 1 / (L * t) *", "decaying - lr *"),
    ],
)
def test_claims_fail_when_broken(claim_id: str, original: str, broken: str) -> None:
    """Breaking the code behind a claim fails it, and the failure names page, claim and line."""
    break_claim(PAGE, claim_id, original, broken)
