# Code of the gradient-descent page (docs/gradient-descent.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figures.

# --8<-- [start:update]
from collections.abc import Callable

import numpy as np


def gradient_descent(grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """Iterate x <- x - lr * grad(x); refuse a step size or gradient under which that means nothing."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    x = np.asarray(x0, dtype=float)
    for step in range(steps):
        g = grad(x)
        if not np.all(np.isfinite(g)):
            raise ValueError(f"gradient must be finite, got gradient={g!r} at step {step}")
        x = x - lr * g
    return x


def least_squares_problem(seed: int, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Random data X, y for the loss f(w) = |Xw - y|^2 / (2n)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    return X, y


seeds, n, d, steps, tol = range(20), 200, 5, 60, 1e-10
gaps, solutions = [], []
for seed in seeds:
    X, y = least_squares_problem(seed, n, d)
    L = np.linalg.eigvalsh(X.T @ X / n).max()  # largest curvature of f

    def grad(w: np.ndarray, X: np.ndarray = X, y: np.ndarray = y) -> np.ndarray:
        """Gradient of f(w) = |Xw - y|^2 / (2n): X^T (Xw - y) / n."""
        return X.T @ (X @ w - y) / len(y)

    w = gradient_descent(grad, np.zeros(d), lr=1 / L, steps=steps)
    w_best = np.linalg.lstsq(X, y, rcond=None)[0]  # the exact minimizer
    gaps.append(np.abs(w - w_best).max())
    solutions.append(w)
print(f"w for data set 0: {np.round(solutions[0], 4)}")
print(f"all {len(gaps)} problems within {tol:.0e} of the least-squares solution: {max(gaps) < tol}")

# claim: gd-least-squares [seeds=len(gaps)]
assert len(gaps) == len(seeds) and max(gaps) < tol
# --8<-- [end:update]

# --8<-- [start:update-torch]
import numpy as np
import torch


def fit(X: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> torch.Tensor:
    """Minimize |X w - y|^2 / (2n) with torch.optim.SGD for a batch of problems; autograd gives the gradient."""
    w = torch.zeros(X.shape[0], 1, X.shape[2], dtype=X.dtype, device=X.device, requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        residual = (X * w).sum(dim=2) - y  # X w - y for each problem, shape (problems, n)
        loss = (residual**2).mean(dim=1).sum() / 2  # a sum of independent problems
        loss.backward()
        opt.step()
    return w.detach()[:, 0]


def problems(seeds: range, n: int, d: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The numpy tab's data sets, stacked: X of shape (problems, n, d), y of shape (problems, n)."""
    data = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n, d))
        data.append((X, X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)))
    return torch.tensor(np.array([X for X, _ in data])), torch.tensor(np.array([y for _, y in data]))


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
seeds, n, d, steps, tol = range(20), 200, 5, 60, 1e-10
X, y = problems(seeds, n, d)
w_best = torch.linalg.solve(X.mT @ X, X.mT @ y[..., None])[..., 0]  # the exact minimizers (normal equations)
L = torch.linalg.eigvalsh(X.mT @ X / n).max().item()  # the largest curvature of all 20
for device in devices:
    w = fit(X.to(device), y.to(device), lr=1 / L, steps=steps).cpu()
    gaps = (w - w_best).abs().amax(dim=1)
    # claim: gd-least-squares-torch [devices=devices seeds=len(gaps)]
    assert len(gaps) == len(seeds) and gaps.max() < tol
print(f"w for data set 0: {np.round(w[0].numpy(), 4)}")
print(f"all {len(gaps)} problems within {tol:.0e} of the least-squares solution: {gaps.max().item() < tol}")
# --8<-- [end:update-torch]

# --8<-- [start:step-size]
import numpy as np

rng = np.random.default_rng(0)
seeds, d, mu, L, steps = 20, 10, 1.0, 10.0, 500
shrink, grow, rel_tol = 1e3, 10.0, 0.02
curvatures = np.linspace(mu, L, d)  # eigenvalues of the Hessian, from mu to L
# 20 random quadratics f(x) = x^T A x / 2 with A = Q diag(curvatures) Q^T, Q a random rotation.
Q = np.linalg.qr(rng.standard_normal((seeds, d, d)))[0]
A = Q @ (curvatures[:, None] * Q.transpose(0, 2, 1))
lr_times_L = np.array([0.2, 1.0, 1.5, 1.9, 1.98, 2.02, 2.1, 2.5])
lr = lr_times_L / L
x0 = rng.standard_normal((seeds, 1, d)).repeat(len(lr), axis=1)  # one start per quadratic, every step size

x = x0.copy()
for _ in range(steps):
    x = x - lr[:, None] * np.einsum("sij,skj->ski", A, x)  # x <- x - lr * A x, for all at once
ratio = np.linalg.norm(x, axis=-1) / np.linalg.norm(x0, axis=-1)  # |x_T| / |x_0|, shape (seeds, lrs)
rate = ratio ** (1 / steps)  # measured shrink factor per step
predicted = np.abs(1 - lr[:, None] * curvatures).max(axis=1)  # max_i |1 - lr * lambda_i|
for k in range(len(lr)):
    verdict = "converges" if ratio[:, k].max() < 1 else "diverges"
    print(
        f"lr*L = {lr_times_L[k]:4.2f}: predicted factor {predicted[k]:.3f}, "
        f"measured {rate[:, k].min():.3f} to {rate[:, k].max():.3f}, {verdict}"
    )
stable, unstable = lr_times_L < 2, lr_times_L > 2
stable_set = ", ".join(f"{v:g}" for v in lr_times_L[stable])
unstable_set = ", ".join(f"{v:g}" for v in lr_times_L[unstable])
edge = lr_times_L[stable].max()  # the stable step closest to 2/L
edge_factor = predicted[lr_times_L == edge][0]  # its predicted shrink factor per step
assert edge > 1 and np.isclose(abs(1 - edge), edge_factor)  # the steep direction flips sign and is the slowest
assert np.isclose(edge_factor, predicted[0])  # ...as slow as the flattest direction at the smallest step

# claim: gd-step-size [seeds=seeds]
assert np.all(rate <= predicted * (1 + 1e-9)) and np.all(rate > (1 - rel_tol) * predicted)
assert np.all(ratio[:, stable] < 1 / shrink)  # every run with lr < 2/L shrinks the error 1000-fold
assert np.all(ratio[:, unstable] > grow)  # every run with lr > 2/L grows it
assert stable.sum() + unstable.sum() == len(lr_times_L)  # no step size exactly at 2/L
# --8<-- [end:step-size]

# --8<-- [start:degenerate]
import numpy as np

