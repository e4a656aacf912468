# Code of the loss-surface page (docs/loss-surface.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figures.

# --8<-- [start:losses]
import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(0)
x = rng.uniform(-2, 2, 40)
y = 1.5 * x - 0.5 + 0.3 * rng.standard_normal(40)  # a regression target
t = (x + 0.5 * rng.standard_normal(40) > 0.3).astype(float)  # a 0/1 class label


def mse(w, b):
    """Mean squared error of y_hat = w x + b, for whole grids of (w, b) at once."""
    return ((w[..., None] * x + b[..., None] - y) ** 2).mean(-1)


def mae(w, b):
    """Mean absolute error of y_hat = w x + b."""
    return np.abs(w[..., None] * x + b[..., None] - y).mean(-1)


def cross_entropy(w, b):
    """Binary cross-entropy of p = sigmoid(w x + b) against the labels t."""
    z = w[..., None] * x + b[..., None]
    log_p, log_1mp = -np.logaddexp(0, -z), -np.logaddexp(0, z)  # log p and log(1 - p), computed stably
    return -(t * log_p + (1 - t) * log_1mp).mean(-1)


n_grid, tol = 51, 1e-12
w, b = np.meshgrid(np.linspace(-1, 4, n_grid), np.linspace(-3, 2, n_grid))
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    W, B = (torch.tensor(v, device=device).reshape(-1, 1) for v in (w, b))
    X, Y, T = (torch.tensor(v, device=device).expand(W.shape[0], -1) for v in (x, y, t))
    torch_values = {
        "MSE": F.mse_loss(W * X + B, Y, reduction="none").mean(1),
        "MAE": F.l1_loss(W * X + B, Y, reduction="none").mean(1),
        "CE": F.binary_cross_entropy_with_logits(W * X + B, T, reduction="none").mean(1),
    }
    ours = {"MSE": mse(w, b), "MAE": mae(w, b), "CE": cross_entropy(w, b)}
    gaps = {k: np.abs(ours[k].ravel() - v.cpu().numpy()).max() for k, v in torch_values.items()}
    # claim: surface-loss-formulas [devices=devices points=w.size]
    assert w.size == n_grid**2 and max(gaps.values()) < tol
print(f"MSE, MAE and CE agree with torch to {tol:.0e} at all {w.size} grid points")
# --8<-- [end:losses]

# --8<-- [start:losses-figure]
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(0)
x = rng.uniform(-2, 2, 40)
y = 1.5 * x - 0.5 + 0.3 * rng.standard_normal(40)
t = (x + 0.5 * rng.standard_normal(40) > 0.3).astype(float)
w, b = np.meshgrid(np.linspace(-1, 4, 41), np.linspace(-3, 2, 41))
z = w[..., None] * x + b[..., None]  # the model's output for every (w, b) on the grid and every x
surfaces = {
    "MSE": ((z - y) ** 2).mean(-1),
    "MAE": np.abs(z - y).mean(-1),
    "cross-entropy": (np.logaddexp(0, z) - t * z).mean(-1),  # = -[t log p + (1 - t) log(1 - p)]
}
fig, lowest = plt.figure(figsize=(9, 5.8)), {}
for k, (name, loss) in enumerate(surfaces.items()):
    ax = fig.add_subplot(2, 3, k + 1)
    ax.contourf(w, b, loss, levels=20, cmap="viridis", rasterized=True)
    i = lowest[name] = np.unravel_index(loss.argmin(), loss.shape)
    ax.plot(w[i], b[i], "r*", ms=10)
    ax.set(title=name, xlabel="w", ylabel="b")
    ax3 = fig.add_subplot(2, 3, k + 4, projection="3d")
    ax3.plot_surface(w, b, loss, cmap="viridis", rstride=2, cstride=2, linewidth=0, rasterized=True)
    ax3.set(xlabel="w", ylabel="b", zlabel="loss")
    ax3.view_init(elev=30, azim=-60)
fig.tight_layout()
fig.savefig("loss-surface-losses.svg", dpi=80)  # dpi of the rasterized surfaces

