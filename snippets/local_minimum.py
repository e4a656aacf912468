# Code of the local-minimum page (docs/local-minimum.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:minima]
import numpy as np


def f(x):
    """The tilted double well f(x) = x^4 - 3x^2 + x."""
    return x**4 - 3 * x**2 + x


# Critical points solve f'(x) = 4x^3 - 6x + 1 = 0; f''(x) = 12x^2 - 6 classifies them.
critical = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
curvature = 12 * critical**2 - 6
for x, c in zip(critical, curvature, strict=True):
    kind = "minimum" if c > 0 else "maximum"
    print(f"x = {x:+.4f}   f(x) = {f(x):+.4f}   f''(x) = {c:+.3f}   {kind}")

roots = np.roots([4.0, 0.0, -6.0, 1.0])
x_global, x_max, x_local = critical
# claim: two-minima
assert np.abs(roots.imag).max() == 0  # three real critical points, none hidden by .real
assert curvature[0] > 0 and curvature[2] > 0 and curvature[1] < 0
assert x_global < x_max < x_local and f(x_global) < f(x_local)
# --8<-- [end:minima]

# --8<-- [start:gd]
import numpy as np


def grad(x):
    """f'(x) for f(x) = x^4 - 3x^2 + x."""
    return 4 * x**3 - 6 * x + 1


def gradient_descent(x0, lr, steps):
    """Plain gradient descent: x <- x - lr * f'(x)."""
    x = x0
    for _ in range(steps):
        x = x - lr * grad(x)
    return x


x0, lr, steps = 2.0, 0.01, 500
x = gradient_descent(x0, lr, steps)
x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)[-1]  # the right-hand critical point
f_x, f_global = x**4 - 3 * x**2 + x, -3.5139
gap = f_x - f_global
print(f"gradient descent stops at x = {x:.4f}, f(x) = {f_x:.4f}")

# claim: gd-stuck
assert abs(x - x_local) < 1e-8
assert abs(grad(x)) < 1e-8  # first-order condition: f'(x) = 0
assert 12 * x**2 - 6 > 0  # second-order condition: f''(x) > 0
assert gap > 2  # ...and it is not the global minimum
# --8<-- [end:gd]

# --8<-- [start:momentum]
import numpy as np


def grad(x):
    """f'(x) for f(x) = x^4 - 3x^2 + x."""
    return 4 * x**3 - 6 * x + 1


def momentum_descent(x0, lr, beta, steps):
    """Heavy-ball momentum as torch.optim.SGD does it: v <- beta v + f'(x), x <- x - lr v."""
    x, v = x0, np.zeros_like(x0)
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
    return x


x0, lr, beta, steps = np.float64(2.0), 0.01, 0.9, 500
x = momentum_descent(x0, lr, beta, steps)
x_global = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)[0]  # the left-hand critical point
print(f"momentum stops at x = {x:.4f}, f(x) = {x**4 - 3 * x**2 + x:.4f}")

# claim: momentum-escapes
assert abs(x - x_global) < 1e-6  # the global minimizer
assert abs(grad(x)) < 1e-6
# --8<-- [end:momentum]

# --8<-- [start:rates]
import numpy as np


def grad(x):
    """f'(x) for f(x) = x^4 - 3x^2 + x, elementwise."""
    return 4 * x**3 - 6 * x + 1


def momentum_descent(x0, lr, beta, steps):
    """Heavy-ball momentum on a whole array of starting points at once (beta=0: plain GD)."""
    x, v = x0.copy(), np.zeros_like(x0)
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
    return x


low, high, n_starts = -2.5, 2.5, 1001
lr, beta, steps, margin = 0.01, 0.9, 2000, 0.05
starts = np.linspace(low, high, n_starts)  # an even grid: no lucky seed
gd = momentum_descent(starts, lr=lr, beta=0.0, steps=steps)
mom = momentum_descent(starts, lr=lr, beta=beta, steps=steps)
x_global, _, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
gd_global, mom_global = np.abs(gd - x_global) < 1e-6, np.abs(mom - x_global) < 1e-6
gd_rate, mom_rate = gd_global.mean(), mom_global.mean()
print(f"reach the global minimum: gradient descent {gd_rate:.1%}, momentum {mom_rate:.1%}")

# claim: momentum-rate [starts=starts.size]
assert mom_rate > gd_rate + margin

harmed = starts[gd_global & (np.abs(mom - x_local) < 1e-6)]  # momentum overshoots into the local minimum
print(f"momentum loses the global minimum from {harmed.size} starts, x0 in [{harmed.min()}, {harmed.max()}]")
# claim: momentum-harms [starts=starts.size]
assert harmed.size > 0 and harmed.max() < -2
# --8<-- [end:rates]

# --8<-- [start:torch]
import numpy as np
import torch


