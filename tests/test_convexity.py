"""Tests of docs/convexity.md beyond its own blocks: bad input to its helpers, and every device."""

from __future__ import annotations

import pytest
import torch

from pipeline.testing import run_section


@pytest.fixture(scope="module")
def tests_ns() -> dict:
    return run_section("convexity", "tests")


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_violations_rejects_lambda_outside_the_unit_interval(tests_ns, bad: float) -> None:
    """A mixing weight outside [0, 1] does not describe a point on the chord: ValueError naming lam."""
    a = torch.zeros(3, 2, dtype=torch.float64)
    lam = torch.tensor([0.5, bad, 0.2], dtype=torch.float64)
    with pytest.raises(ValueError, match=r"lam must lie in \[0, 1\]"):
        tests_ns["violations"](tests_ns["convex"]["x^4 + y^2"], a, a + 1, lam)


def test_violations_counts_a_concave_function_everywhere(tests_ns) -> None:
    """-(x^2 + y^2) breaks the Hessian test at every sample and the tangent test at every distinct pair."""
    gen = torch.Generator().manual_seed(1)
    a, b = torch.rand(2, 500, 2, dtype=torch.float64, generator=gen)
    lam = torch.rand(500, dtype=torch.float64, generator=gen)
    share = tests_ns["violations"](lambda p: -(p**2).sum(), a, b, lam)
    assert share["Hessian"] == 1.0 and share["tangent"] == 1.0 and share["chord"] > 0.99


def test_convexity_tests_on_device(tests_ns, device: str) -> None:
    """Claim convexity-equivalent on one device: the three tests agree on every function."""
    gen = torch.Generator().manual_seed(2)
    a, b = (4 * torch.rand(2, 2000, 2, dtype=torch.float64, generator=gen) - 2).to(device)
    lam = torch.rand(2000, dtype=torch.float64, generator=gen).to(device)
    for name, f in tests_ns["convex"].items():
        assert max(tests_ns["violations"](f, a, b, lam).values()) == 0, name
    for name, f in tests_ns["nonconvex"].items():
        assert min(tests_ns["violations"](f, a, b, lam).values()) > 0, name
