# Code of the Plateau page (docs/plateau.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:stages]
import numpy as np

rng = np.random.default_rng(0)
n, hidden, lr = 4, 4, 0.02  # inputs = outputs = n; one hidden layer; gradient descent step
s = np.array([3.0, 1.5, 0.75])  # the target's singular values, distinct
U = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
V = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
S = U @ np.diag(s) @ V.T  # the input-output correlation; with whitened inputs the loss is |S - W2 W1|^2 / 2


def train(W1: np.ndarray, W2: np.ndarray, steps: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradient descent on |S - W2 W1|^2 / 2, many networks at once (leading axis): the loss, the gradient
    norm and the strength u_a = U[:, a]^T W2 W1 V[:, a] of each of the target's modes, at every step."""
    losses, norms, modes = [], [], []
    for _ in range(steps):
        E = S - W2 @ W1
        g1, g2 = -W2.swapaxes(-1, -2) @ E, -E @ W1.swapaxes(-1, -2)  # dL/dW1, dL/dW2
        losses.append(0.5 * (E**2).sum(axis=(-2, -1)))
        norms.append(np.sqrt((g1**2).sum(axis=(-2, -1)) + (g2**2).sum(axis=(-2, -1))))
        modes.append(np.einsum("ia,...ij,ja->...a", U, W2 @ W1, V))
        W1, W2 = W1 - lr * g1, W2 - lr * g2
    return np.array(losses), np.array(norms), np.array(modes)


seeds, scale, steps, sharp, level_tol, small = 100, 1e-4, 1200, 0.1, 0.02, 0.1
W1 = scale * rng.normal(size=(seeds, hidden, n))  # small random initialization, a hundred networks
W2 = scale * rng.normal(size=(seeds, n, hidden))
losses, norms, modes = train(W1, W2, steps)
learned = np.argmax(modes >= s / 2, axis=0)  # (seeds, modes): the step each mode reaches half its strength
done = modes[-1] / s
at = modes[learned, np.arange(seeds)[:, None], :] / s  # (seeds, mode being learned, all modes) at that step
before = np.tril(np.ones((s.size, s.size), dtype=bool), -1)  # modes learned earlier than the one at its half
after = np.triu(np.ones((s.size, s.size), dtype=bool), 1)
levels = np.array([0.5 * (s[a:] ** 2).sum() for a in range(s.size + 1)])  # loss with the first a modes learned
# The plateau point before each drop: the step of smallest gradient since the drop before it.
starts = np.c_[np.zeros(seeds, dtype=int), learned[:, :-1]]
window = (np.arange(steps)[:, None, None] >= starts) & (np.arange(steps)[:, None, None] < learned)
flattest = np.argmin(np.where(window, norms[:, :, None], np.inf), axis=0)  # (seeds, modes)
plateau_loss = losses[flattest, np.arange(seeds)[:, None]]
level_gap = np.abs(plateau_loss / levels[:-1] - 1).max()
flat = (norms[flattest, np.arange(seeds)[:, None]] / norms.max(axis=0)[:, None]).max()
print(f"median steps to learn each mode: {np.median(learned, axis=0)}")
earliest, latest = at[:, before].min(), at[:, after].max()
# The bounds as the page states them, rounded the safe way: "at least" down, "at most" up (to 0.1%).
earliest_pct, latest_pct = np.floor(earliest * 1000) / 10, np.ceil(latest * 1000) / 10
level_pct, flat_pct = np.ceil(level_gap * 1000) / 10, np.ceil(flat * 1000) / 10
print(
    f"when a mode is half learned: earlier modes at least {earliest_pct:.1f}% of s,"
    f" later ones at most {latest_pct:.1f}%"
)
print(f"loss at the flattest point before each drop within {level_pct:.1f}% of {np.round(levels[:-1], 3)}")
print(f"gradient there at most {flat_pct:.1f}% of the largest gradient of the run")
# claim: plateau-stages [seeds=seeds]
assert np.all(np.diff(learned, axis=1) > 0)  # in order of singular value, every seed
assert earliest > 1 - sharp and latest < sharp  # one at a time
assert level_gap < level_tol and flat < small  # plateaus at the predicted levels, with small gradients
assert earliest >= earliest_pct / 100 and latest <= latest_pct / 100  # the stated rounded bounds hold
assert level_gap <= level_pct / 100 and flat <= flat_pct / 100
assert done.min() > 0.999  # every mode learned by the end
# --8<-- [end:stages]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

shown = [1e-2, 1e-4, 1e-6]  # one network per initial scale, the same random directions
direction1, direction2 = rng.normal(size=(hidden, n)), rng.normal(size=(n, hidden))
curves = [train(sc * direction1, sc * direction2, steps)[0] for sc in shown]
fig, ax = plt.subplots(figsize=(6.5, 3.8))
for sc, curve in zip(shown, curves, strict=True):
    ax.plot(curve, label=f"initial scale {sc:g}")
for level in levels[1:-1]:
    ax.axhline(level, color="0.6", lw=0.8, ls=":")
ax.set(xlabel="gradient descent step", ylabel="loss", title="Two-layer linear network: a plateau before each drop")
ax.legend()
fig.tight_layout()
fig.savefig("plateau-stages.svg")
# What the alt text says: each curve starts at the top level, ends near zero, and drops later for a smaller scale.
first_drop = [np.argmax(curve < (levels[0] + levels[1]) / 2) for curve in curves]
assert all(abs(curve[0] / levels[0] - 1) < level_tol and curve[-1] < 1e-6 for curve in curves)
assert np.all(np.diff(first_drop) > 0)
# --8<-- [end:figure]

# --8<-- [start:saxe]
import numpy as np

rng = np.random.default_rng(0)
n, hidden, lr = 4, 4, 0.02
s = np.array([3.0, 1.5, 0.75])
U = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
V = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
S = U @ np.diag(s) @ V.T


def saxe_time(s: np.ndarray, u0: float, uf: np.ndarray, lr: float) -> np.ndarray:
    """Saxe et al.'s time for a mode's strength to grow from u0 to uf under gradient flow, in steps of size lr
    (their tau = 1 / lr): t = tau / (2 s) ln(uf (s - u0) / (u0 (s - uf)))."""
    return np.log(uf * (s - u0) / (u0 * (s - uf))) / (2 * s * lr)


def steps_to_half(u0: float, lr: float) -> np.ndarray:
    """Gradient descent from the decoupled start: each mode's strength a^2 follows a <- a + lr a (s - a^2)."""
    a, count = np.full(s.shape, np.sqrt(u0)), np.zeros(s.shape, dtype=int)
    while np.any(a**2 < s / 2):
        count += a**2 < s / 2
        a = a + lr * a * (s - a**2)
    return count


# The decoupled start: W1 = sqrt(u0) R V^T, W2 = sqrt(u0) U R^T with R orthonormal columns in the hidden layer.
u0s, shrink, within = [1e-4, 1e-8], 10, 0.05
R = np.linalg.qr(rng.normal(size=(hidden, hidden)))[0][:, : s.size]
u0 = u0s[0]
W1, W2, a = np.sqrt(u0) * R @ V.T, np.sqrt(u0) * U @ R.T, np.full(s.shape, np.sqrt(u0))
gap_matrix = 0.0
for _ in range(300):  # the full network and the one-number-per-mode recursion move together
    E = S - W2 @ W1
    W1, W2 = W1 + lr * W2.T @ E, W2 + lr * E @ W1.T
    a = a + lr * a * (s - a**2)
    gap_matrix = max(gap_matrix, np.abs(np.diag(U.T @ W2 @ W1 @ V) - a**2).max())
gaps = {}
for step in [lr, lr / shrink]:
    gaps[step] = np.array([steps_to_half(u, step) / saxe_time(s, u, s / 2, step) - 1 for u in u0s])
    print(f"lr {step:g}: steps to half strength / Saxe et al.'s time - 1 = {np.round(gaps[step], 4).tolist()}")
print(f"decoupled network vs per-mode recursion: largest gap {gap_matrix:.0e}")
# The stated gaps, rounded up: to 0.1% at lr, to 0.01% at lr / shrink.
gap_fast, gap_slow = np.ceil(np.abs(gaps[lr]).max() * 1000) / 1000, np.ceil(np.abs(gaps[lr / shrink]).max() * 1e4) / 1e4
# claim: plateau-saxe-time
assert gap_matrix < 1e-12  # the modes evolve independently from the decoupled start
assert np.abs(gaps[lr]).max() < within  # Saxe et al.'s time, to within the discretization error
assert np.abs(gaps[lr / shrink]).max() < np.abs(gaps[lr]).max() / (shrink / 2)  # which shrinks like lr
assert np.abs(gaps[lr]).max() <= gap_fast and np.abs(gaps[lr / shrink]).max() <= gap_slow  # as stated
# --8<-- [end:saxe]

# --8<-- [start:scaling]
import numpy as np

rng = np.random.default_rng(0)
n, hidden, lr = 4, 4, 0.02
s = np.array([3.0, 1.5, 0.75])
U = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
V = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
S = U @ np.diag(s) @ V.T


def half_times(W1: np.ndarray, W2: np.ndarray, steps: int) -> np.ndarray:
    """The step at which each mode of each network first reaches half its strength s / 2 (-1: never)."""
    first = np.full((*W1.shape[:-2], s.size), -1)
    for t in range(steps):
        E = S - W2 @ W1
        u = np.einsum("ia,...ij,ja->...a", U, W2 @ W1, V)
        first = np.where((first < 0) & (u >= s / 2), t, first)
        W1, W2 = W1 + lr * W2.swapaxes(-1, -2) @ E, W2 + lr * E @ W1.swapaxes(-1, -2)
    return first


seeds, scales, steps, within, straight = 50, np.array([1e-2, 1e-3, 1e-4, 1e-5]), 1000, 0.05, 1.0
directions1 = rng.normal(size=(seeds, hidden, n))  # each seed keeps its directions; only the scale changes
directions2 = rng.normal(size=(seeds, n, hidden))
times = half_times(scales[:, None, None, None] * directions1, scales[:, None, None, None] * directions2, steps)
x = np.log(1 / scales)
coef = np.polyfit(x, times.reshape(len(scales), -1), 1)  # each seed's and mode's straight line
fits = coef[0].reshape(seeds, s.size)  # each seed's slope
residual = np.abs(times.reshape(len(scales), -1) - (np.outer(x, coef[0]) + coef[1])).max()  # in steps
pooled = np.polyfit(x, times.mean(axis=1), 1)[0]
saxe = 1 / (lr * s)  # tau / s: ln(1 / scale^2) / (2 s) in units of tau = 1 / lr
print(f"steps per unit of ln(1/scale), mean over seeds: {np.round(pooled, 2).tolist()}")
slope_pct = np.ceil(np.abs(fits / saxe - 1).max() * 1000) / 10  # the largest gap, rounded up to 0.1%
print(f"Saxe et al.'s tau / s: {np.round(saxe, 2).tolist()}; per seed within {slope_pct:.1f}%")
print(f"every seed's times within {residual:.2f} steps of its straight line")
# claim: plateau-scaling
assert times.min() >= 0 and np.all(np.diff(times, axis=0) > 0)  # every mode learned, later for a smaller scale
assert np.all(np.abs(pooled / saxe - 1) < within)  # the slope is tau / s, mode by mode
assert np.all(np.abs(fits / saxe - 1) < within)  # and for every seed
assert np.abs(fits / saxe - 1).max() <= slope_pct / 100  # as stated
assert residual < straight  # linear in ln(1 / scale): no curvature left in the times
# --8<-- [end:scaling]

# --8<-- [start:saddle]
import numpy as np
import torch

rng = np.random.default_rng(0)
n, hidden, lr = 4, 4, 0.02
s = np.array([3.0, 1.5, 0.75])
U = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
V = np.linalg.qr(rng.normal(size=(n, n)))[0][:, : s.size]
S = U @ np.diag(s) @ V.T


def loss(theta: torch.Tensor, S: torch.Tensor) -> torch.Tensor:
    """|S - W2 W1|^2 / 2 as a function of all the weights in one vector, for torch.func.hessian."""
    W1, W2 = theta[: hidden * n].reshape(hidden, n), theta[hidden * n :].reshape(n, hidden)
    return 0.5 * ((S - W2 @ W1) ** 2).sum()


def numpy_grad(W1: np.ndarray, W2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """dL/dW1 = -W2^T E and dL/dW2 = -E W1^T, with E = S - W2 W1."""
    E = S - W2 @ W1
    return -W2.T @ E, -E @ W1.T


scale, steps, small, near, psd_tol = 1e-4, 1200, 0.1, 0.03, 1e-6
W1, W2 = scale * rng.normal(size=(hidden, n)), scale * rng.normal(size=(n, hidden))
path, norms, modes = [], [], []
for _ in range(steps):
    g1, g2 = numpy_grad(W1, W2)
    path.append(np.r_[W1.ravel(), W2.ravel()])
    norms.append(np.sqrt((g1**2).sum() + (g2**2).sum()))
    modes.append(np.diag(U.T @ W2 @ W1 @ V))
    W1, W2 = W1 - lr * g1, W2 - lr * g2
path, norms, learned = np.array(path), np.array(norms), np.argmax(np.array(modes) >= s / 2, axis=0)
hessian = torch.func.hessian(loss)
St = torch.tensor(S)
lowest, highest, slopes = [], [], []
middles = (np.r_[0, learned[:-1]] + learned) // 2  # halfway between the drop before (or the start) and this one
for a, k in enumerate(middles):
    eig = np.linalg.eigvalsh(hessian(torch.tensor(path[k]), St).numpy())
    lowest.append(eig[0])
    highest.append(eig[-1])
    slopes.append(norms[k] / norms.max())
    print(
        f"plateau before drop {a + 1}, step {k}: |grad| = {slopes[-1]:.1e} of its largest, Hessian eigenvalues "
        f"from {eig[0]:.3f} (-s = {-s[a]:g}) to {eig[-1]:.3f}"
    )
end_eig = np.linalg.eigvalsh(hessian(torch.tensor(path[-1]), St).numpy())[0]
print(f"after the last drop: lowest Hessian eigenvalue {end_eig:.0e}, loss {0.5 * ((S - W2 @ W1) ** 2).sum():.0e}")
# claim: plateau-saddle
assert np.all(middles > 0) and max(slopes) < small  # inside each plateau, not its start: small gradient
assert min(highest) > 0  # a positive eigenvalue too: the Hessian is indefinite
assert np.all(np.abs(np.array(lowest) / -s - 1) < near)  # a negative eigenvalue, -s of the mode about to drop
assert end_eig > -psd_tol and 0.5 * ((S - W2 @ W1) ** 2).sum() < 1e-12  # the end: a global minimum
# --8<-- [end:saddle]


# --8<-- [start:torch]
def torch_path(W1: np.ndarray, W2: np.ndarray, steps: int, device: str) -> np.ndarray:
    """The same gradient descent by torch.optim.SGD and autograd: all the weights at every step."""
    w1 = torch.tensor(W1, device=device, requires_grad=True)
    w2 = torch.tensor(W2, device=device, requires_grad=True)
    target, opt, out = torch.tensor(S, device=device), torch.optim.SGD([w1, w2], lr=lr), []
    for _ in range(steps):
        out.append(torch.cat([w1.detach().flatten(), w2.detach().flatten()]).cpu().numpy())
        opt.zero_grad()
        (0.5 * ((target - w2 @ w1) ** 2).sum()).backward()
        opt.step()
    return np.array(out)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
start1, start2 = path[0][: hidden * n].reshape(hidden, n), path[0][hidden * n :].reshape(n, hidden)
tol = 1e-12
for device in devices:
    gap = np.abs(torch_path(start1, start2, steps, device) - path).max() / np.abs(path).max()
    print(f"{device}: torch.optim.SGD follows the numpy iterates to within {tol:.0e} over {steps} steps")
    # claim: plateau-torch [devices=devices]
    assert gap < tol
# --8<-- [end:torch]
