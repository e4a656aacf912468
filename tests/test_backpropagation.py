"""Tests of docs/backpropagation.md beyond its own blocks: every device, bad input, and claims failing when broken."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "backpropagation.md"


@pytest.fixture(scope="module")
def mlp() -> dict:
    """The namespace of the page's from-scratch numpy MLP block."""
    return run_section("backpropagation", "mlp")


def _problem(ns: dict, seed: int = 0, sizes: tuple[int, ...] = (3, 16, 16, 2)):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(32, sizes[0])), rng.normal(size=(32, sizes[-1])), ns["init_mlp"](list(sizes), rng)


def test_engine_matches_autograd_on_device(device: str) -> None:
    """Claim backprop-engine-matches-torch on each device."""
    ns = run_section("backpropagation", "engine")
    rng = np.random.default_rng(1)
    for f, n_inputs in [(ns["neuron"], 5), (ns["reuse"], 3), (ns["softplus_mix"], 3)]:
        for point in rng.uniform(-1.0, 1.0, size=(10, n_inputs)):
            ours, ref = ns["engine_grad"](f, point), ns["torch_grad"](f, point, device)
            assert np.linalg.norm(ours - ref) <= 1e-12 * np.linalg.norm(ref)


def test_mlp_matches_autograd_on_device(mlp: dict, device: str) -> None:
    """Claim backprop-mlp-matches-torch on each device, on a deeper network than the page's."""
    X, Y, params = _problem(mlp, seed=7, sizes=(5, 32, 32, 32, 3))
    loss, grads = mlp["loss_and_grads"](X, Y, params)
    ref_loss, ref = mlp["torch_loss_and_grads"](X, Y, params, device)
    flat = mlp["flat"]
    assert abs(loss - ref_loss) <= 1e-12 * ref_loss
    assert np.linalg.norm(flat(grads) - flat(ref)) <= 1e-12 * np.linalg.norm(flat(ref))


def test_flop_ratio_on_device(device: str) -> None:
    """Claim backprop-cost-ratio on each device, for other widths: backward = 2 × forward − first layer."""
    ns = run_section("backpropagation", "flops")
    sizes, batch = [10, 40, 30, 5], 16
    matmul = [2 * batch * a * c for a, c in zip(sizes, sizes[1:], strict=False)]
    fwd, bwd = ns["count_flops"](sizes, batch, device)
    assert (fwd, bwd) == (sum(matmul), 2 * sum(matmul) - matmul[0])


def test_vanishing_and_exploding_on_device(device: str) -> None:
    """Claims backprop-sigmoid-vanishes, -he-steady, -relu-explodes and -residual-remedy on each device (8 networks)."""
    ns = run_section("backpropagation", "vanishing")
    width, depth, he_std = 64, 12, (2 / 64) ** 0.5
    sizes = ns["layer_norms"]
    sig = sizes(torch.sigmoid, (1 / width) ** 0.5, device, nets=8)["weights"]
    he, big = sizes(torch.relu, he_std, device, nets=8), sizes(torch.relu, 2 * he_std, device, nets=8)
    low = sizes(torch.relu, 0.5 * he_std, device, nets=8)
    assert np.all(sig[:, 0] < 1e-5 * sig[:, -1])
    fwd, bwd = he["forward"], he["backward"]
    assert np.all((fwd > fwd[:, :1] / 10) & (fwd < 10 * fwd[:, :1]))
    assert np.all((bwd > bwd[:, -1:] / 10) & (bwd < 10 * bwd[:, -1:]))
    assert np.all(low["forward"][:, -1] < 1e-2 * low["forward"][:, 0])
    assert np.all(np.diff(low["forward"], axis=1) < 0) and np.all(np.diff(low["backward"], axis=1) > 0)
    mean_square = np.mean(fwd**2, axis=0) / np.mean(fwd[:, 0] ** 2)
    assert np.all(np.abs(mean_square - 1) < 0.25)  # 8 networks, not 20: a wider band than the page's 15%
    assert np.allclose(big["output"] / he["output"], 2**depth, rtol=1e-12)
    assert np.all(np.abs(np.log2(big["weights"] / he["weights"]) - (2 * depth - 1)) < np.log2(1.5))
    skip_run = sizes(torch.sigmoid, (1 / width) ** 0.5, device, nets=8, residual=True)
    skip, centred = skip_run["weights"], skip_run["centred"]
    assert np.all((skip[:, 0] / skip[:, -1] > 1e-3) & (skip[:, 0] / skip[:, -1] < 1e-2))
    assert np.all(centred[:, :-1].max(axis=1) < 2 * centred[:, :-1].min(axis=1))
    assert np.all(skip[:, :-1].max(axis=1) > 10 * skip[:, :-1].min(axis=1))


