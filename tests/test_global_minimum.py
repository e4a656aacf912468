"""Tests of docs/global-minimum.md beyond its own blocks: claims fail when broken, helpers behave."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "global-minimum.md"


# Each edit makes one claim false; the block must then fail and name that claim.
BREAKS = [
    ("global-minimizer-cases", "(x**2 - 1) ** 2,", "(x**2 - 1) ** 2 + 0.1 * x,"),
    # exp replaced by a function with a minimizer (at x = 0): the lower-point test must notice
    ("global-minimizer-cases", '"exp(x)": np.exp,', '"exp(x)": lambda x: np.exp(x) + x**2,'),
    # exp tilted so that its minimizer (near x = -10) lies outside [-3, 3]: the wide grid must notice
    ("global-minimizer-cases", '"exp(x)": np.exp,', '"exp(x)": lambda x: np.exp(x) + 1e-6 * (x - 10) ** 2,'),
    # x^3 replaced by a function bounded below: the unbounded test must notice
    ("global-minimizer-cases", '"x^3": lambda x: x**3}', '"x^3": lambda x: np.arctan(x) ** 3}'),
    ("global-convex-gd", "300, 1.0, 1e-9", "3, 1.0, 1e-9"),
    # the step no longer 1/L (L from the trace, an upper bound, or a smaller factor): the contraction rate must notice
    ("global-convex-gd", "step_factor / np.linalg.eigvalsh(A).max()", "step_factor / np.trace(A)"),
    ("global-convex-gd", "300, 1.0, 1e-9", "300, 0.3, 1e-9"),
    # the third review's defeat: a step between 1.27/L and 1.51/L contracts the slowest direction by the same
    # 1 - λ_min/L; only the top eigenvector's component, which 1/L alone removes in one step, tells them apart
    (
        "global-convex-gd",
        "lr = step_factor / np.linalg.eigvalsh(A).max()",
        "e = np.linalg.eigvalsh(A)\n    lr = step_factor * (2 - e.min() / e.max()) / e.max()",
    ),
    ("global-chord", "gap_ls = chord_violations(least_squares,", "gap_ls = chord_violations(rastrigin,"),
    ("global-benchmarks", "2.1, -1.0316", "2.1, -1.0416"),
    ("global-benchmark-counts", '"Himmelblau": 4,', '"Himmelblau": 5,'),
    # a box that no longer matches the table (Himmelblau's box shrunk): its definitions on the page must fail
    ("global-benchmarks", '"Himmelblau": (-5.0, 5.0, -5.0, 5.0)', '"Himmelblau": (-4.0, 4.0, -4.0, 4.0)'),
    ("global-ackley-kink", "n_grid - 1)  # an even", "n_grid)  # an even"),
    ("global-race", "rng, Race.RESTART_EVERY)", "rng, b // 3)"),
    # a well that Rastrigin's own minima undercut is no longer the global minimum
    ("global-no-guarantee", "0.01, 60.0", "0.01, 0.5"),
    # a second, deeper well elsewhere: the bound away from the first well is evaluated, so it must notice
    (
        "global-no-guarantee",
        "return rastrigin(x) - WELL_DEPTH",
        "return rastrigin(x) - 100 * np.exp(-((x - (-3.5, 3.5)) ** 2).sum(-1) / 2e-4) - WELL_DEPTH",
    ),
    # the second review's defeat: a second well narrower than the grid spacing, off the grid; a gradient bound
    # typed from the formula missed it, the interval bound evaluated from the code itself must not
    (
        "global-no-guarantee",
        "return rastrigin(x) - WELL_DEPTH * np.exp(-((x - WELL_AT) ** 2).sum(-1) / (2 * WELL_WIDTH**2))",
        "return rastrigin(x) - WELL_DEPTH * np.exp(-((x - WELL_AT) ** 2).sum(-1) / (2 * WELL_WIDTH**2))"
        " - 100 * np.exp(-((x - (1.2525, 1.2525)) ** 2).sum(-1) / (2 * 0.0005**2))",
    ),
    # the third review's defeat: a deeper, narrower well inside the disc around the first well that the
    # outer bound skips, off the refinement grid; branch and bound on the cells there must notice
    (
        "global-no-guarantee",
        "return rastrigin(x) - WELL_DEPTH * np.exp(-((x - WELL_AT) ** 2).sum(-1) / (2 * WELL_WIDTH**2))",
        "return rastrigin(x) - WELL_DEPTH * np.exp(-((x - WELL_AT) ** 2).sum(-1) / (2 * WELL_WIDTH**2))"
        " - 100 * np.exp(-((x - (2.52, -2.4797)) ** 2).sum(-1) / (2 * 0.00005**2))",
    ),
    # the third review's defeats: coefficients typed into a formula, not named; the table's formula must notice
    (
        "global-benchmarks",
        "lambda x, y: ROSENBROCK_B * (y - x**2) ** 2 + (1 - x) ** 2,\n        BOXES",
        "lambda x, y: ROSENBROCK_B * (y - x**2) ** 2 + 2 * (1 - x) ** 2,\n        BOXES",
    ),
    (
        "global-benchmarks",
        "x * y + (-4 + 4 * y**2) * y**2,\n        BOXES",
        "x * y + (-4 + 4.0001 * y**2) * y**2,\n        BOXES",
    ),
    ("global-benchmarks", "lambda x, y: R_A * 2 + x**2 -", "lambda x, y: R_A * 2 + 0.5 * x**2 -"),
    # Rastrigin's coefficients changed (16 + ... - 8 cos, same minimum, same count): the table's must fail
    ("global-benchmarks", "R_A, R_FREQ = 10, 2", "R_A, R_FREQ = 8, 2"),
    (
        "global-benchmarks",
        "ACKLEY_A, ACKLEY_B, ACKLEY_FREQ = 20, 0.2, 2",
        "ACKLEY_A, ACKLEY_B, ACKLEY_FREQ = 20, 0.3, 2",
    ),
    ("global-benchmarks", "HIMMELBLAU_A, HIMMELBLAU_B = 11, 7", "HIMMELBLAU_A, HIMMELBLAU_B = 11, 7.0001"),
    # restarts that no longer use the steps left after the last full restart leave 20 evaluations unspent
    ("global-race", "steps_left = budget // 3 ", "steps_left = budget // 3 // steps_per_start * steps_per_start "),
    ("global-mse-not-convex", "theta[:, [1, 0, 2], :]", "theta[:, [0, 1, 2], :]"),
    # two units made identical: their orderings are no longer distinct parameter vectors
    ("global-permutations", "middle = (theta", "theta[:, 1] = theta[:, 0]\nmiddle = (theta"),
    # untrained networks (random weights) have the same symmetries: the fit must be asserted
    ("global-permutations", "# Every reordering", "theta = np.random.default_rng(1).standard_normal(theta.shape)\n#"),
    # one unit made the negative of another: a sign flip and a swap give the same vector
    ("global-permutations", "middle = (theta", "theta[:, 1] = -theta[:, 0]\nmiddle = (theta"),
    # ridge with a vanishing penalty is the interpolant again: it is then a global minimizer, and no better
    ("global-generalization", "degree, ridge, wide = 9, 1e-2, 39", "degree, ridge, wide = 9, 1e-15, 39"),
    # the "other" minimizer made the least-norm one: it no longer loses
    ("global-generalization", "min_norm + free.T @", "min_norm + 0 * free.T @"),
    ("global-convex-step", "W = W - factor / L *", "W = W - factor / (0.9 * L) *"),
]


@pytest.mark.parametrize(("claim_id", "old", "new"), BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKS)])
def test_claim_fails_when_broken(claim_id: str, old: str, new: str) -> None:
    """Breaking the code behind a claim makes its block fail, naming page, claim and snippet line."""
    break_claim(PAGE, claim_id, old, new)


@pytest.fixture(scope="module")
def race() -> dict:
    """The namespace of the race block (runs it once for the tests below)."""
    return run_section("global_minimum", "race")


def test_counted_counts_points_per_run(race) -> None:
    """The budget counter charges one evaluation per point of each run, whatever the batch shape."""
    counted = race["Counted"](race["rastrigin"])
    counted(np.zeros((7, 2)))  # one point per run
    counted(np.zeros((7, 20, 2)))  # a population of 20 per run
    counted(np.zeros((7, 2, 2)))  # a finite-difference stencil of 2 per run
    assert counted.evals == 1 + 20 + 2


@pytest.mark.parametrize("budget", [60, 137, 1001])
def test_methods_stay_within_budget(race, budget: int) -> None:
    """Every method spends at most its budget and never reports a value below Rastrigin's minimum 0."""
    for name, method in race["methods"]().items():
        counted = race["Counted"](race["rastrigin"])
        best = method(counted, 5, budget, np.random.default_rng(1))
        assert counted.evals <= budget, name
        assert best.shape == (5,) and np.all(best >= 0), name


