# Code of the Gradient clipping page (docs/gradient-clipping.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:direction]
import numpy as np


def clip_by_norm(g: np.ndarray, max_norm: float) -> np.ndarray:
    """Rescale each row g to length max_norm when it is longer (Pascanu et al., 2013, Algorithm 1)."""
    if not 0 < max_norm < np.inf:
        raise ValueError(f"max_norm must be a finite positive number, got max_norm={max_norm!r}")
    norm = np.linalg.norm(g, axis=-1, keepdims=True)
    return g * np.minimum(1.0, max_norm / np.maximum(norm, np.finfo(float).tiny))


def clip_by_value(g: np.ndarray, clip_value: float) -> np.ndarray:
    """Clamp every coordinate into [-clip_value, clip_value], independently of the others."""
    if not 0 < clip_value < np.inf:
        raise ValueError(f"clip_value must be a finite positive number, got clip_value={clip_value!r}")
    return np.clip(g, -clip_value, clip_value)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine of the angle between matching rows of a and b."""
    return np.sum(a * b, axis=-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))


# Gradients from real runs: gradient descent on logistic regression, many seeds at once.
seeds, n, dim, steps, lr = 20, 200, 10, 100, 0.5
max_norm, clip_value, one, turned = 0.03, 0.02, 1e-12, 5.0  # turned: degrees
rng = np.random.default_rng(0)
X = rng.standard_normal((seeds, n, dim)) * rng.uniform(0.2, 3.0, (seeds, 1, dim))  # uneven feature scales
y = (X @ rng.standard_normal((seeds, dim, 1)) + rng.standard_normal((seeds, n, 1)) > 0).astype(float)
w, grads = np.zeros((seeds, dim, 1)), []
for _ in range(steps):
    p = 1 / (1 + np.exp(-X @ w))
    g = X.transpose(0, 2, 1) @ (p - y) / n  # gradient of the mean logistic loss, one per seed
    grads.append(g[..., 0])
    w = w - lr * g
grads = np.concatenate(grads)  # (steps * seeds, dim)
by_norm, by_value = clip_by_norm(grads, max_norm), clip_by_value(grads, clip_value)
norm_active = np.linalg.norm(grads, axis=1) > max_norm
value_active = np.abs(grads).max(axis=1) > clip_value
cos_norm, cos_value = cosine(grads, by_norm), cosine(grads, by_value)
angle = np.degrees(np.arccos(np.minimum(cos_value[value_active], 1.0)))  # how far value clipping turns each
print(f"{grads.shape[0]} gradients; clipped by norm: {norm_active.sum()}, by value: {value_active.sum()}")
print(f"by norm: 1 - cosine below {one:g} for every gradient")
print(f"by value: turned by {np.median(angle):.1f} degrees (median), up to {angle.max():.1f}")
length = np.linalg.norm(grads, axis=1)
# claim: clip-direction [gradients=grads.shape[0]]
assert norm_active.sum() > 0.2 * grads.shape[0] and value_active.sum() > 0.2 * grads.shape[0]  # both clip often
assert np.all(np.abs(cos_norm - 1) < one)  # norm clipping: same direction, every gradient
assert np.allclose(np.linalg.norm(by_norm, axis=1), np.minimum(length, max_norm), rtol=one, atol=0)  # min(|g|, c)
assert np.array_equal(by_norm[~norm_active], grads[~norm_active])  # short gradients are left as they are
assert np.all(cos_value[value_active] < 1 - 100 * one)  # value clipping turns every gradient it touches,
assert np.median(angle) > turned  # most of them by more than a few degrees
assert np.array_equal(by_value[~value_active], grads[~value_active])  # and leaves the others exactly alone
# --8<-- [end:direction]

# --8<-- [start:cliff]
import numpy as np


def loss_grad(w: np.ndarray, y: np.ndarray, T: int) -> np.ndarray:
    """Derivative of f(w) = (w^T - y)^2 / 2: the state after T steps of the linear recurrence h <- w h, h_0 = 1."""
    return T * w ** (T - 1) * (w**T - y)


def descend(w0: np.ndarray, y: np.ndarray, T: int, lr: float, steps: int, max_norm: float | None) -> np.ndarray:
    """Gradient descent from each w0 (vectorized), with the gradient clipped to max_norm when one is given."""
    w = w0.copy()
    with np.errstate(over="ignore", invalid="ignore"):  # the unclipped runs overflow to inf, then nan
        for _ in range(steps):
            g = loss_grad(w, y, T)
            if max_norm is not None:
                g = g * np.minimum(1.0, max_norm / np.maximum(np.abs(g), 1e-300))  # one parameter: norm |g|
            w = w - lr * g
    return w


T, lr, steps, max_norm, starts, seeds, tol, at_least, far = 50, 1e-4, 2000, 100.0, 100, 10, 1e-9, 0.3, 0.1
low, high, y_low, y_high = 0.9, 1.3, 0.5, 2.0  # starts on both sides of the minimum w* = y^(1/T), near 1
thresholds = [1.0, 10.0, 100.0, 1e3, 1e4]  # lr * c from 1e-4 to 1: the last is a step as long as the basin
rngs = [np.random.default_rng(seed) for seed in range(seeds)]  # one row of starts per seed
w0 = np.array([rng.uniform(low, high, starts) for rng in rngs])
y = np.array([rng.uniform(y_low, y_high, starts) for rng in rngs])
best = y ** (1 / T)  # (seeds, starts); since T is even, -best is a minimum too
curvature = (T * best ** (T - 1)) ** 2  # f'' at the minimum: the step must satisfy lr * f'' < 2
assert np.all(lr * curvature < 2)  # so the step size alone is stable near the minimum
free = descend(w0, y, T, lr, steps, None)
ends = {c: descend(w0, y, T, lr, steps, c) for c in thresholds}
reached = {c: np.abs(ends[c] - best) < tol for c in thresholds}  # ended at +w*
clipped = descend(w0, y, T, lr, steps, max_norm) - best
blown = ~np.isfinite(free)  # the unclipped run overflowed
mirror = np.abs(free + best) < tol  # thrown across zero, down to the mirror minimum -w*
stranded = np.isfinite(free) & (np.minimum(np.abs(free - best), np.abs(free + best)) > far)  # stuck on a plain
print(f"{free.size} starts, no clipping: {blown.sum()} end at inf or nan, {stranded.sum()} stranded on a plain,")
print(f"  {mirror.sum()} at the mirror minimum -w*, {(np.abs(free - best) < tol).sum()} at w*")
print(f"clipped at {max_norm:g}: {np.isfinite(clipped).sum()} finite, largest |w - w*| {np.abs(clipped).max():.1e}")
print("runs ending at w*, by threshold:", {f"{c:g}": int(r.sum()) for c, r in reached.items()})
# claim: clip-cliff [starts=free.size seeds=seeds]
assert blown.mean(axis=1).min() > at_least  # on every seed, a share of the unclipped runs overflows
assert stranded.sum(axis=1).min() >= 1 and stranded.sum() > 2 * mirror.sum()  # others stranded, on every seed
assert np.all(np.isfinite(clipped)) and np.all(np.abs(clipped) < tol)  # every clipped run converges
share = blown.mean()
# claim: clip-threshold
assert all(np.isfinite(ends[c]).all() for c in thresholds)  # clipping at any threshold: no overflow
assert all(reached[c].all() for c in thresholds[1:-1])  # a moderate threshold: every run reaches w*
assert reached[thresholds[-1]].mean(axis=1).max() < 0.5  # lr * c = 1: fewer than half on every seed
assert 0.5 < reached[thresholds[0]].mean() < 1  # lr * c = 1e-4: safe, but a share is still on its way
# --8<-- [end:cliff]

# --8<-- [start:vanishing]
import numpy as np


def descend_path(w0: np.ndarray, y: np.ndarray, T: int, lr: float, steps: int, max_norm: float | None):
    """Gradient descent on (w^T - y)^2 / 2 from each w0; returns the last w and the largest |gradient| met."""
    w, largest = w0.copy(), np.zeros_like(w0)
    for _ in range(steps):
        g = T * w ** (T - 1) * (w**T - y)
        largest = np.maximum(largest, np.abs(g))
        if max_norm is not None:
            g = g * np.minimum(1.0, max_norm / np.maximum(np.abs(g), 1e-300))
        w = w - lr * g
    return w, largest


T, lr, steps, starts, seeds = 50, 1e-4, 2000, 100, 10
low, high, y_low, y_high = 0.3, 0.7, 0.5, 2.0  # starts on the flat side, far below the minimum near 1
moved_at_most = 1e-6
thresholds = [1e-8, 1e-7, 1e-6, 100.0]  # from far below the gradients met here to far above them
rngs = [np.random.default_rng(seed) for seed in range(seeds)]
w0 = np.array([rng.uniform(low, high, starts) for rng in rngs])
y = np.array([rng.uniform(y_low, y_high, starts) for rng in rngs])
w_free, met = descend_path(w0, y, T, lr, steps, None)  # the minimum lies above: progress means w grows
moved = {c: descend_path(w0, y, T, lr, steps, c)[0] - w0 for c in thresholds}
above = [c for c in thresholds if c > met.max()]  # thresholds the gradients never reach
print(f"largest |gradient| met: {met.max():.1e}; largest move without clipping: {(w_free - w0).max():.1e}")
for c in thresholds:
    print(
        f"clipped at {c:g}: largest move {moved[c].max():.1e},",
        f"identical to no clipping: {np.array_equal(moved[c], w_free - w0)}",
    )
# claim: clip-vanishing [starts=w0.size]
assert np.all(w_free >= w0) and (w_free - w0).max() < moved_at_most  # runs creep toward the minimum, barely
assert all(np.all(moved[c] <= w_free - w0) for c in thresholds)  # no threshold moves any run further
assert above and all(np.array_equal(moved[c], w_free - w0) for c in above)  # above the gradients: no effect
below = [c for c in thresholds if c < met.max()]  # thresholds some gradient exceeds
assert below and all(np.any(moved[c] < w_free - w0) for c in below)  # there clipping only slows the creep
# --8<-- [end:vanishing]

# --8<-- [start:torch]
import numpy as np
import torch


def numpy_clip_norm(grads: list[np.ndarray], max_norm: float, eps: float) -> tuple[list[np.ndarray], float]:
    """PyTorch's rule: the norm of all gradients as one vector, then each times min(1, max_norm / (norm + eps))."""
    total = float(np.sqrt(sum(np.sum(g**2) for g in grads)))
    coef = min(1.0, max_norm / (total + eps))
    return [g * coef for g in grads], total


