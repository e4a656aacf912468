"""Tests of docs/line-search.md beyond its own blocks: its helpers, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "line-search.md"


def test_backtrack_returns_the_first_step_with_sufficient_decrease() -> None:
    """On f = x^2 / 2 from x = 1 along p = -1, alpha passes iff alpha <= 2 (1 - c1): from 8, halving gives 1."""
    ns = run_section("line_search", "bracket")
    ns["H"] = np.ones((1, 1, 1))  # the global f reads
    alpha = ns["backtrack"](np.array([[1.0]]), np.array([[-1.0]]), np.array([8.0]))
    assert alpha.tolist() == [1.0]


def test_bracket_backtrack_refuses_an_ascent_direction() -> None:
    """A positive slope never passes: the helper says so instead of looping forever."""
    ns = run_section("line_search", "bracket")
    ns["H"] = np.ones((1, 1, 1))
    with pytest.raises(ValueError, match="needs a descent direction"):
        ns["backtrack"](np.array([[1.0]]), np.array([[1.0]]), np.array([1.0]))


def test_wolfe_search_doubles_a_short_first_trial_on_a_quadratic() -> None:
    """On f = x^2 / 2 from x = 1 along p = -1 the Wolfe steps are [0.1, 2): from 0.01, doubling stops at 0.16."""
    ns = run_section("line_search", "wolfe")
    ns["f"], ns["grad"] = (lambda x: 0.5 * (x**2).sum(axis=1)), (lambda x: x)
    alpha, trials, events = ns["wolfe"](np.array([[1.0]]), np.array([[-1.0]]), 0.01, 1e-4, 0.9, 60)
    assert alpha.tolist() == [0.16] and trials.tolist() == [5] and events["too short"] == 4


def test_exact_line_search_solves_a_round_quadratic_in_one_step() -> None:
    """With all curvatures equal, the exact step is 1 / lambda and lands on the minimum."""
    ns = run_section("line_search", "exact")
    errors = ns["steepest_descent"](np.array([3.0, 3.0]), np.array([1.0, -2.0]), 1, lr=None)
    assert errors[0] > 1 and errors[1] < 1e-15


def test_torch_lbfgs_steps_on_device(device: str) -> None:
    """Claim line-search-torch on each device: torch's L-BFGS moves pass the strong Wolfe conditions."""
    ns = run_section("line_search", "torch")
    ns.update({"A": np.eye(3)[[0, 1, 2, 0]], "b": np.array([0.5, -1.0, 0.2, 0.0]), "mu": 0.5, "tol_grad": 1e-9})
    path = ns["lbfgs_steps"](np.array([4.0, -3.0, 2.0]), device, 10)
    x, s = path[:-1], np.diff(path, axis=0)
    moved = np.abs(s).max(axis=1) > 0
    g, g_new = ns["grad"](x[moved]), ns["grad"](x[moved] + s[moved])
    gs = (g * s[moved]).sum(axis=1)
    assert moved.sum() >= 3 and np.all(gs < 0)
    assert np.all(np.abs((g_new * s[moved]).sum(axis=1)) <= 0.9 * np.abs(gs))
    assert np.allclose(ns["torch_grad"](path, device), ns["grad"](path), rtol=1e-12, atol=1e-14)


def test_armijo_claim_fails_with_an_ascent_step() -> None:
    """Moving along +g instead of -g: f rises, and the claim must notice."""
    break_claim(PAGE, "line-search-armijo", "x_new = x - alpha[:, None] * g", "x_new = x + alpha[:, None] * g")


def test_armijo_claim_fails_with_an_l_below_the_curvature() -> None:
    """An L that is not a Lipschitz constant (a quarter of the softmax bound) is caught by the sampled Hessians."""
    break_claim(
        PAGE,
        "line-search-armijo",
        "np.linalg.eigvalsh(A.T @ A).max() / 2 + mu",
        "np.linalg.eigvalsh(A.T @ A).max() / 8 + mu",
    )


def test_evaluations_claim_fails_when_the_grid_stops_at_the_best_step() -> None:
    """'The next doubling fails' is asserted, not assumed."""
    break_claim(PAGE, "line-search-evaluations", "2.0 ** np.arange(6) / L", "2.0 ** np.arange(5) / L")


