# Code of the Learning rate page (docs/learning-rate.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:steps]
import numpy as np


def steps_to_tolerance(curv: np.ndarray, x0: np.ndarray, lrs: np.ndarray, tol: float, cap: int) -> np.ndarray:
    """Gradient descent on f = sum curv x^2 / 2 for every lr at once: steps until |x_t| <= tol |x_0|."""
    lrs = np.asarray(lrs, dtype=float)
    if not np.all((lrs > 0) & np.isfinite(lrs)):
        raise ValueError(f"lrs must be finite positive step sizes, got lrs={lrs!r}")
    if not 0 < tol < 1:
        raise ValueError(f"tol must lie in (0, 1), got tol={tol!r}")
    x = np.broadcast_to(x0, lrs.shape + x0.shape).copy()
    lr = lrs[:, None, None]
    target = tol * np.linalg.norm(x0, axis=-1)
    steps = np.full(x.shape[:-1], cap)
    for t in range(1, cap + 1):
        x -= lr * curv * x  # x <- x - lr * grad f(x)
        steps[(steps == cap) & (np.linalg.norm(x, axis=-1) <= target)] = t
        if np.all(steps < cap):
            break
    return steps


# Random quadratics with curvatures from mu = 1 to L = 10 (both present in each problem).
problems, dim, mu, L, tol, cap, within = 20, 10, 1.0, 10.0, 1e-6, 30_000, 0.02
rng = np.random.default_rng(0)
curv = rng.uniform(mu, L, (problems, dim))
curv[:, :2] = [mu, L]
x0 = rng.uniform(-1, 1, (problems, dim))
lr_times_L = np.array([0.01, 0.02, 0.05, 0.1, 0.2])
shown_lrs = ", ".join(f"{r:g}" for r in lr_times_L)
steps = steps_to_tolerance(curv, x0, lr_times_L / L, tol=tol, cap=cap)  # shape (lrs, problems)
for r, n in zip(lr_times_L, steps, strict=True):
    median = np.median(n)
    print(
        f"lr * L = {r:4.2f}: median steps to 1e{np.log10(tol):.0f} = {median:6.0f}, steps * lr * L = {median * r:5.1f}"
    )

# claim: lr-steps-inverse [problems=len(curv)]
assert np.all(steps < cap)  # every run got there
product = steps * lr_times_L[:, None]  # steps * lr: constant if steps ~ 1 / lr
spread = (product.max(axis=0) / product.min(axis=0)).max()
assert spread < 1 + within  # for every problem
# --8<-- [end:steps]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np


def steps_needed(curv: np.ndarray, x0: np.ndarray, lrs: np.ndarray, tol: float) -> np.ndarray:
    """First t with |x_t| <= tol |x_0| for gradient descent on f = sum curv x^2 / 2, from the closed form."""
    factor2 = (1 - lrs[:, None, None] * curv) ** 2  # x_t = (1 - lr curv)^t x_0, coordinate by coordinate
    target = tol**2 * (x0**2).sum(-1)
    lo, hi = np.zeros(factor2.shape[:2]), np.full(factor2.shape[:2], 2.0**25)
    for _ in range(25):  # bisection on t: |x_t| falls monotonically while lr < 2 / L
        mid = np.floor((lo + hi) / 2)
        too_big = (x0**2 * factor2 ** mid[..., None]).sum(-1) > target
        lo, hi = np.where(too_big, mid, lo), np.where(too_big, hi, mid)
    return hi


problems, dim, mu, L, tol = 20, 10, 1.0, 10.0, 1e-6  # the same problems as above
rng = np.random.default_rng(0)
curv = rng.uniform(mu, L, (problems, dim))
curv[:, :2] = [mu, L]
x0 = rng.uniform(-1, 1, (problems, dim))
low, knee, best = 0.005, 1.0, 2 * L / (L + mu)  # in units of 1 / L; the limit is 2
lr_times_L = np.r_[np.geomspace(low, 1.5, 60), np.linspace(1.52, 1.995, 40)]  # all below the limit 2 / L
median = np.median(steps_needed(curv, x0, lr_times_L / L, tol), axis=1)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.loglog(lr_times_L, median, color="C0", lw=2, label=f"gradient descent (median of {problems} problems)")
ax.loglog(lr_times_L, median[0] * lr_times_L[0] / lr_times_L, "k--", lw=1, label="∝ 1 / learning rate")
ax.axvline(best, color="C2", ls=":", label="best fixed step 2 / (L + μ)")
ax.axvline(2, color="C3", ls=":", label="stability limit 2 / L")
ax.set(xlabel="learning rate × L", ylabel=f"steps to shrink the error 1e{np.log10(1 / tol):.0f}-fold", ylim=(50, 5e4))
ax.set_title(f"Quadratics with curvatures from {mu:g} to {L:g}")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
fig.savefig("learning-rate-steps.svg")

