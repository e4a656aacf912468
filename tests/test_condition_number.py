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


def test_determinant_claim_fails_for_a_well_conditioned_triangle() -> None:
    """With -0.1 above the diagonal, B_n stays well conditioned: the claim must notice."""
    break_claim(PAGE, "cond-determinant", "np.eye(n) - np.triu(", "np.eye(n) - 0.1 * np.triu(")
