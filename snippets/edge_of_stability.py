# Code of the Edge of stability page (docs/edge-of-stability.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:model]
import numpy as np
import torch

Params = tuple[np.ndarray, np.ndarray, np.ndarray]  # (W, b, v) for every run: (R, m, d), (R, m), (R, m)


def loss_grad(p: Params, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, Params]:
    """Loss 0.5 mean (v . tanh(W x + b) - y)^2 of every run and its gradient, by hand (backpropagation)."""
    W, b, v = p
    h = np.tanh(X @ W.transpose(0, 2, 1) + b[:, None, :])  # (R, n, m)
    r = (h @ v[:, :, None])[..., 0] - y  # residuals (R, n)
    dz = r[:, :, None] / len(X) * v[:, None, :] * (1 - h * h)
    return 0.5 * np.mean(r**2, axis=1), (dz.transpose(0, 2, 1) @ X, dz.sum(1), (r[:, None, :] @ h)[:, 0] / len(X))


def hvp(p: Params, X: np.ndarray, y: np.ndarray, u: Params) -> Params:
    """Hessian-vector product H u of every run's loss: the gradient's directional derivative (Pearlmutter's R-op)."""
    (W, b, v), (dW, db, dv), n = p, u, len(X)
    h = np.tanh(X @ W.transpose(0, 2, 1) + b[:, None, :])
    r, s = (h @ v[:, :, None])[..., 0] - y, 1 - h * h
    Rh = s * (X @ dW.transpose(0, 2, 1) + db[:, None, :])  # R{tanh(z)}
    Rr = (Rh @ v[:, :, None])[..., 0] + (h @ dv[:, :, None])[..., 0]  # R{residual}
    Rdz = (Rr[:, :, None] * v[:, None, :] + r[:, :, None] * dv[:, None, :]) / n * s
    Rdz -= 2 * r[:, :, None] / n * v[:, None, :] * h * Rh  # tanh'' = -2 tanh (1 - tanh^2)
    return Rdz.transpose(0, 2, 1) @ X, Rdz.sum(1), ((r[:, None, :] @ Rh)[:, 0] + (Rr[:, None, :] @ h)[:, 0]) / n


def dot(a: Params, c: Params) -> np.ndarray:
    """Inner product of every run's parameter vectors."""
    return sum((x * z).reshape(len(x), -1).sum(1) for x, z in zip(a, c, strict=True))


def unit(u: Params) -> Params:
    """Every run's vector scaled to length one."""
    norm = np.sqrt(dot(u, u))
    return tuple(x / norm.reshape((-1,) + (1,) * (x.ndim - 1)) for x in u)


def sharpness(p: Params, X: np.ndarray, y: np.ndarray, u: Params, iters: int) -> tuple[np.ndarray, Params]:
    """Top Hessian eigenvalue of every run by power iteration on H u, warm-started from u (any length)."""
    for _ in range(iters):
        u = unit(u)
        Hu = hvp(p, X, y, u)
        lam, u = dot(u, Hu), Hu  # the Rayleigh quotient of a unit vector
    return lam, unit(u)