# f(x) = x^4 / 4 has its minimum at 0 with f''(0) = 0: no quadratic bowl, no curvature L to set 2/L.
lr, x0, steps, rel_tol, slow = 0.1, 1.0, 10_000, 0.01, 0.9999
x, path = x0, [x0]
for _ in range(steps):
    x = x - lr * x**3  # f'(x) = x^3
    path.append(x)
path = np.abs(np.array(path))
checkpoints = np.array([steps // 10, steps // 3, steps])
scaled = path[checkpoints] * np.sqrt(2 * lr * checkpoints)  # |x_t| sqrt(2 lr t) -> 1: |x_t| falls like t^(-1/2)
late_factor = path[-1] / path[-2]  # the shrink factor per step tends to 1: no linear rate
print(f"|x_t| sqrt(2 lr t) at t = {', '.join(map(str, checkpoints))}: {', '.join(f'{v:.4f}' for v in scaled)}")
print(f"last shrink factor {late_factor:.6f}")

# Where the step is too large depends on the start: lr x0^2 > 2 diverges, lr x0^2 < 2 converges.
threshold, near = np.sqrt(2 / lr), 0.001
starts = np.concatenate([np.linspace(0.01, 2, 400), [1 - near, 1 + near]]) * threshold  # two starts next to it
x = starts.copy()
with np.errstate(over="ignore", invalid="ignore"):
    for _ in range(steps):
        x = x - lr * x**3
diverged = ~(np.abs(x) < 1e6)  # inf and nan count as diverged
cycle = threshold - lr * threshold**3  # from exactly sqrt(2 / lr) the first step lands on -sqrt(2 / lr)
orbit = threshold
with np.errstate(over="ignore", invalid="ignore"):
    for _ in range(200):
        orbit = orbit - lr * orbit**3  # rounding errors grow 5-fold per step near the cycle: it is unstable
print(f"lr = {lr}: {np.sum(diverged)} of {len(starts)} starts diverge, all those with |x0| > {threshold:.3f}")
print(f"the others end below 1/sqrt(2 lr T): {np.all(np.abs(x[~diverged]) * np.sqrt(2 * lr * steps) <= 1)}")
print(f"from x0 = sqrt(2/lr) the first step lands on {cycle:.3f}")

# claim: gd-degenerate [starts=len(starts)]
assert np.all(np.abs(scaled - 1) < rel_tol)  # at every checkpoint, not only the last
assert np.all(np.diff(path) < 0)  # |x_t| falls at every step...
assert late_factor > slow  # ...but ever more slowly: no linear rate
assert np.array_equal(diverged, starts > threshold) and diverged.any() and not diverged.all()
assert np.all(np.abs(x[~diverged]) * np.sqrt(2 * lr * steps) <= 1)  # the others converge, at least like t^(-1/2)
assert abs(cycle + threshold) < 1e-12 * threshold  # at the threshold itself: a 2-cycle, neither in nor out
assert not abs(abs(orbit) - threshold) < 1  # ...which rounding leaves
# --8<-- [end:degenerate]

# --8<-- [start:conditioning]
import numpy as np

rng = np.random.default_rng(1)
kappas = np.array([10.0, 30.0, 100.0, 300.0, 1000.0])
seeds, d, tol, mu = 20, 20, 1e-10, 1.0
rate_tol, steps_tol = 0.03, 0.1
# Diagonal quadratics f(x) = sum_i lambda_i x_i^2 / 2 with mu = 1 <= lambda_i <= L = kappa.
inner = rng.uniform(mu, kappas[:, None, None], size=(len(kappas), seeds, d - 2))
ones = np.ones((len(kappas), seeds, 1))
curv = np.concatenate([mu * ones, inner, ones * kappas[:, None, None]], axis=-1)
x = x0 = rng.standard_normal((len(kappas), seeds, d))
lr = 2 / (kappas + mu)[:, None, None]  # the best fixed step, 2 / (L + mu)

start = np.linalg.norm(x0, axis=-1)
norms, steps_to_tol, t = [start], np.zeros((len(kappas), seeds), dtype=int), 0
while np.any(steps_to_tol == 0):
    x, t = x - lr * curv * x, t + 1
    norms.append(np.linalg.norm(x, axis=-1))
    steps_to_tol[(steps_to_tol == 0) & (norms[-1] <= tol * start)] = t
norms = np.array(norms)
k, s = np.indices(steps_to_tol.shape)
half = steps_to_tol // 2
rate = (norms[steps_to_tol, k, s] / norms[steps_to_tol - half, k, s]) ** (1 / half)  # per-step factor, late
predicted = (kappas - 1) / (kappas + 1)
median_steps = np.median(steps_to_tol, axis=1)
per_kappa = np.log(1 / tol) / 2  # (kappa / 2) ln(1 / tol) steps, divided by kappa
kappa_set = ", ".join(f"{v:g}" for v in kappas)
gd_steps = dict(zip(kappas, median_steps, strict=True))
for i, kappa in enumerate(kappas):
    print(
        f"kappa = {kappa:6.0f}: factor predicted {predicted[i]:.4f}, measured {rate[i].min():.4f} to "
        f"{rate[i].max():.4f}; steps to {tol:.0e}: {median_steps[i]:6.0f} = {median_steps[i] / kappa:.1f} kappa"
    )

# claim: gd-condition-rate [seeds=seeds problems=rate.size]
assert np.all(rate <= predicted[:, None] * (1 + 1e-9)) and np.all(rate > (1 - rate_tol) * predicted[:, None])
assert np.all(np.abs(median_steps / kappas / per_kappa - 1) < steps_tol)  # steps ~ (kappa/2) ln(1/tol)
# --8<-- [end:conditioning]

# --8<-- [start:momentum]
import numpy as np


def heavy_ball(curv: np.ndarray, x0: np.ndarray, lr: float, momentum: float, tol: float) -> np.ndarray:
    """Polyak's heavy ball on f(x) = sum curv * x^2 / 2; returns |x_t| for every step until |x_t| <= tol |x_0|."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must lie in [0, 1), got momentum={momentum!r}")
    x = prev = np.asarray(x0, dtype=float)
    norms = [np.linalg.norm(x, axis=-1)]
    while np.any(norms[-1] > tol * norms[0]):
        g = curv * x
        if not np.all(np.isfinite(g)):
            raise ValueError(f"gradient must be finite, got gradient={g!r} at step {len(norms) - 1}")
        x, prev = x - lr * g + momentum * (x - prev), x  # x+ = x - lr grad f(x) + beta (x - x_prev)
        norms.append(np.linalg.norm(x, axis=-1))
    return np.array(norms)


rng = np.random.default_rng(1)
kappas = np.array([10.0, 30.0, 100.0, 300.0, 1000.0])
seeds, d, tol = 20, 20, 1e-10
rate_tol, low, high, fewer = 0.03, 10, 17, 4
hb_steps, rises, total = {}, [], 0
for kappa in kappas:
    # The same kind of problems as for plain gradient descent: curvatures from 1 to kappa.
    curv = np.concatenate([np.ones((seeds, 1)), rng.uniform(1, kappa, (seeds, d - 2)), np.full((seeds, 1), kappa)], 1)
    x0 = rng.standard_normal((seeds, d))
    lr, beta = 4 / (np.sqrt(kappa) + 1) ** 2, ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2  # Polyak's choice
    norms = heavy_ball(curv, x0, lr=lr, momentum=beta, tol=tol)
    steps = np.argmax(norms <= tol * norms[0], axis=0)  # first step below the tolerance, per problem
    half = steps // 2
    # At the optimal parameters the error behaves like t * rate^t: divide the factor t out.
    late, early = norms[steps, range(seeds)] / steps, norms[steps - half, range(seeds)] / (steps - half)
    rate = (late / early) ** (1 / half)
    predicted = (np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)
    hb_steps[kappa] = np.median(steps)
    per_step = norms[1:] / norms[:-1]  # what each single step does to the error
    counted = np.arange(len(per_step))[:, None] < steps  # the steps of each run up to its tolerance
    rises.extend(per_step[counted & (per_step > 1)])
    total += counted.sum()
    print(
        f"kappa = {kappa:6.0f}: factor predicted {predicted:.4f}, measured {rate.min():.4f} to {rate.max():.4f}; "
        f"steps to {tol:.0e}: {hb_steps[kappa]:4.0f} = {hb_steps[kappa] / np.sqrt(kappa):.1f} sqrt(kappa)"
    )
    # claim: gd-momentum-rate [seeds=seeds kappas=len(kappas)]
    assert np.all(np.abs(rate / predicted - 1) < rate_tol)
    assert np.all(rate < ((kappa - 1) / (kappa + 1)) ** (np.sqrt(kappa) / fewer))  # much faster than plain GD
    assert low < hb_steps[kappa] / np.sqrt(kappa) < high  # steps grow like sqrt(kappa)
kappa_set = ", ".join(f"{v:g}" for v in kappas)
rise_share, worst_rise = len(rises) / total, max(rises)
print(f"single steps that raise the error: {rise_share:.1%} of {total}, by up to {worst_rise:.2f}-fold")
assert 0 < rise_share and worst_rise > 1  # the error is not monotone: the rate holds over many steps, not each
# --8<-- [end:momentum]

# --8<-- [start:nesterov]
import numpy as np


def nesterov(grad, f, x0: np.ndarray, lr: float, momentum: float, steps: int) -> np.ndarray:
    """Nesterov's method with a constant momentum; returns f(x_t) for t = 0..steps."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must lie in [0, 1), got momentum={momentum!r}")
    x = prev = np.asarray(x0, dtype=float)
    values = [f(x)]
    for step in range(steps):
        y = x + momentum * (x - prev)  # look ahead along the last move
        g = grad(y)  # ...and take the gradient there
        if not np.all(np.isfinite(g)):
            raise ValueError(f"gradient must be finite, got gradient={g!r} at step {step}")
        x, prev = y - lr * g, x
        values.append(f(x))
    return np.array(values)


rng = np.random.default_rng(2)
seeds, d, steps, mu, ahead, rel_tol = 20, 20, 800, 1.0, 1e-3, 1e-8
kappas = [10.0, 100.0, 1000.0]
t = np.arange(steps + 1)[:, None]
for kappa in kappas:
    curv = np.concatenate([np.ones((seeds, 1)), rng.uniform(1, kappa, (seeds, d - 2)), np.full((seeds, 1), kappa)], 1)
    x0 = rng.standard_normal((seeds, d))
    q = np.sqrt(mu / kappa)  # sqrt(mu / L)
    beta, lr = (1 - q) / (1 + q), 1 / kappa  # lr = 1/L
    quad = lambda x, c=curv: 0.5 * (c * x**2).sum(-1)  # noqa: E731
    values = nesterov(lambda x, c=curv: c * x, quad, x0, lr=lr, momentum=beta, steps=steps)
    # On a quadratic each eigen-mode follows z+ = (1 + beta)(1 - lr c) z - beta (1 - lr c) z_prev exactly.
    z = z_prev = x0
    modes = [quad(z)]
    for _ in range(steps):
        z, z_prev = (1 + beta) * (1 - lr * curv) * z - beta * (1 - lr * curv) * z_prev, z
        modes.append(quad(z))
    modes = np.array(modes)
    bound = (1 - q) ** t * (values[0] + mu / 2 * (x0**2).sum(-1))  # (1 - q)^t (f(x0) - f* + mu/2 |x0 - x*|^2)
    gd = 0.5 * (curv * (1 - curv / kappa) ** (2 * steps) * x0**2).sum(-1)  # plain GD, lr = 1/L, same start
    worst = (values[1:] / bound[1:]).max()
    print(f"kappa = {kappa:5.0f}: worst f(x_t) / bound for t >= 1: {worst:.2f}, f(x_{steps}) <= {values[-1].max():.0e}")
    # claim: gd-nesterov-bound [seeds=seeds steps=steps]
    assert values.shape == (steps + 1, seeds) and np.all(np.abs(values / modes - 1) < rel_tol)  # Nesterov, not HB
    assert lr * kappa == 1 and curv.max() == kappa  # the step is 1/L for this problem's L
    assert np.all(values <= bound)
    assert np.all(values[-1] < ahead * gd)  # far below where plain gradient descent gets

# Not only quadratics: f(x) = sum_i (mu x_i^2 / 2 + w_i log cosh x_i), curvature mu + w_i / cosh^2 x_i in [mu, L].
worst_smooth = 0.0
for kappa in kappas:
    w = np.concatenate([np.full((seeds, 1), kappa - mu), rng.uniform(0, kappa - mu, (seeds, d - 1))], 1)
    smooth = lambda x, w=w: (mu * x**2 / 2 + w * (np.logaddexp(x, -x) - np.log(2))).sum(-1)  # noqa: E731
    x0 = 3 * rng.standard_normal((seeds, d))
    q = np.sqrt(mu / kappa)
    values = nesterov(
        lambda x, w=w: mu * x + w * np.tanh(x), smooth, x0, lr=1 / kappa, momentum=(1 - q) / (1 + q), steps=steps
    )
    bound = (1 - q) ** t * (values[0] + mu / 2 * (x0**2).sum(-1))  # x* = 0, f* = 0
    worst_smooth = max(worst_smooth, (values[1:] / bound[1:]).max())
    # claim: gd-nesterov-bound
    assert np.all(w.max(1) == kappa - mu) and np.all(
        w.min(1) < (kappa - mu) / 2
    )  # curvature reaches L; not a quadratic
    assert np.all(values <= bound)
print(f"log cosh losses: worst f(x_t) / bound for t >= 1: {worst_smooth:.2f}")
kappa_set = ", ".join(f"{v:g}" for v in kappas)
# --8<-- [end:nesterov]

# --8<-- [start:valley-figure]
import matplotlib.pyplot as plt
import numpy as np

kappa, steps = 25.0, 30  # f(x, y) = (x^2 + kappa y^2) / 2: a long narrow valley
curv = np.array([1.0, kappa])
start = np.array([-10.0, 1.5])
q = 1 / np.sqrt(kappa)
# (name, lr, beta, look_ahead): look_ahead = 0 is heavy ball, 1 is Nesterov (gradient at x + beta (x - x_prev)).
methods = [
    ("gradient descent, lr = 2/(L+μ)", 2 / (kappa + 1), 0.0, 0),
    ("gradient descent, lr = 1/L", 1 / kappa, 0.0, 0),
    ("heavy ball (Polyak's lr, β)", 4 / (np.sqrt(kappa) + 1) ** 2, ((1 - q) / (1 + q)) ** 2, 0),
    ("Nesterov, lr = 1/L", 1 / kappa, (1 - q) / (1 + q), 1),
]
grid_x, grid_y = np.meshgrid(np.linspace(-10.5, 10.5, 80), np.linspace(-2.2, 2.2, 40))
fig, axes = plt.subplots(1, 4, figsize=(13, 2.8), sharey=True)
paths = []
for ax, (name, lr, beta, look_ahead) in zip(axes, methods, strict=True):
    x = prev = start
    path = [x]
    for _ in range(steps):
        y = x + look_ahead * beta * (x - prev)
        x, prev = y - lr * curv * y + (1 - look_ahead) * beta * (x - prev), x
        path.append(x)
    paths.append(np.array(path))
    ax.contour(grid_x, grid_y, grid_x**2 + kappa * grid_y**2, levels=[2, 20, 60, 130], colors="0.7")
    ax.plot(paths[-1][:, 0], paths[-1][:, 1], "o-", ms=2.5, lw=0.9, color="C3")
    ax.plot(0, 0, "k*", ms=8)
    ax.set(title=name, xlabel="x")
axes[0].set_ylabel("y")
fig.suptitle(f"{steps} steps from ({start[0]:g}, {start[1]:g}) on f = (x² + {kappa:g} y²)/2", fontsize=10)
fig.tight_layout()
fig.savefig("gradient-descent-valley.svg")

# What the figure's description says about each panel.
gd, gd_same, heavy, nest = paths
assert np.all(np.sign(gd[1:, 1]) == -np.sign(gd[:-1, 1]))  # gradient descent crosses the valley at every step
assert np.all(np.abs(gd_same[1:, 1]) < 1e-12)  # at lr = 1/L = 1/kappa plain GD also stops the crossing at once...
behind = abs(gd_same[-1, 0]) / abs(nest[-1, 0])
assert behind > 10  # ...but is still far out along the floor after the same steps, where Nesterov is near 0
assert np.abs(heavy[:, 1]).max() > 1.5 * abs(start[1]) and np.linalg.norm(heavy[-1]) < 1e-2  # swings, then settles
assert np.all(np.abs(nest[1:, 1]) < 1e-12)  # Nesterov at lr = 1/L, too, removes the motion across in one step
assert np.all(np.diff(nest[:, 0]) > 0) and abs(nest[-1, 0]) < 0.01 * abs(start[0])  # ...and slides to the origin
# --8<-- [end:valley-figure]

# --8<-- [start:guarantees]
import numpy as np

rng = np.random.default_rng(7)
problems, steps = 20, 500


def descend(grad, x0: np.ndarray, L: float, steps: int) -> np.ndarray:
    """Gradient descent with lr = 1/L; returns x_0, ..., x_steps."""
    path = [x0]
    for _ in range(steps):
        path.append(path[-1] - grad(path[-1]) / L)
    return np.array(path)


# 1. Convex and L-smooth, not strongly convex in effect: a quadratic whose curvatures spread from L down to L / T^2,
# log-spaced, from a start with equal components: every scale of curvature holds the same share of the gap.
L_c, dim_c = 1.0, 50
curv = L_c * np.geomspace(1, 1 / steps**2, dim_c)  # the largest curvature is L
x0 = np.ones(dim_c)  # x* = 0, f* = 0
gaps = 0.5 * (curv * descend(lambda x: curv * x, x0, L_c, steps) ** 2).sum(-1)  # f(x_t) - f*
t = np.arange(steps + 1)
convex_ratio = gaps / (2 * L_c * (x0**2).sum() / (t + 4))  # Nesterov (2004), Corollary 2.1.2
early, within, huber_tol, mu_slack = steps // 10, 1.25, 1e-9, 0.01
t_gap = t[early:] * gaps[early:] / (early * gaps[early])  # t (f(x_t) - f*), relative to its value at t = early
print(f"convex quadratic: f(x_t) - f* / bound at most {convex_ratio.max():.2f} over {steps} steps; ", end="")
span = f"between {t_gap.min():.2f} and {t_gap.max():.2f}"
print(f"t (f(x_t) - f*) for t = {early} to {steps} {span} times its value at {early}")

# The worst case of the class (Drori & Teboulle, 2014): a Huber function, linear outside |x| <= tau.
R = 1.0
tau = R / (2 * steps + 1)
huber_grad = lambda x: L_c * np.clip(x, -tau, tau)  # noqa: E731
huber = lambda x: np.where(np.abs(x) <= tau, L_c * x**2 / 2, L_c * tau * (np.abs(x) - tau / 2))  # noqa: E731
huber_end = huber(descend(huber_grad, np.array(R), L_c, steps)[-1])
worst_case = L_c * R**2 / (4 * steps + 2)
print(f"Huber: f(x_T) = {huber_end:.6e}, L R^2 / (4T + 2) = {worst_case:.6e}")


# 2. L-smooth but not convex: f(x) = sum_i (x_i^2 / 2 + 2 cos x_i), with f'' = 1 - 2 cos x in [-1, 3].
def f(x: np.ndarray) -> np.ndarray:
    return (x**2 / 2 + 2 * np.cos(x)).sum(-1)


def grad(x: np.ndarray) -> np.ndarray:
    return x - 2 * np.sin(x)


L_nc, dim = 3.0, 10
grid = np.linspace(-5, 5, 200_001)
f_star = dim * (grid**2 / 2 + 2 * np.cos(grid)).min()  # separable: the minimum of one coordinate, dim times
x = rng.uniform(-5, 5, (problems, dim))
f0, values, sq_grads = f(x), [f(x)], []
for _ in range(steps):
    g = grad(x)
    sq_grads.append((g**2).sum(-1))
    x = x - g / L_nc
    values.append(f(x))
values, sq_grads = np.array(values), np.array(sq_grads)
decrease = values[:-1] - values[1:]  # the descent lemma promises at least |g|^2 / (2L) per step
best_sq = np.minimum.accumulate(sq_grads, axis=0)  # min over t < T of |grad f(x_t)|^2
stationarity_bound = 2 * L_nc * (f0 - f_star) / np.arange(1, steps + 1)[:, None]
print(f"nonconvex: min_t |grad f|^2 / (2L (f0 - f*) / T) at most {(best_sq / stationarity_bound).max():.2e}")
# The origin is a local maximum (f'' = -1 in every coordinate). The bound cannot tell it from a minimum,
# but from random starts next to it gradient descent leaves it (Lee et al., 2016).
offset = 1e-6
near_max = descend(grad, offset * rng.standard_normal((problems, dim)), L_nc, steps)[-1]
escaped = bool(np.all(1 - 2 * np.cos(near_max) > 0) and np.abs(grad(near_max)).max() < 1e-8)
print(f"from {problems} starts within {offset:g} of the local maximum: all end at a local minimum: {escaped}")

# 3. Polyak-Lojasiewicz, not convex: f(x) = x^2 + 3 sin(x)^2 (Karimi et al., 2016), L = 8.
mu_pl, L_pl = 0.175, 8.0
lr_pl = 1 / L_pl  # the step of the PL bound
xs = np.linspace(-11, 11, 220_001)  # |x_t| <= sqrt(f(x_0)) < 11
pl_f, pl_g = xs**2 + 3 * np.sin(xs) ** 2, 2 * xs + 3 * np.sin(2 * xs)
best_mu = (0.5 * pl_g[pl_f > 0] ** 2 / pl_f[pl_f > 0]).min()  # the largest mu the grid allows (f = 0 at x = 0)
starts = rng.uniform(-10, 10, 1000)
x, pl_values = starts, [starts**2 + 3 * np.sin(starts) ** 2]
for _ in range(steps):
    x = x - lr_pl * (2 * x + 3 * np.sin(2 * x))
    pl_values.append(x**2 + 3 * np.sin(x) ** 2)
pl_values = np.array(pl_values)
pl_bound = (1 - mu_pl / L_pl) ** np.arange(steps + 1)[:, None] * pl_values[0]
print(f"PL: smallest |f'|^2 / (2 f) on the grid {best_mu:.4f}; ", end="")
print(f"f(x_t) / ((1 - mu/L)^t f(x_0)) at most {(pl_values[1:] / pl_bound[1:]).max():.3f}")

# claim: gd-convex-rate [steps=steps]
assert np.all(convex_ratio <= 1)  # under the O(1/t) bound at every step
assert np.all(x0 == x0[0])  # the start puts the same weight on every curvature
assert np.all((1 / within < t_gap) & (t_gap < within))  # ...and the gap falls like 1/t, not faster or slower
assert abs(huber_end / worst_case - 1) < huber_tol  # the worst case: L R^2 / (4T + 2) exactly
# claim: gd-nonconvex-rate [problems=problems steps=steps]
assert (1 - 2 * np.cos(grid)).min() < 0 and (1 - 2 * np.cos(grid)).max() <= L_nc  # f'': not convex; L-smooth
assert np.all(decrease >= sq_grads / (2 * L_nc) - 1e-12)  # the descent lemma, at every step
assert np.all(best_sq <= stationarity_bound)  # min_t |grad f|^2 <= 2L (f(x_0) - f*) / T, for every T
assert np.all(grad(np.zeros(dim)) == 0) and escaped  # a critical point that is a maximum, and GD leaves it
# claim: gd-pl-rate [starts=starts.size steps=steps]
assert np.all(0.5 * pl_g**2 >= mu_pl * pl_f - 1e-12)  # the PL inequality, on a fine grid
assert best_mu < (1 + mu_slack) * mu_pl  # ...and mu cannot be raised by more than 1%: the constant is tight
assert (2 + 6 * np.cos(2 * xs)).min() < 0 and (2 + 6 * np.cos(2 * xs)).max() <= L_pl  # not convex; L-smooth
assert lr_pl * L_pl == 1 and np.all(pl_values <= pl_bound * (1 + 1e-12))  # step 1/L: linear, from every start
# --8<-- [end:guarantees]

# --8<-- [start:line-search]
import numpy as np


def backtracking_step(f, x: np.ndarray, g: np.ndarray, lr0: float, shrink: float, c: float) -> float:
    """Armijo's rule: the first step lr0, lr0 * shrink, ... with f(x - lr g) <= f(x) - c lr |g|^2."""
    lr, fx, gg = lr0, f(x), g @ g
    while f(x - lr * g) > fx - c * lr * gg:
        lr *= shrink
    return lr


rng = np.random.default_rng(0)
d, mu, L, steps, goal = 10, 1.0, 10.0, 500, 1e3
lr0, shrink, c = 1.0, 0.5, 1e-4  # lr0 = 10 / L: five times the 2/L limit
A_list = []
for _ in range(20):  # the step-size section's kind of quadratic: curvatures from 1 to L, randomly rotated
    Q = np.linalg.qr(rng.standard_normal((d, d)))[0]
    A_list.append(Q @ np.diag(np.linspace(mu, L, d)) @ Q.T)
smallest_lr, shrunk, monotone = np.inf, [], True
for A in A_list:
    x0 = x = rng.standard_normal(d)
    value = x @ A @ x / 2
    for _ in range(steps):
        g = A @ x
        lr = backtracking_step(lambda z, A=A: z @ A @ z / 2, x, g, lr0, shrink, c)
        smallest_lr = min(smallest_lr, lr)
        x = x - lr * g
        monotone &= bool(x @ A @ x / 2 < value)
        value = x @ A @ x / 2
    shrunk.append(np.linalg.norm(x) / np.linalg.norm(x0))
guaranteed = min(lr0, 2 * shrink * (1 - c) / L)  # every step at most 2(1 - c)/L passes the test
print(f"smallest accepted step * L = {smallest_lr * L:.3f} (guaranteed at least {guaranteed * L:.3f})")
print(f"error shrunk more than {goal:.0e}-fold in {steps} steps: {max(shrunk) < 1 / goal}")
print(f"f fell at every step: {monotone}")

# claim: gd-armijo [problems=len(A_list) steps=steps]
assert lr0 > 2 / L  # the first trial step alone would diverge
assert smallest_lr >= guaranteed and monotone
assert max(shrunk) < 1 / goal

# Exact line search on f = (mu x^2 + L y^2) / 2 from (1/mu, 1/L): the worst start of Nocedal & Wright's Theorem 3.3.
curv2, ls_steps, exact_tol = np.array([mu, L]), 20, 1e-12
z = 1 / curv2
factors, turns = [], []
for _ in range(ls_steps):
    g = curv2 * z
    z_next = z - (g @ g) / (g @ (curv2 * g)) * g  # the step that minimizes f along -g
    factors.append((curv2 * z_next**2).sum() / (curv2 * z**2).sum())  # f(z_next) / f(z)
    turns.append((g @ (curv2 * z_next)) / (g @ g))  # the next gradient against this one: 0 means a right angle
    z = z_next
worst_factor = ((L / mu - 1) / (L / mu + 1)) ** 2
print(f"exact line search: f falls by {min(factors):.4f} to {max(factors):.4f} per step, ", end="")
orthogonal = max(map(abs, turns)) < exact_tol
print(f"((kappa - 1) / (kappa + 1))^2 = {worst_factor:.4f}; successive gradients orthogonal: {orthogonal}")
# claim: gd-exact-line-search [steps=ls_steps]
assert np.allclose(factors, worst_factor, rtol=exact_tol, atol=0)  # the bound of Theorem 3.3, met at every step
assert np.all(np.abs(turns) < exact_tol)  # successive gradients are orthogonal: the zigzag
# --8<-- [end:line-search]

# --8<-- [start:minibatch]
import numpy as np

rng = np.random.default_rng(0)
n, d = 1000, 3
X = rng.standard_normal((n, d))
y = X @ np.array([1.0, -2.0, 0.5]) + 0.5 * rng.standard_normal(n)
w = np.zeros(d)  # any fixed point of parameter space
per_example = X * (X @ w - y)[:, None]  # gradient of (x_i^T w - y_i)^2 / 2, one row per example
full = per_example.mean(axis=0)  # the full-batch gradient
spread = np.trace(np.cov(per_example.T, bias=True))  # tr(Sigma): total variance of one example's gradient

seeds, batches, sizes, z_max, var_tol = range(20), 1000, [1, 4, 16, 64, 256], 4.5, 0.08
for B in sizes:
    # mini-batches of B examples drawn uniformly with replacement, 1000 batches for each of 20 seeds
    drawn = np.concatenate([np.random.default_rng(s).integers(n, size=(batches, B)) for s in seeds])
    estimates = per_example[drawn].mean(axis=1)
    counts = np.bincount(drawn.ravel(), minlength=n)  # how often each example was drawn
    z = (estimates.mean(axis=0) - full) / np.sqrt(np.diag(np.cov(per_example.T, bias=True)) / B / len(estimates))
    ratio = ((estimates - full) ** 2).sum(axis=1).mean() * B / spread  # E|g_B - g|^2 * B / tr(Σ)
    print(f"B = {B:3d}: largest |z| of the mean = {np.abs(z).max():.1f}, variance * B / tr(Σ) = {ratio:.3f}")
    # claim: gd-minibatch-unbiased [seeds=len(seeds) batches=len(estimates)]
    assert len(counts) == n and counts.min() > 0  # every one of the n examples is drawn: no example left out
    assert np.all(np.abs(z) < z_max)  # the mean of the estimates is the full gradient, within sampling error
    # claim: gd-minibatch-variance [seeds=len(seeds) batches=len(estimates)]
    assert len(counts) == n and counts.min() > 0  # the same batches, drawn from all n examples
    assert abs(ratio - 1) < var_tol  # E|g_B - g|^2 = tr(Σ) / B
size_set = ", ".join(str(B) for B in sizes)
# --8<-- [end:minibatch]

# --8<-- [start:adaptive]
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import torch

Grad = Callable[[np.ndarray], np.ndarray]  # x -> the gradient of f at x


def check_settings(lr: float, **coefficients: float) -> None:
    """Refuse a step size that is not positive and decay rates (momentum, betas) outside [0, 1)."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    for name, value in coefficients.items():
        if not 0 <= value < 1:
            raise ValueError(f"{name} must lie in [0, 1), got {name}={value!r}")


def check_gradient(g: np.ndarray, step: int) -> None:
    """Refuse a gradient with inf or nan in it: one such step poisons every later iterate."""
    if not np.all(np.isfinite(g)):
        raise ValueError(f"gradient must be finite, got gradient={g!r} at step {step}")


def sgd(
    grad: Grad, x0: list[float], lr: float, steps: int, momentum: float = 0.0, nesterov: bool = False
) -> np.ndarray:
    """Gradient descent with optional heavy-ball or Nesterov momentum, as torch.optim.SGD does it."""
    check_settings(lr, momentum=momentum)
    x = np.asarray(x0, dtype=float)
    buf, path = np.zeros_like(x), [x]
    for step in range(steps):
        g = grad(x)
        check_gradient(g, step)
        buf = momentum * buf + g  # velocity
        x = x - lr * (g + momentum * buf if nesterov else buf)
        path.append(x)
    return np.array(path)


def rmsprop(
    grad: Grad, x0: list[float], lr: float, steps: int, alpha: float = 0.99, momentum: float = 0.0, eps: float = 1e-8
) -> np.ndarray:
    """RMSprop as torch.optim.RMSprop does it; returns every iterate."""
    check_settings(lr, alpha=alpha, momentum=momentum)
    x = np.asarray(x0, dtype=float)
    v, buf, path = np.zeros_like(x), np.zeros_like(x), [x]
    for step in range(steps):
        g = grad(x)
        check_gradient(g, step)
        v = alpha * v + (1 - alpha) * g**2  # running mean of g^2, per coordinate
        buf = momentum * buf + g / (np.sqrt(v) + eps)
        x = x - lr * buf
        path.append(x)
    return np.array(path)


def adam(
    grad: Grad, x0: list[float], lr: float, steps: int, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8
) -> np.ndarray:
    """Adam (Kingma & Ba, 2015) as torch.optim.Adam does it; returns every iterate."""
    beta1, beta2 = betas
    check_settings(lr, beta1=beta1, beta2=beta2)
    x = np.asarray(x0, dtype=float)
    m, v, path = np.zeros_like(x), np.zeros_like(x), [x]
    for step in range(1, steps + 1):
        g = grad(x)
        check_gradient(g, step - 1)
        m = beta1 * m + (1 - beta1) * g  # running mean of g
        v = beta2 * v + (1 - beta2) * g**2  # running mean of g^2
        m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)  # undo the bias toward the zero start
        x = x - lr * m_hat / (np.sqrt(v_hat) + eps)
        path.append(x)
    return np.array(path)


def rosenbrock(x):  # x: a numpy array or a torch tensor; so is the value
    """Rosenbrock's valley f(x, y) = (1 - x)^2 + 100 (y - x^2)^2."""
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def rosenbrock_grad(x: np.ndarray) -> np.ndarray:
    """Its gradient, by hand: the from-scratch optimizers get no autograd."""
    return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])


