# Code of the Nesterov momentum page (docs/nesterov-momentum.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:rates]
from collections.abc import Callable

import numpy as np


def iterates(grad: Callable, x0: np.ndarray, L: float, steps: int, beta: float | None = None) -> np.ndarray:
    """x_1..x_steps of Nesterov's method with step 1/L, elementwise on separable problems: a gradient step from
    the look-ahead point y, with FISTA's momentum (t_k - 1) / t_(k+1) when beta is None, else the constant beta."""
    x, y, t, xs = x0, x0, 1.0, []
    for _ in range(steps):
        x_new = y - grad(y) / L  # a gradient step from the look-ahead point y
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y = x_new + ((t - 1) / t_new if beta is None else beta) * (x_new - x)
        x, t = x_new, t_new
        xs.append(x)
    return np.array(xs)


def worst_gaps(lam: np.ndarray, L: float, steps: int, beta: float | None = None) -> np.ndarray:
    """f(x_k) - f* on each quadratic lam x^2 / 2 from x_0 = 1, k = 1..steps, by iterates() (beta 0: plain GD)."""
    if not (np.isfinite(L) and L > 0):
        raise ValueError(f"L must be a finite positive smoothness constant, got L={L}")
    if np.any(lam < 0) or np.any(lam > L):
        raise ValueError(f"every curvature must lie in [0, L] for a convex L-smooth f, got {lam.min()}..{lam.max()}")
    return lam * iterates(lambda x: lam * x, np.ones_like(lam), L, steps, beta) ** 2 / 2


def slope(k: np.ndarray, gap: np.ndarray) -> float:
    """Least-squares slope of log gap against log k: -1 for O(1/k), -2 for O(1/k^2)."""
    return float(np.polyfit(np.log(k), np.log(gap), 1)[0])


L, steps, smallest = 1.0, 1000, 1e-8
lam = np.geomspace(smallest, L, 2000)  # curvatures down to almost 0: a spectrum that reaches to 0
k = np.arange(1, steps + 1)
fit_from = steps // 10
fit = k >= fit_from  # the slopes are fitted from step 100 on
# Any convex quadratic with ||x_0 - x*|| = R is a mix of these, weighted by R^2 times a probability:
# its gap after k steps is R^2 times an average of theirs, so the worst one (R = 1) is the largest.
gd = worst_gaps(lam, L, steps, beta=0.0).max(axis=1)  # no momentum: gradient descent, run
nag = worst_gaps(lam, L, steps).max(axis=1)
gd_bound, nag_bound = L / (2 * k), 2 * L / (k + 1) ** 2  # Beck & Teboulle (2009)
gd_share, nag_share = gd / gd_bound, nag / nag_bound  # how much of each bound the worst quadratic uses
gd_slope, nag_slope = slope(k[fit], gd[fit]), slope(k[fit], nag[fit])
closed_form = np.abs(gd / (lam * (1 - lam / L) ** (2 * k[:, None]) / 2).max(axis=1) - 1).max()  # x_k = (1 - lam/L)^k
# Beyond quadratics: the pseudo-Huber function sqrt(1 + x^2) - 1 (convex, f'' <= 1 = L) from far-away starts.
starts = np.geomspace(1.0, 1000.0, 200)
huber = np.sqrt(1 + iterates(lambda x: x / np.sqrt(1 + x**2), starts, L, steps) ** 2) - 1
huber_share = (huber / (nag_bound[:, None] * starts**2)).max()  # R = |x_0|: the bound is 2 L x_0^2 / (k+1)^2
print(f"worst gap after {steps} steps: GD {gd[-1]:.2e} = {gd_share[-1]:.3f} x its bound, slope {gd_slope:.3f}")
print(f"worst gap after {steps} steps: Nesterov {nag[-1]:.2e} = {nag_share[-1]:.3f} x its bound, slope {nag_slope:.3f}")
print(f"pseudo-Huber from {starts.size} starts up to {starts.max():g}: at most {huber_share:.3f} x Nesterov's bound")
tol, limit, attained = 0.03, 1 / (2 * np.e), 0.3  # GD's share tends to 1 / (2e): max of lam (1 - lam)^(2k) / 2
gd_order, nag_order, exact = -1, -2, 1e-9
# claim: nesterov-rates [curvatures=lam.size steps=steps starts=starts.size]
assert np.all(gd <= gd_bound) and np.all(nag <= nag_bound)  # under both bounds at every step
assert closed_form < exact  # the GD run is (1 - lam / L)^k
assert abs(gd_slope - gd_order) < tol and abs(nag_slope - nag_order) < tol  # the orders, measured
assert abs(gd_share[-1] / limit - 1) < tol and nag_share[fit].min() > attained  # the rates are attained
assert np.all(np.isfinite(huber)) and huber_share <= 1  # and under the bound beyond quadratics
# --8<-- [end:rates]

