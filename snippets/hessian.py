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
n_functions, dim, tol_autograd, tol_differences = 20, 5, 1e-12, 1e-7
seeds = range(n_functions)
for device in devices:
    worst_autograd, worst_differences = 0.0, 0.0
    for seed in seeds:
        f = random_function(seed, dim)
        x = torch.randn(dim, dtype=torch.float64, generator=torch.Generator().manual_seed(100 + seed)).to(device)
        exact, differences = hessian_both_ways(f, x)
        scale = exact.abs().max()
        worst_autograd = max(worst_autograd, ((exact - exact.T).abs().max() / scale).item())
        worst_differences = max(worst_differences, ((differences - differences.T).abs().max() / scale).item())
        # claim: hessian-symmetric [seeds=len(seeds) devices=devices]
        assert (exact - exact.T).abs().max() <= tol_autograd * scale
        assert (differences - differences.T).abs().max() <= tol_differences * scale  # not symmetrized, yet symmetric
        assert (differences - exact).abs().max() <= tol_differences * scale
    if device == "cpu":
        print(f"largest |H - H^T| / max|H| over {len(seeds)} functions:")
        bound = 10.0 ** np.ceil(np.log10(max(worst_autograd, 1e-300)))  # rounding level: print its order only
        print(f"  autograd below {bound:.0e}, differences of the gradient {worst_differences:.0e}")
# --8<-- [end:symmetric]

# --8<-- [start:schwarz]
import numpy as np


def f(x, y):
    """Peano's example: x y (x^2 - y^2) / (x^2 + y^2), and 0 at the origin."""
    r2 = x**2 + y**2
    return np.where(r2 == 0, 0.0, x * y * (x**2 - y**2) / np.where(r2 == 0, 1.0, r2))


def f_x(x, y, h=1e-6):
    """df/dx by a central difference."""
    return (f(x + h, y) - f(x - h, y)) / (2 * h)


def f_y(x, y, h=1e-6):
    """df/dy by a central difference."""
    return (f(x, y + h) - f(x, y - h)) / (2 * h)


def mixed(x, y, k):
    """d/dy (df/dx) and d/dx (df/dy) by central differences of step k."""
    xy = (f_x(x, y + k) - f_x(x, y - k)) / (2 * k)
    yx = (f_y(x + k, y) - f_y(x - k, y)) / (2 * k)
    return xy, yx


ks, tol_origin, tol_away, min_radius = np.array([1e-1, 1e-2, 1e-3]), 1e-4, 1e-5, 0.2
expected_xy, expected_yx = -1, 1  # the two orders at the origin, derived in the text
xy0, yx0 = mixed(0.0, 0.0, ks)
print("at the origin, k = " + ", ".join(f"{k:.0e}" for k in ks))
print("  f_xy = " + ", ".join(f"{v:+.4f}" for v in xy0) + "   f_yx = " + ", ".join(f"{v:+.4f}" for v in yx0))
# claim: hessian-schwarz-fails [steps=ks.size]
assert np.all(np.abs(xy0 - expected_xy) < tol_origin) and np.all(np.abs(yx0 - expected_yx) < tol_origin)

rng = np.random.default_rng(0)
points = rng.uniform(-1, 1, size=(2, 1000))
points = points[:, np.hypot(*points) > min_radius]  # away from the origin f is smooth
xy, yx = mixed(points[0], points[1], 1e-4)
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
    """|f(x + h d) - model(h)| for the first- and second-order Taylor models, at each step h."""
    hs = np.asarray(hs, dtype=float)
    if hs.size == 0 or not np.all(hs > 0):
        raise ValueError(f"hs must be positive step sizes, got {hs!r}")
    g = torch.autograd.functional.jacobian(f, x)
    H = torch.autograd.functional.hessian(f, x)
    slope, curvature = (g @ d).item(), (d @ H @ d).item()  # f'(0) and f''(0) along d
    f0 = f(x).item()
    values = np.array([f(x + h * d).item() for h in hs])
    first = np.abs(values - (f0 + hs * slope))
    second = np.abs(values - (f0 + hs * slope + hs**2 / 2 * curvature))
    return first, second


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
hs = np.logspace(-1.5, -3.5, 9)
n_functions, dim = 20, 5
order_first, order_second, tol_first, tol_second = 2, 3, 0.25, 0.15  # expected error orders, and tolerances
seeds = range(n_functions)
for device in devices:
    orders = []
    for seed in seeds:
        gen = torch.Generator().manual_seed(200 + seed)
        x, d = torch.randn(2, dim, dtype=torch.float64, generator=gen).to(device)
        first, second = taylor_errors(random_function(seed, dim), x, d / d.norm(), hs)
        # slope of log(error) against log(h): the order of the error
        orders.append([np.polyfit(np.log(hs), np.log(e), 1)[0] for e in (first, second)])
    orders = np.array(orders)
    if device == "cpu":
        where = f"{hs.min():.1e} <= h <= {hs.max():.3f}"
        print(f"error order over {len(seeds)} functions (slope of log error vs log h, {where}):")
        print(f"  first-order model:  {orders[:, 0].min():.2f} to {orders[:, 0].max():.2f}")
        print(f"  second-order model: {orders[:, 1].min():.2f} to {orders[:, 1].max():.2f}")
    # claim: hessian-taylor-cubic [seeds=len(seeds) devices=devices]
    assert np.all(np.abs(orders[:, 0] - order_first) < tol_first)
    assert np.all(np.abs(orders[:, 1] - order_second) < tol_second)
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


