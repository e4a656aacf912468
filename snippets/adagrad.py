# Code of the AdaGrad page (docs/adagrad.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:torch]
import numpy as np
import torch


def adagrad_path(
    curv: np.ndarray,
    x0: np.ndarray,
    steps: int,
    lr: float = 0.01,
    lr_decay: float = 0.0,
    weight_decay: float = 0.0,
    initial_accumulator_value: float = 0.0,
    eps: float = 1e-10,
    maximize: bool = False,
) -> np.ndarray:
    """Every iterate of AdaGrad, written from scratch in PyTorch's form (and with its defaults), on
    f = sum curv x^2 / 2."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    x, total, path = x0, np.full_like(x0, initial_accumulator_value), [x0]
    for t in range(1, steps + 1):
        g = (-curv * x if maximize else curv * x) + weight_decay * x
        total = total + g**2  # the sum of all squared gradients so far, per coordinate
        x = x - lr / (1 + (t - 1) * lr_decay) * g / (np.sqrt(total) + eps)  # eps outside the root
        path.append(x)
    return np.array(path)


def torch_path(curv: np.ndarray, x0: np.ndarray, steps: int, device: str, **options: float) -> np.ndarray:
    """Every iterate of torch.optim.Adagrad(**options) on the same f, computed on `device`."""
    c = torch.tensor(curv, device=device)
    x = torch.tensor(x0, device=device, requires_grad=True)
    opt = torch.optim.Adagrad([x], **options)
    path = [x0]
    for _ in range(steps):
        opt.zero_grad()
        (c * x**2 / 2).sum().backward()
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


rng = np.random.default_rng(0)
problems, dim, steps, tolerance = 10, 8, 200, 1e-12
curv = np.exp(rng.uniform(np.log(0.1), np.log(10.0), (problems, dim)))
x0 = rng.standard_normal((problems, dim))
settings = [  # PyTorch's defaults (no argument given to either side), then every option of the update
    {},
    {"lr": 0.5, "lr_decay": 0.01, "initial_accumulator_value": 0.1, "eps": 1e-3},
    {"lr": 0.3, "weight_decay": 0.1},
    {"lr": 0.1, "maximize": True},
]
defaults = torch.optim.Adagrad([torch.zeros(1, requires_grad=True)]).defaults  # shown on the page
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
worst = 0.0
for device in devices:
    for options in settings:
        ours = adagrad_path(curv, x0, steps=steps, **options)
        theirs = torch_path(curv, x0, steps, device, **options)
        if device == "cpu":
            print(f"{options or 'defaults'}: largest |x| after {steps} steps {np.abs(ours[-1]).max():.2e}")
        worst = max(worst, np.abs(ours - theirs).max())
        # claim: adagrad-torch [devices=devices settings=len(settings) steps=steps]
        assert ours.shape == theirs.shape == (steps + 1, problems, dim)  # every step, every coordinate
        assert np.abs(ours - theirs).max() < tolerance
print(f"largest difference, numpy against torch, over every step: {'below 1e-14' if worst < 1e-14 else worst}")
# --8<-- [end:torch]

# --8<-- [start:step]
import numpy as np
import torch


def torch_moves(grads: np.ndarray, lr: float, start: float, eps: float) -> np.ndarray:
    """Moves of torch.optim.Adagrad (float64) fed the gradients g_t, one row per step, from accumulator `start`."""
    x = torch.zeros(grads.shape[1], dtype=torch.float64, requires_grad=True)
    opt, moves = torch.optim.Adagrad([x], lr=lr, initial_accumulator_value=start, eps=eps), []
    for g in torch.tensor(grads):
        with torch.no_grad():
            x.zero_()  # the move is then x itself, without rounding; AdaGrad's state is the optimizer's
        x.grad = g.clone()  # the gradient of f(x) = g . x
        opt.step()
        moves.append(x.detach().numpy().copy())
    return np.array(moves)


rng = np.random.default_rng(1)
lr, eps, start, steps, dim, tolerance = 0.1, 1e-10, 0.5, 300, 4, 1e-12  # eps: torch's default
sizes = np.array([1e-3, 1.0, 10.0, 1e3])  # four gradient scales
grads = rng.standard_normal((steps, dim)) * sizes
moves = torch_moves(grads, lr, start, eps)
formula = -lr * grads / (np.sqrt(start + np.cumsum(grads**2, axis=0)) + eps)  # eps outside the root
t = np.arange(1, steps + 1)[:, None]
slopes = np.array([1e-3, 1.0, 1e3])  # a constant gradient, three sizes
steady = np.abs(torch_moves(np.tile(slopes, (steps, 1)), lr, 0.0, 0.0))  # tau = eps = 0
print(f"torch against the formula: largest relative difference {np.abs(moves / formula - 1).max():.0e}")
print(f"constant gradients {slopes}: the t-th step is lr / sqrt(t) to within {tolerance:g}, relative")
# claim: adagrad-step [steps=steps]
assert np.allclose(moves, formula, rtol=tolerance, atol=0)  # torch: -lr g_t / (sqrt(tau + sum g^2) + eps)
assert np.allclose(steady, lr / np.sqrt(t), rtol=tolerance, atol=0)  # lr / sqrt(t), whatever the size of g
# --8<-- [end:step]

# --8<-- [start:sparse]
from statistics import NormalDist

import numpy as np


def train(X: np.ndarray, y: np.ndarray, lrs: np.ndarray) -> np.ndarray:
    """One pass of online least squares at every learning rate and seed at once (X: steps x seeds x features);
    the weights, shape (2, lrs, seeds, features): SGD's, then AdaGrad's with one accumulator per coordinate."""
    w = np.zeros((2, lrs.size, *X.shape[1:]))
    total, step = np.zeros(w.shape[1:]), lrs[:, None, None]
    for x, target in zip(X, y, strict=True):
        g = (np.einsum("mlsd,sd->mls", w, x) - target)[..., None] * x
        total += g[1] ** 2  # AdaGrad: the sum of all squared gradients so far, per coordinate
        w[0] -= step * g[0]
        w[1] -= step * g[1] / (np.sqrt(total) + 1e-10)
    return w


def draw(rng: np.random.Generator, n: int, w_true: np.ndarray, rates: np.ndarray, noise: float) -> tuple:
    """n fresh examples per seed: binary features (feature j present with probability rates[j]), noisy targets."""
    X = (rng.random((n, *w_true.shape)) < rates).astype(float)
    return X, np.einsum("nsd,sd->ns", X, w_true) + noise * rng.standard_normal((n, w_true.shape[0]))


def predict(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    """x . w for every example of every seed, at every method and learning rate: shape (2, lrs, seeds, n)."""
    return np.matmul(X.transpose(1, 0, 2), w[..., None])[..., 0]


def wilson(hits: int, n: int, z: float) -> tuple[float, float]:
    """Wilson interval for a rate of hits out of n (z = 1.96 for 95%)."""
    centre, half = (hits + z**2 / 2) / (n + z**2), z * np.sqrt(hits * (n - hits) / n + z**2 / 4) / (n + z**2)
    return centre - half, centre + half


rng = np.random.default_rng(2)
seeds, dim, steps, noise, n_val, n_test = 200, 20, 2000, 0.1, 1000, 1000
level, times, share = 0.95, 2, 0.9
z = NormalDist().inv_cdf((1 + level) / 2)  # 1.96 for a 95% interval
rates = np.geomspace(1.0, 0.01, dim)  # feature j is present (= 1) in this share of the examples
w_true = rng.choice([-1.0, 1.0], (seeds, dim))  # every feature, frequent or rare, carries signal
(X, y), (X_val, y_val), (X_test, _) = (draw(rng, n, w_true, rates, noise) for n in (steps, n_val, n_test))
lrs, names = np.geomspace(0.01, 10.0, 7), ["SGD", "AdaGrad"]  # the same grid for both methods
with np.errstate(over="ignore", invalid="ignore"):  # SGD diverges at the largest steps: inf or nan, never chosen
    w = train(X, y, lrs)
    val = np.mean((predict(X_val, w) - y_val.T) ** 2, axis=-1)  # against noisy targets, as in practice
    test = np.mean(predict(X_test, w - w_true) ** 2, axis=-1)  # against the true weights
best = np.argmin(np.where(np.isfinite(val), val, np.inf).mean(axis=-1), axis=1)  # chosen on validation only
sgd, ada = test[0, best[0]], test[1, best[1]]  # the test error of each seed at the chosen learning rates
(sgd_lo, sgd_hi), (ada_lo, ada_hi) = (e.mean() + np.array([-z, z]) * e.std(ddof=1) / np.sqrt(seeds) for e in (sgd, ada))
wins, factor = np.mean(ada < sgd), sgd.mean() / ada.mean()
low, high = wilson(np.sum(ada < sgd), seeds, z)
for name, e, (lo, hi), k in zip(names, (sgd, ada), [(sgd_lo, sgd_hi), (ada_lo, ada_hi)], best, strict=True):
    print(f"{name:7s}: lr {lrs[k]:.3f} (best on validation), mean test error {e.mean():.2e}", end="")
    print(f" ({level:.0%} interval {lo:.2e} to {hi:.2e}, {seeds} seeds)")
print(f"{names[1]} beats {names[0]} on {wins:.0%} of the seeds ({level:.0%} Wilson interval {low:.0%} to {high:.0%})")
# claim: adagrad-sparse [seeds=seeds]
assert np.all((0 < best) & (best < lrs.size - 1))  # both learning rates, chosen on validation, inside the grid
assert np.all(np.isfinite(sgd)) and np.all(np.isfinite(ada))
assert sgd_lo > times * ada_hi  # SGD's whole interval lies above `times` times AdaGrad's
assert low > share  # the win rate's whole interval lies above `share`
# --8<-- [end:sparse]

# --8<-- [start:plateau]
import numpy as np

STEEP, SLOPE, WELL = 10.0, 0.01, 10.0  # f(x) = -STEEP tanh(x) + SLOPE sqrt(1 + (x - WELL)^2)


def gradient(x: np.ndarray, steep: float = STEEP) -> np.ndarray:
    """f'(x): a steep drop near 0, then a long plateau of slope about SLOPE down to the well at WELL."""
    return -steep / np.cosh(x) ** 2 + SLOPE * (x - WELL) / np.sqrt(1 + (x - WELL) ** 2)