def torch_clip(grads: list[np.ndarray], max_norm: float, clip_value: float, device: str, dtype=torch.float64) -> tuple:
    """clip_grad_norm_ and clip_grad_value_ on parameters holding these gradients; returns both results and the norm."""
    params = [torch.zeros(g.shape, dtype=dtype, device=device, requires_grad=True) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g, dtype=dtype, device=device)
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    by_norm = [p.grad.cpu().double().numpy().copy() for p in params]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.tensor(g, dtype=dtype, device=device)
    torch.nn.utils.clip_grad_value_(params, clip_value)
    return by_norm, [p.grad.cpu().double().numpy() for p in params], float(total)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
max_norm, clip_value, eps, cases, tol, tol32 = 1.0, 0.3, 1e-6, 200, 1e-13, 1e-6
rng = np.random.default_rng(0)
shapes = [(3, 4), (5,), (2, 2, 2)]  # several parameters: the norm is over all of them together
scales = np.geomspace(0.01, 100.0, cases)  # total norms from far below max_norm to far above
worst, worst_value, missed_eps = {}, 0.0, np.inf
for device in devices:
    for dtype, bound in [(torch.float64, tol), (torch.float32, tol32)]:
        worst[device, dtype] = 0.0
        for scale in scales:
            grads = [rng.standard_normal(s) for s in shapes]
            grads = [g * scale / np.sqrt(sum(np.sum(h**2) for h in grads)) for g in grads]
            if dtype == torch.float32:  # numpy gets the same float32 numbers, then works in float64
                grads = [g.astype(np.float32).astype(np.float64) for g in grads]
            t_norm, t_value, t_total = torch_clip(grads, max_norm, clip_value, device, dtype)
            n_norm, n_total = numpy_clip_norm(grads, max_norm, eps)
            as_torch = np.float32 if dtype == torch.float32 else np.float64  # clamp in the same precision
            n_value = [np.clip(g.astype(as_torch), -clip_value, clip_value).astype(np.float64) for g in grads]
            diff = np.abs(np.concatenate([a.ravel() - b.ravel() for a, b in zip(t_norm, n_norm, strict=True)])).max()
            worst[device, dtype] = max(worst[device, dtype], diff / max_norm)
            worst_value = max(worst_value, max(np.abs(a - b).max() for a, b in zip(t_value, n_value, strict=True)))
            if n_total > max_norm and dtype == torch.float64:  # clipped: how far the rule without eps is
                no_eps, _ = numpy_clip_norm(grads, max_norm, 0.0)
                missed = max(np.abs(a - b).max() for a, b in zip(t_norm, no_eps, strict=True))
                missed_eps = min(missed_eps, missed)
            # claim: clip-torch [cases=cases devices=devices]
            assert abs(t_total - n_total) <= bound * n_total  # the returned value is the norm before clipping
            assert diff <= bound * max_norm
            assert all(np.array_equal(a, b) for a, b in zip(t_value, n_value, strict=True))  # clamping is exact
    print(
        f"{device}: largest difference from numpy, by norm {worst[device, torch.float64]:.0e} in float64,",
        f"{worst[device, torch.float32]:.0e} in float32; by value {worst_value:g}",
    )
