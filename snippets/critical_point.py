# Code of the Critical point page (docs/critical-point.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:find]
import numpy as np
from numpy.polynomial import polynomial as P


def polynomial(terms: dict[tuple[int, int], float]) -> np.ndarray:
    """The coefficient array c of f(x, y) = sum c[i, j] x^i y^j, from its terms {(i, j): c_ij}."""
    c = np.zeros((max(i for i, _ in terms) + 1, max(j for _, j in terms) + 1))
    for (i, j), v in terms.items():
        c[i, j] = v
    return c


def himmelblau() -> np.ndarray:
    """(x^2 + y - 11)^2 + (x + y^2 - 7)^2, expanded."""
    terms = {(4, 0): 1, (2, 1): 2, (2, 0): -21, (0, 2): -13, (1, 2): 2, (0, 4): 1, (1, 0): -14, (0, 1): -22}
    return polynomial({**terms, (0, 0): 170})


def camel() -> np.ndarray:
    """The six-hump camel (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2, expanded."""
    return polynomial({(2, 0): 4, (4, 0): -2.1, (6, 0): 1 / 3, (1, 1): 1, (0, 2): -4, (0, 4): 4})


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


def hessian_eigenvalues(c: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Eigenvalues (ascending) of the Hessian of the polynomial c at the point p."""
    cx, cy = P.polyder(c, axis=0), P.polyder(c, axis=1)
    H = [[P.polyval2d(*p, P.polyder(d, axis=a)) for a in (0, 1)] for d in (cx, cy)]
    return np.linalg.eigvalsh(H)


def kind(c: np.ndarray, p: np.ndarray) -> str:
    """minimum, maximum or saddle, from the signs of the Hessian's eigenvalues (nondegenerate points only)."""
    lo, hi = hessian_eigenvalues(c, p)
    if lo == 0 or hi == 0:
        raise ValueError(f"degenerate critical point at {p}: a zero Hessian eigenvalue")
    return "saddle" if lo < 0 < hi else "minimum" if lo > 0 else "maximum"


def kind_by_circle(c: np.ndarray, p: np.ndarray, r: float = 1e-3, m: int = 64) -> str:
    """minimum, maximum or saddle without the Hessian: is f higher, lower or both on a small circle around p?"""
    t = np.linspace(0, 2 * np.pi, m, endpoint=False)
    rise = P.polyval2d(p[0] + r * np.cos(t), p[1] + r * np.sin(t), c) - P.polyval2d(*p, c)
    return "minimum" if rise.min() > 0 else "maximum" if rise.max() < 0 else "saddle"


def total_degree(c: np.ndarray) -> int:
    """The degree of the polynomial c: the largest i + j with c[i, j] != 0."""
    i, j = np.nonzero(c)
    return int((i + j).max())


def resultant_at(a: np.ndarray, b: np.ndarray, x: float) -> float:
    """The resultant in y of the polynomials a(x, y), b(x, y), at one x, over its Hadamard bound (so in [-1, 1]).
    Not zero means the resultant is not the zero polynomial: a and b share no factor that involves y."""
    a, b = (P.polyval(x, d[:, : np.nonzero(d.any(axis=0))[0].max() + 1]) for d in (a, b))  # coefficients in y
    m, n = len(a) - 1, len(b) - 1
    S = np.zeros((m + n, m + n))  # the Sylvester matrix
    for i in range(n):
        S[i, i : i + m + 1] = a[::-1]
    for i in range(m):
        S[n + i, i : i + n + 1] = b[::-1]
    return np.linalg.det(S) / np.prod(np.linalg.norm(S, axis=1))


def hessian_bound_on_disk(c: np.ndarray, radius: float) -> float:
    """A proven bound on the Hessian's norm over the disk |p| <= radius: each entry's coefficients in absolute
    value, evaluated at (radius, radius), bound that entry; the Frobenius norm of those bounds the matrix."""
    entries = [P.polyder(c, 2, axis=0), P.polyder(P.polyder(c, axis=0), axis=1), P.polyder(c, 2, axis=1)]
    xx, xy, yy = (P.polyval2d(radius, radius, np.abs(e)) for e in entries)
    return float(np.sqrt(xx**2 + 2 * xy**2 + yy**2))


def hessian_norm_seen(c: np.ndarray, radius: float, n: int = 201) -> float:
    """The largest Frobenius norm of the Hessian at the points of an n x n grid that lie in the disk."""
    x, y = np.meshgrid(np.linspace(-radius, radius, n), np.linspace(-radius, radius, n))
    x, y = x[x**2 + y**2 <= radius**2], y[x**2 + y**2 <= radius**2]
    xx, xy, yy = (P.polyval2d(x, y, P.polyder(P.polyder(c, i, axis=0), 2 - i, axis=1)) for i in (2, 1, 0))
    return float(np.sqrt(xx**2 + 2 * xy**2 + yy**2).max())


def gradient_steps(c: np.ndarray, radius: float, n: int) -> float:
    """The largest change of the gradient between neighbouring points of n on the circle |p| = radius."""
    t = np.linspace(0, 2 * np.pi, n + 1)
    x, y = radius * np.cos(t), radius * np.sin(t)
    g = np.stack([P.polyval2d(x, y, P.polyder(c, axis=0)), P.polyval2d(x, y, P.polyder(c, axis=1))], 1)
    return float(np.linalg.norm(np.diff(g, axis=0), axis=1).max())


def winding_number(c: np.ndarray, radius: float, n: int = 4000) -> tuple[float, float, float]:
    """Turns of the gradient around the circle |p| = radius, the largest turn between neighbouring points
    (in degrees; small means no turn was skipped), and the least outward slope p . grad f / |p|."""
    t = np.linspace(0, 2 * np.pi, n + 1)
    x, y = radius * np.cos(t), radius * np.sin(t)
    gx, gy = P.polyval2d(x, y, P.polyder(c, axis=0)), P.polyval2d(x, y, P.polyder(c, axis=1))
    angle = np.unwrap(np.arctan2(gy, gx))
    step = np.degrees(np.abs(np.diff(angle)).max())
    return (angle[-1] - angle[0]) / (2 * np.pi), step, ((x * gx + y * gy) / radius).min()


problems = {  # coefficients, search box, a circle around the box
    "Himmelblau": (himmelblau(), (-6, 6, -6, 6), 9.0),
    "six-hump camel": (camel(), (-3, 3, -2, 2), 4.0),
}
chi, n_circle, max_step, flat_tol, x_test = 1, 4000, 5, 1e-6, 0.37  # chi: the Euler characteristic of a disk
found, radii, turn_step, drift, slope = {}, {}, {}, {}, {}
for name, (c, box, radius) in problems.items():
    points = critical_points(c, box)
    cx, cy = P.polyder(c, axis=0), P.polyder(c, axis=1)
    bezout = total_degree(cx) * total_degree(cy)  # deg(f_x) deg(f_y)
    # Bezout's bound needs finitely many common zeros: f_x and f_y share no factor, in y nor in x alone.
    resultants = resultant_at(cx, cy, x_test), resultant_at(cx.T, cy.T, x_test)
    kinds = [kind(c, p) for p in points]
    n_min, n_saddle, n_max = (kinds.count(k) for k in ("minimum", "saddle", "maximum"))
    found[name], radii[name] = (len(points), n_min, n_saddle, n_max), radius
    turns, turn_step[name], outward = winding_number(c, radius, n=n_circle)
    # Between neighbouring points the gradient changes by at most (Hessian bound) x (arc between them).
    drift[name], slope[name] = hessian_bound_on_disk(c, radius) * 2 * np.pi * radius / n_circle, outward
    farthest = np.hypot(*points.T).max()
    flattest = min(np.abs(hessian_eigenvalues(c, p)).min() for p in points)
    print(f"{name}: {len(points)} critical points (Bezout bound {bezout}), all inside |p| < {farthest:.2f}")
    print(f"  {n_min} minima - {n_saddle} saddles + {n_max} maxima = {n_min - n_saddle + n_max}", end="")
    print(f";  on |p| = {radius:g} the gradient points outward and turns {turns:.0f} time(s)")
    print(f"  between neighbouring points it moves at most {drift[name]:.1f}, its size there is >= {outward:.0f}")
    # claim: critical-count
    assert min(abs(r) for r in resultants) > 1e-8  # finitely many complex solutions, so Bezout's bound applies
    assert len(points) == bezout  # as many real solutions as there can be complex ones: none is missing
    assert kinds == [kind_by_circle(c, p) for p in points]  # the Hessian's verdict matches f around each point
    # claim: critical-euler
    assert flattest > flat_tol  # every critical point is nondegenerate, as the Morse count needs
    assert n_min - n_saddle + n_max == chi  # the Euler characteristic of a disk
    assert outward > 0 and farthest < radius  # f rises across the circle, all points inside
    assert turn_step[name] < max_step and round(turns) == chi  # Poincare-Hopf: the sum of the indices
    # |grad| >= outward slope at each point, and it moves less than that along each arc: it stays within
    # 90 degrees of its direction at the arc's start, so the count of turns misses none.
    assert drift[name] < outward
    # The drift bound is no smaller than what is seen: the gradient's largest move between neighbours, and
    # the disk bound at least the Hessian norm at grid points of the disk.
    assert drift[name] >= gradient_steps(c, radius, n_circle)
    assert hessian_bound_on_disk(c, radius) >= hessian_norm_seen(c, radius)
    assert round(winding_number(c, radius, n=2 * n_circle)[0]) == chi  # twice as many points: the same count
# --8<-- [end:find]

# --8<-- [start:gd]
import numpy as np
from numpy.polynomial import polynomial as P


def himmelblau(x, y):
    """(x^2 + y - 11)^2 + (x + y^2 - 7)^2, its gradient and its Hessian entries (xx, xy, yy)."""
    a, b = x**2 + y - 11, x + y**2 - 7
    grad = (4 * x * a + 2 * b, 2 * a + 4 * y * b)
    return a**2 + b**2, grad, (12 * x**2 + 4 * y - 42, 4 * x + 4 * y, 4 * x + 12 * y**2 - 26)


def camel(x, y):
    """(4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2, its gradient and its Hessian entries."""
    value = (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2
    grad = (8 * x - 8.4 * x**3 + 2 * x**5 + y, x - 8 * y + 16 * y**3)
    return value, grad, (8 - 25.2 * x**2 + 10 * x**4, np.ones_like(x), -8 + 48 * y**2)


def descend(fun, x, y, lr: float, steps: int, box):
    """Gradient descent from all starts at once. Also returns, per run, whether every iterate stayed inside
    the box (x0, x1, y0, y1), and the largest ratio, over t, of min_{k<t} |grad f(x_k)|^2 to the
    bound 2 (f(x_0) - f(x_t)) / (lr t) that the descent lemma gives when lr <= 1/L."""
    x0, x1, y0, y1 = box
    f0 = fun(x, y)[0]
    smallest, inside, worst = np.full(x.shape, np.inf), np.ones(x.shape, dtype=bool), np.zeros(x.shape)
    for t in range(1, steps + 1):
        _, (gx, gy), _ = fun(x, y)
        smallest = np.minimum(smallest, gx**2 + gy**2)
        x, y = x - lr * gx, y - lr * gy
        inside &= (x0 <= x) & (x <= x1) & (y0 <= y) & (y <= y1)
        bound = 2 * (f0 - fun(x, y)[0]) / (lr * t)
        worst = np.maximum(worst, np.where(smallest > 0, smallest / np.maximum(bound, 1e-300), 0.0))
    return x, y, inside, worst


def newton(fun, x, y, steps: int):
    """Newton's method from all starts at once: it seeks any zero of the gradient."""
    for _ in range(steps):
        _, (gx, gy), (hxx, hxy, hyy) = fun(x, y)
        det = hxx * hyy - hxy**2
        x, y = x - (hyy * gx - hxy * gy) / det, y - (hxx * gy - hxy * gx) / det
    return x, y


def where_it_stops(fun, x, y, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Which runs stopped at a critical point (|gradient| < tol), and which of those are minima."""
    _, (gx, gy), (hxx, hxy, hyy) = fun(x, y)
    stopped = np.hypot(gx, gy) < tol
    return stopped, stopped & (hxx * hyy - hxy**2 > 0) & (hxx > 0)  # both Hessian eigenvalues positive


def curvature_bound(c: np.ndarray, box, n: int = 401, spread: bool = True) -> float:
    """L, a proven bound on |Hessian eigenvalue| over the box for the polynomial c: the largest on an n x n grid,
    plus (if spread) the most the Hessian can change between a point and its nearest grid point."""
    x, y = np.meshgrid(np.linspace(box[0], box[1], n), np.linspace(box[2], box[3], n))
    d = {(i, j): P.polyder(P.polyder(c, i, axis=0), j, axis=1) for i in range(4) for j in range(4 - i)}
    H = np.stack([P.polyval2d(x, y, d[k]) for k in [(2, 0), (1, 1), (1, 1), (0, 2)]], -1).reshape(n, n, 2, 2)
    on_grid = np.abs(np.linalg.eigvalsh(H)).max()
    X, Y = max(abs(box[0]), abs(box[1])), max(abs(box[2]), abs(box[3]))
    top = {k: P.polyval2d(X, Y, np.abs(v)) for k, v in d.items() if sum(k) == 3}  # >= |third derivative| on box
    hx, hy = (box[1] - box[0]) / (n - 1) / 2, (box[3] - box[2]) / (n - 1) / 2  # to the nearest grid point
    dxx, dxy = top[3, 0] * hx + top[2, 1] * hy, top[2, 1] * hx + top[1, 2] * hy
    dyy = top[1, 2] * hx + top[0, 3] * hy
    return float(on_grid + spread * np.sqrt(dxx**2 + 2 * dxy**2 + dyy**2))  # |eigenvalue change| <= Frobenius


def coefficients(terms: dict[tuple[int, int], float]) -> np.ndarray:
    """The coefficient array c of f(x, y) = sum c[i, j] x^i y^j, from its terms {(i, j): c_ij}."""
    c = np.zeros((7, 5))
    for (i, j), v in terms.items():
        c[i, j] = v
    return c


def largest_on_fine_grid(fun, box, n: int = 1001) -> float:
    """The largest |Hessian eigenvalue| of fun on an n x n grid over the box (with n = 1001, x = 0 and y = 0 on
    the box [-1, 1]^2 are grid points)."""
    _, _, (hxx, hxy, hyy) = fun(*np.meshgrid(np.linspace(*box[:2], n), np.linspace(*box[2:], n)))
    return float(np.abs(np.linalg.eigvalsh(np.stack([hxx, hxy, hxy, hyy], -1).reshape(-1, 2, 2))).max())


rng = np.random.default_rng(0)
n_starts, lr, steps, newton_steps, tol, elsewhere_min = 1000, 1e-3, 4000, 50, 1e-6, 0.2
terms = {  # the same functions as sums of c_ij x^i y^j, for the bound L
    "Himmelblau": {(4, 0): 1, (2, 1): 2, (2, 0): -21, (0, 2): -13, (1, 2): 2, (0, 4): 1, (1, 0): -14, (0, 1): -22},
    "six-hump camel": {(2, 0): 4, (4, 0): -2.1, (6, 0): 1 / 3, (1, 1): 1, (0, 2): -4, (0, 4): 4},
}
terms["Himmelblau"][0, 0] = 170
problems = {"Himmelblau": (himmelblau, (-5, 5, -5, 5)), "six-hump camel": (camel, (-3, 3, -2, 2))}
check = np.random.default_rng(1)  # points at which to check L against the Hessian of the closed form
bound, elsewhere, n_minima, tightest, seen, small_bound, small_seen = {}, {}, {}, {}, {}, {}, {}
small_box, coarse = (-1, 1, -1, 1), 4  # a grid of 4 x 4 points misses the largest |eigenvalue| inside
off_box, tiny = (-2, 1, -1.5, 0.5), 2  # a box off centre, and the coarsest grid: its corners alone
tiny_bound, tiny_seen = {}, {}
for name, (fun, box) in problems.items():
    starts = rng.uniform((box[0], box[2]), (box[1], box[3]), size=(n_starts, 2))
    x, y, inside, worst = descend(fun, *starts.T, lr=lr, steps=steps, box=box)
    tightest[name] = worst.max()
    stopped, at_minimum = where_it_stops(fun, x, y, tol)
    n_minima[name] = len(np.unique(np.round(np.stack([x, y], 1)[at_minimum], 4), axis=0))
    newton_stopped, newton_minimum = where_it_stops(fun, *newton(fun, *starts.T, steps=newton_steps), tol)
    elsewhere[name] = (newton_stopped & ~newton_minimum).mean()
    c = coefficients(terms[name])
    bound[name] = curvature_bound(c, box)
    # The bound where the largest eigenvalue lies between grid points: a coarse grid on a small box.
    small_bound[name] = curvature_bound(c, small_box, n=coarse)
    on_grid_coarse = curvature_bound(c, small_box, n=coarse, spread=False)  # the grid alone, no spread term
    small_seen[name] = largest_on_fine_grid(fun, small_box)
    # The same bound from the 2 x 2 grid of the box's corners, on [-1, 1]^2 and on a box off centre.
    tiny_bound[name] = curvature_bound(c, small_box, n=tiny), curvature_bound(c, off_box, n=tiny)
    tiny_seen[name] = small_seen[name], largest_on_fine_grid(fun, off_box)
    points = check.uniform((box[0], box[2]), (box[1], box[3]), size=(100_000, 2))
    value, _, (hxx, hxy, hyy) = fun(*points.T)
    seen[name] = np.abs(np.linalg.eigvalsh(np.stack([hxx, hxy, hxy, hyy], -1).reshape(-1, 2, 2))).max()
    print(f"{name}, {len(starts)} random starts:")
    print(f"  gradient descent ends at a minimum from {at_minimum.mean():.0%} ({n_minima[name]} different minima)")
    print(f"  Newton's method ends at a saddle or maximum from {elsewhere[name]:.0%}")
    print(f"  L <= {bound[name]:.0f} on the box (largest |eigenvalue| at random points {seen[name]:.0f})")
    print(f"  on {small_box} from a {coarse}x{coarse} grid: {small_bound[name]:.0f} >= {small_seen[name]:.1f}")
    print(f"  from the corners alone: {tiny_bound[name][0]:.0f} >= {tiny_seen[name][0]:.1f} on {small_box},", end="")
    print(f" {tiny_bound[name][1]:.0f} >= {tiny_seen[name][1]:.1f} on {off_box}")
    print(f"  min |grad|^2 reaches at most {tightest[name]:.0%} of its bound")
    # claim: critical-gd-minima [starts=len(starts)]
    assert stopped.all() and at_minimum.all()
    assert elsewhere[name] > elsewhere_min
    # claim: critical-stationary-rate [starts=len(starts)]
    assert np.allclose(value, P.polyval2d(*points.T, c), rtol=1e-12, atol=1e-9)  # the same function...
    assert seen[name] <= bound[name]  # ...and L bounds its Hessian at random points too
    assert on_grid_coarse < small_seen[name]  # the coarse grid alone falls short: the largest lies between points
    assert small_seen[name] <= small_bound[name]  # also from a coarse grid, where the spread term is needed
    assert all(s <= b for s, b in zip(tiny_seen[name], tiny_bound[name], strict=True))  # from the corners alone
    assert inside.all() and lr < 1 / bound[name]  # the step is below 1/L wherever the runs go...
    assert tightest[name] <= 1  # ...so min_{k<t} |grad|^2 <= 2 (f(x_0) - f(x_t)) / (lr t) at every t
# --8<-- [end:gd]

# --8<-- [start:nonstrict]
import numpy as np


def gradient(x, y):
    """The gradient of f(x, y) = x^2 + y^3, whose one critical point, the origin, is a saddle."""
    return 2 * x, 3 * y**2


# The Hessian at the origin, by central differences of the gradient: eigenvalues 0 and 2, none negative.
h = 1e-4
hessian = np.array([(np.array(gradient(*(h * e))) - gradient(*(-h * e))) / (2 * h) for e in np.eye(2)])
flat, curved = np.linalg.eigvalsh(hessian)
# Along y, gradient descent creeps towards the saddle from y > 0 (y <- y - 3 lr y^2) and flees from y < 0.
rng = np.random.default_rng(2)
n_starts, lr, steps, near, box = 10_000, 0.01, 10_000, 0.01, 0.5
x, y = rng.uniform(-box, box, size=(2, n_starts))
y0 = y.copy()
with np.errstate(over="ignore", invalid="ignore"):  # the runs with y < 0 run off to -inf
    for _ in range(steps):
        gx, gy = gradient(x, y)
        x, y = x - lr * gx, y - lr * gy
at_saddle = np.hypot(x, y) < near
print(f"x^2 + y^3, {n_starts} random starts in [-{box}, {box}]^2, step {lr}, {steps} steps:")
print(f"  gradient descent ends within {near} of the saddle from {at_saddle.mean():.1%}; the rest leave along -y")
# claim: critical-nonstrict-saddle [starts=n_starts]
assert abs(flat) < 1e-6 and curved > 1  # a saddle that is not strict: no negative Hessian eigenvalue
assert at_saddle[y0 > 0].all()  # every start above the saddle ends at it...
assert np.all(y[~at_saddle] < -near)  # ...and the others leave below it
assert at_saddle.mean() > 0.4  # not a set of measure zero
# --8<-- [end:nonstrict]

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

x_edge, y_edge = 2.3, 1.3
X, Y = np.meshgrid(np.linspace(-x_edge, x_edge, 93), np.linspace(-y_edge, y_edge, 53))
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

# What the figure's description says: how many of each kind, where the global minima and the maxima are.
is_min, is_saddle, is_max = (det > 0) & (hxx > 0), det < 0, (det > 0) & (hxx < 0)
minima = points[is_min][np.argsort(P.polyval2d(*points[is_min].T, CAMEL))]
global_min, maxima = minima[:2], points[is_max][np.argsort(-points[is_max][:, 0])]
values = P.polyval2d(*minima.T, CAMEL)
assert len(points) == 5 * 3 and values[1] - values[0] < 1e-9 < values[2] - values[1]  # all found; two global minima
assert np.allclose(global_min[0], -global_min[1]) and np.allclose(maxima[0], -maxima[1])  # f(-p) = f(p)
assert (np.abs(points) < [x_edge, y_edge]).all() and any(np.allclose(p, 0) for p in points[is_saddle])
global_min = global_min[np.argsort(global_min[:, 0])[::-1]]  # the one with x > 0 first
# --8<-- [end:figure]
