# Code of the Convexity page (docs/convexity.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:tests]
import torch
from torch.func import grad, jacrev, vmap


def violations(f, a: torch.Tensor, b: torch.Tensor, lam: torch.Tensor, tol: float = 1e-9) -> dict[str, float]:
    """Share of random samples that break each of the three equivalent tests of convexity."""
    if not ((lam >= 0) & (lam <= 1)).all():
        raise ValueError("lam must lie in [0, 1]")
    fv = vmap(f)
    scale = 1 + fv(a).abs() + fv(b).abs()  # a relative tolerance for function values
    mid = lam[:, None] * a + (1 - lam[:, None]) * b
    chord = fv(mid) > lam * fv(a) + (1 - lam) * fv(b) + tol * scale  # graph above a chord
    g = vmap(grad(f))(a)
    tangent = fv(b) < fv(a) + ((b - a) * g).sum(1) - tol * scale  # graph below a tangent plane
    eig = torch.linalg.eigvalsh(vmap(jacrev(jacrev(f)))(a))
    curvature = eig[:, 0] < -tol * (1 + eig.abs().max(1).values)  # a negative eigenvalue, relative to the largest
    return {
        name: bad.double().mean().item()
        for name, bad in [("chord", chord), ("tangent", tangent), ("Hessian", curvature)]
    }


convex = {
    "log(1 + e^x + e^y)": lambda p: torch.logsumexp(torch.stack([p[0], p[1], torch.zeros_like(p[0])]), 0),
    "2x^2 + 2xy + y^2": lambda p: 2 * p[0] ** 2 + 2 * p[0] * p[1] + p[1] ** 2,
    "x^4 + y^2": lambda p: p[0] ** 4 + p[1] ** 2,
    "softplus(x - 2y) + x^2": lambda p: torch.nn.functional.softplus(p[0] - 2 * p[1]) + p[0] ** 2,
}
nonconvex = {
    "x^4 - 3x^2 + x + y^2": lambda p: p[0] ** 4 - 3 * p[0] ** 2 + p[0] + p[1] ** 2,
    "sin(x) + y^2": lambda p: torch.sin(p[0]) + p[1] ** 2,
    "xy": lambda p: p[0] * p[1],
    "Rosenbrock": lambda p: 100 * (p[1] - p[0] ** 2) ** 2 + (1 - p[0]) ** 2,
}
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
samples, box, tol = 5_000, 2.0, 1e-9
for device in devices:
    gen = torch.Generator().manual_seed(0)
    a, b = (2 * box * torch.rand(2, samples, 2, dtype=torch.float64, generator=gen) - box).to(device)  # [-2, 2]^2
    lam = torch.rand(samples, dtype=torch.float64, generator=gen).to(device)
    for name, f in (convex | nonconvex).items():
        share = violations(f, a, b, lam, tol=tol)
        if device == "cpu":
            print(f"{name:24s}" + "  ".join(f"{k} {v:6.1%}" for k, v in share.items()))
        # claim: convexity-equivalent [samples=samples devices=devices]
        if name in convex:
            assert max(share.values()) == 0  # no test finds a violation
        else:
            assert min(share.values()) > 0  # every test finds one

# What sampling cannot do: a dimple narrower than the spacing of the samples goes unseen.
depth, width = 1e-3, 1e-4
dimple = lambda p: p[0] ** 4 + p[1] ** 2 - depth * torch.exp(-(p[0] ** 2 + p[1] ** 2) / width)  # noqa: E731
rim = torch.tensor([(1.5 * width) ** 0.5, 0.0], dtype=torch.float64)  # where the dimple curves down most
rim_eig = torch.linalg.eigvalsh(jacrev(jacrev(dimple))(rim))[0].item()
unseen = violations(dimple, a.cpu(), b.cpu(), lam.cpu(), tol=tol)
print(
    f"{'dimple':24s}" + "  ".join(f"{k} {v:6.1%}" for k, v in unseen.items()) + f"  (Hessian at the rim: {rim_eig:.1f})"
)
assert rim_eig < 0 and max(unseen.values()) == 0  # not convex, yet no test finds a violation
# --8<-- [end:tests]

