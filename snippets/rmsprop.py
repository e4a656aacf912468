# Code of the RMSprop page (docs/rmsprop.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:torch]
import numpy as np
import torch


def rmsprop_path(
    curv: np.ndarray,
    x0: np.ndarray,
    lr: float,
    alpha: float,
    eps: float,
    steps: int,
    momentum: float = 0.0,
    centered: bool = False,
    weight_decay: float = 0.0,
) -> np.ndarray:
    """Every iterate of RMSprop, written from scratch in PyTorch's form, on f = sum curv x^2 / 2."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    if not 0 <= alpha < 1:
        raise ValueError(f"alpha must lie in [0, 1), got alpha={alpha!r}")
    x, v, mean, buf, path = x0, np.zeros_like(x0), np.zeros_like(x0), np.zeros_like(x0), [x0]
    for _ in range(steps):
        g = curv * x + weight_decay * x
        v = alpha * v + (1 - alpha) * g**2  # moving average of the squared gradient, from v_0 = 0
        mean = alpha * mean + (1 - alpha) * g  # moving average of the gradient (centered only)
        scale = np.sqrt(v - mean**2 if centered else v) + eps  # eps outside the square root
        buf = momentum * buf + g / scale
        x = x - lr * buf
        path.append(x)
    return np.array(path)


def torch_path(curv: np.ndarray, x0: np.ndarray, steps: int, device: str, **options: float) -> np.ndarray:
    """Every iterate of torch.optim.RMSprop(**options) on the same f, computed on `device`."""
    c = torch.tensor(curv, device=device)
    x = torch.tensor(x0, device=device, requires_grad=True)
    opt = torch.optim.RMSprop([x], **options)
    path = [x0]
    for _ in range(steps):
        opt.zero_grad()
        (c * x**2 / 2).sum().backward()
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


rng = np.random.default_rng(0)
problems, dim, steps, tolerance = 10, 8, 200, 1e-12
curv = np.exp(rng.uniform(np.log(0.1), np.log(10.0), (problems, dim)))  # curvatures from 0.1 to 10
x0 = rng.standard_normal((problems, dim))
settings = [  # PyTorch's defaults first, then every option of the update
    {"lr": 0.01, "alpha": 0.99, "eps": 1e-8},
    {"lr": 0.003, "alpha": 0.9, "eps": 1e-3},
    {"lr": 0.01, "alpha": 0.99, "eps": 1e-8, "momentum": 0.9},
    {"lr": 0.01, "alpha": 0.95, "eps": 1e-6, "centered": True, "weight_decay": 0.1},
]
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
worst = 0.0
for device in devices:
    for options in settings:
        ours = rmsprop_path(curv, x0, steps=steps, **options)
        theirs = torch_path(curv, x0, steps, device, **options)
        if device == "cpu":
            print(f"{options}: largest |x| after {steps} steps {np.abs(ours[-1]).max():.2e}")
        worst = max(worst, np.abs(ours - theirs).max())
        # claim: rmsprop-torch [devices=devices settings=len(settings) steps=steps]
        assert ours.shape == theirs.shape == (steps + 1, problems, dim)  # every step, every coordinate
        assert np.abs(ours - theirs).max() < tolerance
        assert np.abs(ours[-1]).max() < np.abs(x0).max()  # the runs go somewhere: both moved toward 0
print(f"largest difference, numpy against torch, over every step: {'below 1e-14' if worst < 1e-14 else worst}")
# --8<-- [end:torch]

# --8<-- [start:eps]
import numpy as np
import torch


def first_moves(g: float, lr: float, alpha: float, eps: float, steps: int, inside: bool) -> np.ndarray:
    """Moves of RMSprop fed the same gradient g at every step; eps inside or outside the square root."""
    v, moves = 0.0, []
    for _ in range(steps):
        v = alpha * v + (1 - alpha) * g**2
        moves.append(-lr * g / (np.sqrt(v + eps) if inside else np.sqrt(v) + eps))
    return np.array(moves)


def torch_moves(g: float, lr: float, alpha: float, eps: float, steps: int) -> np.ndarray:
    """Moves of torch.optim.RMSprop on f(x) = g x."""
    x = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt, moves = torch.optim.RMSprop([x], lr=lr, alpha=alpha, eps=eps), []
    for _ in range(steps):
        before = x.item()
        opt.zero_grad()
        (g * x).backward()
        opt.step()
        moves.append(x.item() - before)
    return np.array(moves)


lr, alpha, steps, tolerance, apart = 0.01, 0.99, 50, 1e-12, 0.1
eps, g = 1e-4, 1e-3  # an eps that is not negligible next to a small gradient
outside = first_moves(g, lr, alpha, eps, steps, inside=False)
inside = first_moves(g, lr, alpha, eps, steps, inside=True)
theirs = torch_moves(g, lr, alpha, eps, steps)
gap = np.abs(inside / outside - 1).min()
print(f"gradient {g:g}, eps {eps:g}: eps inside the root changes every move by at least {gap:.0%}")
# claim: rmsprop-eps-outside [steps=steps]
assert np.all(np.abs(theirs / outside - 1) < tolerance)  # PyTorch: sqrt(v) + eps
assert gap > apart  # the other placement is another update
# --8<-- [end:eps]

# --8<-- [start:adam]
import numpy as np
import torch


def moves(opt_class: type, g: float, steps: int, **options: float) -> np.ndarray:
    """Moves of a torch optimizer on f(x) = g x (the same gradient at every step)."""
    x = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt, out = opt_class([x], **options), []
    for _ in range(steps):
        before = x.item()
        opt.zero_grad()
        (g * x).backward()
        opt.step()
        out.append(x.item() - before)
    return np.array(out)


lr, alpha, g, steps, tolerance, close = 0.01, 0.99, 0.37, 1000, 1e-9, 0.01
t = np.arange(1, steps + 1)
eps, beta1 = 0.0, 0.0
rms = moves(torch.optim.RMSprop, g, steps, lr=lr, alpha=alpha, eps=eps)
adam = moves(torch.optim.Adam, g, steps, lr=lr, betas=(beta1, alpha), eps=eps)  # Adam without momentum
ratio = rms / adam
first = ratio[0]
agree = int(np.argmax(ratio < 1 + close)) + 1  # first step at which they agree to within 1%
predicted = int(np.ceil(np.log(1 - 1 / (1 + close) ** 2) / np.log(alpha)))
print(f"RMSprop's move / Adam's (beta1 = 0, beta2 = {alpha}): {first:.2f} at step 1, {ratio[9]:.2f} at step 10")
print(f"within {close:.0%} of each other from step {agree}")
# claim: rmsprop-not-adam-without-momentum [steps=steps]
assert np.allclose(adam, -lr, rtol=tolerance)  # Adam's move is lr at every step
assert np.allclose(ratio, 1 / np.sqrt(1 - alpha**t), rtol=tolerance)  # no bias correction in RMSprop
assert abs(first - 1 / np.sqrt(1 - alpha)) < tolerance and agree == predicted
assert np.all(ratio[agree - 1 :] < 1 + close) and ratio[agree - 2] >= 1 + close
# --8<-- [end:adam]

# --8<-- [start:cycle]
import numpy as np


def rmsprop_on_parabola(x0: float, lr: np.ndarray, alpha: np.ndarray, eps: float, steps: int) -> np.ndarray:
    """Iterates of RMSprop on f(x) = x^2 / 2 (exact gradient g = x), for arrays of step sizes and decays."""
    shape = np.broadcast(lr, alpha).shape
    x, v, path = np.full(shape, x0), np.zeros(shape), []
    for _ in range(steps):
        v = alpha * v + (1 - alpha) * x**2
        x = x - lr * x / (np.sqrt(v) + eps)
        path.append(x)
    return np.array(path)


lrs = np.array([1e-1, 3e-2, 1e-2, 3e-3, 1e-3, 1e-4])
alphas = np.array([0.5, 0.9, 0.99])
shown_alphas = ", ".join(f"{a:g}" for a in alphas)
x0, eps, steps, tail, tolerance = 1.0, 1e-8, 20_000, 100, 1e-9
path = rmsprop_on_parabola(x0, lrs[None, :], alphas[:, None], eps, steps)
last = path[-tail:]  # the last iterates of every run
half_width = np.abs(last).max(axis=0)  # per run: the band [-h, h] the iterate ends in
error = np.abs(np.abs(last) / (lrs / 2 - eps) - 1).max()
flips = np.all(np.sign(last[1:]) == -np.sign(last[:-1]))
slope = np.polyfit(np.log(lrs), np.log(half_width + eps).T, 1)[0]  # lr/2 = band + eps against lr, log-log
print("half-width of the band / lr:", np.array2string(half_width[-1] / lrs, precision=3))
print(f"log-log slope of half-width + eps against lr: {slope.min():.9f} to {slope.max():.9f}")
# claim: rmsprop-cycle [runs=lrs.size*alphas.size]
assert flips  # every last iterate of every run has the opposite sign of the one before
assert error < tolerance  # |x| = lr / 2 - eps: the two-cycle +-(lr/2 - eps), for every lr and alpha
assert np.all(np.abs(slope - 1) < tolerance)  # the band scales like lr
assert np.all(half_width > 0.4 * lrs)  # and does not shrink toward the minimum
# --8<-- [end:cycle]

# --8<-- [start:rate]
import numpy as np


def deviation(lr: float, alpha: float, kick: float, steps: int) -> np.ndarray:
    """Start RMSprop on f(x) = x^2/2 on its two-cycle (x = lr/2, v = x^2), nudge x by `kick`, and return
    |x_t| / (lr/2) - 1 at each step (eps = 0)."""
    x, v, out = lr / 2 * (1 + kick), (lr / 2) ** 2, []
    for _ in range(steps):
        v = alpha * v + (1 - alpha) * x**2
        x = x - lr * x / np.sqrt(v)
        out.append(abs(x) / (lr / 2) - 1)
    return np.array(out)


lr, kick, steps, within, floor = 0.01, 1e-6, 400, 0.02, 1e-12
alphas = np.array([0.5, 0.9, 0.99])
shown_alphas = ", ".join(f"{a:g}" for a in alphas)
rates = {}
for alpha in alphas:
    dev = deviation(lr, alpha, kick, steps)
    # the deviations (p_t, q_t) of (v, |x|) obey a 2 x 2 linear map; its eigenvalues have modulus sqrt(alpha)
    jacobian = np.array([[alpha, 2 * (1 - alpha)], [-alpha, 2 * alpha - 1]])
    moduli = np.abs(np.linalg.eigvals(jacobian))
    envelope = np.maximum.accumulate(np.abs(dev)[::-1])[::-1]  # the decaying envelope of the oscillation
    fit = envelope > floor  # above rounding error
    rates[alpha] = np.exp(np.polyfit(np.arange(steps)[fit], np.log(envelope[fit]), 1)[0])
    print(f"alpha = {alpha}: measured factor per step {rates[alpha]:.4f}, sqrt(alpha) = {np.sqrt(alpha):.4f}")
    # claim: rmsprop-cycle-rate [alphas=alphas.size]
    assert np.allclose(moduli, np.sqrt(alpha), rtol=1e-12)  # both roots: a complex pair
    assert abs(rates[alpha] / np.sqrt(alpha) - 1) < within and fit.sum() > 10  # measured on 10+ steps
    assert np.abs(dev).max() < 10 * kick  # a nudge stays small: the cycle attracts
# --8<-- [end:rate]

# --8<-- [start:scale]
import numpy as np


CURV = np.array([0.1, 1.0, 10.0])  # the curvatures of f


def run(c: float, lr: float, alpha: float, eps: float, steps: int, adaptive: bool) -> np.ndarray:
    """Iterates on f(x) = c * sum curv x^2 / 2 of RMSprop (adaptive) or of gradient descent."""
    x, v, path = np.ones(3), np.zeros(3), []
    for _ in range(steps):
        g = c * CURV * x
        v = alpha * v + (1 - alpha) * g**2
        x = x - lr * (g / (np.sqrt(v) + eps) if adaptive else g)
        path.append(x)
    return np.array(path)


lr, alpha, eps, steps, blowup, tolerance, scales = 0.01, 0.99, 0.0, 500, 10, 1e-12, [1e-3, 1.0, 1e3]
shown_curv = ", ".join(f"{c:g}" for c in CURV)
shown_scales = ", ".join(f"{c:g}" for c in scales)
rms = [run(c, lr, alpha, eps, steps, adaptive=True) for c in scales]
spread = max(np.abs(p - rms[1]).max() for p in rms)
gd_small = run(scales[0], lr, alpha, 0.0, steps, adaptive=False)
gd_big = run(scales[-1], lr, alpha, 0.0, blowup, adaptive=False)  # a few steps: it overflows later
print(f"RMSprop with the loss scaled by {scales}: iterates differ by less than {tolerance:g}")
moved = np.abs(gd_small[-1] - 1).max()
print(f"gradient descent, same lr: at scale {scales[0]:g} x moves {moved:.1%} in {steps} steps; ", end="")
print(f"at scale {scales[-1]:g} |x| reaches {np.abs(gd_big[-1]).max():.0e} in {blowup}")
# claim: rmsprop-scale-free [steps=steps]
assert spread < tolerance  # same iterates whatever the scale of the loss
assert moved < 0.1  # gradient descent: the same lr barely moves it at c = 1e-3...
assert np.abs(gd_big[-1]).max() > 1e12  # ...and diverges at c = 1e3
# --8<-- [end:scale]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np


def rmsprop_on_parabola(x0: float, lr: np.ndarray, alpha: float, eps: float, steps: int) -> np.ndarray:
    """Iterates of RMSprop on f(x) = x^2 / 2, one column per step size."""
    x, v, path = np.full(lr.shape, x0), np.zeros(lr.shape), []
    for _ in range(steps):
        v = alpha * v + (1 - alpha) * x**2
        x = x - lr * x / (np.sqrt(v) + eps)
        path.append(x)
    return np.array(path)


lrs = np.array([1e-1, 1e-2, 1e-3])
shown_lrs = ", ".join(f"{lr:g}" for lr in lrs)
alpha, eps, steps = 0.99, 1e-8, 8000
path = rmsprop_on_parabola(1.0, lrs, alpha, eps, steps)
scaled = np.abs(path) / lrs  # |x_t| in units of the learning rate
fig, ax = plt.subplots(figsize=(7, 3.8))
for k, lr in enumerate(lrs):
    ax.plot(np.arange(1, steps + 1), scaled[:, k], lw=1.2, label=f"η = {lr:g}")
ax.axhline(0.5, color="0.3", ls="--", lw=0.8)
ax.annotate("|x| = η/2: the two-cycle", (steps * 0.6, 0.5), (steps * 0.45, 0.05), arrowprops={})
ax.set(xlabel="step t", ylabel="|x_t| / η", yscale="log", ylim=(1e-4, 1e4))
ax.set_title(f"RMSprop on f(x) = x²/2, α = {alpha}: every run ends at |x| = η/2")
ax.legend(loc="upper right")
fig.tight_layout()
fig.savefig("rmsprop-cycle.svg")

# What the figure's description says, checked on its own curves.
end = scaled[-1]
assert np.allclose(end, (lrs / 2 - eps) / lrs, rtol=1e-9)  # every run ends on |x| = lr / 2 - eps, eps = 1e-8
low = scaled.argmin(axis=0)  # on the way in, each run collapses toward the minimum...
dip = scaled[low, np.arange(lrs.size)]
thrown = np.array([scaled[t:, k].max() for k, t in enumerate(low)])  # ...and is thrown back out
assert np.all(dip < 1e-3) and np.all(thrown > 1)
# --8<-- [end:figure]
