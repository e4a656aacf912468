"""Tests of docs/sharp-and-flat-minima.md beyond its own blocks: its helpers, every device, and every claim broken."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT, python_fences
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "sharp-and-flat-minima.md"
MODULE = "sharp_and_flat_minima"


@pytest.fixture(scope="module")
def batch() -> dict:
    return run_section(MODULE, "batch")


@pytest.fixture(scope="module")
def rescale() -> dict:
    return run_section(MODULE, "rescale")


def _net(seed: int, runs: int = 2) -> tuple:
    rng = np.random.default_rng(seed)
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    p = tuple(rng.standard_normal(s) for s in [(runs, 5, 3), (runs, 5), (runs, 5)])
    return X, y, p, tuple(rng.standard_normal(x.shape) for x in p)


def test_hvp_is_the_derivative_of_the_gradient(batch: dict) -> None:
    """H u equals the central difference of the gradient along u, for every run of a batch."""
    X, y, p, u = _net(0)
    h = 1e-5
    plus = batch["loss_grad"](tuple(x + h * d for x, d in zip(p, u, strict=True)), X, y)[1]
    minus = batch["loss_grad"](tuple(x - h * d for x, d in zip(p, u, strict=True)), X, y)[1]
    for exact, a, c in zip(batch["hvp"](p, X, y, u), plus, minus, strict=True):
        assert np.abs(exact - (a - c) / (2 * h)).max() < 1e-7 * np.abs(exact).max()


def test_gradient_is_the_derivative_of_the_loss(batch: dict) -> None:
    """The hand-written gradient equals the central difference of the loss along a random direction."""
    X, y, p, u = _net(1)
    h = 1e-6
    up = batch["loss_grad"](tuple(x + h * d for x, d in zip(p, u, strict=True)), X, y)[0]
    down = batch["loss_grad"](tuple(x - h * d for x, d in zip(p, u, strict=True)), X, y)[0]
    g = batch["loss_grad"](p, X, y)[1]
    exact = sum((gx * d).reshape(len(d), -1).sum(1) for gx, d in zip(g, u, strict=True))
    assert np.abs(exact - (up - down) / (2 * h)).max() < 1e-6 * np.abs(exact).max()


def test_wilson_interval_contains_the_rate_and_matches_known_values(batch: dict) -> None:
    """Wilson's interval for 15 of 16 at 95% is about 72% to 99%; it stays in [0, 1] at 0 and n hits."""
    low, high = batch["wilson"](15, 16, 1.96)
    assert low == pytest.approx(0.7167, abs=1e-3) and high == pytest.approx(0.9889, abs=1e-3)
    assert batch["wilson"](0, 16, 1.96)[0] == pytest.approx(0.0, abs=1e-12)
    assert batch["wilson"](16, 16, 1.96)[1] == pytest.approx(1.0, abs=1e-12)


def test_eps_sharpness_is_a_lower_bound_above_every_tried_corner(batch: dict) -> None:
    """The ascent's value is at least the loss rise at the box corner along the gradient signs, and zero
    with no ascent steps."""
    X, y, p, _ = _net(2)
    eps = 1e-2
    value = batch["eps_sharpness"](p, X, y, eps, 20)
    base, g = batch["loss_grad"](p, X, y)
    corner = tuple(x + eps * (np.abs(x) + 1) * np.sign(gx) for x, gx in zip(p, g, strict=True))
    rise = 100 * (batch["loss_grad"](corner, X, y)[0] - base) / (1 + base)
    assert np.all(value >= rise - 1e-12) and np.all(value > 0)
    assert np.all(batch["eps_sharpness"](p, X, y, eps, 0) == 0)


def test_power_iteration_finds_the_top_eigenvalue(batch: dict) -> None:
    """On a network whose Hessian is built column by column, power iteration agrees with eigh."""
    X, y, p, _ = _net(3, runs=1)
    basis = np.eye(25)
    parts = np.split(basis, [15, 20], axis=1)
    E = (parts[0].reshape(-1, 5, 3), parts[1], parts[2])
    many = tuple(np.repeat(x, len(basis), axis=0) for x in p)
    H = np.concatenate([c.reshape(len(basis), -1) for c in batch["hvp"](many, X, y, E)], axis=1)
    eig = np.linalg.eigvalsh((H + H.T) / 2)
    biggest = eig[np.argmax(np.abs(eig))]
    lam = batch["sharpness"](p, X, y, 3000, seed=0)
    assert abs(lam[0] - biggest) < 1e-6 * abs(biggest)


def test_torch_matches_numpy_on_device(batch: dict, device: str) -> None:
    """Claim sharp-power's torch part on each device."""
    power = run_section(MODULE, "power")
    X, y, p, u = _net(4, runs=1)
    g, Hu = batch["loss_grad"](p, X, y)[1], batch["hvp"](p, X, y, u)
    tg, tHu = power["torch_grad_hvp"](p, X, y, u, device)
    for a, c in zip(g + Hu, tg + tHu, strict=True):
        assert np.abs(a[0] - c).max() < 1e-12 * np.abs(c).max()


