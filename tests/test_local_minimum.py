"""Tests of docs/local-minimum.md beyond its own blocks: every device, and the claim failing when broken."""

from __future__ import annotations

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "local-minimum.md"


def test_torch_follows_numpy_on_device(device: str) -> None:
    """Claim torch-matches-numpy on each device; CUDA reports as skipped where there is no GPU."""
    torch_path = run_section("local_minimum", "torch")["torch_momentum_path"]
    heavy_ball = run_section("local_minimum", "momentum")["heavy_ball"]  # what every momentum claim uses
    path = torch_path(2.0, lr=0.01, beta=0.9, steps=300, device=device)
    reference = heavy_ball(2.0, lr=0.01, beta=0.9, steps=300)
    assert abs(path - reference).max() < 1e-10
    assert abs(path[-1] - (-1.3008)) < 1e-3


def test_flagship_claim_fails_when_momentum_is_removed() -> None:
    """Setting momentum to 0 breaks claim momentum-escapes; the failure names page, claim and line."""
    break_claim(PAGE, "momentum-escapes", ", 0.9, 500", ", 0.0, 500")


def test_flagship_claim_fails_for_gradient_descent_at_the_effective_step() -> None:
    """The review's defeating change: plain GD with step lr / (1 - beta) also ends in the global minimum from
    x0 = 2, but it never steps uphill, so claim momentum-escapes fails."""
    break_claim(
        PAGE,
        "momentum-escapes",
        "        v = beta * v + grad(x)\n        x = x - lr * v\n",
        "        x = x - lr / (1 - beta) * grad(x)\n",
    )


def test_fairness_claim_fails_with_only_the_old_betas() -> None:
    """At beta up to 0.9 momentum gains nothing over GD at equal effective step on [-2.5, 2.5]: with only those
    betas (the configuration behind the page's old conclusion), claim momentum-fair fails."""
    break_claim(PAGE, "momentum-fair", "betas = (0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99)", "betas = (0.0, 0.5, 0.8, 0.9)")


def test_fairness_claim_fails_if_the_effective_step_is_not_matched() -> None:
    """Momentum given GD's step s instead of s (1 - beta) is not at the same effective step: the claim fails."""
    break_claim(PAGE, "momentum-fair", "ends_left(s * (1 - b), b, starts)", "ends_left(s, b, starts)")


def test_friction_claim_fails_when_beta_is_held_instead_of_friction() -> None:
    """Holding beta = 0.9 for every effective step changes the friction along a row: claim momentum-friction fails."""
    break_claim(
        PAGE, "momentum-friction", "ends_left(a**2 * s**2, 1 - a**2 * s, starts)", "ends_left(s * 0.1, 0.9, starts)"
    )


def test_friction_claim_fails_when_the_large_step_is_small() -> None:
    """The large-step run is what shows the friction picture's limit; at a small step it does not jump the barrier."""
    break_claim(PAGE, "momentum-friction", "a_big, s_big = 3.0, 0.1", "a_big, s_big = 3.0, 0.01")


def test_friction_claim_fails_when_the_switch_is_misplaced() -> None:
    """The escape switches off between friction 1.6 and 1.7; claiming it between 1.7 and 1.8 fails."""
    break_claim(PAGE, "momentum-friction", "a_low, a_high = 1.6, 1.7", "a_low, a_high = 1.7, 1.8")


def test_adam_momentum_claim_fails_when_the_runs_keep_momentum() -> None:
    """Giving the 'no momentum' runs Adam's default first-moment factor breaks claim adam-momentum."""
    break_claim(
        PAGE,
        "adam-momentum",
        "no_momentum = (0.3, 0.5), 0.9, (0.0, 0.999)",
        "no_momentum = (0.3, 0.5), 0.9, (0.9, 0.999)",
    )


def test_basin_claim_fails_with_a_step_too_large_for_order() -> None:
    """With a step where lr f'' exceeds one the order argument no longer holds: claim gd-basins fails."""
    break_claim(PAGE, "gd-basins", "lr, beta, steps, margin = 0.01,", "lr, beta, steps, margin = 0.02,")


def test_adam_claim_fails_when_adam_is_gradient_descent() -> None:
    """Replacing the large-step Adam runs by SGD breaks claim adam-step-size."""
    break_claim(
        PAGE,
        "adam-step-size",
        "final_points(torch.optim.Adam, starts, steps, lr=lr, betas=(b1, no_momentum[1]))",
        "final_points(torch.optim.SGD, starts, steps, lr=lr / 100)",
    )


def test_adam_horizon_claim_fails_at_the_short_horizon() -> None:
    """Continuing only to the same 500 steps leaves every run settled: claim adam-horizon fails."""
    break_claim(PAGE, "adam-horizon", "long_steps = 5000", "long_steps = 500")


def test_adam_momentum_claim_fails_if_most_runs_had_settled() -> None:
    """Without momentum most runs still oscillate after 500 steps; a bound of 10% unsettled would be false."""
    break_claim(PAGE, "adam-momentum", "most_moving = 0.5", "most_moving = 0.1")
