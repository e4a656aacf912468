"""Tests of docs/loss-function.md beyond its own blocks: bad input to its helpers, and every device."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "loss-function.md"


@pytest.fixture(scope="module")
def cross_entropy_tab() -> dict:
    return run_section("loss_function", "cross-entropy")


@pytest.fixture(scope="module")
def conditional() -> dict:
    return run_section("loss_function", "conditional")


@pytest.mark.parametrize(
    ("logits", "labels", "message"),
    [
        (np.zeros(5), np.zeros(5, dtype=int), r"logits must have shape \(n, K\), got shape \(5,\)"),
        (np.zeros((3, 4)), np.array([0, 1, 4]), r"labels must be 3 integers in \[0, 4\), got array\(\[0, 1, 4\]\)"),
        (np.zeros((3, 4)), np.array([0, -1, 2]), r"labels must be 3 integers in \[0, 4\)"),
        (np.zeros((3, 4)), np.array([0.0, 1.0, 2.0]), r"labels must be 3 integers in \[0, 4\)"),
        (np.zeros((3, 4)), np.array([0, 1]), r"labels must be 3 integers in \[0, 4\)"),
    ],
)
def test_cross_entropy_rejects_bad_input(cross_entropy_tab: dict, logits, labels, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        cross_entropy_tab["cross_entropy"](logits, labels)


def test_cross_entropy_of_uniform_logits_is_log_k(cross_entropy_tab: dict) -> None:
    """Equal logits give every class probability 1/K, so the loss is log K whatever the labels."""
    assert abs(cross_entropy_tab["cross_entropy"](np.zeros((7, 4)), np.arange(7) % 4) - np.log(4)) < 1e-15


def test_cross_entropy_matches_torch_on_device(cross_entropy_tab: dict, device: str) -> None:
    rng = np.random.default_rng(5)
    logits, labels = 50 * rng.normal(size=(64, 10)), rng.integers(10, size=64)
    theirs = F.cross_entropy(torch.tensor(logits, device=device), torch.tensor(labels, device=device)).item()
    assert abs(cross_entropy_tab["cross_entropy"](logits, labels) - theirs) < 1e-10 * theirs


def test_mse_fits_the_mean_and_mae_the_median_on_device(conditional: dict, device: str) -> None:
    """Claim loss-fn-mean-median on each device: y = exp(x + ε) has log-mean 0.5 + x and log-median x."""
    x, y = conditional["skewed_data"](4, 4000, 1.0, device)
    mse = conditional["fit_exp_model"](F.mse_loss, x, y).cpu()
    mae = conditional["fit_exp_model"](F.l1_loss, x, y).cpu()
    assert torch.all((mse[:, 0] - 0.5).abs() < 0.15) and torch.all((mse[:, 1] - 1).abs() < 0.25)
    assert torch.all(mae[:, 0].abs() < 0.15) and torch.all((mae[:, 1] - 1).abs() < 0.25)


@pytest.mark.parametrize(
    ("claim_id", "good", "bad"),
    [
        # The binary problem with its classes swapped: logits (z, 0) give P(class 1) = sigmoid(-z).
        (
            "loss-fn-ce-nll",
            "torch.stack([torch.zeros_like(zb), zb], dim=1)",
            "torch.stack([zb, torch.zeros_like(zb)], dim=1)",
        ),
        # Log-sum-exp without the shift by the largest logit overflows like the naive form.
        ("loss-fn-ce-stable", "shifted = logits - logits.max(axis=1, keepdims=True)", "shifted = logits"),
        # A Gaussian likelihood with the wrong variance factor is not the MSE formula.
        ("loss-fn-likelihoods", "mse / (2 * scale**2)", "mse / scale**2"),
        # A hinge with its kink at margin 1/2 no longer lies above the 0-1 loss.
        ("loss-fn-surrogates", "lambda m: np.maximum(0, 1 - m),", "lambda m: np.maximum(0, 0.5 - m),"),
        # The final review's change: a hinge with a tiny kink at 0 (so not differentiable there, not calibrated
        # by the derivative test) whose one-sided slopes still agreed to within the step.
        (
            "loss-fn-surrogates",
            "lambda m: np.maximum(0, 1 - m),",
            "lambda m: np.maximum(0, 1 - m) + 9e-5 * np.maximum(0, -m),",
        ),
        # Smoothing mass spread over the K - 1 wrong classes only is not what torch does.
        ("loss-fn-label-smoothing", "+ smoothing / k  # the smoothed target", "+ smoothing / (k - 1)  # wrong"),
        # The review's unfinished fits: half the Adam steps leave both fits short of stationary.
        ("loss-fn-mean-median", "theta = fit_exp_model(loss_fn, x, y)", "theta = fit_exp_model(loss_fn, x, y, 100)"),
        # The review's update that is not gradient descent on the cross-entropy, though it also ends at p.
        (
            "loss-fn-ce-proper",
            "z -= 2.0 * numerical_gradient(loss, z)",
            "z -= 0.5 * (np.log(softmax(z)) - np.log(p))",
        ),
        # The shift by the largest logit alone, then softmax and log: entries at -inf, not finite.
        ("loss-fn-ce-stable", "log_probs = shifted - np.log(", "log_probs = np.log(np.exp(shifted)) - np.log("),
        # A surrogate with its slope at zero flattened on one side (kinked at 0): not differentiable there.
        (
            "loss-fn-surrogates",
            "lambda m: np.log2(1 + np.exp(-m)),",
            "lambda m: np.log2(1 + np.exp(-np.abs(m) - m)),",
        ),
        # The second review's hinge, kinked at 0 (slopes -1.009 and -1): not classification-calibrated, and
        # its expected loss at eta = 1/2 +- 1e-3 is lowest at the score 0.
        (
            "loss-fn-surrogates",
            '"hinge": lambda m: np.maximum(0, 1 - m),',
            '"hinge": lambda m: np.maximum(0, 1 - m) + 0.009 * np.maximum(0, -m),',
        ),
        # The second review's unfinished fit: Adam with 170 steps is within 0.6% of stationary, 5% off the minimizer.
        ("loss-fn-mean-median", "theta = fit_exp_model(loss_fn, x, y)", "theta = fit_exp_model(loss_fn, x, y, 170)"),
        # Weighted cross-entropy divided by n instead of by the weights of the true classes.
        ("loss-fn-ce-nll", "(w * per_example).sum() / w.sum()) < tol", "(w * per_example).sum() / n) < tol"),
        # A "Huber" that is squared error everywhere follows the outlier like MSE.
        ("loss-fn-outlier", "huber(residual, delta))", "residual**2)"),
    ],
)
def test_claim_fails_when_broken(claim_id: str, good: str, bad: str) -> None:
    """Each broken variant fails its claim, and the failure names the page, the claim and the snippet line."""
    break_claim(PAGE, claim_id, good, bad)
