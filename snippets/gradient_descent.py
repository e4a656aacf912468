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


def least_squares_problem(seed: int, n: int = 200, d: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Random data X, y for the loss f(w) = |Xw - y|^2 / (2n)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal(d) + 0.1 * rng.standard_normal(n)
    return X, y


seeds = range(20)
gaps, solutions = [], []
for seed in seeds:
    X, y = least_squares_problem(seed)
    L = np.linalg.eigvalsh(X.T @ X / len(y)).max()  # largest curvature of f

    def grad(w: np.ndarray, X: np.ndarray = X, y: np.ndarray = y) -> np.ndarray:
        """Gradient of f(w) = |Xw - y|^2 / (2n): X^T (Xw - y) / n."""
        return X.T @ (X @ w - y) / len(y)

    w = gradient_descent(grad, np.zeros(X.shape[1]), lr=1 / L, steps=60)
    w_best = np.linalg.lstsq(X, y, rcond=None)[0]  # the exact minimizer
    gaps.append(np.abs(w - w_best).max())
    solutions.append(w)
print(f"w for data set 0: {np.round(solutions[0], 4)}")
print(f"all {len(gaps)} problems within 1e-12 of the least-squares solution: {max(gaps) < 1e-12}")

# claim: gd-least-squares [seeds=len(gaps)]
assert max(gaps) < 1e-10
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


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
seeds = range(20)
data = []
for seed in seeds:  # the same 20 data sets as the numpy tab
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((200, 5))
    data.append((X, X @ rng.standard_normal(5) + 0.1 * rng.standard_normal(200)))
X = torch.tensor(np.array([X for X, _ in data]))  # shape (20, 200, 5)
y = torch.tensor(np.array([y for _, y in data]))  # shape (20, 200)
w_best = torch.linalg.solve(X.mT @ X, X.mT @ y[..., None])[..., 0]  # the exact minimizers (normal equations)
L = torch.linalg.eigvalsh(X.mT @ X / X.shape[1]).max().item()  # the largest curvature of all 20
for device in devices:
    w = fit(X.to(device), y.to(device), lr=1 / L, steps=60).cpu()
    gaps = (w - w_best).abs().amax(dim=1)
    # claim: gd-least-squares-torch [devices=devices seeds=len(gaps)]
    assert gaps.max() < 1e-10
print(f"w for data set 0: {np.round(w[0].numpy(), 4)}")
print(f"all {len(gaps)} problems within 1e-12 of the least-squares solution: {gaps.max().item() < 1e-12}")
# --8<-- [end:update-torch]

# --8<-- [start:step-size]
import numpy as np

rng = np.random.default_rng(0)
seeds, d, L = 20, 10, 10.0
curvatures = np.linspace(1.0, L, d)  # eigenvalues of the Hessian; the largest is L
# 20 random quadratics f(x) = x^T A x / 2 with A = Q diag(curvatures) Q^T, Q a random rotation.
Q = np.linalg.qr(rng.standard_normal((seeds, d, d)))[0]
A = Q @ (curvatures[:, None] * Q.transpose(0, 2, 1))
lr_times_L = np.array([0.2, 1.0, 1.5, 1.9, 1.98, 2.02, 2.1, 2.5])
lr = lr_times_L / L
x0 = rng.standard_normal((seeds, 1, d)).repeat(len(lr), axis=1)  # one start per quadratic, every step size

steps = 500
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

# claim: gd-step-size [seeds=seeds]
assert np.all(rate <= predicted * (1 + 1e-9)) and np.all(rate > 0.98 * predicted)
assert np.all(ratio[:, lr_times_L < 2] < 1e-3)  # every run with lr < 2/L shrinks the error 1000-fold
assert np.all(ratio[:, lr_times_L > 2] > 10)  # every run with lr > 2/L grows it
# --8<-- [end:step-size]

# --8<-- [start:conditioning]
import numpy as np

rng = np.random.default_rng(1)
kappas = np.array([10.0, 30.0, 100.0, 300.0, 1000.0])
seeds, d, tol = 20, 20, 1e-10
# Diagonal quadratics f(x) = sum_i lambda_i x_i^2 / 2 with mu = 1 <= lambda_i <= L = kappa.
inner = rng.uniform(1.0, kappas[:, None, None], size=(len(kappas), seeds, d - 2))
ones = np.ones((len(kappas), seeds, 1))
curv = np.concatenate([ones, inner, ones * kappas[:, None, None]], axis=-1)
x = x0 = rng.standard_normal((len(kappas), seeds, d))
lr = 2 / (kappas + 1)[:, None, None]  # the best fixed step, 2 / (L + mu)

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
for i, kappa in enumerate(kappas):
    print(
        f"kappa = {kappa:6.0f}: factor predicted {predicted[i]:.4f}, measured {rate[i].min():.4f} to "
        f"{rate[i].max():.4f}; steps to 1e-10: {median_steps[i]:6.0f} = {median_steps[i] / kappa:.1f} kappa"
    )

# claim: gd-condition-rate [seeds=seeds problems=rate.size]
assert np.all(rate <= predicted[:, None] * (1 + 1e-9)) and np.all(rate > 0.97 * predicted[:, None])
assert np.all(np.abs(median_steps / kappas / (np.log(1 / tol) / 2) - 1) < 0.1)  # steps ~ (kappa/2) ln(1/tol)
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
    print(
        f"kappa = {kappa:6.0f}: factor predicted {predicted:.4f}, measured {rate.min():.4f} to {rate.max():.4f}; "
        f"steps to 1e-10: {np.median(steps):4.0f} = {np.median(steps) / np.sqrt(kappa):.1f} sqrt(kappa)"
    )
    # claim: gd-momentum-rate [seeds=seeds kappas=len(kappas)]
    assert np.all(np.abs(rate / predicted - 1) < 0.03)
    assert np.all(rate < ((kappa - 1) / (kappa + 1)) ** (np.sqrt(kappa) / 4))  # much faster than plain GD
    assert 10 < np.median(steps) / np.sqrt(kappa) < 17  # steps grow like sqrt(kappa)
# --8<-- [end:momentum]

# --8<-- [start:nesterov]
import numpy as np


def nesterov(curv: np.ndarray, x0: np.ndarray, lr: float, momentum: float, steps: int) -> np.ndarray:
    """Nesterov's method on f(x) = sum curv * x^2 / 2; returns f(x_t) for t = 0..steps."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must lie in [0, 1), got momentum={momentum!r}")
    x = prev = np.asarray(x0, dtype=float)
    values = [0.5 * (curv * x**2).sum(-1)]
    for step in range(steps):
        y = x + momentum * (x - prev)  # look ahead along the last move
        g = curv * y  # ...and take the gradient there
        if not np.all(np.isfinite(g)):
            raise ValueError(f"gradient must be finite, got gradient={g!r} at step {step}")
        x, prev = y - lr * g, x
        values.append(0.5 * (curv * x**2).sum(-1))
    return np.array(values)


rng = np.random.default_rng(2)
seeds, d, steps = 20, 20, 800
for kappa in [10.0, 100.0, 1000.0]:
    curv = np.concatenate([np.ones((seeds, 1)), rng.uniform(1, kappa, (seeds, d - 2)), np.full((seeds, 1), kappa)], 1)
    x0 = rng.standard_normal((seeds, d))
    q = 1 / np.sqrt(kappa)  # sqrt(mu / L)
    values = nesterov(curv, x0, lr=1 / kappa, momentum=(1 - q) / (1 + q), steps=steps)  # lr = 1/L
    t = np.arange(steps + 1)[:, None]
    bound = (1 - q) ** t * (values[0] + 0.5 * (x0**2).sum(-1))  # (1 - sqrt(mu/L))^t (f(x0) - f* + mu/2 |x0 - x*|^2)
    gd = 0.5 * (curv * (1 - curv / kappa) ** (2 * steps) * x0**2).sum(-1)  # plain GD, lr = 1/L, same start
    worst = (values[1:] / bound[1:]).max()
    print(f"kappa = {kappa:5.0f}: worst f(x_t) / bound for t >= 1: {worst:.2f}, f(x_{steps}) <= {values[-1].max():.0e}")
    # claim: gd-nesterov-bound [seeds=seeds steps=steps]
    assert np.all(values <= bound)
    assert np.all(values[-1] < 1e-3 * gd)  # far below where plain gradient descent gets
# --8<-- [end:nesterov]

# --8<-- [start:valley-figure]
import matplotlib.pyplot as plt
import numpy as np

kappa = 25.0  # f(x, y) = (x^2 + kappa y^2) / 2: a long narrow valley
curv = np.array([1.0, kappa])
q = 1 / np.sqrt(kappa)
# (name, lr, beta, look_ahead): look_ahead = 0 is heavy ball, 1 is Nesterov (gradient at x + beta (x - x_prev)).
methods = [
    ("gradient descent, lr = 2/(L+μ)", 2 / (kappa + 1), 0.0, 0),
    ("heavy ball (Polyak's lr, β)", 4 / (np.sqrt(kappa) + 1) ** 2, ((1 - q) / (1 + q)) ** 2, 0),
    ("Nesterov, lr = 1/L", 1 / kappa, (1 - q) / (1 + q), 1),
]
grid_x, grid_y = np.meshgrid(np.linspace(-10.5, 10.5, 80), np.linspace(-2.2, 2.2, 40))
fig, axes = plt.subplots(1, 3, figsize=(10, 2.8), sharey=True)
for ax, (name, lr, beta, look_ahead) in zip(axes, methods, strict=True):
    x = prev = np.array([-10.0, 1.5])
    path = [x]
    for _ in range(30):
        y = x + look_ahead * beta * (x - prev)
        x, prev = y - lr * curv * y + (1 - look_ahead) * beta * (x - prev), x
        path.append(x)
    path = np.array(path)
    ax.contour(grid_x, grid_y, grid_x**2 + kappa * grid_y**2, levels=[2, 20, 60, 130], colors="0.7")
    ax.plot(path[:, 0], path[:, 1], "o-", ms=2.5, lw=0.9, color="C3")
    ax.plot(0, 0, "k*", ms=8)
    ax.set(title=name, xlabel="x")
axes[0].set_ylabel("y")
fig.suptitle("30 steps from (−10, 1.5) on f = (x² + 25 y²)/2", fontsize=10)
fig.tight_layout()
fig.savefig("gradient-descent-valley.svg")
# --8<-- [end:valley-figure]

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

seeds, batches = range(20), 1000
for B in [1, 4, 16, 64, 256]:
    # mini-batches of B examples drawn uniformly with replacement, 1000 batches for each of 20 seeds
    estimates = np.concatenate(
        [per_example[np.random.default_rng(s).integers(n, size=(batches, B))].mean(axis=1) for s in seeds]
    )
    z = (estimates.mean(axis=0) - full) / np.sqrt(np.diag(np.cov(per_example.T, bias=True)) / B / len(estimates))
    ratio = ((estimates - full) ** 2).sum(axis=1).mean() * B / spread  # E|g_B - g|^2 * B / tr(Σ)
    print(f"B = {B:3d}: largest |z| of the mean = {np.abs(z).max():.1f}, variance * B / tr(Σ) = {ratio:.3f}")
    # claim: gd-minibatch-unbiased [seeds=len(seeds) batches=len(estimates)]
    assert np.all(np.abs(z) < 4.5)  # the mean of the estimates is the full gradient, within sampling error
    # claim: gd-minibatch-variance [seeds=len(seeds) batches=len(estimates)]
    assert abs(ratio - 1) < 0.08  # E|g_B - g|^2 = tr(Σ) / B
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


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
x0, steps = [-1.2, 1.0], 100
runs = {  # name: (torch optimizer, the same optimizer from scratch)
    "SGD, Nesterov 0.9": (
        lambda p: torch.optim.SGD(p, lr=1e-4, momentum=0.9, nesterov=True),
        sgd(rosenbrock_grad, x0, lr=1e-4, steps=steps, momentum=0.9, nesterov=True),
    ),
    "RMSprop": (lambda p: torch.optim.RMSprop(p, lr=1e-2), rmsprop(rosenbrock_grad, x0, lr=1e-2, steps=steps)),
    "RMSprop, momentum 0.9": (
        lambda p: torch.optim.RMSprop(p, lr=1e-3, momentum=0.9),
        rmsprop(rosenbrock_grad, x0, lr=1e-3, steps=steps, momentum=0.9),
    ),
    "Adam": (lambda p: torch.optim.Adam(p, lr=5e-2), adam(rosenbrock_grad, x0, lr=5e-2, steps=steps)),
}
gaps = {name: 0.0 for name in runs}
for device in devices:
    for name, (make_optimizer, ours) in runs.items():
        gaps[name] = max(gaps[name], np.abs(torch_path(make_optimizer, x0, steps, device) - ours).max())
    # claim: gd-sgd-torch [devices=devices steps=steps]
    assert gaps["SGD, Nesterov 0.9"] < 1e-12
    # claim: gd-rmsprop-torch [devices=devices steps=steps]
    assert gaps["RMSprop"] < 1e-12 and gaps["RMSprop, momentum 0.9"] < 1e-12
    # claim: gd-adam-torch [devices=devices steps=steps]
    assert gaps["Adam"] < 1e-12
for name, gap in gaps.items():
    print(f"{name:22s} numpy and torch agree at all {steps} steps to within 1e-13: {gap < 1e-13}")

# The same optimizers for 3000 steps each, drawn on the contours of the valley.
long_steps = 3000
paths = {
    "gradient descent, lr 1e-3": sgd(rosenbrock_grad, x0, lr=1e-3, steps=long_steps),
    "heavy ball, lr 1e-3, β 0.9": sgd(rosenbrock_grad, x0, lr=1e-3, steps=long_steps, momentum=0.9),
    "Nesterov, lr 1e-3, β 0.9": sgd(rosenbrock_grad, x0, lr=1e-3, steps=long_steps, momentum=0.9, nesterov=True),
    "RMSprop, lr 1e-2": rmsprop(rosenbrock_grad, x0, lr=1e-2, steps=long_steps),
    "Adam, lr 5e-2": adam(rosenbrock_grad, x0, lr=5e-2, steps=long_steps),
}
grid_x, grid_y = np.meshgrid(np.linspace(-1.6, 1.4, 150), np.linspace(-0.4, 1.6, 100))
fig, ax = plt.subplots(figsize=(7, 4.2))
ax.contour(grid_x, grid_y, rosenbrock([grid_x, grid_y]), levels=np.geomspace(0.1, 500, 10), colors="0.75")
for i, (name, path) in enumerate(paths.items()):
    print(f"{name:28s} f after {long_steps} steps = {rosenbrock(path[-1]):.1e}")
    ax.plot(path[::5, 0], path[::5, 1], "-", lw=1.2, color=f"C{i}", label=name)
ax.plot(*x0, "ko", ms=5)
ax.plot(1, 1, "k*", ms=10)
ax.set(xlabel="x", ylabel="y", title="Rosenbrock's valley: 3000 steps from (−1.2, 1); minimum ★ at (1, 1)")
ax.legend(fontsize=8, loc="upper center")
fig.tight_layout()
fig.savefig("gradient-descent-rosenbrock.svg")
# --8<-- [end:adaptive]


# --8<-- [start:schedule]
import numpy as np

# SGD on f(x) = L x^2 / 2 where each gradient carries independent noise: g = L x + sigma * xi.
rng = np.random.default_rng(3)
L, sigma, lr, runs, steps = 1.0, 1.0, 0.1, 4000, 3000
constant, decaying = np.full(runs, 5.0), np.full(runs, 5.0)
for t in range(1, steps + 1):
    noise = sigma * rng.standard_normal((2, runs))
    constant = constant - lr * (L * constant + noise[0])
    decaying = decaying - 1 / (L * t) * (L * decaying + noise[1])  # lr_t = 1 / (L t)
floor = lr * sigma**2 / (L * (2 - lr * L))  # stationary E[x^2] of the constant step
print(f"constant lr = {lr}: E[x^2] = {np.mean(constant**2):.4f} (predicted floor {floor:.4f})")
print(f"lr_t = 1/(L t):   E[x^2] = {np.mean(decaying**2):.6f} (predicted σ²/(L² T) = {sigma**2 / (L**2 * steps):.6f})")

# claim: gd-schedule [runs=runs steps=steps]
assert abs(np.mean(constant**2) / floor - 1) < 0.1  # stuck at the noise floor
assert abs(np.mean(decaying**2) * L**2 * steps / sigma**2 - 1) < 0.1  # still falling like 1/T
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
directions = rng.standard_normal((200, 2))
x0 = directions / np.linalg.norm(directions, axis=1, keepdims=True) * rng.uniform(5, 50, (200, 1))
lr = 0.1

plain = x0.copy()
for _ in range(4):
    plain = plain - lr * grad(plain)
clipped = x0.copy()
for _ in range(2000):
    clipped = clipped - lr * clip_by_norm(grad(clipped), max_norm=1.0)
grow = np.linalg.norm(plain, axis=1) / np.linalg.norm(x0, axis=1)
print(f"without clipping, |x| grows {grow.min():.0e}-fold or more in 4 steps")
print(f"clipped at norm 1, |x| <= {np.linalg.norm(clipped, axis=1).max():.3f} after 2000 steps")

# claim: gd-clipping [starts=len(x0)]
assert np.all(grow > 1e3)
assert np.all(np.linalg.norm(clipped, axis=1) < 0.1)
# --8<-- [end:clipping]

# --8<-- [start:overshoot]
import numpy as np

rng = np.random.default_rng(5)
L = 4.0
lr = rng.uniform(1.2 / L, 1.9 / L, size=50)  # 50 step sizes between 1.2/L and 1.9/L
x = np.full(50, 3.0)  # f(x) = L x^2 / 2, minimum at 0
signs, sizes = [np.sign(x)], [np.abs(x)]
for _ in range(200):
    x = x - lr * L * x
    signs.append(np.sign(x))
    sizes.append(np.abs(x))
signs, sizes = np.array(signs), np.array(sizes)
crosses = bool(np.all(signs[1:] == -signs[:-1]))
print(f"every step crosses the minimum: {crosses}; largest |x| after 200 steps: {sizes[-1].max():.0e}")

# claim: gd-overshoot [step_sizes=len(lr)]
assert crosses  # the iterate jumps to the other side of the minimum every step
assert np.all(sizes[1:] < sizes[:-1]) and np.all(sizes[-1] < 1e-3)  # ...and still converges to it
# --8<-- [end:overshoot]

# --8<-- [start:adam-sign]
import numpy as np
import torch

devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
curvatures = np.geomspace(1e-3, 1e3, 13)  # f(x) = sum_i c_i x_i^2 / 2: flat to very steep
rng = np.random.default_rng(6)
starts = rng.choice([-1, 1], size=(20, 13)) * rng.uniform(0.5, 5, size=(20, 13))  # 20 starts, 0.5 <= |x_i| <= 5
for device in devices:
    c = torch.tensor(curvatures, device=device)
    x = torch.tensor(starts, device=device, requires_grad=True)
    opt = torch.optim.Adam([x], lr=0.01)
    (c * x**2 / 2).sum().backward()
    opt.step()
    first_step = (x.detach().cpu().numpy() - starts) / 0.01
    gd_step = curvatures * starts  # plain gradient descent's step / lr: proportional to the curvature
    # claim: gd-adam-sign [devices=devices starts=starts.size]
    assert np.allclose(first_step, -np.sign(starts), rtol=0, atol=1e-4)  # -lr * sign(g), whatever the curvature
    assert np.abs(gd_step).max() / np.abs(gd_step).min() > 1e5
print(f"Adam's first step / lr: {np.round(first_step[0, :5], 4)} ...")
print(f"minus the gradient's sign: {-np.sign(starts[0, :5])} ...")
print(f"gradient descent's first step / lr ranges over {np.abs(gd_step).min():.0e} to {np.abs(gd_step).max():.0e}")
# --8<-- [end:adam-sign]