def loss_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of L(w) = ||Xw - y||^2 / n: 2 X^T (Xw - y) / n."""
    return 2 * X.T @ (X @ w - y) / len(y)


def hessian_by_differences(w: np.ndarray, X: np.ndarray, y: np.ndarray, h: float = 1e-3) -> np.ndarray:
    """Column j of the Hessian: (grad(w + h e_j) - grad(w - h e_j)) / 2h."""
    e = np.eye(w.size) * h
    columns = [(loss_gradient(w + e[j], X, y) - loss_gradient(w - e[j], X, y)) / (2 * h) for j in range(w.size)]
    return np.stack(columns, axis=1)


rng = np.random.default_rng(0)
n, d, n_weights, scale, tol = 200, 5, 20, 10, 1e-9
X = rng.normal(size=(n, d))
formula = 2 * X.T @ X / n  # depends on the inputs X only
gaps = []
for seed in range(n_weights):  # random weights, each with its own random targets
    r = np.random.default_rng(seed)
    w, y = r.normal(scale=scale, size=d), r.normal(size=n)
    gaps.append(np.abs(hessian_by_differences(w, X, y) - formula).max() / np.abs(formula).max())
eig = np.linalg.eigvalsh(formula)
bound = 10.0 ** np.ceil(np.log10(max(max(gaps), 1e-300)))  # rounding level: print its order only
print(f"H = 2 X^T X / n at all {n_weights} weights and targets: largest relative gap below {bound:.0e}")
print("eigenvalues:", np.round(eig, 3))
# claim: hessian-least-squares [weights=len(gaps)]
assert max(gaps) < tol

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

# f(x, y) = x^2 + y^2 + 3xy: both diagonal entries of H are +2
H = np.array([[2.0, 3.0], [3.0, 2.0]])
eig, vec = np.linalg.eigh(H)
d = vec[:, 0] * np.sign(vec[0, 0])  # the eigenvector of the smallest eigenvalue, first entry positive
t_max, min_count, min_share, size, n_matrices = 1, 5, 0.9, 6, 1000
t = np.linspace(-t_max, t_max, 201)
along = (t * d[0]) ** 2 + (t * d[1]) ** 2 + 3 * (t * d[0]) * (t * d[1])  # f(t d)
print(f"diagonal {np.diag(H)}, eigenvalues {np.round(eig, 6) + 0.0}")
print(f"along d = ({d[0]:+.3f}, {d[1]:+.3f}): f(t d) = {along[0]:.2f} t^2")
# claim: hessian-diagonal-misleads
assert np.all(np.diag(H) > 0) and eig[0] < 0
assert np.all(along[t != 0] < 0)  # f falls along d: the origin is a saddle, not a minimum

# Rayleigh: every diagonal entry e_i^T H e_i lies in [lambda_min, lambda_max], and no closer bound holds.
rng = np.random.default_rng(0)
A = rng.normal(size=(n_matrices, size, size))
Hs = (A + A.transpose(0, 2, 1)) / 2
eigs = np.linalg.eigvalsh(Hs)
diag = np.diagonal(Hs, axis1=1, axis2=2)
inside = (eigs[:, :1] - 1e-12 <= diag) & (diag <= eigs[:, -1:] + 1e-12)
positive_diagonal = np.all(diag > 0, axis=1)
indefinite = positive_diagonal & (eigs[:, 0] < 0)
share = inside.all(axis=1).mean()
print(f"{n_matrices} random {size}x{size} symmetric matrices: diagonal inside [lambda_min, lambda_max] in {share:.0%}")
print(f"{positive_diagonal.sum()} have a positive diagonal; of these, {indefinite.sum()} have a negative eigenvalue")
# claim: hessian-diagonal-misleads [matrices=len(Hs)]
assert inside.all()
assert positive_diagonal.sum() >= min_count and indefinite.sum() >= min_share * positive_diagonal.sum()
# --8<-- [end:diagonal]

# --8<-- [start:degenerate]
import numpy as np

# Three functions with the same gradient (0) and Hessian (diag(0, 2)) at the origin, and three behaviours.
FUNCTIONS = {
    "x^4 + y^2": lambda x, y: x**4 + y**2,
    "-x^4 + y^2": lambda x, y: -(x**4) + y**2,
    "x^3 + y^2": lambda x, y: x**3 + y**2,
}


def hessian_at_origin(f, h: float = 1e-3) -> np.ndarray:
    """The 2x2 Hessian of f(x, y) at the origin by central second differences."""
    e = np.eye(2) * h
    return np.array([[(f(*(a + b)) - f(*(a - b)) - f(*(b - a)) + f(*(-a - b))) / (4 * h**2) for b in e] for a in e])


radius = 0.1
angles = np.linspace(0, 2 * np.pi, 3600, endpoint=False)
hessians, lowest = {}, {}
for name, f in FUNCTIONS.items():
    hessians[name] = hessian_at_origin(f)
    lowest[name] = min(f(r * np.cos(angles), r * np.sin(angles)).min() for r in np.linspace(radius / 100, radius, 100))
    shown = (np.round(hessians[name], 4) + 0.0).tolist()
    print(f"{name:11} Hessian at 0: {shown}, lowest value within {radius}: {lowest[name]:+.1e}")
gradients = {
    name: np.array([f(1e-6, 0.0) - f(-1e-6, 0.0), f(0.0, 1e-6) - f(0.0, -1e-6)]) / 2e-6 for name, f in FUNCTIONS.items()
}
# claim: hessian-degenerate
assert all(np.abs(g).max() < 1e-9 for g in gradients.values())  # the origin is a critical point of all three
assert all(np.allclose(H, [[0, 0], [0, 2]], atol=1e-5) for H in hessians.values())  # the same Hessian
assert lowest["x^4 + y^2"] >= 0 and lowest["-x^4 + y^2"] < 0 and lowest["x^3 + y^2"] < 0  # minimum; two saddles
# --8<-- [end:degenerate]

# --8<-- [start:newton]
import numpy as np


def grad_hess(w: np.ndarray, A: np.ndarray, labels: np.ndarray, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian of the L2-regularized logistic loss mean(log(1 + exp(-y a.w))) + lam |w|^2 / 2."""
    s = 1 / (1 + np.exp(labels * (A @ w)))  # sigma(-y a.w)
    grad = -(A.T @ (labels * s)) / len(labels) + lam * w
    return grad, (A.T * (s * (1 - s))) @ A / len(labels) + lam * np.eye(w.size)


