# Code of the Weight decay page (docs/weight-decay.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:sgd]
import numpy as np
import torch


def sgd_l2(c: np.ndarray, lr: float, lam: float, steps: int) -> np.ndarray:
    """SGD on f(x) = |x - c|^2 / 2 plus the L2 penalty lam |x|^2 / 2: the penalty's gradient joins f's."""
    x, path = np.zeros_like(c), []
    for _ in range(steps):
        x = x - lr * ((x - c) + lam * x)
        path.append(x)
    return np.array(path)


def sgd_decoupled(c: np.ndarray, lr: float, decay: float, steps: int) -> np.ndarray:
    """SGD on f alone, with the weights shrunk by the factor (1 - decay) at every step."""
    if not 0 <= decay < 1:
        raise ValueError(f"decay must lie in [0, 1), got decay={decay}")
    x, path = np.zeros_like(c), []
    for _ in range(steps):
        x = (1 - decay) * x - lr * (x - c)
        path.append(x)
    return np.array(path)


def torch_sgd(c: np.ndarray, lr: float, lam: float, steps: int, device: str) -> np.ndarray:
    """torch.optim.SGD(weight_decay=lam) on f, in float64 on `device`."""
    target = torch.tensor(c, device=device)
    x = torch.zeros_like(target, requires_grad=True)
    opt, path = torch.optim.SGD([x], lr=lr, weight_decay=lam), []
    for _ in range(steps):
        opt.zero_grad()
        ((x - target) ** 2 / 2).sum().backward()
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
c, lr, lam, steps, tolerance = np.linspace(-4, 4, 33), 0.1, 0.5, 200, 1e-12
coupled = sgd_l2(c, lr, lam, steps)
decoupled = sgd_decoupled(c, lr, lr * lam, steps)  # the decay rate rescaled: lam' = lr * lam
unscaled = sgd_decoupled(c, lr, lam, steps)  # the same number without the rescaling
same = np.abs(coupled - decoupled).max() / np.abs(coupled).max()
apart = np.abs(coupled - unscaled).max()
print(f"SGD, L2 penalty {lam} vs decoupled decay {lr * lam:g} per step: largest relative gap below {tolerance:.0e}")
print(f"decoupled decay {lam} per step instead: the iterates differ by up to {apart:.2f}")
# claim: wd-sgd-same [devices=devices]
assert same < tolerance and apart > 0.5
assert np.abs(coupled[-1] - c / (1 + lam)).max() < tolerance  # both end at the penalized minimizer
for device in devices:
    assert np.all(np.abs(torch_sgd(c, lr, lam, steps, device) - coupled) <= tolerance * np.abs(coupled))
# --8<-- [end:sgd]

# --8<-- [start:adam]
import numpy as np


def adam_decay(c: np.ndarray, lrs: np.ndarray, lam: float, decoupled: bool, betas=(0.9, 0.999), eps=1e-8) -> np.ndarray:
    """Adam on f(x) = |x - c|^2 / 2 with weight decay lam: as an L2 gradient term (torch.optim.Adam's
    weight_decay) or decoupled, x <- (1 - lr lam) x before the Adam step (torch.optim.AdamW)."""
    beta1, beta2 = betas
    x, m, v, path = np.zeros_like(c), np.zeros_like(c), np.zeros_like(c), []
    for t, lr in enumerate(lrs, start=1):
        g = x - c
        if decoupled:
            x = x * (1 - lr * lam)
        else:
            g = g + lam * x
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        x = x - lr / (1 - beta1**t) * m / (np.sqrt(v / (1 - beta2**t)) + eps)
        path.append(x)
    return np.array(path)


