# Code of the Line search page (docs/line-search.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:armijo]
import numpy as np

rng = np.random.default_rng(0)
d, m, mu = 10, 30, 0.1  # f(x) = log sum exp(A x - b) + mu |x|^2 / 2: flat far out, curved near the minimum
A, b = rng.normal(size=(m, d)), rng.normal(size=m)


def f(x: np.ndarray) -> np.ndarray:
    """The objective at each row of x (a stable log-sum-exp)."""
    z = x @ A.T - b
    top = z.max(axis=-1)
    return top + np.log(np.exp(z - top[..., None]).sum(axis=-1)) + mu / 2 * (x**2).sum(axis=-1)


def grad(x: np.ndarray) -> np.ndarray:
    """Its gradient at each row of x: A^T softmax(A x - b) + mu x."""
    z = x @ A.T - b
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    return (p / p.sum(axis=-1, keepdims=True)) @ A + mu * x


def backtrack(
    x: np.ndarray,
    p: np.ndarray,
    fx: np.ndarray,
    slope: np.ndarray,
    alpha0: np.ndarray,
    c1: float,
    rho: float,
    max_trials: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Armijo backtracking for every row at once: shrink alpha by rho until f(x + alpha p) <= f(x) + c1 alpha
    g.p. Returns the steps, their f values, and the number of trials (f evaluations) each row needed."""
    alpha, trials = alpha0.copy(), np.zeros(len(x), dtype=int)
    accepted = np.zeros(len(x), dtype=bool)
    f_new = np.full(len(x), np.nan)
    for _ in range(max_trials):
        f_try = f(x + alpha[:, None] * p)
        trials += ~accepted
        ok = ~accepted & (f_try <= fx + c1 * alpha * slope)
        f_new[ok] = f_try[ok]
        accepted |= ok
        if accepted.all():
            break
        alpha = np.where(accepted, alpha, rho * alpha)
    return alpha, f_new, np.where(accepted, trials, -1)  # -1: no step accepted within max_trials


c1, rho, alpha0, iters, n_starts, up_max = 1e-4, 0.5, 1.0, 60, 200, 30
starts = 30 * rng.normal(size=(n_starts, d)) / np.sqrt(d)
L = np.linalg.eigvalsh(A.T @ A).max() / 2 + mu  # a curvature bound: the softmax Hessian is at most I / 2
# For an L-smooth f and p = -g every alpha <= 2 (1 - c1) / L passes, so backtracking from alpha0 needs at most:
bound = int(np.ceil(max(0.0, np.log(alpha0 * L / (2 * (1 - c1)))) / np.log(1 / rho))) + 1
x, decrease_ok, falls, trials, steps, hess_max = starts, True, True, [], [], 0.0
for _ in range(iters):
    g, fx = grad(x), f(x)
    slope = -(g * g).sum(axis=1)  # g.p for p = -g: negative, a descent direction
    alpha, _, used = backtrack(x, -g, fx, slope, np.full(n_starts, alpha0), c1, rho, 60)
    trials.append(used)
    steps.append(alpha)
    pi = np.exp(x @ A.T - b - f(x)[:, None] + mu / 2 * (x**2).sum(axis=1)[:, None])  # softmax(A x - b)
    v = pi @ A
    hess = np.einsum("ki,nk,kj->nij", A, pi, A) - v[:, :, None] * v[:, None, :] + mu * np.eye(d)
    hess_max = max(hess_max, np.linalg.eigvalsh(hess)[:, -1].max())  # the largest curvature met on the way
    x_new = x - alpha[:, None] * g
    f_new = f(x_new)  # at the point the step moves to, recomputed
    decrease_ok &= bool(np.all(f_new <= fx + c1 * alpha * slope))  # sufficient decrease
    falls &= bool(np.all(f_new < fx))
    x = x_new
trials, steps = np.array(trials), np.array(steps)  # -1 marks a search that accepted nothing
halved = np.mean(steps < alpha0)  # the share of steps the search shortened
# The same search along the ascent direction p = +g finds no acceptable step at all:
g0 = grad(starts)
up_slope = (g0 * g0).sum(axis=1)
_, _, up_trials = backtrack(starts, g0, f(starts), up_slope, np.full(n_starts, alpha0), c1, rho, up_max)
print(f"{n_starts} starts, {iters} steps each: at most {trials.max()} trials per step (bound {bound})")
print(f"accepted steps: {sorted(set(steps.ravel().tolist()))}, {halved:.0%} of them shortened")
print(f"largest Hessian eigenvalue on the way {hess_max:.2f}, below the bound L = {L:.2f}")
print(f"along +g: {np.sum(up_trials < 0)} of {n_starts} searches accept nothing in {up_max} trials")
# claim: line-search-armijo
assert decrease_ok and falls  # every accepted step: sufficient decrease, so f falls at every step
assert (
    trials.min() > 0 and trials.max() <= bound
)  # every search ended, within the number of trials the curvature bound gives
assert np.all(up_trials < 0)  # not a descent direction: no step is ever accepted
assert hess_max <= L  # L bounds the curvature at every iterate: the trial bound applies
assert set(steps.ravel().tolist()) == {alpha0, rho * alpha0} and 0.1 < halved < 0.9  # one halving or none
# --8<-- [end:armijo]

# --8<-- [start:evaluations]
tol, max_iter, fewer, n_eval = 1e-6, 4000, 5, 50
eval_starts = starts[:n_eval]


def gd_armijo(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradient descent with backtracking (alpha0 = 1 every step) until |g| < tol: f and g evaluations per start.
    f(x_k) is the accepted trial of the search before, so each iteration costs its trials and one gradient."""
    n_f, n_g = np.ones(len(x), dtype=int), np.ones(len(x), dtype=int)
    fx, g = f(x), grad(x)
    for _ in range(max_iter):
        run = np.linalg.norm(g, axis=1) >= tol
        if not run.any():
            break
        slope = -(g[run] ** 2).sum(axis=1)
        alpha, fx[run], trials = backtrack(x[run], -g[run], fx[run], slope, np.ones(run.sum()), c1, rho, 60)
        x[run] -= alpha[:, None] * g[run]
        g[run] = grad(x[run])
        n_f[run] += trials
        n_g[run] += 1
    return n_f, n_g, np.linalg.norm(g, axis=1) < tol


def gd_fixed(x: np.ndarray, lrs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent with each fixed step in lrs from every start: gradient evaluations, converged?"""
    x = np.broadcast_to(x, (len(lrs), *x.shape)).copy()
    g = grad(x)
    n_g = np.ones(x.shape[:2], dtype=int)
    for _ in range(max_iter):
        run = np.linalg.norm(g, axis=-1) >= tol
        if not run.any():
            break
        x = np.where(run[..., None], x - lrs[:, None, None] * g, x)
        g = np.where(run[..., None], grad(x), g)
        n_g += run
    return n_g, np.linalg.norm(g, axis=-1) < tol


n_f, n_g, armijo_ok = gd_armijo(eval_starts.copy())
lrs = 2.0 ** np.arange(6) / L  # from the safe step 1/L up, doubling
fixed_g, fixed_ok = gd_fixed(eval_starts, lrs)
works = fixed_ok.all(axis=1)
best = np.flatnonzero(works)[np.argmin(np.where(works, np.median(fixed_g, axis=1), np.inf)[works])]
armijo_evals = np.median(n_f + n_g)
print(f"Armijo, no tuning: median {np.median(n_f):.0f} f + {np.median(n_g):.0f} g evaluations")
for lr, count, ok in zip(lrs, np.median(fixed_g, axis=1), fixed_ok.mean(axis=1), strict=True):
    print(f"fixed step {lr:.4f}: median {count:.0f} g evaluations, {ok:.0%} of starts converge")
# claim: line-search-evaluations
assert armijo_ok.all() and works[0]  # every start reaches |g| < tol with Armijo and with the safe step
assert (
    best + 1 < len(lrs) and not works[best + 1]
)  # the best fixed step is the largest that converges: doubling it fails somewhere
assert armijo_evals * fewer < np.median(fixed_g[0])  # several times fewer evaluations in all than the safe step
assert np.median(n_g) < np.median(fixed_g[best])  # fewer gradients than the tuned step, with no tuning
assert armijo_evals > np.median(fixed_g[best])  # but not fewer evaluations in all
# --8<-- [end:evaluations]

# --8<-- [start:bracket]
import numpy as np

rng = np.random.default_rng(1)
problems, d, c1, rho, alpha0, min_span = 300, 5, 1e-4, 0.5, 1e4, 3  # alpha0 above every acceptable step


def f(x: np.ndarray) -> np.ndarray:
    """Each problem's quadratic x^T H x / 2, evaluated directly."""
    return 0.5 * np.einsum("pi,pij,pj->p", x, H, x)


def backtrack(x: np.ndarray, p: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """Armijo backtracking on every problem at once: halve alpha until f(x + alpha p) <= f(x) + c1 alpha g.p."""
    f0, slope = f(x), np.einsum("pi,pij,pj->p", p, H, x)  # g.p with g = H x
    if np.any(slope >= 0):
        raise ValueError("backtracking needs a descent direction: every slope g.p must be negative")
    for _ in range(100):
        bad = f(x + alpha[:, None] * p) > f0 + c1 * alpha * slope
        if not bad.any():
            return alpha
        alpha = np.where(bad, rho * alpha, alpha)
    raise RuntimeError("no step accepted in 100 trials")


scale = 10.0 ** rng.uniform(-2, 2, problems)  # the problems' scales span four decades
eig = scale[:, None] * rng.uniform(1, 10, (problems, d))  # each Hessian's eigenvalues, kappa up to 10
Q = np.linalg.qr(rng.normal(size=(problems, d, d)))[0]
H = Q @ (eig[:, :, None] * Q.transpose(0, 2, 1))
x = rng.normal(size=(problems, d))
p = -np.einsum("pij,pj->pi", H, x)  # steepest descent, p = -g
alpha = backtrack(x, p, np.full(problems, alpha0))
# The bound, from the eigen-decomposition rather than from f: p^T H p = sum of eig * (Q^T p)^2.
curv = (eig * np.einsum("pji,pj->pi", Q, p) ** 2).sum(axis=1)
top = 2 * (1 - c1) * (p * p).sum(axis=1) / curv  # the largest step with sufficient decrease, as -g.p = |p|^2
L = eig.max(axis=1)
span, curv_span = np.log10(alpha.max() / alpha.min()), np.log10(curv.max() / curv.min())
print(f"{problems} quadratics: accepted steps span {span:.1f} decades")
print(f"alpha / top from {(alpha / top).min():.3f} to {(alpha / top).max():.3f}; rho = {rho:g}")
# claim: line-search-bracket [problems=problems]
assert np.all(curv > 0) and np.all(alpha0 > top)  # H positive definite along p; the first trial too long
assert np.all((rho * top < alpha) & (alpha <= top))  # the exact bracket, on every problem
assert np.all(alpha > rho * 2 * (1 - c1) / L)  # so never below rho times 2 (1 - c1) / L
assert span > min_span  # the step follows the curvature across the problems: no single step would do
# --8<-- [end:bracket]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

curv_p = curv / (p * p).sum(axis=1)  # the curvature along the direction, lambda_p
grid = np.geomspace(curv_p.min(), curv_p.max(), 50)
fig, ax = plt.subplots(figsize=(6, 4))
ax.loglog(curv_p, alpha, "o", ms=3, alpha=0.6, label="accepted step")
ax.loglog(grid, 2 * (1 - c1) / grid, "k-", label=r"$2(1-c_1)/\text{curvature}$")
ax.loglog(grid, rho * 2 * (1 - c1) / grid, "k--", label=r"$\rho$ times that")
ax.set(xlabel="curvature along the direction", ylabel="accepted step", title="Armijo backtracking on quadratics")
ax.legend()
fig.tight_layout()
fig.savefig("line-search-bracket.svg")
band = alpha * curv_p / (2 * (1 - c1))  # what the alt text says: every point between the two lines
assert np.all((band > rho) & (band <= 1)) and np.log10(curv_p.max() / curv_p.min()) > min_span
# --8<-- [end:figure]

# --8<-- [start:wolfe]
import numpy as np

rng = np.random.default_rng(0)
steep = 100  # the steepness of the valley's walls


def f(x: np.ndarray) -> np.ndarray:
    """Rosenbrock's function at each row of x: a curved valley, so the slope along a line changes unevenly."""
    return (1 - x[:, 0]) ** 2 + steep * (x[:, 1] - x[:, 0] ** 2) ** 2


def grad(x: np.ndarray) -> np.ndarray:
    """Its gradient at each row of x."""
    t = x[:, 1] - x[:, 0] ** 2
    return np.c_[-2 * (1 - x[:, 0]) - 4 * steep * x[:, 0] * t, 2 * steep * t]


def wolfe(
    x: np.ndarray, p: np.ndarray, alpha0: float, c1: float, c2: float, max_trials: int
) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """A bisection for the weak Wolfe conditions, every row at once: too long (no sufficient decrease) sets
    the upper end, too short (slope still below c2 g.p) the lower end. Returns steps, trial counts, events."""
    fx, slope = f(x), (grad(x) * p).sum(axis=1)
    lo, hi, alpha = np.zeros(len(x)), np.full(len(x), np.inf), np.full(len(x), alpha0)
    done, trials = np.zeros(len(x), dtype=bool), np.zeros(len(x), dtype=int)
    events = {"too long": 0, "too short": 0, "midpoint of two nonzero ends": 0}
    for _ in range(max_trials):
        y = x + alpha[:, None] * p
        long = f(y) > fx + c1 * alpha * slope
        short = ~long & ((grad(y) * p).sum(axis=1) < c2 * slope)
        trials += ~done
        events["too long"] += int(np.sum(~done & long))
        events["too short"] += int(np.sum(~done & short))
        done |= ~long & ~short
        if done.all():
            return alpha, trials, events
        hi, lo = np.where(~done & long, alpha, hi), np.where(~done & short, alpha, lo)
        events["midpoint of two nonzero ends"] += int(np.sum(~done & (lo > 0) & np.isfinite(hi)))
        alpha = np.where(done, alpha, np.where(np.isinf(hi), 2 * lo, (lo + hi) / 2))
    raise RuntimeError(f"no Wolfe step within {max_trials} trials")


c1, c2, alpha0, iters, n_starts, max_trials, min_events = 1e-4, 0.9, 1.0, 30, 200, 60, 20
x = rng.uniform(-2, 2, size=(n_starts, 2))
both, sy_min, trials_max = True, np.inf, 0
events = dict.fromkeys(["too long", "too short", "midpoint of two nonzero ends"], 0)
for _ in range(iters):
    g = grad(x)
    slope = -(g * g).sum(axis=1)
    alpha, trials, counted = wolfe(x, -g, alpha0, c1, c2, max_trials)
    events = {k: events[k] + counted[k] for k in events}
    s = -alpha[:, None] * g
    g_new = grad(x + s)
    decrease = f(x + s) <= f(x) + c1 * alpha * slope
    curvature = (g_new * -g).sum(axis=1) >= c2 * slope
    both &= bool(np.all(decrease & curvature))
    sy_min = min(sy_min, ((g_new - g) * s).sum(axis=1).min())  # s.y: positive, what BFGS needs
    trials_max = max(trials_max, trials.max())
    x = x + s
print(f"{n_starts} starts x {iters} steps: Wolfe steps pass both conditions, at most {trials_max} trials")
print("trials rejected or bisected: " + ", ".join(f"{k} {v}" for k, v in events.items()))
# claim: line-search-wolfe
assert both  # every accepted step: sufficient decrease and the curvature condition
assert sy_min > 0  # so s.y > 0 on every step
assert trials_max < max_trials  # every search ended
assert min(events.values()) >= min_events  # both tests reject trials, and the bracket is bisected
# --8<-- [end:wolfe]

# --8<-- [start:torch]
import numpy as np
import torch

rng = np.random.default_rng(0)
d, m, mu, c1, c2 = 10, 30, 0.1, 1e-4, 0.9  # the log-sum-exp problem of the first block
A, b = rng.normal(size=(m, d)), rng.normal(size=m)


def f(x: np.ndarray) -> np.ndarray:
    """The objective at each row of x (a stable log-sum-exp)."""
    z = x @ A.T - b
    top = z.max(axis=-1)
    return top + np.log(np.exp(z - top[..., None]).sum(axis=-1)) + mu / 2 * (x**2).sum(axis=-1)


def grad(x: np.ndarray) -> np.ndarray:
    """Its gradient at each row of x: A^T softmax(A x - b) + mu x."""
    z = x @ A.T - b
    p = np.exp(z - z.max(axis=-1, keepdims=True))
    return (p / p.sum(axis=-1, keepdims=True)) @ A + mu * x


def lbfgs_steps(x0: np.ndarray, device: str, steps: int) -> np.ndarray:
    """The iterates of torch.optim.LBFGS with its strong Wolfe line search, one line search per .step()."""
    At, bt = torch.tensor(A, device=device), torch.tensor(b, device=device)
    x = torch.tensor(x0, device=device, requires_grad=True)
    # One iteration per .step(); max_eval must be set: its default, max_iter * 5 // 4 = 1, stalls it here.
    opt = torch.optim.LBFGS([x], max_iter=1, max_eval=100, line_search_fn="strong_wolfe", tolerance_grad=tol_grad)

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.logsumexp(At @ x - bt, dim=0) + mu / 2 * (x**2).sum()
        loss.backward()
        return loss

    path = [x0]
    for _ in range(steps):
        opt.step(closure)
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


def torch_grad(x0: np.ndarray, device: str) -> np.ndarray:
    """The gradient of the same f by torch autograd, at each row of x0."""
    x = torch.tensor(x0, device=device, requires_grad=True)
    At, bt = torch.tensor(A, device=device), torch.tensor(b, device=device)
    (torch.logsumexp(x @ At.T - bt, dim=1) + mu / 2 * (x**2).sum(dim=1)).sum().backward()
    return x.grad.cpu().numpy()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
tol_grad, lbfgs_iters, runs, gap_tol = 1e-6, 25, 10, 1e-9
gaps = {}
for device in devices:
    checked, gaps[device] = 0, 0.0
    for x0 in 30 * rng.normal(size=(runs, d)) / np.sqrt(d):
        path = lbfgs_steps(x0, device, lbfgs_iters)
        x, s = path[:-1], np.diff(path, axis=0)
        moved = np.abs(s).max(axis=1) > 0  # LBFGS stops moving once |g| is below tol_grad
        x, s = x[moved], s[moved]
        g, g_new = grad(x), grad(x + s)
        gs = (g * s).sum(axis=1)  # g.s = alpha g.p: negative
        # claim: line-search-torch [runs=runs devices=devices]
        assert np.all(gs < 0) and np.all(f(x + s) <= f(x) + c1 * gs)  # sufficient decrease
        assert np.all(np.abs((g_new * s).sum(axis=1)) <= c2 * np.abs(gs))  # strong curvature condition
        # Relative to the gradient at the same iterate, so the converged iterates (|g| near 1e-6) count too:
        rel = np.abs(torch_grad(path, device) - grad(path)).max(axis=1) / np.abs(grad(path)).max(axis=1)
        gaps[device] = max(gaps[device], rel.max())
        checked += len(s)
    print(f"{device}: {checked} LBFGS steps pass both strong Wolfe conditions; autograd = numpy gradient")
    print(f"{device}: largest relative gap at one iterate below {gap_tol:.0e}")
    assert checked > runs * 5 and gaps[device] < gap_tol  # many steps checked; the two gradients agree
# --8<-- [end:torch]

# --8<-- [start:exact]
import numpy as np


def steepest_descent(lam: np.ndarray, x: np.ndarray, steps: int, lr: float | None) -> np.ndarray:
    """Errors |x_k|_A on f = sum lam x^2 / 2 by steepest descent: exact line search if lr is None, else fixed lr."""
    errors = [np.sqrt((lam * x * x).sum(axis=-1))]
    for _ in range(steps):
        g = lam * x
        step = (g * g).sum(axis=-1, keepdims=True) / (lam * g * g).sum(axis=-1, keepdims=True) if lr is None else lr
        x = x - step * g
        errors.append(np.sqrt((lam * x * x).sum(axis=-1)))
    return np.array(errors)


def steps_to(errors: np.ndarray, reduction: float) -> np.ndarray:
    """The first step at which the error is below reduction times its start."""
    return np.argmax(errors < reduction * errors[0], axis=0)


kappas, reduction, dim, n_random, beat_min = np.array([10.0, 100.0, 1000.0]), 1e-6, 20, 100, 0.9
shown = ", ".join(f"{k:g}" for k in kappas)
rng = np.random.default_rng(2)
counts, medians, beat = {}, {}, {}
for kappa in kappas:
    rate = (kappa - 1) / (kappa + 1)
    lam = np.array([1.0, kappa])
    steps = int(np.ceil(np.log(reduction) / np.log(rate))) + 5  # enough for the worst start
    exact = steepest_descent(lam, np.array([kappa, 1.0]), steps, lr=None)  # Akaike's worst start
    fixed = steepest_descent(lam, np.array([kappa, 1.0]), steps, lr=2 / (1 + kappa))
    counts[kappa] = (steps_to(exact, reduction), steps_to(fixed, reduction))
    # Random starts in dim dimensions, curvatures from 1 to kappa: the same bound, usually beaten.
    lam_d, x_rand = np.geomspace(1.0, kappa, dim), rng.normal(size=(n_random, dim))
    exact_r = steepest_descent(lam_d, x_rand, steps, lr=None)
    fixed_r = steepest_descent(lam_d, x_rand, steps, lr=2 / (1 + kappa))
    ratios = np.diff(np.log(exact_r), axis=0)  # log of the factor each step multiplies the error by
    medians[kappa] = (np.median(steps_to(exact_r, reduction)), np.median(steps_to(fixed_r, reduction)))
    beat[kappa] = np.mean(ratios < np.log(rate) - 1e-9)  # the share of steps strictly better than the bound
    print(
        f"kappa {kappa:6.0f}: worst start {counts[kappa][0]:5d} steps exact, {counts[kappa][1]:5d} fixed 2/(mu+L);"
        f" random starts, median {medians[kappa][0]:6.0f} exact, {medians[kappa][1]:6.0f} fixed;"
        f" {beat[kappa]:.0%} of exact steps beat the bound"
    )
    # claim: line-search-exact
    assert np.allclose(exact[1:] / exact[:-1], rate, rtol=1e-9, atol=0)  # worst start: exactly (k-1)/(k+1)
    assert abs(counts[kappa][0] - counts[kappa][1]) <= 1  # no faster than the fixed step from there
    assert np.all(ratios <= np.log(rate) + 1e-12)  # the bound holds at every step from every random start
    assert beat[kappa] > beat_min and medians[kappa][0] < medians[kappa][1]  # but is beaten: fewer steps than eta*
assert np.all(exact_r[-1] < reduction * exact_r[0]) and np.all(fixed_r[-1] < reduction * fixed_r[0])  # all reached
growth = counts[kappas[-1]][0] / counts[kappas[0]][0]
growth_random = medians[kappas[-1]][0] / medians[kappas[0]][0]
wider = kappas[-1] / kappas[0]
print(f"steps grow {growth:.0f}x (worst start), {growth_random:.0f}x (random starts) for a {wider:.0f}x larger kappa")
assert 0.9 < growth / wider < 1.1  # linear in kappa from the worst start
assert 0.5 < growth_random / wider < 2  # and about linear from random starts
# --8<-- [end:exact]
