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
    """Claims saddle-stuck-exactly, saddle-noise-escapes, saddle-stuck-turned and saddle-negative-curvature on
    each device: Adam without noise stays at the axis-aligned saddle, with noise leaves; on the turned f it
    leaves without noise; a step along negative curvature leaves, one along positive curvature does not."""
    ns = run_section("saddle_point", "stuck")
    adam = lambda ps: torch.optim.Adam(ps, lr=0.01)  # noqa: E731
    x, y = ns["run"](adam, device)
    assert y == 0 and abs(x) < 0.05
    x, y = ns["run"](adam, device, noise=1e-3)
    assert abs(abs(y) - 1) < 0.05
    x, y = ns["run"](adam, device, loss=ns["f_diagonal"], steps=1000, start=(1.0, 1.0))
    assert x == y and abs(x) < 0.05  # on the diagonal stable line Adam has no coordinate to favor
    end = ns["run"](adam, device, loss=ns["f_turned"], steps=1000, start=(2.0, 1.0))
    assert abs(end.norm() - 1) < 0.05 and abs(abs(end[1]) - 2 / 5**0.5) < 0.05  # at a turned minimum
    sgd = lambda ps: torch.optim.SGD(ps, lr=0.1)  # noqa: E731
    stuck = ns["run"](sgd, device, loss=ns["f_turned"], start=(2.0, 1.0))
    assert stuck.norm() < 0.05
    eig, vec = ns["curvature_directions"](ns["f_turned"], stuck.to(device))
    assert abs(eig[0] + 1) < 1e-6 and abs(eig[1] - 1) < 1e-6
    assert abs(abs(vec[0, 0] * 5**0.5) - 1) < 1e-6  # the way down is (-1, 2) / sqrt(5), up to sign
    down = ns["run"](sgd, device, loss=ns["f_turned"], start=tuple((stuck + 0.1 * vec[:, 0].cpu()).tolist()))
    back = ns["run"](sgd, device, loss=ns["f_turned"], start=tuple((stuck + 0.1 * vec[:, 1].cpu()).tolist()))
    assert abs(down.norm() - 1) < 0.05 and back.norm() < 0.05


def test_deep_linear_and_trap_functions() -> None:
    """The step counters of claims saddle-deep-linear and saddle-degenerate-trap on small, hand-checked cases."""
    ns = run_section("saddle_point", "deep-linear")
    steps = ns["steps_to_fit"](2, np.array([1.0]), 0.1, 0.25, 100)
    assert steps[0] == 1  # from the minimum xy = 1 the loss is already below the target after one step
    ns = run_section("saddle_point", "trap")
    end = ns["descend"](np.array([[0.5, 0.5], [-0.5, 0.0]]), 0.1, 100, 1.0)
    assert 0 < end[0, 0] < 1 / (0.1 * 100) and abs(end[0, 1]) < 1e-4 and end[1, 0] < -0.5


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
        ("saddle-negative-curvature", "for v in (vec[:, 0], vec[:, 1])]",
         "for v in (torch.tensor([0.6, 0.8], dtype=torch.float64), vec[:, 1])]"),
        ("saddle-negative-curvature", "for v in (vec[:, 0], vec[:, 1])]", "for v in (vec[:, 1], vec[:, 1])]"),
        ("saddle-negative-curvature", "for v in (vec[:, 0], vec[:, 1])]",
         "for v in (vec[:, 0] + vec[:, 1], vec[:, 1])]"),
        ("saddle-negative-curvature", "return torch.linalg.eigh(torch.autograd.functional.hessian(loss, p))",
         "eig, v = torch.linalg.eigh(torch.autograd.functional.hessian(loss, p))\n"
         "    return eig, torch.stack([(v[:, 0] + v[:, 1]) / 2**0.5, v[:, 1]], 1)"),
        ("saddle-stuck-turned", "diagonal_start = (1.0, 1.0)", "diagonal_start = (1.0, 0.999)"),
        ("saddle-degenerate", "lambda p: -(p[0] ** 4) - p[1] ** 4,",
         "lambda p: -(p[0] ** 4) - p[1] ** 4 + 1e-13 * p[0] ** 2,"),
        ("saddle-hvp", "hvp = hvp_function(loss, w)\n    exact = torch.autograd.functional.hessian(loss, w)",
         "hvp = hvp_function(lambda u: 1.001 * loss(u), w)\n"
         "    exact = torch.autograd.functional.hessian(lambda u: 1.001 * loss(u), w)"),
        ("saddle-hvp", "hvp = hvp_function(loss, w)\n    exact = torch.autograd.functional.hessian(loss, w)",
         "hvp = hvp_function(lambda u: (1 + 5e-9) * loss(u), w)\n"
         "    exact = torch.autograd.functional.hessian(lambda u: (1 + 5e-9) * loss(u), w)"),
        ("saddle-lanczos", "for j in range(k):", "for j in range(2 * k):"),
        ("saddle-faster-predicted", "for s in noise_levels])", "for s in noise_levels**0.5])"),
        ("saddle-momentum-step", "escape_steps(starts, lr=big_lr)", "escape_steps(starts, lr=big_lr / 3)"),
        ("saddle-stuck-turned", "return f(torch.stack([along.to(p) @ p, across.to(p) @ p]))",
         "return f(torch.stack([p[0], p[1] - 1]))"),
        ("saddle-deep-linear", "for depth in (2, 3))", "for depth in (2, 2))"),
        ("saddle-degenerate-trap", "p - lr * np.stack([p[:, 0] ** 2, p[:, 1]], axis=1)",
         "p - lr * np.stack([p[:, 0], p[:, 1]], axis=1)"),
        ("saddle-free-newton-limits", "axis_start = np.array([half, 0.0])", "axis_start = np.array([half, 1e-3])"),
    ],
)  # fmt: skip
def test_claim_fails_when_broken(claim_id: str, old: str, new: str) -> None:
    """Breaking the method a claim is about makes its block fail, naming page, claim and line."""
    break_claim(PAGE, claim_id, old, new)