# What the figure's description says, checked on its own curve.
line = lr_times_L <= knee
fit = np.polyfit(np.log(lr_times_L[line]), np.log(median[line]), 1)
slope, bend = fit[0], np.abs(np.log(median[line]) - np.polyval(fit, np.log(lr_times_L[line]))).max()
fewest = lr_times_L[np.argmin(median)]
rise, near, straight = median[-1] / median.min(), 0.01, 0.03
log_gap = -np.log(1 - knee * mu / L) / (knee * mu / L) - 1  # why the line bends: -ln(1 - x) > x
assert abs(slope + 1) < 0.05 and bend < straight  # a straight line of slope -1 up to lr = 1 / L: every point on it
assert abs(fewest / best - 1) < near  # the fewest steps near 2 / (L + mu)
assert rise > 10 and np.all(np.diff(median[lr_times_L > best * 1.1]) >= 0)  # a sharp rise toward 2 / L
# --8<-- [end:figure]

# --8<-- [start:smaller]
import numpy as np
import torch


def final_losses(
    lrs: list[float], seeds: int, steps: int, device: str, width: int = 16, points: int = 32, draw: int = 0
) -> np.ndarray:
    """Full-batch gradient descent on 1-hidden-layer tanh networks fitting sin(3x): one per (lr, seed), at once.
    Draw 0 fits an even grid of points; any other draw, points drawn at random, with other initial weights."""
    gen = torch.Generator().manual_seed(draw)
    grid = torch.linspace(-2, 2, points, dtype=torch.float64)
    if draw:
        grid = (4 * torch.rand(points, generator=gen, dtype=torch.float64) - 2).sort().values
    x = grid[:, None].to(device)
    y = torch.sin(3 * x)[:, 0]
    init = [  # each seed's network starts the same for every lr
        torch.randn(seeds, width, generator=gen, dtype=torch.float64),  # input weights
        torch.zeros(seeds, width, dtype=torch.float64),  # biases
        torch.randn(seeds, width, generator=gen, dtype=torch.float64) / width**0.5,  # output weights
        torch.zeros(seeds, 1, dtype=torch.float64),  # output bias
    ]
    params = [p.repeat(len(lrs), 1).to(device).requires_grad_() for p in init]
    lr = torch.tensor(lrs, dtype=torch.float64, device=device).repeat_interleave(seeds)[:, None]
    for _ in range(steps):
        w1, b1, w2, b2 = params
        hidden = torch.tanh(x[None] * w1[:, None, :] + b1[:, None, :])  # (networks, points, width)
        loss = (((hidden * w2[:, None, :]).sum(-1) + b2 - y) ** 2).mean(dim=1)  # mean squared error per network
        grads = torch.autograd.grad(loss.sum(), params)  # the networks are independent
        with torch.no_grad():
            for p, g in zip(params, grads, strict=True):
                p -= lr * g
    return loss.detach().view(len(lrs), seeds).cpu().numpy()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
lrs, seeds, steps, factor, width, points, draws = [0.003, 0.01, 0.03, 0.1], 20, 300, 2, 16, 32, 2
shown_lrs = ", ".join(f"{lr:g}" for lr in lrs)
for device in devices:
    # Two data sets (an even grid, random points), each with its own seeds' initial weights.
    losses = np.concatenate(
        [final_losses(lrs, seeds, steps, device, width, points, draw) for draw in range(draws)], axis=1
    )
    if device == "cpu":  # every device is checked; the page shows the CPU's numbers
        for lr, row in zip(lrs, losses, strict=True):
            print(
                f"lr = {lr:5.3f}: training loss after {steps} steps, median {np.median(row):.3f}, worst {row.max():.3f}"
            )
    # claim: lr-smaller-not-better [seeds=draws*seeds devices=devices]
    assert losses.shape == (len(lrs), draws * seeds)
    assert np.all(np.diff(losses, axis=0) < 0)  # each larger lr ends lower, on every seed
    assert np.all(losses[0] > factor * losses[-1])  # the smallest lr ends more than factor times as high
# --8<-- [end:smaller]

# --8<-- [start:loss-scale]
import torch


