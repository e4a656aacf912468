# Code of the Stochastic gradient descent page (docs/stochastic-gradient-descent.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:numpy]
import numpy as np


def make_problem(noise: float, n: int = 1000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Least squares f(w) = |Xw - y|^2 / (2n): 4 features of variance 0.5 to 2, targets with Gaussian noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) * np.sqrt([0.5, 1.0, 1.5, 2.0])
    return X, X @ rng.normal(size=4) + noise * rng.normal(size=n)


def schedule(kind: str, eta0: float, steps: int, t0: float = 100.0) -> np.ndarray:
    """Step sizes eta_t, t = 0..steps-1: constant, Robbins-Monro eta0/(1 + t/t0) or summable eta0/(1 + t/t0)^2."""
    powers = {"constant": 0, "robbins-monro": 1, "summable": 2}
    if kind not in powers:
        raise ValueError(f"kind must be one of {sorted(powers)}, got {kind!r}")
    if not (np.isfinite(eta0) and eta0 > 0):
        raise ValueError(f"eta0 must be a positive number, got {eta0!r}")
    if not (np.isfinite(t0) and t0 > 0):
        raise ValueError(f"t0 must be a positive number, got {t0!r}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps!r}")
    return eta0 / (1 + np.arange(steps) / t0) ** powers[kind]


def sgd_excess(X: np.ndarray, y: np.ndarray, lrs: np.ndarray, runs: int, seed: int = 1) -> np.ndarray:
    """SGD with one example per step (drawn with replacement) from w = 0, `runs` times for each row of
    step sizes in lrs; returns the excess loss f(w_t) - f*, averaged over the runs, after every step."""
    if runs < 1:
        raise ValueError(f"runs must be at least 1, got {runs!r}")
    n, d = X.shape
    H = X.T @ X / n  # the Hessian of f
    w_star = np.linalg.solve(H, X.T @ y / n)
    rng = np.random.default_rng(seed)
    W = np.zeros((len(lrs), runs, d))
    excess = np.empty(lrs.shape)
    for t in range(lrs.shape[1]):
        i = rng.integers(n, size=(len(lrs), runs))  # one example for each run
        residual = np.einsum("krd,krd->kr", X[i], W) - y[i]
        W -= lrs[:, t, None, None] * residual[..., None] * X[i]  # w <- w - eta_t grad f_i(w)
        E = W - w_star
        excess[:, t] = 0.5 * np.einsum("krd,de,kre->k", E, H, E) / runs  # f(w) - f* = (w - w*)' H (w - w*) / 2
    return excess


def stationary_excess(X: np.ndarray, y: np.ndarray, eta: float) -> tuple[float, float]:
    """E[f(w) - f*] of constant-step SGD once it has forgotten its start: exact, and to first order in eta."""
    n, d = X.shape
    H = X.T @ X / n
    r = X @ np.linalg.solve(H, X.T @ y / n) - y  # residuals at w*
    S = (X * r[:, None]).T @ (X * r[:, None]) / n  # Σ*: covariance of one example's gradient at w*
    Z = np.einsum("ni,nj->nij", X, X).reshape(n, d * d)
    M = Z.T @ Z / n  # E[A ⊗ A] for A = x x'
    # The second moment C = E[(w - w*)(w - w*)'] at equilibrium solves HC + CH - eta E[ACA] = eta Σ*.
    operator = np.kron(np.eye(d), H) + np.kron(H, np.eye(d)) - eta * M
    C = np.linalg.solve(operator, eta * S.ravel()).reshape(d, d)
    return 0.5 * np.trace(H @ C), eta * np.trace(S) / 4