def test_methods_evaluate_only_through_the_counter(race) -> None:
    """No method calls Rastrigin's function behind the counter's back: with the global name broken, all still run."""
    counted = race["Counted"](race["rastrigin"])
    original = race["rastrigin"]

    def forbidden(x: np.ndarray) -> np.ndarray:
        raise AssertionError("a method evaluated rastrigin without the counter")

    race["rastrigin"] = forbidden
    try:
        for name, method in race["methods"]().items():
            best = method(counted, 3, 300, np.random.default_rng(2))
            assert best.shape == (3,), name
    finally:
        race["rastrigin"] = original


def test_cases_tests_tell_functions_apart() -> None:
    """The no-minimizer and unbounded tests of the cases block accept and reject the right functions."""
    ns = run_section("global_minimum", "cases")
    grid, bounds = np.linspace(-3, 3, 6001), -(10.0 ** np.arange(0, 91, 10))
    assert ns["lower_point_everywhere"](np.exp, grid, 1.0)
    assert not ns["lower_point_everywhere"](lambda x: (x - 1) ** 2, grid, 1.0)  # a minimizer at 1
    assert ns["bounds_passed"](lambda x: x**3, bounds).all()
    assert ns["bounds_passed"](np.arctan, bounds).tolist() == [True] + [False] * 9  # bounded below by -pi/2


def test_local_minima_of_a_bowl() -> None:
    """The benchmark search finds the single minimum of a shifted quadratic bowl, and nothing else."""
    ns = run_section("global_minimum", "benchmarks")
    minima = ns["local_minima"](lambda x, y: (x - 0.3) ** 2 + 2 * (y + 0.7) ** 2, (-2.0, 2.0, -2.0, 2.0), n=101)
    assert minima.shape == (1, 2)
    assert np.allclose(minima[0], [0.3, -0.7], atol=1e-5)
