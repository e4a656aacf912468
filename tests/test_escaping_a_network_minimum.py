"""Tests of docs/escaping-a-network-minimum.md beyond its own blocks: its helpers, every device, each claim broken."""

from __future__ import annotations

import math

import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "escaping-a-network-minimum.md"
SNIPPET = "escaping_a_network_minimum"


@pytest.fixture(scope="module")
def net() -> dict:
    """The minimum section's functions, with a small data set of its shape in place of the page's."""
    ns = run_section(SNIPPET, "minimum")
    gen = torch.Generator().manual_seed(3)
    ns["X"], ns["Y"] = torch.randn(ns["n"], ns["D"], generator=gen), torch.randn(ns["n"], generator=gen)
    return ns


def test_hand_written_gradient_is_autograds(net: dict) -> None:
    theta = torch.randn(5, net["P"], requires_grad=True)
    loss, grad = net["full"](theta)
    (auto,) = torch.autograd.grad(loss.sum(), theta)
    assert (auto - grad).abs().max().item() < 1e-13


def test_newton_reaches_a_zero_gradient_and_never_raises_the_loss(net: dict) -> None:
    theta = torch.randn(4, net["P"], generator=torch.Generator().manual_seed(0))
    for _ in range(2000):
        theta = theta - 0.1 * net["full"](theta)[1]
    before = net["full"](theta)[0]
    after = net["newton"](theta, 30)
    loss, grad = net["full"](after)
    assert torch.all(loss <= before) and grad.norm(dim=-1).max().item() < 1e-8


def test_wilson_interval_matches_the_formula() -> None:
    wilson = run_section(SNIPPET, "escape")["wilson"]
    lo, hi = wilson(0, 200)
    assert lo == pytest.approx(0.0, abs=1e-15) and hi == pytest.approx(1.96**2 / (200 + 1.96**2), rel=1e-12)
    lo, hi = wilson(50, 200)
    assert lo < 0.25 < hi and math.isclose(hi - 0.25, 0.25 - lo, rel_tol=0.1)


def test_batched_runs_follow_torch_sgd_on_device(net: dict, device: str) -> None:
    """Claim escape-matches-torch on each device, for plain SGD and momentum, batch one and four."""
    ns = run_section(SNIPPET, "escape")
    ns.update({k: net[k] for k in ("X", "Y", "n", "D", "loss_grad", "unpack", "wd")})
    on = torch.device(device)
    theta0 = torch.randn(net["P"], generator=torch.Generator().manual_seed(1)).to(on)
    order = torch.randperm(net["n"], generator=torch.Generator().manual_seed(2)).repeat(3)[None].to(on)
    for lr, beta, batch in [(0.05, 0.0, 1), (0.05, 0.9, 1), (0.1, 0.5, 4)]:
        path: list[torch.Tensor] = []
        ns["sgd_runs"](
            theta0,
            torch.tensor([lr], device=on),
            torch.tensor([beta], device=on),
            torch.tensor([batch], device=on),
            order,
            20,
            5,
            path,
        )
        param = theta0.clone().requires_grad_(True)
        opt = torch.optim.SGD([param], lr=lr, momentum=beta)
        for t in range(20):
            opt.param_groups[0]["lr"] = lr * min(1.0, (20 - t) / 5)
            idx = order[0, t * batch : (t + 1) * batch]
            opt.zero_grad()
            net["loss_grad"](param[None], net["X"].to(on)[idx][None], net["Y"].to(on)[idx][None])[0].sum().backward()
            opt.step()
            assert (param.detach() - path[t][0]).abs().max().item() < 1e-12


def test_certified_claim_fails_for_a_start_that_is_not_a_certified_minimum() -> None:
    """Picking theta_loc among the uncertified ends (a point that merely looks like a minimum) must fail."""
    break_claim(
        PAGE,
        "escape-certified-minimum",
        "torch.where(certified & (torch.round",
        "torch.where(~certified & (torch.round",
    )


def test_no_flat_directions_claim_fails_with_a_copied_unit() -> None:
    """A unit that copies another (up to sign) is a flat direction: the claim must notice."""
    break_claim(
        PAGE,
        "escape-no-flat-directions",
        "units = torch.cat([w, b[:, None]], 1)",
        "units = torch.cat([w, b[:, None]], 1)\nunits[1] = -units[0]",
    )


def test_small_noise_claim_fails_when_the_small_step_is_large() -> None:
    break_claim(PAGE, "escape-small-noise-stays", '"SGD, lr 0.03": (lr, 0.0, 1)', '"SGD, lr 0.03": (0.3, 0.0, 1)')


def test_momentum_claim_fails_without_momentum() -> None:
    break_claim(
        PAGE,
        "escape-momentum-beats-same-lr",
        '"momentum 0.9, lr 0.03": (lr, beta, 1)',
        '"momentum 0.9, lr 0.03": (lr, 0.0, 1)',
    )


def test_larger_step_claim_fails_when_plain_sgd_gets_momentums_step() -> None:
    break_claim(
        PAGE,
        "escape-larger-step-beats-momentum",
        '"SGD, lr 0.3 = lr/(1-beta)": (lr / (1 - beta), 0.0, 1)',
        '"SGD, lr 0.3 = lr/(1-beta)": (lr, 0.0, 1)',
    )


def test_batch_size_claim_fails_when_both_use_single_points() -> None:
    break_claim(
        PAGE,
        "escape-batch-size",
        '"SGD, lr 0.3, batch 4": (lr / (1 - beta), 0.0, 4)',
        '"SGD, lr 0.3, batch 4": (lr / (1 - beta), 0.0, 1)',
    )


def test_torch_claim_fails_when_torch_uses_nesterov() -> None:
    break_claim(PAGE, "escape-matches-torch", "lr=lr, momentum=beta)", "lr=lr, momentum=beta, nesterov=True)")