# claim: clip-torch
assert missed_eps > 1e3 * tol  # without the eps, numpy would not match PyTorch in float64
# --8<-- [end:torch]

# --8<-- [start:eps]
import numpy as np
import torch


def clipped_norm(norm: float, max_norm: float, device: str, dtype=torch.float64) -> float:
    """Norm after torch.nn.utils.clip_grad_norm_ of a gradient whose norm is `norm`."""
    p = torch.zeros(2, dtype=dtype, device=device, requires_grad=True)
    p.grad = torch.tensor([norm * 0.6, norm * 0.8], dtype=dtype, device=device)
    torch.nn.utils.clip_grad_norm_([p], max_norm)
    return float(torch.linalg.vector_norm(p.grad))


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
max_norm, eps, tol = 1.0, 1e-6, 1e-14
above = [1.5, 10.0, 1e3]  # norms above max_norm: clipped to max_norm * norm / (norm + eps), just under max_norm
shown = ", ".join(f"{n:g}" for n in above)
half = eps / 2
just_below = max_norm - half  # below max_norm, yet max_norm / (norm + eps) < 1: scaled all the same
far_below = 0.5  # well below: left alone
for device in devices:
    after = np.array([clipped_norm(n, max_norm, device) for n in above])
    predicted = max_norm * np.array(above) / (np.array(above) + eps)
    nudged = clipped_norm(just_below, max_norm, device)
    kept = clipped_norm(far_below, max_norm, device)
    in_float32 = clipped_norm(above[-1], max_norm, device, torch.float32)  # n / (n + eps) rounds to one
    if device == "cpu":
        print(f"norms {shown} -> max_norm minus {max_norm - after.min():.1e} to {max_norm - after.max():.1e}")
        print(f"norm max_norm - eps/2 -> shrunk by {just_below - nudged:.1e}; norm {far_below} -> {kept}")
        print(f"in float32, norm {above[-1]:g} -> {in_float32}")
    # claim: clip-eps [devices=devices]
    assert np.all(np.abs(after - predicted) < tol) and np.all(after < max_norm)  # just under max_norm
    assert just_below - nudged > eps / 4  # scaled although it was already below max_norm
    assert abs(nudged - max_norm * just_below / (just_below + eps)) < tol
    assert kept == far_below  # a norm well below max_norm is untouched
    assert in_float32 == max_norm  # float32: the eps is lost in rounding, the norm ends at max_norm exactly
