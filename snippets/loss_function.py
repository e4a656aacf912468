# Code of the Loss function page (docs/loss-function.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:conditional]
import torch
import torch.nn.functional as F


def skewed_data(seeds: int, n: int, s: float = 1.0, device: str = "cpu") -> tuple[torch.Tensor, torch.Tensor]:
    """One data set per seed: x uniform on [0, 1], y = exp(x + s ε) with ε ~ N(0, 1), a right-skewed target."""
    g = torch.Generator().manual_seed(0)
    x = torch.rand(seeds, n, generator=g, dtype=torch.float64)
    y = torch.exp(x + s * torch.randn(seeds, n, generator=g, dtype=torch.float64))
    return x.to(device), y.to(device)


def fit_exp_model(loss_fn, x: torch.Tensor, y: torch.Tensor, steps: int = 200) -> torch.Tensor:
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


seeds, n, s = 20, 4000, 1.0
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    x, y = skewed_data(seeds, n, s, device)
    grid = torch.linspace(0, 1, 21, dtype=torch.float64, device=device)
    cond_mean, cond_median = torch.exp(grid + s**2 / 2), torch.exp(grid)  # E[y | x] and median(y | x)
    fits = {}
    for name, loss_fn in [("MSE", F.mse_loss), ("MAE", F.l1_loss)]:
        a, b = fit_exp_model(loss_fn, x, y).T
        fits[name] = torch.exp(a[:, None] + b[:, None] * grid)  # each seed's fitted curve on the grid
        if device == "cpu":  # the same checks run on every device; the page shows the CPU's numbers
            print(f"{name} fit: a = {a.mean():.3f}, b = {b.mean():.3f} (means over {seeds} data sets)")
    mse_gap = (fits["MSE"] / cond_mean - 1).abs()
    mae_gap = (fits["MAE"] / cond_median - 1).abs()
    if device == "cpu":
        print(f"conditional mean exp(0.5 + x), median exp(x): ratio {cond_mean[0] / cond_median[0]:.3f}")
        print(f"largest gap: MSE fit to the mean {mse_gap.max():.1%}, MAE fit to the median {mae_gap.max():.1%}")
    # claim: loss-fn-mean-median [seeds=seeds devices=devices]
    assert mse_gap.max() < 0.2 and mae_gap.max() < 0.2
    assert mse_gap.mean() < 0.05 and mae_gap.mean() < 0.05
    assert torch.all(fits["MSE"] / fits["MAE"] > 1.25)  # the two losses pick different curves
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
seeds, n, k = 20, 30, 5
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
worst = 0.0
for _ in range(seeds):
    logits, labels = 3 * rng.normal(size=(n, k)), rng.integers(k, size=n)
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    likelihood = np.prod(probs[np.arange(n), labels])  # P(labels | logits), examples independent
    ours = cross_entropy(logits, labels)
    for device in devices:
        z = torch.tensor(logits, device=device, requires_grad=True)
        t = torch.tensor(labels, device=device)
        theirs = F.cross_entropy(z, t)
        theirs.backward()
        via_nll = F.nll_loss(F.log_softmax(z, dim=1), t).item()
        softmax_minus_onehot = (probs - np.eye(k)[labels]) / n
        # claim: loss-fn-ce-nll [seeds=seeds devices=devices]
        assert abs(ours - (-np.log(likelihood) / n)) < 1e-12
        assert abs(ours - theirs.item()) < 1e-12 and abs(ours - via_nll) < 1e-12
        assert np.abs(z.grad.cpu().numpy() - softmax_minus_onehot).max() < 1e-12
        worst = max(worst, abs(ours - theirs.item()), abs(ours + np.log(likelihood) / n))

# Binary cross-entropy is the two-class case: logits (0, z) give P(class 1) = sigmoid(z).
z, t = torch.tensor(3 * rng.normal(size=n)), torch.tensor(rng.integers(2, size=n))
binary = F.binary_cross_entropy_with_logits(z, t.double())
two_class = F.cross_entropy(torch.stack([torch.zeros(n, dtype=z.dtype), z], dim=1), t)
print(f"cross-entropy = -log(likelihood)/n = torch's cross_entropy to within 1e-12: {worst < 1e-12}")
print(f"binary cross-entropy {binary:.6f}, two-class cross-entropy {two_class:.6f}")
# claim: loss-fn-ce-nll
assert abs(binary - two_class) < 1e-12

