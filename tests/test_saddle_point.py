"""Tests of docs/saddle-point.md beyond its own blocks: bad input, every device, claims failing when broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "saddle-point.md"


@pytest.fixture(scope="module")
def classify_ns() -> dict:
    return run_section("saddle_point", "classify")


def test_classify_rejects_a_point_that_is_not_critical(classify_ns) -> None:
    """The classifier refuses a nonzero gradient, naming the gradient's size and the tolerance."""
    classify = classify_ns["classify"]
    with pytest.raises(ValueError, match=r"not a critical point: \|gradient\| = 0\.1 > tol = 1e-08"):
        classify(np.array([0.1, 0.0]), np.eye(2))


@pytest.mark.parametrize("tol", [0.0, -1e-3, float("nan")])
def test_classify_rejects_a_bad_tolerance(classify_ns, tol: float) -> None:
    with pytest.raises(ValueError, match="tol must be positive"):
        classify_ns["classify"](np.zeros(2), np.eye(2), tol=tol)


def test_classify_says_degenerate_for_the_monkey_saddle(classify_ns) -> None:
    """Claim saddle-degenerate through the page's classifier: a zero Hessian gives no verdict."""
    ns = classify_ns
    monkey = lambda p: p[0] ** 3 - 3 * p[0] * p[1] ** 2  # noqa: E731
    grad, hess = ns["torch_grad_hess"](monkey, np.zeros(2), "cpu")
    assert ns["classify"](grad, hess) == "degenerate"
    assert ns["classify"](np.zeros(2), np.diag([1.0, 1e-12])) == "degenerate"  # one flat direction is enough
    assert ns["classify"](np.zeros(3), np.diag([1.0, 0.0, -1.0])) == "saddle"  # ...unless the signs already differ


def test_hessian_tools_on_device(device: str) -> None:
    """Claims saddle-classify, saddle-hvp and saddle-lanczos on each device; CUDA skips where absent."""
    ns = run_section("saddle_point", "classify")
    grad, hess = ns["torch_grad_hess"](lambda p: p[0] ** 2 - p[1] ** 2, np.zeros(2), device)
    assert ns["classify"](grad, hess) == "saddle"

    ns = run_section("saddle_point", "lanczos")
    loss, w = ns["make_problem"](device)
    assert w.numel() == 65
    hvp = ns["hvp_function"](loss, w)
    exact = torch.autograd.functional.hessian(loss, w)
    eig = torch.linalg.eigvalsh(exact)
    v = torch.ones(65, dtype=torch.float64, device=device)
    assert ((hvp(v) - exact @ v).norm() / (exact @ v).norm()).item() < 1e-12
    ritz = ns["lanczos"](hvp, 65, 25, seed=7, device=device)
    assert abs(ritz[-1] - eig[-1]) / abs(eig[-1]) < 1e-6
    assert abs(ritz[0] - eig[0]) / abs(eig[0]) < 1e-6
    assert ritz[0] >= eig[0] - 1e-12  # interlacing: a Ritz value never passes the true extreme


def test_optimizers_stay_on_the_stable_direction_on_device(device: str) -> None:
    """Claims saddle-stuck-exactly and saddle-noise-escapes on each device: Adam without noise stays at the
    saddle, with noise leaves; a step along negative curvature leaves without noise."""
    ns = run_section("saddle_point", "stuck")
    adam = lambda ps: torch.optim.Adam(ps, lr=0.01)  # noqa: E731
    x, y = ns["run"](adam, device)
    assert y == 0 and abs(x) < 0.05
    x, y = ns["run"](adam, device, noise=1e-3)
    assert abs(abs(y) - 1) < 0.05
    sgd = lambda ps: torch.optim.SGD(ps, lr=0.1)  # noqa: E731
    stuck = ns["run"](sgd, device)
    kicked = ns["negative_curvature_step"](stuck.to(device), 0.1)
    assert abs(kicked[0] - stuck[0]) < 1e-12 and abs(abs(kicked[1]) - 0.1) < 1e-12  # straight along the y-axis
    x, y = ns["run"](sgd, device, start=tuple(kicked.tolist()))
    assert abs(x) < 0.05 and abs(abs(y) - 1) < 0.05


@pytest.mark.parametrize(
    ("claim_id", "old", "new"),
    [
        ("saddle-newton", "newton(starts, saddle_free=True, steps=n_steps)",
         "newton(starts, saddle_free=False, steps=n_steps)"),
        ("saddle-noise-momentum", "noisy = escape_steps(starts, lr=lr, noise=noise, seed=2)",
         "noisy = escape_steps(starts, lr=lr, noise=0.0, seed=2)"),
        ("saddle-faster-predicted", "momentum = escape_steps(starts, lr=lr, beta=beta)",
         "momentum = escape_steps(starts, lr=lr, beta=beta / 2)"),
        ("saddle-escape-log", "p = p - lr * grad(p)\n        newly", "p = p - lr * np.sign(grad(p))\n        newly"),
        ("saddle-degenerate", "lambda p: p[0] ** 4 + p[1] ** 4,", "lambda p: p[0] ** 4 - p[1] ** 4,"),
        ("saddle-network", "end, grad_end = exact_spectra(w.detach(), x, y)", "end, grad_end = start, grad_start"),
        ("saddle-minmax", "direction = 2 * g - previous if optimistic else g", "direction = g"),
        ("saddle-noise-escapes", "p.grad += noise * torch", "p.grad += 0 * torch"),
        ("saddle-negative-curvature", "return p + length * vec[:, 0]", "return p + length * vec[:, 1]"),
    ],
)  # fmt: skip
def test_claim_fails_when_broken(claim_id: str, old: str, new: str) -> None:
    """Breaking the method a claim is about makes its block fail, naming page, claim and line."""
    break_claim(PAGE, claim_id, old, new)
