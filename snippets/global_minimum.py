# Code of the global-minimum page (docs/global-minimum.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figures.

# --8<-- [start:cases]
import numpy as np


def grid_minimizers(f, grid: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Grid points whose value is within tol of the lowest value on the grid."""
    values = f(grid)
    return grid[values <= values.min() + tol]


def lower_point_everywhere(f, grid: np.ndarray, shift: float) -> bool:
    """True when every grid point x has a strictly lower value at x - shift: then no grid point is a minimizer."""
    return bool(np.all(f(grid - shift) < f(grid)))


def bounds_passed(f, bounds: np.ndarray, doublings: int = 100) -> np.ndarray:
    """For each bound B, whether one of x = -1, -2, -4, ..., -2^doublings has f(x) < B."""
    x = -(2.0 ** np.arange(doublings + 1))
    return (f(x)[:, None] < bounds).any(0)


FUNCTIONS = {"(x^2 - 1)^2": lambda x: (x**2 - 1) ** 2, "exp(x)": np.exp, "x^3": lambda x: x**3}
lo, hi, shift = -3, 3, 1.0
grid = np.linspace(lo, hi, 600_001)  # spacing 1e-5; the grid contains x = -1 and x = 1 exactly
bounds = -(10.0 ** np.arange(0, 91, 10))  # -1, -1e10, ..., -1e90
lower_label = f"f(x - {shift:g}) < f(x) on the grid"
print(f"{'function':12} {'grid minimizers':>16} {lower_label:>28} {'bounds passed':>14}")
for name, f in FUNCTIONS.items():
    shown = ", ".join(f"{m:+g}" for m in grid_minimizers(f, grid))
    passed = f"{bounds_passed(f, bounds).sum()} of {len(bounds)}"
    print(f"{name:12} {shown:>16} {lower_point_everywhere(f, grid, shift)!s:>28} {passed:>14}")

two_wells, exp, cube = FUNCTIONS.values()
x_min = grid_minimizers(two_wells, grid)
f_min = two_wells(x_min).max()
# exp far beyond [lo, hi]: e^(x-1) / e^x = 1/e for every real x, so no x is a minimizer; check it where exp is normal
wide_lo, wide_hi, ratio_tol = -700, 700, 1e-12
wide = np.linspace(wide_lo, wide_hi, 1_400_001)
exp_ratio = exp(wide - shift) / exp(wide)
# claim: global-minimizer-cases
assert np.array_equal(x_min, [-1.0, 1.0]) and f_min == 0 and np.all(two_wells(grid) >= 0)  # two, value 0
assert np.all(two_wells(x_min - shift) > f_min)  # the lower-point test fails at both minimizers
assert lower_point_everywhere(exp, grid, shift) and np.all(exp(grid) > 0)  # exp: bounded below by 0, no minimizer
assert lower_point_everywhere(exp, wide, shift) and np.allclose(exp_ratio, np.exp(-shift), rtol=ratio_tol, atol=0)
assert bounds_passed(cube, bounds).all()  # x^3 goes below every bound...
assert not bounds_passed(exp, bounds).any() and not bounds_passed(two_wells, bounds).any()  # ...the others none
# --8<-- [end:cases]

# --8<-- [start:convex-gd]
import numpy as np


def least_squares_gd(X: np.ndarray, y: np.ndarray, starts: np.ndarray, steps: int, step_factor: float) -> np.ndarray:
    """Gradient descent on ℓ(w) = |Xw - y|^2 / n with step step_factor / L, from every row of `starts` at once."""
    n = len(y)
    A, b = 2 * X.T @ X / n, 2 * X.T @ y / n  # ∇ℓ(w) = A w - b
    lr = step_factor / np.linalg.eigvalsh(A).max()  # L = largest curvature
    W = starts.copy()
    for _ in range(steps):
        W = W - lr * (W @ A - b)
    return W


n_problems, n, d, n_starts, steps, step_factor, tol = 20, 200, 5, 1000, 300, 1.0, 1e-9
probe, rate_tol = 10, 0.01  # the contraction per step is measured between steps probe and 2 probe
worst_gap, worst_rate_error, worst_top, top_tol = 0.0, 0.0, 0.0, 1e-9
for seed in range(n_problems):  # random regression problems
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.3 * rng.standard_normal(n)
    starts = rng.normal(0.0, 10.0, size=(n_starts, d))  # starts far apart
    W = least_squares_gd(X, y, starts, steps, step_factor)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]  # closed form: solves X^T X w = X^T y
    worst_gap = max(worst_gap, np.abs(W - w_star).max())
    # With step 1/L the error w - w* is multiplied by I - A/L, whose norm is 1 - λ_min/L.
    curvatures = np.linalg.eigvalsh(2 * X.T @ X / n)
    theory = 1 - curvatures.min() / curvatures.max()
    errors = [
        np.linalg.norm(least_squares_gd(X, y, starts, k, step_factor) - w_star, axis=1) for k in (probe, 2 * probe)
    ]
    rate = (errors[1] / errors[0]).max() ** (1 / probe)  # the slowest start's contraction per step
    worst_rate_error = max(worst_rate_error, abs(rate / theory - 1))
    # Only step 1/L removes, in one step, the error along the top eigenvector v (I - A/L maps v to 0).
    v = np.linalg.eigh(2 * X.T @ X / n)[1][:, -1]
    after_one = (least_squares_gd(X, y, starts, 1, step_factor) - w_star) @ v
    worst_top = max(worst_top, (np.abs(after_one) / np.linalg.norm(starts - w_star, axis=1)).max())
shown = f"below {tol:.0e}" if worst_gap < tol else f"{worst_gap:.0e}"
print(f"{n_problems} problems x {n_starts} starts: largest coordinate gap to the least-squares solution {shown}")
shown = f"within {rate_tol:.0%}" if worst_rate_error < rate_tol else f"off by {worst_rate_error:.0%}"
print(f"contraction per step: {shown} of 1 - λ_min/L on every problem")
print(
    f"after one step, error along the top eigenvector: below {top_tol:.0e} of the start's error"
    if worst_top < top_tol
    else f"after one step, error along the top eigenvector: {worst_top:.0e}"
)

# claim: global-convex-gd [problems=n_problems starts=n_starts]
assert worst_gap < tol
assert worst_rate_error < rate_tol  # the slowest direction contracts by 1 - λ_min/L
assert worst_top < top_tol  # the step really is 1/L: any other step leaves part of the top direction
# --8<-- [end:convex-gd]

# --8<-- [start:chord]
import numpy as np


def chord_violations(f, dim: int, pairs: int, box: float, rng: np.random.Generator) -> np.ndarray:
    """f(λa + (1-λ)b) - [λ f(a) + (1-λ) f(b)] for random a, b in [-box, box]^dim, λ in [0, 1]; convex f: <= 0."""
    a, b = rng.uniform(-box, box, (2, pairs, dim))
    lam = rng.random((pairs, 1))
    chord = lam[:, 0] * f(a) + (1 - lam[:, 0]) * f(b)
    return f(lam * a + (1 - lam) * b) - chord


dim, pairs, box, tol = 3, 100_000, 5.0, 1e-9
min_rate, min_gap = 0.1, 10  # what "often, and by a lot" means for Rastrigin
rng = np.random.default_rng(0)
X = rng.standard_normal((50, dim))
y = rng.standard_normal(50)


def least_squares(w):
    """Mean squared error of the linear model Xw, for a batch of w (rows)."""
    return ((w @ X.T - y) ** 2).mean(-1)


def rastrigin(w):
    """Rastrigin's function, a standard non-convex test function."""
    return 10 * w.shape[-1] + (w**2 - 10 * np.cos(2 * np.pi * w)).sum(-1)


gap_ls = chord_violations(least_squares, dim, pairs, box, rng)
gap_ra = chord_violations(rastrigin, dim, pairs, box, rng)
rate_ra = (gap_ra > tol).mean()
print(f"least squares: chord below the curve in {(gap_ls > tol).sum()} of {pairs} random triples")
print(f"Rastrigin:     chord below the curve in {rate_ra:.0%} of {pairs}, by up to {gap_ra.max():.0f}")

# claim: global-chord [pairs=gap_ls.size]
assert gap_ls.max() < tol  # convex: the chord is never below the graph
assert rate_ra > min_rate and gap_ra.max() > min_gap  # non-convex: often, and by a lot
# --8<-- [end:chord]

# --8<-- [start:benchmarks]
import numpy as np

# f(x, y), search box, published global minimum value and minimizers (Jamil & Yang 2013).
R_BOX, ROSENBROCK_B, CAMEL_A, CAMEL_F = 5.12, 100, 2.1, -1.0316  # Rastrigin's box, two coefficients, camel's f*
R_A, R_FREQ = 10, 2  # Rastrigin: A n + Σ (u^2 - A cos(R_FREQ π u)), n = 2
ACKLEY_A, ACKLEY_B, ACKLEY_FREQ = 20, 0.2, 2  # Ackley: -a exp(-b √(mean u^2)) - exp(mean cos(R_FREQ π u)) + a + e
HIMMELBLAU_A, HIMMELBLAU_B = 11, 7  # Himmelblau: (x^2 + y - a)^2 + (x + y^2 - b)^2
HIMMELBLAU = [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
CAMEL = [(0.0898, -0.7126), (-0.0898, 0.7126)]
BOXES = {  # the search box (x0, x1, y0, y1) of each function
    "Rastrigin": (-R_BOX, R_BOX, -R_BOX, R_BOX),
    "Ackley": (-5.0, 5.0, -5.0, 5.0),
    "Rosenbrock": (-2.0, 2.0, -1.0, 3.0),
    "Himmelblau": (-5.0, 5.0, -5.0, 5.0),
    "Six-hump camel": (-3.0, 3.0, -2.0, 2.0),
}
BENCHMARKS = {
    "Rastrigin": (
        lambda x, y: R_A * 2 + x**2 - R_A * np.cos(R_FREQ * np.pi * x) + y**2 - R_A * np.cos(R_FREQ * np.pi * y),
        BOXES["Rastrigin"],
        0.0,
        [(0.0, 0.0)],
    ),
    "Ackley": (
        lambda x, y: (
            -ACKLEY_A * np.exp(-ACKLEY_B * np.sqrt((x**2 + y**2) / 2))
            - np.exp((np.cos(ACKLEY_FREQ * np.pi * x) + np.cos(ACKLEY_FREQ * np.pi * y)) / 2)
            + ACKLEY_A
            + np.e
        ),
        BOXES["Ackley"],
        0.0,
        [(0.0, 0.0)],
    ),
    "Rosenbrock": (
        lambda x, y: ROSENBROCK_B * (y - x**2) ** 2 + (1 - x) ** 2,
        BOXES["Rosenbrock"],
        0.0,
        [(1.0, 1.0)],
    ),
    "Himmelblau": (
        lambda x, y: (x**2 + y - HIMMELBLAU_A) ** 2 + (x + y**2 - HIMMELBLAU_B) ** 2,
        BOXES["Himmelblau"],
        0.0,
        HIMMELBLAU,
    ),
    "Six-hump camel": (
        lambda x, y: (4 - CAMEL_A * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
        BOXES["Six-hump camel"],
        CAMEL_F,
        CAMEL,
    ),
}


def derivatives(f, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian of f(x, y) at each row of p, by central differences."""
    fp = lambda d: f(*(p + d).T)  # noqa: E731
    e = np.eye(2) * 1e-6  # small step: the gradient decides where Newton stops
    grad = np.stack([(fp(e[i]) - fp(-e[i])) / 2e-6 for i in range(2)], -1)
    e = np.eye(2) * 1e-4  # larger step: second differences lose digits faster
    hess = np.empty((len(p), 2, 2))
    for i in range(2):
        for j in range(2):
            hess[:, i, j] = (fp(e[i] + e[j]) - fp(e[i] - e[j]) - fp(e[j] - e[i]) + fp(-e[i] - e[j])) / 4e-8
    return grad, hess


def newton(f, p: np.ndarray, iterations: int = 30) -> np.ndarray:
    """Newton's method p <- p - H^{-1} ∇f from each row of p; all iterates, shape (iterations + 1, len(p), 2)."""
    path = [p]
    for _ in range(iterations):
        grad, hess = derivatives(f, p)
        p = p - np.linalg.solve(hess, grad[..., None])[..., 0]
        path.append(p)
    return np.array(path)


def is_smooth_minimum(f, p: np.ndarray) -> np.ndarray:
    """The test for a smooth local minimum at each row of p: zero gradient, positive definite Hessian."""
    grad, hess = derivatives(f, p)
    return (np.linalg.norm(grad, axis=1) < 1e-5) & np.all(np.linalg.eigvalsh(hess) > 0, axis=1)


def local_minima(f, box: tuple[float, ...], n: int = 801) -> np.ndarray:
    """All local minima in the box: grid points below their 8 neighbours, refined by Newton's method."""
    x0, x1, y0, y1 = box
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n), indexing="ij")
    Z = f(X, Y)
    lower = np.ones((n - 2, n - 2), dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            lower &= Z[1:-1, 1:-1] <= Z[1 + dx : n - 1 + dx, 1 + dy : n - 1 + dy]
    p = newton(f, np.stack([X[1:-1, 1:-1][lower], Y[1:-1, 1:-1][lower]], -1))[-1]
    ok = is_smooth_minimum(f, p)
    found: list[np.ndarray] = []
    for q in p[ok]:  # neighbouring grid points that refined to the same minimum count once
        if all(np.linalg.norm(q - other) > 1e-4 for other in found):
            found.append(q)
    return np.array(found)


# Number of local minima in the box, where it is known (Ackley: "many", no exact count published).
KNOWN_COUNT = {"Rastrigin": 121, "Ackley": None, "Rosenbrock": 1, "Himmelblau": 4, "Six-hump camel": 6}
# The code's formulas are the table's: each function equals the table's formula, typed as the table shows it.
TABLE = {
    "Rastrigin": lambda x, y: (
        R_A * 2 + (x**2 - R_A * np.cos(R_FREQ * np.pi * x)) + (y**2 - R_A * np.cos(R_FREQ * np.pi * y))
    ),
    "Rosenbrock": lambda x, y: ROSENBROCK_B * (y - x**2) ** 2 + (1 - x) ** 2,
    "Himmelblau": lambda x, y: (x**2 + y - HIMMELBLAU_A) ** 2 + (x + y**2 - HIMMELBLAU_B) ** 2,
    "Six-hump camel": lambda x, y: (4 - CAMEL_A * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
}
P = np.random.default_rng(0).uniform(-3, 3, (2, 1000))
assert all(np.allclose(BENCHMARKS[name][0](*P), formula(*P), rtol=1e-12, atol=1e-12) for name, formula in TABLE.items())
u = np.linspace(-R_BOX, R_BOX, 10_001)  # Rastrigin's term g(u) along an axis: g'(u) = 2u + R_A R_FREQ π sin(R_FREQ π u)
g_prime = (BENCHMARKS["Rastrigin"][0](u + 1e-6, 0) - BENCHMARKS["Rastrigin"][0](u - 1e-6, 0)) / 2e-6
assert np.allclose(g_prime, 2 * u + R_A * R_FREQ * np.pi * np.sin(R_FREQ * np.pi * u), atol=1e-5)
assert 2 * R_BOX < R_A * R_FREQ * np.pi  # |2u| < R_A R_FREQ π: one minimum per period
n_grid, tol_f, tol_x, many = 801, 1e-4, 1e-3, 100  # n_grid points per side: the grid contains the box's centre

counts = {}
print(f"{'function':15} {'local minima':>12} {'global':>6} {'published f*':>12} {'found f*':>10} {'x* error':>9}")
for name, (f, box, f_star, x_stars) in BENCHMARKS.items():
    minima = local_minima(f, box, n_grid)
    values = f(*minima.T)
    best = minima[values < values.min() + tol_f]  # all points sharing the lowest value
    error = max(np.linalg.norm(best - np.array(x), axis=1).min() for x in x_stars)
    counts[name] = len(minima)
    print(f"{name:15} {len(minima):12} {len(best):6} {f_star:12.4f} {round(values.min(), 4) + 0.0:10.4f} {error:9.4f}")
    # claim: global-benchmarks
    assert abs(values.min() - f_star) < tol_f  # the published value (to its printed digits)
    assert len(best) == len(x_stars) and error < tol_x  # at the published points, all of them
    assert np.all(f(*np.array(x_stars).T) < f_star + tol_f)
    # claim: global-benchmark-counts
    known = KNOWN_COUNT[name]
    assert len(minima) == known if known else len(minima) > many

# Ackley's minimum is a kink: a grid that misses the origin leaves Newton's method nothing to converge to.
ackley, ackley_box = BENCHMARKS["Ackley"][:2]
missed = local_minima(ackley, ackley_box, n_grid - 1)  # an even number of points: the origin is not on the grid
lowest_missed = ackley(*missed.T).min()
print(f"Ackley on a grid of {n_grid - 1}^2 points: {len(missed)} local minima, lowest {lowest_missed:.2f}")
grad0, hess0 = derivatives(ackley, np.zeros((1, 2)))  # what Newton's test sees at the kink
# Near the kink the gradient does not vanish (its norm tends to 2√2), so Newton's method has nothing to converge to.
radii, angles = np.logspace(-5, -2, 31), np.linspace(0, 2 * np.pi, 24)
near = (radii[:, None, None] * np.stack([np.cos(angles), np.sin(angles)], -1)).reshape(-1, 2)
grad_near = np.linalg.norm(derivatives(ackley, near)[0], axis=1)
axis = np.linspace(*ackley_box[:2], n_grid - 1)
nearest = np.stack(np.meshgrid(*2 * [axis[np.argsort(np.abs(axis))[:2]]]), -1).reshape(-1, 2)  # 4 grid points
path = newton(ackley, nearest)
distance = np.linalg.norm(path, axis=-1)  # distance from the origin at each Newton iterate
grad_floor = 2.8
print(f"near the origin |grad f| >= {grad_floor}", end="; ")
print(f"Newton from its {len(nearest)} nearest grid points ends {distance[-1].min():.2f} away")
# claim: global-ackley-kink
assert np.all(grad0 == 0) and np.all(np.linalg.eigvalsh(hess0) > 0)  # zero by symmetry: it passes the test
assert grad_near.min() > grad_floor  # but no point near the origin has a vanishing gradient
assert distance[1:].min() > distance[0].max()  # Newton's iterates never come back as close as they started
assert distance[-1].min() > 1 and not is_smooth_minimum(ackley, path[-1]).any()  # and end far off, rejected
assert len(missed) == counts["Ackley"] - 1 and lowest_missed > 1  # only the kink at the origin is lost
assert ackley(0.0, 0.0) < tol_f and np.all(ackley(*(1e-9 * np.eye(2))) > ackley(0.0, 0.0))  # though it is there
# --8<-- [end:benchmarks]

# --8<-- [start:step-size]
import numpy as np

n, d, n_starts, steps, tol, blow_up = 200, 5, 1000, 300, 1e-9, 1e3
below, above = 1.9, 2.1  # step sizes below / L and above / L, on either side of 2 / L
rng = np.random.default_rng(0)
X = rng.standard_normal((n, d))
y = X @ rng.standard_normal(d) + 0.3 * rng.standard_normal(n)
A, b = 2 * X.T @ X / len(y), 2 * X.T @ y / len(y)  # ℓ(w) = |Xw - y|^2 / n has ∇ℓ(w) = A w - b
L = np.linalg.eigvalsh(A).max()  # the largest curvature
w_star = np.linalg.solve(A, b)


def loss(W: np.ndarray) -> np.ndarray:
    """ℓ(w) for each row of W."""
    return ((W @ X.T - y) ** 2).mean(-1)


gaps = {}
for factor in (below, above):  # step size η = factor / L
    W = rng.normal(0.0, 10.0, size=(n_starts, d))  # random starts
    for _ in range(steps):
        W = W - factor / L * (W @ A - b)
    gaps[factor] = loss(W) - loss(w_star[None])[0]
    gap = gaps[factor]
    shown = f"below {tol:.0e} from every start" if gap.max() < tol else f"{np.median(gap):.0e} (median)"
    print(f"step {factor}/L, {steps} steps: loss above the minimum {shown}")

# claim: global-convex-step [starts=len(W)]
assert gaps[below].max() < tol and below < 2  # below 2/L: every start converges to the minimum
assert gaps[above].min() > blow_up and above > 2  # above 2/L: every start diverges, on a convex loss
# --8<-- [end:step-size]

# --8<-- [start:race]
import matplotlib.pyplot as plt
import numpy as np


class Race:
    """The settings of the comparison, shared by the methods below."""

    LO, HI = -5.12, 5.12  # the search box [LO, HI]^2
    LR, RESTART_EVERY = 0.002, 10  # gradient descent: step, and steps between restarts
    SIGMA, T_START, T_END = 0.5, 10.0, 1e-3  # simulated annealing: step spread, first and last temperature
    POP, F, CR = 20, 0.8, 0.9  # differential evolution: population, difference weight, crossover rate


def rastrigin(x: np.ndarray) -> np.ndarray:
    """Rastrigin's function on the last axis; global minimum f(0) = 0."""
    return 10 * x.shape[-1] + (x**2 - 10 * np.cos(2 * np.pi * x)).sum(-1)


class Counted:
    """Wraps f and counts evaluations per run (axis 0 of x holds independent runs)."""

    def __init__(self, f) -> None:
        self.f, self.evals = f, 0

    def __call__(self, x: np.ndarray) -> np.ndarray:
        self.evals += x[0].size // x.shape[-1]  # points evaluated for each run
        return self.f(x)


class Interval:
    """Arrays of intervals [lo, hi]; code built from +, -, *, /, **2, sum, exp and cos maps them to enclosing ones."""

    def __init__(self, lo, hi=None) -> None:
        self.lo = np.asarray(lo, dtype=float)
        self.hi = self.lo if hi is None else np.asarray(hi, dtype=float)

    @property
    def shape(self) -> tuple:
        return self.lo.shape

    def sum(self, axis: int) -> "Interval":
        return Interval(self.lo.sum(axis), self.hi.sum(axis))

    def __neg__(self) -> "Interval":
        return Interval(-self.hi, -self.lo)

    def __add__(self, other) -> "Interval":
        other = other if isinstance(other, Interval) else Interval(other)
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def __sub__(self, other) -> "Interval":
        return self + -(other if isinstance(other, Interval) else Interval(other))

    def __mul__(self, other) -> "Interval":
        other = other if isinstance(other, Interval) else Interval(other)
        ends = np.stack(np.broadcast_arrays(*(a * b for a in (self.lo, self.hi) for b in (other.lo, other.hi))))
        return Interval(ends.min(0), ends.max(0))

    def __truediv__(self, other) -> "Interval":
        other = other if isinstance(other, Interval) else Interval(other)
        assert np.all((other.lo > 0) | (other.hi < 0)), "division by an interval that holds 0"
        return self * Interval(1 / other.hi, 1 / other.lo)

    def __pow__(self, p: int) -> "Interval":
        assert p == 2, "only squares"
        lo, hi = self.lo**2, self.hi**2
        return Interval(np.where((self.lo < 0) & (self.hi > 0), 0.0, np.minimum(lo, hi)), np.maximum(lo, hi))

    __radd__, __rmul__ = __add__, __mul__

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """numpy's functions on intervals: exp is increasing; cos reaches ±1 where the interval holds kπ."""
        a = [x if isinstance(x, Interval) else Interval(x) for x in inputs]
        if ufunc is np.exp:
            return Interval(np.exp(a[0].lo), np.exp(a[0].hi))
        assert ufunc is np.cos, f"no interval rule for numpy's {ufunc.__name__}"  # fail, never guess
        lo, hi = a[0].lo, a[0].hi
        ends = np.cos(lo), np.cos(hi)
        peak = np.ceil(lo / (2 * np.pi)) <= np.floor(hi / (2 * np.pi))  # holds a multiple of 2π
        trough = np.ceil((lo - np.pi) / (2 * np.pi)) <= np.floor((hi - np.pi) / (2 * np.pi))
        return Interval(np.where(trough, -1.0, np.minimum(*ends)), np.where(peak, 1.0, np.maximum(*ends)))


def gradient_descent(f, runs, budget, rng, steps_per_start, lr=Race.LR):
    """Gradient descent from random starts, restarting every steps_per_start steps; best value per run.

    The gradient is taken by forward differences, so one step costs d + 1 = 3 evaluations.
    """
    best, h, eye = np.full(runs, np.inf), 1e-7, np.eye(2)
    steps_left = budget // 3  # the last start gets the steps that are left: the whole budget is spent
    while steps_left > 0:
        x = rng.uniform(Race.LO, Race.HI, (runs, 2))
        for _ in range(min(steps_per_start, steps_left)):
            fx = f(x)
            grad = (f(x[:, None, :] + h * eye) - fx[:, None]) / h
            best = np.minimum(best, fx)
            x = np.clip(x - lr * grad, Race.LO, Race.HI)
        steps_left -= steps_per_start
    return best


def simulated_annealing(f, runs, budget, rng, t_start=Race.T_START, t_end=Race.T_END, sigma=Race.SIGMA):
    """Metropolis random walk with geometric cooling (Kirkpatrick et al. 1983); best value per run."""
    x = rng.uniform(Race.LO, Race.HI, (runs, 2))
    fx = f(x)
    best = fx.copy()
    for t in t_start * (t_end / t_start) ** np.linspace(0, 1, budget - 1):
        y = np.clip(x + sigma * rng.standard_normal((runs, 2)), Race.LO, Race.HI)
        fy = f(y)
        accept = rng.random(runs) < np.exp(np.minimum(0.0, (fx - fy) / t))  # always accept downhill
        x, fx = np.where(accept[:, None], y, x), np.where(accept, fy, fx)
        best = np.minimum(best, fx)
    return best


def differential_evolution(f, runs, budget, rng, pop=Race.POP, F=Race.F, CR=Race.CR):
    """DE/rand/1/bin (Storn & Price 1997) with a population of pop; best value per run."""
    X = rng.uniform(Race.LO, Race.HI, (runs, pop, 2))
    fX = f(X)
    run, me = np.arange(runs)[:, None], np.arange(pop)
    for _ in range(budget // pop - 1):
        keys = rng.random((runs, pop, pop))
        keys[:, me, me] = 2.0  # never pick yourself
        r = np.argsort(keys, axis=-1)[..., :3]  # three distinct other members, in random order
        a, b, c = (X[run, r[..., k]] for k in range(3))
        mutant = np.clip(a + F * (b - c), Race.LO, Race.HI)
        cross = rng.random((runs, pop, 2)) < CR
        cross[run, me, rng.integers(0, 2, (runs, pop))] = True  # at least one coordinate from the mutant
        trial = np.where(cross, mutant, X)
        f_trial = f(trial)
        keep = f_trial <= fX
        X, fX = np.where(keep[..., None], trial, X), np.where(keep, f_trial, fX)
    return fX.min(-1)


def methods() -> dict:
    """The four methods by name, each called as method(f, runs, budget, rng) -> best value per run."""
    return {
        "gradient descent, one start": lambda f, n, b, rng: gradient_descent(f, n, b, rng, steps_per_start=b // 3),
        "gradient descent, restarts": lambda f, n, b, rng: gradient_descent(f, n, b, rng, Race.RESTART_EVERY),
        "simulated annealing": simulated_annealing,
        "differential evolution": differential_evolution,
    }


def success_rates(f, runs: int, budget: int, below: float, seed: int = 0) -> tuple[dict, dict]:
    """Per method: the fraction of runs whose best value is below `below`, and evaluations used per run."""
    rates, used = {}, {}
    for name, method in methods().items():
        counted = Counted(f)
        best = method(counted, runs, budget, np.random.default_rng(seed))
        rates[name], used[name] = (best < below).mean(), counted.evals
    return rates, used


METHODS = methods()
# Success: a best value below BELOW, lower than every local minimum of Rastrigin but the global one.
BELOW, RUNS, BUDGETS = 0.5, 200, (125, 250, 500, 1000, 2000)
u = np.linspace(Race.LO, Race.HI, 1_000_001)  # Rastrigin is a sum of one term per coordinate: its minima are sums too
g = rastrigin(np.stack([u, np.zeros_like(u)], -1))  # the 2-D function along an axis: g(u) + g(0), g(0) = 0
g_minima = np.sort(g[1:-1][(g[1:-1] < g[:-2]) & (g[1:-1] < g[2:])])
second_lowest = g_minima[0] + g_minima[1]  # the lowest local minimum of the 2-D function other than 0
assert g_minima[0] < 1e-9 and second_lowest > BELOW  # so "below BELOW" means "in the global minimum's basin"

curves, overspent = {name: [] for name in METHODS}, []
for budget in BUDGETS:
    rates, used = success_rates(rastrigin, RUNS, budget, BELOW)
    for name in METHODS:
        curves[name].append(rates[name])
    overspent += [name for name in METHODS if used[name] > budget]
# The largest budget again with other seeds: no claim rests on one draw of the random numbers.
# A gradient step costs 3 evaluations, so gradient descent may leave up to 2 of the budget unspent.
SEEDS, MAX_LEFT = 5, 2  # seeds 0 .. SEEDS - 1; each method leaves at most MAX_LEFT evaluations unspent
by_seed, left = {name: [] for name in METHODS}, []
for seed in range(SEEDS):
    seed_rates, seed_used = success_rates(rastrigin, RUNS, budget, BELOW, seed)
    for name in METHODS:
        by_seed[name].append(seed_rates[name])
    overspent += [name for name in METHODS if seed_used[name] > budget]
    left += [budget - seed_used[name] for name in METHODS]
by_seed = {name: np.array(r) for name, r in by_seed.items()}
print(f"{f'method (budget {budget})':28} {'evaluations per run':>19} {'success rate':>13} {f'over {SEEDS} seeds':>15}")
for name in METHODS:
    spread = f"{by_seed[name].min():.1%} - {by_seed[name].max():.1%}"
    print(f"{name:28} {used[name]:19} {rates[name]:13.1%} {spread:>15}")

one, restarts = rates["gradient descent, one start"], rates["gradient descent, restarts"]
sa, de = rates["simulated annealing"], rates["differential evolution"]
ONE, RESTARTS = by_seed["gradient descent, one start"], by_seed["gradient descent, restarts"]
SA, DE = by_seed["simulated annealing"], by_seed["differential evolution"]
global_margin, restart_margin, one_max = 0.3, 0.1, 0.05
# What the figure shows: one start near 0 at every budget; SA and DE cross each other on the way up.
one_curve_max = max(curves["gradient descent, one start"])
sa_minus_de = np.subtract(curves["simulated annealing"], curves["differential evolution"])
assert one_curve_max < one_max and sa_minus_de.max() > 0 > sa_minus_de.min()
# claim: global-race [runs=RUNS]
assert np.all(np.minimum(SA, DE) > RESTARTS + global_margin)  # on every seed, the global methods win by far
assert np.all(RESTARTS > ONE + restart_margin)  # and restarts beat a single descent
assert ONE.max() < one_max  # one descent ends in the global minimum only if it starts in its basin
assert not overspent and max(left) <= MAX_LEFT  # and all spend the same: the budget, never more

WELL_AT, WELL_WIDTH, WELL_DEPTH = np.array([2.5, -2.5]), 0.01, 60.0  # a narrow well on a hilltop of Rastrigin


def rastrigin_with_well(x: np.ndarray) -> np.ndarray:
    """Rastrigin plus a narrow Gaussian well of depth WELL_DEPTH and width WELL_WIDTH centred at WELL_AT."""
    return rastrigin(x) - WELL_DEPTH * np.exp(-((x - WELL_AT) ** 2).sum(-1) / (2 * WELL_WIDTH**2))


# The new global minimum: the lowest point of a fine grid around the well, refined by a finer one.
centre = WELL_AT
reach = 5  # the search around the well covers `reach` widths; beyond that the well is negligible
for half in (reach * WELL_WIDTH, 0.05 * WELL_WIDTH, 0.0005 * WELL_WIDTH):
    axis = np.linspace(-half, half, 201)
    grid = centre + np.stack(np.meshgrid(axis, axis), -1).reshape(-1, 2)
    centre = grid[rastrigin_with_well(grid).argmin()]
well_min = rastrigin_with_well(centre)
# Away from the well, bound f on every cell of a grid by interval arithmetic on its own code (Moore 1966):
# the same formula, evaluated on intervals, gives a range that contains every value f takes on the cell.
axis = np.linspace(Race.LO, Race.HI, 2049)
h = axis[1] - axis[0]
corner = np.stack(np.meshgrid(axis[:-1], axis[:-1]), -1).reshape(-1, 2)  # lower-left corner of each cell
farthest = np.linalg.norm(np.maximum(np.abs(corner - WELL_AT), np.abs(corner + h - WELL_AT)), axis=1)
far = farthest >= reach * WELL_WIDTH  # the cells that hold a point farther than reach widths from the well
elsewhere_bound = rastrigin_with_well(Interval(corner[far], corner[far] + h)).lo.min() - 1e-9  # less rounding
# Near the well too (branch and bound, Hansen & Walster 2004): split every cell whose interval lower bound is below
# well_min - delta into four, until no cell is left. Then f >= well_min - delta on the whole box.
delta, max_levels, max_cells = 1e-6, 30, 100_000  # give up (and fail) past max_levels or max_cells
cells, size, splits = corner, h, 0
while True:
    lower = rastrigin_with_well(Interval(cells, cells + size)).lo - 1e-9  # less rounding
    cells = cells[lower < well_min - delta]
    if len(cells) == 0 or len(cells) > max_cells or splits == max_levels:
        break
    splits += 1
    cells = (cells[:, None, :] + size / 2 * np.array([[0, 0], [0, 1], [1, 0], [1, 1]])).reshape(-1, 2)
    size /= 2
well_below = 0.0  # Rastrigin >= 0 everywhere: only the well goes below 0
well_by_seed = [success_rates(rastrigin_with_well, RUNS, budget, well_below, seed)[0] for seed in range(SEEDS)]
well_rates = {name: max(rates[name] for rates in well_by_seed) for name in METHODS}  # the worst seed per method
print(f"new global minimum {well_min:.6f} at ({centre[0]:.6f}, {centre[1]:.6f}); elsewhere above {elsewhere_bound:.0e}")
print(f"branch and bound: no cell below {well_min - delta:.6f} after {splits} splits, smallest cells {size:.0e} wide")
print(f"narrow well found, most over {SEEDS} seeds (methods in the order above): ", end="")
print(", ".join(f"{r:.1%}" for r in well_rates.values()))
well_max_rate = 0.02
# claim: global-no-guarantee [runs=RUNS]
hill = rastrigin(WELL_AT)  # the cosine terms peak at WELL_AT: near a hilltop of Rastrigin
assert well_min < elsewhere_bound  # the lowest point near the well is lower than anything away from it
assert len(cells) == 0  # and no cell of the box, near the well or not, can go below well_min - delta
assert np.linalg.norm(centre - WELL_AT) < WELL_WIDTH and np.allclose(np.cos(2 * np.pi * WELL_AT), -1)
assert max(well_rates.values()) < well_max_rate  # every method misses the true global minimum

fig, ax = plt.subplots(figsize=(6.5, 3.6))
for name, marker in zip(METHODS, "ovsD", strict=True):
    ax.plot(BUDGETS, curves[name], marker=marker, label=name)
ax.set(xscale="log", xlabel="budget (function evaluations per run)", ylabel=f"success rate ({RUNS} runs)")
ax.set_xticks(BUDGETS, [str(b) for b in BUDGETS])
ax.set_xticks([], minor=True)
ax.set_title("Finding the global minimum of Rastrigin's function in 2-D")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig("global-minimum-success.svg")
# --8<-- [end:race]

# --8<-- [start:mse-network]
import itertools

import numpy as np


def predict(theta: np.ndarray, c: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Tiny network f(x) = Σ_j v_j tanh(w_j x + b_j) + c; theta[..., j, :] = (w_j, b_j, v_j), one row per run."""
    w, b, v = theta[..., 0], theta[..., 1], theta[..., 2]
    return (v[:, None, :] * np.tanh(x[:, None] * w[:, None, :] + b[:, None, :])).sum(-1) + c[:, None]


def mse(theta, c, x, y):
    """Mean squared error of each run's network on (x, y)."""
    return ((predict(theta, c, x) - y) ** 2).mean(-1)


def train(runs: int, hidden: int, x: np.ndarray, y: np.ndarray, steps: int = 400, lr: float = 0.05):
    """Fit `runs` independent networks by full-batch Adam with hand-written gradients."""
    rng = np.random.default_rng(0)
    theta, c = rng.standard_normal((runs, hidden, 3)), np.zeros(runs)
    m, s = np.zeros((runs, hidden * 3 + 1)), np.zeros((runs, hidden * 3 + 1))
    for t in range(1, steps + 1):
        w, b, v = theta[..., 0], theta[..., 1], theta[..., 2]
        h = np.tanh(x[:, None] * w[:, None, :] + b[:, None, :])  # (runs, n, hidden)
        d_out = 2 * ((v[:, None, :] * h).sum(-1) + c[:, None] - y) / len(x)  # ∂L/∂f(x_i)
        d_z = d_out[..., None] * v[:, None, :] * (1 - h**2)  # back through tanh
        grads = np.concatenate(
            [(d_z * x[:, None]).sum(1), d_z.sum(1), (d_out[..., None] * h).sum(1), d_out.sum(1, keepdims=True)], 1
        )
        m, s = 0.9 * m + 0.1 * grads, 0.999 * s + 0.001 * grads**2
        step = lr * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
        theta = theta - step[:, :-1].reshape(runs, 3, hidden).transpose(0, 2, 1)
        c = c - step[:, -1]
    return theta, c


runs, hidden, n_points, span, freq, steps, lr = 50, 3, 64, 2, 2, 400, 0.05
min_distance, loss_tol, ratio, slack, min_share = 0.1, 1e-12, 2, 1e-3, 0.9
x = np.linspace(-span, span, n_points)
y = np.sin(freq * x)
theta, c = train(runs, hidden, x, y, steps, lr)
swapped = theta[:, [1, 0, 2], :]  # hidden units 1 and 2 trade places: same function
middle = (theta + swapped) / 2  # the midpoint of the two parameter vectors
loss, loss_swapped, loss_middle = mse(theta, c, x, y), mse(swapped, c, x, y), mse(middle, c, x, y)
share_higher = (loss_middle > ratio * loss + slack).mean()
print(f"{runs} trained networks: median MSE {np.median(loss):.4f}; units 1 and 2 swapped {np.median(loss_swapped):.4f}")
print(f"midpoint of the two: median MSE {np.median(loss_middle):.2f}, more than {ratio}x higher in {share_higher:.0%}")
# claim: global-mse-not-convex [runs=len(loss)]
assert np.abs(predict(theta, c, x) - predict(swapped, c, x)).max() < loss_tol  # same predictions, so same MSE
assert np.all(np.abs(loss_swapped - loss) < loss_tol) and np.all(np.abs(swapped - theta).max((1, 2)) > min_distance)
assert share_higher >= min_share  # the chord inequality fails for most runs
# Every reordering of the units, with any of them sign-flipped ((w, b, v) -> -(w, b, v), as tanh is odd).
orderings = list(itertools.permutations(range(hidden)))
signs = np.array(list(itertools.product([1.0, -1.0], repeat=hidden)))
copies = np.stack([theta[:, list(order)] * sign[:, None] for order in orderings for sign in signs], 1)
loss_copies = np.stack([mse(copies[:, k], c, x, y) for k in range(copies.shape[1])])
flat = copies.reshape(runs, len(copies[0]), -1)
gaps = np.linalg.norm(flat[:, :, None] - flat[:, None, :], axis=-1)
closest = gaps[:, *np.triu_indices(len(copies[0]), 1)].min()  # the closest two copies of any network
fit_share = 0.4  # "trained": the MSE is below this share of y's variance, the MSE of the best constant
print(f"closest two of the {len(copies[0])} reordered and sign-flipped copies of any network: {closest:.2f} apart")
print(f"largest MSE of a trained network: {loss.max():.3f}, variance of y: {y.var():.3f}")
# claim: global-permutations [runs=len(loss)]
assert loss.max() < fit_share * y.var()  # every network is trained: it fits far better than a constant
assert closest > min_distance  # all copies are distinct parameter vectors
assert np.abs(loss_copies - loss).max() < loss_tol  # at the same loss
# --8<-- [end:mse-network]

# --8<-- [start:generalization]
import numpy as np
from numpy.polynomial import chebyshev


def sample(n: int, width: float, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n noisy points of y = sin(πx) + ε, x uniform in [-width, width], ε ~ N(0, noise²)."""
    x = rng.uniform(-width, width, n)
    return x, np.sin(np.pi * x) + noise * rng.standard_normal(n)


def fits(x, y, degree: int, ridge: float, wide: int, rng: np.random.Generator) -> tuple[dict, np.ndarray]:
    """Chebyshev coefficients of four fits to (x, y), and the basis of training directions they leave free."""
    V, W = chebyshev.chebvander(x, degree), chebyshev.chebvander(x, wide)
    min_norm = np.linalg.pinv(W) @ y  # of all wide interpolants, the one of least norm
    free = np.linalg.svd(W)[2][np.linalg.matrix_rank(W) :]  # directions that leave the training predictions as they are
    return {
        "interpolant": np.linalg.solve(V, y),  # the unique global minimizer of the training MSE
        "ridge": np.linalg.solve(V.T @ V / len(x) + ridge * np.eye(degree + 1), V.T @ y / len(x)),  # not one
        "min-norm": min_norm,  # a global minimizer of the wide model's training MSE
        "other": min_norm + free.T @ rng.standard_normal(len(free)),  # another one
    }, free


def mse(coef: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """Mean squared error of the Chebyshev series `coef` on (x, y)."""
    return float(np.mean((chebyshev.chebval(x, coef) - y) ** 2))


seeds, n_train, n_test, width, noise = 200, 10, 1000, 1.0, 0.2
degree, ridge, wide = 9, 1e-2, 39  # degree 9: one coefficient per point; degree 39: four per point
zero_tol, min_share, min_ratio = 1e-12, 0.9, 10
train, test = {}, {}
for seed in range(seeds):
    rng = np.random.default_rng(seed)
    x, y = sample(n_train, width, noise, rng)
    x_test, y_test = sample(n_test, width, noise, rng)
    coefs, free = fits(x, y, degree, ridge, wide, rng)
    for name, coef in coefs.items():
        train.setdefault(name, []).append(mse(coef, x, y))
        test.setdefault(name, []).append(mse(coef, x_test, y_test))
train = {name: np.array(v) for name, v in train.items()}
test = {name: np.array(v) for name, v in test.items()}
median = {name: np.median(v) for name, v in test.items()}
for name in test:
    shown = f"< {zero_tol:.0e}" if train[name].max() < zero_tol else f">= {train[name].min():.1e}"
    print(f"{name:12} train MSE {shown:9} median test MSE {median[name]:.2g}")
ridge_share = (test["ridge"] < test["interpolant"]).mean()
norm_share = (test["min-norm"] < test["other"]).mean()
print(f"ridge beats the interpolant in {ridge_share:.1%}, min-norm beats the other in {norm_share:.1%} of {seeds} sets")

# claim: global-generalization [seeds=len(test["ridge"])]
assert train["interpolant"].max() < zero_tol and train["ridge"].min() > zero_tol  # a global minimizer, and not
assert ridge_share > min_share and median["interpolant"] > min_ratio * median["ridge"]
assert len(free) == wide + 1 - n_train  # the wide model's global minimizers: an affine set of this dimension
assert train["min-norm"].max() < zero_tol and train["other"].max() < zero_tol  # two of them
assert norm_share > min_share and median["other"] > min_ratio * median["min-norm"]
# --8<-- [end:generalization]

# --8<-- [start:figure-cases]
import matplotlib.pyplot as plt
import numpy as np


def tilted(x):
    """The tilted double well x^4 - 3x^2 + x of the local-minimum page."""
    return x**4 - 3 * x**2 + x


x_global, x_max, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)  # f'(x) = 4x^3 - 6x + 1 = 0
assert np.isreal(np.roots([4.0, 0.0, -6.0, 1.0])).all() and tilted(x_global) < tilted(x_local) < tilted(x_max)
x = np.linspace(-2.2, 2.2, 401)
assert tilted(x).min() >= tilted(x_global) and np.all((x**2 - 1) ** 2 >= 0) and np.all(np.exp(x) > 0)
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
ax = axes[0]
ax.plot(x, tilted(x), color="0.3")
ax.plot([x_global], [tilted(x_global)], "o", color="C3", label="global minimum")
ax.plot([x_local], [tilted(x_local)], "s", color="C0", label="local minimum")
ax.set(title="one global minimizer", ylim=(-4.5, 6))
ax.legend(fontsize=8, loc="upper center")
ax = axes[1]
ax.plot(x, (x**2 - 1) ** 2, color="0.3")
ax.plot([-1, 1], [0, 0], "o", color="C3", label="global minima, f = 0")
ax.set(title="two global minimizers", ylim=(-0.5, 6))
ax.legend(fontsize=8, loc="upper center")
ax = axes[2]
x = np.linspace(-6, 1.5, 300)
ax.plot(x, np.exp(x), color="0.3")
ax.axhline(0, color="C3", ls="--", lw=1, label="infimum 0, never reached")
ax.set(title="no minimizer: exp(x)", ylim=(-0.5, 4.5))
ax.legend(fontsize=8, loc="upper left")
for ax in axes:
    ax.set_xlabel("x")
fig.tight_layout()
fig.savefig("global-minimum-cases.svg")
# --8<-- [end:figure-cases]
