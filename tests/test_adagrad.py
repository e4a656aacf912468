"""Tests of docs/adagrad.md beyond its own blocks: bad input to its helpers, every device, each claim broken."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "adagrad.md"


@pytest.fixture(scope="module")
def update() -> dict:
    return run_section("adagrad", "torch")


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
def test_adagrad_rejects_a_step_size_that_is_not_positive(update: dict, lr: float) -> None:
    with pytest.raises(ValueError, match=r"lr must be a finite positive step size, got lr="):
        update["adagrad_path"](np.ones(2), np.ones(2), lr=lr, steps=3)


def test_first_step_is_lr_in_each_coordinate(update: dict) -> None:
    """G_1 = g_1^2: the first move is lr * sign(g) in every coordinate (eps = 0)."""
    path = update["adagrad_path"](np.array([2.0, 0.5]), np.array([1.0, -3.0]), lr=0.1, steps=1, eps=0.0)
    assert np.allclose(path[1] - path[0], [-0.1, 0.1], rtol=1e-12)


@pytest.mark.parametrize("options", [{"lr": 0.1}, {"lr": 0.2, "lr_decay": 0.1, "initial_accumulator_value": 1.0}])
def test_numpy_equals_torch_on_device(update: dict, device: str, options: dict) -> None:
    """Claim adagrad-torch on each device, on another problem."""
    rng = np.random.default_rng(5)
    curv, x0 = rng.uniform(0.5, 5.0, (3, 4)), rng.standard_normal((3, 4))
    ours = update["adagrad_path"](curv, x0, steps=50, **options)
    assert np.abs(ours - update["torch_path"](curv, x0, 50, device, **options)).max() < 1e-12


def test_torch_claim_fails_without_lr_decay() -> None:
    break_claim(PAGE, "adagrad-torch", "lr / (1 + (t - 1) * lr_decay)", "lr")


def test_step_claim_fails_with_eps_inside_the_root() -> None:
    """The formula with eps inside the root no longer matches torch.optim.Adagrad."""
    break_claim(
        PAGE,
        "adagrad-step",
        "(np.sqrt(start + np.cumsum(grads**2, axis=0)) + eps)",
        "np.sqrt(start + np.cumsum(grads**2, axis=0) + eps)",
    )


def test_torch_claim_fails_if_the_numpy_default_lr_differs_from_torchs() -> None:
    break_claim(PAGE, "adagrad-torch", "lr: float = 0.01,", "lr: float = 0.1,")


@pytest.fixture(scope="module")
def sparse() -> dict:
    return run_section("adagrad", "sparse")


def test_sparse_first_step_moves_each_present_feature_by_lr(sparse: dict) -> None:
    """From w = 0 on one example, SGD moves each present feature by lr * target, AdaGrad by lr * sign(target)."""
    X, y, lrs = np.array([[[1.0, 0.0, 1.0]]]), np.array([[2.0]]), np.array([0.1, 0.5])
    w = sparse["train"](X, y, lrs)
    assert w.shape == (2, 2, 1, 3)
    assert np.allclose(w[0, :, 0], [[0.2, 0.0, 0.2], [1.0, 0.0, 1.0]], rtol=1e-12)
    assert np.allclose(w[1, :, 0], [[0.1, 0.0, 0.1], [0.5, 0.0, 0.5]], rtol=1e-12)


def test_sparse_predict_is_a_dot_product_per_seed(sparse: dict) -> None:
    rng = np.random.default_rng(3)
    X, w = rng.standard_normal((5, 4, 3)), rng.standard_normal((2, 6, 4, 3))
    assert np.allclose(sparse["predict"](X, w), np.einsum("nsd,mlsd->mlsn", X, w), rtol=1e-12)


@pytest.mark.parametrize(("hits", "n"), [(0, 20), (19, 20), (20, 20), (97, 100)])
def test_wilson_interval_holds_the_rate_inside_zero_one(sparse: dict, hits: int, n: int) -> None:
    low, high = sparse["wilson"](hits, n, 1.96)
    assert -1e-12 <= low <= hits / n <= high <= 1 + 1e-12 and high - low > 0.01


def test_wilson_interval_matches_a_textbook_value(sparse: dict) -> None:
    """The 95% Wilson interval for 8 of 10 is (0.490, 0.943), as statistics tables give it."""
    low, high = sparse["wilson"](8, 10, 1.96)
    assert abs(low - 0.4902) < 1e-3 and abs(high - 0.9433) < 1e-3


def test_sparse_claim_fails_when_adagrad_is_plain_sgd() -> None:
    """Without the per-coordinate scaling AdaGrad's side is SGD again: no advantage."""
    break_claim(PAGE, "adagrad-sparse", "step * g[1] / (np.sqrt(total) + 1e-10)", "step * g[1]")


def test_sparse_claim_fails_with_one_shared_accumulator() -> None:
    """AdaGrad's scalar form (one sum of squared gradients for all coordinates) loses the rare features' edge."""
    break_claim(PAGE, "adagrad-sparse", "total += g[1] ** 2", "total += (g[1] ** 2).sum(axis=-1, keepdims=True)")


def test_plateau_claim_fails_when_adagrad_forgets() -> None:
    """AdaGrad with a forgetting accumulator (that is, RMSprop) reaches the well."""
    break_claim(
        PAGE, "adagrad-plateau", "ada = arrival(starts, lrs, budget, None)", "ada = arrival(starts, lrs, budget, 0.9)"
    )


def test_not_vanishing_claim_fails_without_noise() -> None:
    """With exact gradients in the noisy runs the step levels off: no 1/sqrt(t)."""
    break_claim(
        PAGE,
        "adagrad-not-vanishing",
        "adagrad_run(curv, lr, sigma, runs, steps, seed=1)",
        "adagrad_run(curv, lr, 0.0, runs, steps, seed=1)",
    )


def test_not_vanishing_claim_fails_if_the_sum_kept_growing() -> None:
    """The reviewer's change: a sum that grows by 1e-12 a step never levels off, which the claim now sees."""
    break_claim(PAGE, "adagrad-not-vanishing", "total += g**2", "total += g**2 + 1e-12")


def test_plateau_claim_fails_if_adagrad_kept_its_stall_at_large_lrs() -> None:
    """AdaGrad with its accumulator started at a large value (as after a much steeper drop) stalls at lr 3 too."""
    break_claim(
        PAGE,
        "adagrad-plateau",
        "total, hit = np.zeros_like(x), np.zeros(x.shape, int)",
        "total, hit = np.full_like(x, 1e4), np.zeros(x.shape, int)",
    )
