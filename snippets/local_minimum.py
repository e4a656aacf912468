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
grid = np.linspace(-3, 3, 60001)  # an independent look: the lowest point of f on a fine grid
# claim: two-minima
assert np.abs(roots.imag).max() == 0  # three real critical points, none hidden by .real
assert np.abs(4 * critical**3 - 6 * critical + 1).max() < 1e-12  # they solve f'(x) = 0
assert curvature[0] > 0 and curvature[2] > 0 and curvature[1] < 0
assert x_global < x_max < x_local and f(x_global) < f(x_local)
assert abs(grid[np.argmin(f(grid))] - x_global) < 1e-4  # the lower minimum is the lowest point overall
# --8<-- [end:minima]

# --8<-- [start:silent]
import numpy as np
from numpy.polynomial import Polynomial

r, n = 0.1, 2001
x = np.linspace(-r, r, n)  # points around the origin, the origin itself in the middle
near = x != 0
cases = {"x^4": Polynomial([0, 0, 0, 0, 1]), "-x^4": Polynomial([0, 0, 0, 0, -1]), "x^3": Polynomial([0, 0, 0, 1])}
kinds = {}
for name, f in cases.items():
    first, second = f.deriv(1)(0.0), f.deriv(2)(0.0)
    values = f(x) - f(0.0)
    kinds[name] = (
        "strict minimum" if np.all(values[near] > 0) else "strict maximum" if np.all(values[near] < 0) else "neither"
    )
    print(f"f(x) = {name}: f'(0) = {first:g}, f''(0) = {second:g}; at the origin: {kinds[name]}")
    # claim: second-order-silent
    assert first == 0 and second == 0  # the first- and second-order tests see nothing

half_width = 1.0
t = np.linspace(-2, 2, 401)
flat = np.maximum(np.abs(t) - half_width, 0) ** 2  # zero on a whole interval, positive outside it
inside = np.abs(t) <= half_width
print(f"max(|x| - {half_width:g}, 0)^2 takes its least value {flat.min():g} at {inside.sum()} grid points")
# claim: second-order-silent
assert kinds == {"x^4": "strict minimum", "-x^4": "strict maximum", "x^3": "neither"}
assert flat.min() == 0 and np.all(flat[inside] == 0) and np.all(flat[~inside] > 0) and inside.sum() > 1
# --8<-- [end:silent]

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
x_global, _, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)  # the outer critical points
f_x, f_global = x**4 - 3 * x**2 + x, x_global**4 - 3 * x_global**2 + x_global
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
x_global, x_max, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
gd_global, mom_global = np.abs(gd - x_global) < 1e-6, np.abs(mom - x_global) < 1e-6
gd_rate, mom_rate = gd_global.mean(), mom_global.mean()
print(f"reach the global minimum: gradient descent {gd_rate:.1%}, momentum {mom_rate:.1%}")

# claim: momentum-rate [starts=starts.size]
assert mom_rate > gd_rate + margin

harmed = starts[gd_global & (np.abs(mom - x_local) < 1e-6)]  # momentum overshoots into the local minimum
print(f"momentum loses the global minimum from {harmed.size} starts, x0 in [{harmed.min()}, {harmed.max()}]")
# claim: momentum-harms [starts=starts.size]
assert np.isfinite(mom).all() and harmed.size > 0 and harmed.max() < -2

# The update x - lr f'(x) is increasing wherever lr f''(x) < 1, so gradient descent keeps the order of
# points and cannot cross a critical point: its basins are split exactly at the local maximum.
curvature_max = 12 * max(low**2, high**2) - 6  # the largest f'' on [low, high]
# claim: gd-basins [starts=starts.size]
assert lr * curvature_max < 1
assert np.array_equal(gd_global, starts < x_max) and np.all(np.abs(gd[starts > x_max] - x_local) < 1e-6)
# --8<-- [end:rates]

# --8<-- [start:fair]
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


