# Code of the global-minimum page (docs/global-minimum.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figures.

# --8<-- [start:cases]
import numpy as np


def global_minimizers(f, grid: np.ndarray, tol: float = 1e-12) -> np.ndarray:
    """Grid points whose value is within tol of the lowest value on the grid."""
    values = f(grid)
    return grid[values <= values.min() + tol]


grid = np.linspace(-3, 3, 600_001)  # spacing 1e-5; the grid contains x = -1 and x = 1 exactly

# Several minimizers: f(x) = (x^2 - 1)^2 is never negative and is 0 at x = -1 and x = +1.
two_wells = global_minimizers(lambda x: (x**2 - 1) ** 2, grid)
print(f"(x^2 - 1)^2: lowest value 0 at x = {two_wells[0]:+.0f} and x = {two_wells[-1]:+.0f}")

# None, though bounded below: exp(x) > 0 everywhere, yet every point has a lower one to its left.
x = grid
print(f"exp(x): exp(x - 1) < exp(x) at all {x.size} grid points; exp(-40) = {np.exp(-40.0):.1e}")

# None, unbounded below: x^3 goes below any bound.
far_left = np.array([-10.0, -100.0, -1000.0])
print(f"x^3 at x = -10, -100, -1000: {[float(t) for t in far_left**3]}")

# claim: global-minimizer-cases
assert np.allclose(two_wells, [-1.0, 1.0])  # exactly two minimizers, with the same value 0
assert np.all(np.exp(x - 1) < np.exp(x)) and np.all(np.exp(x) > 0)  # inf exp = 0 is never reached
assert np.all(np.diff(far_left**3) < 0) and (far_left**3).min() < -999  # no lower bound, so no minimum
# --8<-- [end:cases]

# --8<-- [start:convex-gd]
import numpy as np


def least_squares_gd(X: np.ndarray, y: np.ndarray, starts: np.ndarray, steps: int) -> np.ndarray:
    """Gradient descent on L(w) = |Xw - y|^2 / n from every row of `starts` at once."""
    n = len(y)
    A, b = 2 * X.T @ X / n, 2 * X.T @ y / n  # ∇L(w) = A w - b
    lr = 1 / np.linalg.eigvalsh(A).max()  # step 1/L, L = largest curvature
    W = starts.copy()
    for _ in range(steps):
        W = W - lr * (W @ A - b)
    return W


worst_gap = 0.0
for seed in range(20):  # 20 random regression problems
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((200, 5))
    y = X @ rng.standard_normal(5) + 0.3 * rng.standard_normal(200)
    starts = rng.normal(0.0, 10.0, size=(1000, 5))  # 1000 starts, far apart
    W = least_squares_gd(X, y, starts, steps=300)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]  # closed form: solves X^T X w = X^T y
    worst_gap = max(worst_gap, np.abs(W - w_star).max())
shown = "below 1e-12" if worst_gap < 1e-12 else f"{worst_gap:.0e}"
print(f"20 problems x 1000 starts: largest coordinate gap to the least-squares solution {shown}")

# claim: global-convex-gd [problems=20 starts=len(starts)]
assert worst_gap < 1e-9
# --8<-- [end:convex-gd]

# --8<-- [start:chord]
import numpy as np


def chord_violations(f, dim: int, pairs: int, rng: np.random.Generator) -> np.ndarray:
    """f(λa + (1-λ)b) - [λ f(a) + (1-λ) f(b)] for random a, b, λ; convex f never gives > 0."""
    a, b = rng.uniform(-5, 5, (2, pairs, dim))
    lam = rng.random((pairs, 1))
    chord = lam[:, 0] * f(a) + (1 - lam[:, 0]) * f(b)
    return f(lam * a + (1 - lam) * b) - chord


rng = np.random.default_rng(0)
X = rng.standard_normal((50, 3))
y = rng.standard_normal(50)