rng = np.random.default_rng(0)
n, d, lam, steps = 200, 5, 0.1, 12
A, labels = rng.normal(size=(n, d)), rng.choice([-1.0, 1.0], n)
path = [np.zeros(d)]
for _ in range(steps):  # Newton: w <- w - H^{-1} g
    g, H = grad_hess(path[-1], A, labels, lam)
    path.append(path[-1] - np.linalg.solve(H, g))
errors = np.array([np.linalg.norm(w - path[-1]) for w in path[:4]])  # the last iterate serves as w*
ratios = errors[1:] / errors[:-1] ** 2  # quadratic convergence: e_{k+1} <= C e_k^2
print("Newton errors: " + ", ".join(f"{e:.1e}" for e in errors[:3]) + f", then below {1e-12:.0e}")
print(f"e_(k+1) / e_k^2: {', '.join(f'{r:.3f}' for r in ratios[:2])}")
c_max, tol = 1.0, 1e-12
c_measured = ratios[:2].max()  # e_3 is at rounding level: only the first two ratios are meaningful
# claim: hessian-newton-quadratic
assert c_measured < c_max and errors[3] < tol and errors[2] < errors[1] ** 2  # digits double each step
assert np.linalg.norm(grad_hess(path[-1], A, labels, lam)[0]) < tol  # the limit is the minimizer
# --8<-- [end:newton]