# --8<-- [start:heavy-ball]
from collections.abc import Callable

import numpy as np


def iterates(grad: Callable, x0: np.ndarray, L: float, steps: int, lookahead: bool) -> np.ndarray:
    """x_1..x_steps with step 1/L and FISTA's momentum, elementwise: the gradient at the look-ahead point y
    (Nesterov) or at x itself (heavy ball, x_(k+1) = x_k + beta_k (x_k - x_(k-1)) - grad(x_k) / L)."""
    x, y, t, xs = x0, x0, 1.0, []
    for _ in range(steps):
        x_new = y - grad(y if lookahead else x) / L  # y = x_k + beta_k (x_k - x_(k-1)) in both
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y = x_new + (t - 1) / t_new * (x_new - x)
        x, t = x_new, t_new
        xs.append(x)
    return np.array(xs)


L, steps = 1.0, 1000
k = np.arange(1, steps + 1)[:, None]
bound = 2 * L / (k + 1) ** 2  # Beck & Teboulle (2009), for R = 1
lam = np.geomspace(1e-8, L, 2000)  # the worst convex quadratics of the first claim
starts = np.geomspace(1.0, 1000.0, 200)  # pseudo-Huber sqrt(1 + x^2) - 1 from x_0 = starts (R = x_0)
converged, left = 1e-12, 0.1  # "converged" and "not converged" for the final gap
share, last = {}, {}
for method, lookahead in [("Nesterov", True), ("heavy ball", False)]:
    quad = lam * iterates(lambda x: lam * x, np.ones_like(lam), L, steps, lookahead) ** 2 / 2
    huber = np.sqrt(1 + iterates(lambda x: x / np.sqrt(1 + x**2), starts, L, steps, lookahead) ** 2) - 1
    share[method] = ((quad / bound).max(), (huber / (bound * starts**2)).max(axis=0))  # largest share of the bound
    last[method] = huber[-1]  # f(x_k) - f* after the last step, from every start
    final = f"{last[method].max():.1e}" if last[method].max() >= converged else f"below {converged:.0e}"
    print(f"{method:10s}: largest share of the bound: quadratics {share[method][0]:.3f}, ", end="")
    print(f"pseudo-Huber {share[method][1].max():.3f}; largest final gap {final}")
over = share["heavy ball"][1] > 1  # the starts from which heavy ball breaks the accelerated bound
stuck = starts[last["heavy ball"].argmax()]
worst, far = share["heavy ball"][1].max(), 10
# claim: nesterov-heavy-ball [starts=starts.size steps=steps]
assert share["Nesterov"][0] <= 1 and share["heavy ball"][0] <= 1  # on quadratics both are accelerated
assert share["Nesterov"][1].max() <= 1 and last["Nesterov"].max() < converged  # Nesterov: bound kept, converged
assert over.sum() > starts.size // 10 and worst > far  # heavy ball: the bound broken from many starts, by far
assert last["heavy ball"].max() > left  # and from some start it has not converged after all the steps
# --8<-- [end:heavy-ball]

# --8<-- [start:constant]
import numpy as np