def test_bracket_claim_fails_with_a_larger_backtracking_factor_stated_as_rho() -> None:
    """Shrinking by 0.25 per trial leaves steps below rho * top: the bracket claim must fail."""
    break_claim(
        PAGE,
        "line-search-bracket",
        "alpha = np.where(bad, rho * alpha, alpha)",
        "alpha = np.where(bad, rho**2 * alpha, alpha)",
    )


def test_bracket_claim_fails_with_the_wrong_curvature() -> None:
    """The bound from the largest eigenvalue instead of p^T H p: the search ran on the real f, so the bracket fails."""
    break_claim(
        PAGE,
        "line-search-bracket",
        'curv = (eig * np.einsum("pji,pj->pi", Q, p) ** 2).sum(axis=1)',
        "curv = eig.max(axis=1) * (p * p).sum(axis=1)",
    )


def test_wolfe_claim_fails_without_the_curvature_test() -> None:
    """A search that only checks sufficient decrease accepts steps that fail the curvature condition."""
    break_claim(PAGE, "line-search-wolfe", "short = ~long & (", "short = np.zeros_like(long) & (")


def test_torch_claim_fails_with_a_stricter_curvature_constant() -> None:
    """torch's steps satisfy c2 = 0.9, not c2 = 0.1: checking the stricter constant must fail."""
    break_claim(PAGE, "line-search-torch", "<= c2 * np.abs(gs))", "<= 0.1 * np.abs(gs))")


def test_exact_claim_fails_when_the_random_starts_are_the_worst_start() -> None:
    """From Akaike's worst start no step beats the bound and no step is saved: 'beats it' must fail."""
    break_claim(
        PAGE,
        "line-search-exact",
        "x_rand = np.geomspace(1.0, kappa, dim), rng.normal(size=(n_random, dim))",
        "x_rand = np.geomspace(1.0, kappa, dim), np.tile(np.eye(dim)[0] * kappa + np.eye(dim)[-1], (n_random, 1))",
    )


def test_exact_claim_fails_from_a_start_that_is_not_the_worst() -> None:
    """From (1, 1) exact line search beats the bound at some step: the 'exactly' must fail."""
    break_claim(
        PAGE, "line-search-exact", "np.array([kappa, 1.0]), steps, lr=None)", "np.array([1.0, 1.0]), steps, lr=None)"
    )


def test_fixed_steps_stop_once_every_run_has_converged() -> None:
    """On f = x^2 / 2 (gradient x) a step of 1 lands on the minimum at once: one more gradient, then the loop ends."""
    ns = run_section("line_search", "evaluations")
    ns["np"], ns["grad"] = np, (lambda x: x)  # the section continues the one above, which imports numpy
    n_g, ok = ns["gd_fixed"](np.ones((2, 3)), np.array([1.0]))
    assert n_g.tolist() == [[2, 2]] and ok.tolist() == [[True, True]]


def test_bracket_backtrack_gives_up_when_no_step_decreases_enough() -> None:
    """With rho = 1 the step never shrinks, so a step far past the bracket is never accepted: a clear error."""
    ns = run_section("line_search", "bracket")
    ns["H"], ns["rho"] = np.ones((1, 1, 1)), 1.0
    with pytest.raises(RuntimeError, match="no step accepted in 100 trials"):
        ns["backtrack"](np.array([[1.0]]), np.array([[-1.0]]), np.array([8.0]))


def test_wolfe_search_reports_a_search_that_runs_out_of_trials() -> None:
    """On f = x^2 / 2 from x = 1 along p = -1 the Wolfe steps are [0.1, 2): from 1e-6, two doublings are not enough."""
    ns = run_section("line_search", "wolfe")
    ns["f"], ns["grad"] = (lambda x: 0.5 * (x**2).sum(axis=1)), (lambda x: x)
    with pytest.raises(RuntimeError, match="no Wolfe step within 2 trials"):
        ns["wolfe"](np.array([[1.0]]), np.array([[-1.0]]), 1e-6, 1e-4, 0.9, 2)