X, y = make_problem(noise=0.5)
T, runs, etas = 1500, 200, [0.04, 0.02, 0.01]
lrs = np.stack(
    [schedule("constant", eta, T) for eta in etas]
    + [schedule("robbins-monro", 0.05, T, t0=100), schedule("summable", 0.05, T, t0=10)]
)
excess = sgd_excess(X, y, lrs, runs)
mid, end = slice(T // 2 - 100, T // 2), slice(T - 100, T)  # the last 100 steps before T/2 and before T

floors = excess[:3, T // 2 :].mean(axis=1)  # time average over the second half, after the start is forgotten
for eta, floor in zip(etas, floors, strict=True):
    exact, first_order = stationary_excess(X, y, eta)
    print(f"constant eta = {eta:.2f}: f - f* = {floor:.5f} (exact {exact:.5f}, eta tr(Σ*)/4 = {first_order:.5f})")
    # claim: sgd-noise-ball [runs=runs steps=T]
    assert abs(floor / exact - 1) < 0.05
    assert abs(floor / first_order - 1) < 0.25
# claim: sgd-noise-ball
assert np.all((floors[:-1] / floors[1:] > 1.8) & (floors[:-1] / floors[1:] < 2.5))  # halve eta, about halve the floor

rm_mid, rm_end = excess[3, mid].mean(), excess[3, end].mean()
print(f"Robbins-Monro 0.05/(1 + t/100): f - f* = {rm_mid:.6f} at t = {T // 2}, {rm_end:.6f} at t = {T}")
# claim: sgd-decay-converges [runs=runs steps=T]
assert 0.35 < rm_end / rm_mid < 0.7  # still falling like 1/t
assert rm_end < floors[-1] / 2  # below the floor of the smallest constant step

eigenvalues, U = np.linalg.eigh(X.T @ X / len(X))
start = U.T @ (0 - np.linalg.solve(X.T @ X, X.T @ y))  # w_0 - w* in the eigenbasis of H
# E[w_T - w*] = prod_t (I - eta_t H) (w_0 - w*), and E[f - f*] >= f(E[w_T]) - f* (Jensen)
mean_path = np.prod(1 - lrs[4][:, None] * eigenvalues, axis=0) * start
bound = 0.5 * np.sum(eigenvalues * mean_path**2)
sum_mid, sum_end = excess[4, mid].mean(), excess[4, end].mean()
print(f"summable 0.05/(1 + t/10)^2:    f - f* = {sum_mid:.4f} at t = {T // 2}, {sum_end:.4f} at t = {T}")
print(f"  sum of its steps {lrs[4].sum():.3f}; lower bound on E[f - f*] at t = {T}: {bound:.4f}")
# claim: sgd-summable-stalls [runs=runs steps=T]
assert sum_end > 0.98 * sum_mid  # it has (almost) stopped moving
assert sum_end > 100 * rm_end and sum_end > 0.95 * bound
# --8<-- [end:numpy]

# --8<-- [start:torch]
import numpy as np
import torch


def make_problem(noise: float, n: int = 1000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Least squares f(w) = |Xw - y|^2 / (2n), the same data set as in the numpy tab."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) * np.sqrt([0.5, 1.0, 1.5, 2.0])
    return X, X @ rng.normal(size=4) + noise * rng.normal(size=n)


def sgd_torch(X, y, base_lrs, lr_lambdas, runs: int, steps: int, device: str, seed: int = 1) -> np.ndarray:
    """torch.optim.SGD with LambdaLR, one parameter group (of `runs` independent rows) per schedule;
    the examples are drawn by the same generator as in the numpy tab. Returns the mean excess loss per step."""
    X, y = torch.as_tensor(X, device=device), torch.as_tensor(y, device=device)
    n, d = X.shape
    H = X.T @ X / n
    w_star = torch.linalg.solve(H, X.T @ y / n)
    params = [torch.zeros(runs, d, dtype=X.dtype, device=device, requires_grad=True) for _ in base_lrs]
    opt = torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, base_lrs, strict=True)])
    scheduler = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambdas)  # lr_t = base lr * lambda(t)
    rng = np.random.default_rng(seed)
    excess = torch.empty(steps, len(params), dtype=X.dtype, device=device)
    for t in range(steps):
        i = torch.as_tensor(rng.integers(n, size=(len(params), runs)), device=device)
        residual = (X[i] * torch.stack(params)).sum(-1) - y[i]
        opt.zero_grad()
        (0.5 * residual**2).sum().backward()  # each row's gradient is grad f_i of its own example
        opt.step()
        scheduler.step()
        with torch.no_grad():
            E = torch.stack(params) - w_star
            excess[t] = 0.5 * ((E @ H) * E).sum(-1).mean(-1)
    return excess.T.cpu().numpy()


def stationary_excess(X: np.ndarray, y: np.ndarray, eta: float) -> float:
    """Exact E[f(w) - f*] of constant-step SGD at equilibrium (as in the numpy tab)."""
    n, d = X.shape
    H = X.T @ X / n
    r = X @ np.linalg.solve(H, X.T @ y / n) - y
    S = (X * r[:, None]).T @ (X * r[:, None]) / n
    Z = np.einsum("ni,nj->nij", X, X).reshape(n, d * d)
    operator = np.kron(np.eye(d), H) + np.kron(H, np.eye(d)) - eta * Z.T @ Z / n
    return 0.5 * np.trace(H @ np.linalg.solve(operator, eta * S.ravel()).reshape(d, d))


