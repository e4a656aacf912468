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
    break_claim(PAGE, "clip-vanishing", "low, high, moved_at_most = 0.3, 0.7,", "low, high, moved_at_most = 0.9, 1.3,")


def test_torch_claim_fails_without_pytorchs_eps() -> None:
    break_claim(
        PAGE,
        "clip-torch",
        "max_norm, clip_value, eps, cases, tol = 1.0, 0.3, 1e-6,",
        "max_norm, clip_value, eps, cases, tol = 1.0, 0.3, 0.0,",
    )


def test_eps_claim_fails_for_a_norm_further_below_the_threshold() -> None:
    break_claim(PAGE, "clip-eps", "half = eps / 2", "half = 2 * eps")
