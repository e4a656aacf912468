"""Tests of docs/adam.md beyond its own blocks: bad input, every device, each claim broken once."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "adam.md"


@pytest.fixture(scope="module")
def adam_ns() -> dict:
    return run_section("adam", "adam")


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.9), (float("nan"), 0.9)])
def test_adam_rejects_betas_outside_zero_one(adam_ns: dict, betas: tuple[float, float]) -> None:
    with pytest.raises(ValueError, match=r"betas must lie in \[0, 1\), got betas="):
        adam_ns["adam"](lambda x, t: x, np.ones(2), np.full(3, 0.1), betas=betas)


def test_adam_on_a_constant_gradient_moves_lr_per_step(adam_ns: dict) -> None:
    """Bias-corrected Adam on a constant gradient moves lr / (1 + eps / |g|) per step, downhill."""
    g = np.array([2.0, -0.5])
    path = adam_ns["adam"](lambda x, t: g, np.zeros(2), np.full(20, 0.01), eps=0.0)
    assert np.allclose(np.diff(path, axis=0), -0.01 * np.sign(g), rtol=1e-12, atol=0)


def test_adam_matches_torch_on_device(adam_ns: dict, device: str) -> None:
    """Claim adam-torch on each device, on a quadratic with a second setting and AMSGrad."""
    curv = np.array([1.0, 10.0, 100.0])
    grad = lambda x, t: curv * (x - 1.0)  # noqa: E731
    lrs = np.linspace(0.05, 0.01, 200)  # a schedule: lr changes every step
    for kw in [{}, {"betas": (0.8, 0.99), "amsgrad": True}]:
        ours = adam_ns["adam"](grad, np.zeros(3), lrs, **kw)
        theirs = adam_ns["torch_adam"](grad, np.zeros(3), lrs, device, **kw)
        assert np.abs(ours - theirs).max() < 1e-12


def test_amsgrad_torch_on_device(device: str) -> None:
    """Claim adam-amsgrad-torch on each device, for C = 4 over 600 steps."""
    ns = run_section("adam", "amsgrad") | run_section("adam", "amsgrad-torch")
    C, lrs = np.array([4.0]), 0.1 / np.sqrt(np.arange(1, 601))
    for amsgrad in [False, True]:
        ours = ns["adam_1d"](C, lrs, 1 / (1 + C**2), amsgrad)
        theirs = ns["torch_1d"](4.0, lrs, 1 / 17, amsgrad, device)
        assert np.abs(ours[:, 0] - theirs).max() < 1e-12


def test_step_bound_is_one_at_the_first_step_and_kingma_ba_at_a_lone_gradient() -> None:
    ns = run_section("adam", "bound")
    assert ns["step_bound"](np.array([1.0]), 0.9, 0.999)[0] == pytest.approx(1.0, abs=1e-15)
    limit = ns["step_bound"](np.inf, 0.9, 0.999)
    assert limit == pytest.approx(0.1 / np.sqrt(0.001) / np.sqrt(1 - 0.81 / 0.999), rel=1e-12)


def test_adam_torch_claim_fails_when_torch_adds_an_l2_term() -> None:
    break_claim(
        PAGE,
        "adam-torch",
        "theirs = torch_adam(logistic_grad, np.zeros(10), lrs, device, **kw)",
        "theirs = torch_adam(logistic_grad, np.zeros(10), lrs, device, **kw, weight_decay=0.1)",
    )


def test_adam_torch_claim_fails_on_a_gap_small_against_the_largest_iterate() -> None:
    """An error of 1e-13 times the run's largest |x|, in every coordinate (the small ones too), is caught: the
    tolerance is relative to each coordinate of each iterate, not to the whole run."""
    break_claim(
        PAGE,
        "adam-torch",
        "theirs = torch_adam(logistic_grad, np.zeros(10), lrs, device, **kw)",
        "theirs = torch_adam(logistic_grad, np.zeros(10), lrs, device, **kw) + 1e-13 * np.abs(ours).max()",
    )


def test_bias_claim_fails_without_the_second_moment_correction() -> None:
    break_claim(
        PAGE, "adam-bias-correction", "(1 - beta1**t, 1 - beta2**t) if correct", "(1 - beta1**t, 1.0) if correct"
    )


def test_bound_claim_fails_with_kingma_bas_bound() -> None:
    """Kingma & Ba's case-1 factor in place of B_t is exceeded by the random sequences."""
    break_claim(PAGE, "adam-step-bound", "return scale * np.sqrt((1 - gamma**t) / (1 - gamma))", "return scale + 0 * t")


def test_exceeds_claim_fails_when_the_gradient_does_not_grow() -> None:
    break_claim(
        PAGE,
        "adam-step-exceeds-lr",
        "growth = (beta2 / beta1) ** t[:, None]",
        "growth = 1.0 + 0 * t[:, None]",
    )


def test_nonconvergence_claim_fails_when_adam_remembers_the_large_gradient() -> None:
    """With beta2 near one (a long memory), Adam no longer sits at the worst point."""
    break_claim(
        PAGE, "adam-nonconvergence", "adam_1d(C, lrs, beta2, amsgrad=False)", "adam_1d(C, lrs, 0.999, amsgrad=False)"
    )


def test_amsgrad_torch_claim_fails_when_torch_skips_the_max() -> None:
    break_claim(
        PAGE, "adam-amsgrad-torch", "betas=(0.0, beta2), amsgrad=amsgrad)", "betas=(0.0, beta2), amsgrad=False)"
    )


def test_bound_claim_fails_when_the_helper_drops_the_first_moment_correction() -> None:
    """Dropped in the helper and in B_t alike, the bound still holds and is reached; torch.optim.Adam catches it."""
    break_claim(PAGE, "adam-step-bound", "(1 - beta1**t)", "1")


def test_exceeds_claim_fails_with_a_gradient_at_the_first_step_as_well() -> None:
    """Kingma & Ba's sparse case has zero gradients before the last one; a first gradient too is another case."""
    break_claim(
        PAGE,
        "adam-step-exceeds-lr",
        "spike = (t == steps).astype(float)",
        "spike = ((t == 1) | (t == steps)).astype(float)",
    )


def test_nonconvergence_claim_fails_when_online_gradient_descent_uses_a_constant_step() -> None:
    """With a constant step online gradient descent's average regret no longer falls as claimed."""
    break_claim(PAGE, "adam-nonconvergence", "ogd_path = ogd_1d(C, lrs)", "ogd_path = ogd_1d(C, np.full(steps, 0.01))")


def test_regrows_claim_fails_for_plain_adam() -> None:
    """Without the maximum (plain Adam) the step size grows by more than the bias correction allows."""
    break_claim(PAGE, "adam-amsgrad-regrows", "eps=0.0, amsgrad=True)", "eps=0.0, amsgrad=False)")


def test_regrows_claim_fails_if_reddis_amsgrad_were_bias_corrected() -> None:
    break_claim(
        PAGE,
        "adam-amsgrad-regrows",
        "np.sqrt(np.maximum.accumulate(v))",
        "np.sqrt(np.maximum.accumulate(v) / (1 - beta2 ** np.arange(1, len(grads) + 1)))",
    )


def test_bias_claim_fails_when_torch_runs_with_an_eps() -> None:
    """The corrected moves come from torch.optim.Adam: an eps there shrinks the tiny-gradient coordinate's move."""
    break_claim(PAGE, "adam-bias-correction", "eps=0.0), []", "eps=1e-6), []")