def gaps(lam: np.ndarray, L: float, steps: int, beta: float | None) -> np.ndarray:
    """f(x_k) - f* on each quadratic lam x^2 / 2 (x_0 = 1), k = 1..steps, Nesterov's method with step 1/L and
    FISTA's momentum (beta None) or a constant one."""
    x, y, t, out = np.ones_like(lam), np.ones_like(lam), 1.0, []
    for _ in range(steps):
        x_new = y - lam * y / L  # the gradient step from the look-ahead point y
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y = x_new + ((t - 1) / t_new if beta is None else beta) * (x_new - x)
        x, t = x_new, t_new
        out.append(lam * x**2 / 2)
    return np.array(out)


L, steps, beta = 1.0, 1000, 0.9
lam = np.geomspace(1e-8, L, 2000)
k = np.arange(1, steps + 1)
fit_from = steps // 10
fit = k >= fit_from
per_curvature = gaps(lam, L, steps, beta)
fista, constant = gaps(lam, L, steps, None).max(axis=1), per_curvature.max(axis=1)
steepest = per_curvature[:, lam == L]  # lam = L: a step 1/L from any point lands on the minimum
gd = (lam * (1 - lam[None, :] / L) ** (2 * k[:, None]) / 2).max(axis=1)
const_slope = float(np.polyfit(np.log(k[fit]), np.log(constant[fit]), 1)[0])
like_gd = constant[-1] / (gd[-1] * (1 - beta))  # GD with the step 1 / (L (1 - beta)) in the flat directions
behind = constant[-1] / fista[-1]
print(f"constant momentum {beta}: worst gap after {steps} steps {constant[-1]:.2e}, slope {const_slope:.3f}")
print(f"{behind:.1f} x FISTA's worst gap; {like_gd:.3f} x (1 - beta) x GD's")
tol, factor, order = 0.03, 10, -1
# claim: nesterov-constant-momentum [curvatures=lam.size steps=steps]
assert abs(const_slope - order) < tol  # O(1/k), not O(1/k^2)
assert abs(like_gd - 1) < tol  # about GD's worst gap times (1 - beta)
assert behind > factor and np.all(constant[fit] > fista[fit])  # behind FISTA at every step of the fit
assert steepest.size == steps and np.all(steepest == 0)  # the look-ahead step: at the minimum at every step
# --8<-- [end:constant]

# --8<-- [start:lower-bound]
import numpy as np


def chain_grad(x: np.ndarray, L: float) -> np.ndarray:
    """Gradient of Nesterov's worst function (L/4) (x^T A x / 2 - x_1), A = tridiag(-1, 2, -1)."""
    ax = 2 * x
    ax[1:] -= x[:-1]
    ax[:-1] -= x[1:]
    ax[0] -= 1.0
    return L / 4 * ax


def chain_value(x: np.ndarray, L: float) -> float:
    """Nesterov's worst function at x: (L/4) (x^T A x / 2 - x_1)."""
    ax = 2 * x
    ax[1:] -= x[:-1]
    ax[:-1] -= x[1:]
    return float(L / 4 * (x @ ax / 2 - x[0]))


def run(L: float, n: int, steps: int, accelerated: bool) -> tuple[np.ndarray, np.ndarray]:
    """f(x_k) for k = 1..steps from x_0 = 0, and the number of nonzero leading coordinates of each x_k."""
    x, y, t, values, support = np.zeros(n), np.zeros(n), 1.0, [], []
    for _ in range(steps):
        x_new = y - chain_grad(y, L) / L
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y = x_new + (t - 1) / t_new * (x_new - x) if accelerated else x_new
        x, t = x_new, t_new
        values.append(chain_value(x, L))
        support.append(np.flatnonzero(x).max() + 1)
    return np.array(values), np.array(support)