def least_squares(w):
    """Mean squared error of the linear model Xw, for a batch of w (rows)."""
    return ((w @ X.T - y) ** 2).mean(-1)


def rastrigin(w):
    """Rastrigin's function, a standard non-convex test function."""
    return 10 * w.shape[-1] + (w**2 - 10 * np.cos(2 * np.pi * w)).sum(-1)


gap_ls = chord_violations(least_squares, 3, 100_000, rng)
gap_ra = chord_violations(rastrigin, 3, 100_000, rng)
print(f"least squares: chord below the curve in {(gap_ls > 1e-9).sum()} of 100000 random triples")
print(f"Rastrigin:     chord below the curve in {(gap_ra > 1e-9).mean():.0%} of 100000, by up to {gap_ra.max():.0f}")

# claim: global-chord [pairs=gap_ls.size]
assert gap_ls.max() < 1e-9  # convex: the chord is never below the graph
assert (gap_ra > 1e-9).mean() > 0.1 and gap_ra.max() > 10  # non-convex: often, and by a lot
# --8<-- [end:chord]

# --8<-- [start:benchmarks]
import numpy as np

# f(x, y), search box, published global minimum value and minimizers (Jamil & Yang 2013).
BENCHMARKS = {
    "Rastrigin": (
        lambda x, y: 20 + x**2 - 10 * np.cos(2 * np.pi * x) + y**2 - 10 * np.cos(2 * np.pi * y),
        (-5.12, 5.12, -5.12, 5.12),
        0.0,
        [(0.0, 0.0)],
    ),
    "Ackley": (
        lambda x, y: (
            -20 * np.exp(-0.2 * np.sqrt(0.5 * (x**2 + y**2)))
            - np.exp(0.5 * (np.cos(2 * np.pi * x) + np.cos(2 * np.pi * y)))
            + 20
            + np.e
        ),
        (-5.0, 5.0, -5.0, 5.0),
        0.0,
        [(0.0, 0.0)],
    ),
    "Rosenbrock": (
        lambda x, y: 100 * (y - x**2) ** 2 + (1 - x) ** 2,
        (-2.0, 2.0, -1.0, 3.0),
        0.0,
        [(1.0, 1.0)],
    ),
    "Himmelblau": (
        lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
        (-5.0, 5.0, -5.0, 5.0),
        0.0,
        [(3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)],
    ),
    "Six-hump camel": (
        lambda x, y: (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2,
        (-3.0, 3.0, -2.0, 2.0),
        -1.0316,
        [(0.0898, -0.7126), (-0.0898, 0.7126)],
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


def local_minima(f, box: tuple[float, ...], n: int = 801) -> np.ndarray:
    """All local minima in the box: grid points below their 8 neighbours, refined by Newton's method."""
    x0, x1, y0, y1 = box
    X, Y = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n), indexing="ij")
    Z = f(X, Y)
    lower = np.ones((n - 2, n - 2), dtype=bool)
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            lower &= Z[1:-1, 1:-1] <= Z[1 + dx : n - 1 + dx, 1 + dy : n - 1 + dy]
    p = np.stack([X[1:-1, 1:-1][lower], Y[1:-1, 1:-1][lower]], -1)
    for _ in range(30):  # Newton: p <- p - H^{-1} ∇f
        grad, hess = derivatives(f, p)
        p = p - np.linalg.solve(hess, grad[..., None])[..., 0]
    grad, hess = derivatives(f, p)
    ok = (np.linalg.norm(grad, axis=1) < 1e-5) & np.all(np.linalg.eigvalsh(hess) > 0, axis=1)
    found: list[np.ndarray] = []
    for q in p[ok]:  # neighbouring grid points that refined to the same minimum count once
        if all(np.linalg.norm(q - other) > 1e-4 for other in found):
            found.append(q)
    return np.array(found)


# Number of local minima in the box, where it is known (Ackley: "many", no exact count published).
KNOWN_COUNT = {"Rastrigin": 121, "Ackley": None, "Rosenbrock": 1, "Himmelblau": 4, "Six-hump camel": 6}

print(f"{'function':15} {'local minima':>12} {'global':>6} {'published f*':>12} {'found f*':>10} {'x* error':>9}")
for name, (f, box, f_star, x_stars) in BENCHMARKS.items():
    minima = local_minima(f, box)
    values = f(*minima.T)
    best = minima[values < values.min() + 1e-4]  # all points sharing the lowest value
    error = max(np.linalg.norm(best - np.array(x), axis=1).min() for x in x_stars)
    print(f"{name:15} {len(minima):12} {len(best):6} {f_star:12.4f} {round(values.min(), 4) + 0.0:10.4f} {error:9.4f}")
    # claim: global-benchmarks
    assert abs(values.min() - f_star) < 1e-4  # the published value (to its printed digits)
    assert len(best) == len(x_stars) and error < 1e-3  # at the published points, all of them
    assert np.all(f(*np.array(x_stars).T) < f_star + 1e-4)
    # claim: global-benchmark-counts
    known = KNOWN_COUNT[name]
    assert len(minima) == known if known else len(minima) > 100
# --8<-- [end:benchmarks]

# --8<-- [start:step-size]
import numpy as np

rng = np.random.default_rng(0)
X = rng.standard_normal((200, 5))
y = X @ rng.standard_normal(5) + 0.3 * rng.standard_normal(200)
A, b = 2 * X.T @ X / len(y), 2 * X.T @ y / len(y)  # L(w) = |Xw - y|^2 / n has ∇L(w) = A w - b
L = np.linalg.eigvalsh(A).max()  # the largest curvature
w_star = np.linalg.solve(A, b)


def loss(W: np.ndarray) -> np.ndarray:
    """L(w) for each row of W."""
    return ((W @ X.T - y) ** 2).mean(-1)


gaps = {}
for factor in (1.9, 2.1):  # step size η = factor / L
    W = rng.normal(0.0, 10.0, size=(1000, 5))  # 1000 random starts
    for _ in range(300):
        W = W - factor / L * (W @ A - b)
    gaps[factor] = loss(W) - loss(w_star[None])[0]
    gap = gaps[factor]
    shown = "below 1e-9 from every start" if gap.max() < 1e-9 else f"{np.median(gap):.0e} (median)"
    print(f"step {factor}/L, 300 steps: loss above the minimum {shown}")

# claim: global-convex-step [starts=len(W)]
assert gaps[1.9].max() < 1e-9  # below 2/L: every start converges to the minimum
assert gaps[2.1].min() > 1e3  # above 2/L: every start diverges, on a convex loss
# --8<-- [end:step-size]

# --8<-- [start:race]
import matplotlib.pyplot as plt
import numpy as np

LO, HI = -5.12, 5.12  # the search box [-5.12, 5.12]^2


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


def gradient_descent(f, runs, budget, rng, steps_per_start, lr=0.002):
    """Gradient descent from random starts, restarting every steps_per_start steps; best value per run.

    The gradient is taken by forward differences, so one step costs d + 1 = 3 evaluations.
    """
    best, h, eye = np.full(runs, np.inf), 1e-7, np.eye(2)
    for _ in range(budget // (3 * steps_per_start)):
        x = rng.uniform(LO, HI, (runs, 2))
        for _ in range(steps_per_start):
            fx = f(x)
            grad = (f(x[:, None, :] + h * eye) - fx[:, None]) / h
            best = np.minimum(best, fx)
            x = np.clip(x - lr * grad, LO, HI)
    return best


def simulated_annealing(f, runs, budget, rng, t_start=10.0, t_end=1e-3, sigma=0.5):
    """Metropolis random walk with geometric cooling (Kirkpatrick et al. 1983); best value per run."""
    x = rng.uniform(LO, HI, (runs, 2))
    fx = f(x)
    best = fx.copy()
    for t in t_start * (t_end / t_start) ** np.linspace(0, 1, budget - 1):
        y = np.clip(x + sigma * rng.standard_normal((runs, 2)), LO, HI)
        fy = f(y)
        accept = rng.random(runs) < np.exp(np.minimum(0.0, (fx - fy) / t))  # always accept downhill
        x, fx = np.where(accept[:, None], y, x), np.where(accept, fy, fx)
        best = np.minimum(best, fx)
    return best


def differential_evolution(f, runs, budget, rng, pop=20, F=0.8, CR=0.9):
    """DE/rand/1/bin (Storn & Price 1997) with a population of pop; best value per run."""
    X = rng.uniform(LO, HI, (runs, pop, 2))
    fX = f(X)
    run, me = np.arange(runs)[:, None], np.arange(pop)
    for _ in range(budget // pop - 1):
        keys = rng.random((runs, pop, pop))
        keys[:, me, me] = 2.0  # never pick yourself
        r = np.argsort(keys, axis=-1)[..., :3]  # three distinct other members, in random order
        a, b, c = (X[run, r[..., k]] for k in range(3))
        mutant = np.clip(a + F * (b - c), LO, HI)
        cross = rng.random((runs, pop, 2)) < CR
        cross[run, me, rng.integers(0, 2, (runs, pop))] = True  # at least one coordinate from the mutant
        trial = np.where(cross, mutant, X)
        f_trial = f(trial)
        keep = f_trial <= fX
        X, fX = np.where(keep[..., None], trial, X), np.where(keep, f_trial, fX)
    return fX.min(-1)


METHODS = {
    "gradient descent, one start": lambda f, n, b, rng: gradient_descent(f, n, b, rng, steps_per_start=b // 3),
    "gradient descent, restarts": lambda f, n, b, rng: gradient_descent(f, n, b, rng, steps_per_start=10),
    "simulated annealing": simulated_annealing,
    "differential evolution": differential_evolution,
}


def success_rates(f, runs: int, budget: int, below: float = 0.5, seed: int = 0) -> tuple[dict, dict]:
    """Per method: the fraction of runs whose best value is below `below`, and evaluations used per run."""
    rates, used = {}, {}
    for name, method in METHODS.items():
        counted = Counted(f)
        best = method(counted, runs, budget, np.random.default_rng(seed))
        rates[name], used[name] = (best < below).mean(), counted.evals
    return rates, used


# Success: a best value below 0.5. Every other local minimum of Rastrigin is at 0.99 or higher.
RUNS, BUDGETS = 200, (125, 250, 500, 1000, 2000)
curves, overspent = {name: [] for name in METHODS}, []
for budget in BUDGETS:
    rates, used = success_rates(rastrigin, RUNS, budget)
    for name in METHODS:
        curves[name].append(rates[name])
    overspent += [name for name in METHODS if used[name] > budget]
print(f"{'method (budget 2000)':28} {'evaluations per run':>19} {'success rate':>13}")
for name in METHODS:
    print(f"{name:28} {used[name]:19} {rates[name]:13.1%}")

one, restarts = rates["gradient descent, one start"], rates["gradient descent, restarts"]
sa, de = rates["simulated annealing"], rates["differential evolution"]
# claim: global-race [runs=RUNS]
assert min(sa, de) > restarts + 0.3  # the global methods beat restarted GD by a wide margin
assert restarts > one + 0.1  # and restarts beat a single descent
assert one < 0.05  # one descent ends in the global minimum only if it starts in its basin
assert not overspent  # and nobody used more evaluations than the budget


def rastrigin_with_well(x: np.ndarray) -> np.ndarray:
    """Rastrigin plus a narrow well of depth 60 on a hilltop: f(2.5, -2.5) = 52.5 - 60 = -7.5 is the new minimum."""
    return rastrigin(x) - 60 * np.exp(-((x - np.array([2.5, -2.5])) ** 2).sum(-1) / (2 * 0.01**2))


well_rates, _ = success_rates(rastrigin_with_well, RUNS, 2000, below=0.0)  # Rastrigin >= 0: only the well is < 0
print(f"narrow well found (methods in the order above): {', '.join(f'{r:.0%}' for r in well_rates.values())}")
# claim: global-no-guarantee [runs=RUNS]
assert rastrigin_with_well(np.array([2.5, -2.5])) < -7.49
assert max(well_rates.values()) < 0.02  # every method misses the true global minimum

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


x = np.linspace(-2, 2, 64)
y = np.sin(2 * x)
theta, c = train(runs=50, hidden=3, x=x, y=y)
swapped = theta[:, [1, 0, 2], :]  # hidden units 1 and 2 trade places: same function
middle = (theta + swapped) / 2  # the midpoint of the two parameter vectors
loss, loss_swapped, loss_middle = mse(theta, c, x, y), mse(swapped, c, x, y), mse(middle, c, x, y)
print(f"50 trained networks: median MSE {np.median(loss):.4f}; units 1 and 2 swapped {np.median(loss_swapped):.4f}")
print(f"midpoint of the two: median MSE {np.median(loss_middle):.2f}, higher in {(loss_middle > loss).mean():.0%}")
# claim: global-mse-not-convex [runs=len(loss)]
assert np.allclose(predict(theta, c, x), predict(swapped, c, x))  # same predictions, so same MSE
assert np.all(np.abs(loss_swapped - loss) < 1e-12) and np.all(np.abs(swapped - theta).max((1, 2)) > 0.1)
assert (loss_middle > 2 * loss + 1e-3).mean() >= 0.9  # the chord inequality fails for most runs
# --8<-- [end:mse-network]

# --8<-- [start:generalization]
import numpy as np
from numpy.polynomial import chebyshev


def sample(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n noisy points of y = sin(πx) + ε, x uniform in [-1, 1], ε ~ N(0, 0.2²)."""
    x = rng.uniform(-1, 1, n)
    return x, np.sin(np.pi * x) + 0.2 * rng.standard_normal(n)


def train_test_mse(degree: int, x, y, x_test, y_test) -> tuple[float, float]:
    """Least-squares polynomial fit of the given degree; its training and test MSE."""
    coef = chebyshev.chebfit(x, y, degree)
    train = np.mean((chebyshev.chebval(x, coef) - y) ** 2)
    return train, np.mean((chebyshev.chebval(x_test, coef) - y_test) ** 2)


results = []
for seed in range(200):
    rng = np.random.default_rng(seed)
    x, y = sample(10, rng)
    x_test, y_test = sample(1000, rng)
    results.append([*train_test_mse(9, x, y, x_test, y_test), *train_test_mse(3, x, y, x_test, y_test)])
train9, test9, train3, test3 = np.array(results).T
zero = "< 1e-12" if train9.max() < 1e-12 else "larger"
print(f"degree 9 (interpolates): train MSE {zero}, median test MSE {np.median(test9):.2g}")
print(f"degree 3:                median train MSE {np.median(train3):.3f}, median test MSE {np.median(test3):.3f}")
print(f"the degree-3 fit has the lower test MSE in {(test3 < test9).mean():.0%} of 200 seeds")

# claim: global-generalization [seeds=len(results)]
assert np.all(train9 < 1e-12) and np.all(train3 > train9)  # degree 9 reaches the global minimum, 0
assert (test3 < test9).mean() > 0.9 and np.median(test9) > 10 * np.median(test3)
# --8<-- [end:generalization]

# --8<-- [start:figure-cases]
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(-2.2, 2.2, 400)
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
ax = axes[0]
ax.plot(x, x**4 - 3 * x**2 + x, color="0.3")  # the tilted double well of the local-minimum page
ax.plot([-1.3008], [-3.5139], "o", color="C3", label="global minimum")
ax.plot([1.1309], [-1.0702], "s", color="C0", label="local minimum")
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
