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
    """f'(x) for f(x) = x^4 - 3x^2 + x, elementwise."""
    return 4 * x**3 - 6 * x + 1


def heavy_ball(x0, lr, beta, steps):
    """Iterates x_0, ..., x_steps of heavy-ball momentum as torch.optim.SGD does it: v <- beta v + f'(x),
    x <- x - lr v (beta = 0: plain gradient descent). x0 may be an array of independent starts."""
    x = np.asarray(x0, dtype=float)
    v = np.zeros_like(x)
    path = [x]
    for _ in range(steps):
        v = beta * v + grad(x)
        x = x - lr * v
        path.append(x)
    return np.array(path)


x0, lr, beta, steps = 2.0, 0.01, 0.9, 500
path = heavy_ball(x0, lr, beta, steps)
x = path[-1]
x_global, x_max, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)
step = np.diff(path)
slope = (path[:-1] > x_max) & (path[:-1] < x_local)  # iterates on the slope between the barrier and the local minimum
uphill = step * grad(path[:-1]) > 0  # a step along the gradient; gradient descent's -lr f'(x) never is one
passes = int(np.argmax(path < x_local))  # the first iterate left of the local minimum
n_uphill, longest = int((uphill & slope).sum()), np.abs(step).max()
print(f"momentum passes the local minimum at step {passes} moving by {step[passes - 1]:+.3f} per step")
print(f"on the slope up to the barrier: {slope.sum()} steps, {n_uphill} of them uphill")
print(f"longest step {longest:.3f}; momentum stops at x = {x:.4f}, f(x) = {x**4 - 3 * x**2 + x:.4f}")

# claim: momentum-escapes
assert abs(x - x_global) < 1e-6 and abs(grad(x)) < 1e-6  # ends at the global minimizer
assert slope.any() and np.all(uphill[slope] & (step[slope] < 0))  # climbs toward the barrier against the slope
assert np.abs(step).max() < (x_local - x_max) / 2  # in short steps: it rolls over, it does not jump
# --8<-- [end:momentum]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np


def f(x):
    return x**4 - 3 * x**2 + x


x0, lr, beta, steps = 2.0, 0.01, 0.9, 120
grid = np.linspace(-2.2, 2.2, 400)
fig, ax = plt.subplots(figsize=(7, 3.6))
ax.plot(grid, f(grid), color="0.4", lw=1.5, label="f(x) = x⁴ − 3x² + x")
ends = {}
for b, color, name in [(0.0, "C0", "gradient descent"), (beta, "C3", f"momentum β = {beta}")]:
    path = heavy_ball(x0, lr, b, steps)  # the function of the momentum block above
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

# --8<-- [start:rates]
import numpy as np

low, high, n_starts = -2.5, 2.5, 1001
lr, beta, steps, margin = 0.01, 0.9, 2000, 0.05
starts = np.linspace(low, high, n_starts)  # an even grid: no lucky seed
gd = heavy_ball(starts, lr=lr, beta=0.0, steps=steps)[-1]
mom = heavy_ball(starts, lr=lr, beta=beta, steps=steps)[-1]
gd_global, mom_global = np.abs(gd - x_global) < 1e-6, np.abs(mom - x_global) < 1e-6
gd_rate, mom_rate = gd_global.mean(), mom_global.mean()
print(f"reach the global minimum: gradient descent {gd_rate:.1%}, momentum {mom_rate:.1%}")

# claim: momentum-rate [starts=starts.size]
assert mom_rate > gd_rate + margin

harmed = starts[gd_global & (np.abs(mom - x_local) < 1e-6)]  # momentum runs past the global minimum into the local one
print(f"momentum loses the global minimum from {harmed.size} starts, x0 in [{harmed.min()}, {harmed.max()}]")
# claim: momentum-harms [starts=starts.size]
assert np.isfinite(mom).all() and harmed.size > 0 and harmed.max() < -2
assert harmed.max() < x_global  # started left of the global minimum, ended right of the barrier: ran through it