# --8<-- [start:operations]
import numpy as np


def chord_violation(f, a: np.ndarray, b: np.ndarray, lam: np.ndarray) -> np.ndarray:
    """How far f(lam a + (1 - lam) b) rises above the chord, at each random triple (<= 0: below)."""
    mid = lam[:, None] * a + (1 - lam[:, None]) * b
    return f(mid) - (lam * f(a) + (1 - lam) * f(b))


def lse(x):
    """log-sum-exp over the last axis: convex."""
    top = x.max(axis=-1, keepdims=True)
    return (top + np.log(np.exp(x - top).sum(axis=-1, keepdims=True)))[..., 0]


def sq(x):
    """Squared norm: convex."""
    return (x**2).sum(axis=-1)


rng = np.random.default_rng(0)
A, c, u = rng.normal(size=(4, 3)), rng.normal(size=4), rng.normal(size=3)
neg = 0.1  # the negative weight that breaks the sum rule
preserved = {
    "2 lse(x) + 0.5 |x|^2  (nonnegative sum)": lambda x: 2 * lse(x) + 0.5 * sq(x),
    "max(lse(x), |x|^2, 1 + u.x)  (max)": lambda x: np.maximum(np.maximum(lse(x), sq(x)), 1 + x @ u),
    "lse(Ax + c)  (affine inside)": lambda x: lse(x @ A.T + c),
    "|Ax + c|_1  (affine inside)": lambda x: np.abs(x @ A.T + c).sum(axis=-1),
    "|relu(Ax + c)|^2  (ReLU, target 0)": lambda x: sq(np.maximum(x @ A.T + c, 0)),  # nondecreasing convex of convex
}
broken = {
    f"lse(x) - {neg} |x|^2  (negative weight)": lambda x: lse(x) - neg * sq(x),
    "min(|x - u|^2, |x + u|^2)  (min)": lambda x: np.minimum(sq(x - u), sq(x + u)),
    "|tanh(Ax + c)|^2  (nonlinear inside)": lambda x: sq(np.tanh(x @ A.T + c)),
    "|relu(Ax + c) - 1|^2  (ReLU, target 1)": lambda x: sq(np.maximum(x @ A.T + c, 0) - 1),  # not monotone
    "(x1 x2 x3 - 1)^2  (product of weights)": lambda x: (x.prod(axis=-1) - 1) ** 2,  # a deep linear net, 1 example
}
triples, box, dim, tol, at_least = 50_000, 3.0, 3, 1e-9, 0.001
a, b = rng.uniform(-box, box, size=(2, triples, dim))
lam = rng.uniform(0, 1, size=triples)
shares = []
for name, f in (preserved | broken).items():
    worst = chord_violation(f, a, b, lam)
    shares.append(np.mean(worst > tol * (1 + np.abs(f(a)) + np.abs(f(b)))))
    print(f"{name:42s} above the chord in {shares[-1]:6.2%} of triples")
    # claim: convexity-operations [triples=triples]
    if name in preserved:
        assert shares[-1] == 0
    else:
        assert shares[-1] > at_least
min_share = shares[len(preserved) + 1]  # min(|x - u|^2, |x + u|^2): only triples across the ridge find it
# --8<-- [end:operations]

# --8<-- [start:flat]
import numpy as np


def gd(grad, w0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """Plain gradient descent from many starts at once (one start per row)."""
    w = w0.copy()
    for _ in range(steps):
        w = w - lr * grad(w)
    return w


# 1. h(x) = max(|x| - 1, 0)^2 in the plane is convex and zero on the whole unit disk.
rng = np.random.default_rng(0)
count, r_min, r_max, tol = 1000, 1.5, 3.0, 1e-9
angle, r = rng.uniform(0, 2 * np.pi, count), rng.uniform(r_min, r_max, count)
starts = r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)  # all outside the disk, where h > 0


def flat_grad(x: np.ndarray) -> np.ndarray:
    """Gradient of max(|x| - 1, 0)^2: 2 max(|x| - 1, 0) x / |x|."""
    r = np.linalg.norm(x, axis=1, keepdims=True)
    return 2 * np.maximum(r - 1, 0) * x / np.maximum(r, 1e-300)


