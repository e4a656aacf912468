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

x_global, x_max, x_local = critical
# claim: two-minima
assert curvature[0] > 0 and curvature[2] > 0 and curvature[1] < 0
assert f(x_global) < f(x_local)
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


x = gradient_descent(x0=2.0, lr=0.01, steps=500)
f_x, f_global = x**4 - 3 * x**2 + x, -3.5139
print(f"gradient descent stops at x = {x:.4f}, f(x) = {f_x:.4f}")

# claim: gd-stuck
assert abs(grad(x)) < 1e-8  # first-order condition: f'(x) = 0
assert 12 * x**2 - 6 > 0  # second-order condition: f''(x) > 0
assert f_x > f_global + 2  # ...and it is not the global minimum
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


x = momentum_descent(x0=np.float64(2.0), lr=0.01, beta=0.9, steps=500)
print(f"momentum stops at x = {x:.4f}, f(x) = {x**4 - 3 * x**2 + x:.4f}")

# claim: momentum-escapes
assert abs(x - (-1.3008)) < 1e-3  # the global minimizer
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


starts = np.linspace(-2.5, 2.5, 1001)  # an even grid: no lucky seed
gd = momentum_descent(starts, lr=0.01, beta=0.0, steps=2000)
mom = momentum_descent(starts, lr=0.01, beta=0.9, steps=2000)
gd_global, mom_global = gd < 0, mom < 0  # the global minimum is the one left of the barrier at 0.17
print(f"reach the global minimum: gradient descent {gd_global.mean():.1%}, momentum {mom_global.mean():.1%}")

# claim: momentum-rate [starts=starts.size]
assert mom_global.mean() > gd_global.mean() + 0.05

harmed = starts[gd_global & ~mom_global]  # momentum overshoots out of the global basin
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


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
reference = numpy_momentum_path(2.0, lr=0.01, beta=0.9, steps=300)
for device in devices:
    path = torch_momentum_path(2.0, lr=0.01, beta=0.9, steps=300, device=device)
    gap = np.abs(path - reference).max()
    if device == "cpu":  # the same check runs on every device; the page shows the CPU's numbers
        print(f"cpu: largest gap over {len(path) - 1} steps = {gap:.1e}, final x = {path[-1]:.4f}")
    # claim: torch-matches-numpy [devices=devices steps=len(path)-1]
    assert gap < 1e-10
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


starts = torch.linspace(-2.5, 2.5, 1001, dtype=torch.float64)
adam = final_points(torch.optim.Adam, starts, lr=0.05)
gd = final_points(torch.optim.SGD, starts, lr=0.01)
from_two = adam[torch.argmin((starts - 2).abs())].item()
adam_rate, gd_rate = (adam < 0).double().mean().item(), (gd < 0).double().mean().item()
print(f"reach the global minimum: Adam {adam_rate:.1%}, gradient descent {gd_rate:.1%}")
print(f"Adam from x0 = 2 ends at x = {from_two:.3f}")

# claim: adam-no-escape [starts=len(starts)]
assert adam_rate <= gd_rate + 0.01
assert abs(from_two - 1.1309) < 0.05  # from x0 = 2: the local minimum
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


grid = np.linspace(-2.2, 2.2, 400)
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(grid, f(grid), color="0.4", lw=1.5, label="f(x) = x⁴ − 3x² + x")
for beta, color, name in [(0.0, "C0", "gradient descent"), (0.9, "C3", "momentum β = 0.9")]:
    path = heavy_ball_path(2.0, lr=0.01, beta=beta, steps=120)
    ax.plot(path, f(path), "o-", ms=3, lw=0.8, color=color, label=name, alpha=0.8)
ax.annotate("local minimum", (1.131, f(1.131)), (0.9, 2.5), arrowprops={"arrowstyle": "->"})
ax.annotate("global minimum", (-1.301, f(-1.301)), (-1.9, 1.0), arrowprops={"arrowstyle": "->"})
ax.set(xlabel="x", ylabel="f(x)", ylim=(-4.5, 6), title="Both start at x₀ = 2 with step 0.01")
ax.legend(loc="upper center")
fig.tight_layout()
fig.savefig("local-minimum-trajectories.svg")
# --8<-- [end:figure]