# The update x - lr f'(x) is increasing wherever lr f''(x) < 1, so gradient descent keeps the order of
# points and cannot cross a critical point: its basins are split exactly at the local maximum.
curvature_max = 12 * max(low**2, high**2) - 6  # the largest f'' on [low, high]
# claim: gd-basins [starts=starts.size]
assert lr * curvature_max < 1
assert np.array_equal(gd_global, starts < x_max) and np.all(np.abs(gd[starts > x_max] - x_local) < 1e-6)
# --8<-- [end:rates]

# --8<-- [start:fair]
import numpy as np


def ends_left(lr, beta, starts, time=40.0):
    """Which runs end in the global (left) minimum; steps scale as 1/sqrt(lr), a fixed time of the damped motion."""
    end = heavy_ball(starts, lr, beta, int(np.ceil(time / np.sqrt(lr))))[-1]
    assert np.all(np.minimum(np.abs(end - x_global), np.abs(end - x_local)) < 1e-6)  # every run has settled
    return end < x_max


s, x0, within, margin, tie_beta = 0.01, 2.0, 0.01, 0.05, 0.9  # s: the effective step, held fixed
betas = (0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99)
half_narrow, half_wide = 2.5, 3.0
starts = np.linspace(-half_wide, half_wide, 1201)  # contains the grid of 1,001 starts of the blocks above
narrow, i0 = np.abs(starts) <= half_narrow + 1e-9, np.argmin(np.abs(starts - x0))
left = {b: ends_left(s * (1 - b), b, starts) for b in betas}  # momentum with step s (1 - beta)
share = {b: (left[b][narrow].mean(), left[b].mean()) for b in betas}  # on [-2.5, 2.5] and on [-3, 3]
for b in betas:
    where = "global" if left[b][i0] else "local"
    print(
        f"beta {b:<4g} step {s * (1 - b):.4f}: global minimum from {share[b][0]:.1%} on [-2.5, 2.5], "
        f"{share[b][1]:.1%} on [-3, 3]; from x0 = {x0:g}: {where}"
    )
gd_share, tie = share[0.0], share[tie_beta]
best = [max(share[b][k] for b in betas) for k in range(2)]
escapes = [b for b in betas if left[b][i0]]

# claim: momentum-fair [starts=starts.size]
for k in range(2):  # on each interval
    assert all(share[b][k] >= share[0.0][k] for b in betas)  # never fewer global minima than plain GD
    assert best[k] > share[0.0][k] + margin  # and, at the best beta, many more
assert abs(tie[0] - gd_share[0]) < within and tie[1] > gd_share[1] + margin  # beta 0.9: tie only on [-2.5, 2.5]
assert escapes == [b for b in betas if b >= escapes[0]] and 0 < len(escapes) < len(betas)  # x0 = 2: large beta only

# Plain gradient descent with the effective step lr / (1 - beta) of momentum at lr = s, beta = 0.9.
big, unstable = s / (1 - tie_beta), 2
jump = heavy_ball(x0, big, 0.0, 1)[-1]
big_share = np.mean(np.abs(heavy_ball(starts[narrow], big, 0.0, 2000)[-1] - x_global) < 1e-6)
print(f"gradient descent, step {big:g}: first step from x0 = {x0:g} lands at {jump:.2f}; global from {big_share:.1%}")
# claim: momentum-fair
assert jump < x_max and big * (12 * x0**2 - 6) > unstable  # over the barrier in one step, an unstable one
assert big_share < mom_rate  # fewer global minima than momentum at lr = s (block rates above)
# --8<-- [end:fair]

# --8<-- [start:friction]
import numpy as np

