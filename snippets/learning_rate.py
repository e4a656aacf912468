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


# 20 random quadratics in 10 dimensions with curvatures from mu = 1 to L = 10.
rng = np.random.default_rng(0)
curv = rng.uniform(1, 10, (20, 10))
curv[:, :2] = [1.0, 10.0]
x0 = rng.uniform(-1, 1, (20, 10))
lr_times_L = np.array([0.01, 0.02, 0.05, 0.1, 0.2])
steps = steps_to_tolerance(curv, x0, lr_times_L / 10, tol=1e-6, cap=30_000)  # shape (lrs, problems)
for r, n in zip(lr_times_L, steps, strict=True):
    print(f"lr * L = {r:4.2f}: median steps to 1e-6 = {np.median(n):6.0f}, steps * lr * L = {np.median(n) * r:5.1f}")

# claim: lr-steps-inverse [problems=len(curv)]
product = steps * lr_times_L[:, None]  # steps * lr: constant if steps ~ 1 / lr
assert np.all(product.max(axis=0) / product.min(axis=0) < 1.02)  # for every problem
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


rng = np.random.default_rng(0)  # the same 20 problems as above
curv = rng.uniform(1, 10, (20, 10))
curv[:, :2] = [1.0, 10.0]
x0 = rng.uniform(-1, 1, (20, 10))
lr_times_L = np.r_[np.geomspace(0.005, 1.5, 60), np.linspace(1.52, 1.995, 40)]  # all below the limit 2 / L
median = np.median(steps_needed(curv, x0, lr_times_L / 10, 1e-6), axis=1)
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.loglog(lr_times_L, median, color="C0", lw=2, label="gradient descent (median of 20 problems)")
ax.loglog(lr_times_L, median[0] * lr_times_L[0] / lr_times_L, "k--", lw=1, label="∝ 1 / learning rate")
ax.axvline(2 * 10 / 11, color="C2", ls=":", label="best fixed step 2 / (L + μ)")
ax.axvline(2, color="C3", ls=":", label="stability limit 2 / L")
ax.set(xlabel="learning rate × L", ylabel="steps to shrink the error 10⁶-fold", ylim=(50, 5e4))
ax.set_title("Quadratics with curvatures from 1 to 10")
ax.legend(loc="lower left", fontsize=8)
fig.tight_layout()
fig.savefig("learning-rate-steps.svg")
# --8<-- [end:figure]

# --8<-- [start:smaller]
import numpy as np
import torch


def final_losses(lrs: list[float], seeds: int, steps: int, device: str) -> np.ndarray:
    """Full-batch gradient descent on 1-hidden-layer tanh networks fitting sin(3x): one per (lr, seed), at once."""
    gen = torch.Generator().manual_seed(0)
    x = torch.linspace(-2, 2, 32, dtype=torch.float64)[:, None].to(device)
    y = torch.sin(3 * x)[:, 0]
    width = 16
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
lrs, seeds = [0.003, 0.01, 0.03, 0.1], 20
for device in devices:
    losses = final_losses(lrs, seeds, steps=300, device=device)
    if device == "cpu":  # every device is checked; the page shows the CPU's numbers
        for lr, row in zip(lrs, losses, strict=True):
            print(f"lr = {lr:5.3f}: training loss after 300 steps, median {np.median(row):.3f}, worst {row.max():.3f}")
    # claim: lr-smaller-not-better [seeds=seeds devices=devices]
    assert np.all(np.diff(losses, axis=0) < 0)  # each larger lr ends lower, on every seed
    assert np.all(losses[0] > 2 * losses[-1])  # lr 0.003 ends more than twice as high as lr 0.1
# --8<-- [end:smaller]

# --8<-- [start:loss-scale]
import torch