def hessian(p: Params, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Every run's full Hessian (R, P, P) by formula, J^T J / n + sum_i r_i f_i'' / n: the exact check."""
    (W, b, v), (n, d), m = p, X.shape, p[2].shape[1]
    h = np.tanh(X @ W.transpose(0, 2, 1) + b[:, None, :])
    r, s = (h @ v[:, :, None])[..., 0] - y, 1 - h * h
    vs = v[:, None, :] * s  # df/db; df/dW = vs x^T; df/dv = h
    J = np.concatenate([(vs[..., None] * X[:, None, :]).reshape(len(W), n, -1), vs, h], axis=2)
    H = J.transpose(0, 2, 1) @ J / n  # the Gauss-Newton part
    a = np.hstack([X, np.ones((n, 1))])  # unit j's weights (W_j, b_j) multiply (x, 1)
    ww = np.einsum("rnj,nk,nl->rjkl", -2 * (r[..., None] * v[:, None, :]) * h * s, a, a) / n
    wv = np.einsum("rnj,nk->rjk", r[..., None] * s, a) / n  # f'' couples only a unit's own weights
    wb, iv = np.hstack([np.arange(m * d).reshape(m, d), m * d + np.arange(m)[:, None]]), m * (d + 1) + np.arange(m)
    H[:, wb[:, :, None], wb[:, None, :]] += ww
    H[:, wb, iv[:, None]] += wv
    H[:, iv[:, None], wb] += wv
    return H


def torch_grad_hvp(p: Params, X: np.ndarray, y: np.ndarray, u: Params, device: str) -> tuple[list, list]:
    """The same gradient and H u of run 0 by torch autograd (double backward), in float64."""
    W, b, v = (torch.tensor(x[0], device=device, requires_grad=True) for x in p)
    Xt, yt = torch.tensor(X, device=device), torch.tensor(y, device=device)
    loss = 0.5 * ((torch.tanh(Xt @ W.T + b) @ v - yt) ** 2).mean()
    g = torch.autograd.grad(loss, (W, b, v), create_graph=True)
    Hu = torch.autograd.grad(
        sum((gi * torch.tensor(ui[0], device=device)).sum() for gi, ui in zip(g, u, strict=True)), (W, b, v)
    )
    return [x.detach().cpu().numpy() for x in g], [x.cpu().numpy() for x in Hu]


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
rng = np.random.default_rng(0)
n, d, m, tol, rel, iters = 100, 4, 16, 1e-12, 1e-8, 300
X = rng.standard_normal((n, d))
y = np.sin(3 * X @ rng.standard_normal(d) / np.sqrt(d))  # a wiggly target, so the network must bend
p = (rng.standard_normal((1, m, d)), rng.standard_normal((1, m)), rng.standard_normal((1, m)))
u = tuple(rng.standard_normal(x.shape) for x in p)
_, g = loss_grad(p, X, y)
Hu = hvp(p, X, y, u)
# The full Hessian from H e_i for every basis vector e_i: the ground truth for power iteration.
sizes = [x[0].size for x in p]
basis = np.eye(sum(sizes))
E = tuple(
    part.reshape((-1,) + x.shape[1:]) for part, x in zip(np.split(basis, np.cumsum(sizes)[:-1], 1), p, strict=True)
)
many = tuple(np.repeat(x, len(basis), axis=0) for x in p)
H = np.concatenate([c.reshape(len(basis), -1) for c in hvp(many, X, y, E)], axis=1)
top = np.linalg.eigvalsh(H)[-1]
lam, _ = sharpness(p, X, y, u, iters)
print(f"{sum(sizes)} parameters: top eigenvalue {top:.6f} by eigh, {lam[0]:.6f} by {iters} power iterations")
worst_torch = 0.0
for device in devices:
    tg, tHu = torch_grad_hvp(p, X, y, u, device)
    err_g = max(np.abs(a[0] - c).max() / np.abs(c).max() for a, c in zip(g, tg, strict=True))
    err_h = max(np.abs(a[0] - c).max() / np.abs(c).max() for a, c in zip(Hu, tHu, strict=True))
    worst_torch = max(worst_torch, err_g, err_h)
    # claim: eos-hvp [devices=devices]
    assert err_g < tol and err_h < tol
print(f"numpy vs torch autograd, gradient and H u: {'below' if worst_torch < tol else 'above'} {tol:g} relative")
assert np.abs(H - H.T).max() < tol * np.abs(H).max()  # symmetric, as a Hessian must be
assert np.abs(hessian(p, X, y)[0] - H).max() < tol * np.abs(H).max()  # the formula used below as ground truth
assert abs(lam[0] - top) < rel * abs(top)  # power iteration finds the top eigenvalue
# --8<-- [end:model]

# --8<-- [start:run]
lrs, seeds, steps, every, warm = np.array([0.2, 0.4, 0.5, 0.6]), 5, 1200, 10, 20
lr = np.repeat(lrs, seeds)  # runs: every step size with the same five initializations
init = np.random.default_rng(1)
W0, v0 = init.standard_normal((seeds, m, d)) / np.sqrt(d), 0.3 * init.standard_normal((seeds, m)) / np.sqrt(m)
p = (np.tile(W0, (len(lrs), 1, 1)), np.zeros((len(lr), m)), np.tile(v0, (len(lrs), 1)))
u = tuple(init.standard_normal(x.shape) for x in p)
losses, sharp, exact, bottom = [], [], [], []
for t in range(steps):
    if t % every == 0:  # the top eigenvalue every few steps, by a few warm-started power iterations ...
        lam, u = sharpness(p, X, y, u, warm)
        sharp.append(lam)
        eig = np.linalg.eigvalsh(hessian(p, X, y))  # ... and, to check them, exactly
        exact.append(eig[:, -1])
        bottom.append(eig[:, 0])
    loss, g = loss_grad(p, X, y)
    losses.append(loss)
    p = tuple(x - lr.reshape((-1,) + (1,) * (x.ndim - 1)) * gx for x, gx in zip(p, g, strict=True))  # gradient descent
losses, sharp, exact, bottom = np.array(losses).T, np.array(sharp).T, np.array(exact).T, np.array(bottom).T
ratio = exact * lr[:, None] / 2  # the exact sharpness in units of 2 / lr
shortfall = 1 - sharp / exact  # how far each power-iteration estimate falls below it
late = ratio[:, -ratio.shape[1] // 4 :]  # the last quarter of the run
median, worst = np.median(late, axis=1), np.abs(late - 1).max(axis=1)
up = np.diff(losses, axis=1) > 0
rises = up.sum(axis=1)
eos = lr > lrs[0]  # the runs with the three larger steps
runs = int(eos.sum())
crossed = np.argmax(ratio > 1, axis=1) * every  # the first check with sharpness above 2 / lr
gap = np.argmax(up, axis=1)[eos] + 1 - crossed[eos]  # steps from then to the first rise of the loss
above = (late[eos] > 1).mean(axis=1)  # each run's share of late checks above 2 / lr
boot = np.random.default_rng(2).choice(above, (10_000, runs)).mean(axis=1)  # resampling the runs
level = 0.95
low, high = np.percentile(boot, [50 * (1 - level), 50 * (1 + level)])
for step in lrs:
    at = lr == step
    print(
        f"lr {step:g}: sharpness * lr / 2 starts at {ratio[at, 0].min():.2f}-{ratio[at, 0].max():.2f}, "
        f"last quarter median {median[at].min():.3f}-{median[at].max():.3f}; "
        f"loss rises at {rises[at].min()}-{rises[at].max()} steps"
    )
print(
    f"power iteration, {warm} products per check: at most {shortfall.max():.1%} below eigh, "
    f"{'never' if shortfall.min() > -1e-9 else 'sometimes'} above"
)
print(f"last quarter above 2 / lr: {above.mean():.0%} of checks ({level:.0%} interval over runs {low:.0%}-{high:.0%})")
pi_tol, start_below, band, wide, fall, share = 0.1, 0.8, 0.05, 0.15, 0.5, 0.4
# claim: eos-estimate
assert np.all(shortfall > -1e-9) and np.all(shortfall < pi_tol)  # at or below the top eigenvalue, and close
assert np.all(-bottom < exact)  # the top eigenvalue is the largest in absolute value, so power iteration finds it
# claim: eos-sharpening
assert np.all(ratio[eos, 0] < start_below)  # every run starts well below 2 / lr ...
assert np.all(ratio[eos].max(axis=1) > 1)  # ... and its sharpness rises past it
# claim: eos-hover
assert np.all(np.abs(median[eos] - 1) < band)  # the median of the last quarter, near 2 / lr
assert np.all(worst[eos] < wide)  # and every value of the last quarter within the wider band
# claim: eos-loss
assert np.all(np.isfinite(losses)) and np.all(losses[eos, -1] < fall * losses[eos, 0])  # it falls overall
assert np.all(rises[eos] > 0) and np.all(gap > 0)  # but not at every step, and only once past the edge
# claim: eos-beyond-quadratic
assert low > share  # lr > 2 / sharpness at many late checks, over the runs
assert np.all(np.isfinite(losses[eos])) and np.all(losses[eos, -1] < losses[eos, 0])  # and training goes on
# claim: eos-small-step [seeds=seeds]
assert np.all(ratio[~eos].max(axis=1) < start_below)  # lr = 0.2 never comes near its edge
assert np.all(rises[~eos] == 0)  # and its loss falls at every step
# --8<-- [end:run]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
checks = np.arange(ratio.shape[1]) * every
for step in lrs:
    run = np.flatnonzero(lr == step)[0]  # the first initialization
    left.plot(checks, ratio[run] * 2 / step, label=f"lr = {step:g}")
    left.axhline(2 / step, color=left.lines[-1].get_color(), ls=":", lw=1)
    right.semilogy(losses[run], lw=1, label=f"lr = {step:g}")
left.set(xlabel="step", ylabel="top Hessian eigenvalue", title="sharpness; dotted: 2 / lr")
right.set(xlabel="step", ylabel="training loss", title="loss")
left.legend(fontsize=8)
fig.tight_layout()
fig.savefig("edge-of-stability.svg")
shown = np.array([np.flatnonzero(lr == step)[0] for step in lrs])
# What the figure's description says, checked on the plotted runs:
assert np.all(np.abs(median[shown[1:]] - 1) < band)  # the three larger steps end at their 2 / lr
assert ratio[shown[0]].max() < start_below  # the smallest stays below its own
assert np.all(rises[shown[1:]] > 0) and rises[shown[0]] == 0  # jagged and smooth loss curves
# --8<-- [end:figure]