L, horizons = 1.0, [10, 30, 100, 300]
low, high = 3 / 32, 2  # Nesterov (2004), Theorem 2.1.7, and Beck & Teboulle (2009)
flat = 1.25  # Nesterov's gap in units of L R^2 / (K+1)^2 varies by less than this factor over K
ends, gd_ends, krylov, per_step = [], [], True, True
for K in horizons:
    n = 2 * K + 1  # the worst function for step K lives in 2K + 1 dimensions
    x_star = 1 - np.arange(1, n + 1) / (n + 1)
    f_star, r2 = L / 8 * (-1 + 1 / (n + 1)), float(x_star @ x_star)
    k = np.arange(1, K + 1)
    floor = L / 8 * (1 / (k + 1) - 1 / (n + 1))  # x_k has k nonzero coordinates, so f(x_k) >= min of f on them
    for accelerated, out in [(True, ends), (False, gd_ends)]:
        values, support = run(L, n, K, accelerated)
        krylov &= bool(np.all(support <= k))
        per_step &= bool(np.all(values - f_star >= floor * (1 - 1e-12)))
        out.append((values[-1] - f_star) * (K + 1) ** 2 / (L * r2))  # gap at step K in units of L R^2 / (K+1)^2
ends, gd_ends = np.array(ends), np.array(gd_ends)
for K, e, g in zip(horizons, ends, gd_ends, strict=True):
    print(f"K = {K:3d}: gap at step K x (K+1)^2 / (L R^2): Nesterov {e:.3f}, GD {g:.3f}")
# claim: nesterov-lower-bound [horizons=len(horizons)]
assert krylov and per_step  # each x_k is supported on its first k coordinates, and pays for it
assert np.all(ends >= low) and np.all(ends <= high)  # Nesterov between the two bounds at every K
assert ends.max() / ends.min() < flat  # the order 1/K^2 itself, not only under the bound
assert np.all(np.diff(gd_ends) > 0) and gd_ends[-1] > high  # GD's share grows with K and leaves the window
# --8<-- [end:lower-bound]

# --8<-- [start:torch]
import numpy as np
import torch


