"""Tests of docs/learning-rate.md beyond its own blocks: bad input to its helpers, every device, a claim broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "learning-rate.md"


@pytest.fixture(scope="module")
def schedule() -> dict:
    return run_section("learning_rate", "schedule")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"total_steps": 0}, r"total_steps must be a positive integer, got total_steps=0"),
        ({"total_steps": 10.5}, r"total_steps must be a positive integer, got total_steps=10.5"),
        ({"warmup_steps": 100}, r"warmup_steps must be an integer in \[0, total_steps\), got warmup_steps=100"),
        ({"warmup_steps": -1}, r"warmup_steps must be an integer in \[0, total_steps\), got warmup_steps=-1"),
        ({"peak_lr": 0.0}, r"peak_lr must be a finite positive step size, got peak_lr=0.0"),
        ({"peak_lr": float("nan")}, r"peak_lr must be a finite positive step size, got peak_lr=nan"),
        ({"final_lr": 2.0}, r"final_lr must lie in \[0, peak_lr\], got final_lr=2.0"),
        ({"final_lr": -0.1}, r"final_lr must lie in \[0, peak_lr\], got final_lr=-0.1"),
        ({"step": 101}, r"step must lie in \[0, total_steps\], got step=101"),
        ({"step": -1}, r"step must lie in \[0, total_steps\], got step=-1"),
    ],
)
def test_warmup_cosine_rejects_bad_arguments(schedule: dict, settings: dict, message: str) -> None:
    arguments = {"step": 0, "total_steps": 100, "peak_lr": 1.0, "warmup_steps": 10, "final_lr": 0.0} | settings
    with pytest.raises(ValueError, match=message):
        schedule["warmup_cosine"](**arguments)


def test_warmup_cosine_shape(schedule: dict) -> None:
    """Starts at peak/10, peaks at the end of the warm-up, ends at final_lr; no warm-up starts at the peak."""
    lr = [schedule["warmup_cosine"](t, 100, 1.0, 10, final_lr=0.1) for t in range(101)]
    assert lr[0] == pytest.approx(0.1) and lr[10] == pytest.approx(1.0) and lr[100] == pytest.approx(0.1)
    assert np.all(np.diff(lr[:11]) > 0) and np.all(np.diff(lr[10:]) < 0)
    assert schedule["warmup_cosine"](0, 100, 1.0, 0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"lrs": np.array([0.1, 0.0])}, r"lrs must be finite positive step sizes, got lrs="),
        ({"lrs": np.array([np.inf])}, r"lrs must be finite positive step sizes, got lrs="),
        ({"tol": 1.0}, r"tol must lie in \(0, 1\), got tol=1.0"),
        ({"tol": 0.0}, r"tol must lie in \(0, 1\), got tol=0.0"),
    ],
)
def test_steps_to_tolerance_rejects_bad_arguments(arguments: dict, message: str) -> None:
    ns = run_section("learning_rate", "steps")
    settings = {"curv": np.ones((1, 2)), "x0": np.ones((1, 2)), "lrs": np.array([0.1]), "tol": 0.1, "cap": 10}
    with pytest.raises(ValueError, match=message):
        ns["steps_to_tolerance"](**(settings | arguments))


def test_steps_to_tolerance_reports_the_cap_when_it_never_gets_there() -> None:
    ns = run_section("learning_rate", "steps")
    steps = ns["steps_to_tolerance"](np.array([[1.0, 3.0]]), np.ones((1, 2)), np.array([0.1, 0.9]), 1e-3, cap=20)
    assert steps.tolist() == [[20], [20]]


def test_smaller_lr_is_worse_on_device(device: str) -> None:
    """Claim lr-smaller-not-better on each device (fewer seeds)."""
    losses = run_section("learning_rate", "smaller")["final_losses"]([0.003, 0.1], 5, steps=300, device=device)
    assert np.all(losses[0] > 2 * losses[1])


def test_loss_scale_on_device(device: str) -> None:
    """Claim lr-loss-scale on each device: summing the loss multiplies SGD's step by n, not Adam's."""
    run = run_section("learning_rate", "loss-scale")["run"]
    gap = (run(torch.optim.SGD, "mean", 0.1, 30, device) - run(torch.optim.SGD, "sum", 0.1 / 64, 30, device)).abs()
    assert gap.max() < 1e-12
    adam = (run(torch.optim.Adam, "mean", 0.01, 30, device) - run(torch.optim.Adam, "sum", 0.01, 30, device)).abs()
    assert adam.max() < 1e-6


def test_torch_schedule_on_device(device: str) -> None:
    """Claim lr-warmup-cosine-torch on each device."""
    ns = run_section("learning_rate", "schedule-torch")
    used, final = ns["torch_schedule_run"](200, 20, 0.5, torch.tensor([1.0, 2.0], dtype=torch.float64, device=device))
    t = np.arange(200)
    formula = np.where(t < 20, 0.5 * (0.1 + 0.9 * t / 20), 0.5 * (1 + np.cos(np.pi * (t - 20) / 180)) / 2)
    assert np.abs(used - formula).max() < 1e-12
    assert np.allclose(final, np.prod(1 - formula[:, None] * np.array([1.0, 2.0]), axis=0), rtol=1e-9)


def test_steps_claim_fails_when_steps_do_not_scale_like_one_over_lr() -> None:
    """Making the step sizes grow like the square root of their labels breaks claim lr-steps-inverse."""
    break_claim(PAGE, "lr-steps-inverse", "lr_times_L / L,", "lr_times_L**0.5 / L,")


def test_loss_scale_claim_fails_when_adam_takes_a_larger_step_on_the_sum() -> None:
    """Adam's weights agree on both losses only at the same lr: claim lr-loss-scale must notice."""
    break_claim(
        PAGE,
        "lr-loss-scale",
        'adam_sum = run(torch.optim.Adam, "sum", adam_lr,',
        'adam_sum = run(torch.optim.Adam, "sum", adam_lr * 30,',
    )