def test_kink_on_device(device: str) -> None:
    """Claim backprop-kink's autograd value on each device: 0 at the kink of relu(x) − relu(−x), 1 away from it."""
    t = torch.zeros(3, dtype=torch.float64, device=device)
    t[1], t[2] = 0.5, -0.5
    t.requires_grad_()
    run_section("backpropagation", "kink")["identity_by_relus"](t).sum().backward()
    assert t.grad.tolist() == [0.0, 1.0, 1.0]


def test_backward_does_not_step_on_device(device: str) -> None:
    """Claim backprop-computes-optimizer-steps on each device."""
    unchanged, gap, loss, new_loss = run_section("backpropagation", "step")["one_step"](device)
    assert unchanged and gap < 1e-15 and new_loss < loss


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda X, Y, p: (X[:, :2], Y, p), r"W1 has shape \(3, 16\) but X has shape \(32, 2\)"),
        (lambda X, Y, p: (X[0], Y, p), r"X must be 2-D .* got shape \(3,\)"),
        (
            lambda X, Y, p: (X, Y, [p[0], (p[1][0][:8], p[1][1]), p[2]]),
            r"W2 has shape \(8, 16\) but layer 1 outputs 16",
        ),
        (
            lambda X, Y, p: (X, Y, [p[0], (p[1][0], p[1][1][:3]), p[2]]),
            r"b2 has shape \(3,\) but W2 has shape \(16, 16\)",
        ),
        (lambda X, Y, p: (X, Y[:, :1], p), r"Y has shape \(32, 1\) but the network maps X \(32, 3\) to \(32, 2\)"),
    ],
)
def test_mlp_rejects_mismatched_shapes(mlp: dict, change, message: str) -> None:
    """The from-scratch MLP names the mismatched shapes instead of failing inside a matmul."""
    X, Y, params = change(*_problem(mlp))
    with pytest.raises(ValueError, match=message):
        mlp["loss_and_grads"](X, Y, params)


