# Code of the Adam page (docs/adam.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:adam]
from collections.abc import Callable

import numpy as np
import torch

Grad = Callable[[np.ndarray, int], np.ndarray]


def adam(
    grad: Grad,
    x0: np.ndarray,
    lrs: np.ndarray,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    amsgrad: bool = False,
    correct: bool = True,
) -> np.ndarray:
    """Adam (Kingma & Ba 2015, Algorithm 1) as torch.optim.Adam computes it: the iterates x_0..x_T for the
    step sizes lrs[t-1] at steps t = 1..T. amsgrad keeps the largest v so far (Reddi et al. 2018); correct=False
    drops the bias correction."""
    beta1, beta2 = betas
    if not 0 <= beta1 < 1 or not 0 <= beta2 < 1:
        raise ValueError(f"betas must lie in [0, 1), got betas={betas}")
    x = np.array(x0, dtype=float)
    m, v, v_max = np.zeros_like(x), np.zeros_like(x), np.zeros_like(x)
    path = [x]
    for t, lr in enumerate(lrs, start=1):
        g = grad(x, t)
        m = beta1 * m + (1 - beta1) * g  # first moment: a moving average of the gradients, started at 0
        v = beta2 * v + (1 - beta2) * g * g  # second moment: of the squared gradients
        v_max = np.maximum(v_max, v)
        c1, c2 = (1 - beta1**t, 1 - beta2**t) if correct else (1.0, 1.0)  # undo the start at zero
        x = x - lr / c1 * m / (np.sqrt((v_max if amsgrad else v) / c2) + eps)
        path.append(x)
    return np.array(path)


def torch_adam(grad: Grad, x0: np.ndarray, lrs: np.ndarray, device: str, **kw) -> np.ndarray:
    """The same run with torch.optim.Adam in float64 on `device` (lr set before every step)."""
    x = torch.tensor(x0, dtype=torch.float64, device=device, requires_grad=True)
    opt = torch.optim.Adam([x], lr=float(lrs[0]), **kw)
    path = [x.detach().cpu().numpy().copy()]
    for t, lr in enumerate(lrs, start=1):
        opt.param_groups[0]["lr"] = float(lr)
        x.grad = torch.as_tensor(grad(x.detach().cpu().numpy(), t), device=device)
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


# Logistic regression on random data: a gradient that depends on where the run is.
rng = np.random.default_rng(0)
features, labels = rng.standard_normal((200, 10)), rng.integers(0, 2, 200)


def logistic_grad(w: np.ndarray, t: int) -> np.ndarray:
    """Gradient of the mean logistic loss of the linear model w."""
    p = 1 / (1 + np.exp(-features @ w))
    return features.T @ (p - labels) / len(labels)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
steps, tolerance = 500, 1e-12
settings = [
    {"lr": 0.01},
    {"lr": 0.05},
    {"lr": 0.01, "betas": (0.95, 0.9999), "eps": 1e-6},
    {"lr": 0.01, "amsgrad": True},
]
worst = 0.0
for setting in settings:
    kw = {k: val for k, val in setting.items() if k != "lr"}
    lrs = np.full(steps, setting["lr"])
    ours = adam(logistic_grad, np.zeros(10), lrs, **kw)
    for device in devices:
        theirs = torch_adam(logistic_grad, np.zeros(10), lrs, device, **kw)
        worst = max(worst, np.abs(ours - theirs).max())
        # claim: adam-torch [devices=devices settings=len(settings)]
        assert np.all(np.abs(ours - theirs) <= tolerance * np.abs(ours))  # relative, coordinate by coordinate
assert np.abs(ours[-1] - ours[0]).max() > 0.1  # the run goes somewhere: the check compares moving iterates
print(f"{len(settings)} settings, {steps} steps on {devices}: largest gap to torch.optim.Adam below {tolerance:.0e}")
# --8<-- [end:adam]

# --8<-- [start:bias]
import numpy as np
import torch