c, lam, lr, steps, tolerance = np.linspace(-4, 4, 33), 0.5, 0.05, 5000, 1e-9
lrs = lr * (1 + np.cos(np.pi * np.arange(steps) / steps)) / 2  # a cosine schedule down to zero
l2_end = adam_decay(c, lrs, lam, decoupled=False)[-1]
adamw_end = adam_decay(c, lrs, lam, decoupled=True)[-1]
ridge = c / (1 + lam)  # the minimizer of f + lam |x|^2 / 2
# The L2 coefficients lam' whose minimizers c / (1 + lam') come closest to AdamW's end point:
grid = np.linspace(0, 10, 10_001)
closest = np.abs(c / (1 + grid[:, None]) - adamw_end).max(axis=1)
best_lam, best_gap = grid[np.argmin(closest)], closest.min()
small = (np.abs(c) <= 1) & (c != 0)  # the coordinates with a small optimum c
kept = (adamw_end[small] / c[small]).min()  # AdamW's end over c where c is small
print(f"Adam + L2 ends within {np.abs(l2_end - ridge).max():.0e} of c / (1 + {lam})")
largest = np.abs(adamw_end).max()
to_box = np.abs(adamw_end - np.clip(c, -1 / lam, 1 / lam))  # to the l-infinity constrained minimizer
box_gap = to_box.max()
assert abs(abs(c[np.argmax(to_box)]) - 1 / lam) < 0.5  # the largest gap: where |c| is near 1 / lam
print(f"AdamW keeps at least {kept:.1%} of c where |c| <= 1 (L2: {1 / (1 + lam):.1%}); largest |x|: {largest:.3f}")
print(f"no L2 coefficient matches AdamW: the closest, {best_lam:.2f}, is {best_gap:.2f} away")
# claim: wd-adam-differs
assert np.abs(l2_end - ridge).max() < tolerance  # Adam + L2 ends at the penalized minimizer
assert kept > 0.98 and np.abs(adamw_end).max() < 1 / lam  # AdamW: small weights barely shrink, large ones capped
assert best_gap > 0.25 and 0 < best_lam < grid[-1]  # no L2 coefficient on the grid (its best inside it) matches
# --8<-- [end:adam]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(c, c, color="0.6", lw=1, ls=":", label="no decay: x = c")
ax.plot(c, ridge, color="C3", lw=1, label=f"minimizer with L2 penalty: c / (1 + {lam})")
ax.plot(c, l2_end, "o", color="C3", ms=4, label="Adam, L2 penalty (torch.optim.Adam)")
ax.plot(c, adamw_end, "s", color="C0", ms=4, label="AdamW, decoupled decay (torch.optim.AdamW)")
ax.axhline(1 / lam, color="C0", lw=0.8, ls="--")
ax.axhline(-1 / lam, color="C0", lw=0.8, ls="--")
ax.set(xlabel="unregularized optimum c", ylabel="end point x", title=f"Same weight decay {lam}, same schedule")
ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
fig.savefig("weight-decay-endpoints.svg")
# What the alt text says: Adam + L2 on the line c / (1 + lam); AdamW near x = c for |c| <= 1 and inside +-1/lam.
assert np.abs(l2_end - ridge).max() < tolerance and kept > 0.98 and np.abs(adamw_end).max() < 1 / lam
# --8<-- [end:figure]

# --8<-- [start:torch]
from collections.abc import Callable

import numpy as np
import torch


def adam_decay_np(c: np.ndarray, lrs: np.ndarray, lam: float, decoupled: bool) -> np.ndarray:
    """Adam with weight decay lam on f(x) = |x - c|^2 / 2: L2 (coupled) or decoupled, PyTorch's defaults."""
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    x, m, v, path = np.zeros_like(c), np.zeros_like(c), np.zeros_like(c), []
    for t, lr in enumerate(lrs, start=1):
        g = x - c if decoupled else x - c + lam * x  # L2: the penalty's gradient joins f's
        x = x * (1 - lr * lam) if decoupled else x  # decoupled: shrink by lr * lam first
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        x = x - lr / (1 - beta1**t) * m / (np.sqrt(v / (1 - beta2**t)) + eps)
        path.append(x)
    return np.array(path)


