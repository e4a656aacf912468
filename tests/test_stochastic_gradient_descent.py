"""Tests of docs/stochastic-gradient-descent.md beyond its own blocks: bad input to its helpers, every device."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.testing import run_section


@pytest.fixture(scope="module")
def numpy_tab() -> dict:
    return run_section("stochastic_gradient_descent", "numpy")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("decaying", 0.1, 10), r"kind must be one of .* got 'decaying'"),
        (("constant", 0.0, 10), r"eta0 must be a positive number, got 0.0"),
        (("constant", -0.1, 10), r"eta0 must be a positive number, got -0.1"),
        (("constant", float("nan"), 10), r"eta0 must be a positive number, got nan"),
        (("robbins-monro", 0.1, 0), r"steps must be at least 1, got 0"),
    ],
)
def test_schedule_rejects_bad_input(numpy_tab: dict, arguments: tuple, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        numpy_tab["schedule"](*arguments)


@pytest.mark.parametrize("t0", [0.0, -5.0, float("inf")])
def test_schedule_rejects_a_bad_t0(numpy_tab: dict, t0: float) -> None:
    with pytest.raises(ValueError, match=r"t0 must be a positive number, got"):
        numpy_tab["schedule"]("summable", 0.1, 10, t0=t0)


def test_schedules_meet_or_miss_the_robbins_monro_conditions(numpy_tab: dict) -> None:
    """eta0/(1 + t/t0): partial sums grow without bound like log t; eta0/(1 + t/t0)^2: they stop near eta0 t0."""
    rm = numpy_tab["schedule"]("robbins-monro", 0.05, 10**6)
    summable = numpy_tab["schedule"]("summable", 0.05, 10**6, t0=10)
    assert rm[0] == summable[0] == 0.05
    assert rm.sum() > 1.8 * rm[: 10**4].sum()  # sum eta_t diverges (like eta0 t0 log t)
    assert (rm**2).sum() < 0.05**2 * 101  # sum eta_t^2 converges (to about eta0^2 t0)
    assert summable.sum() < 0.05 * 11


def test_sgd_rejects_no_runs(numpy_tab: dict) -> None:
    X, y = numpy_tab["make_problem"](noise=0.5, n=20)
    with pytest.raises(ValueError, match=r"runs must be at least 1, got 0"):
        numpy_tab["sgd_excess"](X, y, np.full((1, 5), 0.01), runs=0)


def test_torch_follows_numpy_on_device(numpy_tab: dict, device: str) -> None:
    """torch.optim.SGD + LambdaLR, fed the same examples, gives the numpy excess loss at every step."""
    torch_tab = run_section("stochastic_gradient_descent", "torch")
    steps, runs = 300, 20
    X, y = numpy_tab["make_problem"](noise=0.5)
    lrs = np.stack(
        [numpy_tab["schedule"]("constant", 0.04, steps), numpy_tab["schedule"]("robbins-monro", 0.05, steps, t0=100)]
    )
    reference = numpy_tab["sgd_excess"](X, y, lrs, runs)
    lambdas = [lambda t: 1.0, lambda t: 1 / (1 + t / 100)]
    excess = torch_tab["sgd_torch"](X, y, [0.04, 0.05], lambdas, runs, steps, device)
    assert excess.shape == reference.shape
    np.testing.assert_allclose(excess, reference, rtol=1e-9)