def torch_path(make_optimizer: Callable, x0: list[float], steps: int, device: str) -> np.ndarray:
    """Every iterate of a torch.optim optimizer on Rosenbrock's valley."""
    x = torch.tensor(x0, dtype=torch.float64, device=device, requires_grad=True)
    opt, path = make_optimizer([x]), [x0]
    for _ in range(steps):
        opt.zero_grad()
        rosenbrock(x).backward()
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


def optimizer_pairs(x0: list[float], steps: int, beta: float) -> dict[str, tuple[Callable, np.ndarray]]:
    """Each torch optimizer, with the path of its numpy twin from x0 on Rosenbrock's valley."""
    return {
        f"SGD, Nesterov {beta}": (
            lambda p: torch.optim.SGD(p, lr=1e-4, momentum=beta, nesterov=True),
            sgd(rosenbrock_grad, x0, lr=1e-4, steps=steps, momentum=beta, nesterov=True),
        ),
        "RMSprop": (lambda p: torch.optim.RMSprop(p, lr=1e-2), rmsprop(rosenbrock_grad, x0, lr=1e-2, steps=steps)),
        f"RMSprop, momentum {beta}": (
            lambda p: torch.optim.RMSprop(p, lr=1e-3, momentum=beta),
            rmsprop(rosenbrock_grad, x0, lr=1e-3, steps=steps, momentum=beta),
        ),
        "Adam": (lambda p: torch.optim.Adam(p, lr=5e-2), adam(rosenbrock_grad, x0, lr=5e-2, steps=steps)),
    }


