# Code of the Sharp and flat minima page (docs/sharp-and-flat-minima.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:batch]
import numpy as np

Params = tuple[np.ndarray, np.ndarray, np.ndarray]  # (W, b, v) for every run: (R, m, d), (R, m), (R, m)


def loss_grad(p: Params, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, Params]:
    """Loss 0.5 mean (v . tanh(W x + b) - y)^2 of every run, and its gradient; X is (n, d) or one batch per run."""
    (W, b, v), n = p, X.shape[-2]
    h = np.tanh(X @ W.transpose(0, 2, 1) + b[:, None, :])
    r = (h @ v[:, :, None])[..., 0] - y
    dz = r[:, :, None] / n * v[:, None, :] * (1 - h * h)
    return 0.5 * np.mean(r**2, axis=1), (dz.transpose(0, 2, 1) @ X, dz.sum(1), (r[:, None, :] @ h)[:, 0] / n)


def hvp(p: Params, X: np.ndarray, y: np.ndarray, u: Params) -> Params:
    """Hessian-vector product H u of every run's loss (Pearlmutter's R-operator on the gradient above)."""
    (W, b, v), (dW, db, dv), n = p, u, X.shape[-2]
    h = np.tanh(X @ W.transpose(0, 2, 1) + b[:, None, :])
    r, s = (h @ v[:, :, None])[..., 0] - y, 1 - h * h
    Rh = s * (X @ dW.transpose(0, 2, 1) + db[:, None, :])
    Rr = (Rh @ v[:, :, None])[..., 0] + (h @ dv[:, :, None])[..., 0]
    Rdz = (Rr[:, :, None] * v[:, None, :] + r[:, :, None] * dv[:, None, :]) / n * s
    Rdz -= 2 * r[:, :, None] / n * v[:, None, :] * h * Rh  # tanh'' = -2 tanh (1 - tanh^2)
    return Rdz.transpose(0, 2, 1) @ X, Rdz.sum(1), ((r[:, None, :] @ Rh)[:, 0] + (Rr[:, None, :] @ h)[:, 0]) / n


def sharpness(p: Params, X: np.ndarray, y: np.ndarray, iters: int, seed: int) -> np.ndarray:
    """Top Hessian eigenvalue of every run by power iteration on Hessian-vector products."""
    u = tuple(np.random.default_rng(seed).standard_normal(x.shape) for x in p)
    for _ in range(iters):
        Hu = hvp(p, X, y, u)
        lam = sum((a * c).reshape(len(a), -1).sum(1) for a, c in zip(u, Hu, strict=True))
        norm = np.sqrt(sum((c * c).reshape(len(c), -1).sum(1) for c in Hu))
        u = tuple(c / norm.reshape((-1,) + (1,) * (c.ndim - 1)) for c in Hu)
    return lam


def eps_sharpness(p: Params, X: np.ndarray, y: np.ndarray, eps: float, steps: int) -> np.ndarray:
    """Keskar et al.'s metric: 100 (max over the box |z_i| <= eps (|w_i| + 1) of L(w + z) - L(w)) / (1 + L(w)),
    the max found by projected gradient ascent (a lower bound, as with their L-BFGS-B)."""
    base = loss_grad(p, X, y)[0]
    box = tuple(eps * (np.abs(x) + 1) for x in p)
    z = tuple(np.zeros_like(x) for x in p)
    best = base.copy()
    for _ in range(steps):
        loss, g = loss_grad(tuple(x + dz for x, dz in zip(p, z, strict=True)), X, y)
        best = np.maximum(best, loss)
        z = tuple(np.clip(dz + 0.5 * c * np.sign(gz), -c, c) for dz, c, gz in zip(z, box, g, strict=True))
    best = np.maximum(best, loss_grad(tuple(x + dz for x, dz in zip(p, z, strict=True)), X, y)[0])
    return 100 * (best - base) / (1 + base)


def wilson(hits: int, n: int, z: float) -> tuple[float, float]:
    """Wilson interval for a rate of hits out of n (z = 1.96 for 95%)."""
    centre, half = (hits + z**2 / 2) / (n + z**2), z * np.sqrt(hits * (n - hits) / n + z**2 / 4) / (n + z**2)
    return centre - half, centre + half


rng = np.random.default_rng(0)
n, d, m, seeds, lr, epochs, small, iters = 128, 4, 16, 16, 0.5, 150, 8, 100
X = rng.standard_normal((n, d))
y = np.sin(3 * X @ rng.standard_normal(d) / np.sqrt(d))
W0, v0 = rng.standard_normal((seeds, m, d)) / np.sqrt(d), 0.3 * rng.standard_normal((seeds, m)) / np.sqrt(m)
ends = {}
for batch in [small, n]:  # the same initializations, the same learning rate and number of epochs
    p, order = (W0.copy(), np.zeros((seeds, m)), v0.copy()), np.random.default_rng(1)
    for _ in range(epochs):
        perm = np.argsort(order.random((seeds, n)), axis=1)  # a fresh shuffle for every run
        for k in range(0, n, batch):
            idx = perm[:, k : k + batch]
            g = loss_grad(p, X[idx], y[idx])[1]
            p = tuple(x - lr * gx for x, gx in zip(p, g, strict=True))
    ends[batch] = p
