# Code of the Batch size page (docs/batch-size.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it
# (the figure block continues the steps block above it).
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:variance]
import numpy as np


def batch_means(G: np.ndarray, B: int, draws: int, replace: bool, rng: np.random.Generator) -> np.ndarray:
    """`draws` mini-batch gradients: means of B rows of the per-example gradients G, with or without replacement."""
    if not 1 <= B <= G.shape[0]:
        raise ValueError(f"B must be a batch size from 1 to {G.shape[0]}, got B={B!r}")
    if replace:
        idx = rng.integers(G.shape[0], size=(draws, B))
    else:  # the first B of a random permutation: B distinct examples
        idx = np.argsort(rng.random((draws, G.shape[0])), axis=1)[:, :B]
    return G[idx].mean(axis=1)


rng = np.random.default_rng(0)
N, dim, draws, within, slope_tol, silent = 256, 5, 10_000, 0.1, 0.03, 1e-20
X = rng.standard_normal((N, dim))
y = X @ rng.standard_normal(dim) + rng.standard_normal(N)
w = rng.standard_normal(dim)  # any point: the noise is measured where the run happens to be
G = X * (X @ w - y)[:, None]  # per-example gradients of (x.w - y)^2 / 2
full = G.mean(axis=0)
trace = np.sum((G - full) ** 2) / N  # tr Sigma, the per-example gradient covariance
sizes = 2 ** np.arange(0, 9)  # B = 1 ... N
noise = {}
for replace in [True, False]:
    noise[replace] = np.array(
        [np.mean(np.sum((batch_means(G, B, draws, replace, rng) - full) ** 2, axis=1)) for B in sizes]
    )
with_r, without_r = noise[True], noise[False]
predicted_with = trace / sizes
predicted_without = trace / sizes * (N - sizes) / (N - 1)  # the finite-population correction
slope = np.polyfit(np.log(sizes), np.log(with_r), 1)[0]
print(f"N = {N}: B * E|g_B - g|^2 / tr Sigma, with replacement:", np.round(with_r * sizes / trace, 2))
print(f"slope of log variance against log B, with replacement: {slope:.3f}")
print(
    "without replacement, over the prediction with the correction:",
    np.round(without_r[:-1] / predicted_without[:-1], 2),
)
# claim: batch-variance [draws=draws]
assert abs(slope + 1) < slope_tol  # variance like 1/B
assert np.all(np.abs(with_r / predicted_with - 1) < within)
# claim: batch-without-replacement [draws=draws]
assert np.all(np.abs(without_r[:-1] / predicted_without[:-1] - 1) < within)
assert without_r[-1] < silent * trace  # B = N: the full gradient, no noise at all
half = (N - sizes[-2]) / (N - 1)  # the correction at B = N/2: 128/255
assert abs(without_r[-2] / with_r[-2] - half) < within * half  # at B = N/2 it halves the variance
# --8<-- [end:variance]

# --8<-- [start:torch]
import numpy as np
import torch
from torch.utils.data import DataLoader, RandomSampler, TensorDataset