def torch_decay(c: np.ndarray, lrs: np.ndarray, lam: float, optimizer: Callable, device: str) -> np.ndarray:
    """The same run with torch.optim.Adam or torch.optim.AdamW (weight_decay=lam), lr set every step."""
    target = torch.tensor(c, device=device)
    x = torch.zeros_like(target, requires_grad=True)
    opt, path = optimizer([x], lr=float(lrs[0]), weight_decay=lam), []
    for lr in lrs:
        opt.param_groups[0]["lr"] = float(lr)
        opt.zero_grad()
        ((x - target) ** 2 / 2).sum().backward()
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
c, lam, steps, tolerance = np.linspace(-4, 4, 9), 0.5, 300, 1e-12
lrs = 0.05 * (1 + np.cos(np.pi * np.arange(steps) / steps)) / 2
runs = {torch.optim.AdamW: True, torch.optim.Adam: False}  # AdamW decouples; Adam's weight_decay is L2
gap = 0.0
for optimizer, decoupled in runs.items():
    ours = adam_decay_np(c, lrs, lam, decoupled)
    for device in devices:
        theirs = torch_decay(c, lrs, lam, optimizer, device)
        gap = max(gap, np.abs(ours - theirs).max())
        # claim: wd-adamw-torch [devices=devices]
        assert np.all(np.abs(ours - theirs) <= tolerance * np.abs(ours))  # relative, coordinate by coordinate
swapped = np.abs(adam_decay_np(c, lrs, lam, True) - adam_decay_np(c, lrs, lam, False)).max()
assert swapped > 0.1  # the two forms are far apart, so the match picks out the right one
print(f"numpy = torch.optim.AdamW and torch.optim.Adam(weight_decay) on {devices}: gap below {tolerance:.0e}")
# --8<-- [end:torch]

# --8<-- [start:flag]
import functools
import inspect

import numpy as np
import torch

# PyTorch's defaults for weight_decay, read from the installed version rather than typed here:
defaults = {
    opt.__name__: inspect.signature(opt).parameters["weight_decay"].default
    for opt in (torch.optim.Adam, torch.optim.AdamW)
}
has_flag = "decoupled_weight_decay" in inspect.signature(torch.optim.Adam).parameters  # recent PyTorch versions
print(f"default weight_decay: Adam {defaults['Adam']:g}, AdamW {defaults['AdamW']:g}")
# claim: wd-adam-flag [devices=devices]
assert has_flag, f"torch {torch.__version__} has no torch.optim.Adam(decoupled_weight_decay=...)"
adam_decoupled = functools.partial(torch.optim.Adam, decoupled_weight_decay=True)
flag_gap = max(
    np.abs(torch_decay(c, lrs, lam, adam_decoupled, device) - torch_decay(c, lrs, lam, torch.optim.AdamW, device)).max()
    for device in devices
)
coupled_gap = np.abs(
    torch_decay(c, lrs, lam, torch.optim.Adam, "cpu") - torch_decay(c, lrs, lam, torch.optim.AdamW, "cpu")
).max()
print(f"Adam(decoupled_weight_decay=True) vs AdamW: largest gap {flag_gap:g}; without the flag: {coupled_gap:.2f}")
assert flag_gap == 0 and coupled_gap > 0.1  # the flag makes Adam AdamW, bit for bit; without it they differ
assert defaults["AdamW"] > 0 and defaults["Adam"] == 0  # AdamW decays by default, Adam does not
# --8<-- [end:flag]

# --8<-- [start:no-loss]
import numpy as np
import torch


def decay_only(optimizer: type, lam: float, lr: float, steps: int, device: str) -> np.ndarray:
    """|x_t| / |x_0| when the loss is zero and only weight decay acts, for x_0 = 1."""
    x = torch.ones(1, dtype=torch.float64, device=device, requires_grad=True)
    opt, sizes = optimizer([x], lr=lr, weight_decay=lam), []
    for _ in range(steps):
        x.grad = torch.zeros_like(x)  # the loss's gradient: zero
        opt.step()
        sizes.append(x.item())
    return np.array(sizes)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
