"""Tests of docs/hessian.md beyond its own blocks: bad input to its helpers, and every device."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "hessian.md"

# Each edit makes one claim false; the block must then fail and name that claim.
BREAKS = [
    ("hessian-degenerate", '"x^3 + y^2": lambda x, y: x**3 + y**2', '"x^3 + y^2": lambda x, y: x**4 + y**2'),
    # a saddle hidden in a bump of width 1e-4, invisible to the difference step: the small radii see it
    (
        "hessian-degenerate",
        '"x^4 + y^2": lambda x, y: x**4 + y**2,',
        '"x^4 + y^2": lambda x, y: x**4 + y**2 - 1e-6 * x**2 * np.exp(-(x**2 + y**2) / 1e-8),',
    ),
    ("hessian-peano-surface", "(y - x**2) * (y - 2 * x**2)", "(y - x**2) * (y - 2 * x**2) + x**4"),  # a minimum
    ("hessian-symmetric", "hessian(f, x.float())", "hessian(f, x)"),  # float64 in place of float32
    ("hessian-schwarz-fails", "expected_xy, expected_yx = -1, 1", "expected_xy, expected_yx = 1, 1"),
    ("hessian-schwarz-fails", "xy0, yx0 = mixed(0.0, 0.0, ks, inner)", "xy0, yx0 = mixed(0.0, 0.0, ks, ks)"),
    (
        "hessian-taylor-cubic",
        "H = torch.autograd.functional.hessian(f, x)\n",
        "H = torch.autograd.functional.hessian(f, x) * (1 + 1e-6)\n",
    ),
    # a linear rate (the second review's defeating change, which passed the old ratio bound)
    (
        "hessian-newton-quadratic",
        "np.linalg.solve(H + shift * np.eye(d), g)",
        "np.linalg.solve(H + (shift + 3e-8) * np.eye(d), g)",
    ),
    # angles over a full turn count each line twice
    ("hessian-peano-surface", "np.linspace(0, np.pi, n_lines", "np.linspace(0, 2 * np.pi, n_lines"),
    # "exactly -r^4": an error of one part in ten thousand
    (
        "hessian-degenerate",
        '"-x^4 + y^2": lambda x, y: -(x**4) + y**2',
        '"-x^4 + y^2": lambda x, y: -1.0001 * x**4 + y**2',
    ),
    # a wrong step: the measured factors are no longer (kappa - 1)/(kappa + 1)
    (
        "hessian-best-step",
        "2 / (eigvals[0] + eigvals[-1]) * loss_gradient",
        "1.9 / (eigvals[0] + eigvals[-1]) * loss_gradient",
    ),
    # a periodic term aliased by the old steps 1 and 0.1 (the second review's defeating change)
    (
        "hessian-least-squares",
        "return np.mean((X @ w - y) ** 2)",
        "return np.mean((X @ w - y) ** 2) + 1e-3 * np.sin(20 * np.pi * w).sum()",
    ),
    # third review: a saddle that a polar grid cannot see ((y - x^2)^2 - 1e-9 x^2 y), caught by the stated formula
    (
        "hessian-degenerate",
        '"x^4 + y^2": lambda x, y: x**4 + y**2,',
        '"x^4 + y^2": lambda x, y: x**4 + y**2 - (2 + 1e-9) * x**2 * y,',
    ),
    # third review: a Hessian entry off by 1e-6, hidden by the old step 1e-3 and tolerance 1e-5
    (
        "hessian-degenerate",
        '"x^4 + y^2": lambda x, y: x**4 + y**2,',
        '"x^4 + y^2": lambda x, y: x**4 + y**2 + 5e-7 * x**2,',
    ),
    # third review: a sixth-order term that np.allclose's default atol let pass as "equals -0.25 x^4"
    ("hessian-peano-surface", "(y - x**2) * (y - 2 * x**2)", "(y - x**2) * (y - 2 * x**2) + 0.005 * x**6"),
    # third review: a periodic term tuned to alias the fixed steps 1 and 2^-1/2 (275807/195025 ~ sqrt 2)
    (
        "hessian-least-squares",
        "return np.mean((X @ w - y) ** 2)",
        "return np.mean((X @ w - y) ** 2) + 1e-4 * np.sin(3900500 * np.pi * w).sum()",
    ),
    # third review: H wrong off the direction d (H + (I - d d^T) / 2), invisible along d itself
    (
        "hessian-taylor-cubic",
        "H = torch.autograd.functional.hessian(f, x)\n",
        "H = torch.autograd.functional.hessian(f, x) + 0.5 * (torch.eye(x.numel()).to(x) - torch.outer(D[0], D[0]))\n",
    ),
    ("hessian-condition-rate", "/ eigvals[-1])\n", "/ (1.5 * eigvals[-1]))\n"),
    ("hessian-least-squares", "return 2 * X.T @ (X @ w - y) / len(y)", "return 2 * X.T @ (X @ w - y) / len(y) + w**3"),
    ("hessian-least-squares", "formula = 2 * X.T @ X / n", "formula = 2.002 * X.T @ X / n"),
    ("hessian-best-step", "e = e - (g @ g)", "e = e - 1.5 * (g @ g)"),  # an overlong step breaks the bound
    ("hessian-softmax", "(torch.diag(p) - torch.outer(p, p))", "torch.diag(p)"),  # the diagonal alone
    # Newton in rescaled coordinates without the T^T on the gradient: no longer the same iterates
    ("hessian-newton-quadratic", "np.linalg.solve(T.T @ H @ T, T.T @ g)", "np.linalg.solve(T.T @ H @ T, g)"),
    ("hessian-diagonal-misleads", "return x**2 + y**2 + c * x * y", "return x**2 + y**2 + 1 * x * y"),
    ("hessian-pd-tests", "sylvester = np.all(minors > 0, axis=1)", "sylvester = np.all(minors[:, :2] > 0, axis=1)"),
]


@pytest.mark.parametrize(("claim_id", "old", "new"), BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKS)])
def test_claim_fails_when_broken(claim_id: str, old: str, new: str) -> None:
    """Breaking the code behind a claim makes its block fail, naming page, claim and snippet line."""
    break_claim(PAGE, claim_id, old, new)


@pytest.fixture(scope="module")
def taylor_ns() -> dict:
    return run_section("hessian", "taylor")


@pytest.mark.parametrize("hs", [[], [0.1, 0.0], [0.1, -0.01], [float("nan")]])
def test_taylor_errors_rejects_bad_steps(taylor_ns, hs: list[float]) -> None:
    """A step that is not a positive number (or no step at all) gets a ValueError naming hs."""
    f = taylor_ns["random_function"](0)
    x = torch.zeros(5, dtype=torch.float64)
    with pytest.raises(ValueError, match="hs must be positive step sizes"):
        taylor_ns["taylor_errors"](f, x, x + 1, np.array(hs))


def test_taylor_errors_on_a_cubic_is_exact(taylor_ns) -> None:
    """On f(x) = sum(x^3) the second-order model misses by exactly h^3 sum(d^3)."""
    f = lambda x: (x**3).sum()  # noqa: E731
    x, d = torch.tensor([0.5, -1.0], dtype=torch.float64), torch.tensor([0.6, 0.8], dtype=torch.float64)
    hs = np.array([0.1, 0.01])
    _, second = taylor_ns["taylor_errors"](f, x, d, hs)
    assert np.allclose(second, hs**3 * abs((d**3).sum().item()), rtol=1e-6)


def test_hessian_claims_on_device(device: str) -> None:
    """Claims hessian-symmetric, hessian-taylor-cubic and hessian-least-squares-torch on one device."""
    ns = run_section("hessian", "symmetric")
    f = ns["random_function"](3)
    x = torch.randn(5, dtype=torch.float64, generator=torch.Generator().manual_seed(7)).to(device)
    exact, differences = ns["hessian_both_ways"](f, x)
    assert exact.device.type == device
    assert (exact - exact.T).abs().max() <= 1e-12 * exact.abs().max()
    assert (differences - exact).abs().max() <= 1e-7 * exact.abs().max()
    single = torch.autograd.functional.hessian(f, x.float())  # float32: symmetric only to its rounding level
    assert single.device.type == device and (single - single.T).abs().max() <= 1e-6 * single.abs().max()

    ns = run_section("hessian", "taylor")
    d = torch.ones(5, dtype=torch.float64, device=device) / 5**0.5
    hs = np.logspace(-1.5, -3.5, 9)
    first, second = ns["taylor_errors"](ns["random_function"](3), x, d, hs)
    assert abs(np.polyfit(np.log(hs), np.log(second), 1)[0] - 3) < 0.15

    ns = run_section("hessian", "least-squares-torch")
    X = torch.randn(50, 3, dtype=torch.float64, device=device)
    w, y = torch.randn(3, dtype=torch.float64, device=device), torch.randn(50, dtype=torch.float64, device=device)
    assert torch.allclose(ns["hessian_at"](w, X, y), 2 * X.T @ X / 50, rtol=0, atol=1e-12)


def test_third_derivative_of_a_cubic(taylor_ns) -> None:
    """Along d, sum(x^3) has third derivative 6 sum(d^3) everywhere: the term the taylor claim compares with."""
    f = lambda x: (x**3).sum()  # noqa: E731
    x, d = torch.tensor([0.5, -1.0], dtype=torch.float64), torch.tensor([0.6, 0.8], dtype=torch.float64)
    assert abs(taylor_ns["third_derivative"](f, x, d) - 6 * (d**3).sum().item()) < 1e-12
