"""Tests of docs/edge-of-stability.md beyond its own blocks: its helpers, every device, and every claim broken."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "edge-of-stability.md"
LRS = "np.array([0.2, 0.4, 0.5, 0.6])"


@pytest.fixture(scope="module")
def model() -> dict:
    return run_section("edge_of_stability", "model")


def _net(seed: int, runs: int = 2) -> tuple:
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    p = tuple(rng.standard_normal(s) for s in [(runs, 5, 3), (runs, 5), (runs, 5)])
    return X, y, p, tuple(rng.standard_normal(x.shape) for x in p)


def test_hvp_is_the_derivative_of_the_gradient(model: dict) -> None:
    """H u equals the central difference of the gradient along u, for every run of a batch."""
    X, y, p, u = _net(0)
    h = 1e-5
    plus = model["loss_grad"](tuple(x + h * d for x, d in zip(p, u, strict=True)), X, y)[1]
    minus = model["loss_grad"](tuple(x - h * d for x, d in zip(p, u, strict=True)), X, y)[1]
    for exact, a, c in zip(model["hvp"](p, X, y, u), plus, minus, strict=True):
        assert np.abs(exact - (a - c) / (2 * h)).max() < 1e-7 * np.abs(exact).max()


def test_sharpness_of_a_network_matches_its_full_hessian(model: dict) -> None:
    """Power iteration on the products finds eigh's eigenvalue of largest modulus."""
    X, y, p, u = _net(1, runs=1)
    basis = np.eye(5 * 3 + 5 + 5)
    parts = np.split(basis, [15, 20], axis=1)
    E = (parts[0].reshape(-1, 5, 3), parts[1], parts[2])
    many = tuple(np.repeat(x, len(basis), axis=0) for x in p)
    H = np.concatenate([c.reshape(len(basis), -1) for c in model["hvp"](many, X, y, E)], axis=1)
    eig = np.linalg.eigvalsh(H)
    biggest = eig[np.argmax(np.abs(eig))]
    lam, _ = model["sharpness"](p, X, y, u, 2000)
    assert abs(lam[0] - biggest) < 1e-6 * abs(biggest)


def test_torch_matches_numpy_on_device(model: dict, device: str) -> None:
    """Claim eos-hvp on each device."""
    X, y, p, u = _net(2, runs=1)
    g, Hu = model["loss_grad"](p, X, y)[1], model["hvp"](p, X, y, u)
    tg, tHu = model["torch_grad_hvp"](p, X, y, u, device)
    for a, c in zip(g + Hu, tg + tHu, strict=True):
        assert np.abs(a[0] - c).max() < 1e-12 * np.abs(c).max()


def test_sharpness_does_not_depend_on_the_length_of_the_start_vector(model: dict) -> None:
    """One power iteration from u and from 1000 u gives the same Rayleigh quotient: the start is normalised."""
    X, y, p, u = _net(3)
    lam, _ = model["sharpness"](p, X, y, u, 1)
    big, _ = model["sharpness"](p, X, y, tuple(1000 * x for x in u), 1)
    unit = model["unit"](u)
    rayleigh = model["dot"](unit, model["hvp"](p, X, y, unit))
    assert np.allclose(lam, rayleigh, rtol=1e-12) and np.allclose(big, rayleigh, rtol=1e-12)


def test_hessian_formula_matches_the_products_with_basis_vectors(model: dict) -> None:
    """The exact Hessian used as ground truth equals H e_i from the R-operator, column by column."""
    X, y, p, _ = _net(4)
    H = model["hessian"](p, X, y)
    P = H.shape[1]
    for i in range(P):
        e = np.zeros((2, P))
        e[:, i] = 1
        E = (e[:, :15].reshape(2, 5, 3), e[:, 15:20], e[:, 20:])
        col = np.concatenate([c.reshape(2, -1) for c in model["hvp"](p, X, y, E)], axis=1)
        assert np.abs(H[:, :, i] - col).max() < 1e-12 * np.abs(H).max()


def test_run_claims_survive_a_rounding_level_change_of_the_initial_weights() -> None:
    """The runs are chaotic; the claims must hold on another rounding history, not only on this one."""
    code = (ROOT / "snippets" / "edge_of_stability.py").read_text()
    model, run = (code.split(f"# --8<-- [start:{s}]")[1].split(f"# --8<-- [end:{s}]")[0] for s in ("model", "run"))
    edit = "W0, v0 = W0 * (1 + 3e-15), v0\n"
    anchor = "p = (np.tile(W0"
    assert anchor in run
    runs = {}
    for name, source in (("page", run), ("perturbed", run.replace(anchor, edit + anchor, 1))):
        runs[name] = {}
        exec(compile(model + source, f"edge_of_stability_{name}", "exec"), runs[name])  # its asserts must pass
    page, perturbed = runs["page"]["losses"], runs["perturbed"]["losses"]
    assert np.abs(perturbed / page - 1).max() > 1e-3  # a different trajectory (chaos), yet the claims hold
    assert runs["perturbed"]["gap"].min() > 0 and runs["perturbed"]["low"] > runs["perturbed"]["share"]


def test_hvp_claim_fails_with_the_wrong_sign_of_tanh_second_derivative() -> None:
    break_claim(PAGE, "eos-hvp", "Rdz -= 2 * r", "Rdz += 2 * r")


def test_sharpening_claim_fails_when_training_stops_before_the_edge() -> None:
    break_claim(PAGE, "eos-sharpening", f"{LRS}, 5, 1200", f"{LRS}, 5, 120")


def test_estimate_claim_fails_when_the_recorded_sharpness_is_clipped_to_the_edge() -> None:
    break_claim(PAGE, "eos-estimate", "sharp.append(lam)", "sharp.append(np.clip(lam, 0.95 * 2 / lr, 1.1 * 2 / lr))")


def test_estimate_claim_fails_with_too_few_power_iterations() -> None:
    break_claim(PAGE, "eos-estimate", f"{LRS}, 5, 1200, 10, 20", f"{LRS}, 5, 1200, 10, 2")


def test_hover_claim_fails_when_the_last_quarter_is_before_the_edge() -> None:
    break_claim(PAGE, "eos-hover", f"{LRS}, 5, 1200", f"{LRS}, 5, 400")


def test_loss_claim_fails_with_steps_that_never_reach_the_edge() -> None:
    break_claim(PAGE, "eos-loss", LRS, "np.array([0.1, 0.15, 0.2, 0.25])")


def test_loss_claim_fails_when_a_rise_comes_before_the_edge() -> None:
    """A loss that rises once early (as after a transient) breaks 'no rise before the crossing'."""
    break_claim(PAGE, "eos-loss", "    losses.append(loss)", "    losses.append(loss * (1 + 0.5 * (t == 5)))")


def test_quadratic_claim_fails_with_steps_that_never_reach_the_edge() -> None:
    break_claim(PAGE, "eos-beyond-quadratic", LRS, "np.array([0.1, 0.15, 0.2, 0.25])")


def test_small_step_claim_fails_when_the_small_step_reaches_its_edge() -> None:
    break_claim(PAGE, "eos-small-step", LRS, "np.array([0.4, 0.4, 0.5, 0.6])")