big = 1000 * rng.normal(size=(n, k))
with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
    naive = -np.mean(np.log(np.exp(big) / np.exp(big).sum(axis=1, keepdims=True))[np.arange(n), labels])
stable = cross_entropy(big, labels)
print(f"logits of size 1000: softmax then log gives {naive}, log-sum-exp gives {stable:.1f}")
# claim: loss-fn-ce-stable
assert not np.isfinite(naive)
assert abs(stable - F.cross_entropy(torch.tensor(big), torch.tensor(labels)).item()) < 1e-9 * stable
# --8<-- [end:cross-entropy]

# --8<-- [start:proper]
import numpy as np

rng = np.random.default_rng(1)
seeds, k, draws = 20, 5, 10_000
p = rng.dirichlet(np.ones(k), size=seeds)  # the true class probabilities, one distribution per seed
q = rng.dirichlet(np.ones(k), size=(seeds, draws))  # predicted probabilities to compare with


def expected_ce(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """E over y ~ p of -log q_y: the cross-entropy of the prediction q when the labels follow p."""
    return -(p * np.log(q)).sum(axis=-1)


gap = expected_ce(p[:, None], q) - expected_ce(p, p)[:, None]
kl = (p[:, None] * np.log(p[:, None] / q)).sum(axis=-1)  # KL(p || q)
# Minimize the expected cross-entropy over logits by gradient descent; its gradient is softmax(z) - p.
z = np.zeros((seeds, k))
for _ in range(3000):
    softmax = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    z -= 2.0 * (softmax - p)
print(f"expected CE above its value at q = p by {gap.min():.1e} at least, over {seeds} x {draws} random q")
print(f"gradient descent on the logits ends at |softmax - p| <= {np.abs(softmax - p).max():.0e}")
# claim: loss-fn-ce-proper [seeds=seeds draws=draws]
assert np.abs(gap - kl).max() < 1e-12  # E[CE](q) = H(p) + KL(p || q)
assert gap.min() > 0
assert np.abs(softmax - p).max() < 1e-4
# --8<-- [end:proper]

# --8<-- [start:outlier]
import numpy as np

rng = np.random.default_rng(2)
seeds, n = 20, 101
y = np.exp(rng.normal(size=(seeds, n)))  # right-skewed targets, one sample per seed
c = np.linspace(0, 15, 7501)  # constant predictions to try, spacing 0.002


def minimizers(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The constant c on the grid with the lowest MSE and the one with the lowest MAE, for each row of y."""
    residual = y[:, :, None] - c
    return c[np.argmin((residual**2).mean(axis=1), axis=1)], c[np.argmin(np.abs(residual).mean(axis=1), axis=1)]


mse_c, mae_c = minimizers(y)
corrupted = y.copy()
corrupted[:, 0] = 1000.0  # one target in 101 is a gross error
mse_bad, mae_bad = minimizers(corrupted)
to_mean, to_median = np.abs(mse_c - y.mean(axis=1)), np.abs(mae_c - np.median(y, axis=1))
mse_moved, mae_moved = mse_bad - mse_c, np.abs(mae_bad - mae_c)
print(f"clean: MSE minimizer - mean <= {to_mean.max():.4f}, MAE minimizer - median <= {to_median.max():.4f}")
print(f"one outlier moves the MSE minimizer by >= {mse_moved.min():.1f}, the MAE minimizer by <= {mae_moved.max():.3f}")
# claim: loss-fn-outlier [seeds=seeds]
assert np.all(to_mean <= 0.002) and np.all(to_median <= 0.002)  # the grid spacing
assert np.all(mse_moved > 5) and np.all(mae_moved < 0.5)
# --8<-- [end:outlier]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

rng = np.random.default_rng(3)
x = rng.uniform(size=300)
y = np.exp(x + rng.normal(size=300))  # the skewed data of the first block, one data set
grid = np.linspace(0, 1, 100)
sample = np.exp(rng.normal(size=20_000))  # y at x = 0: lognormal, mean e^0.5, median 1
c = np.linspace(0, 4, 201)
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
# --8<-- [end:figure]