ends = gd(flat_grad, starts, lr=0.1, steps=200)
radius = np.linalg.norm(ends, axis=1)
projection = starts / np.linalg.norm(starts, axis=1, keepdims=True)  # the point of the disk nearest each start
off = np.abs(ends - projection).max()
nearest = np.sort(np.linalg.norm(ends[:, None] - ends[None], axis=-1), axis=1)[:, 1]
print(f"flat bottom: {len(ends)} starts end at |x| <= {radius.max():.9f}, each at the disk point nearest it")
print(f"no two runs end closer than {nearest.min():.0e}")
# claim: convexity-flat-bottom [starts=len(starts)]
assert np.all(radius <= 1 + tol)  # every end point is a global minimizer: h = 0
assert off < tol  # ...the one nearest its start...
assert nearest.min() > tol  # ...so no two runs end at the same one

# 2. Least squares with more weights (d = 30) than examples (n = 10): L(w) = |Xw - y|^2 / n.
n, d, runs, loss_tol, apart, near_tol = 10, 30, 20, 1e-20, 1.0, 1e-8
X, y = rng.normal(size=(n, d)), rng.normal(size=n)
w0 = rng.normal(size=(runs, d))  # random starts, one per row
lr = 0.5 / np.linalg.eigvalsh(2 * X.T @ X / n).max()
w = gd(lambda w: 2 * (w @ X.T - y) @ X / n, w0, lr=lr, steps=5000)
loss = ((w @ X.T - y) ** 2).mean(axis=1)
gaps = np.linalg.norm(w[:, None] - w[None], axis=-1)[np.triu_indices(len(w), 1)]
midpoints = (w[:, None] + w[None]) / 2
mid_loss = ((midpoints @ X.T - y) ** 2).mean(axis=-1)
closest = w0 - (w0 @ X.T - y) @ np.linalg.pinv(X).T  # the minimizer nearest to each start


def order(x: float) -> str:
    """The power of ten just above x: rounding-level numbers vary between machines, their order does not."""
    return f"{10.0 ** np.ceil(np.log10(max(x, 1e-300))):.0e}"


spread = f"{gaps.min():.1f} to {gaps.max():.1f} apart"
print(f"least squares, d > n: {runs} starts end at loss < {order(loss.max())}, {spread}")
gap = np.abs(w - closest).max()
print(f"midpoints of any two ends: loss < {order(mid_loss.max())}; end = minimizer nearest the start, to {order(gap)}")
# claim: convexity-flat-bottom [starts=len(w0)]
assert loss.max() < loss_tol and gaps.min() > apart  # different global minimizers
assert mid_loss.max() < loss_tol  # the set of minimizers is convex
assert gap < near_tol and np.linalg.matrix_rank(X) == n  # rank n: the minimizers form a (d - n)-dim set
# --8<-- [end:flat]

# --8<-- [start:strong]
import numpy as np

# L2-regularized logistic regression: mu-strongly convex (mu = reg) and L-smooth.
rng = np.random.default_rng(1)
n, d, reg, steps, pairs = 200, 5, 0.01, 100, 10_000
X = rng.standard_normal((n, d))
y = np.sign(X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n))  # labels in {-1, 1}


def f(w: np.ndarray) -> np.ndarray:
    """Mean logistic loss plus reg/2 |w|^2, for one w or a batch of rows."""
    return np.logaddexp(0, -y * (w @ X.T)).mean(axis=-1) + reg / 2 * (w**2).sum(axis=-1)


def grad(w: np.ndarray) -> np.ndarray:
    """Its gradient: -mean(y_i x_i sigmoid(-y_i x_i.w)) + reg w."""
    s = np.exp(-np.logaddexp(0, y * (w @ X.T)))  # sigmoid(-y x.w), computed stably
    return -(s * y) @ X / n + reg * w