def run(opt_class, reduction: str, lr: float, steps: int, device: str) -> torch.Tensor:
    """Weights of 20 linear regressions (64 examples each) after `steps` steps of a torch optimizer."""
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(20, 64, 5, generator=gen, dtype=torch.float64).to(device)
    y = (x @ torch.randn(20, 5, 1, generator=gen, dtype=torch.float64).to(device))[..., 0]
    w = torch.zeros(20, 5, dtype=torch.float64, device=device, requires_grad=True)
    opt = opt_class([w], lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        squared = ((x @ w[..., None])[..., 0] - y) ** 2
        (squared.mean(dim=1) if reduction == "mean" else squared.sum(dim=1)).sum().backward()
        opt.step()
    return w.detach()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
lr, n, steps = 0.1, 64, 100
for device in devices:
    sgd_mean = run(torch.optim.SGD, "mean", lr, steps, device)
    sgd_sum_scaled = run(torch.optim.SGD, "sum", lr / n, steps, device)  # the same lr per example
    sgd_sum = run(torch.optim.SGD, "sum", lr, steps, device)
    adam_mean = run(torch.optim.Adam, "mean", 0.01, steps, device)
    adam_sum = run(torch.optim.Adam, "sum", 0.01, steps, device)
    if device == "cpu":
        print(f"SGD, mean loss, lr {lr} vs sum loss, lr {lr}/{n}: gap {(sgd_mean - sgd_sum_scaled).abs().max():.0e}")
        print(f"SGD, sum loss, lr {lr}: largest |w| = {sgd_sum.abs().max():.0e}")
        print(f"Adam, mean loss vs sum loss, both lr 0.01: gap {(adam_mean - adam_sum).abs().max():.0e}")
    # claim: lr-loss-scale [devices=devices steps=steps]
    assert (sgd_mean - sgd_sum_scaled).abs().max() < 1e-12
    assert sgd_sum.abs().min() > 1e6 or not sgd_sum.isfinite().all()  # n times the step: diverges
    assert (adam_mean - adam_sum).abs().max() < 1e-6
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


total, warmup, peak = 1000, 50, 0.5
schedule = np.array([warmup_cosine(t, total, peak, warmup) for t in range(total)])
constant = np.full(total, peak)
results = {}
for name, lrs in [("warmup + cosine", schedule), ("constant", constant)]:
    measured = np.mean(noisy_sgd(lrs, curv=1.0, sigma=1.0, x0=5.0, runs=4000, seed=0) ** 2)
    results[name] = (measured, predicted_second_moment(lrs, 1.0, 1.0, 5.0))
    print(f"{name:16s}: E[x^2] after {total} steps = {measured:.2e} (predicted {results[name][1]:.2e})")

# claim: lr-warmup-cosine [runs=4000]
for measured, predicted in results.values():
    assert abs(measured / predicted - 1) < 0.1  # 4000 runs: the standard error is about 2%
assert results["warmup + cosine"][0] < results["constant"][0] / 20
# --8<-- [end:schedule]

# --8<-- [start:schedule-torch]
import math

import numpy as np
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR


def torch_schedule_run(total: int, warmup: int, peak: float, curv: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """SGD on f = sum curv x^2 / 2 with PyTorch's warm-up + cosine schedulers; the lrs used and the final x."""
    x = torch.ones_like(curv, requires_grad=True)
    opt = torch.optim.SGD([x], lr=peak)
    warm = LinearLR(opt, start_factor=0.1, end_factor=1.0, total_iters=warmup)
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


total, warmup, peak = 1000, 50, 0.5
t = np.arange(total)
formula = np.where(  # linear warm-up from peak/10, then cosine decay to 0
    t < warmup, peak * (0.1 + 0.9 * t / warmup), peak * (1 + np.cos(math.pi * (t - warmup) / (total - warmup))) / 2
)
curv = np.array([0.5, 1.0, 2.0, 3.9])
expected = np.prod(1 - formula[:, None] * curv, axis=0)  # x_T = prod_t (1 - lr_t curv) x_0
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    used, final = torch_schedule_run(total, warmup, peak, torch.tensor(curv, device=device))
    if device == "cpu":
        print(f"torch lr at steps 0, 25, 50, 525, 999: {np.round(used[[0, 25, 50, 525, 999]], 4)}")
    # claim: lr-warmup-cosine-torch [devices=devices steps=total]
    assert np.abs(used - formula).max() < 1e-12
    assert np.allclose(final, expected, rtol=1e-9, atol=1e-300)
# --8<-- [end:schedule-torch]