X, y = make_problem(noise=0.5)
T, runs, etas = 1500, 200, [0.04, 0.02, 0.01]
base_lrs = [*etas, 0.05, 0.05]
lr_lambdas = [lambda t: 1.0] * 3 + [lambda t: 1 / (1 + t / 100), lambda t: 1 / (1 + t / 10) ** 2]
mid, end = slice(T // 2 - 100, T // 2), slice(T - 100, T)
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    excess = sgd_torch(X, y, base_lrs, lr_lambdas, runs, T, device)
    floors = excess[:3, T // 2 :].mean(axis=1)
    exact = np.array([stationary_excess(X, y, eta) for eta in etas])
    rm_mid, rm_end = excess[3, mid].mean(), excess[3, end].mean()
    sum_mid, sum_end = excess[4, mid].mean(), excess[4, end].mean()
    if device == "cpu":  # the same checks run on every device; the page shows the CPU's numbers
        for eta, floor, ex in zip(etas, floors, exact, strict=True):
            print(f"constant eta = {eta:.2f}: f - f* = {floor:.5f} (exact {ex:.5f})")
        print(f"Robbins-Monro 0.05/(1 + t/100): f - f* = {rm_mid:.6f} at t = {T // 2}, {rm_end:.6f} at t = {T}")
        print(f"summable 0.05/(1 + t/10)^2:    f - f* = {sum_mid:.4f} at t = {T // 2}, {sum_end:.4f} at t = {T}")
    # claim: sgd-torch [devices=devices runs=runs steps=T]
    assert np.all(np.abs(floors / exact - 1) < 0.05)
    assert 0.35 < rm_end / rm_mid < 0.7 and rm_end < floors[-1] / 2
    assert sum_end > 0.98 * sum_mid and sum_end > 100 * rm_end
# --8<-- [end:torch]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)  # the data set of the blocks above
X = rng.normal(size=(1000, 4)) * np.sqrt([0.5, 1.0, 1.5, 2.0])
y = X @ rng.normal(size=4) + 0.5 * rng.normal(size=1000)
H, T, runs = X.T @ X / 1000, 1500, 50
w_star = np.linalg.solve(H, X.T @ y / 1000)
t = np.arange(T)
curves = {
    "constant η = 0.04": np.full(T, 0.04),
    "constant η = 0.01": np.full(T, 0.01),
    "Robbins–Monro 0.05/(1 + t/100)": 0.05 / (1 + t / 100),
    "summable 0.05/(1 + t/10)²": 0.05 / (1 + t / 10) ** 2,
}
lrs = np.stack(list(curves.values()))
W, excess = np.zeros((len(lrs), runs, 4)), np.empty(lrs.shape)
for step in range(T):  # SGD, one example per step, 50 runs per schedule
    i = rng.integers(1000, size=(len(lrs), runs))
    W -= lrs[:, step, None, None] * (np.einsum("krd,krd->kr", X[i], W) - y[i])[..., None] * X[i]
    excess[:, step] = 0.5 * np.einsum("krd,de,kre->k", W - w_star, H, W - w_star) / runs

shown = np.unique(np.geomspace(1, T, 150).astype(int)) - 1  # log-spaced steps keep the SVG small
fig, ax = plt.subplots(figsize=(7, 3.8))
for (name, _), values, color in zip(curves.items(), excess, ["C0", "C2", "C3", "C7"], strict=True):
    ax.loglog(shown + 1, values[shown], color=color, label=name)
for row, color in [(0, "C0"), (1, "C2")]:  # dotted: each constant step's floor, averaged over t > T/2
    ax.axhline(excess[row, T // 2 :].mean(), color=color, ls=":", lw=1)
ax.set(xlabel="step t", ylabel="mean f(w_t) − f*", title="SGD on least squares, mean of 50 runs")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
fig.savefig("stochastic-gradient-descent-noise-ball.svg")
# --8<-- [end:figure]

# --8<-- [start:interpolation]
import numpy as np

rng = np.random.default_rng(0)
n, T, runs, eta = 1000, 3000, 200, 0.04
X = rng.normal(size=(n, 4)) * np.sqrt([0.5, 1.0, 1.5, 2.0])
final = {}
for noise in [0.5, 0.0]:  # noise 0: the linear model fits every example exactly
    y = X @ rng.normal(size=4) + noise * rng.normal(size=n)
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    W = np.zeros((runs, 4))
    for _ in range(T):  # constant-step SGD, one example per step, 200 runs
        i = rng.integers(n, size=runs)
        W -= eta * (np.einsum("rd,rd->r", X[i], W) - y[i])[:, None] * X[i]
    final[noise] = gap = 0.5 * np.mean((X @ (W - w_star).T) ** 2, axis=0)  # f(w) - f* for each run
    print(f"noise {noise}: after {T} steps of eta = {eta}, f - f* is {gap.min():.1e} to {gap.max():.1e}")
# claim: sgd-interpolation [runs=runs steps=T]
assert final[0.0].max() < 1e-20  # no noise at the minimum: no noise ball
assert final[0.5].min() > 1e-5  # noise at the minimum: every run still hovers
# --8<-- [end:interpolation]