# What the description says: every lowest grid point is inside the grid, cross-entropy's near its large-w edge.
inside = [0 < i < len(w) - 1 for name in surfaces for i in lowest[name]]
assert all(inside) and w[lowest["cross-entropy"]] > w.min() + 0.9 * (w.max() - w.min())
# Cross-entropy's curvature there is mean(p (1 - p) [x, 1][x, 1]^T): a mild condition number, not a long valley.
p = 1 / (1 + np.exp(-(w[lowest["cross-entropy"]] * x + b[lowest["cross-entropy"]])))
features = np.stack([x, np.ones_like(x)], 1)
condition = np.linalg.cond((p * (1 - p) * features.T) @ features / len(x))
assert condition < 10
# With separable labels t = [x > c] there is no minimizer: along the ray b = -c w the loss keeps falling.
c = 0.3
ray = w[0][w[0] > 0]
separable = (np.logaddexp(0, ray[:, None] * (x - c)) - (x > c) * ray[:, None] * (x - c)).mean(-1)
assert np.all(np.diff(separable) < 0)
# --8<-- [end:losses-figure]

# --8<-- [start:convexity]
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(1)
x = rng.uniform(-2, 2, 50)
y = np.tanh(2 * x) + 0.1 * rng.standard_normal(50)


def linear_loss(theta):
    """L(w, b) = mean((w x + b - y)^2) for a batch of (w, b) rows."""
    return ((theta[:, :1] * x + theta[:, 1:] - y) ** 2).mean(1)


def linear_grad(theta):
    """Gradient of linear_loss, by hand."""
    r = theta[:, :1] * x + theta[:, 1:] - y
    return 2 * np.stack([(r * x).mean(1), r.mean(1)], axis=1)


def net_loss(theta):
    """L(w, v) = mean((v tanh(w x) - y)^2): a network with one hidden tanh unit and no biases."""
    return ((theta[:, 1:] * np.tanh(theta[:, :1] * x) - y) ** 2).mean(1)


def net_grad(theta):
    """Gradient of net_loss with respect to (w, v), by the chain rule."""
    w, v = theta[:, :1], theta[:, 1:]
    h = np.tanh(w * x)
    r = v * h - y
    return 2 * np.stack([(r * v * (1 - h**2) * x).mean(1), (r * h).mean(1)], axis=1)


def differences(f, points, h):
    """Central differences of f (rows in, values out) along both coordinates: stacked on the last axis."""
    return np.stack([(f(points + h * e) - f(points - h * e)) / (2 * h) for e in np.eye(2)], axis=-1)


def descend(grad, starts, lr=0.5, steps=3000):
    """Gradient descent from every start (row) at once."""
    theta = starts.copy()
    for _ in range(steps):
        theta -= lr * grad(theta)
    return theta


n_starts, box, tol = 20, 3, 1e-6
starts = rng.uniform(-box, box, size=(n_starts, 2))
# Linear model: the Hessian is the same 2x2 matrix everywhere, 2/n [[sum x^2, sum x], [sum x, n]].
hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
# Both the hand gradient and the hand Hessian are checked against the loss itself, at every start.
grad_gap = np.abs(linear_grad(starts) - differences(linear_loss, starts, 1e-5)).max()
hessian_gap = np.abs(differences(linear_grad, starts, 1e-3) - hessian).max()
least_squares = np.linalg.lstsq(np.stack([x, np.ones_like(x)], 1), y, rcond=None)[0]
ends = descend(linear_grad, starts)
spread = np.abs(ends - least_squares).max()
print(f"linear model: Hessian eigenvalues {np.linalg.eigvalsh(hessian).round(3)}, all {n_starts} runs end at one point")
# claim: surface-linear-convex [starts=len(starts)]
assert grad_gap < 1e-8 and hessian_gap < 1e-10  # the formulas are those of this loss
assert np.linalg.eigvalsh(hessian).min() > 0  # positive definite everywhere: strictly convex
assert spread < tol  # so every start reaches the one minimum

ends = descend(net_grad, starts)
minima = np.unique(ends.round(4), axis=0)
middle = minima.mean(0, keepdims=True)
# The hand gradient against differences of the loss, at the starts (large gradients) and at the end points.
net_grad_gap = np.abs(
    net_grad(np.vstack([starts, ends])) - differences(net_loss, np.vstack([starts, ends]), 1e-6)
).max()
end_slope = np.abs(differences(net_loss, ends, 1e-6)).max()  # the loss's own slope where descent stopped
curvature = {
    name: np.linalg.eigvalsh(differences(net_grad, p, 1e-5)) for name, p in [("minima", minima), ("middle", middle)]
}
for m in minima:
    print(f"tiny network: minimum at (w, v) = ({m[0]:+.3f}, {m[1]:+.3f}), loss {net_loss(m[None])[0]:.4f}")
