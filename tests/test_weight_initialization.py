"""Tests of docs/weight-initialization.md beyond its own blocks: the formulas, every device, broken claims."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "weight-initialization.md"
SNIPPET = "weight_initialization"


@pytest.fixture(scope="module")
def formulas() -> dict:
    return run_section(SNIPPET, "formulas")


def test_fans_reject_a_vector(formulas: dict) -> None:
    with pytest.raises(ValueError, match=r"shape must have at least 2 dimensions, got shape=\(5,\)"):
        formulas["fans"]((5,))


def test_formulas_by_hand(formulas: dict) -> None:
    """Fans count the kernel; Glorot's and He's standard deviations are the papers' formulas."""
    assert formulas["fans"]((64, 32, 3, 3)) == (288, 576)
    assert math.isclose(formulas["glorot_std"]((30, 10)), math.sqrt(2 / 40), rel_tol=1e-15)
    assert math.isclose(formulas["he_std"]((30, 10)), math.sqrt(2 / 10), rel_tol=1e-15)
    assert math.isclose(formulas["he_std"]((30, 10), mode="fan_out"), math.sqrt(2 / 30), rel_tol=1e-15)
    assert math.isclose(formulas["gain"]("leaky_relu", 0.2), math.sqrt(2 / 1.04), rel_tol=1e-15)


@pytest.mark.parametrize("shape", [(400, 900), (128, 16, 5, 5)])
def test_torch_init_matches_the_formulas_on_device(formulas: dict, device: str, shape: tuple[int, ...]) -> None:
    """Claims init-torch-formulas and init-torch-variance on each device, for other shapes and gains."""
    g = torch.nn.init.calculate_gain("leaky_relu", 0.3)
    std = formulas["he_std"](shape, formulas["gain"]("leaky_relu", 0.3))
    torch.manual_seed(3)
    w = torch.nn.init.kaiming_uniform_(torch.empty(shape, dtype=torch.float64, device=device), a=0.3)
    torch.manual_seed(3)
    ref = torch.empty(shape, dtype=torch.float64, device=device).uniform_(-std * 3**0.5, std * 3**0.5)
    assert (w - ref).abs().max().item() <= 1e-12 * ref.abs().max().item()
    assert abs(g - formulas["gain"]("leaky_relu", 0.3)) < 1e-15
    se = std**2 * math.sqrt(0.8 / w.numel())
    assert abs((w**2).mean().item() - std**2) < 5 * se


def test_per_layer_statistics_of_a_known_run() -> None:
    """per_layer averages the layer ratios of squared norms: a signal that halves each layer gives 0.5 ± 0."""
    ns = run_section(SNIPPET, "depth")
    run = {
        "forward": 0.5 ** np.arange(6)[:, None] * np.ones((6, 3)),
        "backward": 2.0 ** -np.arange(6)[:, None] * np.ones((6, 3)),
    }
    stats = ns["per_layer"](run)
    assert np.allclose(stats["forward"], (0.5, 0.0)) and np.allclose(stats["backward"], (2.0, 0.0))


def test_mean_field_fixed_point() -> None:
    """For ReLU with He's variance the mean-field recursion keeps q and chi = 1."""
    ns = run_section(SNIPPET, "depth")
    q, chi = ns["mean_field"]("relu", 2.0, 1.3, 10)
    assert np.allclose(q, 1.3, rtol=1e-12) and abs(chi - 1) < 1e-12


@pytest.mark.parametrize(
    ("claim_id", "good", "bad"),
    [
        # Glorot's formula without the gain: torch's xavier_ with gain 5/3 no longer matches.
        (
            "init-torch-formulas",
            "return g * math.sqrt(2 / (fan_in + fan_out))",
            "return math.sqrt(2 / (fan_in + fan_out))",
        ),
        # Fans that ignore the kernel: the convolutional weights no longer match.
        ("init-torch-formulas", "field = math.prod(shape[2:])", "field = 1"),
        # A wrong tanh gain in the table.
        ("init-torch-formulas", '"tanh": 5 / 3', '"tanh": 1.0'),
        # He's variance over the fan-out instead of the fan-in: the conv layer's fans differ.
        ("init-torch-variance", "he = 2 / fan_in", "he = 2 / fan_out"),
        # A uniform bound that is too small: draws fall outside it.
        ("init-torch-variance", "bound = math.sqrt(3 * var)", "bound = math.sqrt(2.9 * var)"),
        # One seed per shape, shared by the initializers: the normal pair draws the same numbers.
        ("init-torch-variance", "torch.manual_seed(10 * k + j)", "torch.manual_seed(k)"),
        # A tenth below He's variance: the mean factor per layer is 0.9, many standard errors from one.
        ("init-steady", "he, glorot = 2.0, 1.0", "he, glorot = 1.8, 1.0"),
        # He's variance off by 2.5%: a factor of about 4 over the 60 layers, more than 4 standard errors.
        ("init-steady", "he, glorot = 2.0, 1.0", "he, glorot = 2.05, 1.0"),
        ("init-steady", "he, glorot = 2.0, 1.0", "he, glorot = 1.95, 1.0"),
        # Tanh at 0.9 of Glorot's variance: ordered phase, geometric decay, no longer the power law.
        ("init-tanh", 'signal("tanh", glorot, noise), signal', 'signal("tanh", 0.9 * glorot, noise), signal'),
        # The "half" network run at He's variance: its factor is one, not a half.
        ("init-off-by-two", 'signal("relu", half * he, noise_half)', 'signal("relu", he, noise_half)'),
        # tanh at Glorot's variance instead of PyTorch's gain: chi < 1, no growth.
        (
            "init-tanh",
            'tanh_gain, rtol, settle = torch.nn.init.calculate_gain("tanh"),',
            "tanh_gain, rtol, settle = 1.0,",
        ),
        # A hard-coded gain near PyTorch's: the page would name a gain PyTorch does not use.
        (
            "init-tanh",
            'tanh_gain, rtol, settle = torch.nn.init.calculate_gain("tanh"),',
            "tanh_gain, rtol, settle = 1.6,",
        ),
        # The backward pass with W_l in place of W_l^T: no longer the gradient autograd computes.
        ("init-steady", "g = ((g * slope) @ N.transpose(0, 2, 1)) * scale", "g = ((g * slope) @ N) * scale"),
        ("init-off-by-two", "g = ((g * slope) @ N.transpose(0, 2, 1)) * scale", "g = ((g * slope) @ N) * scale"),
        ("init-tanh", "g = ((g * slope) @ N.transpose(0, 2, 1)) * scale", "g = ((g * slope) @ N) * scale"),
        # chi with E[phi'] in place of E[phi'^2]: the measured growth no longer matches it.
        ("init-tanh", "act(name, np.sqrt(q[-1]) * x)[1] ** 2", "act(name, np.sqrt(q[-1]) * x)[1]"),
        # nn.Linear re-initialized with He's method: variance 2/n, no longer a sixth.
        (
            "init-linear-default",
            "for _ in range(depth)]\n",
            "for _ in range(depth)]\n    [torch.nn.init.kaiming_uniform_(m.weight, a=0.0) for m in layers]\n",
        ),
    ],
)
def test_claim_fails_when_broken(claim_id: str, good: str, bad: str) -> None:
    """Each broken variant fails its claim, naming the page, the claim and the snippet line."""
    break_claim(PAGE, claim_id, good, bad)