low, high, n_starts, x0 = -2.5, 2.5, 1001, 2.0
lr, beta, steps, within = 0.01, 0.9, 2000, 0.01
effective = lr / (1 - beta)  # how far momentum moves per unit gradient once its velocity has built up
starts = np.linspace(low, high, n_starts)
i0 = np.argmin(np.abs(starts - x0))  # the start x0 = 2
x_global, _, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
runs = {  # name: (step, beta); each pair of rows shares one effective step
    "gradient descent, step lr": (lr, 0.0),
    "momentum, step lr (1 - beta)": (lr * (1 - beta), beta),
    "gradient descent, step lr / (1 - beta)": (effective, 0.0),
    "momentum, step lr": (lr, beta),
}
ends = {name: momentum_descent(starts, step, b, steps) for name, (step, b) in runs.items()}
rate = {name: np.mean(np.abs(e - x_global) < 1e-6) for name, e in ends.items()}
for name, e in ends.items():
    where = "global" if abs(e[i0] - x_global) < 1e-6 else "local" if abs(e[i0] - x_local) < 1e-6 else "neither"
    print(f"{name:39s} reaches the global minimum from {rate[name]:.1%}; from x0 = {x0:g}: {where}")
gd_small, mom_small, gd_big, mom_big = (rate[name] for name in runs)

# claim: momentum-fair [starts=starts.size]
assert all(np.isfinite(e).all() for e in ends.values())
assert abs(ends["gradient descent, step lr / (1 - beta)"][i0] - x_global) < 1e-6  # the larger step escapes too
assert abs(ends["momentum, step lr (1 - beta)"][i0] - x_local) < 1e-6  # equal effective step: no escape
assert abs(mom_small - gd_small) < within  # ...and no more global minima than plain GD
assert mom_big > gd_big  # at the same lr, momentum still does better than GD at its effective step
# --8<-- [end:fair]

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
import numpy as np
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


n_starts, adam_lr, gd_lr, x0, within, tol = 1001, 0.05, 0.01, 2.0, 0.01, 1e-4
x_global, _, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)  # the two minima
starts = torch.linspace(-2.5, 2.5, n_starts, dtype=torch.float64)
i0 = torch.argmin((starts - x0).abs())  # the start x0 = 2


def reaches(ends, target):
    """Which runs end within tol of the target minimum (NaN and inf count as not reaching it)."""
    return (ends - target).abs() < tol


gd = final_points(torch.optim.SGD, starts, lr=gd_lr)
gd_rate = reaches(gd, x_global).double().mean().item()
adam = final_points(torch.optim.Adam, starts, lr=adam_lr)
adam_rate = reaches(adam, x_global).double().mean().item()
print(f"reach the global minimum: Adam {adam_rate:.1%}, gradient descent {gd_rate:.1%}")
print(f"Adam from x0 = {x0:g} ends at x = {adam[i0]:.3f}")

# claim: adam-no-escape [starts=len(starts)]
assert adam_rate <= gd_rate + within
assert reaches(adam, x_local)[i0]  # from x0 = 2: the local minimum

# A larger learning rate: Adam's first step is lr in the direction of -sign(f'(x0)), whatever the gradient's size.
big_lrs = (0.3, 0.5)
big = {lr: final_points(torch.optim.Adam, starts, lr=lr) for lr in big_lrs}
big_rates = {lr: reaches(ends, x_global).double().mean().item() for lr, ends in big.items()}
for lr, rate in big_rates.items():
    print(f"Adam lr = {lr}: global minimum from {rate:.1%} of starts; from x0 = {x0:g} ends at {big[lr][i0]:.3f}")
# claim: adam-step-size [starts=len(starts)]
assert all(rate > gd_rate + within for rate in big_rates.values())
assert big_rates[big_lrs[1]] > big_rates[big_lrs[0]] and reaches(big[big_lrs[1]], x_global)[i0]
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