frictions, steps_s = (1.0, 2.0, 3.0), (0.01, 0.02, 0.04)
starts = np.linspace(-3, 3, 1201)
i0, most_alike, least_apart = np.argmin(np.abs(starts - 2.0)), 0.02, 0.1
# friction a = (1 - beta) / sqrt(lr) and effective step s = lr / (1 - beta) give beta = 1 - a^2 s, lr = a^2 s^2
left = {(a, s): ends_left(a**2 * s**2, 1 - a**2 * s, starts) for a in frictions for s in steps_s}
same_a = max(np.mean(left[a, s] != left[a, steps_s[0]]) for a in frictions for s in steps_s)
same_s = min(np.mean(left[a, s] != left[b, s]) for s in steps_s for a in frictions for b in frictions if a < b)
flagship = (1 - 0.9) / np.sqrt(0.01)  # the friction of the run of claim momentum-escapes
print(f"same friction, effective steps {steps_s[0]:g} to {steps_s[-1]:g}: ending basins differ on at most {same_a:.1%}")
print(f"same effective step, different friction: they differ on at least {same_s:.1%}")
for a in frictions:
    print(f"friction {a:g}: from x0 = 2 " + ", ".join("global" if left[a, s][i0] else "local" for s in steps_s))
# Where the escape from x0 = 2 switches off: between friction 1.6 and 1.7 at every small step.
a_low, a_high = 1.6, 1.7
x0_only = starts[i0 : i0 + 1]
switch = [
    (
        ends_left(a_low**2 * s**2, 1 - a_low**2 * s, x0_only)[0],
        ends_left(a_high**2 * s**2, 1 - a_high**2 * s, x0_only)[0],
    )
    for s in steps_s
]
print(
    f"from x0 = 2, friction {a_low:g}: "
    + ", ".join("global" if lo else "local" for lo, _ in switch)
    + f"; friction {a_high:g}: "
    + ", ".join("global" if hi else "local" for _, hi in switch)
)
# A large step leaves the picture: friction 3 at effective step 0.1 jumps the barrier in its first step.
a_big, s_big = 3.0, 0.1
big_path = heavy_ball(starts[i0], a_big**2 * s_big**2, 1 - a_big**2 * s_big, 500)
jump3, big_end = big_path[1], big_path[-1]
print(
    f"friction {a_big:g}, effective step {s_big:g}: first step from x0 = 2 lands at {jump3:.2f}, ends at {big_end:.4f}"
)

# claim: momentum-friction [starts=starts.size]
assert same_a < most_alike and same_s > least_apart
assert all(left[1.0, s][i0] and not left[2.0, s][i0] and not left[3.0, s][i0] for s in steps_s)
assert abs(flagship - frictions[0]) < 1e-12  # the flagship run has the friction that escapes from x0 = 2
assert all(lo and not hi for lo, hi in switch)  # the switch lies between friction a_low and a_high
assert jump3 < x_max and abs(big_end - x_global) < 1e-6  # a large step jumps the barrier and ends global
# --8<-- [end:friction]

# --8<-- [start:torch]
import numpy as np
import torch


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
reference = heavy_ball(x0, lr, beta, steps)  # the function every momentum claim above uses
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


def final_points(optimizer_class, starts, steps, **settings):
    """Run a torch optimizer on f(x) = x^4 - 3x^2 + x from every start at once; return where each run is."""
    x = starts.clone().requires_grad_(True)
    opt = optimizer_class([x], **settings)
    for _ in range(steps):
        opt.zero_grad()
        (x**4 - 3 * x**2 + x).sum().backward()  # the starts are independent problems
        opt.step()
    return x.detach()


n_starts, steps, adam_lr, gd_lr, x0, within, tol = 1001, 500, 0.05, 0.01, 2.0, 0.01, 1e-4
x_global, x_max, x_local = np.sort(np.roots([4.0, 0.0, -6.0, 1.0]).real)  # minimum, barrier, minimum
starts = torch.linspace(-2.5, 2.5, n_starts, dtype=torch.float64)
i0 = torch.argmin((starts - x0).abs())  # the start x0 = 2