def run(
    opt_class, reduction: str, lr: float, steps: int, device: str, problems: int = 20, n: int = 64, dim: int = 5
) -> torch.Tensor:
    """Weights of `problems` linear regressions (n examples each) after `steps` steps of a torch optimizer."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(problems, n, dim, generator=gen, dtype=torch.float64).to(device)
    y = (x @ torch.randn(problems, dim, 1, generator=gen, dtype=torch.float64).to(device))[..., 0]
    w = torch.zeros(problems, dim, dtype=torch.float64, device=device, requires_grad=True)
    opt = opt_class([w], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        squared = ((x @ w[..., None])[..., 0] - y) ** 2
        (squared.mean(dim=1) if reduction == "mean" else squared.sum(dim=1)).sum().backward()
        opt.step()
    return w.detach()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
problems, n, lr, adam_lr, steps = 20, 64, 0.1, 0.01, 100
same, diverged, adam_same = 1e-12, 1e6, 1e-6
for device in devices:
    sgd_mean = run(torch.optim.SGD, "mean", lr, steps, device, problems, n)
    sgd_sum_scaled = run(torch.optim.SGD, "sum", lr / n, steps, device, problems, n)  # the same lr per example
    sgd_sum = run(torch.optim.SGD, "sum", lr, steps, device, problems, n)
    adam_mean = run(torch.optim.Adam, "mean", adam_lr, steps, device, problems, n)
    adam_sum = run(torch.optim.Adam, "sum", adam_lr, steps, device, problems, n)
    sgd_gap, adam_gap = (sgd_mean - sgd_sum_scaled).abs().max(), (adam_mean - adam_sum).abs().max()
    adam_vs_sgd = (adam_mean - sgd_mean).abs().max().item()  # Adam's weights are its own, not SGD's
    if device == "cpu":
        print(f"SGD, mean loss at lr {lr} vs sum loss at lr {lr}/{n}: weights differ by less than {same:.0e}")
        print(f"SGD, sum loss at lr {lr}: every |w| above {diverged:.0e} (diverged)")
        print(f"Adam at lr {adam_lr}, mean loss vs sum loss: weights differ by less than {adam_same:.0e}")
        print(f"Adam vs SGD on the mean loss: weights differ by up to {adam_vs_sgd:.2f}")
    # claim: lr-loss-scale [devices=devices steps=steps]
    assert sgd_gap < same
    assert sgd_sum.isfinite().all() and sgd_sum.abs().min() > diverged  # n times the step: diverges (NaN fails)
    assert adam_gap < adam_same
    assert adam_vs_sgd > 100 * adam_same  # so "the same weights" means Adam's on both losses
# --8<-- [end:loss-scale]

# --8<-- [start:schedule]
import math

import numpy as np


def warmup_cosine(step: int, total_steps: int, peak_lr: float, warmup_steps: int, final_lr: float = 0.0) -> float:
    """Learning rate at `step`: linear warm-up from peak_lr/10 over warmup_steps, then cosine decay to final_lr."""
    if not (isinstance(total_steps, int) and total_steps > 0):
        raise ValueError(f"total_steps must be a positive integer, got total_steps={total_steps!r}")
    if not (isinstance(warmup_steps, int) and 0 <= warmup_steps < total_steps):
        raise ValueError(f"warmup_steps must be an integer in [0, total_steps), got warmup_steps={warmup_steps!r}")
    if not 0 < peak_lr < math.inf:
        raise ValueError(f"peak_lr must be a finite positive step size, got peak_lr={peak_lr!r}")
    if not 0 <= final_lr <= peak_lr:
        raise ValueError(f"final_lr must lie in [0, peak_lr], got final_lr={final_lr!r}")
    if not 0 <= step <= total_steps:
        raise ValueError(f"step must lie in [0, total_steps], got step={step!r}")
    if step < warmup_steps:
        return peak_lr * (0.1 + 0.9 * step / warmup_steps)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return final_lr + (peak_lr - final_lr) * (1 + math.cos(math.pi * progress)) / 2


def noisy_sgd(lrs: np.ndarray, curv: float, sigma: float, x0: float, runs: int, seed: int) -> np.ndarray:
    """SGD on f(x) = curv x^2 / 2 with gradients curv x + sigma * noise; the final x of each run."""
    rng = np.random.default_rng(seed)
    x = np.full(runs, x0)
    for lr in lrs:
        x = x - lr * (curv * x + sigma * rng.standard_normal(runs))
    return x


def predicted_second_moment(lrs: np.ndarray, curv: float, sigma: float, x0: float) -> float:
    """E[x_T^2] from the recursion E[x^2] <- (1 - lr curv)^2 E[x^2] + lr^2 sigma^2."""
    m = x0**2
    for lr in lrs:
        m = (1 - lr * curv) ** 2 * m + lr**2 * sigma**2
    return m


total, warmup, peak, curv, sigma, x0, runs, seeds, exact = 1000, 50, 0.5, 1.0, 1.0, 5.0, 4000, 10, 1e-12
within, factor = 0.1, 20  # 4000 runs: the standard error of a mean of x^2 is about 2%
schedule = np.array([warmup_cosine(t, total, peak, warmup) for t in range(total)])
constant = np.full(total, peak)
results = {}
for name, lrs in [("warmup + cosine", schedule), ("constant", constant)]:
    measured = np.array([np.mean(noisy_sgd(lrs, curv, sigma, x0, runs, seed) ** 2) for seed in range(seeds)])
    results[name] = (measured, predicted_second_moment(lrs, curv, sigma, x0))
    print(f"{name:16s}: E[x^2] after {total} steps = {measured.mean():.2e} (predicted {results[name][1]:.2e})")
lower = results["constant"][0].mean() / results["warmup + cosine"][0].mean()
worst = max(np.abs(measured / predicted - 1).max() for measured, predicted in results.values())
print(f"every one of {seeds} seeds within {worst:.0%} of the prediction")

# claim: lr-warmup-cosine [runs=seeds*runs]
assert worst < within  # every seed, both schedules
assert lower > factor
ramp = schedule[: warmup + 1]  # linear from peak / 10 up to the peak, then cosine down to zero
assert np.isclose(ramp[0], peak / 10) and np.allclose(np.diff(ramp[:-1]), 0.9 * peak / warmup) and ramp[-1] == peak
assert np.all(np.diff(schedule[warmup:]) < 0) and schedule[-1] < peak * 1e-5
cosine = peak * (1 + np.cos(np.pi * (np.arange(warmup, total) - warmup) / (total - warmup))) / 2  # the formula
assert np.abs(schedule[warmup:] - cosine).max() < exact  # the decay is the cosine, not just any falling curve
# --8<-- [end:schedule]

# --8<-- [start:schedule-torch]
import math

import numpy as np
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR


def torch_schedule_run(
    total: int, warmup: int, peak: float, curv: torch.Tensor, start_factor: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """SGD on f = sum curv x^2 / 2 with PyTorch's warm-up + cosine schedulers; the lrs used and the final x."""
    x = torch.ones_like(curv, requires_grad=True)
    opt = torch.optim.SGD([x], lr=peak)
    warm = LinearLR(opt, start_factor=start_factor, end_factor=1.0, total_iters=warmup)
    cosine = CosineAnnealingLR(opt, T_max=total - warmup, eta_min=0.0)
    scheduler = SequentialLR(opt, [warm, cosine], milestones=[warmup])
    used = []
    for _ in range(total):
        used.append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        (curv * x**2 / 2).sum().backward()
        opt.step()
        scheduler.step()
    return np.array(used), x.detach().cpu().numpy()


