# Code of the RMSprop page (docs/rmsprop.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:torch]
import numpy as np
import torch


def rmsprop_path(
    curv: np.ndarray,
    x0: np.ndarray,
    steps: int,
    lr: float = 0.01,
    alpha: float = 0.99,
    eps: float = 1e-8,
    momentum: float = 0.0,
    centered: bool = False,
    weight_decay: float = 0.0,
    maximize: bool = False,
) -> np.ndarray:
    """Every iterate of RMSprop, written from scratch in PyTorch's form (and with its defaults), on
    f = sum curv x^2 / 2."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    if not 0 <= alpha < 1:
        raise ValueError(f"alpha must lie in [0, 1), got alpha={alpha!r}")
    x, v, mean, buf, path = x0, np.zeros_like(x0), np.zeros_like(x0), np.zeros_like(x0), [x0]
    for _ in range(steps):
        g = -curv * x if maximize else curv * x
        g = g + weight_decay * x
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
settings = [  # PyTorch's defaults first (no argument given to either side), then every option of the update
    {},
    {"lr": 0.003, "alpha": 0.9, "eps": 1e-3},
    {"momentum": 0.9},
    {"lr": 0.01, "alpha": 0.95, "eps": 1e-6, "momentum": 0.5, "centered": True, "weight_decay": 0.1},
    {"maximize": True, "weight_decay": 0.1},
]
defaults = torch.optim.RMSprop([torch.zeros(1, requires_grad=True)]).defaults  # shown on the page
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
worst = 0.0
for device in devices:
    for options in settings:
        ours = rmsprop_path(curv, x0, steps=steps, **options)
        theirs = torch_path(curv, x0, steps, device, **options)
        if device == "cpu":
            print(f"{options or 'defaults'}: largest |x| after {steps} steps {np.abs(ours[-1]).max():.2e}")
        worst = max(worst, np.abs(ours - theirs).max())
        # claim: rmsprop-torch [devices=devices settings=len(settings) steps=steps]
        assert ours.shape == theirs.shape == (steps + 1, problems, dim)  # every step, every coordinate
        assert np.abs(ours - theirs).max() < tolerance
print(f"largest difference, numpy against torch, over every step: {'below 1e-14' if worst < 1e-14 else worst}")
# --8<-- [end:torch]

# --8<-- [start:eps]
import numpy as np
import torch


def first_moves(g: float, lr: float, alpha: float, eps: float, steps: int, inside: bool) -> np.ndarray:
    """Moves of RMSprop fed the same gradient g at every step: eps outside the root, or eps^2 inside it."""
    v, moves = 0.0, []
    for _ in range(steps):
        v = alpha * v + (1 - alpha) * g**2
        moves.append(-lr * g / (np.sqrt(v + eps**2) if inside else np.sqrt(v) + eps))
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
inside = first_moves(g, lr, alpha, eps, steps, inside=True)  # sqrt(v + eps^2): the same at v = 0 and v >> eps^2
theirs = torch_moves(g, lr, alpha, eps, steps)
change = np.abs(inside / outside - 1)
gap, widest = change.min(), change.max()
print(f"gradient {g:g}, eps {eps:g} outside against {eps**2:g} inside: every move changes by {gap:.0%} to {widest:.0%}")
# claim: rmsprop-eps-outside [steps=steps]
assert np.all(np.abs(theirs / outside - 1) < tolerance)  # PyTorch: sqrt(v) + eps
assert gap > apart  # the inside placement is another update, even with eps^2 to match it at v = 0
# --8<-- [end:eps]

# --8<-- [start:bound]
import numpy as np


def moves(grads: np.ndarray, lr: float, alpha: float) -> np.ndarray:
    """Moves of RMSprop (eps = 0) fed the gradients `grads` (one row per step, one column per run)."""
    v, out = np.zeros(grads.shape[1:]), []
    for g in grads:
        v = alpha * v + (1 - alpha) * g**2
        out.append(-lr * g / np.sqrt(v))
    return np.array(out)


rng = np.random.default_rng(3)
lr, alpha, steps, runs, small, near, within = 0.01, 0.99, 2000, 100, 1e-3, 1e-4, 0.05
bound = lr / np.sqrt(1 - alpha)  # |g| / sqrt(alpha v + (1 - alpha) g^2) <= 1 / sqrt(1 - alpha)
scales = 10.0 ** rng.uniform(-6, 3, (steps, runs))  # gradients whose size jumps by up to nine decades
wild = np.abs(moves(rng.standard_normal((steps, runs)) * scales, lr, alpha)) / bound
jump = np.abs(moves(np.r_[np.full(steps, small), 1.0][:, None], lr, alpha)[-1, 0]) / lr  # small for long, then 1
noise = np.abs(moves(rng.standard_normal((steps, runs)), lr, alpha))[steps // 2 :].mean() / lr  # steady noise
print(f"largest move / (lr / sqrt(1 - alpha)) over {runs} runs with jumping gradients: {wild.max():.4f}")
print(f"gradient {small:g} for {steps} steps, then 1: the move is {jump:.4f} lr; ", end="")
print(f"on steady noise {noise:.2f} lr on average")
# claim: rmsprop-step-bound [runs=runs]
assert np.all(wild <= 1 + 1e-12)  # no move is longer than lr / sqrt(1 - alpha) (but for rounding)
assert abs(jump * lr / bound - 1) < near  # and a jump in the gradient comes within 1e-4 of the bound
assert abs(noise - np.sqrt(2 / np.pi)) < within  # steady Gaussian noise: E|g| / rms(g) = sqrt(2 / pi)
# --8<-- [end:bound]

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


lrs = np.array([1e-1, 3e-2, 1e-2, 3e-3, 1e-3])
alphas = np.array([0.5, 0.9, 0.99])
shown_alphas = ", ".join(f"{a:g}" for a in alphas)
x0, eps, steps, tolerance, inside = 1.0, 1e-8, 20_000, 1e-9, 0.01  # float64 throughout
path = rmsprop_on_parabola(x0, lrs[None, :], alphas[:, None], eps, steps)
error = np.abs(np.abs(path) / (lrs / 2 - eps) - 1)  # distance from the two-cycle +-(lr/2 - eps), relative
off = np.nonzero(error.max(axis=(1, 2)) > tolerance)[0]
settled = off[-1] + 2  # the first step from which every run stays on the cycle
second_half = path[steps // 2 :]
flips = np.all(np.sign(second_half[1:]) == -np.sign(second_half[:-1]))
dips = (np.abs(path) / lrs).min(axis=0)  # per run: the lowest |x| / lr on the way in
print(f"every run within {tolerance:g} of |x| = lr/2 - eps from step {settled} of {steps}")
print(f"lowest |x| / lr on the way in: {dips.max():.0e} (shallowest run) to {dips.min():.0e} (deepest)")
# claim: rmsprop-cycle [runs=lrs.size*alphas.size]
assert flips  # every iterate of the second half of every run has the opposite sign of the one before
assert error[steps // 2 :].max() < tolerance and settled <= steps // 2  # |x| = lr/2 - eps on the whole second half
assert dips.max() < inside  # every run first collapses far inside the band (in float64, it survives that)
# --8<-- [end:cycle]

# --8<-- [start:limits]
import numpy as np
import torch


def parabola(x0: float, lr: float, alpha: np.ndarray, eps: np.ndarray, steps: int) -> np.ndarray:
    """Iterates of RMSprop in float64 on f(x) = x^2 / 2, one run per entry of alpha and eps."""
    shape = np.broadcast(alpha, eps).shape
    x, v, path = np.full(shape, x0), np.zeros(shape), []
    for _ in range(steps):
        v = alpha * v + (1 - alpha) * x**2
        x = x - lr * x / (np.sqrt(v) + eps)
        path.append(x)
    return np.array(path)


def torch_float32(steps: int) -> np.ndarray:
    """|x_t| of torch.optim.RMSprop at all its defaults (float32, lr 0.01) on f(x) = x^2 / 2 from x = 1."""
    x = torch.ones((), requires_grad=True)  # x_0 = 1, float32
    opt, out = torch.optim.RMSprop([x]), torch.empty(steps)
    for t in range(steps):
        x.grad = x.detach().clone()  # the gradient of x^2 / 2
        opt.step()
        out[t] = x.detach().abs()
    return out.double().numpy()


x0, lr, steps, still, steps64 = 1.0, 0.01, 800, 200, 4000  # torch's loop is slow: fewer steps there
tiny32, tiny64 = np.finfo(np.float32).tiny, np.finfo(np.float64).tiny  # below these: subnormal numbers
stuck = torch_float32(steps)
close_alphas = np.array([0.995, 0.999])
shown_close = ", ".join(f"{a:g}" for a in close_alphas)
slow = parabola(x0, lr, close_alphas, 1e-8, steps64)  # float64, decay closer to one
eps_factors = np.array([0.6, 1.0])
big_eps = parabola(x0, lr, 0.99, eps_factors * lr, steps64)  # eps above lr / 2
sign_lr, sign_alpha, sign_eps = 0.03, 0.0, 0.0  # sign descent, x - lr sign(x)
sign = parabola(x0, sign_lr, sign_alpha, sign_eps, steps64)
remainder = x0 % sign_lr  # it walks down in steps of lr and then alternates between this and this - lr
print(f"float32, torch defaults: |x| stuck at {stuck[-1]:.1e} over the last {still} of {steps} steps")
print(f"float64, alpha {close_alphas}: |x| ends at {np.abs(slow[-1]).max():.0e}")
print(f"eps = {eps_factors} times lr: |x| ends at {np.abs(big_eps[-1]).max():.0e}")
print(f"alpha = 0, lr {sign_lr}: x ends alternating between {max(sign[-2:]):.4f} and {min(sign[-2:]):.4f}")
# claim: rmsprop-cycle-limits [steps=steps]
assert np.all(stuck[-still:] == stuck[-1]) and 0 < stuck[-1] < tiny32  # stuck, subnormal
assert np.all(np.abs(slow[-1]) < tiny64)  # float64 too, when alpha is close enough to one
assert np.all(np.abs(big_eps[-1]) < tiny64)  # eps >= lr / 2: no cycle, it converges (to rounding)
assert np.allclose(sorted(sign[-2:]), [remainder - sign_lr, remainder], atol=1e-12)  # alpha = 0: set by x_0
assert abs(remainder / sign_lr - 0.5) > 0.1  # which is not the cycle +-lr/2
# --8<-- [end:limits]

# --8<-- [start:rate]
import numpy as np


def step(v: float, x: float, lr: float, alpha: float) -> tuple:
    """One step of RMSprop (eps = 0) on f(x) = x^2 / 2."""
    v = alpha * v + (1 - alpha) * x**2
    return v, x - lr * x / np.sqrt(v)


def deviation(lr: float, alpha: float, kick: float, steps: int) -> np.ndarray:
    """Start on the two-cycle (x = lr/2, v = x^2), nudge x by `kick`, and return |x_t| / (lr/2) - 1 per step."""
    v, x, out = (lr / 2) ** 2, lr / 2 * (1 + kick), []
    for _ in range(steps):
        v, x = step(v, x, lr, alpha)
        out.append(abs(x) / (lr / 2) - 1)
    return np.array(out)


def numeric_jacobian(lr: float, alpha: float, h: float = 1e-6) -> np.ndarray:
    """Derivative of the one-step map (p, q) -> (p', q'), with v = a^2 (1 + p), |x| = a (1 + q), a = lr/2."""
    a = lr / 2

    def one(pq: np.ndarray) -> np.ndarray:
        v, x = step(a**2 * (1 + pq[0]), a * (1 + pq[1]), lr, alpha)
        return np.array([v / a**2 - 1, abs(x) / a - 1])

    return np.array([(one(h * e) - one(-h * e)) / (2 * h) for e in np.eye(2)]).T


lr, kick, steps, within, floor, fd_tol = 0.01, 1e-6, 400, 1e-3, 1e-12, 1e-6
alphas = np.array([0.5, 0.9, 0.99])
shown_alphas = ", ".join(f"{a:g}" for a in alphas)
rates = {}
for alpha in alphas:
    dev = deviation(lr, alpha, kick, steps)
    jacobian = np.array([[alpha, 2 * (1 - alpha)], [-alpha, 2 * alpha - 1]])  # the matrix on the page
    moduli = np.abs(np.linalg.eigvals(jacobian))
    envelope = np.maximum.accumulate(np.abs(dev)[::-1])[::-1]  # the decaying envelope of the oscillation
    fit = envelope > floor  # above rounding error
    rates[alpha] = np.exp(np.polyfit(np.arange(steps)[fit], np.log(envelope[fit]), 1)[0])
    print(f"alpha = {alpha}: measured factor per step {rates[alpha]:.4f}, sqrt(alpha) = {np.sqrt(alpha):.4f}")
    # claim: rmsprop-cycle-rate [alphas=alphas.size]
    assert np.allclose(numeric_jacobian(lr, alpha), jacobian, rtol=0, atol=fd_tol)  # the matrix is RMSprop's own step
    assert np.allclose(moduli, np.sqrt(alpha), rtol=1e-12)  # both roots: a complex pair of modulus sqrt(alpha)
    assert abs(rates[alpha] / np.sqrt(alpha) - 1) < within and fit.sum() > 10  # measured on 10+ steps
    assert np.abs(dev[-1]) < max(kick * np.sqrt(alpha) ** (steps / 2), floor)  # the nudge dies out
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
most, huge = 0.05, 1e19  # the bounds the claim states
shown_curv = ", ".join(f"{c:g}" for c in CURV)
shown_scales = ", ".join(f"{c:g}" for c in scales)
rms = [run(c, lr, alpha, eps, steps, adaptive=True) for c in scales]
spread = max(np.abs(p - rms[1]).max() for p in rms)
gd_small = run(scales[0], lr, alpha, 0.0, steps, adaptive=False)
gd_big = run(scales[-1], lr, alpha, 0.0, blowup, adaptive=False)  # a few steps: it overflows later
moved = np.abs(gd_small[-1] - 1)  # per coordinate, from curvature 0.1 to 10
print(f"RMSprop with the loss scaled by {scales}: iterates differ by less than {tolerance:g}")
print(f"gradient descent, same lr: at scale {scales[0]:g} x moves {moved.min():.2%} to {moved.max():.1%} ", end="")
print(f"in {steps} steps; ", end="")
print(f"at scale {scales[-1]:g} |x| reaches {np.abs(gd_big[-1]).max():.2e} in {blowup}")
# claim: rmsprop-scale-free [steps=steps]
assert spread < tolerance  # same iterates whatever the scale of the loss
assert moved.max() < most  # gradient descent: the same lr barely moves any coordinate at c = 1e-3...
assert np.abs(gd_big[-1]).max() > huge  # ...and diverges at c = 1e3
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
ax.annotate("|x| = η/2: the two-cycle", (steps * 0.6, 0.5), (steps * 0.45, 1e-40), arrowprops={})
ax.axhline(np.finfo(np.float32).smallest_subnormal, color="0.6", ls=":", lw=0.8)
ax.text(steps * 0.02, np.finfo(np.float32).smallest_subnormal * 1e3, "smallest float32 number", color="0.4")
low = scaled.argmin(axis=0)  # on the way in, each run collapses toward the minimum...
dip = scaled[low, np.arange(lrs.size)]
bottom = 10.0 ** np.floor(np.log10(dip.min()) - 5)  # the axis shows the whole collapse, not a clipped one
ax.set(xlabel="step t", ylabel="|x_t| / η", yscale="log", ylim=(bottom, 1e4))
ax.set_title(f"RMSprop on f(x) = x²/2, α = {alpha}: every run ends at |x| = η/2")
ax.legend(loc="upper right")
fig.tight_layout()
fig.savefig("rmsprop-cycle.svg")

# What the figure's description says, checked on its own curves.
end = scaled[-1]
assert np.allclose(end, (lrs / 2 - eps) / lrs, rtol=1e-9)  # every run ends on |x| = lr / 2 - eps, eps = 1e-8
thrown = np.array([scaled[t:, k].max() for k, t in enumerate(low)])  # ...and is thrown back out
deepest, shallowest = dip.min(), dip.max()
below32 = np.all(dip * lrs < np.finfo(np.float32).smallest_subnormal)  # too deep for float32
assert deepest > bottom and np.all(thrown > 1) and below32
# --8<-- [end:figure]
