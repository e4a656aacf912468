"""Tests of docs/critical-point.md beyond its own blocks: bad input to its helpers, and known answers."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.testing import run_section


@pytest.fixture(scope="module")
def find_ns() -> dict:
    return run_section("critical_point", "find")


@pytest.mark.parametrize("grid", [1, 0, -5])
def test_critical_points_rejects_a_tiny_grid(find_ns, grid: int) -> None:
    with pytest.raises(ValueError, match=f"grid must be at least 2, got {grid}"):
        find_ns["critical_points"](find_ns["CAMEL"], (-3, 3, -2, 2), grid=grid)


@pytest.mark.parametrize("box", [(3, -3, -2, 2), (-3, 3, 2, 2)])
def test_critical_points_rejects_an_empty_box(find_ns, box: tuple) -> None:
    with pytest.raises(ValueError, match=r"box must be \(xmin, xmax, ymin, ymax\) with min < max"):
        find_ns["critical_points"](find_ns["CAMEL"], box)


def test_known_critical_points(find_ns) -> None:
    """The published minimizer (3, 2) of Himmelblau's function is found and called a minimum; a saddle of x^2 - y^2."""
    points = find_ns["critical_points"](find_ns["HIMMELBLAU"], (-6, 6, -6, 6))
    nearest = points[np.argmin(np.linalg.norm(points - [3, 2], axis=1))]
    assert np.allclose(nearest, [3, 2], atol=1e-9)
    assert find_ns["kind"](find_ns["HIMMELBLAU"], nearest) == "minimum"
    saddle = np.array([[0, 0, -1], [0, 0, 0], [1, 0, 0]], dtype=float)  # x^2 - y^2
    points = find_ns["critical_points"](saddle, (-1, 1, -1, 1), grid=5)
    assert np.allclose(points, [[0, 0]]) and find_ns["kind"](saddle, points[0]) == "saddle"
    assert find_ns["kind"](-saddle.T, np.zeros(2)) == "saddle"
    assert find_ns["kind"](np.array([[0, 0, -1], [0, 0, 0], [-1, 0, 0]], dtype=float), np.zeros(2)) == "maximum"


def test_winding_number_of_a_saddle_is_minus_one(find_ns) -> None:
    """Around the saddle of x^2 - y^2 the gradient turns once the other way: index -1."""
    saddle = np.array([[0, 0, -1], [0, 0, 0], [1, 0, 0]], dtype=float)
    turns, _ = find_ns["winding_number"](saddle, 1.0)
    assert abs(turns + 1) < 1e-9