def look_ahead_path(grad: Grad, x0: list[float], lr: float, steps: int, momentum: float) -> np.ndarray:
    """Nesterov's method in its textbook form: y = x + beta (x - x_prev), x+ = y - lr grad(y); returns every y."""
    x = prev = np.asarray(x0, dtype=float)
    ys = []
    for _ in range(steps + 1):
        y = x + momentum * (x - prev)
        ys.append(y)
        x, prev = y - lr * grad(y), x
    return np.array(ys)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
x0, steps, beta, tol = [-1.2, 1.0], 100, 0.9, 1e-12
steepness = 100.0  # the coefficient of (y - x^2)^2 that the page states
assert rosenbrock(np.array([0.0, 1.0])) == 1 + steepness and np.all(rosenbrock_grad(np.array([1.0, 1.0])) == 0)
runs = optimizer_pairs(x0, steps, beta)
sgd_name, rms_names = f"SGD, Nesterov {beta}", ["RMSprop", f"RMSprop, momentum {beta}"]
gaps = {name: 0.0 for name in runs}
for device in devices:
    for name, (make_optimizer, ours) in runs.items():
        gaps[name] = max(gaps[name], np.abs(torch_path(make_optimizer, x0, steps, device) - ours).max())
    # claim: gd-sgd-torch [devices=devices steps=steps]
    assert gaps[sgd_name] < tol
    # claim: gd-rmsprop-torch [devices=devices steps=steps]
    assert gaps[rms_names[0]] < tol and gaps[rms_names[1]] < tol
    # claim: gd-adam-torch [devices=devices steps=steps]
    assert gaps["Adam"] < tol