mu, L = reg, reg + np.linalg.eigvalsh(X.T @ X).max() / (4 * n)  # the logistic curvature is at most 1/4
box, far, near, tight = 3.0, 50.0, 1e-4, 0.05
a, b = rng.uniform(-box, box, size=(2, pairs, d))  # pairs in a box...
u = rng.standard_normal((pairs, d))
u /= np.linalg.norm(u, axis=1, keepdims=True)
a = np.concatenate([a, far / 2 * u, np.zeros((1, d))])  # ...pairs far out along random rays, where the loss is
b = np.concatenate([b, far * u, near * np.linalg.eigh(X.T @ X)[1][:, -1:].T])  # flat, and one next to 0
gap = f(b) - f(a) - ((b - a) * grad(a)).sum(axis=1)  # f(b) minus the tangent at a
dist2 = ((b - a) ** 2).sum(axis=1)
secant = 2 * gap / dist2  # the curvature f shows between a and b
lower_ok = bool(np.all(gap >= mu / 2 * dist2 - 1e-12))  # strong convexity: at least mu/2 |b - a|^2 above
upper_ok = bool(np.all(gap <= L / 2 * dist2 + 1e-12))  # smoothness: at most L/2 |b - a|^2 above

w_star = np.zeros(d)
for _ in range(30):  # Newton's method for the exact minimizer
    s = np.exp(-np.logaddexp(0, y * (w_star @ X.T)))
    hessian = (X.T * (s * (1 - s))) @ X / n + reg * np.eye(d)
    w_star = w_star - np.linalg.solve(hessian, grad(w_star))
kappa = L / mu
q = (kappa - 1) / (kappa + 1)
lr = 2 / (mu + L)
w0 = rng.uniform(-box, box, size=(20, d))
w, dists, values = w0, [], []
for _ in range(steps + 1):
    dists.append(np.linalg.norm(w - w_star, axis=1))
    values.append(f(w) - f(w_star))
    w = w - lr * grad(w)  # the step of Nesterov's Theorem 2.1.15
dists, values = np.array(dists), np.array(values)
t = np.arange(steps + 1)[:, None]
dist_bound = q**t * dists[0]
value_bound = L / 2 * q ** (2 * t) * dists[0] ** 2
# Where the bound is tight: the quadratic with curvatures exactly mu and L, with the same step.
z0 = np.ones(2)
z_path = z0 * (1 - lr * np.array([mu, L])) ** np.arange(steps + 1)[:, None]
tight_ratio = np.linalg.norm(z_path, axis=1) / (q ** np.arange(steps + 1) * np.linalg.norm(z0))
print(f"kappa = L/mu = {kappa:.1f}; quadratic bounds hold at {len(gap)} pairs: {lower_ok and upper_ok}")
print(f"secant curvatures range from {secant.min() / mu:.3f} mu to {secant.max() / L:.3f} L")
print(f"for t >= 1, |w_t - w*| / bound <= {(dists[1:] / dist_bound[1:]).max():.2f}, ", end="")
print(f"(f(w_t) - f*) / bound <= {(values[1:] / value_bound[1:]).max():.2f}")
print(f"on the quadratic with curvatures mu and L: |z_t| / bound = 1 at every step: {np.allclose(tight_ratio, 1)}")

# claim: convexity-strong-smooth [pairs=pairs starts=len(w0) steps=steps]
assert lower_ok and upper_ok
assert secant.min() < (1 + tight) * mu and secant.max() > (1 - tight) * L  # neither constant can be improved
assert np.linalg.norm(grad(w_star)) < 1e-12  # w* is the minimizer
assert np.all(dists <= dist_bound * (1 + 1e-9)) and np.all(values <= value_bound * (1 + 1e-9))
assert np.all(np.abs(tight_ratio - 1) < 1e-9)  # with this step the bound is attained: the rate is exact
# --8<-- [end:strong]

# --8<-- [start:jensen]
import numpy as np


def lse(x):
    """log-sum-exp over the last axis: convex."""
    top = x.max(axis=-1, keepdims=True)
    return (top + np.log(np.exp(x - top).sum(axis=-1, keepdims=True)))[..., 0]


