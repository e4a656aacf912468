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
seeds = range(20)
for device in devices:
    worst_autograd, worst_differences = 0.0, 0.0
    for seed in seeds:
        f = random_function(seed)
        x = torch.randn(5, dtype=torch.float64, generator=torch.Generator().manual_seed(100 + seed)).to(device)
        exact, differences = hessian_both_ways(f, x)
        scale = exact.abs().max()
        worst_autograd = max(worst_autograd, ((exact - exact.T).abs().max() / scale).item())
        worst_differences = max(worst_differences, ((differences - differences.T).abs().max() / scale).item())
        # claim: hessian-symmetric [seeds=len(seeds) devices=devices]
        assert (exact - exact.T).abs().max() <= 1e-12 * scale
        assert (differences - differences.T).abs().max() <= 1e-7 * scale  # not symmetrized, symmetric anyway
        assert (differences - exact).abs().max() <= 1e-7 * scale
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


ks = np.array([1e-1, 1e-2, 1e-3])
xy0, yx0 = mixed(0.0, 0.0, ks)
print("at the origin, k = " + ", ".join(f"{k:.0e}" for k in ks))
print("  f_xy = " + ", ".join(f"{v:+.4f}" for v in xy0) + "   f_yx = " + ", ".join(f"{v:+.4f}" for v in yx0))
# claim: hessian-schwarz-fails [steps=ks.size]
assert np.all(np.abs(xy0 + 1) < 1e-4) and np.all(np.abs(yx0 - 1) < 1e-4)

rng = np.random.default_rng(0)
points = rng.uniform(-1, 1, size=(2, 1000))
points = points[:, np.hypot(*points) > 0.2]  # away from the origin f is smooth
xy, yx = mixed(points[0], points[1], 1e-4)
print(f"at {points.shape[1]} points away from the origin: largest |f_xy - f_yx| = {np.abs(xy - yx).max():.0e}")
# claim: hessian-schwarz-fails [points=len(points.T)]
assert np.abs(xy - yx).max() < 1e-5
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
seeds = range(20)
for device in devices:
    orders = []
    for seed in seeds:
        gen = torch.Generator().manual_seed(200 + seed)
        x, d = torch.randn(2, 5, dtype=torch.float64, generator=gen).to(device)
        first, second = taylor_errors(random_function(seed), x, d / d.norm(), hs)
        # slope of log(error) against log(h): the order of the error
        orders.append([np.polyfit(np.log(hs), np.log(e), 1)[0] for e in (first, second)])
    orders = np.array(orders)
    if device == "cpu":
        print(f"error order over {len(seeds)} functions (slope of log error vs log h, 3e-4 <= h <= 0.03):")
        print(f"  first-order model:  {orders[:, 0].min():.2f} to {orders[:, 0].max():.2f}")
        print(f"  second-order model: {orders[:, 1].min():.2f} to {orders[:, 1].max():.2f}")
    # claim: hessian-taylor-cubic [seeds=len(seeds) devices=devices]
    assert np.all(np.abs(orders[:, 0] - 2) < 0.25)
    assert np.all(np.abs(orders[:, 1] - 3) < 0.15)
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
n, d = 200, 5
X = rng.normal(size=(n, d))
formula = 2 * X.T @ X / n  # depends on the inputs X only
gaps = []
for seed in range(20):  # 20 random weights, each with its own random targets
    r = np.random.default_rng(seed)
    w, y = r.normal(scale=10, size=d), r.normal(size=n)
    gaps.append(np.abs(hessian_by_differences(w, X, y) - formula).max() / np.abs(formula).max())
bound = 10.0 ** np.ceil(np.log10(max(max(gaps), 1e-300)))  # rounding level: print its order only
print(f"H = 2 X^T X / n at all 20 weights and targets: largest relative gap below {bound:.0e}")
print("eigenvalues:", np.round(np.linalg.eigvalsh(formula), 3))
# claim: hessian-least-squares [weights=len(gaps)]
assert max(gaps) < 1e-9
# --8<-- [end:least-squares]

# --8<-- [start:least-squares-torch]
import numpy as np
import torch


def hessian_at(w: torch.Tensor, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Autograd Hessian of L(w) = ||Xw - y||^2 / n at w."""
    return torch.autograd.functional.hessian(lambda v: ((X @ v - y) ** 2).mean(), w)


rng = np.random.default_rng(0)
n, d = 200, 5
X_np = rng.normal(size=(n, d))
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    X = torch.tensor(X_np, device=device)
    formula = 2 * X.T @ X / n
    gaps = []
    for seed in range(20):
        r = np.random.default_rng(seed)
        w, y = (torch.tensor(a, device=device) for a in (r.normal(scale=10, size=d), r.normal(size=n)))
        gaps.append(((hessian_at(w, X, y) - formula).abs().max() / formula.abs().max()).item())
    if device == "cpu":
        bound = 10.0 ** np.ceil(np.log10(max(max(gaps), 1e-300)))  # rounding level: print its order only
        print(f"H = 2 X^T X / n at all 20 weights and targets: largest relative gap below {bound:.0e}")
        print("eigenvalues:", np.round(torch.linalg.eigvalsh(formula).cpu().numpy(), 3))
    # claim: hessian-least-squares-torch [weights=len(gaps) devices=devices]
    assert max(gaps) < 1e-12
# --8<-- [end:least-squares-torch]

# --8<-- [start:diagonal]
import numpy as np

# f(x, y) = x^2 + y^2 + 3xy: both diagonal entries of H are +2
H = np.array([[2.0, 3.0], [3.0, 2.0]])
eig, vec = np.linalg.eigh(H)
d = vec[:, 0] * np.sign(vec[0, 0])  # the eigenvector of the smallest eigenvalue, first entry positive
t = np.linspace(-1, 1, 201)
along = (t * d[0]) ** 2 + (t * d[1]) ** 2 + 3 * (t * d[0]) * (t * d[1])  # f(t d)
print(f"diagonal {np.diag(H)}, eigenvalues {np.round(eig, 6) + 0.0}")
print(f"along d = ({d[0]:+.3f}, {d[1]:+.3f}): f(t d) = {along[0]:.2f} t^2")
# claim: hessian-diagonal-misleads
assert np.all(np.diag(H) > 0) and eig[0] < 0
assert np.all(along[t != 0] < 0)  # f falls along d: the origin is a saddle, not a minimum

# Rayleigh: every diagonal entry e_i^T H e_i lies in [lambda_min, lambda_max], and no closer bound holds.
rng = np.random.default_rng(0)
A = rng.normal(size=(1000, 6, 6))
Hs = (A + A.transpose(0, 2, 1)) / 2
eigs = np.linalg.eigvalsh(Hs)
diag = np.diagonal(Hs, axis1=1, axis2=2)
inside = (eigs[:, :1] - 1e-12 <= diag) & (diag <= eigs[:, -1:] + 1e-12)
positive_diagonal = np.all(diag > 0, axis=1)
indefinite = positive_diagonal & (eigs[:, 0] < 0)
share = inside.all(axis=1).mean()
print(f"{Hs.shape[0]} random 6x6 symmetric matrices: diagonal inside [lambda_min, lambda_max] in {share:.0%}")
print(f"{positive_diagonal.sum()} have a positive diagonal; of these, {indefinite.sum()} have a negative eigenvalue")
# claim: hessian-diagonal-misleads [matrices=len(Hs)]
assert inside.all()
assert positive_diagonal.sum() >= 5 and indefinite.sum() >= 0.9 * positive_diagonal.sum()
# --8<-- [end:diagonal]
