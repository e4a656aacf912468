"""Tests of docs/gradient-clipping.md beyond its blocks: bad input, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "gradient-clipping.md"


@pytest.fixture(scope="module")
def direction() -> dict:
    return run_section("gradient_clipping", "direction")


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_clipping_helpers_reject_a_threshold_that_is_not_positive(direction: dict, bad: float) -> None:
    g = np.ones((2, 3))
    with pytest.raises(ValueError, match=r"max_norm must be a finite positive number, got max_norm="):
        direction["clip_by_norm"](g, bad)
    with pytest.raises(ValueError, match=r"clip_value must be a finite positive number, got clip_value="):
        direction["clip_by_value"](g, bad)


def test_clip_by_norm_values(direction: dict) -> None:
    """A 3-4-5 gradient clipped to length 1 is (0.6, 0.8); one of length 0.5 and the zero vector stay put."""
    g = np.array([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0]])
    assert np.allclose(direction["clip_by_norm"](g, 1.0), [[0.6, 0.8], [0.3, 0.4], [0.0, 0.0]], rtol=0, atol=1e-15)
    assert np.array_equal(direction["clip_by_value"](g, 1.0), [[1.0, 1.0], [0.3, 0.4], [0.0, 0.0]])
    assert direction["cosine"](g[:1], direction["clip_by_value"](g[:1], 1.0))[0] == pytest.approx(7 / (5 * np.sqrt(2)))


def test_numpy_clip_equals_torch_on_device(device: str) -> None:
    """Claims clip-torch and clip-eps on each device: PyTorch's rule with its 1e-6 equals numpy's."""
    ns = run_section("gradient_clipping", "torch")
    rng = np.random.default_rng(1)
    grads = [3 * rng.standard_normal((4, 3)), rng.standard_normal(7)]
    by_norm, by_value, total = ns["torch_clip"](grads, 0.5, 0.2, device)
    expected, norm = ns["numpy_clip_norm"](grads, 0.5, 1e-6)
    assert abs(total - norm) < 1e-12 * norm
    assert all(np.allclose(a, b, rtol=1e-13, atol=0) for a, b in zip(by_norm, expected, strict=True))
    assert all(np.array_equal(a, np.clip(g, -0.2, 0.2)) for a, g in zip(by_value, grads, strict=True))
    eps = run_section("gradient_clipping", "eps")
    assert eps["clipped_norm"](4.0, 1.0, device) == pytest.approx(4.0 / (4.0 + 1e-6), rel=1e-14)


def test_direction_claim_fails_when_norm_clipping_clamps_coordinates() -> None:
    break_claim(PAGE, "clip-direction", "clip_by_norm(grads, max_norm)", "clip_by_value(grads, max_norm)")


def test_cliff_claim_fails_without_clipping() -> None:
    break_claim(
        PAGE, "clip-cliff", "descend(w0, y, T, lr, steps, max_norm) - best", "descend(w0, y, T, lr, steps, None) - best"
    )


def test_cliff_claim_fails_from_the_gentle_side_only() -> None:
    """From starts below the minimum no unclipped run overflows: 'more than 30% on every seed' must fail."""
    break_claim(PAGE, "clip-cliff", "low, high, y_low, y_high = 0.9, 1.3,", "low, high, y_low, y_high = 0.9, 0.95,")


def test_vanishing_claim_fails_from_the_cliff_side() -> None:
    break_claim(PAGE, "clip-vanishing", "low, high, y_low, y_high = 0.3, 0.7,", "low, high, y_low, y_high = 0.9, 1.3,")


def test_torch_claim_fails_without_pytorchs_eps() -> None:
    break_claim(
        PAGE,
        "clip-torch",
        "max_norm, clip_value, eps, cases, tol, tol32 = 1.0, 0.3, 1e-6,",
        "max_norm, clip_value, eps, cases, tol, tol32 = 1.0, 0.3, 0.0,",
    )


def test_eps_claim_fails_for_a_norm_further_below_the_threshold() -> None:
    break_claim(PAGE, "clip-eps", "half = eps / 2", "half = 2 * eps")


def test_direction_claim_fails_when_norm_clipping_normalises_every_gradient() -> None:
    """The reviewer's change: g * c / |g| keeps the direction but lengthens short gradients."""
    break_claim(
        PAGE,
        "clip-direction",
        "return g * np.minimum(1.0, max_norm / np.maximum(norm, np.finfo(float).tiny))",
        "return g * max_norm / np.maximum(norm, np.finfo(float).tiny)",
    )


def test_direction_claim_fails_when_value_clipping_halves_the_rows_it_leaves() -> None:
    break_claim(
        PAGE,
        "clip-direction",
        "return np.clip(g, -clip_value, clip_value)",
        "return np.where(np.abs(g).max(-1, keepdims=True) > clip_value, np.clip(g, -clip_value, clip_value), 0.5 * g)",
    )


def test_cliff_claim_fails_when_no_run_is_stranded() -> None:
    """Counting a run as stranded only when it is farther than the plain reaches: none is, the claim must fail."""
    break_claim(
        PAGE, "clip-cliff", "1e-4, 2000, 100.0, 100, 10, 1e-9, 0.3, 0.1", "1e-4, 2000, 100.0, 100, 10, 1e-9, 0.3, 10.0"
    )


def test_threshold_claim_fails_when_the_largest_threshold_is_moderate() -> None:
    break_claim(
        PAGE, "clip-threshold", "thresholds = [1.0, 10.0, 100.0, 1e3, 1e4]", "thresholds = [1.0, 10.0, 100.0, 1e3, 3e3]"
    )


def test_vanishing_claim_fails_if_clipping_could_lengthen_a_gradient() -> None:
    """Clipping as a rescale to exactly c (normalising) would speed the creep up: the claim must fail."""
    break_claim(
        PAGE,
        "clip-vanishing",
        "g = g * np.minimum(1.0, max_norm / np.maximum(np.abs(g), 1e-300))",
        "g = g * max_norm / np.maximum(np.abs(g), 1e-300)",
    )


def test_momentum_claim_fails_without_momentum() -> None:
    break_claim(PAGE, "clip-momentum", "torch.optim.SGD(ps, lr=lr, momentum=beta)", "torch.optim.SGD(ps, lr=lr)")


def test_nonfinite_claim_fails_for_a_finite_gradient() -> None:
    break_claim(
        PAGE,
        "clip-nonfinite",
        'p.grad = torch.tensor([float("inf"), 1.0])  # one',
        "p.grad = torch.tensor([1e30, 1.0])  # one",
    )