def logistic_grad(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of the mean logistic loss log(1 + exp(-y x.w)), labels y in {-1, 1}."""
    return -(y / (1 + np.exp(y * (x @ w)))) @ x / len(y)


def sutskever(w0: np.ndarray, x: np.ndarray, y: np.ndarray, lr: float, mu: np.ndarray, steps: int) -> tuple:
    """Sutskever et al. (2013): v <- mu_t v - lr grad(w + mu_t v), w <- w + v; all w_t and v_t (mu: one or per step)."""
    mus, w, v, ws, vs = np.broadcast_to(mu, steps), w0.copy(), np.zeros_like(w0), [], []
    for m in mus:
        v = m * v - lr * logistic_grad(w + m * v, x, y)
        w = w + v
        ws.append(w)
        vs.append(v)
    return np.array(ws), np.array(vs)


def pytorch_form(w0: np.ndarray, x: np.ndarray, y: np.ndarray, lr: float, mu: np.ndarray, steps: int) -> tuple:
    """PyTorch's update in numpy: b <- mu_t b + g(p), p <- p - lr (g(p) + mu_t b); all p_t and b_t."""
    mus, p, b, ps, bs = np.broadcast_to(mu, steps), w0.copy(), np.zeros_like(w0), [], []
    for m in mus:
        g = logistic_grad(p, x, y)
        b = m * b + g
        p = p - lr * (g + m * b)
        ps.append(p)
        bs.append(b)
    return np.array(ps), np.array(bs)


def torch_sgd(
    w0: np.ndarray, x: np.ndarray, y: np.ndarray, lr: float, mu: np.ndarray, steps: int, device: str
) -> tuple:
    """torch.optim.SGD(nesterov=True) on the same loss, its momentum set before each step: parameter and buffer."""
    mus = np.broadcast_to(mu, steps)
    p = torch.tensor(w0, device=device, requires_grad=True)
    xt, yt = torch.tensor(x, device=device), torch.tensor(y, device=device)
    opt = torch.optim.SGD([p], lr=lr, momentum=float(mus[0]), nesterov=True)
    ps, bs = [], []
    for m in mus:
        opt.param_groups[0]["momentum"] = float(m)
        opt.zero_grad()
        torch.nn.functional.softplus(-yt * (xt @ p)).mean().backward()
        opt.step()
        ps.append(p.detach().cpu().numpy().copy())
        bs.append(opt.state[p]["momentum_buffer"].cpu().numpy().copy())
    return np.array(ps), np.array(bs)


def rel(a: np.ndarray, b: np.ndarray) -> float:
    """Largest over steps of max |a_t - b_t| / max |b_t|: an error relative to each step's own size."""
    return float((np.abs(a - b).max(axis=1) / np.abs(b).max(axis=1)).max())


rng = np.random.default_rng(0)
examples, dim, lr, mu, steps, tolerance, apart = 200, 10, 0.5, 0.9, 200, 1e-10, 1e-2
x = rng.standard_normal((examples, dim))
y = np.where(x @ rng.standard_normal(dim) + rng.standard_normal(examples) > 0, 1.0, -1.0)
w0 = rng.standard_normal(dim)
ws, vs = sutskever(w0, x, y, lr, mu, steps)
ps, bs = pytorch_form(w0, x, y, lr, mu, steps)
lookahead = rel(ps, ws + mu * vs)  # p_t = w_t + mu v_t: the look-ahead point
buffer = rel(bs, -vs / lr)  # b_t = -v_t / lr
back = rel(ps + lr * mu * bs, ws)  # and back: w_t = p_t + lr mu b_t
differ = np.abs(ps - ws).max() / np.abs(ws).max()  # PyTorch's parameter itself is not w_t
# A momentum that grows toward one, set before each step: mu_t = (t + 1) / (t + 4), FISTA-like.
schedule = (np.arange(steps) + 1) / (np.arange(steps) + 4)
ws_s, vs_s = sutskever(w0, x, y, lr, schedule, steps)
ps_s, bs_s = pytorch_form(w0, x, y, lr, schedule, steps)
# Sutskever's look-ahead for the next step is w_(t+1) + mu_(t+1) v_(t+1); PyTorch's parameter p_(t+1) is compared.
off = rel(ps_s[:-1], ws_s[:-1] + schedule[1:, None] * vs_s[:-1])
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    tp, tb = torch_sgd(w0, x, y, lr, mu, steps, device)
    tp_s, tb_s = torch_sgd(w0, x, y, lr, schedule, steps, device)
    print(f"{device}: torch vs numpy, largest relative difference {max(rel(tp, ps), rel(tb, bs), rel(tp_s, ps_s)):.0e}")
    # claim: nesterov-torch [steps=steps devices=devices]
    assert tp.shape == ps.shape == (steps, dim)
    assert rel(tp, ps) < tolerance and rel(tb, bs) < tolerance
    # claim: nesterov-torch-schedule [steps=steps devices=devices]
    assert tp_s.shape == ps_s.shape == (steps, dim)
    assert rel(tp_s, ps_s) < tolerance and rel(tb_s, bs_s) < tolerance
print(f"p_t vs w_t + mu v_t: {lookahead:.0e}; b_t vs -v_t / lr: {buffer:.0e}; p_t vs w_t: {differ:.2f}")
print(f"with mu_t per step: p_t vs Sutskever's look-ahead w_t + mu_t v_t: {off:.3f}")
# claim: nesterov-torch
assert lookahead < tolerance and buffer < tolerance and back < tolerance
assert differ > apart
# claim: nesterov-torch-schedule
assert schedule.min() > 0 and np.all(np.diff(schedule) > 0)  # a growing momentum, never zero
assert off > apart  # the relabelling no longer holds
# --8<-- [end:torch]

# --8<-- [start:not-heavy-ball]
import numpy as np


def logistic_grad(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gradient of the mean logistic loss log(1 + exp(-y x.w)), labels y in {-1, 1}."""
    return -(y / (1 + np.exp(y * (x @ w)))) @ x / len(y)


def pytorch_nesterov(w0: np.ndarray, x: np.ndarray, y: np.ndarray, lr: float, mu: float, steps: int) -> tuple:
    """PyTorch's nesterov=True update in numpy: the points p_0..p_steps and the gradients taken at them."""
    p, b, ps, gs = w0.copy(), np.zeros_like(w0), [w0.copy()], []
    for _ in range(steps):
        g = logistic_grad(p, x, y)
        b = mu * b + g
        p = p - lr * (g + mu * b)
        ps.append(p)
        gs.append(g)
    return np.array(ps), np.array(gs)


rng = np.random.default_rng(0)
examples, dim, lr, steps, mus = 200, 10, 0.5, 200, [0.5, 0.9, 0.99]
x = rng.standard_normal((examples, dim))
y = np.where(x @ rng.standard_normal(dim) + rng.standard_normal(examples) > 0, 1.0, -1.0)
w0 = rng.standard_normal(dim)
heavy_ball_miss, nesterov_miss = [], []
for mu in mus:
    ps, gs = pytorch_nesterov(w0, x, y, lr, mu, steps)
    move = np.diff(ps, axis=0)  # move t = p_(t+1) - p_t
    # Heavy ball with ANY constants (a, c) would make move_t = a move_(t-1) - c g_t: fit the best a, c.
    design = np.stack([move[:-1].ravel(), -gs[1:].ravel()], axis=1)
    (a, c), *_ = np.linalg.lstsq(design, move[1:].ravel(), rcond=None)
    heavy_ball_miss.append(np.linalg.norm(design @ [a, c] - move[1:].ravel()) / np.linalg.norm(move[1:]))
    # Nesterov's look-ahead form adds the previous gradient: move_t = mu move_(t-1) - lr (1 + mu) g_t + lr mu g_(t-1).
    exact = move[1:] - (mu * move[:-1] - lr * (1 + mu) * gs[1:] + lr * mu * gs[:-1])
    nesterov_miss.append(np.linalg.norm(exact) / np.linalg.norm(move[1:]))
    print(
        f"mu = {mu}: best heavy ball (a = {a:.3f}, c = {c:.3f}) misses the moves by {heavy_ball_miss[-1]:.1%}; ", end=""
    )
    print(f"the three-term recurrence by {nesterov_miss[-1]:.0e}")
at_least, tolerance = 1e-3, 1e-10  # a heavy-ball miss 10^7 times the recurrence's
# claim: nesterov-not-heavy-ball [steps=steps momenta=len(mus)]
assert len(heavy_ball_miss) == len(mus) == 3
assert min(heavy_ball_miss) > at_least and max(nesterov_miss) < tolerance
# --8<-- [end:not-heavy-ball]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

L, steps = 1.0, 1000
lam = np.geomspace(1e-8, L, 2000)
k = np.arange(1, steps + 1)
x, y, t, nag = np.ones_like(lam), np.ones_like(lam), 1.0, []
for _ in range(steps):  # Nesterov's method with FISTA's momentum, step 1/L, on every curvature at once
    x_new = y - lam * y / L
    t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
    y, x, t = x_new + (t - 1) / t_new * (x_new - x), x_new, t_new
    nag.append((lam * x**2 / 2).max())
nag = np.array(nag)
gd = (lam * (1 - lam[None, :] / L) ** (2 * k[:, None]) / 2).max(axis=1)
gd_bound, nag_bound = L / (2 * k), 2 * L / (k + 1) ** 2
fig, ax = plt.subplots(figsize=(7, 4))
ax.loglog(k, gd, color="C0", lw=1.8, label="gradient descent, worst quadratic")
ax.loglog(k, gd_bound, color="C0", ls="--", lw=1, label="L R² / (2k)  (Beck & Teboulle)")
ax.loglog(k, nag, color="C2", lw=1.8, label="Nesterov (FISTA momentum), worst quadratic")
ax.loglog(k, nag_bound, color="C2", ls="--", lw=1, label="2 L R² / (k+1)²  (Beck & Teboulle)")
ax.set(xlabel="step k", ylabel="f(x_k) − f*  (L = R = 1)")
ax.set_title("The worst convex quadratic: slope −1 against slope −2")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
fig.savefig("nesterov-momentum-rates.svg")

# What the figure's description says, checked on its own curves.
crossing = int(k[np.argmax(nag < gd)])  # the first step at which Nesterov's worst gap is below GD's
below = bool(np.all(nag[crossing - 1 :] < gd[crossing - 1 :]))
ahead = gd[-1] / nag[-1]
assert np.all(gd <= gd_bound) and np.all(nag <= nag_bound)
assert below and crossing < 10 and ahead > 100
# --8<-- [end:figure]