rng = np.random.default_rng(2)
draws, points, dim, tol = 10_000, 5, 3, 1e-9
A, c = rng.normal(size=(4, dim)), rng.normal(size=4)
functions = {
    "lse(x)": (lse, True),
    "|Ax + c|_1": (lambda x: np.abs(x @ A.T + c).sum(axis=-1), True),
    "|tanh(Ax + c)|^2": (lambda x: (np.tanh(x @ A.T + c) ** 2).sum(axis=-1), False),
}
x = rng.uniform(-3, 3, size=(draws, points, dim))  # each draw: a distribution on 5 points...
p = rng.dirichlet(np.ones(points), size=draws)  # ...with random probabilities
mean = (p[..., None] * x).sum(axis=1)
jensen_gap = {}
for name, (f, is_convex) in functions.items():
    gap = (p * f(x)).sum(axis=1) - f(mean)  # E[f(X)] - f(E[X]): never negative for convex f
    jensen_gap[name] = gap
    print(f"{name:18s} E[f(X)] < f(E[X]) in {np.mean(gap < -tol):6.2%} of {draws} distributions")
    # claim: convexity-jensen [draws=draws]
    if is_convex:
        assert np.all(gap >= -tol * (1 + np.abs(f(mean))))
    else:
        assert np.mean(gap < -tol) > 0

# Sublevel sets: convex for convex f, but convex sublevel sets do not make f convex.
root = lambda x: np.sqrt(np.abs(x))  # noqa: E731
grid = np.linspace(-4, 4, 8001)  # membership is tested on this grid, not derived from a formula
levels = rng.uniform(0.1, 2, draws)
members = root(grid)[None, :] <= levels[:, None]  # one row per level: which grid points are in the set
first, last = members.argmax(axis=1), len(grid) - 1 - members[:, ::-1].argmax(axis=1)
runs = np.arange(len(grid))[None, :]
in_set = bool(np.all(members == ((runs >= first[:, None]) & (runs <= last[:, None]))))  # no gaps: intervals
i, j = rng.integers(first, last + 1), rng.integers(first, last + 1)  # two members of each set
lam = rng.uniform(0, 1, draws)
a, b = grid[i], grid[j]
between = lam * a + (1 - lam) * b
chord_fails = np.mean(root(between) > lam * root(a) + (1 - lam) * root(b) + tol)
print(f"sqrt|x|: sublevel sets convex: {in_set}; above the chord in {chord_fails:.1%} of triples")
# claim: convexity-sublevel [draws=draws]
assert members.any(axis=1).all() and in_set  # every sublevel set on the grid is one unbroken run of points
assert np.all(root(a) <= levels) and np.all(root(b) <= levels)
assert chord_fails > 0  # ...yet sqrt|x| is not convex
# --8<-- [end:jensen]

# --8<-- [start:subgradients]
import numpy as np
import torch

# Convex functions with a kink: |z| at 0, ReLU max(z, 0) at 0, hinge max(1 - z, 0) at 1, |z| + 2z at 0.
kinks = {
    "|z|": (torch.abs, 0.0, (-1.0, 1.0)),
    "relu(z)": (torch.relu, 0.0, (0.0, 1.0)),
    "hinge(z)": (lambda z: torch.clamp(1 - z, min=0), 1.0, (-1.0, 0.0)),
    "|z| + 2z": (lambda z: torch.abs(z) + 2 * z, 0.0, (1.0, 3.0)),  # a kink that is not a minimum
}
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
h, outside, tol = 1e-6, 1e-6, 1e-9  # difference step; how far outside the interval a slope must fail
for device in devices:
    for name, (f, kink, (low, high)) in kinks.items():
        z = torch.tensor(kink, dtype=torch.float64, device=device, requires_grad=True)
        f(z).backward()
        autograd = z.grad.item()  # what PyTorch returns at the kink
        z = z.detach()
        fk = f(z).item()
        left = (fk - f(z - h).item()) / h  # one-sided slopes: the subdifferential of a convex f of one
        right = (f(z + h).item() - fk) / h  # variable is [left slope, right slope]
        b = torch.linspace(kink - 3, kink + 3, 601, dtype=torch.float64, device=device)
        fb, db = f(b).detach().cpu().numpy(), (b - kink).cpu().numpy()
        slopes = np.array([left - outside, *np.linspace(left, right, 21), right + outside])
        passes = (fb[None, :] >= fk + slopes[:, None] * db[None, :] - tol * (1 + np.abs(db))).all(axis=1)
        if device == "cpu":
            found = f"[{left:.6f}, {right:.6f}]"
            print(f"{name:9s} subgradients at z = {kink:g}: {found}; autograd gives {autograd:g}")
        # claim: convexity-subgradients [devices=devices]
        assert abs(left - low) < tol and abs(right - high) < tol  # the subdifferential is exactly [low, high]
        assert passes[1:-1].all() and not passes[0] and not passes[-1]  # every slope inside passes, none outside
        assert low <= autograd <= high  # PyTorch's gradient at the kink is one of them
        assert (left <= 0 <= right) == (fk <= fb.min())  # 0 is a subgradient exactly at a minimizer