def test_rescaling_keeps_the_function_and_maps_the_hessian(rescale: dict) -> None:
    """For a random ReLU network, (aW, ab, v/a) computes the same outputs and its Hessian is D^-1 H D^-1."""
    gen = torch.Generator().manual_seed(5)
    m, d = 4, 3
    X, y = torch.randn(10, d, generator=gen, dtype=torch.float64), torch.randn(10, generator=gen, dtype=torch.float64)
    theta = torch.randn(m * d + 2 * m, generator=gen, dtype=torch.float64)
    loss = lambda t: 0.5 * ((rescale["net"](t, X, m) - y) ** 2).mean()  # noqa: E731
    H = torch.func.hessian(loss)(theta)
    for alpha in [0.05, 3.0]:
        D = rescale["scaling"](alpha, m, d)
        assert D.shape == theta.shape and torch.all(D[: m * d + m] == alpha)
        same = rescale["net"](D * theta, X, m) - rescale["net"](theta, X, m)
        assert same.abs().max() < 1e-12 * rescale["net"](theta, X, m).abs().max()
        Ha = torch.func.hessian(loss)(D * theta)
        assert (Ha - H / D[:, None] / D[None, :]).abs().max() < 1e-10 * Ha.abs().max()


def test_batch_claims_survive_a_rounding_level_change_of_the_initial_weights() -> None:
    """The equal-steps runs are chaotic: on another rounding history (another CPU or BLAS) the counts of the
    claims move, yet every assert of the block must still pass and its printed output must not change."""
    code = (ROOT / "snippets" / f"{MODULE}.py").read_text()
    block = code.split("# --8<-- [start:batch]")[1].split("# --8<-- [end:batch]")[0]
    anchor = "rows, ends = "
    assert block.count(anchor) == 1
    runs, printed = {}, {}
    for name, edit in (("page", ""), ("perturbed", "W0 = W0 * (1 + 3e-15)\n")):
        runs[name], out = {}, io.StringIO()
        with contextlib.redirect_stdout(out):  # the block's asserts, those of every claim, must pass
            exec(compile(block.replace(anchor, edit + anchor), f"{MODULE}_{name}", "exec"), runs[name])
        printed[name] = out.getvalue()
    page, perturbed = (runs[name]["lam"]["full, equal steps"] for name in ("page", "perturbed"))
    assert np.abs(perturbed / page - 1).max() > 1e-3  # a different trajectory (chaos), yet the claims hold
    fence = next(f for f in python_fences(PAGE) if f.section == "batch")
    assert printed["perturbed"] == printed["page"] == fence.output.rstrip("\n") + "\n"


def test_batch_claim_fails_when_the_comparison_is_reversed() -> None:
    break_claim(PAGE, "sharp-batch", '(lam["small"] < lam[b])', '(lam["small"] > lam[b])')


def test_eps_claim_fails_when_the_ascent_finds_nothing() -> None:
    break_claim(PAGE, "sharp-eps-reverses", "eps, ascent = 1e-3, 20", "eps, ascent = 1e-3, 0")


def test_eps_claim_fails_when_the_maximization_is_its_first_order_term() -> None:
    """The reviewer's change: return the first-order gain of the box instead of maximizing over it."""
    gain = "100 * sum((np.abs(gx) * c).reshape(len(base), -1).sum(1) for gx, c in zip(loss_grad(p, X, y)[1], box))"
    break_claim(
        PAGE, "sharp-eps-reverses", "    return 100 * (best - base) / (1 + base)", f"    return {gain} / (1 + base)"
    )


def test_edge_claim_fails_when_full_batch_stops_early() -> None:
    old = 'ends["small" if batch == small else "full, equal steps"] = p'
    break_claim(PAGE, "sharp-edge", old, old + ' if batch == small else ends["full, equal epochs"]')


def test_not_minima_claim_fails_when_eigenvalues_are_shifted_up() -> None:
    break_claim(PAGE, "sharp-not-minima", "neg = -eig[:, 0] / top", "neg = -(eig[:, 0] + 1) / top")


def test_slope_claim_fails_when_the_box_is_large_enough_for_curvature() -> None:
    break_claim(PAGE, "sharp-eps-slope", "eps, ascent = 1e-3, 20", "eps, ascent = 1e-1, 20")


def test_power_claim_fails_when_torch_computes_another_network() -> None:
    break_claim(PAGE, "sharp-power", "torch.tanh(Xt @ W.T + b)", "torch.tanh(Xt @ W.T - b)")


def test_function_claim_fails_when_the_rescaling_is_not_a_symmetry() -> None:
    break_claim(PAGE, "sharp-rescale-function", "torch.full((m,), 1 / alpha,", "torch.full((m,), 1 / alpha**2,")


def test_hessian_claim_fails_with_a_wrong_upper_bound() -> None:
    break_claim(PAGE, "sharp-rescale-hessian", "max(alpha**2, alpha**-2)", "max(alpha, 1 / alpha)")


def test_misconception_claim_fails_when_the_rescalings_are_mild() -> None:
    break_claim(PAGE, "sharp-misconception", "[0.01, 0.1, 1.0, 10.0, 100.0]", "[0.5, 0.7, 1.0, 1.4, 2.0]")
