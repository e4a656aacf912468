"""Tests of docs/loss-surface.md beyond its own blocks: every device, bad input, and claims failing when broken."""

from __future__ import annotations

import ast

import pytest
import torch
from torch import nn

from pipeline.fences import ROOT, read_section
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "loss-surface.md"


@pytest.fixture(scope="module")
def slice_ns() -> dict:
    return run_section("loss_surface", "slice")


def test_slice_matches_per_point_on_device(slice_ns: dict, device: str) -> None:
    """Claims surface-slice-grid, -matches and -untouched on each device, on a smaller grid."""
    model, x, y = slice_ns["trained_model"](device)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    directions = slice_ns["filter_normalized_directions"](model, seed=3)
    coords, values = slice_ns["loss_slice"](model, nn.functional.mse_loss, x, y, directions, radius=0.5, steps=11)
    reference = slice_ns["loss_per_point"](model, nn.functional.mse_loss, x, y, directions, coords)
    assert (values.cpu() - reference).abs().max() < 1e-6
    assert torch.equal(coords, -coords.flip(0)) and coords[5] == 0
    assert abs(values[5, 5].item() - nn.functional.mse_loss(model(x), y).item()) < 1e-6
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


def test_slice_keeps_eval_mode_and_dropout_free(slice_ns: dict) -> None:
    """A model in eval mode stays in eval mode; a mixed-mode model keeps each module's mode."""
    model, x, y = slice_ns["trained_model"]("cpu")
    model[1].eval()  # one submodule in eval mode, the rest training
    directions = slice_ns["filter_normalized_directions"](model)
    slice_ns["loss_slice"](model, nn.functional.mse_loss, x, y, directions, steps=3)
    assert model.training and not model[1].training and model[0].training


def _dropout_slice_centre(loss_slice) -> tuple[float, float, bool]:
    """A model with nn.Dropout(0.5), in training mode: the slice's centre, its loss in eval mode, its mode after."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Dropout(0.5), nn.Linear(32, 1)).double()
    x, y = torch.randn(64, 4, dtype=torch.float64), torch.randn(64, 1, dtype=torch.float64)
    zero = {n: torch.zeros_like(p) for n, p in model.named_parameters()}
    _, values = loss_slice(model, nn.functional.mse_loss, x, y, (zero, zero), steps=3)
    restored = model.training
    with torch.no_grad():
        eval_loss = nn.functional.mse_loss(model.eval()(x), y).item()
    return values[1, 1].item(), eval_loss, restored


def test_slice_evaluates_in_eval_mode_and_restores_the_mode(slice_ns: dict) -> None:
    """Claim "evaluates in eval mode": with dropout active in training mode, the centre is the eval-mode loss."""
    centre, eval_loss, restored = _dropout_slice_centre(slice_ns["loss_slice"])
    assert abs(centre - eval_loss) < 1e-12 and restored


def test_slice_eval_mode_test_fails_without_model_eval() -> None:
    """Removing model.eval() from loss_slice makes the dropout test fail: dropout stays active."""
    code, origin, line = read_section("snippets/loss_surface.py:slice", where="test")
    assert code.count("    model.eval()\n") == 1
    namespace: dict = {}
    broken = "\n" * (line - 1) + code.replace("    model.eval()\n", "    pass\n")
    tree = ast.parse(broken, str(origin))
    tree.body = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef))]
    exec(compile(tree, str(origin), "exec"), namespace)
    try:  # under vmap, dropout in training mode refuses to run; were it to run, it would drop units
        centre, eval_loss, _ = _dropout_slice_centre(namespace["loss_slice"])
    except RuntimeError as error:
        assert "random" in str(error)
    else:
        assert abs(centre - eval_loss) > 1e-3


def test_filter_normalization(slice_ns: dict) -> None:
    """Each row of a direction has the norm of the same row of the weights; biases get zero."""
    model, _, _ = slice_ns["trained_model"]("cpu")
    d1, d2 = slice_ns["filter_normalized_directions"](model, seed=1)
    for name, p in model.named_parameters():
        if p.dim() == 1:
            assert not d1[name].any()
        else:
            assert torch.allclose(d1[name].norm(dim=1), p.detach().norm(dim=1))
            assert not torch.allclose(d1[name], d2[name])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"steps": 40}, "steps must be an odd integer"),
        ({"steps": 1}, "steps must be an odd integer"),
        ({"steps": 41.0}, "steps must be an odd integer"),
        ({"radius": 0.0}, "radius must be positive"),
        ({"radius": float("nan")}, "radius must be positive"),
    ],
)
def test_slice_rejects_bad_grid(slice_ns: dict, settings: dict, message: str) -> None:
    model = nn.Linear(2, 1)
    directions = slice_ns["filter_normalized_directions"](model)
    x, y = torch.zeros(4, 2), torch.zeros(4, 1)
    with pytest.raises(ValueError, match=message):
        slice_ns["loss_slice"](model, nn.functional.mse_loss, x, y, directions, **settings)


def test_l2_shift_on_device(device: str) -> None:
    """Claim surface-l2-shift on each device and for another penalty and point."""
    ns = run_section("loss_surface", "l2")
    plain, regularized = ns["l2_shift"](0.3, device, seed=5)
    assert (regularized - plain - 0.6).abs().max() < 1e-10


def test_reparameterization_keeps_function(device: str) -> None:
    """Claim surface-sharpness-reparameterized: the rescaled network computes the same outputs."""
    ns = run_section("loss_surface", "reparameterize")
    theta = torch.randn(337, dtype=torch.float64, device=device)
    x = torch.randn(50, 2, dtype=torch.float64, device=device)
    assert torch.allclose(ns["mlp"](ns["rescale"](theta, 7.0), x), ns["mlp"](theta, x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("claim_id", "old", "new"),
    [
        (
            "surface-slice-matches",
            "p.copy_(theta[name] + a * d1[name] + b * d2[name])",
            "p.copy_(theta[name] + a * d1[name])",
        ),
        ("surface-slice-grid", "* (radius / half)  #", "* (radius / half) + 0.01  #"),
        ("surface-slice-untouched", "m.training = mode", "m.training = False"),
        ("surface-l2-shift", "lam * (p**2).sum()", "lam * (p**2).sum() + lam * p[0] ** 4"),
        ("surface-tiny-net-nonconvex", "ends = descend(net_grad, starts)", "ends = descend(linear_grad, starts)"),
        (
            "surface-linear-convex",
            "[[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]",
            "[[np.mean(x * x), -np.mean(x)], [-np.mean(x), 1.0]]",
        ),
        ("surface-tiny-net-nonconvex", "(r * h).mean(1)", "(r * np.tanh(1.3 * w * x)).mean(1)"),
        ("surface-interpolation", "(bump_height <= 0)", "(bump_height <= 0.05)"),
        ("surface-trajectory-pca", "centred = offsets - offsets.mean(0)", "centred = offsets"),
        (
            "surface-slice-grid",
            "(moved, buffers), (x,)), y)",
            "(moved, buffers), (x,)), y).float().double()",
        ),
        ("surface-sharpness-reparameterized", "theta[..., 48:304] /= alpha", "theta[..., 48:304] /= alpha**0.5"),
    ],
)
def test_claims_fail_when_broken(claim_id: str, old: str, new: str) -> None:
    """Breaking the code a claim rests on makes the block fail, naming the page and the claim."""
    break_claim(PAGE, claim_id, old, new)
