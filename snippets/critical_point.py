# Code of the Critical point page (docs/critical-point.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:find]
import numpy as np
from numpy.polynomial import polynomial as P

# A polynomial f(x, y) = sum c[i, j] x^i y^j is its coefficient array c.
HIMMELBLAU = np.zeros((5, 5))  # (x^2 + y - 11)^2 + (x + y^2 - 7)^2
for (i, j), v in {
    (4, 0): 1,
    (2, 1): 2,
    (2, 0): -21,
    (0, 2): -13,
    (1, 2): 2,
    (0, 4): 1,
    (1, 0): -14,
    (0, 1): -22,
}.items():
    HIMMELBLAU[i, j] = v
HIMMELBLAU[0, 0] = 170
CAMEL = np.zeros((7, 5))  # (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2
for (i, j), v in {(2, 0): 4, (4, 0): -2.1, (6, 0): 1 / 3, (1, 1): 1, (0, 2): -4, (0, 4): 4}.items():
    CAMEL[i, j] = v


def critical_points(c: np.ndarray, box: tuple[float, float, float, float], grid: int = 60) -> np.ndarray:
    """All critical points of the polynomial c in the box: Newton's method from every point of a grid."""
    if grid < 2:
        raise ValueError(f"grid must be at least 2, got {grid}")
    x0, x1, y0, y1 = box
    if not (x0 < x1 and y0 < y1):
        raise ValueError(f"box must be (xmin, xmax, ymin, ymax) with min < max, got {box}")
    cx, cy = P.polyder(c, axis=0), P.polyder(c, axis=1)  # the gradient's coefficients
    cxx, cxy, cyy = P.polyder(cx, axis=0), P.polyder(cx, axis=1), P.polyder(cy, axis=1)
    x, y = (a.ravel() for a in np.meshgrid(np.linspace(x0, x1, grid), np.linspace(y0, y1, grid)))
    with np.errstate(all="ignore"):  # starts where the Hessian is singular fly off; they are dropped below
        for _ in range(40):  # Newton: solve H step = -gradient, for all starts at once (2x2 closed form)
            gx, gy = P.polyval2d(x, y, cx), P.polyval2d(x, y, cy)
            hxx, hxy, hyy = P.polyval2d(x, y, cxx), P.polyval2d(x, y, cxy), P.polyval2d(x, y, cyy)
            det = hxx * hyy - hxy**2
            x, y = x - (hyy * gx - hxy * gy) / det, y - (hxx * gy - hxy * gx) / det
        ok = np.hypot(P.polyval2d(x, y, cx), P.polyval2d(x, y, cy)) < 1e-8
    unique: list[np.ndarray] = []
    for p in np.stack([x[ok], y[ok]], axis=1):  # merge the starts that found the same point
        if not any(np.linalg.norm(p - q) < 1e-6 for q in unique):
            unique.append(p)
    return np.array(unique)


def kind(c: np.ndarray, p: np.ndarray) -> str:
    """minimum, maximum or saddle, from the signs of the Hessian's eigenvalues."""
    cx, cy = P.polyder(c, axis=0), P.polyder(c, axis=1)
    H = [[P.polyval2d(*p, P.polyder(d, axis=a)) for a in (0, 1)] for d in (cx, cy)]
    lo, hi = np.linalg.eigvalsh(H)
    return "saddle" if lo < 0 < hi else "minimum" if lo > 0 else "maximum"


def winding_number(c: np.ndarray, radius: float, n: int = 4000) -> tuple[float, float]:
    """Turns of the gradient around the circle |p| = radius, and the least outward slope p . grad f / |p|."""
    t = np.linspace(0, 2 * np.pi, n + 1)
    x, y = radius * np.cos(t), radius * np.sin(t)
    gx, gy = P.polyval2d(x, y, P.polyder(c, axis=0)), P.polyval2d(x, y, P.polyder(c, axis=1))
    turns = np.unwrap(np.arctan2(gy, gx))
    return (turns[-1] - turns[0]) / (2 * np.pi), ((x * gx + y * gy) / radius).min()


problems = {  # coefficients, search box, Bezout bound deg(f_x) * deg(f_y), a circle around the box
    "Himmelblau": (HIMMELBLAU, (-6, 6, -6, 6), 3 * 3, 9.0),
    "six-hump camel": (CAMEL, (-3, 3, -2, 2), 5 * 3, 4.0),
}
for name, (c, box, bezout, radius) in problems.items():
    points = critical_points(c, box)
    kinds = [kind(c, p) for p in points]
    n_min, n_saddle, n_max = (kinds.count(k) for k in ("minimum", "saddle", "maximum"))
    turns, outward = winding_number(c, radius)
    farthest = np.hypot(*points.T).max()
    print(f"{name}: {len(points)} critical points (Bezout bound {bezout}), all inside |p| < {farthest:.2f}")
    print(f"  {n_min} minima - {n_saddle} saddles + {n_max} maxima = {n_min - n_saddle + n_max}", end="")
    print(f";  on |p| = {radius:g} the gradient points outward and turns {turns:.3f} times")
    # claim: critical-count
    assert len(points) == bezout  # as many real solutions as there can be complex ones: none is missing
    assert (n_min, n_saddle, n_max) == {"Himmelblau": (4, 4, 1), "six-hump camel": (6, 7, 2)}[name]
    # claim: critical-euler
    assert n_min - n_saddle + n_max == 1  # the Euler characteristic of a disk
    assert outward > 0 and farthest < radius  # f rises across the circle, all points inside
    assert abs(turns - (n_min - n_saddle + n_max)) < 1e-6  # Poincare-Hopf: the sum of the indices
# --8<-- [end:find]

# --8<-- [start:gd]
import numpy as np