subdifferentials = ", ".join(f"[{low:g}, {high:g}] for {name}" for name, (_, _, (low, high)) in kinks.items())
minimizers = sum(low <= 0 <= high for _, _, (low, high) in kinks.values())
# --8<-- [end:subgradients]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

x = np.linspace(-2.2, 2.2, 301)
fig, axes = plt.subplots(1, 3, figsize=(10, 3.2), sharey=False)

# Convex: chords above the graph, tangents below.
f, df = lambda x: np.log1p(np.exp(2 * x)) + 0.2 * x**2, lambda x: 2 / (1 + np.exp(-2 * x)) + 0.4 * x
ax = axes[0]
ax.plot(x, f(x), color="0.3", lw=1.8)
for x0 in (-1.2, 0.3, 1.5):
    ax.plot(x, f(x0) + df(x0) * (x - x0), color="C0", lw=0.8)
ax.plot([-1.8, 1.0], [f(-1.8), f(1.0)], "o-", color="C3", ms=4, lw=1.2)
ax.set(title="convex", ylim=(-1, 6))

# Not convex: a tangent crosses the graph and a chord passes under it.
g, dg = lambda x: x**4 - 3 * x**2 + x, lambda x: 4 * x**3 - 6 * x + 1
ax = axes[1]
x_tan, valleys = 0.3, (-1.3, 1.1)
ax.plot(x, g(x), color="0.3", lw=1.8)
ax.plot(x, g(x_tan) + dg(x_tan) * (x - x_tan), color="C0", lw=0.8)
ax.plot(valleys, [g(valleys[0]), g(valleys[1])], "o-", color="C3", ms=4, lw=1.2)
ax.set(title="not convex", ylim=(-4.5, 6))

# Convex with a flat bottom: every point of [-1, 1] is a global minimizer.
h = lambda x: np.maximum(np.abs(x) - 1, 0) ** 2  # noqa: E731
ax = axes[2]
ax.plot(x, h(x), color="0.3", lw=1.8)
ax.plot([-1, 1], [0, 0], color="C2", lw=5, alpha=0.6, label="minimizers")
ax.set(title="convex, with a flat bottom", ylim=(-0.3, 1.6))
ax.legend(loc="upper center")
for ax in axes:
    ax.set(xlabel="x")
fig.tight_layout()
fig.savefig("convexity-tests.svg")

# What the figure's description says about each panel.
assert all(np.all(f(x) >= f(x0) + df(x0) * (x - x0) - 1e-12) for x0 in (-1.2, 0.3, 1.5))  # tangents below
inside = (x >= -1.8) & (x <= 1.0)
chord = f(-1.8) + (f(1.0) - f(-1.8)) / 2.8 * (x[inside] + 1.8)
assert np.all(chord >= f(x[inside]) - 1e-12)  # the chord above
crossing = g(x) - (g(x_tan) + dg(x_tan) * (x - x_tan))
assert crossing.min() < 0 < crossing.max()  # the tangent at x_tan crosses the graph
hump = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)[1]  # the local maximum between the valleys
chord_at_hump = g(valleys[0]) + (g(valleys[1]) - g(valleys[0])) / (valleys[1] - valleys[0]) * (hump - valleys[0])
assert chord_at_hump < g(hump)  # the chord passes below the hump
assert np.all(h(x[np.abs(x) <= 1]) == 0) and np.all(h(x[np.abs(x) > 1]) > 0)  # flat exactly on [-1, 1]
# --8<-- [end:figure]