def reaches(ends, target):
    """Which runs end within tol of the target minimum (NaN and inf count as not reaching it)."""
    return (ends - target).abs() < tol


gd = final_points(torch.optim.SGD, starts, steps, lr=gd_lr)
gd_rate = reaches(gd, x_global).double().mean().item()
adam = final_points(torch.optim.Adam, starts, steps, lr=adam_lr)
adam_rate = reaches(adam, x_global).double().mean().item()
print(f"after {steps} steps, reach the global minimum: Adam {adam_rate:.1%}, gradient descent {gd_rate:.1%}")
print(f"Adam from x0 = {x0:g} ends at x = {adam[i0]:.3f}")

# claim: adam-no-escape [starts=len(starts)]
assert adam_rate <= gd_rate + within
assert reaches(adam, x_local)[i0]  # from x0 = 2: the local minimum

# Larger learning rates, with Adam's default momentum betas[0] = 0.9 and without it (betas[0] = 0).
big_lrs, default_b1, no_momentum = (0.3, 0.5), 0.9, (0.0, 0.999)
runs = {
    (lr, b1): final_points(torch.optim.Adam, starts, steps, lr=lr, betas=(b1, no_momentum[1]))
    for lr in big_lrs
    for b1 in (default_b1, no_momentum[0])
}
left = {key: (ends < x_max).double().mean().item() for key, ends in runs.items()}  # which side of the barrier
for (lr, b1), ends in runs.items():
    where = "left" if ends[i0] < x_max else "right"
    print(f"Adam lr = {lr}, betas[0] = {b1}: left of the barrier from {left[lr, b1]:.1%}; from x0 = {x0:g}: {where}")
big_rates = {lr: left[lr, default_b1] for lr in big_lrs}
plain_left = {lr: left[lr, no_momentum[0]] for lr in big_lrs}
at_minimum = {lr: reaches(runs[lr, default_b1], x_global) | reaches(runs[lr, default_b1], x_local) for lr in big_lrs}
settled = all(bool(torch.all(ok)) for ok in at_minimum.values())

# claim: adam-step-size [starts=len(starts)]
assert settled and all(rate > gd_rate + within for rate in big_rates.values())  # at a minimum, more often the global
assert big_rates[big_lrs[1]] > big_rates[big_lrs[0]]
# from x0 = 2: only the larger lr gets over the barrier
assert runs[big_lrs[0], default_b1][i0] > x_max and runs[big_lrs[1], default_b1][i0] < x_max

plain_settled = {
    lr: (reaches(runs[lr, no_momentum[0]], x_global) | reaches(runs[lr, no_momentum[0]], x_local))
    .double()
    .mean()
    .item()
    for lr in big_lrs
}
most_moving = 0.5  # without momentum, most runs are still oscillating after the steps
print("betas[0] = 0, within tol of a minimum: " + ", ".join(f"lr = {lr}: {plain_settled[lr]:.1%}" for lr in big_lrs))

# claim: adam-momentum [starts=len(starts)]
assert all(plain_settled[lr] < most_moving for lr in big_lrs)  # not settled: "end" means where they are
assert all(abs(plain_left[lr] - gd_rate) < within for lr in big_lrs)  # without momentum: gradient descent's basins
assert all(runs[lr, no_momentum[0]][i0] > x_max for lr in big_lrs)  # ...and from x0 = 2 no escape

# The same run at lr = 0.5 continued: a constant learning rate does not make Adam settle.
long_steps = 5000
late = final_points(torch.optim.Adam, starts, long_steps, lr=big_lrs[1])
late_settled = (reaches(late, x_global) | reaches(late, x_local)).double().mean().item()
late_bound = 0.9  # generous: past about a thousand steps the trajectories depend on rounding
print(f"Adam lr = {big_lrs[1]} after {long_steps} steps: fewer than {late_bound:.0%} within {tol:g} of a minimum")
# claim: adam-horizon [starts=len(starts)]
assert settled and late_settled < late_bound
# --8<-- [end:adam]