def himmelblau_grad_hess(x, y):
    """Gradient and Hessian entries of (x^2 + y - 11)^2 + (x + y^2 - 7)^2."""
    a, b = x**2 + y - 11, x + y**2 - 7
    return (4 * x * a + 2 * b, 2 * a + 4 * y * b), (12 * x**2 + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y**2 - 26)


def camel_grad_hess(x, y):
    """Gradient and Hessian entries of (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2."""
    grad = (8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3)
    return grad, (8 - 25.2 * x**2 + 10 * x**4, np.ones_like(x), -8 + 48 * y**2)


def descend(grad_hess, x, y, lr: float, steps: int):
    """Gradient descent from all starts at once."""
    for _ in range(steps):
        (gx, gy), _ = grad_hess(x, y)
        x, y = x - lr * gx, y - lr * gy
    return x, y


def newton(grad_hess, x, y, steps: int):
    """Newton's method from all starts at once: it seeks any zero of the gradient."""
    for _ in range(steps):
        (gx, gy), (hxx, hxy, hyy) = grad_hess(x, y)
        det = hxx * hyy - hxy**2
        x, y = x - (hyy * gx - hxy * gy) / det, y - (hxx * gy - hxy * gx) / det
    return x, y


def where_it_stops(grad_hess, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Which runs stopped at a critical point, and which of those are minima."""
    (gx, gy), (hxx, hxy, hyy) = grad_hess(x, y)
    stopped = np.hypot(gx, gy) < 1e-6
    return stopped, stopped & (hxx * hyy - hxy**2 > 0) & (hxx > 0)  # both Hessian eigenvalues positive


rng = np.random.default_rng(0)
problems = {"Himmelblau": (himmelblau_grad_hess, (-5, 5, -5, 5)), "six-hump camel": (camel_grad_hess, (-3, 3, -2, 2))}
for name, (grad_hess, (x0, x1, y0, y1)) in problems.items():
    starts = rng.uniform((x0, y0), (x1, y1), size=(1000, 2))
    x, y = descend(grad_hess, *starts.T, lr=1e-3, steps=4000)  # lr < 1/L on the region the runs visit
    stopped, at_minimum = where_it_stops(grad_hess, x, y)
    ends = np.unique(np.round(np.stack([x, y], 1)[at_minimum], 4), axis=0)
    newton_stopped, newton_minimum = where_it_stops(grad_hess, *newton(grad_hess, *starts.T, steps=50))
    newton_elsewhere = (newton_stopped & ~newton_minimum).mean()
    print(f"{name}, {len(starts)} random starts:")
    print(f"  gradient descent ends at a minimum from {at_minimum.mean():.0%} ({len(ends)} different minima)")
    print(f"  Newton's method ends at a saddle or maximum from {newton_elsewhere:.0%}")
    # claim: critical-gd-minima [starts=len(starts)]
    assert stopped.all() and at_minimum.all()
    assert newton_elsewhere > 0.2
# --8<-- [end:gd]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np
from numpy.polynomial import polynomial as P

CAMEL = np.zeros((7, 5))  # (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2
for (i, j), v in {(2, 0): 4, (4, 0): -2.1, (6, 0): 1 / 3, (1, 1): 1, (0, 2): -4, (0, 4): 4}.items():
    CAMEL[i, j] = v
cx, cy = P.polyder(CAMEL, axis=0), P.polyder(CAMEL, axis=1)

# Newton's method from a grid of starts, as in the first block, then keep the distinct points.
x, y = (a.ravel() for a in np.meshgrid(np.linspace(-2.5, 2.5, 60), np.linspace(-1.5, 1.5, 60)))
with np.errstate(all="ignore"):
    for _ in range(60):
        gx, gy = P.polyval2d(x, y, cx), P.polyval2d(x, y, cy)
        hxx, hxy = P.polyval2d(x, y, P.polyder(cx, axis=0)), P.polyval2d(x, y, P.polyder(cx, axis=1))
        hyy = P.polyval2d(x, y, P.polyder(cy, axis=1))
        det = hxx * hyy - hxy**2
        x, y = x - (hyy * gx - hxy * gy) / det, y - (hxx * gy - hxy * gx) / det
    ok = np.hypot(P.polyval2d(x, y, cx), P.polyval2d(x, y, cy)) < 1e-8
points = np.unique(np.round(np.stack([x[ok], y[ok]], 1), 6), axis=0)
hxx, hxy = P.polyval2d(*points.T, P.polyder(cx, axis=0)), P.polyval2d(*points.T, P.polyder(cx, axis=1))
hyy = P.polyval2d(*points.T, P.polyder(cy, axis=1))
det = hxx * hyy - hxy**2

X, Y = np.meshgrid(np.linspace(-2.3, 2.3, 93), np.linspace(-1.3, 1.3, 53))
Z = P.polyval2d(X, Y, CAMEL)
fig, ax = plt.subplots(figsize=(7, 4))
ax.contour(X, Y, Z, levels=np.linspace(-1.0, 4, 16), colors="0.6", linewidths=0.6)
for mask, marker, color, label in [
    ((det > 0) & (hxx > 0), "o", "C0", "minimum"),
    (det < 0, "x", "C3", "saddle"),
    ((det > 0) & (hxx < 0), "^", "C2", "maximum"),
]:
    ax.plot(*points[mask].T, marker, color=color, ms=7, mew=2, ls="none", label=f"{label} ({mask.sum()})")
ax.set(xlabel="x", ylabel="y", title="Critical points of the six-hump camel function")
ax.legend(loc="upper center", ncol=3, fontsize=8)
fig.tight_layout()
fig.savefig("critical-point-camel.svg")
# --8<-- [end:figure]
