# Code of the Hessian page (docs/hessian.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:symmetric]
import numpy as np
import torch


def random_function(seed: int, dim: int = 5):
    """A random smooth f: R^dim -> R, f(x) = v . tanh(Wx + b) + sin(u . x) (q . x)^2."""
    g = torch.Generator().manual_seed(seed)
    W, b, v, u, q = (torch.randn(*s, generator=g, dtype=torch.float64) for s in [(8, dim), (8,), (8,), (dim,), (dim,)])

    def f(x: torch.Tensor) -> torch.Tensor:
        return v.to(x) @ torch.tanh(W.to(x) @ x + b.to(x)) + torch.sin(u.to(x) @ x) * (q.to(x) @ x) ** 2

    return f


def hessian_both_ways(f, x: torch.Tensor, h: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor]:
    """The Hessian by autograd, and by central differences of the autograd gradient (column by column)."""
    exact = torch.autograd.functional.hessian(f, x)
    grad = lambda z: torch.autograd.functional.jacobian(f, z)  # noqa: E731
    e = torch.eye(x.numel(), dtype=x.dtype, device=x.device) * h
    columns = [(grad(x + e[j]) - grad(x - e[j])) / (2 * h) for j in range(x.numel())]
    return exact, torch.stack(columns, dim=1)  # column j = d(gradient)/dx_j: nothing forces symmetry


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
n_functions, dim, tol_autograd, tol_differences, tol_single = 20, 5, 1e-12, 1e-7, 1e-6
seeds = range(n_functions)
worst_single_on = {}  # device -> largest relative asymmetry of the float32 Hessian
for device in devices:
    worst_autograd, worst_differences, worst_single = 0.0, 0.0, 0.0
    for seed in seeds:
        f = random_function(seed, dim)
        x = torch.randn(dim, dtype=torch.float64, generator=torch.Generator().manual_seed(100 + seed)).to(device)
        exact, differences = hessian_both_ways(f, x)  # in float64
        scale = exact.abs().max()
        single = torch.autograd.functional.hessian(f, x.float())  # the same Hessian in float32
        worst_autograd = max(worst_autograd, ((exact - exact.T).abs().max() / scale).item())
        worst_differences = max(worst_differences, ((differences - differences.T).abs().max() / scale).item())
        worst_single = max(worst_single, ((single - single.T).abs().max() / single.abs().max()).item())
        # claim: hessian-symmetric [seeds=len(seeds) devices=devices]
        assert exact.dtype == torch.float64 and (exact - exact.T).abs().max() <= tol_autograd * scale
        assert (differences - differences.T).abs().max() <= tol_differences * scale  # not symmetrized, yet symmetric
        assert (differences - exact).abs().max() <= tol_differences * scale
    worst_single_on[device] = worst_single
    assert worst_single < tol_single  # float32: symmetric to its own rounding level, on every device
    if device == "cpu":
        assert tol_autograd < worst_single  # on the CPU, not to float64's: the two triangles round differently
        print(f"largest |H - H^T| / max|H| over {len(seeds)} functions:")
        bound = 10.0 ** np.ceil(np.log10(max(worst_autograd, 1e-300)))  # rounding level: print its order only
        print(f"  float64: autograd below {bound:.0e}, differences of the gradient {worst_differences:.0e}")
        print(f"  float32: autograd between {tol_autograd:.0e} and {tol_single:.0e}")
# --8<-- [end:symmetric]

# --8<-- [start:schwarz]
import numpy as np


def f(x, y):
    """Peano's example: x y (x^2 - y^2) / (x^2 + y^2), and 0 at the origin."""
    r2 = x**2 + y**2
    return np.where(r2 == 0, 0.0, x * y * (x**2 - y**2) / np.where(r2 == 0, 1.0, r2))


def f_x(x, y, h: float):
    """df/dx by a central difference of step h."""
    return (f(x + h, y) - f(x - h, y)) / (2 * h)


def f_y(x, y, h: float):
    """df/dy by a central difference of step h."""
    return (f(x, y + h) - f(x, y - h)) / (2 * h)


def mixed(x, y, k, h: float):
    """d/dy (df/dx) and d/dx (df/dy) by central differences: outer step k, inner step h."""
    xy = (f_x(x, y + k, h) - f_x(x, y - k, h)) / (2 * k)
    yx = (f_y(x + k, y, h) - f_y(x - k, y, h)) / (2 * k)
    return xy, yx