def adam_moves(grads: np.ndarray, beta1: float, beta2: float, correct: bool) -> np.ndarray:
    """Adam's moves in units of the learning rate, m / sqrt(v) (eps = 0), for fixed gradients grads[t-1]."""
    m, v, moves = np.zeros(grads.shape[1:]), np.zeros(grads.shape[1:]), []
    for t, g in enumerate(grads, start=1):
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        c1, c2 = (1 - beta1**t, 1 - beta2**t) if correct else (1.0, 1.0)
        moves.append(-(m / c1) / np.sqrt(v / c2))
    return np.array(moves)


def torch_moves(grads: np.ndarray, beta1: float, beta2: float) -> np.ndarray:
    """The moves of torch.optim.Adam (lr = 1, eps = 0) for the same gradients: x is reset to 0 before each step."""
    x = torch.zeros(grads.shape[1], dtype=torch.float64, requires_grad=True)
    opt, moves = torch.optim.Adam([x], lr=1.0, betas=(beta1, beta2), eps=0.0), []
    for g in grads:
        with torch.no_grad():
            x.zero_()
        x.grad = torch.tensor(g)  # a copy: grads is a read-only broadcast
        opt.step()
        moves.append(x.detach().numpy().copy())
    return np.array(moves)


beta1, beta2, steps, tolerance, near = 0.9, 0.999, 10_000, 1e-12, 0.01
slopes = np.array([1e-6, 0.5, -3.0, 1e4])  # a constant gradient in each coordinate, of any size and sign
grads = np.broadcast_to(slopes, (steps, slopes.size))
corrected = torch_moves(grads, beta1, beta2)  # bias-corrected Adam, as torch.optim.Adam computes it
raw = adam_moves(grads, beta1, beta2, correct=False)
t = np.arange(1, steps + 1)
ratio = np.abs(raw[:, 0])  # the uncorrected move in units of the learning rate (the same in every coordinate)
first, peak, peak_at = ratio[0], ratio.max(), int(np.argmax(ratio)) + 1
settled = int(np.argmax(np.abs(ratio - 1) < near)) + 1  # first step within 1% of the learning rate
print(f"corrected: every move is lr; uncorrected: first move {first:.2f} lr, peak {peak:.2f} lr at step {peak_at}")
print(f"uncorrected moves first come within {near:.0%} of lr at step {settled:,}")
# claim: adam-bias-correction
assert np.all(np.abs(corrected + np.sign(slopes)) < tolerance)  # exactly lr, downhill, at every step
assert np.all(np.abs(adam_moves(grads, beta1, beta2, correct=True) - corrected) < tolerance)  # the helper agrees
assert np.allclose(ratio[:, None], np.abs(raw), rtol=tolerance, atol=0)  # uncorrected: the same in every coordinate
assert np.allclose(
    ratio, (1 - beta1**t) / np.sqrt(1 - beta2**t), rtol=1e-9, atol=0
)  # (1 - beta1^t) / sqrt(1 - beta2^t)
assert abs(first - (1 - beta1) / np.sqrt(1 - beta2)) < tolerance and peak > 6 and 1 < peak_at < 100
assert settled > 1000 and np.all(ratio[: settled - 1] > 1 + near)  # too large for over a thousand steps
# --8<-- [end:bias]

# --8<-- [start:bound]
import numpy as np
import torch


def adam_moves(grads: np.ndarray, beta1: float, beta2: float) -> np.ndarray:
    """Adam's moves in units of the learning rate, m_hat / sqrt(v_hat) with eps = 0, for fixed gradients."""
    m, v, moves = np.zeros(grads.shape[1:]), np.zeros(grads.shape[1:]), []
    for t, g in enumerate(grads, start=1):
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        moves.append(-(m / (1 - beta1**t)) / np.sqrt(v / (1 - beta2**t)))
    return np.array(moves)


