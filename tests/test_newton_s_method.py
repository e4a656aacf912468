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
    """The loop on a Counted array performs n(n+1)(2n+1)/6 operations and returns the Cholesky factor."""
    ns = run_section("newton_s_method", "cost")
    M = np.random.default_rng(4).normal(size=(7, 7))
    A = M @ M.T + 7 * np.eye(7)
    ns["Counted"].flops = 0
    L = np.asarray(ns["cholesky"](A.view(ns["Counted"])))
    assert np.allclose(L @ L.T, A, rtol=1e-12, atol=0) and ns["Counted"].flops == 7 * 8 * 15 // 6 == 140


def test_counted_counts_each_operation() -> None:
    """A product of a 3x4 by a 4-vector is 3 x 7 operations; adding a 3-vector is 3 more."""
    ns = run_section("newton_s_method", "cost")
    Counted = ns["Counted"]
    Counted.flops = 0
    _ = np.ones((3, 4)).view(Counted) @ np.ones(4) + np.ones(3)
    assert Counted.flops == 21 + 3


def test_log_cosh_newton_either_side_of_x_c() -> None:
    """Newton on log cosh from 1.08 (below x_c = 1.0887) converges; from 1.10 (above) |x_k| grows every step."""
    ns = run_section("newton_s_method", "diverge")
    path = ns["newton_path"](np.array([1.08, 1.10]), 40, False, 100.0)
    assert path[-1, 0] < 1e-12 and path[-1, 1] > 100
    grows = np.diff(path[:, 1])[path[:-1, 1] <= 100]
    assert grows.size >= 3 and np.all(grows > 0)


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


def test_quadratic_claim_fails_for_the_chord_method() -> None:
    """The chord method (Hessian frozen at x*) has the same norm limit, opposite sign: the vector check catches it."""
    break_claim(
        PAGE,
        "newton-quadratic",
        "    x = newton_step(x, A, c, mu)\n    errors.append",
        "    x = x - np.linalg.solve(H_star, grad_hess(x, A, c, mu)[0][..., None])[..., 0]\n    errors.append",
    )


def test_diverges_claim_fails_for_a_gradient_step() -> None:
    """Gradient descent with step 1 on log cosh converges from every start: 'diverges above x_c' must fail."""
    break_claim(PAGE, "newton-diverges", "p, t = -np.sinh(live) * np.cosh(live),", "p, t = -np.tanh(live),")


def test_diverges_claim_fails_without_halving() -> None:
    """Without the halving the 'damped' iteration is pure Newton, which diverges above x_c."""
    break_claim(PAGE, "newton-diverges", "while halve and np.any(", "while False and np.any(")


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


def test_cost_claim_fails_when_the_loop_does_extra_work() -> None:
    """Computing the column's product twice leaves the factor unchanged; the counted operations must notice."""
    break_claim(
        PAGE,
        "newton-cost",
        "s = A[j:, j] - L[j:, :j] @ L[j, :j] if j",
        "s = A[j:, j] - L[j:, :j] @ L[j, :j] + 0 * (L[j:, :j] @ L[j, :j]) if j",
    )


def test_cost_claim_fails_with_a_cheaper_hessian() -> None:
    """A Hessian counted at under n gradients would make 'between n and 1.5 n' false."""
    break_claim(
        PAGE,
        "newton-cost",
        "per_weight[device, n] = h_flops / (n * g_flops)",
        "per_weight[device, n] = h_flops / (n * g_flops) / 2",
    )