ks, inner, tol_origin, tol_away, min_radius = np.array([1e-1, 1e-2, 1e-3]), 1e-6, 1e-4, 1e-5, 0.2
expected_xy, expected_yx = -1, 1  # the two orders at the origin, derived in the text
xy0, yx0 = mixed(0.0, 0.0, ks, inner)  # inner limit first: inner step far below the outer one
print(f"at the origin, inner step {inner:.0e}, outer k = " + ", ".join(f"{k:.0e}" for k in ks))
print("  f_xy = " + ", ".join(f"{v:+.4f}" for v in xy0) + "   f_yx = " + ", ".join(f"{v:+.4f}" for v in yx0))
xy_equal, yx_equal = mixed(0.0, 0.0, ks, ks)  # inner step = outer step: one four-point formula for both orders
ratio = 10
xy_swapped, yx_swapped = mixed(0.0, 0.0, ks / ratio, ks)  # inner step ratio times the outer: the limits swap
print("  inner = outer: f_xy = f_yx = " + ", ".join(f"{v:+.4f}" for v in xy_equal))
print(f"  inner = {ratio} x outer: f_xy = " + ", ".join(f"{v:+.2f}" for v in xy_swapped), end="")
print("   f_yx = " + ", ".join(f"{v:+.2f}" for v in yx_swapped))
# claim: hessian-schwarz-fails [steps=ks.size]
assert np.all(np.abs(xy0 - expected_xy) < tol_origin) and np.all(np.abs(yx0 - expected_yx) < tol_origin)
assert np.all(np.abs(xy_equal - yx_equal) < tol_origin) and np.all(np.abs(xy_equal) < tol_origin)
assert np.all(xy_swapped > 0) and np.all(yx_swapped < 0)

rng = np.random.default_rng(0)
points = rng.uniform(-1, 1, size=(2, 1000))
points = points[:, np.hypot(*points) > min_radius]  # away from the origin f is smooth
xy, yx = mixed(points[0], points[1], 1e-4, inner)
print(f"at {points.shape[1]} points away from the origin: largest |f_xy - f_yx| = {np.abs(xy - yx).max():.0e}")
# claim: hessian-schwarz-fails [points=len(points.T)]
assert np.abs(xy - yx).max() < tol_away
# --8<-- [end:schwarz]

# --8<-- [start:taylor]
import numpy as np
import torch


def random_function(seed: int, dim: int = 5):
    """A random smooth f: R^dim -> R, f(x) = v . tanh(Wx + b) + sin(u . x) (q . x)^2."""
    g = torch.Generator().manual_seed(seed)
    W, b, v, u, q = (torch.randn(*s, generator=g, dtype=torch.float64) for s in [(8, dim), (8,), (8,), (dim,), (dim,)])

    def f(x: torch.Tensor) -> torch.Tensor:
        return v.to(x) @ torch.tanh(W.to(x) @ x + b.to(x)) + torch.sin(u.to(x) @ x) * (q.to(x) @ x) ** 2

    return f


