# Code of the Stochastic gradient descent page (docs/stochastic-gradient-descent.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:numpy]
import numpy as np


def make_problem(
    noise: float, n: int = 1000, seed: int = 0, variances: tuple = (0.5, 1.0, 1.5, 2.0)
) -> tuple[np.ndarray, np.ndarray]:
    """Least squares f(w) = |Xw - y|^2 / (2n): Gaussian features of the given variances, noisy linear targets."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(variances))) * np.sqrt(variances)
    return X, X @ rng.normal(size=len(variances)) + noise * rng.normal(size=n)


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


def exact_excess(X: np.ndarray, y: np.ndarray, lrs: np.ndarray) -> np.ndarray:
    """E[f(w_t)] - f* after every step, for each row of step sizes, from the exact recursion for the mean m and
    second moment C of e = w - w* under e <- (I - eta x x') e - eta r x (no sampling, no approximation)."""
    n, d = X.shape
    H = X.T @ X / n
    w_star = np.linalg.solve(H, X.T @ y / n)
    r = X @ w_star - y  # residuals at w*
    g = X.T @ r / n  # the mean gradient at w*: zero up to rounding
    Z = np.einsum("ni,nj->nij", X, X).reshape(n, d * d)
    M, K = Z.T @ Z / n, (Z * r[:, None]).T @ X / n  # E[x x' C x x'] = M vec(C); E[r (x'm) x x'] = K m
    S = (X * r[:, None]).T @ (X * r[:, None]) / n  # Σ*
    out = np.empty(lrs.shape)
    for k, row in enumerate(lrs):
        m = -w_star  # w_0 = 0
        C = np.outer(m, m)
        for t, eta in enumerate(row):
            cross = eta**2 * (K @ m).reshape(d, d) - eta * np.outer(m, g)
            C = C - eta * (H @ C + C @ H) + eta**2 * (M @ C.ravel()).reshape(d, d) + eta**2 * S + cross + cross.T
            m = m - eta * (H @ m + g)
            out[k, t] = 0.5 * np.trace(H @ C)
    return out


def averaged_excess(X: np.ndarray, y: np.ndarray, eta: float, steps: int, runs: int, seed: int = 2) -> np.ndarray:
    """Constant-step SGD, `runs` times; the excess loss of the last iterate and of the average of the
    iterates over the second half of the run (Polyak-Ruppert averaging), one row each."""
    n, d = X.shape
    H = X.T @ X / n
    w_star = np.linalg.solve(H, X.T @ y / n)
    rng = np.random.default_rng(seed)
    W, total = np.zeros((runs, d)), np.zeros((runs, d))
    for t in range(steps):
        i = rng.integers(n, size=runs)
        W -= eta * (np.einsum("rd,rd->r", X[i], W) - y[i])[:, None] * X[i]
        if t >= steps // 2:
            total += W
    E = np.stack([W, total / (steps - steps // 2)]) - w_star
    return 0.5 * np.einsum("krd,de,kre->kr", E, H, E)


n, noise, variances = 1000, 0.5, (0.5, 1.0, 1.5, 2.0)
X, y = make_problem(noise=noise, n=n, variances=variances)
T, runs, etas = 1500, 2000, [0.04, 0.02, 0.01]
eta0, t0, t0_summable = 0.05, 100, 10
lrs = np.stack(
    [schedule("constant", eta, T) for eta in etas]
    + [schedule("robbins-monro", eta0, T, t0=t0), schedule("summable", eta0, T, t0=t0_summable)]
)
excess = sgd_excess(X, y, lrs, runs)
window = 100
mid, end = slice(T // 2 - window, T // 2), slice(T - window, T)  # the last steps before T/2 and before T

tol_exact, tol_first, halving = 0.02, 0.25, (1.8, 2.5)
floors = excess[:3, T // 2 :].mean(axis=1)  # time average over the second half, after the start is forgotten
exact, first_order = np.array([stationary_excess(X, y, eta) for eta in etas]).T
for eta, floor, ex, first in zip(etas, floors, exact, first_order, strict=True):
    print(f"constant eta = {eta:.2f}: f - f* = {floor:.5f} (exact {ex:.5f}, eta tr(Σ*)/4 = {first:.5f})")
ratios = floors[:-1] / floors[1:]  # each eta against half of it


def mean_square_limit(X: np.ndarray) -> float:
    """The largest constant step for which the second moment of w - w* stays bounded (bisection on the
    spectral radius of C -> C - eta (HC + CH) + eta^2 E[x x' C x x'])."""
    n, d = X.shape
    Z = np.einsum("ni,nj->nij", X, X).reshape(n, d * d)
    A = np.kron(np.eye(d), X.T @ X / n) + np.kron(X.T @ X / n, np.eye(d))
    low_eta, high_eta = 0.0, 1.0
    for _ in range(50):
        mid_eta = (low_eta + high_eta) / 2
        stable = np.abs(np.linalg.eigvals(np.eye(d * d) - mid_eta * A + mid_eta**2 * Z.T @ Z / n)).max() < 1
        low_eta, high_eta = (mid_eta, high_eta) if stable else (low_eta, mid_eta)
    return low_eta


eta_stable = mean_square_limit(X)
print(f"mean-square stable for constant steps below {eta_stable:.3f}")
# claim: sgd-noise-ball [runs=runs steps=T]
assert np.all(np.abs(floors / exact - 1) < tol_exact)
assert np.all(np.abs(floors / first_order - 1) < tol_first)
assert np.all((ratios > halving[0]) & (ratios < halving[1]))  # halve eta, about halve the floor
assert max(etas) < eta_stable  # the equilibrium exists for every step used

exact_path = exact_excess(X, y, lrs)  # the expected excess loss of every schedule, computed without sampling
rm_mid, rm_end = excess[3, mid].mean(), excess[3, end].mean()
second_half = np.arange(T // 2, T)


def loglog_slope(values: np.ndarray, shift: float) -> float:
    """Slope of log(values) against log(t + shift) over the second half: values ~ (t + shift)^slope."""
    return np.polyfit(np.log(second_half + shift), np.log(values[second_half]), 1)[0]


slope, exact_slope = loglog_slope(excess[3], t0), loglog_slope(exact_path[3], t0)
slope_tol, exact_tol, match = 0.15, 0.05, 0.05
rate = eta0 * t0 * np.linalg.eigvalsh(X.T @ X / n)[0]  # eta0 t0 lambda_min: the 1/t rate needs it above 1/2
t0_slow = 10  # the same eta0 with a shorter t0: eta0 t0 lambda_min below 1/2
slow_slope = loglog_slope(exact_excess(X, y, schedule("robbins-monro", eta0, T, t0=t0_slow)[None])[0], t0_slow)
slow_rate = eta0 * t0_slow * np.linalg.eigvalsh(X.T @ X / n)[0]
w_opt = np.linalg.solve(X.T @ X, X.T @ y)
weight_min = (np.linalg.eigh(X.T @ X / n)[1][:, 0] @ w_opt) ** 2 / (w_opt @ w_opt)  # share of |w*|^2 there
print(f"Robbins-Monro {eta0}/(1 + t/{t0}): f - f* = {rm_mid:.6f} at t = {T // 2}, {rm_end:.6f} at t = {T}")
print(f"  log-log slope over the second half: {slope:.2f} (exact recursion {exact_slope:.3f})")
print(f"  eta0 t0 lambda_min = {rate:.2f}; with t0 = {t0_slow}: {slow_rate:.2f}, exact slope {slow_slope:.2f}")
print(f"  share of |w*|^2 along the least-curved eigenvector: {weight_min:.0%}")
# claim: sgd-decay-converges [runs=runs steps=T]
assert np.allclose(lrs[3], eta0 * t0 / (t0 + np.arange(T)), rtol=1e-14, atol=0)  # the schedule the page states
assert abs(exact_slope + 1) < exact_tol and abs(slope + 1) < slope_tol  # falling like 1/t, exactly and sampled
assert abs(excess[3, end].mean() / exact_path[3, end].mean() - 1) < match  # the runs agree with the recursion
assert rm_end < floors[-1] / 2  # below half the floor of the smallest constant step
assert rate > 1 / 2 > slow_rate and abs(slow_slope + 2 * slow_rate) < exact_tol  # t0 too short: t^(-2 eta0 t0 lambda)

eigenvalues, U = np.linalg.eigh(X.T @ X / len(X))
start = U.T @ (0 - np.linalg.solve(X.T @ X, X.T @ y))  # w_0 - w* in the eigenbasis of H
# E[w_T - w*] = prod_t (I - eta_t H) (w_0 - w*), and E[f - f*] >= f(E[w_T]) - f* (Jensen)
mean_path = np.prod(1 - lrs[4][:, None] * eigenvalues, axis=0) * start
bound = 0.5 * np.sum(eigenvalues * mean_path**2)
sum_mid, sum_end = excess[4, mid].mean(), excess[4, end].mean()
stall, above_rm, longer = 0.02, 100, 10
later = exact_excess(X, y, schedule("summable", eta0, longer * T, t0=t0_summable)[None])[0, -1]  # t = 10 T
print(f"summable {eta0}/(1 + t/{t0_summable})^2:    f - f* = {sum_mid:.4f} at t = {T // 2}, {sum_end:.4f} at t = {T}")
print(f"  sum of its steps {lrs[4].sum():.3f}; lower bound on E[f - f*] at t = {T}: {bound:.4f}")
print(f"  exact expected f - f*: {exact_path[4, -1]:.4f} at t = {T}, {later:.4f} at t = {longer * T}")
# claim: sgd-summable-stalls [runs=runs steps=T]
assert np.allclose(lrs[4], eta0 * t0_summable**2 / (t0_summable + np.arange(T)) ** 2, rtol=1e-14, atol=0)
assert sum_end > (1 - stall) * sum_mid  # it has (almost) stopped moving
assert later > (1 - stall) * exact_path[4, -1]  # ...and ten times as many steps barely lower the expectation
assert abs(sum_end / exact_path[4, end].mean() - 1) < match and sum_end > above_rm * rm_end
assert abs(sum_mid / exact_path[4, mid].mean() - 1) < match  # the t = T/2 average too

last, averaged = averaged_excess(X, y, etas[0], T, runs).mean(axis=1)
gain, min_gain = last / averaged, 10
ideal = noise**2 * X.shape[1] / (2 * (T - T // 2))  # sigma^2 d / (2 m): the least-squares fit of m fresh examples
near_ideal = 0.25
L, fourth = np.linalg.cholesky(X.T @ X / n), (X * (X**2).sum(1)[:, None]).T @ X / n  # H = LL', E[|x|^2 xx']
R2 = np.linalg.eigvalsh(np.linalg.solve(L, np.linalg.solve(L, fourth).T))[-1]  # least R2 with E|x|^2 xx' <= R2 H
print(f"constant eta = {etas[0]}: last iterate f - f* = {last:.5f}, average of the second half {averaged:.5f}")
print(f"  sigma^2 d / (2 m) for m = {T - T // 2} examples: {ideal:.5f}; Bach-Moulines step limit 1/R^2 = {1 / R2:.3f}")
# claim: sgd-averaging [runs=runs steps=T]
assert averaged * min_gain < last
assert abs(averaged / ideal - 1) < near_ideal and etas[0] < 1 / R2  # near sigma^2 d/(2m), inside their theorem
# --8<-- [end:numpy]

# --8<-- [start:torch]
import numpy as np
import torch


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


# The numpy tab's data X, y, schedules and table `excess` (this block continues it); the schedules are
# written out again here as LambdaLR factors, so a change to the numpy tab's `schedule` shows up as a gap.
base_lrs = [*etas, eta0, eta0]
lr_lambdas = [lambda t: 1.0] * 3 + [lambda t: 1 / (1 + t / t0), lambda t: 1 / (1 + t / t0_summable) ** 2]
rtol = 1e-9
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    torch_excess = sgd_torch(X, y, base_lrs, lr_lambdas, runs, T, device)
    gap = np.abs(torch_excess / excess - 1).max()
    torch_floors = torch_excess[:3, T // 2 :].mean(axis=1)
    torch_slope = loglog_slope(torch_excess[3], t0)
    torch_rm_end, torch_sum = torch_excess[3, end].mean(), [torch_excess[4, mid].mean(), torch_excess[4, end].mean()]
    if device == "cpu":  # the same checks run on every device; the page shows the CPU's numbers
        for eta, floor, ex in zip(etas, torch_floors, exact, strict=True):
            print(f"constant eta = {eta:.2f}: f - f* = {floor:.5f} (exact {ex:.5f})")
        rm = torch_excess[3, mid].mean()
        print(f"Robbins-Monro {eta0}/(1 + t/{t0}): f - f* = {rm:.6f} at t = {T // 2}, {torch_rm_end:.6f} at t = {T}")
        summable = f"summable {eta0}/(1 + t/{t0_summable})^2:"
        print(f"{summable}    f - f* = {torch_sum[0]:.4f} at t = {T // 2}, {torch_sum[1]:.4f} at t = {T}")
        print(f"largest relative gap to the numpy tab over {T} steps: below {rtol:.0e}")
    # claim: sgd-torch [devices=devices runs=runs steps=T]
    assert torch_excess.shape == excess.shape and gap < rtol  # the numpy tab's table, step by step
    assert np.all(np.abs(torch_floors / exact - 1) < tol_exact) and np.all(
        np.abs(torch_floors / first_order - 1) < tol_first
    )
    ratio = torch_floors[:-1] / torch_floors[1:]
    assert np.all((ratio > halving[0]) & (ratio < halving[1]))
    assert abs(torch_slope + 1) < slope_tol and torch_rm_end < torch_floors[-1] / 2
    assert torch_sum[1] > (1 - stall) * torch_sum[0] and torch_sum[1] > above_rm * torch_rm_end
# --8<-- [end:torch]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

# The numpy tab's data X, y (this block continues it); fresh runs of SGD on them.
rng = np.random.default_rng(3)
H, T, runs = X.T @ X / n, 1500, 200
w_star = np.linalg.solve(H, X.T @ y / n)
t = np.arange(T)
big, small, eta0 = 0.04, 0.01, 0.05
curves = {
    f"constant η = {big}": np.full(T, big),
    f"constant η = {small}": np.full(T, small),
    f"Robbins–Monro {eta0}/(1 + t/100)": eta0 / (1 + t / 100),
    f"summable {eta0}/(1 + t/10)²": eta0 / (1 + t / 10) ** 2,
}
lrs = np.stack(list(curves.values()))
W, excess = np.zeros((len(lrs), runs, X.shape[1])), np.empty(lrs.shape)
for step in range(T):  # SGD, one example per step, `runs` runs per schedule
    i = rng.integers(n, size=(len(lrs), runs))
    W -= lrs[:, step, None, None] * (np.einsum("krd,krd->kr", X[i], W) - y[i])[..., None] * X[i]
    excess[:, step] = 0.5 * np.einsum("krd,de,kre->k", W - w_star, H, W - w_star) / runs

shown = np.unique(np.geomspace(1, T, 150).astype(int)) - 1  # log-spaced steps keep the SVG small
fig, ax = plt.subplots(figsize=(7, 3.8))
for (name, _), values, color in zip(curves.items(), excess, ["C0", "C2", "C3", "C7"], strict=True):
    ax.loglog(shown + 1, values[shown], color=color, label=name)
floors = excess[:2, T // 2 :].mean(axis=1)  # dotted: each constant step's floor, averaged over t > T/2
for floor, color in zip(floors, ["C0", "C2"], strict=True):
    ax.axhline(floor, color=color, ls=":", lw=1)
ax.set(xlabel="step t", ylabel="mean f(w_t) − f*", title=f"SGD on least squares, mean of {runs} runs")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
fig.savefig("stochastic-gradient-descent-noise-ball.svg")

# What the figure's description says.
floor_ratio, stalled = floors[0] / floors[1], excess[3, -1]
quarters = excess[:2, T // 2 : 3 * T // 4].mean(axis=1), excess[:2, 3 * T // 4 :].mean(axis=1)
assert np.all(excess[:2, 0] > 10 * floors) and np.all(np.abs(quarters[1] / quarters[0] - 1) < 0.1)  # flat floors
assert floor_ratio > 1  # the larger step levels off higher
doublings = excess[2, [99, 199, 399, 799, T - 1]]  # Robbins-Monro at t = 100, 200, 400, 800 and T
assert np.all(np.diff(doublings) < 0) and doublings[-1] < floors.min()  # keeps falling, ends below both floors
settle_step, settle = 200, 0.1
assert excess[3, settle_step - 1 :].max() < (1 + settle) * stalled  # the summable schedule has about stopped
# --8<-- [end:figure]

# --8<-- [start:interpolation]
import numpy as np

# The numpy tab's features X (this block continues it): its make_problem, with and without noise.
rng = np.random.default_rng(4)
T, runs, eta = 3000, 200, 0.04
low, high = 1e-20, 1e-5
final, same_features = {}, []
for sigma in [noise, 0.0]:  # sigma 0: the linear model fits every example exactly
    features, y = make_problem(noise=sigma, n=n, variances=variances)
    same_features.append(np.array_equal(features, X))
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    W = np.zeros((runs, 4))
    for _ in range(T):  # constant-step SGD, one example per step, `runs` runs at once
        i = rng.integers(n, size=runs)
        W -= eta * (np.einsum("rd,rd->r", X[i], W) - y[i])[:, None] * X[i]
    final[sigma] = 0.5 * np.mean((X @ (W - w_star).T) ** 2, axis=0)  # f(w) - f* for each run
for sigma, gap in final.items():  # a noiseless fit ends at rounding level: print only that it is below `low`
    shown = f"from {gap.min():.1e} to {gap.max():.1e}" if sigma else f"below {low:.0e} in {np.sum(gap < low)} runs"
    print(f"noise {sigma}, {runs} runs of {T} steps with eta = {eta}: f - f* {shown}")
# claim: sgd-interpolation [runs=runs steps=T]
assert all(same_features)  # the features of the numpy tab, not a copy that could drift from it
assert final[0.0].max() < low  # no noise at the minimum: no noise ball
assert final[noise].min() > high  # noise at the minimum: every run still hovers
# --8<-- [end:interpolation]