for name, gap in gaps.items():
    print(f"{name:22s} numpy and torch agree at all {steps} steps to within {tol:.0e}: {gap < tol}")

# PyTorch's Nesterov point p_t is the look-ahead point y_t of the textbook form.
look_ahead_gap = np.abs(look_ahead_path(rosenbrock_grad, x0, 1e-4, steps, beta) - runs[sgd_name][1]).max()
print(f"PyTorch's Nesterov iterates are the look-ahead points y_t: {look_ahead_gap < tol}")
# claim: gd-nesterov-look-ahead [steps=steps]
assert look_ahead_gap < tol

# The same optimizers for 3000 steps each, drawn on the contours of the valley.
long_steps, minimum = 3000, np.array([1.0, 1.0])
paths = {
    "gradient descent, lr 1e-3": sgd(rosenbrock_grad, x0, lr=1e-3, steps=long_steps),
    f"heavy ball, lr 1e-3, β {beta}": sgd(rosenbrock_grad, x0, lr=1e-3, steps=long_steps, momentum=beta),
    f"Nesterov, lr 1e-3, β {beta}": sgd(rosenbrock_grad, x0, lr=1e-3, steps=long_steps, momentum=beta, nesterov=True),
    "RMSprop, lr 1e-2": rmsprop(rosenbrock_grad, x0, lr=1e-2, steps=long_steps),
    "Adam, lr 5e-2": adam(rosenbrock_grad, x0, lr=5e-2, steps=long_steps),
}
grid_x, grid_y = np.meshgrid(np.linspace(-1.6, 1.4, 150), np.linspace(-0.4, 1.6, 100))
fig, ax = plt.subplots(figsize=(7, 4.2))
ax.contour(grid_x, grid_y, rosenbrock([grid_x, grid_y]), levels=np.geomspace(0.1, 500, 10), colors="0.75")
for i, (name, path) in enumerate(paths.items()):
    value = rosenbrock(path[-1])  # printed only down to 1e-10: below that the digits are rounding noise
    print(f"{name:28s} f after {long_steps} steps = {f'{value:.1e}' if value >= 1e-10 else 'below 1e-10'}")
    ax.plot(path[::5, 0], path[::5, 1], "-", lw=1.2, color=f"C{i}", label=name)