print(
    f"at their midpoint ({middle[0, 0]:+.3f}, {middle[0, 1]:+.3f}) the loss is {net_loss(middle)[0]:.4f},",
    f"Hessian eigenvalues {curvature['middle'][0].round(3)}: a saddle point",
)
# claim: surface-tiny-net-nonconvex [starts=len(starts)]
assert net_grad_gap < 1e-8  # net_grad is the gradient of net_loss
assert len(minima) == 2 and end_slope < 1e-8  # two distinct end points where the loss is flat
assert np.linalg.norm(minima[0] - minima[1]) > 1 and np.abs(minima[0] + minima[1]).max() < 1e-3  # mirror images
assert np.all(curvature["minima"] > 0)  # positive definite Hessian: strict minima
assert net_loss(middle)[0] > net_loss(minima).max() + 0.1  # convexity would forbid a bump in between
assert np.abs(middle).max() < 1e-3 and np.abs(net_grad(np.zeros((1, 2)))).max() < 1e-12  # the origin: stationary
assert curvature["middle"].min() < -0.1 < 0.1 < curvature["middle"].max()  # curving down and up: a saddle

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
a, c = np.meshgrid(np.linspace(-3, 3, 81), np.linspace(-3, 3, 81))
grid = np.stack([a.ravel(), c.ravel()], 1)
for ax, loss, found, title, names in [
    (axes[0], linear_loss(grid), least_squares[None], "linear model + MSE: convex", ("w", "b")),
    (axes[1], net_loss(grid), minima, "v·tanh(w x) + MSE: not convex", ("w", "v")),
]:
    ax.contourf(a, c, np.log10(loss.reshape(a.shape)), levels=25, cmap="viridis", rasterized=True)
    ax.plot(starts[:, 0], starts[:, 1], "w.", ms=4, label=f"{n_starts} starts")
    ax.plot(found[:, 0], found[:, 1], "r*", ms=12, label="where gradient descent ends")
    ax.set(title=title, xlabel=names[0], ylabel=names[1])
axes[0].legend(loc="lower right", fontsize=8)
fig.tight_layout()
fig.savefig("loss-surface-convexity.svg")
# --8<-- [end:convexity]

# --8<-- [start:l2]
import torch

SIZES = (2, 8, 8, 1)  # a 2-8-8-1 tanh network, its parameters in one flat vector theta


def mlp(theta, x, sizes=(2, 8, 8, 1)):
    """The network's output for a flat parameter vector theta (leading batch dimensions allowed)."""
    h, i = x, 0
    for k, (m, n) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        weight, bias = theta[..., i : i + m * n].unflatten(-1, (m, n)), theta[..., i + m * n : i + m * n + n]
        h, i = h @ weight + bias.unsqueeze(-2), i + m * n + n
        h = torch.tanh(h) if k < len(sizes) - 2 else h
    return h.squeeze(-1)


def l2_shift(lam, device, seed=0, sizes=(2, 8, 8, 1)):
    """Hessian eigenvalues of L(theta) and of L(theta) + lam ||theta||^2 at the same theta."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(64, 2, generator=g, dtype=torch.float64).to(device)
    y = torch.sin(2 * x[:, 0]) * x[:, 1]
    size = sum(m * n + n for m, n in zip(sizes[:-1], sizes[1:], strict=True))
    theta = torch.randn(size, generator=g, dtype=torch.float64).to(device)

    def loss(p):
        return ((mlp(p, x, sizes) - y) ** 2).mean()

    def regularized(p):
        return loss(p) + lam * (p**2).sum()

    hessian = torch.autograd.functional.hessian
    return torch.linalg.eigvalsh(hessian(loss, theta)), torch.linalg.eigvalsh(hessian(regularized, theta))


shape = "-".join(map(str, SIZES))
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
lam, tol = 0.01, 1e-10
for device in devices:
    plain, regularized = l2_shift(lam, device, sizes=SIZES)
    shift = regularized - plain  # eigenvalues come sorted, so they pair up one to one
    # claim: surface-l2-shift [devices=devices eigenvalues=len(plain)]
    assert (shift - 2 * lam).abs().max() < tol
    assert plain.min() < 0  # this theta is not a minimum: L2 shifts curvature, it need not remove every dip
print(f"{len(plain)} eigenvalues, from {plain.min():+.3f} to {plain.max():+.3f} without the penalty")
print(f"with lam = {lam}: every one moves by {shift.min():.10f} to {shift.max():.10f}")
# --8<-- [end:l2]

# --8<-- [start:interpolation]
import matplotlib.pyplot as plt
import torch

SIZES = [2, 16, 16, 1]


def mlp(theta, x):
    """The network's output for flat parameter vectors theta of shape (..., P)."""
    h, i = x, 0
    for k, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:], strict=True)):
        weight, bias = theta[..., i : i + m * n].unflatten(-1, (m, n)), theta[..., i + m * n : i + m * n + n]
        h, i = h @ weight + bias.unsqueeze(-2), i + m * n + n
        h = torch.tanh(h) if k < len(SIZES) - 2 else h
    return h.squeeze(-1)