# --8<-- [end:eps]

# --8<-- [start:optimizers]
import torch


def largest_step(make_opt, max_norm: float, big: float, steps: int) -> float:
    """Largest parameter move over `steps` steps, each on a gradient of size `big` clipped to max_norm first."""
    p = torch.zeros(4, dtype=torch.float64, requires_grad=True)
    opt, moves = make_opt([p]), []
    for _ in range(steps):
        before = p.detach().clone()
        p.grad = torch.full_like(p, big)  # the same huge gradient every step, as on a long cliff face
        if max_norm is not None:
            torch.nn.utils.clip_grad_norm_([p], max_norm)
        opt.step()
        moves.append(float(torch.linalg.vector_norm(p.detach() - before)))
    return max(moves)


lr, beta, max_norm, big, steps = 0.1, 0.9, 1.0, 1e6, 100
sgd = largest_step(lambda ps: torch.optim.SGD(ps, lr=lr), max_norm, big, steps)
heavy = largest_step(lambda ps: torch.optim.SGD(ps, lr=lr, momentum=beta), max_norm, big, steps)
bound = lr * max_norm / (1 - beta)  # the momentum buffer sums clipped gradients: up to c / (1 - beta)
adam = largest_step(lambda ps: torch.optim.Adam(ps, lr=lr), max_norm, big, 1)  # first step, clipped
adam_free = largest_step(lambda ps: torch.optim.Adam(ps, lr=lr), None, big, 1)  # first step, not clipped
p = torch.zeros(2, requires_grad=True)
p.grad = torch.tensor([float("inf"), 1.0])  # one overflowed gradient entry
torch.nn.utils.clip_grad_norm_([p], max_norm)
poisoned = p.grad.clone()
p.grad = torch.tensor([float("inf"), 1.0])
error = None
try:
    torch.nn.utils.clip_grad_norm_([p], max_norm, error_if_nonfinite=True)