ax.plot(*x0, "ko", ms=5)
ax.plot(*minimum, "k*", ms=10)
ax.set(xlabel="x", ylabel="y", title=f"Rosenbrock's valley: {long_steps} steps from ({x0[0]:g}, {x0[1]:g}); minimum ★")
ax.legend(fontsize=8, loc="upper center")
fig.tight_layout()
fig.savefig("gradient-descent-rosenbrock.svg")

# What the figure's description and the text under it say.
gd_path, hb_path, nag_path, rms_path, adam_path = paths.values()
distance = {name: np.linalg.norm(path[-1] - minimum) for name, path in paths.items()}
last = 500
rms_moves = np.abs(np.diff(rms_path[-last - 1 :], axis=0)).mean(axis=0) / 1e-2  # mean |step| / lr, late
assert distance["gradient descent, lr 1e-3"] > 0.1 and np.all(np.diff(gd_path[-last:, 0]) > 0)  # still creeping
assert max(np.linalg.norm(hb_path[-1] - minimum), np.linalg.norm(nag_path[-1] - minimum)) < 1e-4
assert np.linalg.norm(adam_path[-1] - minimum) < 1e-4
assert 1e-2 < np.linalg.norm(rms_path[-1] - minimum) < 0.2 and np.all(np.abs(rms_moves - 1) < 0.05)  # hovers
# --8<-- [end:adaptive]