def numpy_batch_grad(X: np.ndarray, y: np.ndarray, w: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Gradient of the mean of (x.w - y)^2 / 2 over the examples idx: the mini-batch gradient, by hand."""
    Xb = X[idx]
    return Xb.T @ (Xb @ w - y[idx]) / len(idx)


def torch_batch_grads(X: np.ndarray, y: np.ndarray, w: np.ndarray, loader: DataLoader, device: str) -> list:
    """(indices, autograd gradient) for every batch the DataLoader yields, the loss computed on `device`."""
    out = []
    for xb, yb, ib in loader:
        wt = torch.tensor(w, device=device, requires_grad=True)
        loss = ((xb.to(device) @ wt - yb.to(device)) ** 2 / 2).mean()
        loss.backward()
        out.append((ib.numpy(), wt.grad.cpu().numpy()))
    return out


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
N, dim, B, tol = 100, 4, 16, 1e-12
rng = np.random.default_rng(0)
X, y, w = rng.standard_normal((N, dim)), rng.standard_normal(N), rng.standard_normal(dim)
data = TensorDataset(torch.tensor(X), torch.tensor(y), torch.arange(N))
loaders = {
    "shuffle=True": DataLoader(data, batch_size=B, shuffle=True, generator=torch.Generator().manual_seed(0)),
    "with replacement": DataLoader(
        data, batch_size=B, sampler=RandomSampler(data, replacement=True, generator=torch.Generator().manual_seed(0))
    ),
}
worst, batches = 0.0, 0
for device in devices:
    for name, loader in loaders.items():
        pairs = torch_batch_grads(X, y, w, loader, device)
        seen = np.concatenate([idx for idx, _ in pairs])
        worst = max(worst, max(np.abs(g - numpy_batch_grad(X, y, w, idx)).max() for idx, g in pairs))
        batches += len(pairs)
        if device == "cpu":
            print(
                f"{name}: {len(pairs)} batches, sizes {sorted({len(i) for i, _ in pairs})}, {len(set(seen))} distinct"
            )
        # claim: batch-torch [batches=batches devices=devices]
        assert all(np.abs(g - numpy_batch_grad(X, y, w, idx)).max() < tol for idx, g in pairs)
        assert len(seen) == N  # one epoch: N examples in all
        assert {len(i) for i, _ in pairs} == {B, N % B}  # batches of B, and the remainder last
        if name == "shuffle=True":
            assert np.array_equal(np.sort(seen), np.arange(N))  # each example exactly once
        else:
            assert len(set(seen)) < N  # with replacement some repeat (and some are missed)
print(f"largest difference between autograd and numpy over {batches} batches: {worst:.0e}")
# --8<-- [end:torch]

# --8<-- [start:steps]
import numpy as np


def excess_loss(w: np.ndarray, H: np.ndarray, w_best: np.ndarray) -> np.ndarray:
    """L(w) - L(w*) for least squares: (w - w*)^T H (w - w*) / 2, for any leading shape of w."""
    e = w - w_best
    return 0.5 * np.einsum("...i,ij,...j->...", e, H, e)


def steps_to_target(X, y, B: int, lrs: np.ndarray, seeds: int, target: float, max_steps: int, seed: int):
    """Mini-batch SGD (with replacement) from w = 0 for every lr and seed at once; the step at which each run first
    has excess loss <= target (inf if never). Stops once some lr has finished on more than half the seeds: with an
    odd number of seeds, that lr has the smallest median hitting time."""
    N, dim = X.shape
    H, rng = X.T @ X / N, np.random.default_rng(seed)
    w_best = np.linalg.solve(H, X.T @ y / N)
    start = excess_loss(np.zeros(dim), H, w_best)
    w, hit = np.zeros((len(lrs), seeds, dim)), np.full((len(lrs), seeds), np.inf)
    for t in range(1, max_steps + 1):
        idx = rng.integers(N, size=(len(lrs), seeds, B))
        Xb = X[idx]
        w = w - lrs[:, None, None] * np.einsum("lsbd,lsb->lsd", Xb, np.einsum("lsbd,lsd->lsb", Xb, w) - y[idx]) / B
        loss = excess_loss(w, H, w_best)
        w[~(loss < 1e6 * start)] = np.nan  # diverged: stays nan, never hits
        hit[(loss <= target) & np.isinf(hit)] = t
        if np.any(np.sum(np.isfinite(hit), axis=1) > seeds // 2):
            break
    return hit


rng = np.random.default_rng(0)
N, dim, seeds, max_steps, fast, slow, repeats = 4096, 8, 21, 2000, 4, 2, 3
X = rng.standard_normal((N, dim)) * np.geomspace(0.3, 1.0, dim)  # curvatures from about 0.1 to 1
y = X @ rng.standard_normal(dim) + rng.standard_normal(N)  # noisy labels: the gradients stay noisy at w*
H = X.T @ X / N
w_best = np.linalg.solve(H, X.T @ y / N)
lam_max = np.linalg.eigvalsh(H).max()
target = 0.01 * excess_loss(np.zeros(dim), H, w_best)  # reduce the excess loss 100-fold
lrs = np.geomspace(0.02, 1.9 / lam_max, 12)  # tuned per batch size on this grid, up to the stability limit
sizes = 2 ** np.arange(0, 11)
all_steps, best_lr = [], []
for r in range(repeats):  # independent repetitions: fresh mini-batches for every seed
    hits = [steps_to_target(X, y, int(B), lrs, seeds, target, max_steps, seed=1000 * r + int(B)) for B in sizes]
    medians = np.median(hits, axis=2)  # (batch sizes, learning rates): a seed that never hits counts as inf
    all_steps.append(medians.min(axis=1))  # the median hitting time of the best learning rate
    best_lr.append(lrs[medians.argmin(axis=1)])
all_steps = np.array(all_steps)
steps = all_steps[0]  # the first repetition is the one fitted and drawn
rows = np.c_[np.ones(sizes.size), 1 / sizes] / steps[:, None]  # fit relative errors: steps span two decades
s_min, b_crit = np.linalg.lstsq(rows, np.ones(sizes.size), rcond=None)[0]
b_crit = b_crit / s_min  # McCandlish et al.: S(B) = S_min (1 + B_crit / B)
small, large = all_steps[:, 0] / all_steps[:, 3], all_steps[:, -4] / all_steps[:, -1]  # three doublings at each end
print("B:         ", sizes)
print("steps:     ", steps.astype(int))
print("best lr:   ", np.round(best_lr[0], 2))
print(f"fit S = S_min (1 + B_crit / B): S_min = {s_min:.1f}, B_crit = {b_crit:.0f}")
print(
    f"8x the batch, over {repeats} repetitions: {small.min():.1f}x to {small.max():.1f}x fewer steps",
    f"from B = {sizes[0]},",
)
print(f"  {large.min():.1f}x to {large.max():.1f}x from B = {sizes[-4]}")
# claim: batch-steps [seeds=seeds]
assert np.all(np.isfinite(all_steps))  # every batch size reached the target
assert small.min() > fast  # small batches: 8x the batch, many times fewer steps, in every repetition
assert large.max() < slow  # large batches: 8x the batch, under 2x fewer steps, in every repetition
assert sizes[3] < b_crit < sizes[-4]  # the fitted critical batch lies between the two
# --8<-- [end:steps]

# --8<-- [start:figure]
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 3.8))
grid = np.geomspace(sizes[0], sizes[-1], 100)
ax.loglog(sizes, steps, "o", color="C0", label=f"SGD, best lr per B (median of {seeds} seeds)")
ax.loglog(grid, s_min * (1 + b_crit / grid), color="C3", label="S_min (1 + B_crit / B)")
ax.loglog(grid, s_min * b_crit / grid, color="0.5", ls=":", label="perfect scaling: steps ∝ 1/B")
ax.axvline(b_crit, color="C3", ls="--", lw=0.8)
ax.set(xlabel="batch size B", ylabel="steps to the target loss", title="Doubling B halves the steps, up to B_crit")
ax.legend()
fig.tight_layout()
fig.savefig("batch-size-steps.svg")

fit = s_min * (1 + b_crit / sizes)
fit_tol = 0.4
assert np.all(np.abs(steps / fit - 1) < fit_tol)  # the alt text: the model follows every point
assert np.all(np.diff(steps) <= 0)  # more batch, never more steps
# --8<-- [end:figure]

# --8<-- [start:scaling]
import numpy as np


def run_sgd(X, y, B: int, lr: float, seeds: int, steps: int, seed: int) -> np.ndarray:
    """Excess loss after `steps` mini-batch SGD steps from w = 0, one per seed, as a share of the excess loss at 0."""
    N, dim = X.shape
    H, rng = X.T @ X / N, np.random.default_rng(seed)
    w_best = np.linalg.solve(H, X.T @ y / N)
    w = np.zeros((seeds, dim))
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            idx = rng.integers(N, size=(seeds, B))
            Xb = X[idx]
            w = w - lr * np.einsum("sbd,sb->sd", Xb, np.einsum("sbd,sd->sb", Xb, w) - y[idx]) / B
    e = w - w_best
    return 0.5 * np.einsum("si,ij,sj->s", e, H, e) / (0.5 * w_best @ H @ w_best)  # over the excess loss at w = 0


rng = np.random.default_rng(0)  # the problem of the block above
N, dim, seeds = 4096, 8, 400
X = rng.standard_normal((N, dim)) * np.geomspace(0.3, 1.0, dim)
y = X @ rng.standard_normal(dim) + rng.standard_normal(N)
lam_max = np.linalg.eigvalsh(X.T @ X / N).max()
B0, lr0, base_steps = 2, 0.05, 640  # the base run; every run draws B0 * base_steps examples
scaled_up_to, held, worse = 16, 1.25, 2.0  # up to this batch the rule holds to within `held`
ks = 2 ** np.arange(0, 7)  # batch k B0 with learning rate k lr0, for k steps fewer
final = np.array([run_sgd(X, y, int(k * B0), k * lr0, seeds, base_steps // k, seed=int(k)) for k in ks])
stable = ks * lr0 < 2 / lam_max  # gradient descent's limit on the steepest curvature
ratio = np.median(final, axis=1) / np.median(final[0])
small = ks * B0 <= scaled_up_to
for k, r in zip(ks, ratio, strict=True):
    print(
        f"k = {k:2d}: B = {k * B0:3d}, lr = {k * lr0:.2f}, {base_steps // k:3d} steps,",
        f"lr * lam_max = {k * lr0 * lam_max:.2f}:",
        f"median final loss {r:.3g} x the base run's",
    )
# claim: batch-linear-scaling [seeds=seeds]
assert stable[:-1].all() and not stable[-1]  # only the last k crosses the stability limit
assert np.all(base_steps % ks == 0)  # every run draws the same number of examples
assert np.all(np.abs(np.log(ratio[small])) < np.log(held))  # small batches: about the same loss
assert ratio[stable][-1] > worse  # the largest stable batch: the same examples buy less
assert np.all(final[~stable] > 1)  # past the limit every seed ends above where it started
# --8<-- [end:scaling]