def init(seeds, generator):
    """One flat parameter vector per seed: weights N(0, 1/fan_in), biases zero."""
    parts = []
    for m, n in zip(SIZES[:-1], SIZES[1:], strict=True):
        parts += [torch.randn(seeds, m * n, generator=generator) / m**0.5, torch.zeros(seeds, n)]
    return torch.cat(parts, 1)


g = torch.Generator().manual_seed(0)
x = torch.randn(256, 2, generator=g)
y = torch.sin(2 * x[:, 0]) * torch.cos(x[:, 1])  # synthetic data, made here


def loss(theta):
    """Mean squared error of every parameter vector in theta (..., P) on the data."""
    return ((mlp(theta, x) - y) ** 2).mean(-1)


seeds, min_monotone, shape = 20, 15, "-".join(map(str, SIZES))
theta0 = init(seeds, g)  # independent networks, trained side by side
theta = theta0.clone().requires_grad_(True)
opt = torch.optim.Adam([theta], lr=0.01)
for _ in range(400):
    opt.zero_grad()
    loss(theta).sum().backward()  # the networks share no parameters: each gets its own gradient
    opt.step()

alphas = torch.arange(-200, 601) / 400  # -0.5 to 1.5 in steps of 1/400, with 0 and 1 exactly on the grid
spacing, start, end = (alphas[1] - alphas[0]).item(), int((alphas == 0).nonzero()), int((alphas == 1).nonzero())
with torch.no_grad():
    path = loss((1 - alphas[:, None, None]) * theta0 + alphas[:, None, None] * theta)  # (alpha, seed)
segment = path[start : end + 1]
bump_height = (segment - segment.cummin(0).values).max(0).values  # per seed: highest rise above the loss so far
monotone, bump = (bump_height <= 0).sum().item(), 0.01  # never rising from one sample to the next
rises = (path[-1] > path[end]).sum().item()
initial, trained = path[start].mean().item(), path[end].mean().item()
print(f"loss from {initial:.3f} at theta0 to {trained:.4f} at theta* (means over {seeds} seeds)")
print(f"never rises along the segment for {monotone} of {seeds} seeds; the others rise by more than {bump:g}")
print(f"rises again past theta* (alpha = {alphas[-1]:.1f}) for {rises} of {seeds} seeds")
# claim: surface-interpolation [seeds=len(theta)]
assert len(theta) == seeds and monotone >= min_monotone
assert (bump_height < bump).sum().item() == monotone  # the same count for any tolerance up to `bump`
assert rises == seeds

fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.semilogy(alphas, path, color="C0", alpha=0.35, lw=1)
ax.axvline(0, color="0.5", ls=":")
ax.axvline(1, color="0.5", ls=":")
ax.set(
    xlabel="α   (θ = (1 − α) θ₀ + α θ*)",
    ylabel="training loss",
    title=f"{seeds} seeds: initial (α = 0) to trained (α = 1)",
)
fig.tight_layout()
fig.savefig("loss-surface-interpolation.svg")
# --8<-- [end:interpolation]

# --8<-- [start:slice]
import copy

import matplotlib.pyplot as plt
import torch
from torch import nn


def filter_normalized_directions(model: nn.Module, seed: int = 0) -> tuple[dict, dict]:
    """Two random directions, each filter scaled to the norm of the same filter in the model (Li et al., 2018)."""
    g = torch.Generator().manual_seed(seed)
    pair = ({}, {})
    for name, p in model.named_parameters():
        for d in pair:
            r = torch.randn(p.shape, generator=g, dtype=p.dtype).to(p.device)
            if p.dim() <= 1:
                d[name] = torch.zeros_like(p)  # biases stay put, as in Li et al.'s code
            else:  # one filter = one output row: d_i <- d_i ||theta_i|| / ||d_i||
                scale = p.detach().flatten(1).norm(dim=1) / r.flatten(1).norm(dim=1)
                d[name] = r * scale.view(-1, *[1] * (p.dim() - 1))
    return pair