lr, steps, lams, tolerance, low = 0.001, 500, [1e-3, 1e-1, 10.0], 1e-12, 0.7
t = np.arange(1, steps + 1)
for device in devices:
    adamw = {lam: decay_only(torch.optim.AdamW, lam, lr, steps, device) for lam in lams}
    adam_l2 = {lam: decay_only(torch.optim.Adam, lam, lr, steps, device) for lam in lams}
    spread = max(np.abs(adam_l2[lam] - adam_l2[lams[0]]).max() for lam in lams)
    moves = np.array([-np.diff(adam_l2[lam], prepend=1.0) for lam in lams])  # Adam's moves toward zero
    factors = {lam: adamw[lam] / np.concatenate([[1.0], adamw[lam][:-1]]) for lam in lams}  # x_t / x_{t-1}
    # claim: wd-no-loss [devices=devices]
    assert all(np.allclose(factors[lam], 1 - lr * lam, rtol=tolerance, atol=0) for lam in lams)  # each step
    assert all(np.allclose(adamw[lam], (1 - lr * lam) ** t, rtol=tolerance, atol=0) for lam in lams)  # (1 - lr lam)^t
    assert np.all(moves > low * lr) and np.all(moves <= lr * (1 + tolerance))  # between low lr and lr, any lam
    assert spread < 1e-5 and adamw[lams[-1]][-1] < adamw[lams[0]][-1] / 100  # Adam: lam barely matters
for lam in lams:
    print(
        f"weight_decay {lam:g}: after {steps} steps AdamW keeps {adamw[lam][-1]:.4f}, Adam (L2) {adam_l2[lam][-1]:.4f}"
    )
# --8<-- [end:no-loss]

# --8<-- [start:momentum]
import numpy as np
import torch


def momentum_decay(c: np.ndarray, lr: float, beta: float, lam: float, decay: float, steps: int) -> np.ndarray:
    """Heavy ball on f(x) = |x - c|^2 / 2 (PyTorch's buffer form) with an L2 term lam x added to the gradient
    before the buffer, and the weights shrunk by (1 - decay) outside it (SGDW, Loshchilov & Hutter)."""
    x, b, path = np.zeros_like(c), np.zeros_like(c), []
    for _ in range(steps):
        b = beta * b + (x - c) + lam * x
        x = (1 - decay) * x - lr * b
        path.append(x)
    return np.array(path)


def torch_momentum(c: np.ndarray, lr: float, beta: float, lam: float, steps: int, device: str) -> np.ndarray:
    """torch.optim.SGD(momentum=beta, weight_decay=lam) on f, in float64 on `device`."""
    target = torch.tensor(c, device=device)
    x = torch.zeros_like(target, requires_grad=True)
    opt, path = torch.optim.SGD([x], lr=lr, momentum=beta, weight_decay=lam), []
    for _ in range(steps):
        opt.zero_grad()
        ((x - target) ** 2 / 2).sum().backward()
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
c, lr, beta, lam, steps, tolerance = np.linspace(-4, 4, 33), 0.05, 0.9, 0.5, 600, 1e-12
l2 = momentum_decay(c, lr, beta, lam, 0.0, steps)  # PyTorch's weight_decay: inside the velocity
sgdw = momentum_decay(c, lr, beta, 0.0, lr * lam, steps)  # decoupled, at the rate that matches plain SGD
sgdw_end = momentum_decay(c, lr, beta, 0.0, lr * lam / (1 - beta), steps)  # decoupled, rescaled by 1 / (1 - beta)
path_gap = np.abs(l2 - sgdw_end).max()
print(f"momentum {beta}: L2 ends at c / (1 + {lam}); decoupled decay {lr * lam:g} at c / (1 + {(1 - beta) * lam:g})")
print(f"decoupled decay {lr * lam / (1 - beta):g} ends where L2 does, but the paths differ by up to {path_gap:.2f}")
# claim: wd-momentum [devices=devices]
assert np.abs(l2[-1] - c / (1 + lam)).max() < tolerance  # L2 inside the velocity: the penalized minimizer
assert np.abs(sgdw[-1] - c / (1 + (1 - beta) * lam)).max() < tolerance  # decoupled: a (1 - beta) times weaker one
assert np.abs(sgdw_end[-1] - l2[-1]).max() < tolerance and path_gap > 0.1  # same end, different path
for device in devices:
    assert np.all(np.abs(torch_momentum(c, lr, beta, lam, steps, device) - l2) <= tolerance * np.abs(l2))
# --8<-- [end:momentum]
