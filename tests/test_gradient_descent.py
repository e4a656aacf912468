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
    if helper == "momentum":
        run = ns["heavy_ball"]
    else:  # the Nesterov helper takes the gradient and the loss; here of f(x) = sum curv * x^2 / 2

        def run(curv: np.ndarray, x0: np.ndarray, **settings: float) -> np.ndarray:
            return ns["nesterov"](lambda x: curv * x, lambda x: (curv * x**2).sum(-1) / 2, x0, **settings)

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
    X, y = ns["problems"](range(20), 200, 5)
    w_best = torch.linalg.solve(X.mT @ X, X.mT @ y[..., None])[..., 0]
    L = torch.linalg.eigvalsh(X.mT @ X / X.shape[1]).max().item()
    w = ns["fit"](X.to(device), y.to(device), lr=1 / L, steps=60).cpu()
    assert (w - w_best).abs().max() < 1e-10


def test_from_scratch_optimizers_follow_torch_on_device(adaptive: dict, device: str) -> None:
    """Claims gd-sgd-torch, gd-rmsprop-torch and gd-adam-torch on one device."""
    x0, steps = [-1.2, 1.0], 100
    for name, (make_optimizer, ours) in adaptive["optimizer_pairs"](x0, steps, 0.9).items():
        theirs = adaptive["torch_path"](make_optimizer, x0, steps, device)
        assert np.abs(theirs - ours).max() < 1e-12, name


def test_nesterov_look_ahead_form_is_torch_nesterov(adaptive: dict) -> None:
    """Claim gd-nesterov-look-ahead at a second momentum and step: the change of variables is exact."""
    x0, steps = [-1.2, 1.0], 100
    ours = adaptive["sgd"](adaptive["rosenbrock_grad"], x0, lr=2e-4, steps=steps, momentum=0.5, nesterov=True)
    ahead = adaptive["look_ahead_path"](adaptive["rosenbrock_grad"], x0, 2e-4, steps, 0.5)
    assert np.abs(ahead - ours).max() < 1e-12


def test_adam_first_step_is_a_sign_step_on_device(device: str) -> None:
    """Claim gd-adam-sign on one device, at a steeper and a flatter scale than the page's."""
    ns = run_section("gradient_descent", "adam-sign")
    rng = np.random.default_rng(6)
    starts = rng.choice([-1, 1], size=(20, 13)) * rng.uniform(0.5, 5, size=(20, 13))
    for scale in [1e-1, 1e2]:
        step = ns["adam_first_step"](np.geomspace(1e-3, 1e3, 13) * scale, starts, 0.01, device)
        assert np.allclose(step, -np.sign(starts), rtol=0, atol=1e-3)


@pytest.mark.parametrize(
    ("claim_id", "original", "broken"),
    [
        # steps 5% longer than stated: those just under 2/L cross it and grow
        ("gd-step-size", "lr = lr_times_L / L", "lr = lr_times_L / (0.95 * L)"),
        # plain gradient descent at its best step instead of heavy ball: no speed-up
        ("gd-momentum-rate", "lr=lr, momentum=beta, tol=tol", "lr=2 / (kappa + 1), momentum=0.0, tol=tol"),
        # a constant step instead of the schedule: stuck at the noise floor
        ("gd-schedule", "decaying - 1 / (L * t) *", "decaying - lr *"),
        # mini-batches drawn from the first n - 1 examples only: a biased estimator
        ("gd-minibatch-unbiased", "integers(n, size", "integers(n - 1, size"),
        ("gd-minibatch-variance", "integers(n, size", "integers(n - 1, size"),
        # the quadratic x^2 / 2 instead of x^4 / 4: a linear rate, not t^(-1/2)
        ("gd-degenerate", "x = x - lr * x**3  # f'(x) = x^3", "x = x - lr * x"),
        # no backtracking: the first trial step, 10/L, diverges
        ("gd-armijo", "while f(x - lr * g) > fx - c * lr * gg:", "while False:"),
        # steps of 2/L instead of 1/L: the descent lemma no longer holds
        ("gd-nonconvex-rate", "x = x - g / L_nc", "x = x - 2 * g / L_nc"),
        # a PL constant the function does not have
        ("gd-pl-rate", "mu_pl, L_pl = 0.175, 8.0", "mu_pl, L_pl = 0.25, 8.0"),
        # steps of 0.1/L: slower than the PL bound at mu = 0.175 allows
        (
            "gd-pl-rate",
            "x = x - lr_pl * (2 * x + 3 * np.sin(2 * x))",
            "x = x - 0.1 * lr_pl * (2 * x + 3 * np.sin(2 * x))",
        ),
        # a step of 1.9/L: still under the PL bound, but not the step the claim states
        ("gd-pl-rate", "lr_pl = 1 / L_pl", "lr_pl = 1.9 / L_pl"),
        # the smallest curvature L/T instead of L/T^2: the gap falls faster than 1/t over the last steps
        ("gd-convex-rate", "np.geomspace(1, 1 / steps**2, dim_c)", "np.geomspace(1, 1 / steps, dim_c)"),
        # heavy ball with Nesterov's parameters (gradient at x, not at the look-ahead point): under the
        # bound on these quadratics, but not Nesterov's method
        ("gd-nesterov-bound", "g = grad(y)  #", "g = grad(x)  #"),
        # a fixed step 1/L instead of the exact line search: f falls by another factor
        ("gd-exact-line-search", "z - (g @ g) / (g @ (curv2 * g)) * g", "z - g / L"),
        # steps of 0.25/L and 1.9/L instead of 1/L: the Huber run no longer ends at the worst case
        ("gd-convex-rate", "path[-1] - grad(path[-1]) / L", "path[-1] - 0.25 * grad(path[-1]) / L"),
        ("gd-convex-rate", "path[-1] - grad(path[-1]) / L", "path[-1] - 1.9 * grad(path[-1]) / L"),
        # a 1.5% larger step in the divergence test: the threshold moves to 4.439, starts just below 4.472 diverge
        ("gd-degenerate", "        x = x - lr * x**3\ndiverged", "        x = x - lr * 1.015 * x**3\ndiverged"),
        # the look-ahead dropped: plain heavy ball visits other points than torch's Nesterov
        ("gd-nesterov-look-ahead", "y = x + momentum * (x - prev)", "y = x"),
    ],
)
def test_claims_fail_when_broken(claim_id: str, original: str, broken: str) -> None:
    """Breaking the code behind a claim fails it, and the failure names page, claim and line."""
    break_claim(PAGE, claim_id, original, broken)
