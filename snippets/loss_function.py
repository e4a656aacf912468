# Code of the Loss function page (docs/loss-function.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:conditional]
import math

import numpy as np
import torch
import torch.nn.functional as F


def skewed_data(seeds: int, n: int, s: float = 1.0, device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """One data set per seed: x uniform on [0, 1], y = exp(x + s ε) with ε ~ N(0, 1), a right-skewed target."""
    g = torch.Generator().manual_seed(0)
    x = torch.rand(seeds, n, generator=g, dtype=torch.float64)
    y = torch.exp(x + s * torch.randn(seeds, n, generator=g, dtype=torch.float64))
    return x.to(device), y.to(device)


def fit_exp_model(loss_fn, x: torch.Tensor, y: torch.Tensor, steps: int = 600) -> torch.Tensor:
    """Fit y ≈ exp(a + b x) to each data set (row) by full-batch Adam on the given loss; returns (a, b) per row."""
    theta = torch.zeros(x.shape[0], 2, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.Adam([theta], lr=0.05)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps)
    for _ in range(steps):
        prediction = torch.exp(theta[:, :1] + theta[:, 1:] * x)
        loss = loss_fn(prediction, y, reduction="none").mean(dim=1).sum()  # the rows are independent problems
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
    return theta.detach()


def profile(name: str, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each data set (row) and each slope b[row, j]: the exactly best a, and the loss there. With u = e^{b x},
    MSE's best e^a is sum(y u) / sum(u^2); MAE's is the median of y / u weighted by u."""
    u = np.exp(b[..., None] * x[:, None, :])  # (data sets, slopes, points)
    if name == "MSE":
        scale = (y[:, None] * u).sum(-1) / (u * u).sum(-1)
    else:  # sum |e^a u - y| = sum u |e^a - y / u|: a weighted median
        order = np.argsort(y[:, None] / u, axis=-1)
        ratio, weight = np.take_along_axis(y[:, None] / u, order, -1), np.take_along_axis(u, order, -1)
        below = weight.cumsum(-1)
        half = (below < below[..., -1:] / 2).sum(-1, keepdims=True)
        scale = np.take_along_axis(ratio, half, -1)[..., 0]
    residual = scale[..., None] * u - y[:, None]
    return np.log(scale), (residual**2 if name == "MSE" else np.abs(residual)).mean(-1)


def exact_fit(name: str, x: np.ndarray, y: np.ndarray, lo: float = 0.0, hi: float = 2.0) -> tuple:
    """The minimizer of MSE or MAE over (a, b), without gradients: a exactly for each b, and b by a grid search
    in [lo, hi] that zooms in around the best slope (each zoom shrinks the bracket five times)."""
    lo, hi, rows = np.full(len(x), lo), np.full(len(x), hi), np.arange(len(x))
    for _ in range(12):
        b = np.linspace(lo, hi, 11, axis=1)
        best = b[rows, np.clip(profile(name, b, x, y)[1].argmin(1), 1, 9)]
        lo, hi = best - (hi - lo) / 10, best + (hi - lo) / 10
    b = (lo + hi) / 2
    return profile(name, b[:, None], x, y)[0][:, 0], b


seeds, n, s = 20, 4000, 1.0
grid_points, gap_max, gap_mean, apart, fit_tol = 21, 0.12, 0.05, 1.25, 1e-3
ratio = math.exp(s**2 / 2)  # E[y | x] / median(y | x) for log-normal noise
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
x, y = skewed_data(seeds, n, s)
exact = {name: exact_fit(name, x.numpy(), y.numpy()) for name in ("MSE", "MAE")}  # the minimizers themselves
for device in devices:
    x, y = skewed_data(seeds, n, s, device)
    grid = torch.linspace(0, 1, grid_points, dtype=torch.float64, device=device)
    cond_mean, cond_median = torch.exp(grid + s**2 / 2), torch.exp(grid)  # E[y | x] and median(y | x)
    fits, off = {}, 0.0
    for name, loss_fn in [("MSE", F.mse_loss), ("MAE", F.l1_loss)]:
        theta = fit_exp_model(loss_fn, x, y).cpu().numpy()
        off = max(off, np.abs(theta - np.stack(exact[name], axis=1)).max())  # Adam's fit vs. the exact one
        a, b = torch.tensor(theta.T, device=device)
        fits[name] = torch.exp(a[:, None] + b[:, None] * grid)  # each seed's fitted curve on the grid
        if device == "cpu":  # the same checks run on every device; the page shows the CPU's numbers
            print(f"{name} fit: a = {a.mean():.3f}, b = {b.mean():.3f} (means over {seeds} data sets)")
    mse_gap = (fits["MSE"] / cond_mean - 1).abs()
    mae_gap = (fits["MAE"] / cond_median - 1).abs()
    if device == "cpu":
        print(f"conditional mean exp({s**2 / 2} + x), median exp(x): ratio {cond_mean[0] / cond_median[0]:.3f}")
        print(f"largest gap: MSE fit to the mean {mse_gap.max():.1%}, MAE fit to the median {mae_gap.max():.1%}")
        print(f"each fit's a and b within {fit_tol:.0e} of the exact minimizer of its loss: {off < fit_tol}")
    # claim: loss-fn-mean-median [seeds=seeds devices=devices]
    assert fits["MSE"].shape == (seeds, grid_points)
    assert off < fit_tol  # every fit has converged to the minimizer of its loss, not a point on the way
    assert mse_gap.max() < gap_max and mae_gap.max() < gap_max
    assert mse_gap.mean() < gap_mean and mae_gap.mean() < gap_mean
    assert torch.all(fits["MSE"] / fits["MAE"] > apart)  # the two losses pick different curves
# --8<-- [end:conditional]

# --8<-- [start:cross-entropy]
import numpy as np
import torch
import torch.nn.functional as F


def cross_entropy(logits: np.ndarray, labels: np.ndarray) -> float:
    """Mean of -log softmax(logits)[label] over the examples, via log-sum-exp so large logits do not overflow."""
    logits, labels = np.asarray(logits, dtype=float), np.asarray(labels)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (n, K), got shape {logits.shape}")
    n, k = logits.shape
    if labels.shape != (n,) or not np.issubdtype(labels.dtype, np.integer) or np.any((labels < 0) | (labels >= k)):
        raise ValueError(f"labels must be {n} integers in [0, {k}), got {labels!r}")
    shifted = logits - logits.max(axis=1, keepdims=True)  # log softmax is unchanged by a shift
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(n), labels].mean())


rng = np.random.default_rng(0)
seeds, n, k, tol, scale, stable_tol = 20, 30, 5, 1e-12, 1000, 1e-9
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
weights = np.arange(1.0, k + 1)  # class weights, for the weighted mean
worst = 0.0
for _ in range(seeds):
    logits, labels = 3 * rng.normal(size=(n, k)), rng.integers(k, size=n)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    likelihood = np.prod(probs[np.arange(n), labels])  # P(labels | logits), examples independent
    ours = cross_entropy(logits, labels)
    z2, t2 = 3 * rng.normal(size=n), rng.integers(2, size=n)  # a binary problem: one logit per example
    for device in devices:
        z = torch.tensor(logits, device=device, requires_grad=True)
        t = torch.tensor(labels, device=device)
        theirs = F.cross_entropy(z, t)
        theirs.backward()
        via_nll = F.nll_loss(F.log_softmax(z, dim=1), t).item()
        softmax_minus_onehot = (probs - np.eye(k)[labels]) / n
        # Binary cross-entropy is the two-class case: logits (0, z) give P(class 1) = sigmoid(z).
        zb, tb = torch.tensor(z2, device=device), torch.tensor(t2, device=device)
        binary = F.binary_cross_entropy_with_logits(zb, tb.double()).item()
        two_class = F.cross_entropy(torch.stack([torch.zeros_like(zb), zb], dim=1), tb).item()
        # With class weights, reduction="mean" divides by the weights of the true classes, not by n.
        weighted = F.cross_entropy(z.detach(), t, weight=torch.tensor(weights, device=device)).item()
        per_example, w = -np.log(probs[np.arange(n), labels]), weights[labels]
        # claim: loss-fn-ce-nll [seeds=seeds devices=devices]
        assert abs(ours - (-np.log(likelihood) / n)) < tol
        assert abs(ours - theirs.item()) < tol and abs(ours - via_nll) < tol
        assert np.abs(z.grad.cpu().numpy() - softmax_minus_onehot).max() < tol
        assert abs(binary - two_class) < tol
        assert abs(weighted - (w * per_example).sum() / w.sum()) < tol  # divided by sum of w_{y_i}...
        assert abs(weighted - (w * per_example).sum() / n) > tol  # ...not by n
        worst = max(worst, abs(ours - theirs.item()), abs(ours + np.log(likelihood) / n), abs(binary - two_class))
print(
    f"cross-entropy = -log(likelihood)/n = torch's cross_entropy, binary = two-class, within {tol:.0e}: {worst < tol}"
)
print(f"last binary problem: binary cross-entropy {binary:.6f}, two-class cross-entropy {two_class:.6f}")

big = scale * rng.normal(size=(n, k))
with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
    per_entry = np.log(np.exp(big) / np.exp(big).sum(axis=1, keepdims=True))  # softmax, then its log
    shifted = big - big.max(axis=1, keepdims=True)  # the largest logit subtracted first: no overflow...
    shifted_log = np.log(np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True))  # ...but underflow
naive = -per_entry[np.arange(n), labels].mean()
n_nan, n_neginf = np.isnan(per_entry).sum(), np.isneginf(per_entry).sum()  # inf / inf, and log(0)
with np.errstate(over="ignore", invalid="ignore"):  # inf / inf in the rows whose sum overflowed
    row_overflow = np.isinf(np.exp(big).sum(axis=1, keepdims=True))  # a finite exp over an infinite sum is 0
    exp_underflow = np.exp(big) == 0
    total = np.exp(big).sum(axis=1, keepdims=True)
    quotient_underflow = (np.exp(big) > 0) & np.isfinite(total) & (np.exp(big) / total == 0)  # tiny / huge
    unshifted = big - np.log(np.exp(big).sum(axis=1, keepdims=True))  # log-sum-exp without the shift
by_overflow = (np.isneginf(per_entry) & row_overflow).sum()
by_underflow = (np.isneginf(per_entry) & exp_underflow).sum()
by_quotient = (np.isneginf(per_entry) & quotient_underflow).sum()
stable = cross_entropy(big, labels)
z, t = torch.tensor(big), torch.tensor(labels)
reference = F.cross_entropy(z, t).item()
twice = F.cross_entropy(F.log_softmax(z, dim=1), t).item()  # log-probabilities passed as logits: harmless
from_probs = F.cross_entropy(F.softmax(z, dim=1), t).item()  # probabilities passed as logits: wrong
print(f"logits of size {scale}: softmax then log gives {naive} (of {per_entry.size} entries: {n_nan} nan,")
print(f"  {n_neginf} -inf: {by_overflow} in rows whose sum overflowed, {by_underflow} where exp underflowed,")
print(f"  {by_quotient} where exp / sum underflowed); rows whose sum overflowed: {row_overflow.sum()} of {n}")
print(f"log-sum-exp unshifted: -inf in all of them: {np.isneginf(unshifted[row_overflow[:, 0]]).all()}")
print(f"shifted first: {np.isneginf(shifted_log).sum()} -inf; shifted log-sum-exp gives {stable:.1f}")
print(f"cross_entropy of log_softmax {twice:.1f}, of softmax {from_probs:.2f}")
# claim: loss-fn-ce-stable
assert np.isnan(naive) and n_nan > 0 and n_neginf > 0  # inf / inf for some entries, log 0 for others
assert np.all(np.isneginf(per_entry) <= (row_overflow | exp_underflow | quotient_underflow))  # every -inf explained
assert by_overflow > 0 and by_underflow > 0 and by_quotient > 0
assert row_overflow.any() and np.isneginf(unshifted[row_overflow[:, 0]]).all()  # z - log(inf) without the shift
assert np.isneginf(shifted_log).any() and not np.isnan(shifted_log).any()  # the shift cures only overflow
assert np.isfinite(stable) and abs(stable - reference) < stable_tol * stable
assert abs(twice - reference) < stable_tol * stable and abs(from_probs - reference) > 1
# --8<-- [end:cross-entropy]

# --8<-- [start:proper]
import numpy as np
import torch

rng = np.random.default_rng(1)
seeds, k, draws, tol, p_tol, fd_tol, mean_tol = 20, 5, 10_000, 1e-12, 1e-4, 1e-8, 1e-5
closeness = (1e-1, 1e-2, 1e-3, 1e-4)  # half the q are p with its log-probabilities nudged by about this much
p = rng.dirichlet(np.ones(k), size=seeds)  # the true class probabilities, one distribution per seed
far = rng.dirichlet(np.ones(k), size=(seeds, draws // 2))  # predicted probabilities to compare with...
nudged = [np.log(p)[:, None] + d * rng.normal(size=(seeds, draws // 2 // len(closeness), k)) for d in closeness]
near = np.exp(np.concatenate(nudged, axis=1))  # ...and some close to p, where the gap is smallest
q = np.concatenate([far, near / near.sum(axis=-1, keepdims=True)], axis=1)


def expected_ce(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """E over y ~ p of -log q_y: the cross-entropy of the prediction q when the labels follow p."""
    return -(p * np.log(q)).sum(axis=-1)


def softmax(z: np.ndarray) -> np.ndarray:
    """Class probabilities from logits (last axis)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def numerical_gradient(f, z: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of f (one value per row of z) in each logit: the gradient without a formula."""
    step = h * np.eye(z.shape[-1])
    return np.stack([(f(z + e) - f(z - e)) / (2 * h) for e in step], axis=-1)


gap = expected_ce(p[:, None], q) - expected_ce(p, p)[:, None]
kl = torch.distributions.kl_divergence(  # KL(p || q), computed by torch, not from expected_ce
    torch.distributions.Categorical(probs=torch.tensor(p[:, None])),
    torch.distributions.Categorical(probs=torch.tensor(q)),
).numpy()
# Minimize the expected cross-entropy over logits by gradient descent on expected_ce itself.
loss = lambda z: expected_ce(p, softmax(z))  # noqa: E731
z = np.zeros((seeds, k))
start_gradient = numerical_gradient(loss, z)  # in theory softmax(z) - p
for _ in range(3000):
    z -= 2.0 * numerical_gradient(loss, z)
print(f"expected CE above its value at q = p, over {seeds} x {draws} random q: by {gap.min():.1e} at least")
print(f"  ({gap[:, : draws // 2].min():.1e} over the Dirichlet draws, {gap[:, draws // 2 :].min():.1e} near p)")
print(f"gradient descent on the logits ends at |softmax - p| <= {np.abs(softmax(z) - p).max():.0e}")
# claim: loss-fn-ce-proper [seeds=seeds draws=draws]
assert gap.shape == (seeds, draws)
assert np.abs(gap - kl).max() < tol  # E[CE](q) = H(p) + KL(p || q)
assert gap.min() > 0  # also for the q nudged only slightly away from p
assert np.abs(start_gradient - (softmax(np.zeros(k)) - p)).max() < fd_tol  # the gradient is softmax(z) - p
assert np.abs(softmax(z) - p).max() < p_tol
assert np.abs(z.mean(axis=1)).max() < mean_tol  # gradient descent: the gradient sums to 0, the mean logit stays 0
# --8<-- [end:proper]

# --8<-- [start:outlier]
import numpy as np

rng = np.random.default_rng(2)
seeds, n, spacing, outlier, delta = 20, 101, 0.002, 1000.0, 1.0
mse_shift, mae_shift = 5, 0.5
y = np.exp(rng.normal(size=(seeds, n)))  # right-skewed targets, one sample per seed
c = spacing * np.arange(round(15 / spacing) + 1)  # constant predictions to try, from 0 to 15


def huber(r: np.ndarray, delta: float) -> np.ndarray:
    """Huber's loss: r²/2 for |r| <= delta, linear beyond, so one huge residual costs only linearly."""
    return np.where(np.abs(r) <= delta, r**2 / 2, delta * (np.abs(r) - delta / 2))


def minimizers(y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The constant c on the grid with the lowest MSE, MAE and Huber loss, for each row of y."""
    residual = y[:, :, None] - c
    best = [np.argmin(loss.mean(axis=1), axis=1) for loss in (residual**2, np.abs(residual), huber(residual, delta))]
    return tuple(c[i] for i in best)


mse_c, mae_c, huber_c = minimizers(y)
corrupted = y.copy()
corrupted[:, 0] = outlier  # one target in n is a gross error
mse_bad, mae_bad, huber_bad = minimizers(corrupted)
to_mean, to_median = np.abs(mse_c - y.mean(axis=1)), np.abs(mae_c - np.median(y, axis=1))
mse_moved, mae_moved, huber_moved = mse_bad - mse_c, np.abs(mae_bad - mae_c), np.abs(huber_bad - huber_c)
change = (outlier - y[:, 0]) / n  # how far the outlier moves the sample mean
print(f"clean: MSE minimizer - mean <= {to_mean.max():.4f}, MAE minimizer - median <= {to_median.max():.4f}")
print(f"one outlier moves the MSE minimizer by >= {mse_moved.min():.1f}, the MAE minimizer by <= {mae_moved.max():.3f}")
print(f"the Huber minimizer (delta = {delta}) by <= {huber_moved.max():.3f}")
# claim: loss-fn-outlier [seeds=seeds]
assert np.all(to_mean <= spacing) and np.all(to_median <= spacing)  # the grid spacing
assert np.all(mse_moved > mse_shift) and np.all(mae_moved < mae_shift) and np.all(huber_moved < mae_shift)
assert np.all(np.abs(mse_moved - change) <= spacing)  # the MSE minimizer moves with the mean
# --8<-- [end:outlier]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(3)
n_points, n_sample = 300, 20_000
x = rng.uniform(size=n_points)
y = np.exp(x + rng.normal(size=n_points))  # the skewed data of the first block, one data set
grid = np.linspace(0, 1, 100)
sample = np.exp(rng.normal(size=n_sample))  # y at x = 0: lognormal, mean e^0.5, median 1
c = np.linspace(0, 4, 401)
mse = ((sample[:, None] - c) ** 2).mean(axis=0)
mae = np.abs(sample[:, None] - c).mean(axis=0)

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
left.scatter(x, y, s=6, color="0.6", label="data")
left.plot(grid, np.exp(grid + 0.5), color="C0", label="conditional mean (MSE's target)")
left.plot(grid, np.exp(grid), color="C3", label="conditional median (MAE's target)")
left.set(xlabel="x", ylabel="y", ylim=(0, 12), title="y = exp(x + ε): skewed noise")
left.legend(fontsize=8, loc="upper left")
right.plot(c, mse - mse.min(), color="C0", label="expected MSE − its minimum")
right.plot(c, mae - mae.min(), color="C3", label="expected MAE − its minimum")
right.axvline(sample.mean(), color="C0", ls=":", lw=1)
right.axvline(np.median(sample), color="C3", ls=":", lw=1)
right.set(xlabel="constant prediction c (at x = 0)", ylabel="excess risk", ylim=(0, 2), title="Each loss, its best c")
right.legend(fontsize=8, loc="upper center")
fig.tight_layout()
fig.savefig("loss-function-targets.svg")

# What the figure's description says: each curve is lowest at its statistic (to the grid spacing).
best_mse, best_mae = c[np.argmin(mse)], c[np.argmin(mae)]
assert abs(best_mse - sample.mean()) <= c[1] - c[0] and abs(best_mae - np.median(sample)) <= c[1] - c[0]
assert abs(sample.mean() - np.exp(0.5)) < 0.05 and abs(np.median(sample) - 1) < 0.05
# --8<-- [end:figure]

# --8<-- [start:likelihood]
import math

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(4)
n, tol = 1000, 1e-12
prediction = torch.randn(n, generator=gen, dtype=torch.float64)
target = prediction + torch.randn(n, generator=gen, dtype=torch.float64)
mse, mae = F.mse_loss(prediction, target).item(), F.l1_loss(prediction, target).item()
for scale in (0.5, 1.0, 2.0):
    gauss_nll = -torch.distributions.Normal(prediction, scale).log_prob(target).mean().item()
    laplace_nll = -torch.distributions.Laplace(prediction, scale).log_prob(target).mean().item()
    # claim: loss-fn-likelihoods
    assert abs(gauss_nll - (mse / (2 * scale**2) + math.log(scale * math.sqrt(2 * math.pi)))) < tol
    assert abs(laplace_nll - (mae / scale + math.log(2 * scale))) < tol
print(f"Gaussian NLL = MSE / 2σ² + log(σ√2π), Laplace NLL = MAE / b + log 2b: to within {tol:.0e}")
# --8<-- [end:likelihood]

# --8<-- [start:surrogates]
import numpy as np

margin = np.linspace(-3, 3, 601)  # m = y f(x) for a label y in {-1, +1} and a score f(x)
zero_one = (margin <= 0).astype(float)  # a mistake costs 1
surrogates = {
    "hinge": lambda m: np.maximum(0, 1 - m),
    "logistic": lambda m: np.log2(1 + np.exp(-m)),  # in bits, so that it is 1 at m = 0
}
hinge, logistic = (phi(margin) for phi in surrogates.values())


def convex_on_grid(values: np.ndarray) -> bool:
    """Nonnegative second differences on an evenly spaced grid: convex there, up to rounding."""
    return bool(np.all(np.diff(values, 2) >= -1e-12))


# The best score f for an input whose label is +1 with probability eta, for each surrogate.
near_half = 1e-3  # also eta = 1/2 +- this: a surrogate kinked at 0 would pick the score 0 there
eta = np.sort(np.r_[np.linspace(0.025, 0.975, 20), 0.5 - near_half, 0.5 + near_half])[:, None]  # not 0.5 itself
f = np.linspace(-5, 5, 2001)
best_hinge, best_logistic = (f[np.argmin(eta * phi(f) + (1 - eta) * phi(-f), axis=1)] for phi in surrogates.values())
eta = eta.ravel()
bayes = np.sign(2 * eta - 1)  # the Bayes classifier: predict the likelier label
# Bartlett, Jordan & McAuliffe: a convex surrogate is classification-calibrated iff it has a negative
# derivative at margin 0. One-sided slopes at 0, with steps h = dm and dm / 100: they agree to within h (a
# kink would leave a gap that does not shrink with h), so differentiable, and < 0.
dm = margin[1] - margin[0]
steps = (dm, dm / 100)
slopes = {name: [((phi(0) - phi(-h)) / h, (phi(h) - phi(0)) / h) for h in steps] for name, phi in surrogates.items()}
# The derivatives at 0 from the formulas, and the largest second derivative (hinge: none near 0; logistic in
# bits: sigma (1 - sigma) / ln 2 <= 1 / (4 ln 2)). A one-sided slope with step h is within h max|phi''| / 2 of
# the derivative (Taylor); a kink at 0 moves it by its full size at every h.
exact = {"hinge": -1.0, "logistic": -1 / (2 * np.log(2))}
curvature = {"hinge": 0.0, "logistic": 1 / (4 * np.log(2))}
print(f"hinge >= 0-1: {np.all(hinge >= zero_one)}, logistic >= 0-1: {np.all(logistic >= zero_one)}")
print(f"best hinge score = sign(2 eta - 1) at {np.sum(best_hinge == bayes)} of {eta.size} values of eta")

# claim: loss-fn-surrogates [etas=eta.size]
assert np.all(hinge >= zero_one) and np.all(logistic >= zero_one)  # upper bounds of the 0-1 loss
assert convex_on_grid(hinge) and convex_on_grid(logistic) and not convex_on_grid(zero_one)
assert np.all(np.sign(best_hinge) == bayes) and np.all(np.sign(best_logistic) == bayes)  # the Bayes sign
assert np.all(best_hinge == bayes)  # hinge: the score itself is ±1
assert all(
    abs(left - right) < h and right < 0 for one in slopes.values() for h, (left, right) in zip(steps, one, strict=True)
)
assert all(  # each one-sided slope is the formula's derivative, to within Taylor's remainder and rounding
    abs(s - exact[name]) <= h * curvature[name] / 2 + 1e-9
    for name, one in slopes.items()
    for h, pair in zip(steps, one, strict=True)
    for s in pair
)
assert np.all(np.abs(best_logistic - np.log(eta / (1 - eta))) <= f[1] - f[0])  # logistic: the log-odds
# --8<-- [end:surrogates]

# --8<-- [start:smoothing]
import numpy as np
import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(5)
k, n, smoothing, tol = 5, 64, 0.1, 1e-12
logits = 3 * torch.randn(n, k, generator=gen, dtype=torch.float64)
labels = torch.randint(k, (n,), generator=gen)
soft = (1 - smoothing) * F.one_hot(labels, k).double() + smoothing / k  # the smoothed target
by_hand = -(soft * F.log_softmax(logits, dim=1)).sum(dim=1).mean().item()
builtin = F.cross_entropy(logits, labels, label_smoothing=smoothing).item()

# Gradient descent on one example's logits: without smoothing the logit gap grows for ever,
# with it the softmax settles on the smoothed target and the gap on log((1 - ε + ε/K) / (ε/K)).
steps, gaps, halfway = 2000, {}, {}
for eps in (0.0, smoothing):
    z = torch.zeros(1, k, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([z], lr=1.0)
    for step in range(steps):
        opt.zero_grad()
        F.cross_entropy(z, torch.tensor([0]), label_smoothing=eps).backward()
        opt.step()
        if step == steps // 2:
            halfway[eps] = (z[0, 0] - z[0, 1:].max()).item()
    gaps[eps] = (z[0, 0] - z[0, 1:].max()).item()
limit = np.log((1 - smoothing + smoothing / k) / (smoothing / k))
print(f"label_smoothing={smoothing}: torch equals the smoothed target by hand: {abs(by_hand - builtin) < tol}")
print(f"logit gap after {steps} steps: {gaps[0.0]:.2f} without smoothing (at {steps // 2}: {halfway[0.0]:.2f}),")
print(f"{gaps[smoothing]:.4f} with smoothing (at {steps // 2}: {halfway[smoothing]:.4f})")
print(f"predicted limit with smoothing: log((1 - ε + ε/K) / (ε/K)) = {limit:.4f}")

# claim: loss-fn-label-smoothing
assert abs(by_hand - builtin) < tol
assert abs(gaps[smoothing] - limit) < 1e-6  # a finite optimum
assert gaps[0.0] > 2 * limit and gaps[0.0] > halfway[0.0] + 0.5  # no finite optimum: still growing
# --8<-- [end:smoothing]
