"""Tests of docs/condition-number.md beyond its own blocks: its helpers, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "condition-number.md"


def test_cond_of_a_diagonal_matrix() -> None:
    ns = run_section("condition_number", "definition")
    assert np.allclose(ns["cond"](np.diag([2.0, -8.0, 0.5])[None]), [16.0])


def test_torch_cond_on_device(device: str) -> None:
    """Claim cond-torch on each device: torch.linalg.cond is sigma_max / sigma_min."""
    A = np.random.default_rng(3).normal(size=(5, 4, 4))
    s = np.linalg.svd(A, compute_uv=False)
    got = torch.linalg.cond(torch.tensor(A, device=device)).cpu().numpy()
    assert np.allclose(got, s[:, 0] / s[:, -1], rtol=1e-10)


def test_steps_to_counts_gradient_descent_exactly() -> None:
    """One curvature, step 1 / (2 curv): the error halves each step, so 1e-3 takes ten steps."""
    ns = run_section("condition_number", "rates")
    steps = ns["steps_to"](np.array([[4.0]]), np.array([[1.0]]), 1 / 8, 0.0, 1e-3, 100)
    assert steps.tolist() == [10]


def test_first_below_finds_the_crossing() -> None:
    """0.5^t falls to 1e-3 or below first at t = 10, and to 0.3 at t = 2."""
    ns = run_section("condition_number", "rates")
    assert ns["first_below"](0.5 ** np.arange(50), np.array([1e-3, 0.3])).tolist() == [10, 2]


def test_hessians_by_autograd_match_a_known_quadratic(device: str) -> None:
    """On each device the double-backward Hessians of the least-squares loss are A^T A, problem by problem."""
    ns = run_section("condition_number", "torch")
    A = torch.tensor(np.random.default_rng(5).normal(size=(3, 4, 4)), device=device)
    H = ns["hessians"](ns["least_squares"], torch.zeros(3, 4, device=device, dtype=A.dtype), A).cpu().numpy()
    An = A.cpu().numpy()
    assert np.allclose(H, An.transpose(0, 2, 1) @ An, rtol=1e-12, atol=1e-12)


def test_wilson_interval_of_a_known_rate() -> None:
    """Wilson's 95% interval for 98 of 100 is about 93.0% to 99.4%."""
    ns = run_section("condition_number", "jacobi")
    low, high = ns["wilson"](98, 100, 1.96)
    assert abs(low - 0.9300) < 1e-3 and abs(high - 0.9945) < 1e-3


def test_jacobi_gives_unit_diagonal() -> None:
    ns = run_section("condition_number", "jacobi")
    M = np.random.default_rng(4).normal(size=(2, 5, 5))
    scaled = ns["jacobi"](M @ M.transpose(0, 2, 1) + np.eye(5))
    assert np.allclose(np.diagonal(scaled, axis1=-2, axis2=-1), 1.0)


def test_bidiagonal_has_determinant_one() -> None:
    ns = run_section("condition_number", "determinant")
    assert np.isclose(np.linalg.det(ns["bidiagonal"](12)), 1.0)


def test_definition_claim_fails_for_the_eigenvalue_ratio_of_a_general_matrix() -> None:
    """kappa is not |lambda|_max / |lambda|_min for a non-symmetric matrix: that substitution must fail."""
    break_claim(
        PAGE,
        "cond-definition",
        "s = np.linalg.svd(A, compute_uv=False)\n    return s[..., 0] / s[..., -1]",
        "s = np.sort(np.abs(np.linalg.eigvals(A)))[..., ::-1]\n    return s[..., 0] / s[..., -1]",
    )


def test_torch_claim_fails_with_another_norm() -> None:
    break_claim(PAGE, "cond-torch", "torch.linalg.cond(At)", "torch.linalg.cond(At, 'fro')")


def test_definition_claim_fails_when_the_norms_differ_by_a_billionth() -> None:
    """With atol = 0 a relative gap of 1e-9 (ten times the stated 1e-10) must fail."""
    break_claim(
        PAGE,
        "cond-definition",
        "np.linalg.inv(A), 2, axis=(1, 2))  #",
        "np.linalg.inv(A), 2, axis=(1, 2)) * (1 + 1e-9)  #",
    )


def test_definition_claim_fails_for_a_larger_change() -> None:
    """A rank-one change of twice sigma_min is at distance 2 / kappa, not 1 / kappa."""
    break_claim(PAGE, "cond-definition", "dA = -s[:, -1, None, None]", "dA = -2 * s[:, -1, None, None]")


def test_torch_claim_fails_for_another_loss() -> None:
    """A loss whose Hessian is A^T A / 1.25 is not the least-squares Hessian."""
    break_claim(PAGE, "cond-torch", "- 1) ** 2).sum(-1) / 2", "- 1) ** 2).sum(-1) / 2.5")


def test_rates_claim_fails_with_mistuned_momentum() -> None:
    """beta = q instead of q^2 keeps the slope near one half but breaks heavy ball's per-problem bound."""
    break_claim(PAGE, "cond-rates", "np.sqrt(mu)) ** 2, q**2, eps, cap)", "np.sqrt(mu)) ** 2, q, eps, cap)")


def test_rates_claim_fails_for_nesterov_parameters() -> None:
    """Step 1/L with momentum q (Nesterov's constants on heavy ball) is slower than Polyak's bound allows."""
    break_claim(PAGE, "cond-rates", "4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, q**2, eps, cap)", "1 / L, q, eps, cap)")


def test_rates_claim_fails_without_momentum() -> None:
    """Heavy ball with beta = 0 is gradient descent: its slope is one, not one half."""
    break_claim(PAGE, "cond-rates", "np.sqrt(mu)) ** 2, q**2, eps, cap)", "np.sqrt(mu)) ** 2, 0.0, eps, cap)")


def test_jacobi_claim_fails_when_the_bad_conditioning_is_rotated() -> None:
    break_claim(
        PAGE,
        "cond-jacobi",
        "after = kappa_of(H), kappa_of(jacobi(H))",
        "after = kappa_of(H), kappa_of(jacobi(rotated))",
    )


def test_determinant_claim_fails_for_polynomial_growth() -> None:
    """A matrix whose condition number grows only polynomially misses the exact inf-norm formula and bound."""
    break_claim(PAGE, "cond-determinant", "np.eye(n) - np.triu(np.ones((n, n)), 1)", "np.eye(n) - np.eye(n, k=1)")


def test_determinant_claim_fails_for_a_well_conditioned_triangle() -> None:
    """With -0.1 above the diagonal, B_n stays well conditioned: the claim must notice."""
    break_claim(PAGE, "cond-determinant", "np.eye(n) - np.triu(", "np.eye(n) - 0.1 * np.triu(")