def loss_slice(model, loss_fn, x, y, directions, radius=1.0, steps=41, chunk=128):
    """Loss at theta* + a d1 + b d2 on a steps x steps grid of (a, b) in [-radius, radius]^2, in batches."""
    if not isinstance(steps, int) or steps < 3 or steps % 2 == 0:
        raise ValueError(f"steps must be an odd integer >= 3 so the grid holds the trained point; got {steps!r}")
    if not radius > 0:
        raise ValueError(f"radius must be positive; got {radius!r}")
    half = steps // 2
    coords = torch.arange(-half, half + 1, dtype=torch.float64) * (radius / half)  # exactly symmetric, 0 in the middle
    a, b = (c.ravel() for c in torch.meshgrid(coords, coords, indexing="ij"))
    theta = {n: p.detach() for n, p in model.named_parameters()}
    buffers = dict(model.named_buffers())
    d1, d2 = directions

    def loss_at(ai, bi):
        moved = {n: theta[n] + ai * d1[n] + bi * d2[n] for n in theta}
        return loss_fn(torch.func.functional_call(model, (moved, buffers), (x,)), y)

    modes = {m: m.training for m in model.modules()}
    model.eval()
    try:
        with torch.inference_mode():  # evaluation only: no autograd bookkeeping at all
            dtype, device = next(iter(theta.values())).dtype, x.device
            a, b = a.to(dtype=dtype, device=device), b.to(dtype=dtype, device=device)
            values = torch.cat(
                [torch.vmap(loss_at)(a[i : i + chunk], b[i : i + chunk]) for i in range(0, len(a), chunk)]
            )
    finally:
        for m, mode in modes.items():
            m.training = mode
    return coords, values.reshape(steps, steps)


def loss_per_point(model, loss_fn, x, y, directions, coords):
    """The same grid one point at a time: load theta* + a d1 + b d2 into a copy of the model, evaluate."""
    probe, d1, d2 = copy.deepcopy(model).eval(), *directions
    theta = {n: p.detach().clone() for n, p in model.named_parameters()}
    values = torch.empty(len(coords), len(coords), dtype=torch.float64)
    with torch.no_grad():
        for i, a in enumerate(coords.tolist()):
            for j, b in enumerate(coords.tolist()):
                for name, p in probe.named_parameters():
                    p.copy_(theta[name] + a * d1[name] + b * d2[name])
                values[i, j] = loss_fn(probe(x), y).item()
    return values


def trained_model(device):
    """A 2-32-32-1 tanh network fitted to synthetic data (nothing downloaded), in float64."""
    torch.manual_seed(0)
    x = torch.randn(256, 2, dtype=torch.float64, device=device)
    y = (torch.sin(2 * x[:, 0]) * torch.cos(x[:, 1]))[:, None]
    layers = [nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 1)]
    model = nn.Sequential(*layers).to(dtype=torch.float64, device=device)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(300):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    opt.zero_grad(set_to_none=True)
    return model, x, y


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
steps, radius, tol = 41, 1.0, 1e-12  # tol: relative; float64 throughout, so only summation order differs
for device in devices:
    model, x, y = trained_model(device)
    before = copy.deepcopy(model.state_dict())
    directions = filter_normalized_directions(model, seed=0)
    coords, values = loss_slice(model, nn.functional.mse_loss, x, y, directions, radius=radius, steps=steps)
    c = len(coords) // 2
    trained_loss = nn.functional.mse_loss(model(x), y).item()
    reference = loss_per_point(model, nn.functional.mse_loss, x, y, directions, coords)
    gap = ((values.cpu().double() - reference) / reference).abs().max().item()
    # claim: surface-slice-grid [devices=devices points=values.numel()]
    assert values.shape == (steps, steps) and coords[0] == -radius and coords[-1] == radius
    assert torch.equal(coords, -coords.flip(0)) and coords[c] == 0  # symmetric, trained point in the middle
    assert abs(values[c, c].item() - trained_loss) < tol * trained_loss
    # claim: surface-slice-matches [devices=devices points=values.numel()]
    assert gap < tol
    # claim: surface-slice-untouched [devices=devices]
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    assert all(p.grad is None for p in model.parameters()) and model.training
print(f"{values.numel()} points, loss {values.min():.4f} to {values.max():.3f}, at the centre {values[c, c]:.5f}")
print(f"largest relative gap to a per-point evaluation below {tol:.0e}: {gap < tol}")