def taylor_errors(f, x: torch.Tensor, d: torch.Tensor, hs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """|f(x + h d) - model(h)| for the first- and second-order Taylor models, at each step h.

    d is one direction, or a matrix of directions (one a row) that all use the same gradient and Hessian.
    """
    hs = np.asarray(hs, dtype=float)
    if hs.size == 0 or not np.all(hs > 0):
        raise ValueError(f"hs must be positive step sizes, got {hs!r}")
    D = d.reshape(-1, x.numel())
    g = torch.autograd.functional.jacobian(f, x)
    H = torch.autograd.functional.hessian(f, x)
    slope = (D @ g).cpu().numpy()[:, None]  # f'(0) along each direction
    curvature = torch.einsum("ki,ij,kj->k", D, H, D).cpu().numpy()[:, None]  # f''(0) along each direction
    f0 = f(x).item()
    values = np.array([[f(x + h * e).item() for h in hs] for e in D])
    first = np.abs(values - (f0 + hs * slope))
    second = np.abs(values - (f0 + hs * slope + hs**2 / 2 * curvature))
    return (first[0], second[0]) if d.ndim == 1 else (first, second)


def third_derivative(f, x: torch.Tensor, d: torch.Tensor) -> float:
    """d^3/dt^3 f(x + t d) at t = 0, by autograd: the h^3 / 6 coefficient of the second-order model's error."""
    t = torch.zeros((), dtype=x.dtype, device=x.device, requires_grad=True)
    derivative = f(x + t * d)
    for _ in range(3):
        (derivative,) = torch.autograd.grad(derivative, t, create_graph=True)
    return derivative.item()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
hs = np.logspace(-1.5, -3.5, 9)
n_functions, dim = 20, 5
order_first, order_second, tol_first, tol_second = 2, 3, 0.25, 0.15  # expected error orders, and tolerances
tol_third = 0.01  # relative gap between the smallest-step error and the h^3 term
slope_floor = 1.9  # first-order slopes below this are explained in the text
n_directions, tol_pin = dim * (dim + 1) // 2, 0.05  # as many directions as a symmetric H has free entries
seeds = range(n_functions)
for device in devices:
    orders, gaps, bends, pin_gaps, detectable, ranks = [], [], [], [], [], []
    for seed in seeds:
        gen = torch.Generator().manual_seed(200 + seed)
        x, d = torch.randn(2, dim, dtype=torch.float64, generator=gen).to(device)
        f, d = random_function(seed, dim), d / d.norm()
        E = torch.randn(n_directions, dim, dtype=torch.float64, generator=torch.Generator().manual_seed(300 + seed))
        E = (E / E.norm(dim=1, keepdim=True)).to(device)  # further unit directions: each tests one e^T H e
        ranks.append(np.linalg.matrix_rank([np.outer(e, e)[np.triu_indices(dim)] for e in E.cpu().numpy()]))
        D = torch.cat([d[None], E])  # d first; all directions share one gradient and one Hessian
        first, second = taylor_errors(f, x, D, hs)
        # slope of log(error) against log(h) along d: the order of the error
        orders.append([np.polyfit(np.log(hs), np.log(e), 1)[0] for e in (first[0], second[0])])
        thirds = np.array([third_derivative(f, x, e) for e in D])
        terms = np.abs(thirds) * hs.min() ** 3 / 6  # what the error should be at the smallest h
        relative = np.abs(second[:, np.argmin(hs)] / terms - 1)
        gaps.append(relative[0])
        pin_gaps.extend(relative[1:])
        detectable.extend(4 * tol_pin * terms[1:] / hs.min() ** 2)  # a curvature error this large breaks the gap
        curvature = (d @ torch.autograd.functional.hessian(f, x) @ d).item()
        bends.append(abs(curvature / thirds[0]))  # small: the h^3 term competes with the h^2 term in the first model
    orders, gap = np.array(orders), max(gaps)
    first_orders = orders[:, 0]
    n_low = int((first_orders < slope_floor).sum())
    if device == "cpu":
        lowest_bend = bends[np.argmin(first_orders)]
        assert n_low == 1 and np.argmin(first_orders) == np.argmin(bends)  # one function, the least curved one
        where = f"{hs.min():.1e} <= h <= {hs.max():.3f}"
        print(f"error order over {len(seeds)} functions (slope of log error vs log h, {where}):")
        print(f"  first-order model:  {orders[:, 0].min():.2f} to {orders[:, 0].max():.2f}")
        print(f"  second-order model: {orders[:, 1].min():.2f} to {orders[:, 1].max():.2f}")
        print(f"  at h = {hs.min():.1e} its error is |third derivative| h^3 / 6 to within {tol_third:.0%}")
        print(f"  and to within {tol_pin:.0%} along {n_directions} more directions per function")
    # claim: hessian-taylor-cubic [seeds=len(seeds) devices=devices]
    assert np.all(np.abs(orders[:, 0] - order_first) < tol_first)
    assert np.all(np.abs(orders[:, 1] - order_second) < tol_second)
    assert gap < tol_third  # an error in the curvature d^T H d would show here
    assert max(pin_gaps) < tol_pin and len(pin_gaps) == n_directions * len(seeds)  # and along every direction
    assert all(rank == n_directions for rank in ranks)  # whose e e^T are independent: together they determine H
# --8<-- [end:taylor]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np
import torch

torch.manual_seed(0)
W, b, v, u, q = (torch.randn(*s, dtype=torch.float64) for s in [(8, 5), (8,), (8,), (5,), (5,)])


def f(x: torch.Tensor) -> torch.Tensor:
    """A smooth function of 5 variables: v . tanh(Wx + b) + sin(u . x) (q . x)^2."""
    return v @ torch.tanh(W @ x + b) + torch.sin(u @ x) * (q @ x) ** 2


x, d = torch.randn(5, dtype=torch.float64), torch.randn(5, dtype=torch.float64)
d = d / d.norm()
g, H = torch.autograd.functional.jacobian(f, x), torch.autograd.functional.hessian(f, x)
hs = np.logspace(-4, 0, 41)
values = np.array([f(x + h * d).item() for h in hs])
f0, slope, curv = f(x).item(), (g @ d).item(), (d @ H @ d).item()
first = np.abs(values - f0 - hs * slope)
second = np.abs(values - f0 - hs * slope - hs**2 / 2 * curv)
small = hs <= 1e-2  # where the Taylor orders show
slope_first, slope_second = (np.polyfit(np.log(hs[small]), np.log(e[small]), 1)[0] for e in (first, second))
ratio_at_1 = first[-1] / second[-1]  # at h = 1 both models are poor
assert abs(slope_first - 2) < 0.1 and abs(slope_second - 3) < 0.1  # the dashed lines fit
assert second[0] < 0.01 * first[0] and 0.5 < ratio_at_1 < 2  # far below at small h; about equal at h = 1

fig, ax = plt.subplots(figsize=(6.4, 3.8))
ax.loglog(hs, first, "o", ms=3, color="C0", label="first-order model (gradient)")
ax.loglog(hs, second, "s", ms=3, color="C3", label="second-order model (gradient + Hessian)")
ax.loglog(hs, first[20] * (hs / hs[20]) ** 2, "--", color="C0", lw=0.8, label="slope 2")
ax.loglog(hs, second[20] * (hs / hs[20]) ** 3, "--", color="C3", lw=0.8, label="slope 3")
ax.set(xlabel="step h along a unit direction d", ylabel="|f(x + h d) − model|", title="Error of the Taylor models")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig("hessian-taylor-error.svg")
# --8<-- [end:figure]

# --8<-- [start:least-squares]
import numpy as np


def loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """The least-squares loss L(w) = ||Xw - y||^2 / n."""
    return np.mean((X @ w - y) ** 2)


def loss_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of L(w) = ||Xw - y||^2 / n: 2 X^T (Xw - y) / n."""
    return 2 * X.T @ (X @ w - y) / len(y)


def hessian_by_differences(w: np.ndarray, X: np.ndarray, y: np.ndarray, h: float) -> np.ndarray:
    """Entry (i, j): the central second difference of L itself; exact for a quadratic at any step h."""
    e = np.eye(w.size) * h
    L = lambda v: loss(v, X, y)  # noqa: E731
    return np.array([[L(w + a + b) - L(w + a - b) - L(w - a + b) + L(w - a - b) for b in e] for a in e]) / (4 * h**2)


def gradient_by_differences(w: np.ndarray, X: np.ndarray, y: np.ndarray, h: float) -> np.ndarray:
    """Entry j: (L(w + h e_j) - L(w - h e_j)) / 2h, to check the gradient formula against L."""
    e = np.eye(w.size) * h
    return np.array([loss(w + e[j], X, y) - loss(w - e[j], X, y) for j in range(w.size)]) / (2 * h)


rng = np.random.default_rng(0)
n, d, n_weights, scale, tol = 200, 5, 20, 10, 1e-9
step_rng = np.random.default_rng(1)  # fresh random steps for every check: a periodic term in L with a period
steps_hessian = step_rng.uniform(0.5, 1.0, size=(n_weights, 2))  # that the steps alias is then improbable,
steps_gradient = step_rng.uniform(0.05, 0.1, size=(n_weights, 2))  # not tunable against fixed steps
X = rng.normal(size=(n, d))
formula = 2 * X.T @ X / n  # depends on the inputs X only
gaps, gradient_gaps = [], []
for seed in range(n_weights):  # random weights, each with its own random targets
    r = np.random.default_rng(seed)
    w, y = r.normal(scale=scale, size=d), r.normal(size=n)
    H_gaps = [hessian_by_differences(w, X, y, h) - formula for h in steps_hessian[seed]]
    gaps += [np.abs(gap).max() / np.abs(formula).max() for gap in H_gaps]
    g = loss_gradient(w, X, y)
    gradient_gaps += [
        np.abs(gradient_by_differences(w, X, y, h) - g).max() / np.abs(g).max() for h in steps_gradient[seed]
    ]
eig = np.linalg.eigvalsh(formula)
print(f"second differences of L = 2 X^T X / n at all {n_weights} weights and targets, to within {tol:.0e}")
print("eigenvalues:", np.round(eig, 3))
# claim: hessian-least-squares [weights=n_weights]
assert max(gaps) < tol  # second differences of L are exact for a quadratic, up to rounding
assert max(gradient_gaps) < tol  # the gradient used below is that of L

# The condition number sets the speed of gradient descent: with step 1/L the error along eigenvector i
# shrinks by exactly 1 - lambda_i / L per step, the slowest along the flattest: 1 - 1/kappa.
eigvals, V = np.linalg.eigh(formula)
kappa, steps = eigvals[-1] / eigvals[0], 10
w_star = np.linalg.lstsq(X, y, rcond=None)[0]
path = [np.zeros(d)]
for _ in range(steps):
    path.append(path[-1] - loss_gradient(path[-1], X, y) / eigvals[-1])
along = (np.array(path) - w_star) @ V  # the error in the eigenvector basis, one row per step
predicted = along[0] * (1 - eigvals / eigvals[-1]) ** np.arange(steps + 1)[:, None]
flattest = along[-1, 0] / along[-2, 0]  # measured shrink factor along the flattest eigenvector
print(f"condition number {kappa:.3f}; along the flattest eigenvector the error shrinks by {flattest:.4f} per step")
# claim: hessian-condition-rate
assert np.allclose(along, predicted, rtol=0, atol=1e-9 * np.abs(along[0]).max())  # each component: 1 - lambda_i/L
assert abs(flattest - (1 - 1 / kappa)) < 1e-9  # the slowest: 1 - 1/kappa

# The best fixed step, 2 / (lambda_min + L), balances the two extremes: both shrink by (kappa - 1)/(kappa + 1).
# Steepest descent with exact line searches shrinks the H-norm sqrt(e^T H e) of the error by at most as much.
best_rate = (kappa - 1) / (kappa + 1)
balanced = 1 - 2 * eigvals / (eigvals[0] + eigvals[-1])  # per-step factor along each eigenvector
e, h_norms = np.zeros(d) - w_star, []
for _ in range(steps):
    g = formula @ e  # the gradient at w_star + e
    h_norms.append(np.sqrt(e @ formula @ e))
    e = e - (g @ g) / (g @ formula @ g) * g  # exact line search on a quadratic
h_norms.append(np.sqrt(e @ formula @ e))
sd_worst = max(np.array(h_norms[1:]) / np.array(h_norms[:-1]))
path = [np.zeros(d)]
for _ in range(steps):  # gradient descent with the best fixed step
    path.append(path[-1] - 2 / (eigvals[0] + eigvals[-1]) * loss_gradient(path[-1], X, y))
along_best = (np.array(path) - w_star) @ V
measured = along_best[1:] / along_best[:-1]  # per-step factor along each eigenvector, measured on the run
print(f"(kappa - 1)/(kappa + 1) = {best_rate:.4f}; exact line searches: H-norm factor <= {sd_worst:.4f}")
# claim: hessian-best-step
predicted_best = along_best[0] * balanced ** np.arange(steps + 1)[:, None]  # each component: its own factor
assert np.allclose(along_best, predicted_best, rtol=0, atol=1e-9 * np.abs(along_best[0]).max())
assert np.allclose(np.abs(measured[:, [0, -1]]), best_rate, rtol=1e-6)  # the extremes, measured at every step
assert np.allclose(np.abs(balanced[[0, -1]]), best_rate) and np.all(np.abs(balanced) <= best_rate + 1e-12)
assert sd_worst <= best_rate + 1e-12 and np.allclose(formula @ w_star, 2 * X.T @ y / n)  # w_star is the minimizer
# --8<-- [end:least-squares]

# --8<-- [start:least-squares-torch]
import numpy as np
import torch


def hessian_at(w: torch.Tensor, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Autograd Hessian of L(w) = ||Xw - y||^2 / n at w."""
    return torch.autograd.functional.hessian(lambda v: ((X @ v - y) ** 2).mean(), w)


rng = np.random.default_rng(0)
n, d, n_weights, scale, tol = 200, 5, 20, 10, 1e-12
X_np = rng.normal(size=(n, d))
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    X = torch.tensor(X_np, device=device)
    formula = 2 * X.T @ X / n
    gaps = []
    for seed in range(n_weights):
        r = np.random.default_rng(seed)
        w, y = (torch.tensor(a, device=device) for a in (r.normal(scale=scale, size=d), r.normal(size=n)))
        gaps.append(((hessian_at(w, X, y) - formula).abs().max() / formula.abs().max()).item())
    if device == "cpu":
        bound = 10.0 ** np.ceil(np.log10(max(max(gaps), 1e-300)))  # rounding level: print its order only
        print(f"H = 2 X^T X / n at all {n_weights} weights and targets: largest relative gap below {bound:.0e}")
        print("eigenvalues:", np.round(torch.linalg.eigvalsh(formula).cpu().numpy(), 3))
    # claim: hessian-least-squares-torch [weights=len(gaps) devices=devices]
    assert max(gaps) < tol
# --8<-- [end:least-squares-torch]

# --8<-- [start:diagonal]
import numpy as np

c = 3  # f_s(x, y) = x^2 + y^2 + c x y


def f_s(x, y):
    """The misconception's counterexample: positive curvature along both axes."""
    return x**2 + y**2 + c * x * y


def hessian_2d(f, h: float = 1.0) -> np.ndarray:
    """The 2x2 Hessian of f(x, y) at the origin by central second differences (exact for a quadratic)."""
    e = np.eye(2) * h
    return np.array([[(f(*(a + b)) - f(*(a - b)) - f(*(b - a)) + f(*(-a - b))) / (4 * h**2) for b in e] for a in e])


H = hessian_2d(f_s)
eig, vec = np.linalg.eigh(H)
d = vec[:, 0] * np.sign(vec[0, 0])  # the eigenvector of the smallest eigenvalue, first entry positive
t_max = 1
t = np.linspace(-t_max, t_max, 201)
along = f_s(t * d[0], t * d[1])  # f_s(t d)
print(f"diagonal {np.diag(H)}, eigenvalues {np.round(eig, 6) + 0.0}")
print(f"along d = ({d[0]:+.3f}, {d[1]:+.3f}): f(t d) = {along[0]:.2f} t^2")
# claim: hessian-diagonal-misleads
assert np.all(np.diag(H) > 0) and eig[0] < 0
assert np.all(along[t != 0] < 0)  # f falls along d: the origin is a saddle, not a minimum

# Random symmetric matrices, shifted by random multiples of I so that many are positive definite.
min_count, size, n_matrices, max_shift = 5, 6, 1000, 8
rng = np.random.default_rng(0)
A = rng.normal(size=(n_matrices, size, size))
Hs = (A + A.transpose(0, 2, 1)) / 2 + rng.uniform(0, max_shift, size=(n_matrices, 1, 1)) * np.eye(size)
eigs = np.linalg.eigvalsh(Hs)
diag = np.diagonal(Hs, axis1=1, axis2=2)
inside = (eigs[:, :1] - 1e-12 <= diag) & (diag <= eigs[:, -1:] + 1e-12)  # Rayleigh: e_i^T H e_i in the spectrum
definite = eigs[:, 0] > 0
positive_diagonal = np.all(diag > 0, axis=1)
indefinite = positive_diagonal & ~definite
print(
    f"{n_matrices} random {size}x{size} symmetric: diagonal in [lambda_min, lambda_max] in {inside.all(1).mean():.0%}"
)
print(f"{positive_diagonal.sum()} have a positive diagonal; of these, {indefinite.sum()} are not positive definite")
# claim: hessian-diagonal-misleads [matrices=len(Hs)]
assert inside.all()
assert indefinite.sum() >= min_count  # a positive diagonal is no proof of a minimum

# Two tests that do decide: Sylvester's criterion (all leading principal minors positive) is equivalent to
# positive definiteness; strict diagonal dominance with a positive diagonal is sufficient (Gershgorin).
minors = np.stack([np.linalg.det(Hs[:, :k, :k]) for k in range(1, size + 1)], axis=1)
sylvester = np.all(minors > 0, axis=1)
dominant = np.all(diag > np.abs(Hs).sum(axis=2) - np.abs(diag), axis=1)
print(f"positive definite: {definite.sum()}; Sylvester's criterion agrees on all {(sylvester == definite).sum()}")
print(
    f"diagonally dominant, positive diagonal: {dominant.sum()}, all positive definite: {bool(definite[dominant].all())}"
)
# claim: hessian-pd-tests [matrices=len(Hs)]
assert np.all(sylvester == definite) and definite.sum() >= min_count and (~definite).sum() >= min_count
assert np.all(definite[dominant]) and dominant.sum() >= min_count and (definite & ~dominant).sum() >= min_count
# --8<-- [end:diagonal]

# --8<-- [start:degenerate]
import numpy as np

# Three functions with the same gradient (0) and Hessian (diag(0, 2)) at the origin, and three behaviours.
FUNCTIONS = {
    "x^4 + y^2": lambda x, y: x**4 + y**2,
    "-x^4 + y^2": lambda x, y: -(x**4) + y**2,
    "x^3 + y^2": lambda x, y: x**3 + y**2,
}


def hessian_at_origin(f, h: float = 1e-5) -> np.ndarray:
    """The 2x2 Hessian of f(x, y) at the origin by central second differences (x^4 adds 8 h^2: negligible)."""
    e = np.eye(2) * h
    return np.array([[(f(*(a + b)) - f(*(a - b)) - f(*(b - a)) + f(*(-a - b))) / (4 * h**2) for b in e] for a in e])


radius, r_min, n_radii, n_angles = 0.1, 1e-8, 141, 3600
radii = np.logspace(np.log10(r_min), np.log10(radius), n_radii)[:, None]  # down to far below the step h
angles = np.linspace(0, 2 * np.pi, n_angles, endpoint=False)
hessians, lowest = {}, {}
for name, f in FUNCTIONS.items():
    hessians[name] = hessian_at_origin(f)
    lowest[name] = f(radii * np.cos(angles), radii * np.sin(angles)).min()  # over the polar grid
    shown = (np.round(hessians[name], 4) + 0.0).tolist()
    print(f"{name:11} Hessian at 0: {shown}, lowest value within {radius}: {lowest[name]:+.1e}")
gradients = {
    name: np.array([f(1e-6, 0.0) - f(-1e-6, 0.0), f(0.0, 1e-6) - f(0.0, -1e-6)]) / 2e-6 for name, f in FUNCTIONS.items()
}
px, py = np.random.default_rng(0).uniform(-1, 1, size=(2, 1000))
forms = [px**4 + py**2, -(px**4) + py**2, px**3 + py**2]  # the formulas the names state, written out again
# claim: hessian-degenerate
assert all(np.abs(g).max() < 1e-9 for g in gradients.values())  # the origin is a critical point of all three
assert all(np.allclose(H, [[0, 0], [0, 2]], rtol=0, atol=1e-8) for H in hessians.values())  # the same Hessian
# each f is its stated formula, so x^4 + y^2 >= 0 = f(0) everywhere: a minimum, which the grid only illustrates
assert all(np.allclose(f(px, py), v, rtol=1e-15, atol=0) for f, v in zip(FUNCTIONS.values(), forms, strict=True))
assert lowest["x^4 + y^2"] >= FUNCTIONS["x^4 + y^2"](0.0, 0.0)  # never below f(0), down to radius r_min
assert np.isclose(lowest["-x^4 + y^2"], -(radius**4), rtol=1e-12, atol=0)  # exactly -r^4, at y = 0
assert np.isclose(lowest["x^3 + y^2"], -(radius**3), rtol=1e-12, atol=0)  # exactly -r^3

# Peano's surface: a minimum along every line through the origin, yet a saddle.
peano = lambda x, y: (y - x**2) * (y - 2 * x**2)  # noqa: E731
t_small, n_lines = 1e-4, 1800
line_angles = np.linspace(0, np.pi, n_lines, endpoint=False)  # theta and theta + pi give the same line
t = np.linspace(-t_small, t_small, 201)[:, None]  # both sides of the origin on each line
on_lines = peano(t * np.cos(line_angles), t * np.sin(line_angles))[t[:, 0] != 0]  # each column: one line
between = 1.5  # the parabola y = 1.5 x^2 runs between the zero sets y = x^2 and y = 2 x^2
x_par = np.linspace(-radius, radius, 201)
on_parabola = peano(x_par, between * x_par**2)[x_par != 0]
print(f"Peano's surface Hessian at 0: {(np.round(hessian_at_origin(peano), 4) + 0.0).tolist()}")
factor = (between - 1) * (between - 2)  # on the parabola f = factor * x^4
print(
    f"  positive on all {on_lines.shape[1]} lines for 0 < |t| <= {t_small:.0e}; on y = {between} x^2: {factor:+.2f} x^4"
)
peano_gradient = np.array([peano(1e-6, 0.0) - peano(-1e-6, 0.0), peano(0.0, 1e-6) - peano(0.0, -1e-6)]) / 2e-6
# claim: hessian-peano-surface
assert np.abs(peano_gradient).max() < 1e-9  # a critical point
assert np.allclose(hessian_at_origin(peano), [[0, 0], [0, 2]], rtol=0, atol=1e-8)  # the same Hessian as above
assert np.all(on_lines > 0) and on_lines.shape[1] == n_lines  # a strict minimum along every sampled line
assert np.ptp(line_angles) < np.pi  # distinct lines: no two angles differ by pi
assert factor < 0 and np.allclose(on_parabola, factor * x_par[x_par != 0] ** 4, rtol=1e-12, atol=0)  # yet a saddle:
assert np.all(on_parabola < 0)  # negative on a curve through the origin
# --8<-- [end:degenerate]

# --8<-- [start:newton]
import numpy as np


def grad_hess(w: np.ndarray, A: np.ndarray, labels: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian of the L2-regularized logistic loss mean(log(1 + exp(-y a.w))) + lam |w|^2 / 2."""
    s = 1 / (1 + np.exp(labels * (A @ w)))  # sigma(-y a.w)
    grad = -(A.T @ (labels * s)) / len(labels) + lam * w
    return grad, (A.T * (s * (1 - s))) @ A / len(labels) + lam * np.eye(w.size)


def newton(shift: float, steps: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """Newton's method from the origin, each step solving (H + shift I) p = g: distances to the limit, and the limit.

    shift = 0 is Newton's method; shift > 0 makes the convergence linear, at rate about shift / lambda_min(H).
    """
    path = [np.zeros(d)]
    for _ in range(steps):
        g, H = grad_hess(path[-1], A, labels, lam)
        path.append(path[-1] - np.linalg.solve(H + shift * np.eye(d), g))
    return np.array([np.linalg.norm(w - path[-1]) for w in path[:-1]]), path[-1]  # the last iterate serves as w*


def looks_quadratic(errors: np.ndarray, shown: int, c_max: float, growth: float) -> bool:
    """e_(k+1) / e_k^2 stays below c_max and its last value (smallest e_k) does not grow by the factor growth.

    At a linear rate r the ratio is about C + r / e_k, so it grows as e_k shrinks.
    """
    ratios = errors[1:shown] / errors[: shown - 1] ** 2
    return bool(ratios.max() < c_max and ratios[-1] < growth * ratios[:-1].max())


rng = np.random.default_rng(0)
n, d, lam = 200, 5, 0.1
A, labels = rng.normal(size=(n, d)), rng.choice([-1.0, 1.0], n)
errors, w_star = newton(0.0)
c_max, growth, tol, shown = 0.2, 1.2, 1e-12, 4  # e_0 .. e_3 lie above rounding level (e_3 already below tol)
ratios = errors[1:shown] / errors[: shown - 1] ** 2  # quadratic convergence: e_(k+1) <= C e_k^2
rates = errors[1:shown] / errors[: shown - 1]  # a linear method would keep e_(k+1) / e_k near a constant
c_measured = ratios.max()
print("Newton errors: " + ", ".join(f"{e:.1e}" for e in errors[: shown - 1]) + f", then below {tol:.0e}")
print(
    f"e_(k+1) / e_k^2: {', '.join(f'{r:.3f}' for r in ratios)}; e_(k+1) / e_k: {', '.join(f'{r:.0e}' for r in rates)}"
)
# claim: hessian-newton-quadratic
assert np.all(errors[shown - 1 :] < tol) and errors[shown - 2] > 1e3 * tol  # e_3 onward at rounding level
assert looks_quadratic(errors, shown, c_max, growth)  # bounded ratios, the last one not growing
assert np.all(rates[1:] < rates[:-1] / 10)  # the linear rate is not constant: it falls tenfold per step
assert np.linalg.norm(grad_hess(w_star, A, labels, lam)[0]) < tol  # the limit is the minimizer

# Affine invariance: in coordinates x = T y, Newton's iterates are y_k = T^-1 x_k (gradient descent's are not).
T = np.diag(np.random.default_rng(1).uniform(0.1, 10, d))  # a rescaling that changes the condition number
x_path, y_path = [np.zeros(d)], [np.zeros(d)]
for _ in range(shown):
    g, H = grad_hess(x_path[-1], A, labels, lam)
    x_path.append(x_path[-1] - np.linalg.solve(H, g))
    g, H = grad_hess(T @ y_path[-1], A, labels, lam)
    y_path.append(y_path[-1] - np.linalg.solve(T.T @ H @ T, T.T @ g))  # Newton on y -> f(T y)
invariance_gap = max(np.abs(T @ y - x).max() for x, y in zip(x_path, y_path, strict=True))
# claim: hessian-newton-quadratic
assert invariance_gap < tol

# What the check can tell apart: a shifted step converges linearly, at rate about shift / lambda_min.
caught, missed = 1e-8, 1e-10
lam_min = np.linalg.eigvalsh(grad_hess(w_star, A, labels, lam)[1]).min()
rate_caught, rate_missed = caught / lam_min, missed / lam_min
H_star = grad_hess(w_star, A, labels, lam)[1]
step_map = np.eye(d) - np.linalg.solve(H_star + caught * np.eye(d), H_star)  # the shifted step, linearized at w*
print(f"shift {caught:.0e} (linear rate {rate_caught:.0e}) caught; shift {missed:.0e} ({rate_missed:.0e}) not")
# claim: hessian-newton-quadratic
assert np.isclose(np.abs(np.linalg.eigvals(step_map)).max(), rate_caught, rtol=1e-3)  # rate ~ shift / lambda_min
assert not looks_quadratic(newton(caught)[0], shown, c_max, growth)
assert looks_quadratic(newton(missed)[0], shown, c_max, growth)  # below this, double precision cannot tell
# --8<-- [end:newton]

# --8<-- [start:softmax]
import torch


def cross_entropy_in_logits(z: torch.Tensor, label: int = 0) -> torch.Tensor:
    """Softmax cross-entropy of one example as a function of its logits z."""
    return torch.nn.functional.cross_entropy(z[None], torch.tensor([label]))


n_draws, n_classes, tol = 200, 10, 1e-12
gaps, smallest, ranks, null_gaps = [], [], [], []
for seed in range(n_draws):
    z = 3 * torch.randn(n_classes, dtype=torch.float64, generator=torch.Generator().manual_seed(seed))
    H = torch.func.hessian(cross_entropy_in_logits)(z)
    p = torch.softmax(z, 0)
    gaps.append((H - (torch.diag(p) - torch.outer(p, p))).abs().max().item())
    eig = torch.linalg.eigvalsh(H)
    smallest.append(eig[0].item() / eig[-1].item())
    ranks.append(int((eig > 1e-9 * eig[-1]).sum()))
    null_gaps.append((H @ torch.ones(n_classes, dtype=torch.float64)).abs().max().item())
print(f"{n_draws} random logit vectors, {n_classes} classes: H = diag(p) - p p^T to within {tol:.0e}")
print(f"rank {min(ranks)} to {max(ranks)}; |H 1| < {tol:.0e}; smallest eigenvalue > -{tol:.0e} x largest")
# claim: hessian-softmax [draws=n_draws]
assert max(gaps) < tol and max(null_gaps) < tol  # the formula, and the all-ones direction in the null space
assert min(smallest) > -tol and set(ranks) == {n_classes - 1}  # positive semidefinite, rank C - 1
# --8<-- [end:softmax]
