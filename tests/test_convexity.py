"""Tests of docs/convexity.md beyond its own blocks: bad input to its helpers, every device, claims broken."""

from __future__ import annotations

import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "convexity.md"


@pytest.fixture(scope="module")
def tests_ns() -> dict:
    return run_section("convexity", "tests")


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_violations_rejects_lambda_outside_the_unit_interval(tests_ns: dict, bad: float) -> None:
    """A mixing weight outside [0, 1] does not describe a point on the chord: ValueError naming lam."""
    a = torch.zeros(3, 2, dtype=torch.float64)
    lam = torch.tensor([0.5, bad, 0.2], dtype=torch.float64)
    with pytest.raises(ValueError, match=r"lam must lie in \[0, 1\]"):
        tests_ns["violations"](tests_ns["convex"]["x^4 + y^2"], a, a + 1, lam)


def test_violations_counts_a_concave_function_everywhere(tests_ns: dict) -> None:
    """-(x^2 + y^2) breaks the Hessian test at every sample and the tangent test at every distinct pair."""
    gen = torch.Generator().manual_seed(1)
    a, b = torch.rand(2, 500, 2, dtype=torch.float64, generator=gen)
    lam = torch.rand(500, dtype=torch.float64, generator=gen)
    share = tests_ns["violations"](lambda p: -(p**2).sum(), a, b, lam)
    assert share["Hessian"] == 1.0 and share["tangent"] == 1.0 and share["chord"] > 0.99


def test_convexity_tests_on_device(tests_ns: dict, device: str) -> None:
    """Claim convexity-equivalent on one device, with other samples: the three tests agree on every function."""
    gen = torch.Generator().manual_seed(2)
    a, b = (4 * torch.rand(2, 2000, 2, dtype=torch.float64, generator=gen) - 2).to(device)
    lam = torch.rand(2000, dtype=torch.float64, generator=gen).to(device)
    for name, f in tests_ns["convex"].items():
        assert max(tests_ns["violations"](f, a, b, lam).values()) == 0, name
    for name, f in tests_ns["nonconvex"].items():
        assert min(tests_ns["violations"](f, a, b, lam).values()) > 0, name


@pytest.mark.parametrize(
    ("claim_id", "original", "broken"),
    [
        # a strong-convexity constant the function does not have
        ("convexity-strong-smooth", "mu, L = reg, reg +", "mu, L = 10 * reg, reg +"),
        # weights that do not sum to one: not a distribution, Jensen's inequality fails for |Ax + c|_1
        (
            "convexity-jensen",
            "p = rng.dirichlet(np.ones(points), size=draws)",
            "p = rng.uniform(0, 1, (draws, points))",
        ),
        # |z| examined at 0.5, where it is differentiable: one slope passes, not the interval [-1, 1]
        ("convexity-subgradients", '"|z|": (torch.abs, 0.0,', '"|z|": (torch.abs, 0.5,'),
        # 1.04 |z|: its subdifferential is [-1.04, 1.04], not the [-1, 1] the page states
        ("convexity-subgradients", '"|z|": (torch.abs, 0.0,', '"|z|": (lambda z: 1.04 * torch.abs(z), 0.0,'),
        # twice the strong-convexity constant: far out along rays f curves only by about lambda
        ("convexity-strong-smooth", "mu, L = reg, reg +", "mu, L = 2 * reg, reg +"),
        # a smoothness constant 35% too small in its data term: near the origin f curves by the full L
        (
            "convexity-strong-smooth",
            "reg + np.linalg.eigvalsh(X.T @ X).max()",
            "reg + 0.65 * np.linalg.eigvalsh(X.T @ X).max()",
        ),
        # steps 1.5 and 0.5 times the theorem's: the quadratic with curvatures mu and L leaves the bound
        ("convexity-strong-smooth", "lr = 2 / (mu + L)", "lr = 1.5 * 2 / (mu + L)"),
        ("convexity-strong-smooth", "lr = 2 / (mu + L)", "lr = 0.5 * 2 / (mu + L)"),
        # sqrt(||x| - 1|): its small sublevel sets are two intervals, and the membership test sees the gap
        (
            "convexity-sublevel",
            "root = lambda x: np.sqrt(np.abs(x))",
            "root = lambda x: np.sqrt(np.abs(np.abs(x) - 1))",
        ),
        # a dimple as wide as the sample spacing: the samples now see it, and the page's point falls
        ("convexity-equivalent", "depth, width = 1e-3, 1e-4", "depth, width = 1.0, 1.0"),
        # the ReLU layer's target moved from 1 to 0: the squared error is then convex, and the claim that
        # a positive target breaks convexity fails
        ("convexity-operations", "sq(np.maximum(x @ A.T + c, 0) - 1)", "sq(np.maximum(x @ A.T + c, 0) - 0)"),
        # too few steps: the runs stop short of the disk
        ("convexity-flat-bottom", "lr=0.1, steps=200", "lr=0.1, steps=20"),
    ],
)
def test_claims_fail_when_broken(claim_id: str, original: str, broken: str) -> None:
    """Breaking the code behind a claim fails it, and the failure names page, claim and line."""
    break_claim(PAGE, claim_id, original, broken)