fig, ax = plt.subplots(figsize=(5.2, 4.4))
levels = torch.quantile(values.cpu().flatten(), torch.linspace(0, 1, 21, dtype=values.dtype)).numpy()
surface = ax.contourf(coords, coords, values.cpu().T, levels=levels, cmap="viridis", rasterized=True)
ax.contour(coords, coords, values.cpu().T, levels=levels, colors="white", linewidths=0.3)
ax.plot(0, 0, "r*", ms=12, label="trained parameters θ*")
fig.colorbar(surface, ax=ax, label="training loss (MSE)", format="%.2f")
ax.set(xlabel="a (along d₁)", ylabel="b (along d₂)", title="L(θ* + a d₁ + b d₂), filter-normalized d")
ax.legend(loc="upper right", fontsize=8)
fig.tight_layout()
fig.savefig("loss-surface-slice.svg")
# --8<-- [end:slice]

# --8<-- [start:trajectory]
import matplotlib.pyplot as plt
import torch

SIZES = [2, 16, 16, 1]


def mlp(theta, x):
    """The network's output for flat parameter vectors theta of shape (..., P)."""
    h, i = x, 0
    for k, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:], strict=True)):
        weight, bias = theta[..., i : i + m * n].unflatten(-1, (m, n)), theta[..., i + m * n : i + m * n + n]
        h, i = h @ weight + bias.unsqueeze(-2), i + m * n + n
        h = torch.tanh(h) if k < len(SIZES) - 2 else h
    return h.squeeze(-1)


g = torch.Generator().manual_seed(0)
x = torch.randn(256, 2, generator=g)
y = torch.sin(2 * x[:, 0]) * torch.cos(x[:, 1])


def loss(theta):
    """Mean squared error of every parameter vector in theta (..., P)."""
    return ((mlp(theta, x) - y) ** 2).mean(-1)


parts = []
for m, n in zip(SIZES[:-1], SIZES[1:], strict=True):
    parts += [torch.randn(m * n, generator=g) / m**0.5, torch.zeros(n)]
theta = torch.cat(parts).requires_grad_(True)
steps, shape, k, min_pca, max_random = 300, "-".join(map(str, SIZES)), 2, 0.8, 0.05
opt = torch.optim.SGD([theta], lr=0.1, momentum=0.9)
path = [theta.detach().clone()]
for _ in range(steps):
    opt.zero_grad()
    loss(theta).backward()
    opt.step()
    path.append(theta.detach().clone())
path = torch.stack(path)  # (steps + 1, P): the whole trajectory
final = path[-1]

# Principal directions of the trajectory: PCA of the iterates (centred, as Li et al.'s code does with sklearn).
offsets = path - final  # the path relative to where it ends: the end point is the origin of the plane
centred = offsets - offsets.mean(0)
_, s, vt = torch.linalg.svd(centred, full_matrices=False)
pcs, shares = vt[:k], s**2 / (s**2).sum()  # k orthonormal directions; the variance each direction holds
pca_share = shares[:k].sum()
# The same share for k random orthonormal directions, over many draws (expected value k / P).
draws = 200
random_dirs = torch.linalg.qr(torch.randn(draws, len(final), k, generator=g))[0]  # (draws, P, k)
random_shares = ((centred @ random_dirs) ** 2).sum((1, 2)) / (centred**2).sum()
random_share, random_max, expected = random_shares.mean(), random_shares.max(), k / len(final)
print(f"{len(final)} parameters, {len(path) - 1} steps")
print(f"variance of the trajectory in {k} principal directions: {pca_share:.1%}")
print(f"in {k} random ones: {random_share:.2%} on average over {draws} draws (k/P = {expected:.2%}),", end=" ")
print(f"at most {random_max:.1%}")
# claim: surface-trajectory-pca [parameters=len(final) draws=draws]
assert len(path) == steps + 1 and pca_share > min_pca and random_max < max_random
assert abs(random_share / expected - 1) < 0.5  # the average is about k / P, as for any fixed set of vectors
covariance = torch.linalg.eigvalsh(torch.cov(path.T))  # the variance, computed another way
assert abs(covariance[-k:].sum() / covariance.sum() - pca_share) < 1e-4

# A projection is many-to-one: move theta* along a direction the projection cannot see.
u = torch.randn(len(final), generator=g)
u -= pcs.T @ (pcs @ u)  # orthogonal to both principal directions
hidden = final + final.norm() * u / u.norm()
same_spot, spot_tol, factor = ((hidden - final) @ pcs.T).abs().max(), 1e-4, 5
print(f"two parameter vectors at the same projected point: loss {loss(final):.4f} and {loss(hidden):.3f}")
# claim: surface-projection-not-a-surface
assert same_spot < spot_tol and loss(hidden) > factor * loss(final)
assert abs((hidden - final).norm() / final.norm() - 1) < 1e-6  # moved by exactly |theta*|
# The drawn path is such a projection too: the contour under a projected iterate is not that iterate's loss.
coords = (offsets @ pcs.T).detach()  # the path in the plane of the two principal directions
with torch.no_grad():
    along_path, under_path = loss(path), loss(final + coords @ pcs)