def test_descent_lemma_claim_fails_with_a_smoothness_constant_too_small() -> None:
    """With L underestimated 4-fold, 'below 2/L' includes steps that the lemma does not cover."""
    break_claim(PAGE, "lr-descent-lemma", "/ examples).max() / 4", "/ examples).max() / 16")


def test_descent_lemma_claim_fails_with_a_weakened_bound() -> None:
    """The bound has teeth: lr (1 - L lr) in place of lr (1 - L lr / 2) still holds, but is not attained."""
    break_claim(PAGE, "lr-descent-lemma", "lr * (1 - L * lr / 2) * sizes", "lr * (1 - L * lr) * sizes")


def test_scale_invariant_claim_fails_when_the_lr_scales_like_c() -> None:
    """The effective learning rate is lr / |w|^2: scaling w by c needs c^2 lr, not c lr."""
    break_claim(PAGE, "lr-scale-invariant", "c**2 * lr", "c * lr")


def test_loss_scale_claim_fails_when_the_summed_run_ends_in_nan() -> None:
    """NaN is not 'beyond 1e6': at 300 steps the summed-loss weights overflow to NaN and the claim must fail."""
    break_claim(PAGE, "lr-loss-scale", "0.1, 0.01, 100", "0.1, 0.01, 300")


def test_descent_lemma_claim_fails_with_a_wrong_gradient() -> None:
    """Half the gradient still decreases the loss; the finite-difference check must catch it."""
    break_claim(
        PAGE, "lr-descent-lemma", "return loss, weights @ x / len(y)", "return loss, 0.5 * weights @ x / len(y)"
    )


def test_scale_invariant_claim_fails_with_a_wrong_gradient() -> None:
    """Any field scaling like 1 / |w| passes the c^2 check; the finite-difference check must catch it."""
    break_claim(
        PAGE, "lr-scale-invariant", "return (g_u - u * (u @ g_u)) / norm", "return 0.5 * (g_u - u * (u @ g_u)) / norm"
    )


def test_warmup_claim_fails_without_the_warmup() -> None:
    """The warm-up's shape is part of the claim: starting at the peak must fail it."""
    break_claim(PAGE, "lr-warmup-cosine", "return peak_lr * (0.1 + 0.9 * step / warmup_steps)", "return peak_lr")


def test_warmup_claim_fails_when_the_decay_is_not_the_cosine() -> None:
    """Any falling curve that ends near zero passed the shape checks; the cosine formula must be asserted."""
    break_claim(PAGE, "lr-warmup-cosine", "(1 + math.cos(math.pi * progress)) / 2", "(1 - progress) ** 3")


def test_descent_lemma_claim_fails_when_the_largest_rate_takes_a_smaller_step() -> None:
    """'The first step falls further at each larger lr' is measured: capping the last rate's step must fail."""
    break_claim(PAGE, "lr-descent-lemma", "lr = r / L\n", "lr = min(r, 1.0) / L\n")