def torch_moves(grads: np.ndarray, beta1: float, beta2: float) -> np.ndarray:
    """The same moves taken by torch.optim.Adam (lr = 1, eps = 0): x is reset to 0 before each step, so x after it
    is the move."""
    x = torch.zeros(grads.shape[1], dtype=torch.float64, requires_grad=True)
    opt, moves = torch.optim.Adam([x], lr=1.0, betas=(beta1, beta2), eps=0.0), []
    for g in grads:
        with torch.no_grad():
            x.zero_()
        x.grad = torch.as_tensor(g)
        opt.step()
        moves.append(x.detach().numpy().copy())
    return np.array(moves)


def step_bound(t: np.ndarray, beta1: float, beta2: float) -> np.ndarray:
    """The largest |move| / lr Adam can make at step t (Cauchy-Schwarz; needs beta1^2 < beta2)."""
    gamma = beta1**2 / beta2
    scale = (1 - beta1) * np.sqrt(1 - beta2**t) / ((1 - beta1**t) * np.sqrt(1 - beta2))
    return scale * np.sqrt((1 - gamma**t) / (1 - gamma))


beta1, beta2, steps, n, tolerance = 0.9, 0.999, 2000, 1000, 1e-9
rng = np.random.default_rng(0)
t = np.arange(1, steps + 1)
bound, limit = step_bound(t, beta1, beta2), step_bound(np.inf, beta1, beta2)
kingma_ba = (1 - beta1) / np.sqrt(1 - beta2)  # Kingma & Ba's bound for this case (1 - beta1 > sqrt(1 - beta2))
# Random gradient sequences: Gaussian, heavy-tailed (Cauchy), sparse (1% nonzero) and growing geometrically.
sparse = rng.standard_normal((steps, n)) * (rng.random((steps, n)) < 0.01)
growing = rng.uniform(1.0, 1.15, n) ** t[:, None]  # up to 1.15^2000, about 1e121: no overflow
grads = np.concatenate([rng.standard_normal((steps, n)), rng.standard_cauchy((steps, n)), sparse, growing], axis=1)
grads[0] = np.ones(grads.shape[1])  # a nonzero first gradient, so that no move is 0 / 0
moves = np.abs(adam_moves(grads, beta1, beta2))
worst = moves.max(axis=1)  # the largest move at each step over the 4 n sequences
family = ["Gaussian", "Cauchy", "sparse", "geometric"][int(np.argmax(moves[-1])) // n]  # where the largest is
others = moves[-1, : 3 * n].max() / bound[-1]  # the largest last move of the other three families, over the bound
spike = (t == steps).astype(float)[:, None]  # Kingma & Ba's case: zero at every step but the last
with np.errstate(invalid="ignore"):  # before the gradient arrives, m / sqrt(v) is 0 / 0
    spike_move = abs(adam_moves(spike, beta1, beta2)[-1, 0])
growth = (beta2 / beta1) ** t[:, None]  # a gradient that grows by beta2 / beta1 per step
extreme = abs(adam_moves(growth, beta1, beta2)[:, 0])
# adam_moves is Adam: torch.optim.Adam takes the same moves on some of the sequences (every 100th and the growing one).
sample = np.concatenate([grads[:, ::100], growth], axis=1)
torch_gap = np.abs(torch_moves(sample, beta1, beta2) / adam_moves(sample, beta1, beta2) - 1).max()
# Kingma & Ba's other case, 1 - beta1 <= sqrt(1 - beta2), where their bound is the learning rate itself:
beta2_short = 0.99
kingma_ba_short = (1 - beta1) / np.sqrt(1 - beta2_short)  # = 1: their equality case, where they write |step| < lr
extreme_short = abs(adam_moves((beta2_short / beta1) ** t[:, None], beta1, beta2_short)[-1, 0])
print(f"largest move at step {steps:,} over {grads.shape[1]:,} random sequences: {worst[-1]:.2f} lr ({family})")
print(f"bound at step {steps:,}: {bound[-1]:.2f} lr (as t grows: {limit:.2f} lr); gradients growing")
print(f"by beta2 / beta1 per step reach it; a lone gradient after zeros moves {spike_move:.2f} lr")
print(f"with beta2 = {beta2_short}: such a gradient moves {extreme_short:.2f} lr")
# claim: adam-step-bound [sequences=grads.shape[1] steps=steps]
assert torch_gap < tolerance  # the moves are torch.optim.Adam's
assert np.all(np.isfinite(moves)) and np.all(worst <= bound * (1 + tolerance))  # never above the bound
assert family == "geometric" and others < 0.5  # the largest last move: a growth rate near beta2 / beta1
assert np.abs(extreme / bound - 1).max() < tolerance  # and the bound is reached, at every step
assert np.all(np.diff(bound) > 0) and bound[-1] < limit  # it rises toward its limit
# claim: adam-step-exceeds-lr
assert extreme.max() > 2 * kingma_ba and worst.max() > kingma_ba  # twice Kingma & Ba's case-1 bound...
lone = kingma_ba * np.sqrt(1 - beta2**steps) / (1 - beta1**steps)  # zeros, then one gradient: K sqrt(c2) / c1
assert abs(spike_move / lone - 1) < tolerance and spike_move < kingma_ba  # ...which their sparse case stays under
assert (
    abs(kingma_ba_short - 1) < tolerance and extreme_short > 2
)  # twice lr in their equality case, 1 - beta1 = sqrt(1 - beta2)
assert abs(extreme_short / step_bound(steps, beta1, beta2_short) - 1) < tolerance  # B_t again
# --8<-- [end:bound]

# --8<-- [start:amsgrad]
import numpy as np


def adam_1d(C: np.ndarray, lrs: np.ndarray, beta2: np.ndarray, amsgrad: bool, eps: float = 1e-8) -> np.ndarray:
    """Adam with beta1 = 0 (as torch.optim.Adam computes it), one coordinate per C, on Reddi et al.'s problem:
    gradient C at steps t = 1, 4, 7, ..., -1 at the others; every iterate projected onto [-1, 1]."""
    x, v, v_max, path = np.zeros_like(C), np.zeros_like(C), np.zeros_like(C), []
    for t, lr in enumerate(lrs, start=1):
        path.append(x)
        g = C if t % 3 == 1 else -np.ones_like(C)
        v = beta2 * v + (1 - beta2) * g * g
        v_max = np.maximum(v_max, v)
        x = np.clip(x - lr * g / (np.sqrt((v_max if amsgrad else v) / (1 - beta2**t)) + eps), -1, 1)
    return np.array(path)  # x_1 .. x_T, the points at which each f_t is played


def ogd_1d(C: np.ndarray, lrs: np.ndarray) -> np.ndarray:
    """Projected online gradient descent on the same problem: x <- clip(x - lr g, -1, 1)."""
    x, path = np.zeros_like(C), []
    for t, lr in enumerate(lrs, start=1):
        path.append(x)
        x = np.clip(x - lr * (C if t % 3 == 1 else -np.ones_like(C)), -1, 1)
    return np.array(path)


def average_regret(C: np.ndarray, path: np.ndarray) -> np.ndarray:
    """R_T / T: the mean of f_t(x_t) minus that of the best fixed point x = -1, for f_t = C x or -x."""
    t = np.arange(1, len(path) + 1)[:, None]
    played = np.where(t % 3 == 1, C * path, -path).sum(axis=0)
    best = np.where(t % 3 == 1, -C, 1.0).sum(axis=0)
    return (played - best) / len(path)


C = np.array([3.0, 5.0, 10.0, 20.0])  # any C > 2; Reddi et al. take beta2 = 1 / (1 + C^2)
beta2, alpha, steps, share, tiny, falls, near_min = 1 / (1 + C**2), 0.1, 30_000, 0.99, 0.02, 5, -0.999
ogd_falls = 3  # a regret of order sqrt(T) makes R_T / T fall by sqrt(10) per tenfold T
c_list = ", ".join(f"{c:g}" for c in C)
lrs = alpha / np.sqrt(np.arange(1, steps + 1))  # alpha_t = alpha / sqrt(t), alpha < sqrt(1 - beta2)
adam_path, ams_path = adam_1d(C, lrs, beta2, amsgrad=False), adam_1d(C, lrs, beta2, amsgrad=True)
worst_possible = 2 * (C - 2) / 3  # the average regret of sitting at x = +1
adam_regret, ams_regret = average_regret(C, adam_path), average_regret(C, ams_path)
ogd_path = ogd_1d(C, lrs)
ogd_regret = average_regret(C, ogd_path)
ams_early, ogd_early = average_regret(C, ams_path[: steps // 10]), average_regret(C, ogd_path[: steps // 10])
late = 3 * (steps // 30)  # from the first tenth of the run on, at a step t = 1 (mod 3)
adam_floor = adam_path[late:].min()
for c, a, b, x_a, x_b in zip(C, adam_regret, ams_regret, adam_path[-1], ams_path[-1], strict=True):
    print(
        f"C = {c:2.0f}: Adam ends at x = {x_a:+.3f}, R_T/T = {a:.3f}; AMSGrad ends at x = {x_b:+.3f}, R_T/T = {b:.4f}"
    )
print(f"projected online gradient descent: R_T/T = {', '.join(f'{r:.4f}' for r in ogd_regret)}")
# claim: adam-nonconvergence [steps=steps]
assert np.all(alpha < np.sqrt(1 - beta2)) and np.all(C > 2)  # Reddi et al.'s conditions
assert np.all(adam_path[late::3] == 1) and adam_floor > 0.99  # Adam sits at the worst point of the box...
assert np.all(adam_regret > share * worst_possible)  # ...and its average regret is nearly the worst possible
assert np.all(ams_path[-1] < near_min)  # AMSGrad reaches the minimizer x = -1...
assert np.all(ams_regret < tiny * worst_possible) and np.all(ams_regret < ams_early / falls)  # and R_T/T falls
assert np.all(ogd_path[-1] < near_min) and np.all(ogd_regret < tiny * worst_possible)  # so does plain OGD,
assert np.all(ogd_regret < ogd_early / ogd_falls)  # and its R_T/T falls too
# --8<-- [end:amsgrad]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

shown = 2  # C = 10
fig, ax = plt.subplots(figsize=(7, 3.6))
t = np.arange(1, steps + 1)
ax.plot(t, adam_path[:, shown], color="C3", lw=1, label=f"Adam, C = {C[shown]:g}")
ax.plot(t, ams_path[:, shown], color="C0", lw=1, label=f"AMSGrad, C = {C[shown]:g}")
ax.plot(t, ogd_path[:, shown], color="C2", lw=1, ls="--", label=f"online gradient descent, C = {C[shown]:g}")
ax.axhline(-1, color="0.3", ls=":", lw=1)
ax.set(xscale="log", xlabel="step t", ylabel="iterate x_t", ylim=(-1.1, 1.1))
ax.set_title("f_t = C x at t = 1, 4, 7, ..., else -x, on [-1, 1]: the minimizer is x = -1")
ax.legend(loc="upper left")
fig.tight_layout()
fig.savefig("adam-amsgrad.svg")
late = t > steps // 10
adam_low, ams_high = adam_path[late, shown].min(), ams_path[late, shown].max()
ogd_end = ogd_path[-1, shown]
# What the alt text says: after the first tenth of the run Adam never goes below adam_low > 0, AMSGrad never
# above ams_high < -0.9; online gradient descent ends below -0.99.
assert adam_low > 0 and ams_high < -0.9 and ogd_end < -0.99
# --8<-- [end:figure]

# --8<-- [start:amsgrad-torch]
import numpy as np
import torch


def torch_1d(C: float, lrs: np.ndarray, beta2: float, amsgrad: bool, device: str) -> np.ndarray:
    """Reddi et al.'s problem run by torch.optim.Adam(betas=(0, beta2)), clamped to [-1, 1] after every step."""
    x = torch.zeros(1, dtype=torch.float64, device=device, requires_grad=True)
    opt = torch.optim.Adam([x], lr=float(lrs[0]), betas=(0.0, beta2), amsgrad=amsgrad)
    path = []
    for t, lr in enumerate(lrs, start=1):
        path.append(x.item())
        opt.param_groups[0]["lr"] = float(lr)
        x.grad = torch.full((1,), C if t % 3 == 1 else -1.0, dtype=torch.float64, device=device)
        opt.step()
        with torch.no_grad():
            x.clamp_(-1, 1)
    return np.array(path)


def v_max_active(C: float, steps: int, beta2: float) -> float:
    """Share of steps at which AMSGrad's running max of v is larger than v itself."""
    g2 = np.where(np.arange(1, steps + 1) % 3 == 1, C * C, 1.0)
    v, v_max, active = 0.0, 0.0, 0
    for g in g2:
        v = beta2 * v + (1 - beta2) * g
        active += v_max > v
        v_max = max(v_max, v)
    return active / steps


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
steps_torch, tolerance = 1500, 1e-12
gap = 0.0
for amsgrad in [False, True]:
    ours = adam_1d(C, lrs[:steps_torch], beta2, amsgrad)
    for device in devices:
        for k, c in enumerate(C):
            theirs = torch_1d(float(c), lrs[:steps_torch], float(beta2[k]), amsgrad, device)
            gap = max(gap, np.abs(ours[:, k] - theirs).max())
            # claim: adam-amsgrad-torch [devices=devices]
            assert np.abs(ours[:, k] - theirs).max() < tolerance
active = min(v_max_active(float(c), steps_torch, float(b)) for c, b in zip(C, beta2, strict=True))
print(f"torch.optim.Adam with and without amsgrad on {devices}: largest gap below {tolerance:.0e}")
print(f"AMSGrad's max is larger than v at {active:.0%} of the steps or more")
assert active > 0.5  # the max is not idle: AMSGrad and Adam take different steps most of the time
# --8<-- [end:amsgrad-torch]

# --8<-- [start:amsgrad-regrow]
import numpy as np
import torch


def torch_amsgrad_steps(grads: np.ndarray, beta2: float) -> np.ndarray:
    """The steps of torch.optim.Adam(amsgrad=True, betas=(0, beta2), lr=1, eps=0) for fixed gradients (x reset to 0
    before each step, so x after it is minus the step)."""
    x = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt, steps = torch.optim.Adam([x], lr=1.0, betas=(0.0, beta2), eps=0.0, amsgrad=True), []
    for g in grads:
        with torch.no_grad():
            x.zero_()
        x.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        steps.append(-x.item())
    return np.array(steps)


def reddi_amsgrad_steps(grads: np.ndarray, beta2: float) -> np.ndarray:
    """The same steps in Reddi et al.'s Algorithm 2 (beta1 = 0, lr = 1): g / sqrt(max v), no bias correction."""
    v = np.zeros(len(grads))
    for t, g in enumerate(grads):
        v[t] = beta2 * (v[t - 1] if t else 0.0) + (1 - beta2) * g * g
    return grads / np.sqrt(np.maximum.accumulate(v))


beta2, steps, big, small, tolerance = 0.999, 3000, 1.0, 0.01, 1e-12
grads = np.where(np.arange(1, steps + 1) == 1, big, small)  # one large gradient, then small ones
per_grad = torch_amsgrad_steps(grads, beta2) / grads  # the step size: the step per unit of gradient
reddi = reddi_amsgrad_steps(grads, beta2) / grads
growth, most = per_grad[-1] / per_grad[1], 1 / np.sqrt(1 - beta2)
print(f"torch.optim.Adam(amsgrad=True): step per unit gradient grows {growth:.1f}-fold from step 2 to {steps:,}")
print(f"Reddi et al.'s Algorithm 2: constant from step 2 on; largest possible growth 1 / sqrt(1 - beta2) = {most:.1f}")
# claim: adam-amsgrad-regrows
assert np.all(np.diff(per_grad[1:]) > 0) and growth > 20  # PyTorch's AMSGrad step size grows back at every step
assert growth < most and np.abs(reddi[1:] / reddi[1] - 1).max() < tolerance  # Algorithm 2: it never grows back
# --8<-- [end:amsgrad-regrow]
