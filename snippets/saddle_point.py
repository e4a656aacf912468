# Code of the saddle-point page (docs/saddle-point.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figures.

# --8<-- [start:classify]
import numpy as np
import torch


def classify(grad: np.ndarray, hess: np.ndarray, tol: float = 1e-8) -> str:
    """Name a critical point from its Hessian's eigenvalues; refuse a point that is not critical."""
    if not tol > 0:
        raise ValueError(f"tol must be positive, got {tol!r}")
    if np.linalg.norm(grad) > tol:
        raise ValueError(f"not a critical point: |gradient| = {np.linalg.norm(grad):.3g} > tol = {tol:g}")
    eig = np.linalg.eigvalsh(hess)
    if eig[0] < -tol and eig[-1] > tol:
        return "saddle"  # f falls along one eigenvector and rises along another
    if np.any(np.abs(eig) <= tol):
        return "degenerate"  # a zero eigenvalue and no opposite signs: the second-order test says nothing
    return "minimum" if eig[0] > 0 else "maximum"


def numpy_grad_hess(f, x: np.ndarray, h: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian by central differences, in plain numpy."""
    n, e = x.size, np.eye(x.size) * h
    grad = np.array([(f(x + e[i]) - f(x - e[i])) / (2 * h) for i in range(n)])
    hess = np.array(
        [[(f(x + e[i] + e[j]) - f(x + e[i] - e[j]) - f(x - e[i] + e[j]) + f(x - e[i] - e[j])) / (4 * h * h)
          for j in range(n)] for i in range(n)]
    )  # fmt: skip
    return grad, hess


def torch_grad_hess(f, x: np.ndarray, device: str) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian by automatic differentiation in PyTorch."""
    t = torch.tensor(x, dtype=torch.float64, device=device)
    grad = torch.autograd.functional.jacobian(f, t)
    hess = torch.autograd.functional.hessian(f, t)
    return grad.cpu().numpy(), hess.cpu().numpy()


functions = {  # each has a critical point at the origin
    "x^2 + y^2": lambda p: p[0] ** 2 + p[1] ** 2,
    "-x^2 - y^2": lambda p: -(p[0] ** 2) - p[1] ** 2,
    "x^2 - y^2": lambda p: p[0] ** 2 - p[1] ** 2,
    "x^2 - y^2 + x*y": lambda p: p[0] ** 2 - p[1] ** 2 + p[0] * p[1],
    "(1 - x*y)^2 / 2": lambda p: (1 - p[0] * p[1]) ** 2 / 2,  # the two-layer linear network w2 w1 fit to 1
}
expected = ["minimum", "maximum", "saddle", "saddle", "saddle"]
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
origin, agree_tol = np.zeros(2), 1e-6
for (name, f), kind in zip(functions.items(), expected, strict=True):
    g_np, h_np = numpy_grad_hess(f, origin)
    eig = np.linalg.eigvalsh(h_np)
    print(f"{name:16s} Hessian eigenvalues {eig[0]:+.3f} {eig[1]:+.3f}  ->  {classify(g_np, h_np, tol=agree_tol)}")
    for device in devices:
        g_t, h_t = torch_grad_hess(f, origin, device)
        # claim: saddle-classify [devices=devices]
        assert classify(g_np, h_np, tol=agree_tol) == classify(g_t, h_t) == kind
        assert np.abs(h_np - h_t).max() < agree_tol  # numpy differences and autograd agree
# --8<-- [end:classify]

# --8<-- [start:deep-linear]
import numpy as np
import torch


def steps_to_fit(depth: int, eps: np.ndarray, lr: float, target: float, max_steps: int) -> np.ndarray:
    """Gradient descent on (1 - w_1 ... w_depth)^2 / 2 from all weights = eps: first step with loss < target."""
    w, steps = np.outer(eps, np.ones(depth)), np.full(eps.size, max_steps)
    for t in range(1, max_steps + 1):
        prod = w.prod(axis=1, keepdims=True)
        w = w - lr * (prod - 1) * prod / w  # d/dw_i of the loss: (prod - 1) * (product of the other weights)
        steps[((w.prod(axis=1) - 1) ** 2 / 2 < target) & (steps == max_steps)] = t
    return steps


lr, target, max_steps = 0.1, 0.25, 20_000
eps = np.array([1e-1, 1e-2, 1e-3])  # the initial scale of every weight
two, three = (steps_to_fit(depth, eps, lr, target, max_steps) for depth in (2, 3))
per_decade = 1 / np.log10(1 + lr)  # two layers: each weight grows by about 1 + lr per step, near the origin
for name, counts in [("two layers", two), ("three layers", three)]:
    print(f"{name:12s} eps = {', '.join(f'{e:.0e}' for e in eps)}: {', '.join(f'{n:,}' for n in counts)} steps")
deep = lambda p: (1 - p[0] * p[1] * p[2]) ** 2 / 2  # noqa: E731  the three-layer network's loss
hess3 = torch.autograd.functional.hessian(deep, torch.zeros(3, dtype=torch.float64))
ratio_min, step_tol = 8, 0.05
# claim: saddle-deep-linear [starts=eps.size]
assert np.all(three < max_steps) and (hess3 == 0).all()  # a degenerate saddle: zero gradient and zero Hessian
assert np.all(np.abs(np.diff(two) / per_decade - 1) < step_tol)  # two layers: a fixed number of steps per decade
assert np.all(three[1:] / three[:-1] > ratio_min)  # three layers: about ten times more per decade, like 1/eps
# --8<-- [end:deep-linear]

# --8<-- [start:degenerate]
import numpy as np
import torch


def hessian_at_origin(f) -> np.ndarray:
    """Exact Hessian at (0, 0) by autograd."""
    return torch.autograd.functional.hessian(f, torch.zeros(2, dtype=torch.float64)).numpy()


def circle(radius: float, n: int = 360) -> np.ndarray:
    """n points on the circle of this radius around the origin, as a 2 x n array (half a degree off the axes)."""
    angles = np.deg2rad((np.arange(n) + 0.5) * 360 / n)
    return radius * np.stack([np.cos(angles), np.sin(angles)])


monkey = {  # three functions whose Hessian at the origin is the zero matrix
    "x^3 - 3xy^2": lambda p: p[0] ** 3 - 3 * p[0] * p[1] ** 2,  # monkey saddle
    "x^4 + y^4": lambda p: p[0] ** 4 + p[1] ** 4,  # a minimum
    "-x^4 - y^4": lambda p: -(p[0] ** 4) - p[1] ** 4,  # a maximum
}
radii = np.logspace(-4, 0, 9)  # circles from 1e-4 to 1: the signs do not depend on how close we look
near = circle(radii[2])
for name, f in monkey.items():
    hess = hessian_at_origin(f)
    around = np.array(f(near))  # f(0) = 0, so the signs here decide the point's kind
    below, above = (around < 0).mean(), (around > 0).mean()
    print(f"{name:12s} |H| = {np.abs(hess).max():.0f}   nearby: f < f(0) on {below:4.0%}, f > f(0) on {above:4.0%}")
    # claim: saddle-degenerate
    assert (hess == 0).all()  # exactly zero (autograd is exact on polynomials): the second-order test is silent...
f = monkey["x^3 - 3xy^2"]
print("monkey saddle: f(x, 0) = x^3 changes sign, so the origin is neither a minimum nor a maximum")
assert f(np.array([-radii[0], 0.0])) < 0 < f(np.array([radii[0], 0.0]))  # ...yet the kinds differ
changes = {np.count_nonzero(np.sign(f(circle(r))) != np.roll(np.sign(f(circle(r))), 1)) for r in radii}
assert changes == {6}  # on every circle: three arcs below f(0), three above
(sign_changes,) = changes
assert all((monkey["x^4 + y^4"](circle(r)) > 0).all() and (monkey["-x^4 - y^4"](circle(r)) < 0).all() for r in radii)
# --8<-- [end:degenerate]

# --8<-- [start:trap]
import numpy as np


def descend(p: np.ndarray, lr: float, steps: int, far: float) -> np.ndarray:
    """Gradient descent on f(x, y) = x^3/3 + y^2/2 from each row of p; a row stops once |x| > far."""
    for _ in range(steps):
        moving = np.abs(p[:, 0]) <= far
        p = np.where(moving[:, None], p - lr * np.stack([p[:, 0] ** 2, p[:, 1]], axis=1), p)
    return p


lr, steps, far, n_starts, box = 0.1, 2000, 1.0, 10_000, 0.5
starts = np.random.default_rng(0).uniform(-box, box, (n_starts, 2))
ends = descend(starts, lr, steps, far)
# Converging: x stays positive and 1/x grows by at least lr per step, so |x| <= 1 / (lr * steps).
trapped = (ends[:, 0] > 0) & (np.linalg.norm(ends, axis=1) <= 1 / (lr * steps))
bound = 1 / (lr * steps)
print(f"{trapped.mean():.1%} of {n_starts:,} starts within {bound:g} of the saddle, x > 0, after {steps:,} steps")
left = ends[:, 0] < -far
print(f"{left.mean():.1%} beyond x = {-far:g}; from every other start x decreased")
# claim: saddle-degenerate-trap [starts=n_starts]
assert np.array_equal(trapped, starts[:, 0] > 0)  # the sign of x0 decides
assert np.all(ends[~trapped, 0] < starts[~trapped, 0])  # x0 < 0: x decreases (y still shrinks toward 0)
assert abs(trapped.mean() - 0.5) < 4 * np.sqrt(0.25 / n_starts)  # about half, within binomial error
# --8<-- [end:trap]

# --8<-- [start:escape]
import numpy as np


def grad(p: np.ndarray) -> np.ndarray:
    """Gradient of f(x, y) = x^2/2 - y^2/2 + y^4/4 (saddle at 0, minima at (0, +-1)), rows of p."""
    x, y = p[..., 0], p[..., 1]
    return np.stack([x, -y + y**3], axis=-1)


def escape_steps(starts: np.ndarray, lr: float = 0.1, radius: float = 0.5, max_steps: int = 2000) -> np.ndarray:
    """Gradient descent from each start; the first step at which |y| > radius (max_steps: never)."""
    p, steps = starts.copy(), np.full(len(starts), max_steps)
    for t in range(1, max_steps + 1):
        p = p - lr * grad(p)
        newly = (np.abs(p[:, 1]) > radius) & (steps == max_steps)
        steps[newly] = t
    return steps


# On the stable direction (the x-axis) gradient descent walks straight into the saddle.
lr, n_steps, start, close = 0.1, 500, np.array([1.0, 0.0]), 1e-20
p = start.copy()
for _ in range(n_steps):
    p = p - lr * grad(p)
print(f"start ({start[0]:g}, {start[1]:g}): after {n_steps} steps at ({p[0]:.1e}, {p[1]:.1e})")
# claim: saddle-stable-manifold
assert np.linalg.norm(p) < close and p[1] == 0.0 and np.linalg.norm(grad(p)) < close

# A distance eps off it, the unstable direction grows by (1 + lr) per step: steps ~ log(1/eps) / log(1 + lr).
radius, max_steps, fit_tol, max_off = 0.5, 2000, 0.03, 2
eps = 10.0 ** -np.arange(2, 15)
steps = escape_steps(np.stack([np.ones_like(eps), eps], axis=1), lr=lr, radius=radius, max_steps=max_steps)
slope, intercept = np.polyfit(np.log(1 / eps), steps, 1)
residual = steps - (slope * np.log(1 / eps) + intercept)
theory = 1 / np.log(1 + lr)
print("eps:  ", " ".join(f"{e:5.0e}" for e in eps[::3]))
print("steps:", " ".join(f"{s:5d}" for s in steps[::3]))
print(f"steps per factor e in 1/eps: {slope:.2f} (theory 1/log(1 + {lr}) = {theory:.2f})")
# claim: saddle-escape-log [starts=eps.size]
assert np.all(steps < max_steps) and np.all(np.diff(steps) > 0)
assert abs(slope / theory - 1) < fit_tol and np.abs(residual).max() < max_off
# --8<-- [end:escape]

# --8<-- [start:faster]
import numpy as np


def grad(p: np.ndarray) -> np.ndarray:
    """Gradient of f(x, y) = x^2/2 - y^2/2 + y^4/4, rows of p."""
    x, y = p[..., 0], p[..., 1]
    return np.stack([x, -y + y**3], axis=-1)


def escape_steps(starts, lr=0.1, beta=0.0, noise=0.0, seed=0, radius=0.5, max_steps=2000) -> np.ndarray:
    """Heavy-ball descent (beta=0: plain GD) with optional Gaussian noise on each step; steps until |y| > radius."""
    rng = np.random.default_rng(seed)
    p, v = starts.copy(), np.zeros_like(starts)
    steps = np.full(len(starts), max_steps)
    for t in range(1, max_steps + 1):
        v = beta * v + grad(p)
        p = p - lr * v + noise * rng.standard_normal(p.shape)
        steps[(np.abs(p[:, 1]) > radius) & (steps == max_steps)] = t
    return steps


lr, beta, noise, radius, max_steps = 0.1, 0.9, 1e-3, 0.5, 2000
n_starts, y_scale, ratio_bound, beat_rate = 200, 1e-8, 0.6, 0.95
y0 = y_scale * np.random.default_rng(1).standard_normal(n_starts)  # starts about 1e-8 off the x-axis
starts = np.stack([np.ones_like(y0), y0], axis=1)
gd = escape_steps(starts, lr=lr)
noisy = escape_steps(starts, lr=lr, noise=noise, seed=2)  # independent noise for every start
momentum = escape_steps(starts, lr=lr, beta=beta)
for name, s in [("gradient descent", gd), (f"with noise {noise:.0e}", noisy), (f"momentum {beta}", momentum)]:
    print(f"{name:17s} median {np.median(s):4.0f} steps to escape, range {s.min()}-{s.max()}")
# claim: saddle-noise-momentum [starts=n_starts]
assert np.all(gd < max_steps) and np.all(noisy < max_steps) and np.all(momentum < max_steps)
assert np.median(noisy) < ratio_bound * np.median(gd) and np.median(momentum) < ratio_bound * np.median(gd)
assert np.mean(noisy < gd) > beat_rate and np.mean(momentum < gd) > beat_rate

# The predictions in the text: momentum multiplies y by the larger root of z^2 - (1 + beta + lr) z + beta per
# step instead of 1 + lr; noise puts y near the noise scale, so about log(radius / noise) / log(1 + lr) steps.
root = np.roots([1.0, -(1 + beta + lr), beta]).real.max()
predicted, measured = np.log(root) / np.log(1 + lr), np.median(gd) / np.median(momentum)
noise_steps = np.log(radius / noise) / np.log(1 + lr)
pred_tol = 0.1
print(
    f"momentum: {measured:.2f} times fewer steps (predicted {predicted:.2f}); noise: predicted {noise_steps:.0f} steps"
)
# The noise model's real test: each tenfold increase of the noise saves 1 / log10(1 + lr) steps.
noise_levels = 10.0 ** np.arange(-5, -1)
noisy_medians = np.array([np.median(escape_steps(starts, lr=lr, noise=s, seed=3)) for s in noise_levels])
noise_slope = -np.polyfit(np.log10(noise_levels), noisy_medians, 1)[0]
per_decade = 1 / np.log10(1 + lr)
print(f"noise {', '.join(f'{s:.0e}' for s in noise_levels)}: median {', '.join(f'{m:g}' for m in noisy_medians)} steps")
print(f"{noise_slope:.1f} fewer steps per tenfold more noise (predicted {per_decade:.1f})")
# claim: saddle-faster-predicted [starts=n_starts]
assert abs(measured / predicted - 1) < pred_tol
assert abs(np.median(noisy) / noise_steps - 1) < pred_tol  # observed; the model's errors partly cancel (see text)
assert abs(noise_slope / per_decade - 1) < pred_tol

# Is momentum's gain more than a larger step? Its effective step is lr / (1 - beta). Plain GD with big_lr
# still converges at the minima (curvature 2 there, and big_lr * 2 < 2) and escapes faster than momentum.
big_lr = 0.5
gd_big, gd_effective = escape_steps(starts, lr=big_lr), escape_steps(starts, lr=lr / (1 - beta))
p = np.array([[1.0, 1e-3]])
for _ in range(max_steps):
    p = p - big_lr * grad(p)
big_median, effective_median = np.median(gd_big), np.median(gd_effective)
print(f"gradient descent, lr {big_lr:g}: median {big_median:.0f} steps; lr {lr / (1 - beta):g}: {effective_median:.0f}")
# claim: saddle-momentum-step [starts=n_starts]
assert np.median(gd_effective) < np.median(gd_big) < np.median(momentum)  # a larger step alone beats momentum
assert np.linalg.norm(p - [0.0, 1.0]) < 1e-12  # ...and big_lr still converges to the minimum
# --8<-- [end:faster]

# --8<-- [start:stuck]
import torch


def f(p: torch.Tensor) -> torch.Tensor:
    """f(x, y) = x^2/2 - y^2/2 + y^4/4: a strict saddle at the origin, minima at (0, +-1)."""
    return p[0] ** 2 / 2 - p[1] ** 2 / 2 + p[1] ** 4 / 4


def f_turned(p: torch.Tensor) -> torch.Tensor:
    """f in turned coordinates: stable direction (2, 1) / sqrt(5), minima at +-(-1, 2) / sqrt(5)."""
    along, across = torch.tensor([2.0, 1.0]) / 5**0.5, torch.tensor([-1.0, 2.0]) / 5**0.5
    return f(torch.stack([along.to(p) @ p, across.to(p) @ p]))


def f_diagonal(p: torch.Tensor) -> torch.Tensor:
    """f turned so that its stable direction is the diagonal (1, 1) / sqrt(2): equal gradient components on it."""
    along, across = torch.tensor([1.0, 1.0]) / 2**0.5, torch.tensor([-1.0, 1.0]) / 2**0.5
    return f(torch.stack([along.to(p) @ p, across.to(p) @ p]))


def run(make_optimizer, device: str, loss=f, noise: float = 0.0, steps: int = 300, start=(1.0, 0.0), seed: int = 0):
    """Minimize loss from start (default (1, 0), on f's stable direction); returns the end point (x, y)."""
    torch.manual_seed(seed)
    p = torch.tensor(start, dtype=torch.float64, device=device, requires_grad=True)
    opt = make_optimizer([p])
    for _ in range(steps):
        opt.zero_grad()
        loss(p).backward()
        p.grad += noise * torch.randn_like(p.grad)  # noise = 0: the exact gradient
        opt.step()
    return p.detach().cpu()


def curvature_directions(loss, p: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Eigenvalues (ascending) and eigenvectors (columns) of the Hessian of loss at p."""
    return torch.linalg.eigh(torch.autograd.functional.hessian(loss, p))


x_start, lr, beta, adaptive_lr, steps = (1.0, 0.0), 0.1, 0.9, 0.01, 300
noise, near, nc_length, turned_start, turned_steps = 1e-3, 0.05, 0.1, (2.0, 1.0), 1000
diagonal_start = (1.0, 1.0)
noise_seeds = range(10)
optimizers = {
    "SGD": lambda ps: torch.optim.SGD(ps, lr=lr),
    f"SGD momentum {beta}": lambda ps: torch.optim.SGD(ps, lr=lr, momentum=beta),
    "Adam": lambda ps: torch.optim.Adam(ps, lr=adaptive_lr),
    "RMSprop": lambda ps: torch.optim.RMSprop(ps, lr=adaptive_lr),
}
minima = torch.tensor([[0.0, 1.0], [0.0, -1.0]], dtype=torch.float64)
turned_minima = torch.tensor([[-1.0, 2.0], [1.0, -2.0]], dtype=torch.float64) / 5**0.5
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    show = device == "cpu"  # the same checks run on every device; the page shows the CPU's numbers
    for name, make in optimizers.items():
        x, y = run(make, device, steps=steps, start=x_start)
        if show:
            print(f"{name:17s} ends {torch.hypot(x, y):.3f} from the saddle, at y = {y:+.3f}")
        # claim: saddle-stuck-exactly [devices=devices]
        assert y == 0 and abs(x) < near  # at the saddle (0, 0), not at a minimum (0, +-1)
    ends = torch.stack(
        [run(optimizers["SGD"], device, noise=noise, steps=steps, start=x_start, seed=s) for s in noise_seeds]
    )
    to_minimum = torch.cdist(ends, minima).min(1).values
    if show:
        print(f"SGD + noise {noise:.0e}, {len(noise_seeds)} seeds: every end within {near} of a minimum")
    # claim: saddle-noise-escapes [devices=devices seeds=len(noise_seeds)]
    assert to_minimum.max() < near  # noise alone leaves the stable direction and finds a minimum, every seed

    for name, make in optimizers.items():  # the same start, on the same line, but the line is not an axis
        end = run(make, device, loss=f_turned, steps=turned_steps, start=turned_start)
        to_saddle, to_min = end.norm().item(), torch.cdist(end[None], turned_minima).min().item()
        if show:
            print(f"turned f, {name:17s} ends {to_saddle:.3f} from the saddle, {to_min:.3f} from a minimum")
        # claim: saddle-stuck-turned [devices=devices]
        if name.startswith("SGD"):
            assert to_saddle < near  # gradient and momentum stay on the stable line
        else:
            assert to_min < near  # per-coordinate step sizes bend the step off it

    for name, make in optimizers.items():  # a stable line along the diagonal: equal gradient components
        x, y = run(make, device, loss=f_diagonal, steps=turned_steps, start=diagonal_start)
        if show:
            print(f"diagonal f, {name:17s} ends {torch.hypot(x, y):.3f} from the saddle, x == y: {bool(x == y)}")
        assert x == y and torch.hypot(x, y) < near  # no coordinate is favored, so the step is not turned

    stuck = run(optimizers["SGD"], device, loss=f_turned, steps=steps, start=turned_start)  # SGD stops at the saddle
    eig, vec = curvature_directions(f_turned, stuck.to(device))
    kicks = [tuple((stuck + nc_length * v.cpu()).tolist()) for v in (vec[:, 0], vec[:, 1])]  # eigenvectors: columns
    ends = [run(optimizers["SGD"], device, loss=f_turned, steps=steps, start=kick) for kick in kicks]
    if show:
        print(f"turned f, SGD, one step of {nc_length} along each eigenvector of the Hessian at the saddle, SGD:")
        for e, end in zip(eig, ends, strict=True):
            print(f"  eigenvalue {e:+.1f}: ends {end.norm():.3f} from the saddle")
    # claim: saddle-negative-curvature [devices=devices]
    assert stuck.norm() < near and eig[0] < 0 < eig[1]  # SGD stopped at the saddle, where one direction curves down
    hess = torch.autograd.functional.hessian(f_turned, stuck.to(device))  # H at the saddle, recomputed
    assert torch.allclose(hess @ vec, vec * eig, rtol=0, atol=1e-12)  # the columns are H's eigenvectors
    assert abs(vec[:, 0].cpu() @ turned_minima[0]) > 1 - 1e-6  # the way down is (-1, 2) / sqrt(5), up to sign
    kick = torch.tensor(kicks[0], dtype=torch.float64) - stuck
    assert torch.allclose(kick, nc_length * vec[:, 0].cpu(), rtol=0, atol=1e-12)  # along the eigenvector...
    assert abs(kick.norm() - nc_length) < 1e-12  # ...at the stated length
    assert torch.cdist(ends[0][None], turned_minima).min() < near  # along it: a minimum, with no noise
    assert ends[1].norm() < near  # along the other eigenvector: back to the saddle
# --8<-- [end:stuck]

# --8<-- [start:newton]
import numpy as np


def grad_hess(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian of f(x, y) = x^2/2 - y^2/2 + y^4/4 at each row of p."""
    x, y = p[:, 0], p[:, 1]
    g = np.stack([x, -y + y**3], axis=1)
    h = np.zeros((len(p), 2, 2))
    h[:, 0, 0], h[:, 1, 1] = 1.0, -1.0 + 3 * y**2
    return g, h


def newton(starts: np.ndarray, saddle_free: bool, steps: int = 30) -> np.ndarray:
    """Newton's method p <- p - H^-1 g; saddle-free: H^-1 -> |H|^-1 (flip negative eigenvalues)."""
    p = starts.copy()
    for _ in range(steps):
        g, h = grad_hess(p)
        lam, vec = np.linalg.eigh(h)  # H = V diag(lam) V^T
        lam = np.abs(lam) if saddle_free else lam
        p = p - np.einsum("nij,nj,nkj,nk->ni", vec, 1 / lam, vec, g)
    return p


half, n_side, n_steps, close = 0.4, 20, 30, 1e-8
side = np.linspace(-half, half, n_side)  # an even number of points: none exactly on y = 0
starts = np.stack(np.meshgrid(side, side), axis=-1).reshape(-1, 2)
plain, free = newton(starts, saddle_free=False, steps=n_steps), newton(starts, saddle_free=True, steps=n_steps)
at_saddle = np.linalg.norm(plain, axis=1) < close
at_minimum = np.linalg.norm(free - [0, 1], axis=1) < close
at_minimum |= np.linalg.norm(free - [0, -1], axis=1) < close
print(f"Newton:            {at_saddle.mean():.0%} of {len(starts)} starts converge to the saddle (0, 0)")
print(f"saddle-free Newton: {at_minimum.mean():.0%} of {len(starts)} starts converge to a minimum (0, +-1)")
# claim: saddle-newton [starts=len(starts)]
assert at_saddle.all() and at_minimum.all()

# Off the grid: on y = 0 the gradient has no y-part, so saddle-free Newton goes to the saddle too. And its
# direction -|H|^-1 g always points downhill, but a full step can overshoot: from (0, 0.5) it lands at (0, 2).
axis_start = np.array([half, 0.0])
on_axis = newton(axis_start[None], saddle_free=True, steps=n_steps)[0]
before = np.array([[0.0, 0.5]])
after = newton(before, saddle_free=True, steps=1)
f_of = lambda p: p[:, 0] ** 2 / 2 - p[:, 1] ** 2 / 2 + p[:, 1] ** 4 / 4  # noqa: E731
g, _ = grad_hess(before)
print(f"saddle-free Newton from ({axis_start[0]:g}, {axis_start[1]:g}): ends within {close:.0e} of the saddle")
(x0, y0), (x1, y1) = before[0], after[0]
f_before, f_after = f_of(before)[0], f_of(after)[0]
print(f"one saddle-free Newton step: ({x0:g}, {y0:g}) -> ({x1:g}, {y1:g}), f {f_before:.3f} -> {f_after:.3f}")
# claim: saddle-free-newton-limits
assert np.linalg.norm(on_axis) < close  # a start on the stable direction converges to the saddle
assert (g * (after - before)).sum() < 0 < f_of(after)[0] - f_of(before)[0]  # a descent direction, yet f rises
# --8<-- [end:newton]

# --8<-- [start:minmax]
import numpy as np


def descent_ascent(p: np.ndarray, lr: float, steps: int, optimistic: bool = False) -> np.ndarray:
    """Simultaneous gradient descent in x and ascent in y on f(x, y) = x y; returns the distance to the saddle.

    optimistic=True steps along 2 g_t - g_(t-1) instead of g_t (optimistic gradient descent-ascent)."""
    previous, distance = np.array([p[1], p[0]]), [np.linalg.norm(p)]
    for _ in range(steps):
        g = np.array([p[1], p[0]])  # (df/dx, df/dy)
        direction = 2 * g - previous if optimistic else g
        p = p + lr * np.array([-1.0, 1.0]) * direction  # down in x, up in y
        previous = g
        distance.append(np.linalg.norm(p))
    return np.array(distance)


start, lr, steps, close, big_lr = np.array([1.0, 0.0]), 0.2, 500, 1e-3, 0.6
plain = descent_ascent(start, lr, steps)
optimistic = descent_ascent(start, lr, steps, optimistic=True)
optimistic_big = descent_ascent(start, big_lr, steps, optimistic=True)
growth = np.sqrt(1 + lr**2)  # |(1, -lr; lr, 1) p| = sqrt(1 + lr^2) |p| for every p
print(f"descent-ascent: distance to the saddle {plain[0]:g} -> {plain[-1]:.1e} after {steps} steps")
print(f"optimistic descent-ascent: {optimistic[0]:g} -> {optimistic[-1]:.1e}")
print(f"optimistic descent-ascent with step {big_lr}: {optimistic_big[0]:g} -> {optimistic_big[-1]:.1e}")
# claim: saddle-minmax
assert np.allclose(plain[1:] / plain[:-1], growth, rtol=1e-12, atol=0)  # spirals out, by the same factor each step
assert optimistic[-1] < close  # the optimistic correction converges to the saddle
assert optimistic_big[-1] > 1 / close  # ...if its step is small enough
# --8<-- [end:minmax]

# --8<-- [start:goe]
import numpy as np


def prob_positive_definite(n: int, draws: int, rng: np.random.Generator) -> float:
    """Monte Carlo P(all eigenvalues > 0) for an n x n GOE matrix (diagonal N(0,1), off-diagonal N(0,1/2))."""
    diag = rng.standard_normal((draws, n))
    diag = diag[(diag > 0).all(axis=1)]  # a positive definite matrix has a positive diagonal: skip the rest
    upper = np.triu(rng.standard_normal((len(diag), n, n)) / np.sqrt(2), k=1)
    h = upper + upper.transpose(0, 2, 1)
    h[:, np.arange(n), np.arange(n)] = diag
    return (np.linalg.eigvalsh(h)[:, 0] > 0).sum() / draws


rng = np.random.default_rng(0)
sizes, draws, n_se, theta_tol = np.arange(1, 6), 1_000_000, 4, 0.15
p = np.array([prob_positive_definite(n, draws, rng) for n in sizes])
# Dean & Majumdar (2006): log P(n) = -theta n^2 + O(n) with theta = log(3)/4. Fit theta, b, c to -log P.
theta, b, c = np.linalg.lstsq(np.stack([sizes**2, sizes, np.ones(sizes.size)], axis=1), -np.log(p), rcond=None)[0]
for n, pn in zip(sizes, p, strict=True):
    print(f"n = {n}: P(positive definite) = {pn:.2e}")
theta_dm, exact2 = np.log(3) / 4, (2 - np.sqrt(2)) / 4  # Dean-Majumdar's theta; the exact P for n = 2
print(f"fitted theta = {theta:.3f}, Dean-Majumdar theta = log(3)/4 = {theta_dm:.3f}")
# claim: saddle-goe [draws=draws]
ratio = p[1:] / p[:-1]
assert np.all(ratio < 1) and np.all(np.diff(ratio) < 0)  # falls, and each step down is steeper
assert sizes[1] == 2 and abs(p[1] - exact2) < n_se * np.sqrt(exact2 * (1 - exact2) / draws)  # binomial error
assert abs(theta / theta_dm - 1) < theta_tol
# --8<-- [end:goe]

# --8<-- [start:network]
import torch

HIDDEN = 4  # a 1-4-1 tanh network: 13 weights, small enough for the exact 13 x 13 Hessian


def losses(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error of one 1-4-1 tanh network per row of w (shape: networks x 13)."""
    h = HIDDEN
    w1, b1, w2, b2 = w[:, :h], w[:, h : 2 * h], w[:, 2 * h : 3 * h], w[:, 3 * h]
    hidden = torch.tanh(x[None, :, None] * w1[:, None, :] + b1[:, None, :])
    return (((hidden * w2[:, None, :]).sum(-1) + b2[:, None] - y) ** 2).mean(-1)


def exact_spectra(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Eigenvalues (ascending) of the exact Hessian of each network's loss."""
    hessians = [torch.autograd.functional.hessian(lambda v: losses(v[None], x, y)[0], wi) for wi in w]
    return torch.linalg.eigvalsh(torch.stack(hessians))


def negative_count(eig: torch.Tensor, rel_tol: float) -> torch.Tensor:
    """How many eigenvalues are below -rel_tol * (largest eigenvalue), per network."""
    return (eig < -rel_tol * eig[:, -1:]).sum(1)


def gradient_norms(w: torch.Tensor, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Norm of each network's loss gradient: zero only at a critical point."""
    w = w.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(losses(w, x, y).sum(), w)
    return g.norm(dim=1)


n_points, lr, train_steps, rel_tol, fit_tol = 40, 0.02, 1000, 1e-3, 0.05
min_neg, median_neg = 2, 4  # what the claim says of the networks at initialization
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
seeds = range(20)
for device in devices:
    x = torch.linspace(-2, 2, n_points, dtype=torch.float64, device=device)
    y = torch.sin(2 * x)
    init = [torch.randn(3 * HIDDEN + 1, dtype=torch.float64, generator=torch.Generator().manual_seed(s)) for s in seeds]
    w = torch.stack(init).to(device).requires_grad_(True)  # one network per seed, trained side by side
    start, grad_start = exact_spectra(w.detach(), x, y), gradient_norms(w, x, y)
    opt = torch.optim.Adam([w], lr=lr)
    for _ in range(train_steps):
        opt.zero_grad()
        losses(w, x, y).sum().backward()  # the sum's gradient is each network's own gradient
        opt.step()
    end, grad_end = exact_spectra(w.detach(), x, y), gradient_norms(w, x, y)
    loss = losses(w.detach(), x, y)
    n_start, n_end = negative_count(start, rel_tol), negative_count(end, rel_tol)
    lowest = (end[:, 0] / end[:, -1]).min()
    if device == "cpu":  # the same checks run on every device; the page shows the CPU's numbers
        print(f"at initialization, negative eigenvalues: median {n_start.median()}, min {n_start.min()}")
        print(f"after training (loss <= {loss.max():.4f}): median {n_end.median()}, max {n_end.max()}")
        print(f"most negative eigenvalue / largest after training: {lowest:.1e}")
        print(f"|gradient| at initialization >= {grad_start.min():.1e}; after: {grad_end.max():.0e} at most")
    # claim: saddle-network [networks=len(seeds) devices=devices]
    assert n_start.min() >= min_neg and n_start.median() >= median_neg  # negative curvature in several directions
    assert n_end.max() == 0 and loss.max() < fit_tol  # where training stops, none is left beyond the tolerance
    assert lowest < 0  # ...but some eigenvalues are still slightly negative: the tolerance matters
# --8<-- [end:network]

# --8<-- [start:lanczos]
import torch


def make_problem(device: str, seed: int = 0, n_in: int = 2, n_hidden: int = 16, n_points: int = 64):
    """A tanh network (n_in-n_hidden-1; 65 weights by default) at a random initialization, its loss on n_points."""
    gen = torch.Generator().manual_seed(seed)
    x = (torch.rand(n_points, n_in, generator=gen, dtype=torch.float64) * 4 - 2).to(device)
    y = torch.sin(x[:, 0]) * torch.cos(x[:, 1])
    w = (0.5 * torch.randn(n_hidden * (n_in + 2) + 1, generator=gen, dtype=torch.float64)).to(device)

    def loss(w: torch.Tensor) -> torch.Tensor:
        """Mean squared error; w = (W1: n_hidden x n_in, b1: n_hidden, W2: n_hidden, b2: 1) flattened."""
        h, k = n_hidden, n_hidden * n_in
        w1, b1, w2, b2 = w[:k].reshape(h, n_in), w[k : k + h], w[k + h : k + 2 * h], w[-1]
        return ((torch.tanh(x @ w1.T + b1) @ w2 + b2 - y) ** 2).mean()

    return loss, w


def hvp_function(loss, w: torch.Tensor):
    """v -> H v by double backward: differentiate g(w) . v, where g = grad loss keeps its graph."""
    w = w.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(loss(w), w, create_graph=True)
    return lambda v: torch.autograd.grad(g, w, grad_outputs=v, retain_graph=True)[0]


def lanczos(hvp, n: int, k: int, seed: int, device: str) -> torch.Tensor:
    """k steps of Lanczos (full reorthogonalization): eigenvalues of the k x k tridiagonal T, ascending."""
    q = torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(device)
    basis, alpha, beta = [q / q.norm()], [], []
    for j in range(k):
        r = hvp(basis[j])  # one Hessian-vector product per step
        alpha.append(r @ basis[j])
        q_mat = torch.stack(basis)
        for _ in range(2):  # Gram-Schmidt twice keeps the basis orthogonal in floating point
            r = r - q_mat.T @ (q_mat @ r)
        beta.append(r.norm())
        basis.append(r / beta[-1])
    t = torch.diag(torch.stack(alpha)) + torch.diag(torch.stack(beta[:-1]), 1) + torch.diag(torch.stack(beta[:-1]), -1)
    return torch.linalg.eigvalsh(t)


def counted(hvp):
    """Wrap a Hessian-vector product so that it counts its calls (in .calls)."""

    def wrapped(v: torch.Tensor) -> torch.Tensor:
        wrapped.calls += 1
        return hvp(v)

    wrapped.calls = 0
    return wrapped


def power_iteration(hvp, n: int, k: int, seed: int, device: str) -> torch.Tensor:
    """k steps of v <- Hv / |Hv|; returns v.Hv, the eigenvalue of largest magnitude."""
    v = torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(device)
    v = v / v.norm()
    for _ in range(k):
        hv = hvp(v)
        estimate = hv @ v
        v = hv / hv.norm()
    return estimate


n_in, n_hidden, n_points = 2, 16, 64
k, hvp_tol, h, fd_tol, ritz_tol, power_factor = 25, 1e-12, 1e-4, 1e-11, 1e-6, 100  # k: Hessian-vector products per run
fd_steps = (2, 1, -1, -2)  # the difference samples the gradient at w + s h v
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    loss, w = make_problem(device, n_in=n_in, n_hidden=n_hidden, n_points=n_points)
    n_weights = w.numel()
    hvp = hvp_function(loss, w)
    exact = torch.autograd.functional.hessian(loss, w)  # 65 x 65, for checking only
    eig = torch.linalg.eigvalsh(exact)
    v = torch.randn(n_weights, dtype=torch.float64, generator=torch.Generator().manual_seed(1)).to(device)
    hvp_error = ((hvp(v) - exact @ v).norm() / (exact @ v).norm()).item()
    # An independent check: the fourth-order central difference of the gradient along v, error O(h^4)
    g2, g1, g_1, g_2 = (
        torch.autograd.grad(loss(u.requires_grad_(True)), u)[0] for u in (w + s * h * v for s in fd_steps)
    )
    fd_error = ((hvp(v) - (-g2 + 8 * g1 - 8 * g_1 + g_2) / (12 * h)).norm() / (exact @ v).norm()).item()
    runs = range(20)  # random start vectors
    lz_hvp, pi_hvp = counted(hvp), counted(hvp)
    lz = torch.stack([lanczos(lz_hvp, n_weights, k, seed, device) for seed in runs])
    top_err = ((lz[:, -1] - eig[-1]).abs() / eig[-1].abs()).max().item()
    bottom_err = ((lz[:, 0] - eig[0]).abs() / eig[0].abs()).max().item()
    pi = torch.stack([power_iteration(pi_hvp, n_weights, k, seed, device) for seed in runs])
    pi_err = ((pi - eig[-1]).abs() / eig[-1].abs()).max().item()
    if device == "cpu":  # the same checks run on every device; the page shows the CPU's numbers
        print(f"exact eigenvalues {eig[0]:.4f} ... {eig[-1]:.4f};  |Hv - H v| / |H v| below {hvp_tol:.0e}")
        print(f"difference of gradients, h = {h:.0e}: |Hv - difference| / |H v| below {fd_tol:.0e}")
        print(f"Lanczos, {k} products: top error below {ritz_tol:.0e}, bottom error <= {bottom_err:.0e}")
        print(f"power iteration, {k} products: top error <= {pi_err:.0e}")
    # claim: saddle-hvp [devices=devices]
    assert hvp_error < hvp_tol and fd_error < fd_tol
    # claim: saddle-lanczos [starts=len(runs) devices=devices]
    assert lz_hvp.calls == pi_hvp.calls == k * len(runs)  # the same budget: k products per run, each
    assert top_err < ritz_tol and bottom_err < ritz_tol
    assert (lz[:, -1] <= eig[-1] + 1e-12).all() and (lz[:, 0] >= eig[0] - 1e-12).all()  # never past the ends
    assert pi_err > power_factor * top_err  # the same budget buys power iteration far less accuracy
# --8<-- [end:lanczos]

# --8<-- [start:figure-surface]
import matplotlib.pyplot as plt
import numpy as np


def path(start, lr=0.1, beta=0.0, noise=0.0, steps=150, seed=0) -> np.ndarray:
    """Iterates of heavy-ball descent (beta=0: plain GD), with optional Gaussian noise, on f below."""
    rng = np.random.default_rng(seed)
    p, v, out = np.array(start, dtype=float), np.zeros(2), [start]
    for _ in range(steps):
        v = beta * v + np.array([p[0], -p[1] + p[1] ** 3])  # gradient of f
        p = p - lr * v + noise * rng.standard_normal(2)
        out.append(p)
    return np.array(out)


def f(x, y):
    return x**2 / 2 - y**2 / 2 + y**4 / 4


x0, off, beta, mom_lr, noise, near = 1.4, 1e-3, 0.9, 0.02, 0.01, 0.05
grid = np.linspace(-1.5, 1.5, 61)
xx, yy = np.meshgrid(grid, grid)
fig, ax = plt.subplots(figsize=(8.5, 4.6))
ax.imshow(f(xx, yy), extent=(-1.5, 1.5, -1.5, 1.5), origin="lower", cmap="RdBu_r", alpha=0.5)
ax.contour(xx, yy, f(xx, yy), levels=12, colors="0.4", linewidths=0.4)
runs = {
    "stuck": ((x0, 0.0), {}, "C0", f"GD from ({x0}, 0): ends at the saddle"),
    "lingers": ((x0, off), {}, "C2", f"GD from ({x0}, {off}): lingers, then escapes"),
    "momentum": ((-x0, -off), {"beta": beta, "lr": mom_lr}, "C3", f"momentum {beta} from (−{x0}, −{off})"),
    "noise": ((-x0, 0.0), {"noise": noise, "seed": 3}, "C1", f"GD + noise {noise} from (−{x0}, 0)"),
}
ends = {}
for key, (start, settings, color, label) in runs.items():
    p = path(start, **settings)
    ends[key] = p
    ax.plot(p[:, 0], p[:, 1], ".-", ms=4, lw=0.8, markevery=5, color=color, label=label)
ax.plot([0, 0, 0], [0, 1, -1], "k*", ms=10)
ax.annotate("saddle (0, 0)", (0, 0), (0.15, 0.25))
ax.annotate("minimum (0, 1)", (0, 1), (0.15, 1.2))
ax.set(xlabel="x", ylabel="y", title="f(x, y) = x²/2 − y²/2 + y⁴/4", aspect="equal")
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8)
fig.tight_layout()
fig.savefig("saddle-point-trajectories.svg")

# What the figure's description says about each path.
linger = int((np.linalg.norm(ends["lingers"], axis=1) < 2 * near).sum())  # steps spent near the saddle
assert (ends["stuck"][:, 1] == 0).all() and np.linalg.norm(ends["stuck"][-1]) < near
assert linger > 10 and np.linalg.norm(ends["lingers"][-1] - [0, 1]) < near
assert np.linalg.norm(ends["momentum"][-1] - [0, -1]) < near and np.linalg.norm(ends["noise"][-1] - [0, -1]) < near
# --8<-- [end:figure-surface]

# --8<-- [start:figure-escape]
import matplotlib.pyplot as plt
import numpy as np


def escape_steps(eps: np.ndarray, lr: float = 0.1, beta: float = 0.0, max_steps: int = 2000) -> np.ndarray:
    """Heavy-ball descent (beta=0: plain GD) on x^2/2 - y^2/2 + y^4/4 from (1, eps): steps until |y| > 0.5."""
    p = np.stack([np.ones_like(eps), eps], axis=1)
    v, steps = np.zeros_like(p), np.full(len(eps), max_steps)
    for t in range(1, max_steps + 1):
        v = beta * v + np.stack([p[:, 0], -p[:, 1] + p[:, 1] ** 3], axis=1)
        p = p - lr * v
        steps[(np.abs(p[:, 1]) > 0.5) & (steps == max_steps)] = t
    return steps


lr, beta, radius = 0.1, 0.9, 0.5
eps = np.logspace(-14, -1, 27)
gd, mom, line = escape_steps(eps, lr=lr), escape_steps(eps, lr=lr, beta=beta), np.log(radius / eps) / np.log(1 + lr)
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.semilogx(eps, gd, "o", ms=4, color="C0", label=f"gradient descent, lr = {lr}")
ax.semilogx(eps, line, "-", lw=1, color="C0", label=f"log({radius}/ε) / log(1 + lr)")
ax.semilogx(eps, mom, "s", ms=4, color="C3", label=f"momentum {beta}, lr = {lr}")
ax.set(xlabel="ε, distance of the start from the stable direction", ylabel=f"steps until |y| > {radius}")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig("saddle-point-escape-steps.svg")

# What the figure's description says: GD on the line, momentum on a line several times less steep.
steepness = np.polyfit(np.log(eps), gd, 1)[0] / np.polyfit(np.log(eps), mom, 1)[0]
assert np.abs(gd - line).max() < 3 and 2.5 < steepness < 3.5
# --8<-- [end:figure-escape]