except RuntimeError as caught:
    error = caught
raised = error is not None
print(f"largest step, clipped at {max_norm:g}: plain SGD {sgd:.3f}, momentum {beta} {heavy:.3f} (bound {bound:g})")
print(f"first Adam step: clipped {adam:.4f}, not clipped {adam_free:.4f}")
print(f"gradient (inf, 1) after clipping: {poisoned.tolist()}; error_if_nonfinite raises: {raised}")
# claim: clip-momentum
assert abs(sgd - lr * max_norm) < 1e-12  # plain SGD: at most lr * c
assert 0.99 * bound < heavy <= bound * (1 + 1e-12)  # momentum: up to lr * c / (1 - beta), ten times more
assert abs(adam - adam_free) < 1e-6 * adam_free  # Adam's first step ignores the gradient's scale
# claim: clip-nonfinite
assert torch.isnan(poisoned[0]) and poisoned[1] == 0  # inf becomes nan, and the finite entry is zeroed
assert raised  # error_if_nonfinite=True stops instead
# --8<-- [end:optimizers]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

T, y, lr, max_norm = 50, 1.0, 1e-4, 100.0
w = np.linspace(0.5, 1.3, 801)
grad = np.abs(T * w ** (T - 1) * (w**T - y))  # |f'(w)| for f = (w^T - y)^2 / 2; zero at the minimum w = 1
flat_edge, wall = 0.8, 1.2
fig, ax = plt.subplots(figsize=(7, 3.8))
ax.semilogy(w, grad, color="C0", label="|gradient|  (no clipping: the step is lr × this)")
ax.semilogy(w, np.minimum(grad, max_norm), color="C3", ls="--", label=f"clipped at {max_norm:g}")
ax.axhline(max_norm, color="0.4", lw=0.8)
ax.axhline(2 / lr, color="C2", ls=":", lw=1)
ax.annotate("a step this long jumps\nfarther than the whole plot", (1.25, 2 / lr), (0.55, 1e5), arrowprops={})
ax.set(xlabel="w", ylabel="|f'(w)|", ylim=(1e-8, 1e12), title="f(w) = (w^50 − 1)²/2: a flat plain and a cliff")
ax.legend(loc="lower right")
fig.tight_layout()
fig.savefig("gradient-clipping-cliff.svg")

# What the figure's description says, checked on its own curve.
flat_max = 1e-2  # the plain's gradients stay below this
rise = np.log10(grad[w >= wall].min() / grad[w <= flat_edge].max())  # orders of magnitude from plain to cliff
jump = lr * grad[w >= wall].min()  # the unclipped step from the cliff's foot
assert grad[w <= flat_edge].max() < flat_max and rise > 6
assert jump > w.max() - w.min()  # a single unclipped step leaves the plotted range
# --8<-- [end:figure]