def curvature(x: np.ndarray) -> np.ndarray:
    """f''(x): negative left of 0 (f is concave there), positive right of it."""
    return 2 * STEEP * np.tanh(x) / np.cosh(x) ** 2 + SLOPE / (1 + (x - WELL) ** 2) ** 1.5


def arrival(x0: np.ndarray, lr: np.ndarray, steps: int, alpha: float | None, steep: float = STEEP) -> np.ndarray:
    """First step at which |x - WELL| < 1 (0 if never) for AdaGrad (alpha None) or RMSprop (decay alpha)."""
    x = np.array(x0 + 0 * lr)
    total, hit = np.zeros_like(x), np.zeros(x.shape, int)
    for t in range(1, steps + 1):
        g = gradient(x, steep)
        total = total + g**2 if alpha is None else alpha * total + (1 - alpha) * g**2
        x = x - lr * g / (np.sqrt(total) + 1e-10)
        hit[(hit == 0) & (np.abs(x - WELL) < 1)] = t
    return hit


starts = np.linspace(-3.0, -1.0, 21)[:, None]
lrs = np.array([0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0])[None, :]
small = lrs[0] <= 1.0  # the learning rates at which AdaGrad stalls
budget, alpha, control = 5000, 0.99, -2.0
ada = arrival(starts, lrs, budget, None)
rms = arrival(starts, lrs, budget, alpha)
fresh = arrival(np.array([[control]]), lrs, budget, None, steep=0.0)  # AdaGrad on f without the drop
for k, lr in enumerate(lrs[0]):
    print(
        f"lr {lr:5.2f}: RMSprop arrives from {np.mean(rms[:, k] > 0):4.0%} of starts, AdaGrad from "
        f"{np.mean(ada[:, k] > 0):4.0%}; without the drop, AdaGrad from x = {control:g} "
        f"{'never' if fresh[0, k] == 0 else f'in {fresh[0, k]} steps'}"
    )
