"""Tests of docs/newton-s-method.md beyond its own blocks: its helpers, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "newton-s-method.md"


def test_newton_step_solves_a_quadratic_in_one_step() -> None:
    """With A rows that keep log cosh near its quadratic part, one step from the origin nearly lands on x*."""
    ns = run_section("newton_s_method", "quadratic")
    rng = np.random.default_rng(5)
    A, c = 1e-3 * rng.normal(size=(1, 4, 3)), 1e-3 * rng.normal(size=(1, 4))
    x1 = ns["newton_step"](np.zeros((1, 3)), A, c, 1.0)
    g, _ = ns["grad_hess"](x1, A, c, 1.0)
    assert np.abs(g).max() < 1e-15


def test_third_derivative_matches_finite_differences() -> None:
    """D^3 f[u, u] is the derivative of the Hessian along u, applied to u."""
    ns = run_section("newton_s_method", "quadratic")
    rng = np.random.default_rng(1)
    A, c, x, u = rng.normal(size=(2, 6, 3)), rng.normal(size=(2, 6)), rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    h = 1e-5
    dH = (ns["grad_hess"](x + h * u, A, c, 0.1)[1] - ns["grad_hess"](x - h * u, A, c, 0.1)[1]) / (2 * h)
    assert np.allclose(np.einsum("pde,pe->pd", dH, u), ns["third"](x, A, c, u), rtol=1e-6, atol=1e-8)


def test_torch_newton_on_device(device: str) -> None:
    """Claim newton-torch on each device: torch.func's Newton iterates equal numpy's."""
    ns = run_section("newton_s_method", "quadratic-torch")
    numpy_ns = run_section("newton_s_method", "quadratic")
    ns.update({k: v for k, v in numpy_ns.items() if k not in ns})
    rng = np.random.default_rng(2)
    A, c, x0 = rng.normal(size=(3, 8, 4)), rng.normal(size=(3, 8)), 0.1 * rng.normal(size=(3, 4))
    path = ns["torch_newton"](x0, A, c, 0.1, 4, device)
    x = x0
    for k in range(1, 5):
        x = numpy_ns["newton_step"](x, A, c, 0.1)
        assert np.abs(path[k] - x).max() < 1e-12


def test_himmelblau_derivatives_match_finite_differences() -> None:
    ns = run_section("newton_s_method", "saddles")
    p, h = np.random.default_rng(3).uniform(-4, 4, size=(10, 2)), 1e-6
    fd_grad = np.stack([(ns["f"](p + h * e) - ns["f"](p - h * e)) / (2 * h) for e in np.eye(2)], -1)
    fd_hess = np.stack([(ns["grad"](p + h * e) - ns["grad"](p - h * e)) / (2 * h) for e in np.eye(2)], -1)
    assert np.allclose(fd_grad, ns["grad"](p), rtol=1e-6, atol=1e-5)
    assert np.allclose(fd_hess, ns["hess"](p), rtol=1e-6, atol=1e-5)


def test_counted_cholesky() -> None:
    ns = run_section("newton_s_method", "cost")
    M = np.random.default_rng(4).normal(size=(7, 7))
    L, flops = ns["cholesky_counted"](M @ M.T + 7 * np.eye(7))
    assert np.allclose(L @ L.T, M @ M.T + 7 * np.eye(7)) and flops == 7**3 // 3 + 49 - 7 // 3


def test_hessian_flops_on_device(device: str) -> None:
    """Claim newton-cost on each device: the Hessian's counted cost is between n and 1.5 n gradients."""
    ns = run_section("newton_s_method", "cost")
    X, y = torch.randn(64, 4, dtype=torch.float64, device=device), torch.randn(64, dtype=torch.float64, device=device)
    w = torch.randn(4 * 10 + 10, dtype=torch.float64, device=device)  # the page's smallest network, n = 50
    g = ns["counted"](torch.func.grad(ns["loss"]), w, X, y, 10)
    h = ns["counted"](torch.func.hessian(ns["loss"]), w, X, y, 10)
    assert w.numel() * g < h < 1.5 * w.numel() * g


def test_quadratic_claim_fails_when_the_hessian_is_shifted() -> None:
    """(H + 0.05 I) p = -g converges linearly: the ratio e_(k+1) / e_k^2 leaves its limit."""
    break_claim(
        PAGE,
        "newton-quadratic",
        "np.linalg.solve(H, g[..., None])",
        "np.linalg.solve(H + 0.05 * np.eye(d), g[..., None])",
    )


def test_torch_claim_fails_with_a_different_regularization() -> None:
    break_claim(PAGE, "newton-torch", "mu / 2 * (x**2).sum()", "mu / 2.01 * (x**2).sum()")


def test_saddles_claim_fails_for_a_descent_method() -> None:
    """Saddle-free Newton (|H|) never converges to the maximum: the claim that Newton does must fail."""
    break_claim(
        PAGE,
        "newton-saddles",
        "return p - np.linalg.solve(hess(p), grad(p)[..., None])[..., 0]",
        "w, v = np.linalg.eigh(hess(p)); "
        "return p - np.einsum('...ij,...j,...kj,...k->...i', v, 1 / np.abs(w), v, grad(p))",
    )


def test_damped_claim_fails_without_the_decrease_test() -> None:
    """Accepting every step with H + lam I positive definite lets f rise."""
    break_claim(PAGE, "newton-damped", "& (f(p + s) < f(p))", "& (f(p + s) < f(p) + 1e9)")


def test_cost_claim_fails_with_a_wrong_operation_count() -> None:
    break_claim(
        PAGE,
        "newton-cost",
        "flops += 2 * j + 1 + (n - j - 1) * (2 * j + 2)",
        "flops += 2 * j + 1 + (n - j - 1) * (2 * j + 1)",
    )