def numpy_momentum_path(x0, lr, beta, steps):
    """Heavy-ball momentum in numpy; returns every iterate."""
    x, v, path = x0, 0.0, [x0]
    for _ in range(steps):
        g = 4 * x**3 - 6 * x + 1
        v = beta * v + g
        x = x - lr * v
        path.append(x)
    return np.array(path)


def torch_momentum_path(x0, lr, beta, steps, device):
    """The same run with torch.optim.SGD(momentum=beta); returns every iterate."""
    x = torch.tensor(x0, dtype=torch.float64, device=device, requires_grad=True)
    opt = torch.optim.SGD([x], lr=lr, momentum=beta)
    path = [x0]
    for _ in range(steps):
        opt.zero_grad()
        (x**4 - 3 * x**2 + x).backward()
        opt.step()
        path.append(x.item())
    return np.array(path)


x0, lr, beta, steps, tolerance = 2.0, 0.01, 0.9, 300, 1e-10
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
reference = numpy_momentum_path(x0, lr, beta, steps)
for device in devices:
    path = torch_momentum_path(x0, lr, beta, steps, device=device)
    gap = np.abs(path - reference).max()
    if device == "cpu":  # the same check runs on every device; the page shows the CPU's numbers
        print(f"{device}: largest gap over {len(path) - 1} steps = {gap:.1e}, final x = {path[-1]:.4f}")
    # claim: torch-matches-numpy [devices=devices steps=len(path)-1]
    assert len(path) == steps + 1 and gap < tolerance
# --8<-- [end:torch]

# --8<-- [start:adam]
import torch


def final_points(optimizer_class, starts, steps=500, **settings):
    """Run a torch optimizer on f(x) = x^4 - 3x^2 + x from every start at once."""
    x = starts.clone().requires_grad_(True)
    opt = optimizer_class([x], **settings)
    for _ in range(steps):
        opt.zero_grad()
        (x**4 - 3 * x**2 + x).sum().backward()  # the starts are independent problems
        opt.step()
    return x.detach()


n_starts, adam_lr, gd_lr, x0, within = 1001, 0.05, 0.01, 2.0, 0.01
starts = torch.linspace(-2.5, 2.5, n_starts, dtype=torch.float64)
adam = final_points(torch.optim.Adam, starts, lr=adam_lr)
gd = final_points(torch.optim.SGD, starts, lr=gd_lr)
from_x0 = adam[torch.argmin((starts - x0).abs())].item()
adam_rate, gd_rate = (adam < 0).double().mean().item(), (gd < 0).double().mean().item()
print(f"reach the global minimum: Adam {adam_rate:.1%}, gradient descent {gd_rate:.1%}")
print(f"Adam from x0 = {x0:g} ends at x = {from_x0:.3f}")

# claim: adam-no-escape [starts=len(starts)]
assert adam_rate <= gd_rate + within
assert abs(from_x0 - 1.1309) < 0.05  # from x0 = 2: the local minimum
# --8<-- [end:adam]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np


def heavy_ball_path(x0, lr, beta, steps):
    """Iterates of heavy-ball momentum on f(x) = x^4 - 3x^2 + x (beta=0: plain GD)."""
    x, v, path = x0, 0.0, [x0]
    for _ in range(steps):
        v = beta * v + 4 * x**3 - 6 * x + 1
        x = x - lr * v
        path.append(x)
    return np.array(path)


def f(x):
    return x**4 - 3 * x**2 + x


x0, lr, beta, steps = 2.0, 0.01, 0.9, 120
x_global, _, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
grid = np.linspace(-2.2, 2.2, 400)
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(grid, f(grid), color="0.4", lw=1.5, label="f(x) = x⁴ − 3x² + x")
ends = {}
for b, color, name in [(0.0, "C0", "gradient descent"), (beta, "C3", f"momentum β = {beta}")]:
    path = heavy_ball_path(x0, lr, b, steps)
    ends[b] = path[-1]
    ax.plot(path, f(path), "o-", ms=3, lw=0.8, color=color, label=name, alpha=0.8)
ax.annotate("local minimum", (x_local, f(x_local)), (0.9, 2.5), arrowprops={"arrowstyle": "->"})
ax.annotate("global minimum", (x_global, f(x_global)), (-1.9, 1.0), arrowprops={"arrowstyle": "->"})
ax.set(xlabel="x", ylabel="f(x)", ylim=(-4.5, 6), title=f"Both start at x₀ = {x0:g} with step {lr}")
ax.legend(loc="upper center")
fig.tight_layout()
fig.savefig("local-minimum-trajectories.svg")

# What the figure's description says: gradient descent settles right, momentum crosses to the left.
assert abs(ends[0.0] - x_local) < 0.01 and abs(ends[beta] - x_global) < 0.05
# --8<-- [end:figure]