lam = {b: sharpness(p, X, y, iters, seed=2) for b, p in ends.items()}
train = {b: loss_grad(p, X, y)[0] for b, p in ends.items()}
eps, ascent = 1e-3, 20
eps_sharp = {b: eps_sharpness(p, X, y, eps, ascent) for b, p in ends.items()}
for b in ends:
    lo, mid, hi = np.percentile(lam[b], [10, 50, 90])
    print(
        f"batch {b:3d}: top eigenvalue median {mid:.2f} (10-90%: {lo:.2f}-{hi:.2f}), 2/lr = {2 / lr:g}; "
        f"train loss median {np.median(train[b]):.4f}; eps-sharpness median {np.median(eps_sharp[b]):.3f}"
    )
lower = int((lam[small] < lam[n]).sum())  # paired by initialization
eps_lower = int((eps_sharp[small] < eps_sharp[n]).sum())
level, z = 0.95, 1.96
low, high = wilson(lower, seeds, z)
print(
    f"small batch flatter for {lower} of {seeds} initializations ({level:.0%} interval {low:.0%}-{high:.0%}), ", end=""
)
print(f"{eps_lower} of {seeds} by eps-sharpness")
ratio = np.median(lam[n]) / np.median(lam[small])
# claim: sharp-batch [seeds=seeds]
most = 0.75  # a modest effect: stated as a share of initializations, not as a rule
assert lower >= most * seeds and low > 0.5 and ratio > 1  # small batches end flatter for most initializations
assert np.all(lam[n] < 2 / lr)  # full batch stays below the edge 2 / lr
# claim: sharp-eps-reverses [seeds=seeds]
assert np.all(np.isfinite(eps_sharp[small])) and np.all(eps_sharp[n] > 0)
assert eps_lower == 0 and np.median(eps_sharp[small]) > np.median(eps_sharp[n])  # the other order, every time
# The first-order part of the eps-sharpness: the gain of a step eps (|w_i| + 1) along the gradient's signs.
slope, grad_norm, lower_loss = {}, {}, int((train[small] < train[n]).sum())
for b, p in ends.items():
    g = loss_grad(p, X, y)[1]
    gain = sum((np.abs(gx) * eps * (np.abs(x) + 1)).reshape(seeds, -1).sum(1) for x, gx in zip(p, g, strict=True))
    slope[b], grad_norm[b] = (
        100 * gain / (1 + train[b]) / eps_sharp[b],
        np.sqrt(sum((gx**2).reshape(seeds, -1).sum(1) for gx in g)),
    )
print(f"training loss lower with small batches for {lower_loss} of {seeds}; gradient norm median ", end="")
print(
    f"{np.median(grad_norm[small]):.3f} vs {np.median(grad_norm[n]):.3f}; first-order share of eps-sharpness ", end=""
)
print(f"{min(slope[small].min(), slope[n].min()):.0%}-{max(slope[small].max(), slope[n].max()):.0%}")
# claim: sharp-eps-slope [seeds=seeds]
share = 0.85  # the slope alone explains more than this share of every run's eps-sharpness
assert min(slope[small].min(), slope[n].min()) > share and max(slope[small].max(), slope[n].max()) < 1 + 1e-9
assert np.all(grad_norm[small] > grad_norm[n])  # small-batch runs end farther from a stationary point
assert lower_loss >= most * seeds  # at a lower training loss: the two endpoints are not comparable minima
# --8<-- [end:batch]

# --8<-- [start:power]
import torch