# --8<-- [start:schedule]
import numpy as np

# SGD on f(x) = L x^2 / 2 where each gradient carries independent noise: g = L x + sigma * xi.
rng = np.random.default_rng(3)
L, sigma, lr, runs, steps, x0, rel_tol = 1.0, 1.0, 0.1, 4000, 3000, 5.0, 0.1
constant, decaying = np.full(runs, x0), np.full(runs, x0)
for t in range(1, steps + 1):
    noise = sigma * rng.standard_normal((2, runs))
    constant = constant - lr * (L * constant + noise[0])
    decaying = decaying - 1 / (L * t) * (L * decaying + noise[1])  # lr_t = 1 / (L t)
floor = lr * sigma**2 / (L * (2 - lr * L))  # stationary E[x^2] of the constant step
decayed = sigma**2 / (L**2 * steps)  # E[x_T^2] under lr_t = 1 / (L t)
lower = np.mean(constant**2) / np.mean(decaying**2)
print(f"constant lr = {lr}: E[x^2] = {np.mean(constant**2):.4f} (predicted floor {floor:.4f})")
print(f"lr_t = 1/(L t):   E[x^2] = {np.mean(decaying**2):.6f} (predicted σ²/(L² T) = {decayed:.6f})")

# claim: gd-schedule [runs=runs steps=steps]
assert abs(np.mean(constant**2) / floor - 1) < rel_tol  # stuck at the noise floor
assert abs(np.mean(decaying**2) / decayed - 1) < rel_tol  # still falling like 1/T
assert abs(lower / (floor / decayed) - 1) < 2 * rel_tol  # the measured gap is the predicted one
# --8<-- [end:schedule]

