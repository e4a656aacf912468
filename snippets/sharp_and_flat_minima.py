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


n, d, m, sets, inits, lr, epochs, small, iters = 64, 4, 16, 8, 8, 0.5, 150, 8, 100
runs, steps = sets * inits, epochs * n // small  # every data set trained from every initialization
X, y, W0, v0 = [], [], [], []
for k in range(sets):  # a fresh data set (inputs and target direction) and fresh initializations for each k
    rng = np.random.default_rng(k)
    Xk = rng.standard_normal((n, d))
    X.append(np.repeat(Xk[None], inits, 0))
    y.append(np.repeat(np.sin(3 * Xk @ rng.standard_normal(d) / np.sqrt(d))[None], inits, 0))
    W0.append(rng.standard_normal((inits, m, d)) / np.sqrt(d))
    v0.append(0.3 * rng.standard_normal((inits, m)) / np.sqrt(m))
X, y, W0, v0 = map(np.concatenate, (X, y, W0, v0))  # run r = k * inits + i
rows, ends = np.arange(runs)[:, None], {}
# Batches of 8 for `steps` updates (= `epochs` epochs); the full batch for `steps` updates, recorded after `epochs`.
for batch in [small, n]:
    p, order = (W0.copy(), np.zeros((runs, m)), v0.copy()), np.random.default_rng(sets)
    for t in range(steps):
        if batch == n and t == epochs:
            ends["full, equal epochs"] = p
        k = t % (n // batch)
        if batch == n:
            g = loss_grad(p, X, y)[1]
        else:
            if k == 0:
                perm = np.argsort(order.random((runs, n)), axis=1)  # a fresh shuffle for every run
            idx = perm[:, k * batch : (k + 1) * batch]
            g = loss_grad(p, X[rows, idx], y[rows, idx])[1]
        p = tuple(x - lr * gx for x, gx in zip(p, g, strict=True))
    ends["small" if batch == small else "full, equal steps"] = p
lam = {b: sharpness(p, X, y, iters, seed=2) for b, p in ends.items()}
train = {b: loss_grad(p, X, y)[0] for b, p in ends.items()}
# The equal-steps runs sit at the edge of stability and are chaotic in floating point: their exact counts move
# with the rounding (another CPU or BLAS). So the printed lines show only what the asserts guarantee.
level, z, most = 0.95, 1.96, 0.75
flatter, ratio = {}, {}
for b in ["full, equal epochs", "full, equal steps"]:
    flatter[b] = (lam["small"] < lam[b]).reshape(sets, inits).sum(1)  # paired by data set and initialization
    ratio[b] = np.median(lam[b].reshape(sets, inits), 1) / np.median(lam["small"].reshape(sets, inits), 1)
lower_epochs, lower_steps = (int(flatter[b].sum()) for b in ["full, equal epochs", "full, equal steps"])
low, high = wilson(lower_epochs, runs, z)
b = "full, equal steps"
enough, above = (flatter[b] >= most * inits).sum(), (ratio[b] > 1).sum()  # data sets
print(f"small batch flatter than {b}: in at least {most * inits:.0f} of {inits} runs in {enough} of {sets} ", end="")
print(f"data sets, ratio of medians above 1 in {above} of {sets}")
print(f"small batch flatter than full, equal epochs: {level:.0%} Wilson interval above 50%: {low > 0.5}")
# claim: sharp-batch [runs=runs]
assert flatter["full, equal steps"].min() >= most * inits and ratio["full, equal steps"].min() > 1  # every data set
assert low > 0.5  # at equal epochs, flatter in most runs, but not in every data set
below, band, cap = int((lam["full, equal epochs"] < 2 / lr).sum()), 0.1, 0.9
median_rises = np.median(lam["full, equal epochs"]) < np.median(lam["full, equal steps"])
print(f"full, equal epochs: some but not all runs below 2/lr = {2 / lr:g}: {0 < below < runs}; ", end="")
print(f"median below the one at equal steps: {median_rises}")
edge = (np.abs(lam["full, equal steps"] * lr / 2 - 1) < band).sum()
print(f"full, equal steps: within {band:.0%} of 2/lr in {edge} of {runs}")
print(f"small: below {cap:.0%} of 2/lr in {(lam['small'] < cap * 2 / lr).sum()} of {runs}")
# claim: sharp-edge [runs=runs]
assert 0 < below < runs and median_rises  # still sharpening
assert np.all(np.abs(lam["full, equal steps"] * lr / 2 - 1) < band)  # then hovering at the edge 2 / lr
assert np.all(lam["small"] < cap * 2 / lr)  # while small batches stay clearly below it
eps, ascent = 1e-3, 20
eps_sharp = {b: eps_sharpness(p, X, y, eps, ascent) for b, p in ends.items()}
# The first-order part of the eps-sharpness: the gain of a step eps (|w_i| + 1) along the gradient's signs,
# and the loss rise at that corner of the box, which the ascent must reach or beat.
gain, corner, grad_norm = {}, {}, {}
for b, p in ends.items():
    g = loss_grad(p, X, y)[1]
    box = tuple(eps * (np.abs(x) + 1) for x in p)
    gain[b] = (
        100 * sum((np.abs(gx) * c).reshape(runs, -1).sum(1) for gx, c in zip(g, box, strict=True)) / (1 + train[b])
    )
    far = tuple(x + c * np.sign(gx) for x, c, gx in zip(p, box, g, strict=True))
    corner[b] = 100 * (loss_grad(far, X, y)[0] - train[b]) / (1 + train[b])
    grad_norm[b] = np.sqrt(sum((gx**2).reshape(runs, -1).sum(1) for gx in g))
sharper = {b: (eps_sharp["small"] > eps_sharp[b]).reshape(sets, inits).sum(1) for b in flatter}
eps_low, eps_high = wilson(int(sharper["full, equal steps"].sum()), runs, z)
reached = sum(int(((eps_sharp[b] >= corner[b]) & (eps_sharp[b] > gain[b])).sum()) for b in ends)
print(f"ascent at least the sign corner and above the first-order gain at {reached} of {len(ends) * runs} end points")
print(f"small batch eps-sharper than full, equal epochs in {sharper['full, equal epochs'].sum()} of {runs}; ", end="")
print(f"than full, equal steps: {level:.0%} Wilson interval contains 50%: {eps_low < 0.5 < eps_high}")
# claim: sharp-eps-reverses [runs=runs]
for b in ends:  # the ascent reaches at least the sign corner, and so more than the first-order gain
    assert np.all(eps_sharp[b] >= corner[b]) and np.all(eps_sharp[b] > gain[b]) and np.all(np.isfinite(eps_sharp[b]))
assert sharper["full, equal epochs"].sum() == runs  # at equal epochs: the other order, every time
assert eps_low < 0.5 < eps_high  # at equal steps: no consistent order
loss_epochs, loss_steps = (int((train["small"] < train[b]).sum()) for b in flatter)
share = 0.7  # the slope alone explains more than this share of every small-batch run's eps-sharpness
steeper = (grad_norm["small"] > grad_norm["full, equal epochs"]).sum()
print(f"small batch steeper than full, equal epochs in {steeper} of {runs}; ", end="")
print(f"first-order share above {share:.0%} in {(gain['small'] > share * eps_sharp['small']).sum()} of {runs}")
loss_wilson = wilson(loss_epochs, runs, z)[0] > 0.5, wilson(loss_steps, runs, z)[1] < 0.5
print(f"small batch lower training loss, Wilson interval above 50% at equal epochs: {loss_wilson[0]}, ", end="")
print(f"below 50% at equal steps: {loss_wilson[1]}")
# claim: sharp-eps-slope [runs=runs]
assert np.all(grad_norm["small"] > grad_norm["full, equal epochs"])  # farther from a stationary point
assert np.all(gain["small"] > share * eps_sharp["small"])
assert wilson(loss_epochs, runs, z)[0] > 0.5 and wilson(loss_steps, runs, z)[1] < 0.5  # the loss order flips
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
tol, rel, curved = 1e-12, 0.02, 1e-5
# Every end point's full Hessian, one column H e_i per basis vector e_i, a chunk of end points at a time.
every = tuple(np.concatenate([p[i] for p in ends.values()]) for i in range(3))
Xe, ye, points = np.concatenate([X] * len(ends)), np.concatenate([y] * len(ends)), len(every[0])
sizes = [x[0].size for x in every]
basis = np.eye(sum(sizes))
E = tuple(c.reshape((-1,) + x.shape[1:]) for c, x in zip(np.split(basis, np.cumsum(sizes)[:-1], 1), every, strict=True))
H = []
for rows in np.array_split(np.arange(points), points // inits):
    many = tuple(np.repeat(x[rows], len(basis), axis=0) for x in every)
    Ek = tuple(np.tile(e, (len(rows),) + (1,) * (e.ndim - 1)) for e in E)
    cols = hvp(many, np.repeat(Xe[rows], len(basis), 0), np.repeat(ye[rows], len(basis), 0), Ek)
    H.append(np.concatenate([c.reshape(len(rows), len(basis), -1) for c in cols], axis=2))  # row i = H e_i
H = np.concatenate(H)
eig = np.linalg.eigvalsh((H + H.transpose(0, 2, 1)) / 2)
top, power = eig[:, -1], np.concatenate(list(lam.values()))
asym = np.abs(H - H.transpose(0, 2, 1)).max() / np.abs(H).max()
err = np.abs(power / top - 1).max()
found = ((np.abs(power / top - 1) < rel) & (power <= top * (1 + tol))).sum()
print(
    f"{points} end points, {sum(sizes)} parameters: Hessian symmetric to below {tol:g} relative: {asym < tol}; ", end=""
)
print(f"{iters} power iterations within {rel:.0%} of eigh, from below, at {found} of {points}")
exact = dict(zip(ends, top.reshape(len(ends), runs), strict=True))
same = all((exact["small"] < exact[b]).sum() == flatter[b].sum() for b in flatter)  # the counts of sharp-batch
same &= (exact["full, equal epochs"] < 2 / lr).sum() == below
print(f"counts of small batches flatter, and of full-batch runs below 2/lr, the same with eigh: {same}")
# claim: sharp-power [devices=devices points=points]
assert asym < tol and err < rel  # a symmetric Hessian, and power iteration finds its top eigenvalue
assert np.all(power <= top * (1 + tol)) and same  # from below (a Rayleigh quotient); the same counts
assert np.all(np.abs(exact["full, equal steps"] * lr / 2 - 1) < band) and np.all(exact["small"] < cap * 2 / lr)
assert np.all(top > np.abs(eig[:, 0]))  # which is also the largest in absolute value
u = tuple(np.random.default_rng(3).standard_normal(x[:1].shape) for x in every)
g, Hu = loss_grad(tuple(x[:1] for x in every), X[0], y[0])[1], hvp(tuple(x[:1] for x in every), X[0], y[0], u)
worst = 0.0
for device in devices:
    tg, tHu = torch_grad_hvp(every, X[0], y[0], u, device)
    worst = max([worst] + [np.abs(a[0] - c).max() / np.abs(c).max() for a, c in zip(g + Hu, tg + tHu, strict=True)])
    assert worst < tol
print(f"numpy vs torch autograd, gradient and H u: {'below' if worst < tol else 'above'} {tol:g} relative")
neg = -eig[:, 0] / top  # the most negative eigenvalue, relative to the top one
print(f"smallest eigenvalue below -{curved:g} x the top one at {(neg > curved).sum()} of {points} end points")
# claim: sharp-not-minima [points=points]
assert np.all(neg > curved)  # every end point has a direction of negative curvature: none is a minimum
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
train_loss = loss(theta, X, y).item()  # a loss >= 0 at (about) zero: a global minimum
grad_norm = torch.autograd.grad(loss(theta, X, y), theta)[0].norm().item()
H = torch.func.hessian(loss)(theta.detach(), X, y)
w = m * d + m  # the first layer's parameters come first
spectrum = torch.linalg.eigvalsh(H)
alphas, tol, stationary = [0.01, 0.1, 1.0, 10.0, 100.0], 1e-10, 1e-6
zero = int((spectrum.abs() < stationary * spectrum.abs().max()).sum())  # rank of H = J^T J / n is at most n
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
# The alpha^2 law is a limit: top -> alpha^2 c_out for large alpha and c_first / alpha^2 for small alpha, where
# c_out, c_first are the top eigenvalues of H's output and first-layer diagonal blocks at alpha = 1.
c_out, c_first = torch.linalg.eigvalsh(H[w:, w:])[-1].item(), torch.linalg.eigvalsh(H[:w, :w])[-1].item()
off_big = [abs(t / a**2 / c_out - 1) for t, a in zip(top[-2:], alphas[-2:], strict=True)]  # alpha 10, 100
off_small = [abs(t * a**2 / c_first - 1) for t, a in zip(top[:2], alphas[:2], strict=True)]  # alpha 0.01, 0.1
grid = np.geomspace(alphas[0], alphas[-1], 401)  # D^-1 H D^-1 on a fine grid: where is the flattest point?
Dg = torch.stack([scaling(a, m, d) for a in grid])
curve = torch.linalg.eigvalsh(H / Dg[:, :, None] / Dg[:, None, :])[:, -1].numpy()
flattest, least = grid[np.argmin(curve)], curve.min()
for alpha, t, e in zip(alphas, top, test_loss, strict=True):
    print(f"alpha {alpha:6g}: top Hessian eigenvalue {t:12.4g}, test loss {e:.6f}")
print(f"gradient norm below {stationary:g}: {grad_norm < stationary}; ", end="")
print(f"outputs equal to {'below' if max(out_err) < tol else 'above'} {tol:g} relative")
print(
    f"training loss below {tol:g}: {train_loss < tol}; at least {len(spectrum) - n} of {len(spectrum)} Hessian "
    f"eigenvalues below {stationary:g} of the largest: {zero >= len(spectrum) - n}"
)
print(
    f"top / alpha^2 vs c_out = {c_out:.3f}: off by {off_big[0]:.0e} at alpha {alphas[3]:g}, "
    f"{off_big[1]:.0e} at {alphas[4]:g}"
)
print(
    f"top x alpha^2 vs c_first = {c_first:.3f}: off by {off_small[1]:.0e} at {alphas[1]:g}, "
    f"{off_small[0]:.0e} at {alphas[0]:g}"
)
print(f"on {len(grid)} values of alpha: smallest top eigenvalue {least:.2f} at alpha {flattest:.2f}")
# claim: sharp-rescale-function
assert train_loss < tol and grad_norm < stationary  # zero loss, and the loss is never negative: a global minimum
assert zero >= len(spectrum) - n  # H = J^T J / n at zero loss has rank at most n: most directions are flat
assert max(out_err) < tol and max(test_loss) - min(test_loss) < tol * min(test_loss)  # the same function
assert max(hess_err) < tol  # the Hessian at the rescaled point is D^-1 H D^-1
span, wide = top.max() / top.min(), 1e3
# claim: sharp-misconception
assert span > wide  # a huge range of sharpness ...
assert max(out_err) < tol and max(test_loss) - min(test_loss) < tol * min(test_loss)  # ... for one function
# claim: sharp-rescale-hessian
limit, shrink = 1e-6, 1e3
assert np.all(low <= top * (1 + tol)) and np.all(top <= high * (1 + tol))
assert max(off_big[1], off_small[0]) < limit  # the limits alpha^2 c_out and c_first / alpha^2 at both ends
assert off_big[0] > shrink * off_big[1] and off_small[1] > shrink * off_small[0]  # converging like alpha^-4
assert np.argmin(top) == alphas.index(1.0) and grid[0] < flattest < 1 and least < top[2]  # not at alpha = 1
assert np.all(curve >= least) and np.all(np.diff(curve[: np.argmin(curve)]) < 0)  # falls, then ...
assert np.all(np.diff(curve[np.argmin(curve) :]) > 0)  # ... rises: one flattest point
# --8<-- [end:rescale]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
left.loglog(grid, curve, "-", label="top eigenvalue of D^-1 H D^-1")
left.loglog(alphas, top, "o", label="top eigenvalue, autograd Hessian")
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
assert grid[0] < flattest < 1 and least < top[2]  # lowest just below alpha = 1
assert span > wide and max(out_err) < tol
# --8<-- [end:figure]
