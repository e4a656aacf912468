"""Tests of docs/escaping-a-network-minimum.md beyond its own blocks: its helpers, every device, each claim broken."""

from __future__ import annotations

import pytest
import torch

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "escaping-a-network-minimum.md"
SNIPPET = "escaping_a_network_minimum"


@pytest.fixture(autouse=True)
def float64():
    """The page's code runs in float64 (its first line sets the default); so do these tests, and only these."""
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(before)


@pytest.fixture
def net(float64) -> dict:
    """The minimum section's functions, with a random data set of the page's shape in place of the page's."""
    ns = run_section(SNIPPET, "minimum")
    gen = torch.Generator().manual_seed(3)
    ns["P"] = ns["H"] * ns["D"] + 2 * ns["H"] + 1
    ns["teacher"] = torch.randn(ns["P"], generator=gen)
    ns["X"] = torch.randn(ns["n"], ns["D"], generator=gen)
    w, b, v, c = ns["unpack"](ns["teacher"])
    ns["Y"] = torch.tanh(ns["X"] @ w.T + b) @ v + c
    return ns


def test_hand_written_gradient_is_autograds(net: dict) -> None:
    theta = torch.randn(5, net["P"], requires_grad=True)
    loss, grad = net["full"](theta)
    (auto,) = torch.autograd.grad(loss.sum(), theta)
    assert (auto - grad).abs().max().item() < 1e-13


def test_hand_written_hessian_is_autograds(net: dict) -> None:
    """The hand-written Hessian, with and without weight decay, equals torch.func.hessian of the loss."""
    theta = torch.randn(3, net["P"], generator=torch.Generator().manual_seed(4))
    for decay in (net["wd"], 0.0):
        auto = torch.func.vmap(torch.func.hessian(lambda t, decay=decay: net["full"](t[None], decay)[0][0]))(theta)
        assert (auto - net["hess"](theta, decay)).abs().max().item() < 1e-12


def test_settle_descends_to_a_zero_gradient(net: dict) -> None:
    """The descent that classifies the runs: from points near the teacher, the loss only goes
    down and every network ends with a gradient norm below the page's tolerance."""
    ns = run_section(SNIPPET, "escape")
    ns.update({k: net[k] for k in ("full", "hess")})
    ns["grad_tol"] = 1e-8
    theta = net["teacher"] + 0.05 * torch.randn(6, net["P"], generator=torch.Generator().manual_seed(5))
    before = net["full"](theta)[0]
    settled, loss, grad = ns["settle"](theta, 200, 0.1)
    assert torch.all(loss <= before) and grad.norm(dim=-1).max().item() < 1e-8
    assert torch.allclose(net["full"](settled)[0], loss, rtol=0, atol=1e-15)
    assert (settled - theta).norm(dim=-1).max().item() > 0.01  # it moved


def test_newton_only_lowers_the_loss_and_can_reach_a_zero_gradient(net: dict) -> None:
    """Damped Newton from near the teacher: every run's loss and gradient go down; where the start is close
    enough, the gradient reaches zero (the page certifies its own minima with the same function)."""
    theta = net["teacher"] + 0.001 * torch.randn(4, net["P"], generator=torch.Generator().manual_seed(0))
    before, grad0 = net["full"](theta)
    loss, grad = net["full"](net["newton"](theta, 40))
    assert torch.all(loss <= before) and torch.all(grad.norm(dim=-1) < grad0.norm(dim=-1))
    assert grad.norm(dim=-1).min().item() < 1e-8


def test_wilson_bounds_solve_the_score_equation() -> None:
    """Wilson's bounds are the two p with (k/m - p)^2 = z^2 p (1 - p) / m."""
    wilson = run_section(SNIPPET, "escape")["wilson"]
    for k, m in [(0, 600), (22, 200), (51, 200), (600, 600)]:
        lo, hi = wilson(k, m)
        assert 0 <= lo <= k / m <= hi <= 1
        for p in (lo, hi):
            assert abs((k / m - p) ** 2 - 1.96**2 * p * (1 - p) / m) < 1e-14


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
    break_claim(
        PAGE, "escape-small-noise-stays", '"SGD, lr 0.03": (lr, 0.0, 1, steps)', '"SGD, lr 0.03": (0.3, 0.0, 1, steps)'
    )


def test_momentum_claim_fails_without_momentum() -> None:
    break_claim(
        PAGE,
        "escape-momentum-beats-same-lr",
        '"momentum 0.9, lr 0.03": (lr, beta, 1, steps)',
        '"momentum 0.9, lr 0.03": (lr, 0.0, 1, steps)',
    )


def test_effective_step_claim_fails_when_plain_sgd_keeps_the_small_step() -> None:
    break_claim(
        PAGE,
        "escape-effective-step-ceiling",
        '"SGD, lr 0.3 = lr/(1-beta)": (lr / (1 - beta), 0.0, 1, steps)',
        '"SGD, lr 0.3 = lr/(1-beta)": (lr, 0.0, 1, steps)',
    )


def test_intermediate_step_claim_fails_when_momentum_is_plain_sgd_at_the_same_effective_step() -> None:
    """With the velocity removed (plain SGD at lr_mid/(1-beta) twice), the two counts are equal: no gap."""
    break_claim(
        PAGE,
        "escape-intermediate-step",
        'f"momentum {beta:g}, lr {lr_mid:g}": (lr_mid, beta, 1, steps)',
        'f"momentum {beta:g}, lr {lr_mid:g}": (lr_mid / (1 - beta), 0.0, 1, steps)',
    )


def test_intermediate_step_claim_fails_when_both_are_at_the_ceiling() -> None:
    """The reviewer's case: at the main step both leave every time, so the gap the claim asserts is absent."""
    break_claim(PAGE, "escape-intermediate-step", "lr_mid = 0.02", "lr_mid = 0.03")


def test_weight_decay_claim_fails_when_the_data_term_keeps_the_decay() -> None:
    """Newton "without weight decay" that keeps it stays at theta_loc, certified: the statement is then false."""
    break_claim(PAGE, "escape-weight-decay", "newton(theta_loc[None], 5 * newton_iters, decay=0.0)", "theta_loc[None]")


def test_descent_cap_claim_fails_when_the_second_descent_stops_early() -> None:
    break_claim(PAGE, "escape-descent-cap", "settle_iters, 5 * radius)", "3, 5 * radius)")


def test_batch_size_claim_fails_when_both_use_single_points() -> None:
    break_claim(
        PAGE,
        "escape-batch-size",
        '"SGD, lr 0.3, batch 4, 1/4 steps": (lr / (1 - beta), 0.0, 4, steps // 4)',
        '"SGD, lr 0.3, batch 4, 1/4 steps": (lr / (1 - beta), 0.0, 1, steps // 4)',
    )


def test_torch_claim_fails_when_torch_uses_nesterov() -> None:
    break_claim(PAGE, "escape-matches-torch", "lr=lr, momentum=beta)", "lr=lr, momentum=beta, nesterov=True)")