# --8<-- [start:clipping]
import numpy as np


def clip_by_norm(g: np.ndarray, max_norm: float) -> np.ndarray:
    """Scale g down to norm max_norm when it is longer, as torch.nn.utils.clip_grad_norm_ does (per row)."""
    norm = np.linalg.norm(g, axis=-1, keepdims=True)
    return g * np.minimum(1.0, max_norm / np.maximum(norm, 1e-12))


def grad(x: np.ndarray) -> np.ndarray:
    """Gradient of f(x) = |x|^4 / 4, which is |x|^2 x: steep far from the minimum at 0."""
    return (x**2).sum(axis=-1, keepdims=True) * x


rng = np.random.default_rng(4)
starts, r_min, r_max, lr, max_norm = 200, 5, 50, 0.1, 1.0
plain_steps, clip_steps, blowup, radius = 4, 2000, 1e3, 0.1
directions = rng.standard_normal((starts, 2))
x0 = directions / np.linalg.norm(directions, axis=1, keepdims=True) * rng.uniform(r_min, r_max, (starts, 1))

plain = x0.copy()
for _ in range(plain_steps):
    plain = plain - lr * grad(plain)
clipped = x0.copy()
for _ in range(clip_steps):
    clipped = clipped - lr * clip_by_norm(grad(clipped), max_norm=max_norm)
grow = np.linalg.norm(plain, axis=1) / np.linalg.norm(x0, axis=1)
print(f"without clipping, |x| grows {grow.min():.0e}-fold or more in {plain_steps} steps")
print(f"clipped at norm {max_norm:g}, |x| <= {np.linalg.norm(clipped, axis=1).max():.3f} after {clip_steps} steps")

# claim: gd-clipping [starts=len(x0)]
assert len(x0) == starts and np.linalg.norm(x0, axis=1).min() >= r_min and np.linalg.norm(x0, axis=1).max() <= r_max
assert np.all(grow > blowup)
assert np.all(np.linalg.norm(clipped, axis=1) < radius)
# --8<-- [end:clipping]

# --8<-- [start:overshoot]
import numpy as np

rng = np.random.default_rng(5)
L, count, low, high, steps, x0, tol = 4.0, 50, 1.2, 1.9, 200, 3.0, 1e-3
lr = rng.uniform(low / L, high / L, size=count)  # step sizes between 1.2/L and 1.9/L
x = np.full(count, x0)  # f(x) = L x^2 / 2, minimum at 0
signs, sizes = [np.sign(x)], [np.abs(x)]
for _ in range(steps):
    x = x - lr * L * x
    signs.append(np.sign(x))
    sizes.append(np.abs(x))
signs, sizes = np.array(signs), np.array(sizes)
crosses = bool(np.all(signs[1:] == -signs[:-1]))
print(f"every step crosses the minimum: {crosses}; largest |x| after {steps} steps: {sizes[-1].max():.0e}")

# claim: gd-overshoot [step_sizes=len(lr)]
assert len(signs) == steps + 1 and crosses  # the iterate jumps to the other side of the minimum every step
assert np.all(sizes[1:] < sizes[:-1]) and np.all(sizes[-1] < tol)  # ...and still converges to it
# --8<-- [end:overshoot]

# --8<-- [start:adam-sign]
import numpy as np
import torch


def adam_first_step(curvatures: np.ndarray, starts: np.ndarray, lr: float, device: str) -> np.ndarray:
    """The first step of torch.optim.Adam on f(x) = sum_i c_i x_i^2 / 2, divided by lr, from each start (row)."""
    c = torch.tensor(curvatures, device=device)
    x = torch.tensor(starts, device=device, requires_grad=True)
    opt = torch.optim.Adam([x], lr=lr)
    (c * x**2 / 2).sum().backward()
    opt.step()
    return (x.detach().cpu().numpy() - starts) / lr


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
curvatures = np.geomspace(1e-3, 1e3, 13)  # flat to very steep
rng = np.random.default_rng(6)
count, r_min, r_max, lr, atol, spread = 20, 0.5, 5.0, 0.01, 1e-4, 1e5
starts = rng.choice([-1, 1], size=(count, 13)) * rng.uniform(r_min, r_max, size=(count, 13))
gd_step = curvatures * starts  # plain gradient descent's step / lr: proportional to the curvature
for device in devices:
    first_step = adam_first_step(curvatures, starts, lr, device)
    # claim: gd-adam-sign [devices=devices starts=starts.size]
    assert np.allclose(first_step, -np.sign(starts), rtol=0, atol=atol)  # -lr * sign(g), whatever the curvature
    assert np.abs(gd_step).max() / np.abs(gd_step).min() > spread
print(f"Adam's first step / lr: {np.round(first_step[0, :5], 4)} ...")
print(f"minus the gradient's sign: {-np.sign(starts[0, :5])} ...")
print(f"gradient descent's first step / lr ranges over {np.abs(gd_step).min():.0e} to {np.abs(gd_step).max():.0e}")
# --8<-- [end:adam-sign]
