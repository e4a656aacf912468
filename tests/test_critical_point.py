"""Tests of docs/critical-point.md beyond its own blocks: bad input to its helpers, known answers, and the
claims failing when broken."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.fences import ROOT
from pipeline.testing import break_claim, run_section

PAGE = ROOT / "docs" / "critical-point.md"


@pytest.fixture(scope="module")
def find_ns() -> dict:
    return run_section("critical_point", "find")


@pytest.mark.parametrize("grid", [1, 0, -5])
def test_critical_points_rejects_a_tiny_grid(find_ns, grid: int) -> None:
    with pytest.raises(ValueError, match=f"grid must be at least 2, got {grid}"):
        find_ns["critical_points"](find_ns["camel"](), (-3, 3, -2, 2), grid=grid)


@pytest.mark.parametrize("box", [(3, -3, -2, 2), (-3, 3, 2, 2)])
def test_critical_points_rejects_an_empty_box(find_ns, box: tuple) -> None:
    with pytest.raises(ValueError, match=r"box must be \(xmin, xmax, ymin, ymax\) with min < max"):
        find_ns["critical_points"](find_ns["camel"](), box)


def test_known_critical_points(find_ns) -> None:
    """The published minimizer (3, 2) of Himmelblau's function is found and called a minimum; a saddle of x^2 - y^2."""
    points = find_ns["critical_points"](find_ns["himmelblau"](), (-6, 6, -6, 6))
    nearest = points[np.argmin(np.linalg.norm(points - [3, 2], axis=1))]
    assert np.allclose(nearest, [3, 2], atol=1e-9)
    assert find_ns["kind"](find_ns["himmelblau"](), nearest) == "minimum"
    saddle = np.array([[0, 0, -1], [0, 0, 0], [1, 0, 0]], dtype=float)  # x^2 - y^2
    points = find_ns["critical_points"](saddle, (-1, 1, -1, 1), grid=5)
    assert np.allclose(points, [[0, 0]]) and find_ns["kind"](saddle, points[0]) == "saddle"
    assert find_ns["kind"](-saddle.T, np.zeros(2)) == "saddle"
    assert find_ns["kind"](np.array([[0, 0, -1], [0, 0, 0], [-1, 0, 0]], dtype=float), np.zeros(2)) == "maximum"


def test_winding_number_of_a_saddle_is_minus_one(find_ns) -> None:
    """Around the saddle of x^2 - y^2 the gradient turns once the other way: index -1."""
    saddle = np.array([[0, 0, -1], [0, 0, 0], [1, 0, 0]], dtype=float)
    turns, _, _ = find_ns["winding_number"](saddle, 1.0)
    assert abs(turns + 1) < 1e-9


def test_kind_refuses_a_degenerate_point(find_ns) -> None:
    """x^4 + y^4 has a zero Hessian at its minimum: kind() refuses rather than guess."""
    quartic = np.zeros((5, 5))
    quartic[4, 0] = quartic[0, 4] = 1
    with pytest.raises(ValueError, match="degenerate critical point"):
        find_ns["kind"](quartic, np.zeros(2))


