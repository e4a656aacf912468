"""Tests of docs/batch-size.md beyond its blocks: bad input, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "batch-size.md"


@pytest.fixture(scope="module")
def variance() -> dict:
    return run_section("batch_size", "variance")


@pytest.mark.parametrize("B", [0, -1, 11])
def test_batch_means_rejects_a_batch_size_outside_one_to_n(variance: dict, B: int) -> None:
    with pytest.raises(ValueError, match=rf"B must be a batch size from 1 to 10, got B={B}"):
        variance["batch_means"](np.ones((10, 2)), B, 3, True, np.random.default_rng(0))


def test_full_batch_without_replacement_is_the_full_gradient(variance: dict) -> None:
    G = np.arange(12.0).reshape(6, 2)
    means = variance["batch_means"](G, 6, 4, False, np.random.default_rng(0))
    assert np.allclose(means, G.mean(axis=0), rtol=0, atol=1e-14)


def test_dataloader_batch_gradient_equals_numpy_on_device(device: str) -> None:
    """Claim batch-torch on each device, with a batch size that does not divide N."""
    ns = run_section("batch_size", "torch")
    rng = np.random.default_rng(3)
    X, y, w = rng.standard_normal((23, 3)), rng.standard_normal(23), rng.standard_normal(3)
    data = TensorDataset(torch.tensor(X), torch.tensor(y), torch.arange(23))
    loader = DataLoader(data, batch_size=5, shuffle=True, generator=torch.Generator().manual_seed(1))
    pairs = ns["torch_batch_grads"](X, y, w, loader, device)
    assert [len(i) for i, _ in pairs] == [5, 5, 5, 5, 3]
    assert all(np.allclose(g, ns["numpy_batch_grad"](X, y, w, i), rtol=0, atol=1e-12) for i, g in pairs)


def test_variance_claim_fails_when_batches_are_sums_not_means() -> None:
    break_claim(PAGE, "batch-variance", "return G[idx].mean(axis=1)", "return G[idx].sum(axis=1) / np.sqrt(B)")


def test_without_replacement_claim_fails_when_it_samples_with_replacement() -> None:
    break_claim(PAGE, "batch-without-replacement", "for replace in [True, False]:", "for replace in [True, True]:")


def test_torch_claim_fails_with_a_summed_loss() -> None:
    break_claim(PAGE, "batch-torch", "** 2 / 2).mean()", "** 2 / 2).sum()")


def test_steps_claim_fails_without_tuning_the_learning_rate() -> None:
    """One small learning rate for every batch size: big batches cannot take bigger steps."""
    break_claim(PAGE, "batch-steps", "lrs = np.geomspace(0.02, 1.9 / lam_max, 12)", "lrs = np.array([0.05])")


def test_linear_scaling_claim_fails_when_the_learning_rate_is_not_scaled() -> None:
    break_claim(PAGE, "batch-linear-scaling", "int(k * B0), k * lr0,", "int(k * B0), lr0,")


def test_without_replacement_claim_fails_when_the_half_batch_variance_is_too_small() -> None:
    """The reviewer's defeat: a sampler giving 0.3 of the variance at B = N/2 passed the old one-sided bound."""
    break_claim(
        PAGE,
        "batch-without-replacement",
        "assert abs(without_r[-2] / with_r[-2] - half)",
        "assert abs(0.3 - half)",
    )


def test_torch_claim_fails_when_the_loader_uses_another_batch_size() -> None:
    break_claim(
        PAGE,
        "batch-torch",
        "DataLoader(data, batch_size=B, shuffle=True",
        "DataLoader(data, batch_size=8, shuffle=True",
    )


def test_steps_claim_fails_when_large_batches_still_scale() -> None:
    """Comparing B = 1 with B = 8 at the large end as well: eightfold fewer steps is not 'under 2x'."""
    break_claim(PAGE, "batch-steps", "all_steps[:, -4] / all_steps[:, -1]", "all_steps[:, 0] / all_steps[:, 3]")


def test_linear_scaling_claim_fails_with_a_tighter_band_than_the_data_support() -> None:
    break_claim(
        PAGE, "batch-linear-scaling", "scaled_up_to, held, worse = 16, 1.25,", "scaled_up_to, held, worse = 32, 1.25,"
    )