@pytest.mark.parametrize(
    ("claim_id", "good", "bad"),
    [
        # The engine forgets to sum over paths: a reused Value keeps only its last gradient.
        ("backprop-engine-matches-torch", "parent.grad += local * node.grad", "parent.grad = local * node.grad"),
        # A power rule that forgets the sign of the base, k·|x|^(k−1): wrong wherever a negative number is squared.
        ("backprop-engine-matches-torch", "(k * self.data ** (k - 1),)", "(k * abs(self.data) ** (k - 1),)"),
        # A gradient check whose rounding floor is flat (a constant error added below the best h) breaks the eps/h law.
        (
            "backprop-gradcheck-h-squared",
            "central_difference(X, Y, params, direction, h) - exact) / abs(exact) for h in steps",
            "central_difference(X, Y, params, direction, max(h, 1e-5)) - exact) / abs(exact) + 1e-9 for h in steps",
        ),
        # The figure's neuron with x2 ≠ 0: w2 now gets a gradient.
        ("backprop-chain-rule", "x2_value = 0.0", "x2_value = 0.5"),
        # The backward pass forgets tanh' = 1 − tanh².
        ("backprop-mlp-matches-torch", "* (1 - hs[i] ** 2)", "* 1"),
        # A forward difference is only first order: the measured slope drops to 1.
        (
            "backprop-gradcheck-h-squared",
            "loss_and_grads(X, Y, minus)[0]) / (2 * h)",
            "loss_and_grads(X, Y, params)[0]) / h",
        ),
        # An analysis that forgets the first layer needs no input gradient predicts a ratio of exactly 2.
        ("backprop-cost-ratio", "predicted = 2 * sum(matmul) - matmul[0]", "predicted = 2 * sum(matmul)"),
        # Sigmoid in place of ReLU under He init: the gradients are no longer steady across layers.
        ("backprop-he-steady", '"ReLU, He": (torch.relu,', '"ReLU, He": (torch.sigmoid,'),
        # A fifth less than He's variance, 1.6/n: every per-network factor-10 check passes; the mean square fails.
        ("backprop-he-steady", "he_std = math.sqrt(2 / width)", "he_std = math.sqrt(1.6 / width)"),
        # The shown range of weight-gradient ratios rounded inward at its low end: the page would overstate it.
        (
            "backprop-he-steady",
            "return math.floor(low / scale[0]) * scale[0]",
            "return math.ceil(low / scale[0]) * scale[0]",
        ),
        # Only non-negative coordinates: no power of a negative number, no negative divisor.
        ("backprop-engine-matches-torch", "rng.uniform(-box, box, size=", "rng.uniform(0, box, size="),
        # "Own top class" labels that are in fact random: the doubled network's gradients grow by more than 2^(L−1).
        ("backprop-relu-explodes", 'logits.detach() if loss == "ce_own"', 'logits.detach() if loss == "never"'),
        # No centring: the rank-one term of the stream's mean keeps the hidden layers' gradients apart.
        ("backprop-residual-remedy", "(h - h.mean(dim=1, keepdim=True))", "(h - 0 * h.mean(dim=1, keepdim=True))"),
        # A quarter of the He scale presented as He: the weight-gradient ratios stay steady (homogeneity),
        # but the forward signal shrinks, so the claim must fail.
        ("backprop-he-steady", "he_std = math.sqrt(2 / width)", "he_std = math.sqrt(0.125 / width)"),
        # Without the optimizer's step, backward() alone leaves the weights where they were.
        ("backprop-computes-optimizer-steps", "opt.step()  #", "pass  #"),
        # tanh in place of the sigmoid under the same init: its slope one at zero keeps the gradient from vanishing.
        ("backprop-sigmoid-vanishes", '"sigmoid, Glorot": (torch.sigmoid,', '"sigmoid, Glorot": (torch.tanh,'),
        # Without the skip connection there is no gain.
        ("backprop-residual-remedy", "residual=True)", "residual=False)"),
        # A weaker remedy that lifts the first-to-last ratio only to about 3e-4: the gain still passes, the range fails.
        (
            "backprop-residual-remedy",
            "skip_ratio = skip[:, 0] / skip[:, -1]",
            "skip_ratio = skip[:, 0] / skip[:, -1] / 14",
        ),
        # Biases in the doubled network break the exact scaling: relu(2z + b) is not 2 relu(z + b).
        (
            "backprop-relu-explodes",
            'f"ReLU, {large} × He std": (torch.relu, large * he_std)',
            'f"ReLU, {large} × He std": (lambda z: torch.relu(z + 0.5), large * he_std)',
        ),
        # The complex step with a real step instead: no imaginary part, a derivative of zero.
        ("backprop-complex-step", "shifted(params, direction, 1j * h)", "shifted(params, direction, h + 0j)"),
        # The MLP's gradient computed in float32: autograd in float64 and the extended-precision reference disagree.
        (
            "backprop-mlp-matches-torch",
            "return float(np.mean((out - Y) ** 2)), grads[::-1]",
            "return float(np.mean((out - Y) ** 2)), [(W.astype(np.float32), b) for W, b in grads[::-1]]",
        ),
        # A kink-free identity in place of the ReLU pair: autograd then returns 1 at zero too.
        ("backprop-kink", "return torch.relu(x) - torch.relu(-x)", "return x * 1.0"),
        # Forward mode with one direction fewer than inputs misses a partial derivative.
        (
            "backprop-forward-vs-reverse",
            "basis_in = torch.eye(x.numel(), dtype=x.dtype)",
            "basis_in = torch.eye(x.numel(), dtype=x.dtype)[1:]",
        ),
        # "Forward mode" that is reverse mode in disguise: same derivatives, but the cost no longer grows with n.
        (
            "backprop-forward-vs-reverse",
            "return vmap(lambda e: jvp(f, (x,), (e,))[1], out_dims=-1)(basis_in)",
            "return reverse_mode()  # ",
        ),
        # Checkpointing with as many segments as layers saves nothing.
        (
            "backprop-checkpointing",
            "depth, width, batch, segments = 16, 64, 128, 4",
            "depth, width, batch, segments = 16, 64, 128, 16",
        ),
        # A gradient check that fits its slope where rounding dominates no longer measures order 2.
        ("backprop-gradcheck-h-squared", "20, 2, 0.1, 1e-4, 1e-2, 10", "20, 2, 0.1, 1e-8, 1e-6, 10"),
    ],
)
def test_claim_fails_when_broken(claim_id: str, good: str, bad: str) -> None:
    """Each broken variant fails its claim, and the failure names the page, the claim and the snippet line."""
    break_claim(PAGE, claim_id, good, bad)