@pytest.mark.parametrize(
    ("claim_id", "old", "new"),
    [
        # The reviewer's change: a maximum called a minimum leaves the Euler sum at 1, but not the circle test.
        ("critical-count", 'else "minimum" if lo > 0 else "maximum"', 'else "minimum"'),
        # A circle sampled at 3 points: the gradient's direction jumps too far between them to count turns.
        ("critical-euler", "winding_number(c, radius, n=n_circle)", "winding_number(c, radius, n=3)"),
        # L from the mean curvature alone (no spread): too small, and the random points show it.
        (
            "critical-stationary-rate",
            "on_grid = np.abs(np.linalg.eigvalsh(H)).max()",
            "on_grid = np.abs(H[..., 0, 0] + H[..., 1, 1]).max() / 2",
        ),
        # Gradient ascent in x: no run ends at the saddle.
        ("critical-nonstrict-saddle", "x, y = x - lr * gx", "x, y = x + lr * gx"),
        ("critical-gd-minima", "& (hxx * hyy - hxy**2 > 0) & (hxx > 0)", "& (hxx * hyy - hxy**2 > 0) & (hxx < 0)"),
        ("critical-stationary-rate", "bound = 2 * (f0", "bound = 0.5 * (f0"),
        # The second review's change: L from the grid alone, no spread term. At the box corners, grid points,
        # that is exact; on the small box with a coarse grid it misses the largest size between the points.
        (
            "critical-stationary-rate",
            "return float(on_grid + spread * np.sqrt(dxx**2 + 2 * dxy**2 + dyy**2))",
            "return float(on_grid)",
        ),
        # The final review's changes: a 3 x 3 grid holds the camel's largest size, so the bracketed sentence
        # (the largest lies between grid points) would be false; and a spread term a tenth of its size, too
        # small for the 2 x 2 grids (Himmelblau: 41.4 < 46.5 on [-1, 1]^2, 44.9 < 48.7 off centre).
        ("critical-stationary-rate", "small_box, coarse = (-1, 1, -1, 1), 4", "small_box, coarse = (-1, 1, -1, 1), 3"),
        ("critical-stationary-rate", "on_grid + spread * np.sqrt(", "on_grid + 0.1 * spread * np.sqrt("),
        # The arc without its 2 pi (the review also dropped np.abs, which lowers it further): the drift bound
        # falls below the gradient's largest measured move between neighbouring points.
        ("critical-euler", "* 2 * np.pi * radius / n_circle", "* radius / n_circle"),
    ],
)
def test_claim_fails_when_broken(claim_id: str, old: str, new: str) -> None:
    """Breaking what a claim is about makes its block fail, naming page, claim and line."""
    break_claim(PAGE, claim_id, old, new)


def test_total_degree(find_ns) -> None:
    """The degrees behind the Bezout bounds: f_x and f_y of Himmelblau's function have degree 3; the camel's 5 and 3."""
    from numpy.polynomial import polynomial as P

    degree = find_ns["total_degree"]
    h, c = find_ns["himmelblau"](), find_ns["camel"]()
    assert (degree(P.polyder(h, axis=0)), degree(P.polyder(h, axis=1))) == (3, 3)
    assert (degree(P.polyder(c, axis=0)), degree(P.polyder(c, axis=1))) == (5, 3)


def test_resultant_is_zero_for_a_common_factor(find_ns) -> None:
    """(y - x)(x + 1) and (y - x)(y + 2) share the line y = x: infinitely many common zeros, zero resultant."""
    a, b = np.zeros((3, 3)), np.zeros((3, 3))  # c[i, j] multiplies x^i y^j
    a[1, 1], a[0, 1], a[2, 0], a[1, 0] = 1, 1, -1, -1  # x y + y - x^2 - x
    b[0, 2], b[0, 1], b[1, 1], b[1, 0] = 1, 2, -1, -2  # y^2 + 2 y - x y - 2 x
    assert abs(find_ns["resultant_at"](a, b, 0.37)) < 1e-12
    assert abs(find_ns["resultant_at"](a.T, b.T, 0.37)) < 1e-12


def test_kind_by_circle_agrees_on_simple_quadratics(find_ns) -> None:
    """x^2 + y^2, -(x^2 + y^2) and x^2 - y^2 at the origin: minimum, maximum, saddle."""
    bowl = np.array([[0, 0, 1], [0, 0, 0], [1, 0, 0]], dtype=float)
    saddle = np.array([[0, 0, -1], [0, 0, 0], [1, 0, 0]], dtype=float)
    kinds = [find_ns["kind_by_circle"](c, np.zeros(2)) for c in (bowl, -bowl, saddle)]
    assert kinds == ["minimum", "maximum", "saddle"]


def test_deep_linear_origin_is_a_saddle_with_zero_hessian() -> None:
    """The page's (w1 w2 w3 - 1)^2: at the origin the gradient and Hessian vanish, yet f falls and rises nearby."""

    def f(w: np.ndarray) -> np.ndarray:
        return (np.prod(w, axis=-1) - 1) ** 2

    h, e = 1e-3, np.eye(3)
    grad = np.array([(f(h * d) - f(-h * d)) / (2 * h) for d in e])
    hess = np.array(
        [[(f(h * (a + b)) - f(h * (a - b)) - f(h * (b - a)) + f(-h * (a + b))) / (4 * h**2) for b in e] for a in e]
    )
    assert np.abs(grad).max() < 1e-12 and np.abs(hess).max() < 1e-2  # O(h) from the cubic term
    t = 0.1
    assert f(np.full(3, t)) < f(np.zeros(3)) < f(np.full(3, -t))