total, warmup, peak, start_factor, tolerance, rtol = 1000, 50, 0.5, 0.1, 1e-12, 1e-9
t = np.arange(total)
formula = np.where(  # linear warm-up from start_factor * peak, then cosine decay to 0
    t < warmup,
    peak * (start_factor + (1 - start_factor) * t / warmup),
    peak * (1 + np.cos(math.pi * (t - warmup) / (total - warmup))) / 2,
)
curv = np.array([0.5, 1.0, 2.0, 3.9])
expected = np.prod(1 - formula[:, None] * curv, axis=0)  # x_T = prod_t (1 - lr_t curv) x_0
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    used, final = torch_schedule_run(total, warmup, peak, torch.tensor(curv, device=device))
    if device == "cpu":
        shown = [0, warmup // 2, warmup, (warmup + total) // 2, total - 1]
        print(f"torch lr at steps {', '.join(map(str, shown))}: {np.round(used[shown], 4)}")
    # claim: lr-warmup-cosine-torch [devices=devices steps=total]
    assert used.shape == (total,) and np.abs(used - formula).max() < tolerance
    assert np.allclose(final, expected, rtol=rtol, atol=1e-300)
# --8<-- [end:schedule-torch]

# --8<-- [start:descent]
import numpy as np


def loss_and_grad(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean logistic loss of each weight vector (rows of w) on the data (x, y in {-1, 1}), and its gradient."""
    margins = y * (w @ x.T)  # (runs, examples)
    loss = np.logaddexp(0, -margins).mean(axis=1)
    weights = -y / (1 + np.exp(margins))  # d loss / d margin, per example
    return loss, weights @ x / len(y)


rng = np.random.default_rng(4)
examples, dim, steps, starts = 200, 5, 300, 50
x = rng.standard_normal((examples, dim))
y = np.where(x @ rng.standard_normal(dim) + 0.5 * rng.standard_normal(examples) > 0, 1.0, -1.0)
L = np.linalg.eigvalsh(x.T @ x / examples).max() / 4  # the logistic loss is L-smooth with this L
lr_times_L, limit = np.array([0.5, 1.0, 1.9, 2.5]), 2  # the lemma covers lr * L < limit
peak_rate = 1.0  # lr * L where the lemma's guarantee lr (1 - L lr / 2) is largest
shown_lrs = ", ".join(f"{r:g}" for r in lr_times_L)
w0 = rng.standard_normal((starts, dim)) * 3  # many starting points, not one lucky one


def descend(loss_and_grad, w, lr, steps):
    """Gradient descent: the loss, the descent lemma's bound on the next loss, and |grad|^2 at every step."""
    losses, bounds, sizes = [], [], []
    for _ in range(steps):
        loss, g = loss_and_grad(w)
        w = w - lr * g
        losses.append(loss)
        sizes.append((g**2).sum(axis=1))
        bounds.append(loss - lr * (1 - L * lr / 2) * sizes[-1])  # the descent lemma's bound
    return np.array(losses), np.array(bounds), np.array(sizes)


def quadratic(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The control f(w) = L |w|^2 / 2, on which the descent lemma holds with equality."""
    return L * (w**2).sum(axis=1) / 2, L * w


decreases, lemma_holds, first_drop, lemma_gap = {}, {}, {}, {}
control_steps, lemma_tol = 20, 1e-12
for r in lr_times_L:
    lr = r / L
    losses, bounds, sizes = descend(lambda w: loss_and_grad(w, x, y), w0, lr, steps)
    control, control_bounds, _ = descend(quadratic, w0, lr, control_steps)  # the same loop and bound
    scale = control[:-1] + np.finfo(float).tiny  # at lr L = 1 the control lands on 0 exactly, and stays
    lemma_gap[r] = np.max(np.abs(control[1:] - control_bounds[:-1]) / scale)  # relative, at every step
    if r == peak_rate:  # at lr = 1/L, with f* >= 0: min_(t<k) |grad f|^2 <= 2 L (f(x_0) - f*) / k, for every k
        k = np.arange(1, steps + 1)[:, None]
        nonconvex_rate = bool(np.all(np.minimum.accumulate(sizes) <= 2 * L * losses[0] / k))
    decreases[r] = bool(np.all(np.diff(losses, axis=0) < 0))
    lemma_holds[r] = bool(np.all(losses[1:] <= bounds[:-1] + 1e-15))
    first_drop[r] = losses[0] - losses[1]  # the first step's actual decrease, per start
    print(f"lr * L = {r:3.1f}: loss falls at every step: {decreases[r]}; descent lemma holds: {lemma_holds[r]}")
drops = np.array([first_drop[r] for r in lr_times_L])  # (rates, starts)
# The gradient is the loss's: central differences along each coordinate, at every start.
eps, grad_tol = 1e-6, 1e-6
step = eps * np.eye(dim)[:, None, :]
numeric = np.stack([(loss_and_grad(w0 + e, x, y)[0] - loss_and_grad(w0 - e, x, y)[0]) / (2 * eps) for e in step], 1)
gradient_error = np.abs(numeric - loss_and_grad(w0, x, y)[1]).max() / np.abs(numeric).max()
# L is a global bound on the curvature; at the minimum the Hessian X^T diag(p (1 - p)) X / n is much flatter.
w = w0[:1]
for _ in range(3000):
    w = w - loss_and_grad(w, x, y)[1] / L  # gradient descent at lr = 1 / L to the minimum
p = 1 / (1 + np.exp(-(x @ w[0])))
flatter = L / np.linalg.eigvalsh(x.T @ (x * (p * (1 - p))[:, None]) / examples).max()
# L is the tightest constant: at w = 0 (every p = 1/2) the Hessian, by differences of the gradient, reaches it.
at_zero = np.stack([(loss_and_grad(e, x, y)[1] - loss_and_grad(-e, x, y)[1])[0] / (2 * eps) for e in step])
tightness = np.linalg.eigvalsh((at_zero + at_zero.T) / 2).max() / L
print(f"at the minimum the largest curvature is L / {flatter:.1f}; gradient checked to {grad_tol:.0e}")

# claim: lr-descent-lemma [starts=starts steps=steps]
assert gradient_error < grad_tol  # the gradient used is the loss's gradient
assert abs(tightness - 1) < 1e-6  # L is the largest curvature (at w = 0), so lr * L > 2 really is unguaranteed
assert all(lemma_holds.values())  # f(x+) <= f(x) - lr (1 - L lr / 2) |grad f(x)|^2, at every step
assert max(lemma_gap.values()) < lemma_tol  # ...and the bound has teeth: equality on L |w|^2 / 2, every rate and step
assert nonconvex_rate  # the lemma summed over steps: Nesterov (2004), Section 1.2.3
assert all(decreases[r] for r in lr_times_L if r < limit)  # below 2 / L: monotone, from every start
assert lr_times_L[-1] > limit and decreases[lr_times_L[-1]]  # above it too, here, with no guarantee
assert np.all(np.diff(drops, axis=0) > 0)  # the actual first step falls further at each larger lr, every start
assert lr_times_L.max() > peak_rate  # ...past the guarantee's peak
assert np.abs(loss_and_grad(w, x, y)[1]).max() < 1e-9 and lr_times_L[-1] < 2 * flatter  # locally stable there
# --8<-- [end:descent]

# --8<-- [start:scale-invariant]
import numpy as np


def loss(w: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """f(w) = |a u - b|^2 / 2 with u = w / |w|."""
    return 0.5 * float(np.sum((a @ (w / np.linalg.norm(w)) - b) ** 2))


def grad(w: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Gradient of f(w) = |a u - b|^2 / 2 with u = w / |w|: a loss that ignores the scale of w, as
    normalization layers make a network's loss ignore the scale of the weights before them."""
    norm = np.linalg.norm(w)
    u = w / norm
    g_u = a.T @ (a @ u - b)
    return (g_u - u * (u @ g_u)) / norm  # only the part orthogonal to w, divided by |w|


def gradient_descent(
    w0: np.ndarray, lr: float, steps: int, a: np.ndarray, b: np.ndarray, decay: float = 0.0
) -> np.ndarray:
    """Every iterate of w <- w - lr (grad f(w) + decay w)."""
    path = [w0]
    for _ in range(steps):
        path.append(path[-1] - lr * (grad(path[-1], a, b) + decay * path[-1]))
    return np.array(path)


rng = np.random.default_rng(5)
dim, steps, lr, tolerance, decay = 8, 200, 0.05, 1e-12, 0.1
a, b, w0 = rng.standard_normal((20, dim)), rng.standard_normal(20), rng.standard_normal(dim)
scales = [0.5, 2.0, 10.0]
shown_scales = ", ".join(f"{c:g}" for c in scales)
reference = gradient_descent(w0, lr, steps, a, b)
gaps = {c: np.abs(gradient_descent(c * w0, c**2 * lr, steps, a, b) / c - reference).max() for c in scales}
norms = np.linalg.norm(reference, axis=1)
# The gradient is the loss's: central differences of f(w) = |a w / |w| - b|^2 / 2, at every scale.
eps, directions = 1e-6, np.eye(dim)
gradient_error = max(
    np.abs(
        [(loss(c * w0 + eps * e, a, b) - loss(c * w0 - eps * e, a, b)) / (2 * eps) for e in directions]
        - grad(c * w0, a, b)
    ).max()
    / np.abs(grad(c * w0, a, b)).max()
    for c in [1.0, *scales]
)
decayed = np.linalg.norm(gradient_descent(w0, lr, steps, a, b, decay=decay), axis=1)
print(f"|w| without weight decay: {norms[0]:.3f} -> {norms[-1]:.3f}; with decay {decay}: {decayed[-1]:.3f}")

# claim: lr-scale-invariant [steps=steps]
assert gradient_error < 1e-6  # the gradient used is the loss's gradient
assert all(gap < tolerance * np.abs(reference).max() for gap in gaps.values())  # w_t(c w0, c^2 lr) = c w_t
assert np.all(np.diff(norms) > 0)  # the gradient is orthogonal to w: |w| only grows
assert decayed[-1] < norms[-1]  # weight decay keeps |w| smaller, so the effective step lr / |w|^2 larger
# --8<-- [end:scale-invariant]
