# Code of the Learning rate schedule page (docs/learning-rate-schedule.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:formulas]
import math

import numpy as np
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, StepLR


def step_decay(t: np.ndarray, lr: float, step_size: int, gamma: float) -> np.ndarray:
    """Step decay: the rate is multiplied by gamma every step_size steps."""
    if step_size < 1:
        raise ValueError(f"step_size must be a positive number of steps, got step_size={step_size}")
    return lr * gamma ** (t // step_size)


def cosine(t: np.ndarray, lr: float, t_max: int, lr_min: float = 0.0) -> np.ndarray:
    """Cosine annealing (Loshchilov & Hutter, 2017) from lr at t = 0 to lr_min at t = t_max."""
    if t_max < 1:
        raise ValueError(f"t_max must be a positive number of steps, got t_max={t_max}")
    return lr_min + (lr - lr_min) * (1 + np.cos(math.pi * t / t_max)) / 2


def linear_warmup(t: np.ndarray, lr: float, warmup: int, start: float) -> np.ndarray:
    """Linear warm-up (Goyal et al., 2017) from start * lr to lr over `warmup` steps, then constant."""
    if warmup < 1 or not 0 < start <= 1:
        raise ValueError(f"warmup must be >= 1 and start in (0, 1], got warmup={warmup}, start={start}")
    return lr * (start + (1 - start) * np.minimum(t, warmup) / warmup)


def torch_run(make, lr: float, curv: torch.Tensor, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """torch.optim.SGD on f = sum curv x^2 / 2 driven by the scheduler `make(opt)`: the rate used and x at each step."""
    x = torch.ones_like(curv, requires_grad=True)
    opt = torch.optim.SGD([x], lr=lr)
    scheduler = make(opt)
    used, path = [], []
    for _ in range(steps):
        used.append(opt.param_groups[0]["lr"])
        opt.zero_grad()
        (curv * x**2 / 2).sum().backward()
        opt.step()
        scheduler.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(used), np.array(path)


lr, steps, step_size, gamma, warmup, start = 0.5, 300, 60, 0.5, 30, 0.1
tolerance = 1e-12
t = np.arange(steps)
schedules = {  # each formula, and the PyTorch scheduler that should give it
    "StepLR": (step_decay(t, lr, step_size, gamma), lambda o: StepLR(o, step_size=step_size, gamma=gamma)),
    "CosineAnnealingLR": (cosine(t, lr, steps), lambda o: CosineAnnealingLR(o, T_max=steps)),
    "LinearLR": (linear_warmup(t, lr, warmup, start), lambda o: LinearLR(o, start, 1.0, total_iters=warmup)),
}
curv = np.array([0.05, 0.2, 0.5])  # every factor 1 - lr curv stays above 0.75: no underflow in 300 steps
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    for name, (formula, make) in schedules.items():
        used, path = torch_run(make, lr, torch.tensor(curv, device=device), steps)
        expected = np.cumprod(1 - formula[:, None] * curv, axis=0)  # x_(t+1) = (1 - lr_t curv) x_t from x_0 = 1
        rate_error = np.abs(used / formula - 1).max()
        path_error = np.abs(path / expected - 1).max()
        if device == "cpu":
            print(f"{name:17s}: lr at steps 0, {steps // 2}, {steps - 1}: {formula[[0, steps // 2, -1]].round(4)}")
        # claim: lrs-torch [steps=steps devices=devices]
        assert used.shape == formula.shape == (steps,)
        assert rate_error < tolerance and path_error < tolerance  # the rate, and SGD's iterates, step for step
# --8<-- [end:formulas]

# --8<-- [start:decay-wins]
import math

import numpy as np


def schedules(peak: np.ndarray, steps: int, warmup: int) -> dict[str, np.ndarray]:
    """The rate at each step for each peak rate (rows): constant, step decay, cosine, warm-up + cosine."""
    t, p = np.arange(steps), np.asarray(peak, dtype=float)[:, None]
    after = np.clip(t - warmup, 0, None)
    return {
        "constant": p + 0 * t,
        "step decay": p * 0.5 ** (t // (steps // 4)),  # halved every quarter of the run
        "cosine": p * (1 + np.cos(math.pi * t / steps)) / 2,
        "warm-up + cosine": np.where(
            t < warmup, p * (0.1 + 0.9 * t / warmup), p * (1 + np.cos(math.pi * after / (steps - warmup))) / 2
        ),
    }


def expected_loss(rates: np.ndarray, curv: np.ndarray, sigma: float, x0: float) -> np.ndarray:
    """Exact E[f(x_T)] for SGD on f = sum curv x^2 / 2 with gradient noise sigma, each row of rates a schedule:
    E[x^2] <- (1 - lr curv)^2 E[x^2] + lr^2 sigma^2, coordinate by coordinate."""
    m = np.full((rates.shape[0], curv.size), x0**2)
    for lr in rates.T:
        m = (1 - lr[:, None] * curv) ** 2 * m + (lr[:, None] * sigma) ** 2
    return 0.5 * (curv * m).sum(axis=1)


def simulate(rates: np.ndarray, curv: np.ndarray, sigma: float, x0: float, runs: int, seed: int) -> np.ndarray:
    """f(x_T) of `runs` independent SGD runs (vectorized) with noisy gradients curv x + sigma xi."""
    rng = np.random.default_rng(seed)
    x = np.full((runs, curv.size), x0)
    for lr in rates:
        x = x - lr * (curv * x + sigma * rng.standard_normal(x.shape))
    return 0.5 * (curv * x**2).sum(axis=1)


curv, sigma, x0, steps, warmup, runs = np.geomspace(0.05, 1.0, 4), 1.0, 4.0, 400, 20, 4000
peaks = np.geomspace(1e-3, 2 / curv.max(), 400, endpoint=False)  # the whole stable range of constant rates
exact = {name: expected_loss(r, curv, sigma, x0) for name, r in schedules(peaks, steps, warmup).items()}
best = {name: peaks[loss.argmin()] for name, loss in exact.items()}  # each schedule's peak tuned the same way
z, margin, within = 1.96, 0.2, 3.0  # 95% intervals; decaying beats constant by margin; recursion within 3 SE
mean, half, se = {}, {}, {}
for seed, (name, peak) in enumerate(best.items()):  # a different seed, so independent noise, per schedule
    final = simulate(schedules([peak], steps, warmup)[name][0], curv, sigma, x0, runs, seed)
    mean[name], se[name] = final.mean(), final.std(ddof=1) / math.sqrt(runs)
    half[name] = z * se[name]
    print(f"{name:16s} peak lr {peak:.3f}: mean final loss {mean[name]:.4f} ± {half[name]:.4f} ({runs} runs)")
decaying = [name for name in mean if name != "constant"]
worst_gain = min(1 - (mean[n] + half[n]) / (mean["constant"] - half["constant"]) for n in decaying)
floor = exact["constant"].min()  # the best constant rate anywhere in the stable range, exactly
off = max(abs(mean[n] - exact[n][peaks == best[n]][0]) / se[n] for n in mean)  # simulation vs recursion, in SE
print(f"every decaying schedule's interval lies {worst_gain:.0%} or more below the best constant's")
# claim: lrs-decay-beats-constant [runs=runs schedules=len(mean)]
assert len(decaying) == 3 and worst_gain > margin  # upper end of each interval below the constant's lower end
assert all(exact[n].min() < (1 - margin) * floor for n in decaying)  # beats every constant rate in the range
# claim: lrs-exact-recursion [runs=runs]
assert off < within  # each mean within `within` standard errors of the exact recursion
# --8<-- [end:decay-wins]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

# Continues the block above: each schedule at its tuned peak, exact E[f(x_t)] at every step.
tuned = {name: r[0] for name, r in ((n, schedules([best[n]], steps, warmup)[n]) for n in best)}
loss = {}
for name, r in tuned.items():  # the recursion of expected_loss, keeping every step
    m, out = np.full(curv.size, x0**2), []
    for lr in r:
        m = (1 - lr * curv) ** 2 * m + (lr * sigma) ** 2
        out.append(0.5 * (curv * m).sum())
    loss[name] = np.array(out)
fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 5.5), sharex=True)
for name in tuned:
    top.plot(tuned[name], lw=1.6, label=name)
    bottom.semilogy(loss[name], lw=1.6, label=name)
top.set(ylabel="learning rate")
top.legend(fontsize=8)
bottom.set(xlabel="step", ylabel="expected loss E[f(x_t)]")
bottom.set_title("Each schedule at its best peak, noisy gradients", fontsize=10)
fig.tight_layout()
fig.savefig("learning-rate-schedule-loss.svg")

# What the figure's description says, checked on its own curves.
others = np.array([loss[n] for n in tuned if n != "constant"])
above = loss["constant"] > others.max(axis=0)  # the constant rate's loss above every decaying schedule's
cross = int(steps - np.argmin(above[::-1]))  # the first step after the last one at which it was not above
final_ratio = loss["constant"][-1] / others[:, -1].max()
smallest = min(best, key=best.get)
assert smallest == "constant" and np.all(above[cross:]) and not above[cross - 1]
assert cross < steps // 10 and final_ratio > 1.5
# --8<-- [end:figure]

# --8<-- [start:robbins-monro]
import numpy as np


def expected_sq(rates: np.ndarray, curv: float, sigma: float, x0: float) -> np.ndarray:
    """E[x_t^2] after each step of SGD on curv x^2 / 2 with gradient noise sigma, one schedule per row."""
    m, out = np.full(rates.shape[0], x0**2), []
    for lr in rates.T:
        m = (1 - lr * curv) ** 2 * m + (lr * sigma) ** 2
        out.append(m)
    return np.array(out).T


curv, sigma, x0, steps, lr0, t0 = 1.0, 1.0, 4.0, 100_000, 0.5, 10.0
t = np.arange(steps)
rates = np.stack(
    [
        lr0 / (1 + t / t0),  # Robbins-Monro: sum of rates infinite, sum of squares finite
        np.full(steps, 0.01),  # constant: sum of squares infinite
        lr0 / (1 + t / t0) ** 2,  # summable: sum of rates finite
    ]
)
names = ["Robbins-Monro lr0 / (1 + t/t0)", "constant 0.01", "summable lr0 / (1 + t/t0)^2"]
m = expected_sq(rates, curv, sigma, x0)
last = slice(steps // 10, steps)  # the last decade of steps
k = np.arange(1, steps + 1)
slopes = [float(np.polyfit(np.log(k[last]), np.log(row[last]), 1)[0]) for row in m]
for name, row, s in zip(names, m, slopes, strict=True):
    print(f"{name:31s}: E[x^2] after {steps:,} steps {row[-1]:.2e}, log-log slope over the last decade {s:+.2f}")
a = lr0 * t0  # the rate is a / (t0 + t)
limit = sigma**2 * a**2 / ((2 * a * curv - 1) * k[-1])  # E[x_t^2] ~ sigma^2 a^2 / ((2 a curv - 1) t)
rm_order, tol, flat = -1, 0.05, 0.01
# claim: lrs-robbins-monro [steps=steps]
assert abs(slopes[0] - rm_order) < tol and abs(m[0, -1] / limit - 1) < tol  # keeps falling like 1/t
assert abs(slopes[1]) < flat and abs(slopes[2]) < flat  # the other two have stopped falling
assert m[0, -1] < m[1, -1] and m[0, -1] < m[2, -1]
# --8<-- [end:robbins-monro]

# --8<-- [start:past-tmax]
import math

import numpy as np
import torch
from torch.optim.lr_scheduler import CosineAnnealingLR


def torch_cosine_rates(lr: float, t_max: int, steps: int, device: str) -> np.ndarray:
    """The rate CosineAnnealingLR(T_max=t_max) gives at each of `steps` steps, beyond t_max too."""
    opt = torch.optim.SGD([torch.zeros(1, device=device, requires_grad=True)], lr=lr)
    scheduler, used = CosineAnnealingLR(opt, T_max=t_max), []
    for _ in range(steps):
        used.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return np.array(used)


def expected_loss(rates: np.ndarray, curv: float, sigma: float, x0: float) -> float:
    """Exact E[f(x_T)] for SGD on curv x^2 / 2 with gradient noise sigma."""
    m = x0**2
    for lr in rates:
        m = (1 - lr * curv) ** 2 * m + (lr * sigma) ** 2
    return 0.5 * curv * m


lr, t_max, curv, sigma, x0, tolerance, worse = 0.5, 200, 1.0, 1.0, 4.0, 1e-12, 10
t = np.arange(2 * t_max + 1)
periodic = lr * (1 + np.cos(math.pi * t / t_max)) / 2  # the cosine, continued past t_max
clamped = np.where(t <= t_max, periodic, 0.0)  # what "stays at the minimum" would mean
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    used = torch_cosine_rates(lr, t_max, t.size, device)
    # claim: lrs-cosine-past-tmax [devices=devices]
    assert used.shape == periodic.shape and np.abs(used - periodic).max() < tolerance * lr
    assert used[t_max] < tolerance * lr and abs(used[-1] / lr - 1) < tolerance  # 0 at t_max, back to lr at 2 t_max
rising = bool(np.all(np.diff(used[t_max:]) > 0))
ratio = expected_loss(used, curv, sigma, x0) / expected_loss(clamped, curv, sigma, x0)
print(f"lr at t_max = {t_max}: {used[t_max]:.1e}; at 2 t_max: {used[-1]:g} (rising all the way: {rising})")
print(f"expected final loss after {t.size} steps: {ratio:.0f} x that of a schedule that stays at zero")
# claim: lrs-cosine-past-tmax
assert rising and ratio > worse
# --8<-- [end:past-tmax]