def torch_grad_hvp(p: Params, X: np.ndarray, y: np.ndarray, u: Params, device: str) -> tuple[list, list]:
    """Gradient and H u of run 0 by torch autograd (double backward), in float64, to check the numpy ones."""
    W, b, v = (torch.tensor(x[0], device=device, requires_grad=True) for x in p)
    Xt, yt = torch.tensor(X, device=device), torch.tensor(y, device=device)
    loss = 0.5 * ((torch.tanh(Xt @ W.T + b) @ v - yt) ** 2).mean()
    g = torch.autograd.grad(loss, (W, b, v), create_graph=True)
    ut = [torch.tensor(x[0], device=device) for x in u]
    Hu = torch.autograd.grad(sum((gi * ui).sum() for gi, ui in zip(g, ut, strict=True)), (W, b, v))
    return [x.detach().cpu().numpy() for x in g], [x.cpu().numpy() for x in Hu]


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
tol, rel = 1e-12, 1e-5
# Every end point's full Hessian, one column H e_i per basis vector e_i, all 2 x 16 runs at once.
every = tuple(np.concatenate([ends[small][i], ends[n][i]]) for i in range(3))
runs, sizes = len(every[0]), [x[0].size for x in every]
basis = np.eye(sum(sizes))
E = tuple(c.reshape((-1,) + x.shape[1:]) for c, x in zip(np.split(basis, np.cumsum(sizes)[:-1], 1), every, strict=True))
E = tuple(np.tile(e, (runs,) + (1,) * (e.ndim - 1)) for e in E)
many = tuple(np.repeat(x, len(basis), axis=0) for x in every)
cols = hvp(many, X, y, E)
H = np.concatenate([c.reshape(runs, len(basis), -1) for c in cols], axis=2)  # (runs, P, P), row i = H e_i
eig = np.linalg.eigvalsh((H + H.transpose(0, 2, 1)) / 2)
top, power = eig[:, -1], np.concatenate([lam[small], lam[n]])
asym = np.abs(H - H.transpose(0, 2, 1)).max() / np.abs(H).max()
err = np.abs(power / top - 1).max()
print(f"{runs} end points, {sum(sizes)} parameters: {iters} power iterations vs eigh, largest relative error ", end="")
print(f"{'below' if err < rel else 'above'} {rel:g}; top eigenvalue {top.min():.2f}-{top.max():.2f}")
# claim: sharp-power [devices=devices runs=runs]
assert asym < tol and err < rel  # a symmetric Hessian, and power iteration finds its top eigenvalue
assert np.all(top > np.abs(eig[:, 0]))  # which is also the largest in absolute value
u = tuple(np.random.default_rng(3).standard_normal(x[:1].shape) for x in every)
g, Hu = loss_grad(tuple(x[:1] for x in every), X, y)[1], hvp(tuple(x[:1] for x in every), X, y, u)
worst = 0.0
for device in devices:
    tg, tHu = torch_grad_hvp(every, X, y, u, device)
    worst = max([worst] + [np.abs(a[0] - c).max() / np.abs(c).max() for a, c in zip(g + Hu, tg + tHu, strict=True)])
    assert worst < tol
print(f"numpy vs torch autograd, gradient and H u: {'below' if worst < tol else 'above'} {tol:g} relative")
# --8<-- [end:power]

# --8<-- [start:rescale]
import numpy as np
import torch

torch.set_default_dtype(torch.float64)


def net(theta: torch.Tensor, X: torch.Tensor, m: int) -> torch.Tensor:
    """A one-hidden-layer ReLU network v . relu(W x + b), its parameters flattened into theta = (W, b, v)."""
    d = X.shape[1]
    W, b, v = theta[: m * d].reshape(m, d), theta[m * d : m * d + m], theta[m * d + m :]
    return torch.relu(X @ W.T + b) @ v


def scaling(alpha: float, m: int, d: int) -> torch.Tensor:
    """Diagonal D of Dinh et al.'s rescaling: first layer (W, b) times alpha, output weights v over alpha."""
    f64 = torch.float64
    return torch.cat([torch.full((m * d + m,), alpha, dtype=f64), torch.full((m,), 1 / alpha, dtype=f64)])


gen = torch.Generator().manual_seed(0)
n, d, m, steps = 20, 2, 16, 2000
X, Xtest = torch.randn(n, d, generator=gen), torch.randn(1000, d, generator=gen)
target = lambda Z: torch.sin(2 * Z[:, 0]) * torch.cos(Z[:, 1])  # noqa: E731
y, ytest = target(X), target(Xtest)
theta = torch.cat([torch.randn(m * d + m, generator=gen), torch.randn(m, generator=gen) / m**0.5]).requires_grad_()
loss = lambda t, A, b: 0.5 * ((net(t, A, m) - b) ** 2).mean()  # noqa: E731
opt = torch.optim.LBFGS(
    [theta], max_iter=steps, tolerance_grad=1e-9, tolerance_change=0.0, history_size=50, line_search_fn="strong_wolfe"
)
opt.zero_grad()


def closure() -> torch.Tensor:
    """The training loss and its gradient, as L-BFGS asks for them."""
    opt.zero_grad()
    value = loss(theta, X, y)
    value.backward()
    return value


