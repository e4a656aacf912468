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
    scale = 1 + fv(a).abs() + fv(b).abs()  # a relative tolerance
    mid = lam[:, None] * a + (1 - lam[:, None]) * b
    chord = fv(mid) > lam * fv(a) + (1 - lam) * fv(b) + tol * scale  # graph above a chord
    g = vmap(grad(f))(a)
    tangent = fv(b) < fv(a) + ((b - a) * g).sum(1) - tol * scale  # graph below a tangent plane
    curvature = torch.linalg.eigvalsh(vmap(jacrev(jacrev(f)))(a))[:, 0] < -tol * scale  # a negative eigenvalue
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
samples = 5_000
for device in devices:
    gen = torch.Generator().manual_seed(0)
    a, b = (4 * torch.rand(2, samples, 2, dtype=torch.float64, generator=gen) - 2).to(device)  # in [-2, 2]^2
    lam = torch.rand(samples, dtype=torch.float64, generator=gen).to(device)
    for name, f in (convex | nonconvex).items():
        share = violations(f, a, b, lam)
        if device == "cpu":
            print(f"{name:24s}" + "  ".join(f"{k} {v:6.1%}" for k, v in share.items()))
        # claim: convexity-equivalent [samples=samples devices=devices]
        if name in convex:
            assert max(share.values()) == 0  # no test finds a violation
        else:
            assert min(share.values()) > 0  # every test finds one
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
preserved = {
    "2 lse(x) + 0.5 |x|^2  (nonnegative sum)": lambda x: 2 * lse(x) + 0.5 * sq(x),
    "max(lse(x), |x|^2, 1 + u.x)  (max)": lambda x: np.maximum(np.maximum(lse(x), sq(x)), 1 + x @ u),
    "lse(Ax + c)  (affine inside)": lambda x: lse(x @ A.T + c),
    "|Ax + c|_1  (affine inside)": lambda x: np.abs(x @ A.T + c).sum(axis=-1),
}
broken = {
    "lse(x) - 0.1 |x|^2  (negative weight)": lambda x: lse(x) - 0.1 * sq(x),
    "min(|x - u|^2, |x + u|^2)  (min)": lambda x: np.minimum(sq(x - u), sq(x + u)),
    "|tanh(Ax + c)|^2  (nonlinear inside)": lambda x: sq(np.tanh(x @ A.T + c)),
}
triples = 50_000
a, b = rng.uniform(-3, 3, size=(2, triples, 3))
lam = rng.uniform(0, 1, size=triples)
for name, f in (preserved | broken).items():
    worst = chord_violation(f, a, b, lam)
    print(f"{name:40s} above the chord in {np.mean(worst > 1e-9):6.2%} of triples")
    # claim: convexity-operations [triples=triples]
    if name in preserved:
        assert np.all(worst <= 1e-9 * (1 + np.abs(f(a)) + np.abs(f(b))))
    else:
        assert np.mean(worst > 1e-9) > 0.001
# --8<-- [end:operations]

# --8<-- [start:flat]
import numpy as np


def gd(grad, w0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """Plain gradient descent from many starts at once (one start per row)."""
    w = w0.copy()
    for _ in range(steps):
        w = w - lr * grad(w)
    return w


# 1. f(x) = max(|x| - 1, 0)^2 in the plane is convex and zero on the whole unit disk.
rng = np.random.default_rng(0)
starts = rng.uniform(-3, 3, size=(1000, 2))


def flat_grad(x: np.ndarray) -> np.ndarray:
    """Gradient of max(|x| - 1, 0)^2: 2 max(|x| - 1, 0) x / |x|."""
    r = np.linalg.norm(x, axis=1, keepdims=True)
    return 2 * np.maximum(r - 1, 0) * x / np.maximum(r, 1e-300)


ends = gd(flat_grad, starts, lr=0.1, steps=200)
radius = np.linalg.norm(ends, axis=1)
nearest = np.sort(np.linalg.norm(ends[:, None] - ends[None], axis=-1), axis=1)[:, 1]
print(f"flat bottom: {len(ends)} starts end at |x| <= {radius.max():.9f}, no two closer than {nearest.min():.0e}")
# claim: convexity-flat-bottom [starts=len(starts)]
assert np.all(radius <= 1 + 1e-9)  # every end point is a global minimizer: f = 0
assert nearest.min() > 1e-9  # ...and no two runs end at the same one

# 2. Least squares with more weights (d = 30) than examples (n = 10): L(w) = |Xw - y|^2 / n.
n, d = 10, 30
X, y = rng.normal(size=(n, d)), rng.normal(size=n)
w0 = rng.normal(size=(20, d))  # 20 random starts, one per row
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


print(f"least squares, d > n: 20 starts end at loss < {order(loss.max())}, {gaps.min():.1f} to {gaps.max():.1f} apart")
gap = np.abs(w - closest).max()
print(f"midpoints of any two ends: loss < {order(mid_loss.max())}; end = minimizer nearest the start, to {order(gap)}")
# claim: convexity-flat-bottom [starts=len(w0)]
assert loss.max() < 1e-20 and gaps.min() > 1  # 20 different global minimizers
assert mid_loss.max() < 1e-20  # the set of minimizers is convex
assert gap < 1e-8
# --8<-- [end:flat]

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
ax.plot(x, g(x), color="0.3", lw=1.8)
ax.plot(x, g(0.3) + dg(0.3) * (x - 0.3), color="C0", lw=0.8)
ax.plot([-1.3, 1.1], [g(-1.3), g(1.1)], "o-", color="C3", ms=4, lw=1.2)
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
# --8<-- [end:figure]