mismatch = ((along_path - under_path).abs() / along_path).max()
print(f"first iterate: loss {along_path[0]:.3f}, contour under its projection {under_path[0]:.3f}")
assert mismatch > 0.1 and (along_path[0] - under_path[0]).abs() > 0.1 * along_path[0]

span = coords.abs().max(0).values * 1.2
a, b = torch.meshgrid(torch.linspace(-1, 1, 41) * span[0], torch.linspace(-1, 1, 41) * span[1], indexing="ij")
with torch.no_grad():
    plane = loss(final + a[..., None] * pcs[0] + b[..., None] * pcs[1])
fig, ax = plt.subplots(figsize=(5.4, 4.2))
ax.contourf(a, b, plane.log10(), levels=25, cmap="viridis", rasterized=True)
ax.plot(coords[:, 0], coords[:, 1], "r.-", ms=2, lw=0.8, label=f"SGD with momentum, {steps} steps")
ax.plot(0, 0, "w*", ms=10, label="end point θ*")
ax.set(xlabel=f"PC 1 ({shares[0]:.0%} of variance)", ylabel=f"PC 2 ({shares[1]:.0%})")
ax.set_title("log10 loss on the plane of the trajectory's two PCs", fontsize=10)
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()
fig.savefig("loss-surface-trajectory.svg")
# --8<-- [end:trajectory]

# --8<-- [start:sharpness]
import torch

SIZES = [2, 16, 16, 1]  # a ReLU network, parameters in one flat vector per seed


def mlp(theta, x):
    """The ReLU network's output for flat parameter vectors theta of shape (..., P)."""
    h, i = x, 0
    for k, (m, n) in enumerate(zip(SIZES[:-1], SIZES[1:], strict=True)):
        weight, bias = theta[..., i : i + m * n].unflatten(-1, (m, n)), theta[..., i + m * n : i + m * n + n]
        h, i = h @ weight + bias.unsqueeze(-2), i + m * n + n
        h = torch.relu(h) if k < len(SIZES) - 2 else h
    return h.squeeze(-1)


def loss(theta, x, y):
    """Mean squared error of each network in theta (seeds, P) on (x, y)."""
    return ((mlp(theta, x) - y) ** 2).mean(-1)


def top_eigenvalue(theta, x, y, iterations=100):
    """Largest Hessian eigenvalue of each seed's loss, by power iteration on Hessian-vector products."""
    theta = theta.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(loss(theta, x, y).sum(), theta, create_graph=True)
    v = torch.ones_like(theta)
    for _ in range(iterations):
        v = v / v.norm(dim=1, keepdim=True)
        (hv,) = torch.autograd.grad(grad, theta, v, retain_graph=True)  # H v for every seed at once
        top, v = (v * hv).sum(1), hv
    return top.detach()


def train(batch, seeds, x, y, steps=600, lr=0.05):
    """Plain SGD on `seeds` networks at once, each with its own mini-batches of size `batch`."""
    g = torch.Generator().manual_seed(0)
    parts = []
    for m, n in zip(SIZES[:-1], SIZES[1:], strict=True):
        parts += [torch.randn(seeds, m * n, generator=g, dtype=x.dtype) * (2 / m) ** 0.5, torch.zeros(seeds, n)]
    theta = torch.cat(parts, 1).to(x.device).requires_grad_(True)
    for _ in range(steps):
        rows = torch.rand(seeds, len(x), generator=g).argsort(1)[:, :batch].to(x.device)  # one batch per seed
        residual = mlp(theta, x[rows]) - y[rows]  # x[rows]: (seeds, batch, 2)
        (grad,) = torch.autograd.grad((residual**2).mean(1).sum(), theta)
        theta = (theta - lr * grad).detach().requires_grad_(True)
    return theta.detach()


g = torch.Generator().manual_seed(1)
n = 256
x = torch.randn(n, 2, generator=g, dtype=torch.float64)
y = torch.sin(2 * x[:, 0]) * torch.cos(x[:, 1])
seeds, steps, lr, small = 8, 600, 0.05, 8
found, grad_norm, thetas = {}, {}, {}
for batch in (small, n):
    theta = thetas[batch] = train(batch, seeds, x, y, steps=steps, lr=lr)
    found[batch] = (loss(theta, x, y), top_eigenvalue(theta, x, y))
    grad_norm[batch] = torch.func.vmap(torch.func.grad(lambda p: loss(p, x, y)))(theta).norm(dim=1)
    print(
        f"batch {batch:3d}: median training loss {found[batch][0].median():.4f}, top eigenvalue",
        found[batch][1].numpy().round(1),
    )