opt.step(closure)  # full-batch L-BFGS to a minimum
grad_norm = torch.autograd.grad(loss(theta, X, y), theta)[0].norm().item()
H = torch.func.hessian(loss)(theta.detach(), X, y)
w = m * d + m  # the first layer's parameters come first
bottom = torch.linalg.eigvalsh(H)[0].item()  # no direction of negative curvature: a minimum
alphas, tol, stationary = [0.01, 0.1, 1.0, 10.0, 100.0], 1e-10, 1e-6
top, low, high, out_err, test_loss, hess_err = [], [], [], [], [], []
for alpha in alphas:
    D = scaling(alpha, m, d)
    scaled = (D * theta.detach()).requires_grad_()
    out_err.append(
        ((net(scaled, Xtest, m) - net(theta, Xtest, m)).abs().max() / net(theta, Xtest, m).abs().max()).item()
    )
    test_loss.append(loss(scaled, Xtest, ytest).item())
    Ha = torch.func.hessian(loss)(scaled.detach(), X, y)  # autograd at the rescaled point itself
    theory = H / D[:, None] / D[None, :]  # H_alpha = D^-1 H D^-1
    hess_err.append(((Ha - theory).abs().max() / theory.abs().max()).item())
    top.append(torch.linalg.eigvalsh(Ha)[-1].item())
    # Cauchy interlacing: at least the top eigenvalue of each diagonal block; at most max(a^2, a^-2) ||H||.
    blocks = max(torch.linalg.eigvalsh(Ha[:w, :w])[-1].item(), torch.linalg.eigvalsh(Ha[w:, w:])[-1].item())
    low.append(blocks)
    high.append(max(alpha**2, alpha**-2) * torch.linalg.matrix_norm(H, 2).item())
top, low, high = np.array(top), np.array(low), np.array(high)
grow_big, grow_small = top[-1] / top[-2], top[0] / top[1]  # from alpha 10 to 100, and from 0.1 to 0.01
for alpha, t, e in zip(alphas, top, test_loss, strict=True):
    print(f"alpha {alpha:6g}: top Hessian eigenvalue {t:12.4g}, test loss {e:.6f}")
print(f"gradient norm {grad_norm:.0e}; outputs equal to {'below' if max(out_err) < tol else 'above'} {tol:g} relative")
print(f"top eigenvalue x{grow_big:.1f} from alpha {alphas[3]:g} to {alphas[4]:g}, ", end="")
print(f"x{grow_small:.1f} from {alphas[1]:g} to {alphas[0]:g}")
# claim: sharp-rescale-function
assert grad_norm < stationary and bottom > -stationary * torch.linalg.matrix_norm(H, 2).item()  # a minimum
assert max(out_err) < tol and max(test_loss) - min(test_loss) < tol * min(test_loss)  # the same function
assert max(hess_err) < tol  # the Hessian at the rescaled point is D^-1 H D^-1
span, wide = top.max() / top.min(), 1e3
# claim: sharp-misconception
assert span > wide  # a huge range of sharpness ...
assert max(out_err) < tol and max(test_loss) - min(test_loss) < tol * min(test_loss)  # ... for one function
# claim: sharp-rescale-hessian
band, law = 0.1, (alphas[4] / alphas[3]) ** 2  # the alpha^2 law for a factor of ten, to within 10%
assert np.all(low <= top * (1 + tol)) and np.all(top <= high * (1 + tol))
assert alphas[4] / alphas[3] == alphas[1] / alphas[0]  # the same factor at both ends
assert abs(grow_big / law - 1) < band and abs(grow_small / law - 1) < band
assert top[0] > top[2] and top[-1] > top[2]  # sharper on both sides of alpha = 1
# --8<-- [end:rescale]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
left.loglog(alphas, top, "o-", label="top eigenvalue")
left.loglog(alphas, low, ":", label="lower bound (diagonal blocks)")
left.loglog(alphas, high, "--", label="upper bound max(a^2, 1/a^2) ||H||")
left.set(xlabel="rescaling alpha", ylabel="top Hessian eigenvalue", title="sharpness of one function")
left.legend(fontsize=8)
order = torch.argsort(Xtest[:, 0])[:200]
for k, alpha in enumerate(alphas):  # shrinking markers, so that each one shows under the next
    scaled = scaling(alpha, m, d) * theta.detach()
    size = 2 + 2 * (len(alphas) - k)
    right.plot(Xtest[order, 0], net(scaled, Xtest[order], m).detach(), "o", ms=size, label=f"alpha = {alpha:g}")
right.set(xlabel="first input", ylabel="network output", title="outputs on test points, every alpha")
right.legend(fontsize=8)
fig.tight_layout()
fig.savefig("sharp-and-flat-minima.svg")
# What the figure's description says: the curve between its bounds, rising on both sides, one set of outputs.
assert np.all(low <= top * (1 + tol)) and np.all(top <= high * (1 + tol))
assert np.argmin(top) == alphas.index(1.0) and span > wide and max(out_err) < tol
# --8<-- [end:figure]