# claim: adagrad-plateau [starts=starts.size lrs=lrs.size]
assert np.all(curvature(starts) < 0) and np.all(curvature(np.linspace(0.01, 20, 999)) > 0)  # concave only left of 0
assert np.all(rms[:, small] > 0) and np.all(ada[:, small] == 0)  # lr <= 1: RMSprop from every start, AdaGrad none
assert np.all(ada[:, ~small] > 0)  # larger lrs: AdaGrad arrives from every start
assert np.all((rms[:, -2:] == 0).any(axis=0))  # while RMSprop misses from some start at the two largest
assert np.all(fresh[0, 1:4] > 0) and fresh[0, 0] == 0  # no drop: AdaGrad arrives at lr 0.1 to 1, not at 0.03
# --8<-- [end:plateau]

# --8<-- [start:not-vanishing]
import numpy as np


def adagrad_run(curv: float, lr: float, sigma: float, runs: int, steps: int, seed: int) -> tuple:
    """AdaGrad on f(x) = curv x^2 / 2 from x = 1, with gradient noise sigma, `runs` runs at once:
    the final |x| and the effective step lr / sqrt(sum of squared gradients) after each step."""
    rng = np.random.default_rng(seed)
    x, total, rates = np.ones(runs), np.zeros(runs), []
    for _ in range(steps):
        g = curv * x + sigma * rng.standard_normal(runs)
        total += g**2
        x = x - lr * g / np.sqrt(total)
        rates.append(lr / np.sqrt(total))
    return np.abs(x), np.array(rates)