sharper = (found[n][1] > found[small][1]).sum().item()
print(f"the full-batch end point is the sharper one for {sharper} of {seeds} seeds")
# The power iteration's estimate against the exact top eigenvalue of each Hessian (P x P, small here).
exact = torch.stack(
    [
        torch.stack([torch.linalg.eigvalsh(torch.func.hessian(lambda p: loss(p[None], x, y)[0])(t)).max() for t in th])
        for th in (thetas[small], thetas[n])
    ]
)
power_error = (torch.stack([found[small][1], found[n][1]]) / exact - 1).abs().max().item()
print(f"largest full-gradient norm at the end points: {max(v.max() for v in grad_norm.values()):.2f}")
# claim: surface-sharpness-batch [seeds=seeds]
assert len(found[n][1]) == seeds and sharper >= seeds - 1
assert power_error < 1e-3  # the estimates are the Hessians' largest eigenvalues
assert found[small][1].max() < 2 / lr  # the small-batch runs stay below the edge of stability
# --8<-- [end:sharpness]

# --8<-- [start:reparameterize]
import functools

import torch

SIZES = (2, 16, 16, 1)  # rescale() below is written for these sizes


def mlp(theta, x, sizes=(2, 16, 16, 1)):
    """The ReLU network's output for a flat parameter vector theta."""
    h, i = x, 0
    for k, (m, n) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        weight, bias = theta[..., i : i + m * n].unflatten(-1, (m, n)), theta[..., i + m * n : i + m * n + n]
        h, i = h @ weight + bias.unsqueeze(-2), i + m * n + n
        h = torch.relu(h) if k < len(sizes) - 2 else h
    return h.squeeze(-1)


def mse(theta, x, y):
    """Mean squared error of the network on (x, y)."""
    return ((mlp(theta, x) - y) ** 2).mean()


def rescale(theta, alpha):
    """Layer 1 (weights, biases) times alpha, layer-2 weights over alpha: relu(a z) = a relu(z), same function."""
    theta = theta.clone()
    theta[..., :48] *= alpha  # W1 (2x16) and b1 (16)
    theta[..., 48:304] /= alpha  # W2 (16x16)
    return theta


def top_eigenvalue(f, theta, iterations=200):
    """Largest Hessian eigenvalue of f at theta, by power iteration on Hessian-vector products."""
    theta = theta.detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(f(theta), theta, create_graph=True)
    v = torch.ones_like(theta)
    for _ in range(iterations):
        (hv,) = torch.autograd.grad(grad, theta, v / v.norm(), retain_graph=True)
        top, v = (v / v.norm() * hv).sum().item(), hv
    return top


shape, alpha, tol, factor = "-".join(map(str, SIZES)), 5.0, 1e-12, 5
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    g = torch.Generator().manual_seed(2)
    x = torch.randn(128, 2, generator=g, dtype=torch.float64).to(device)
    y = torch.sin(2 * x[:, 0]) * torch.cos(x[:, 1])
    theta = torch.randn(337, generator=g, dtype=torch.float64).to(device) * 0.5
    theta.requires_grad_(True)
    opt = torch.optim.Adam([theta], lr=0.01)
    for _ in range(300):  # a trained point (not exactly a minimum: its gradient is small, not zero)
        opt.zero_grad()
        mse(theta, x, y).backward()
        opt.step()
    theta = theta.detach()

    loss = functools.partial(mse, x=x, y=y)
    same = rescale(theta, alpha)
    sharpness = top_eigenvalue(loss, theta), top_eigenvalue(loss, same)
    grad_norm = torch.func.grad(loss)(theta).norm().item()
    # claim: surface-sharpness-reparameterized [devices=devices]
    assert abs(loss(same) - loss(theta)) < tol * loss(theta)  # the same function, the same loss...
    assert sharpness[1] > factor * sharpness[0]  # ...and a minimum that looks far sharper
print(f"same loss {loss(theta):.5f}; top Hessian eigenvalue {sharpness[0]:.1f} before, {sharpness[1]:.1f} after")
print(f"gradient norm at the trained point: {grad_norm:.3f}")
# --8<-- [end:reparameterize]
