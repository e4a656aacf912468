"""Tests of docs/weight-decay.md beyond its own blocks: bad input, every device, each claim broken once."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "weight-decay.md"


@pytest.mark.parametrize("decay", [1.0, -0.1, 2.0, float("nan")])
def test_decoupled_sgd_rejects_a_decay_outside_zero_one(decay: float) -> None:
    ns = run_section("weight_decay", "sgd")
    with pytest.raises(ValueError, match=r"decay must lie in \[0, 1\), got decay="):
        ns["sgd_decoupled"](np.ones(2), 0.1, decay, 3)


def test_sgd_forms_agree_with_torch_on_device(device: str) -> None:
    """Claim wd-sgd-same on each device, at another step and penalty."""
    ns = run_section("weight_decay", "sgd")
    c = np.array([-2.0, 0.3, 5.0])
    coupled = ns["sgd_l2"](c, 0.05, 2.0, 100)
    assert np.abs(ns["sgd_decoupled"](c, 0.05, 0.1, 100) - coupled).max() < 1e-12
    assert np.abs(ns["torch_sgd"](c, 0.05, 2.0, 100, device) - coupled).max() < 1e-12


def test_adam_forms_agree_with_torch_on_device(device: str) -> None:
    """Claim wd-adamw-torch on each device, at a constant learning rate."""
    ns = run_section("weight_decay", "torch")
    c, lrs = np.array([-3.0, 0.5, 1.5]), np.full(100, 0.02)
    for optimizer, decoupled in [(torch.optim.AdamW, True), (torch.optim.Adam, False)]:
        ours = ns["adam_decay_np"](c, lrs, 0.1, decoupled)
        assert np.abs(ns["torch_decay"](c, lrs, 0.1, optimizer, device) - ours).max() < 1e-12


def test_decay_only_on_device(device: str) -> None:
    """Claim wd-no-loss on each device: AdamW's factor per step is exactly 1 - lr * lam."""
    ns = run_section("weight_decay", "no-loss")
    sizes = ns["decay_only"](torch.optim.AdamW, 0.5, 0.01, 50, device)
    assert np.allclose(sizes, (1 - 0.005) ** np.arange(1, 51), rtol=1e-12, atol=0)


def test_the_two_adam_helpers_agree() -> None:
    """The figure block's helper and the torch block's helper are the same two methods."""
    a, b = run_section("weight_decay", "adam"), run_section("weight_decay", "torch")
    c, lrs = np.linspace(-3, 3, 7), np.full(80, 0.03)
    for decoupled in [True, False]:
        assert (
            np.abs(a["adam_decay"](c, lrs, 0.2, decoupled) - b["adam_decay_np"](c, lrs, 0.2, decoupled)).max() < 1e-13
        )


def test_sgd_claim_fails_without_rescaling_the_decay() -> None:
    break_claim(
        PAGE,
        "wd-sgd-same",
        "decoupled = sgd_decoupled(c, lr, lr * lam, steps)",
        "decoupled = sgd_decoupled(c, lr, lam, steps)",
    )


def test_adam_claim_fails_when_both_runs_use_l2() -> None:
    break_claim(
        PAGE,
        "wd-adam-differs",
        "adamw_end = adam_decay(c, lrs, lam, decoupled=True)[-1]",
        "adamw_end = adam_decay(c, lrs, lam, decoupled=False)[-1]",
    )


def test_torch_claim_fails_when_adam_and_adamw_swap() -> None:
    break_claim(
        PAGE,
        "wd-adamw-torch",
        "runs = {torch.optim.AdamW: True, torch.optim.Adam: False}",
        "runs = {torch.optim.AdamW: False, torch.optim.Adam: True}",
    )


def test_no_loss_claim_fails_if_adamw_decay_were_not_scaled_by_lr() -> None:
    break_claim(PAGE, "wd-no-loss", "lr * lam, rtol=tolerance", "lam, rtol=tolerance")


def test_no_loss_claim_fails_for_a_factor_off_by_1e_11_per_step() -> None:
    """A factor (1 - lr lam)(1 + 1e-11) per step, 5e-9 relative after the run: caught (no absolute tolerance)."""
    break_claim(
        PAGE,
        "wd-no-loss",
        "adamw = {lam: decay_only(torch.optim.AdamW, lam, lr, steps, device) for lam in lams}",
        "adamw = {lam: decay_only(torch.optim.AdamW, lam, lr, steps, device) * (1 + 1e-11) ** t for lam in lams}",
    )


def test_adamw_torch_claim_fails_on_a_gap_small_against_the_largest_iterate() -> None:
    """An error of 1e-13 times the run's largest |x| in every coordinate is caught: the tolerance is relative to
    each coordinate of each iterate."""
    break_claim(
        PAGE,
        "wd-adamw-torch",
        "theirs = torch_decay(c, lrs, lam, optimizer, device)",
        "theirs = torch_decay(c, lrs, lam, optimizer, device) + 1e-13 * np.abs(ours).max()",
    )


def test_flag_claim_fails_without_the_flag() -> None:
    break_claim(
        PAGE,
        "wd-adam-flag",
        "functools.partial(torch.optim.Adam, decoupled_weight_decay=True)",
        "functools.partial(torch.optim.Adam, decoupled_weight_decay=False)",
    )


def test_momentum_l2_matches_torch_on_device(device: str) -> None:
    """Claim wd-momentum on each device: PyTorch's SGD carries weight_decay in its velocity."""
    ns = run_section("weight_decay", "momentum")
    c = np.array([-1.0, 0.5, 3.0])
    ours = ns["momentum_decay"](c, 0.02, 0.8, 0.3, 0.0, 150)
    assert np.abs(ns["torch_momentum"](c, 0.02, 0.8, 0.3, 150, device) - ours).max() < 1e-12


def test_momentum_claim_fails_when_the_decay_is_not_rescaled() -> None:
    """Decoupled decay at lr * lam (no 1 / (1 - beta)) does not end where L2 does."""
    break_claim(
        PAGE,
        "wd-momentum",
        "sgdw_end = momentum_decay(c, lr, beta, 0.0, lr * lam / (1 - beta), steps)",
        "sgdw_end = momentum_decay(c, lr, beta, 0.0, lr * lam, steps)",
    )