curv, lr, steps, runs, sigma, exact, within = 1.0, 0.5, 20_000, 200, 0.1, 1e-12, 0.05
x0 = 1.0  # adagrad_run starts there
final, rate = adagrad_run(curv, lr, 0.0, 1, steps, seed=0)  # exact gradients
limit = rate[-1, 0]  # the effective step it keeps: lr / sqrt of a sum that has converged
_, noisy = adagrad_run(curv, lr, sigma, runs, steps, seed=1)  # noisy gradients, many runs
t = np.arange(1, steps + 1)
late = t > steps // 2  # the second half: log-log slope of the effective step against t, per run
slope = np.polyfit(np.log(t[late]), np.log(noisy[late]), 1)[0]
print(f"exact gradients: |x| after {steps} steps below {exact:g}; effective step stays at {limit:.3f}")
print(f"noise {sigma}: the effective step falls like t to the power {slope.min():.3f} to {slope.max():.3f}")
# claim: adagrad-not-vanishing [runs=runs]
assert final[0] < exact  # converged, to rounding...
assert rate[steps // 2 - 1, 0] == limit  # ...with a step that stopped changing (the sum converged) by mid-run
assert limit > 0.5 * rate[0, 0]  # at more than half its first value
assert np.all(np.abs(slope + 0.5) < within)  # with noise: like 1 / sqrt(t), every run
# --8<-- [end:not-vanishing]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

STEEP, SLOPE, WELL = 10.0, 0.01, 10.0  # f(x) = -STEEP tanh(x) + SLOPE sqrt(1 + (x - WELL)^2)


def path(x0: float, lr: float, steps: int, alpha: float | None, steep: float = STEEP) -> np.ndarray:
    """Iterates of AdaGrad (alpha None) or RMSprop (decay alpha) on f, or on f without the drop (steep 0)."""
    x, total, out = x0, 0.0, []
    for _ in range(steps):
        g = -steep / np.cosh(x) ** 2 + SLOPE * (x - WELL) / np.sqrt(1 + (x - WELL) ** 2)
        total = total + g**2 if alpha is None else alpha * total + (1 - alpha) * g**2
        x = x - lr * g / (np.sqrt(total) + 1e-10)
        out.append(x)
    return np.array(out)


x0, lr, alpha, steps, plateau = -2.0, 0.3, 0.99, 3000, 3.0  # plateau: where the figure's AdaGrad run ends past
runs = {
    f"RMSprop (α = {alpha}) from x = {x0:g}": path(x0, lr, steps, alpha),
    f"AdaGrad from x = {x0:g} on f without the drop": path(x0, lr, steps, None, steep=0.0),
    f"AdaGrad from x = {x0:g}": path(x0, lr, steps, None),
}
fig, ax = plt.subplots(figsize=(7, 3.8))
for name, xs in runs.items():
    ax.plot(np.arange(1, steps + 1), xs, lw=1.5, label=name)
ax.axhspan(WELL - 1, WELL + 1, color="0.9")
ax.set(xlabel="step t", ylabel="x_t", ylim=(-3, 12))
ax.set_title(f"Same η = {lr}: AdaGrad's early steep gradients stall it on the plateau")
ax.legend(loc="center right")
fig.tight_layout()
fig.savefig("adagrad-plateau.svg")

# What the figure's description says, checked on its own curves.
rms, fresh, stalled = runs.values()
arrive = {name: int(np.argmax(np.abs(xs - WELL) < 1)) + 1 for name, xs in runs.items()}
assert np.abs(rms[-1] - WELL) < 1 and np.abs(fresh[-1] - WELL) < 1  # both end in the well
assert stalled.max() < WELL - 1 and stalled[-1] > plateau  # AdaGrad: on the plateau, short of the well
assert max(list(arrive.values())[:2]) < steps / 2
# --8<-- [end:figure]
