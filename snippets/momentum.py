# Code of the Momentum page (docs/momentum.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.
# Run this file as a script to run them all and write the page's figure.

# --8<-- [start:velocity]
import numpy as np


def momentum_moves(grads: np.ndarray, lr: float, beta: float) -> np.ndarray:
    """The moves -lr * b_t of heavy-ball momentum, b_t = beta * b_(t-1) + g_t, for given gradients g_t."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    if not 0 <= beta < 1:
        raise ValueError(f"beta must lie in [0, 1), got beta={beta!r}")
    b, moves = np.zeros_like(grads[0]), []
    for g in grads:
        b = beta * b + g  # the velocity: PyTorch's momentum buffer
        moves.append(-lr * b)
    return np.array(moves)


rng = np.random.default_rng(0)
lr, steps, sequences, dim, tolerance, fraction = 0.1, 400, 20, 3, 1e-12, 0.9
betas = [0.0, 0.5, 0.9, 0.99]
shown_betas = ", ".join(f"{b:g}" for b in betas)
t = np.arange(steps)
lag = t[:, None] - t[None, :]  # t - k
reach = {}
for beta in betas:
    # Any gradients: the move is -lr / (1 - beta) times the exponential moving average of them,
    # EMA_t = sum_k (1 - beta) beta^(t - k) g_k over k <= t.
    grads = rng.standard_normal((steps, sequences, dim))  # random sequences of gradients
    weights = np.where(lag >= 0, (1 - beta) * beta ** np.maximum(lag, 0), 0.0)
    ema = np.einsum("tk,kij->tij", weights, grads)
    gap = np.abs(momentum_moves(grads, lr, beta) + lr / (1 - beta) * ema).max()
    # A constant slope g: the speed, in units of plain gradient descent's step lr * |g|.
    slopes = rng.standard_normal(dim)
    speed = np.abs(momentum_moves(np.tile(slopes, (steps, 1)), lr, beta)) / (lr * np.abs(slopes))
    terminal = 1 / (1 - beta)
    reach[beta] = int(np.argmax(speed[:, 0] >= fraction * terminal)) + 1  # first step at that speed
    predicted = int(np.ceil(np.log(1 - fraction) / np.log(beta))) if beta > 0 else 1
    print(
        f"beta = {beta:4.2f}: terminal speed {terminal:5.1f} x the plain step, "
        f"{fraction:.0%} of it after {reach[beta]:3d} steps"
    )

    # claim: momentum-velocity [sequences=sequences steps=steps]
    assert gap < tolerance  # the move is -lr/(1-beta) * EMA of the gradients, absolutely
    assert np.allclose(speed, ((1 - beta ** (t + 1)) / (1 - beta))[:, None], rtol=tolerance, atol=0)
    assert speed[reach[beta] - 1, 0] >= fraction * terminal and reach[beta] == predicted
# --8<-- [end:velocity]

# --8<-- [start:velocity-torch]
import numpy as np
import torch


def torch_speeds(slopes: torch.Tensor, lr: float, beta: float, steps: int) -> np.ndarray:
    """Each move of torch.optim.SGD(momentum=beta) on f(x) = slopes . x, over the plain step -lr * slopes:
    positive when the move goes downhill, as the plain step does."""
    x = torch.zeros_like(slopes, requires_grad=True)
    opt = torch.optim.SGD([x], lr=lr, momentum=beta)
    speeds = []
    for _ in range(steps):
        before = x.detach().clone()
        opt.zero_grad()
        (slopes * x).sum().backward()
        opt.step()
        speeds.append(((x.detach() - before) / (-lr * slopes)).cpu().numpy())  # signed: direction checked too
    return np.array(speeds)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
lr, steps, tolerance = 0.1, 100, 1e-12
betas = [0.0, 0.5, 0.9, 0.99]
shown_betas = ", ".join(f"{b:g}" for b in betas)
t = np.arange(1, steps + 1)
share = {}  # the last move as a share of the terminal speed 1 / (1 - beta), on the CPU
for device in devices:
    slopes = torch.randn(3, generator=torch.Generator().manual_seed(0), dtype=torch.float64).to(device)
    for beta in betas:
        speed = torch_speeds(slopes, lr, beta, steps)
        if device == "cpu":  # every device is checked; the page shows the CPU's numbers
            share[beta] = speed[-1, 0] * (1 - beta)
            print(f"beta = {beta:4.2f}: after {steps} steps each move is {speed[-1, 0]:5.1f} x the plain step")
        # claim: momentum-velocity-torch [devices=devices steps=steps]
        assert np.allclose(speed, ((1 - beta**t) / (1 - beta))[:, None], rtol=tolerance, atol=0)
        assert speed.shape == (steps, slopes.numel())  # every step, every coordinate
# --8<-- [end:velocity-torch]

# --8<-- [start:dampening]
import numpy as np
import torch


def sgd_moves(grads: np.ndarray, lr: float, beta: float, dampening: float, device: str) -> np.ndarray:
    """Moves of torch.optim.SGD(momentum=beta, dampening=dampening) fed the gradients g_t (one row per step)."""
    x = torch.zeros(grads.shape[1], dtype=torch.float64, device=device, requires_grad=True)
    opt = torch.optim.SGD([x], lr=lr, momentum=beta, dampening=dampening)
    moves = []
    for g in grads:
        before = x.detach().clone()
        x.grad = torch.tensor(g, device=device)  # the gradient of f_t(x) = g_t . x
        opt.step()
        moves.append((x.detach() - before).cpu().numpy())
    return np.array(moves)


def quadratic_moves(
    curv: np.ndarray, x0: np.ndarray, lr: float, beta: float, dampening: float, steps: int
) -> np.ndarray:
    """Moves of torch.optim.SGD(momentum=beta, dampening=dampening) on f = sum curv x^2 / 2 (CPU), where
    each gradient depends on where the earlier moves led."""
    x, c = torch.tensor(x0, requires_grad=True), torch.tensor(curv)
    opt = torch.optim.SGD([x], lr=lr, momentum=beta, dampening=dampening)
    moves = []
    for _ in range(steps):
        before = x.detach().clone()
        opt.zero_grad()
        (c * x**2 / 2).sum().backward()
        opt.step()
        moves.append((x.detach() - before).numpy())
    return np.array(moves)


def average_from_first(grads: np.ndarray, beta: float) -> np.ndarray:
    """e_0 = g_0, e_t = beta e_(t-1) + (1 - beta) g_t: a moving average that starts at the first gradient."""
    e, averages = grads[0], [grads[0]]
    for g in grads[1:]:
        e = beta * e + (1 - beta) * g
        averages.append(e)
    return np.array(averages)


rng = np.random.default_rng(3)
lr, beta, steps, dim, tolerance = 0.1, 0.9, 200, 5, 1e-12
grads = rng.standard_normal((steps, dim))
slope = rng.standard_normal(dim)
t = np.arange(steps)[:, None]
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    damped = sgd_moves(grads, lr, beta, dampening=beta, device=device)
    undamped = sgd_moves(grads, lr * (1 - beta), beta, dampening=0.0, device=device)
    flat = np.abs(sgd_moves(np.tile(slope, (steps, 1)), lr, beta, beta, device)) / (lr * np.abs(slope))
    first = lr * beta ** (t + 1) * grads[0]  # what the first gradient adds to the undamped moves
    if device == "cpu":
        print(f"dampening = {beta}: on a constant slope each move is {flat.min():.3f} to {flat.max():.3f} x lr |g|")
    # claim: momentum-dampening [devices=devices steps=steps]
    assert np.abs(damped + lr * average_from_first(grads, beta)).max() < tolerance
    assert np.abs(flat - 1).max() < tolerance  # no build-up: the plain step from the first move on
    assert np.abs(damped - (undamped - first)).max() < tolerance

# On a real objective the gradients depend on the moves, so r_t changes every later gradient too:
curv, x0, apart = np.array([0.5, 1.0, 2.0, 4.0]), rng.standard_normal(4), 0.1
damped = quadratic_moves(curv, x0, lr, beta, beta, steps)
undamped = quadratic_moves(curv, x0, lr * (1 - beta), beta, 0.0, steps)
drift = np.abs(damped - (undamped - lr * beta ** (t + 1) * curv * x0)).max() / np.abs(damped).max()
print(f"on a quadratic the moves differ, after subtracting r_t, by {drift:.0%} of the largest move")
# claim: momentum-dampening
assert drift > apart  # the equivalence holds only for gradients fixed in advance
# --8<-- [end:dampening]

# --8<-- [start:forms]
import numpy as np


def check(lr: float, beta: float) -> None:
    """Refuse settings under which the methods mean nothing: lr must be positive, 0 <= beta < 1."""
    if not 0 < lr < np.inf:
        raise ValueError(f"lr must be a finite positive step size, got lr={lr!r}")
    if not 0 <= beta < 1:
        raise ValueError(f"beta must lie in [0, 1), got beta={beta!r}")


def heavy_ball(curv: np.ndarray, x0: np.ndarray, lr: float, beta: float, steps: int) -> np.ndarray:
    """Polyak's form on f = sum curv x^2 / 2: x_(t+1) = x_t - lr f'(x_t) + beta (x_t - x_(t-1))."""
    check(lr, beta)
    x_prev, x, path = x0, x0, [x0]
    for _ in range(steps):
        x, x_prev = x - lr * curv * x + beta * (x - x_prev), x
        path.append(x)
    return np.array(path)


def nesterov(curv: np.ndarray, x0: np.ndarray, lr: float, beta: float, steps: int) -> np.ndarray:
    """Nesterov's form: y_t = x_t + beta (x_t - x_(t-1)), x_(t+1) = y_t - lr f'(y_t); returns the y_t."""
    check(lr, beta)
    x_prev, x, lookahead = x0, x0, []
    for _ in range(steps + 1):
        y = x + beta * (x - x_prev)
        lookahead.append(y)
        x, x_prev = y - lr * curv * y, x
    return np.array(lookahead)


def buffer_form(curv: np.ndarray, x0: np.ndarray, lr: float, beta: float, steps: int, lookahead: bool) -> np.ndarray:
    """The velocity form: b = beta b + g; x -= lr b (heavy ball) or x -= lr (g + beta b) (Nesterov)."""
    check(lr, beta)
    x, b, path = x0, np.zeros_like(x0), [x0]
    for _ in range(steps):
        g = curv * x
        b = beta * b + g
        x = x - lr * (g + beta * b if lookahead else b)
        path.append(x)
    return np.array(path)


def qhm(curv: np.ndarray, x0: np.ndarray, lr: float, beta: float, nu: float, steps: int) -> np.ndarray:
    """Quasi-hyperbolic momentum (Ma & Yarats): e = beta e + (1 - beta) g; x -= lr ((1 - nu) g + nu e)."""
    check(lr, beta)
    x, e, path = x0, np.zeros_like(x0), [x0]
    for _ in range(steps):
        g = curv * x
        e = beta * e + (1 - beta) * g
        x = x - lr * ((1 - nu) * g + nu * e)
        path.append(x)
    return np.array(path)


# Random quadratics with curvatures from mu = 1 to L = 100 (both present in each problem).
problems, dim, mu, L = 20, 10, 1.0, 100.0
rng = np.random.default_rng(1)
curv = np.exp(rng.uniform(np.log(mu), np.log(L), (problems, dim)))
curv[:, :2] = [mu, L]
x0 = rng.uniform(-1, 1, (problems, dim))
lr, beta, steps, tolerance, apart, hb_nu = 0.01, 0.9, 300, 1e-12, 1e-2, 1.0  # hb_nu: QHM's heavy ball
polyak, lookahead = heavy_ball(curv, x0, lr, beta, steps), nesterov(curv, x0, lr, beta, steps)
for name, path in [("heavy ball", polyak), ("Nesterov", lookahead)]:
    print(f"{name:10s}: largest |x| after {steps} steps = {np.abs(path[-1]).max():.1e}")

# claim: momentum-forms [problems=len(curv) steps=steps]
assert polyak.shape == lookahead.shape == (steps + 1, problems, dim)  # every step of every problem
assert np.abs(polyak - buffer_form(curv, x0, lr, beta, steps, lookahead=False)).max() < tolerance
assert np.abs(lookahead - buffer_form(curv, x0, lr, beta, steps, lookahead=True)).max() < tolerance
assert np.abs(lookahead - polyak).max() > apart  # the two methods are not the same
# Quasi-hyperbolic momentum at the rate lr / (1 - beta): nu = beta is Nesterov's method, nu = 1 heavy ball.
assert np.abs(lookahead - qhm(curv, x0, lr / (1 - beta), beta, beta, steps)).max() < tolerance
assert np.abs(polyak - qhm(curv, x0, lr / (1 - beta), beta, hb_nu, steps)).max() < tolerance
# --8<-- [end:forms]

# --8<-- [start:forms-torch]
import numpy as np
import torch


def torch_path(curv: torch.Tensor, x0: torch.Tensor, lr: float, beta: float, steps: int, nesterov: bool) -> np.ndarray:
    """Every iterate of torch.optim.SGD(momentum=beta, nesterov=...) on f = sum curv x^2 / 2."""
    x = x0.clone().requires_grad_(True)
    opt = torch.optim.SGD([x], lr=lr, momentum=beta, nesterov=nesterov)
    path = [x0.cpu().numpy()]
    for _ in range(steps):
        opt.zero_grad()
        (curv * x**2 / 2).sum().backward()
        opt.step()
        path.append(x.detach().cpu().numpy().copy())
    return np.array(path)


def paper_forms(curv: np.ndarray, x0: np.ndarray, lr: float, beta: float, steps: int) -> tuple:
    """Polyak's heavy-ball iterates x_t and Nesterov's look-ahead points y_t, in numpy."""
    hb, hb_prev, x, x_prev = x0, x0, x0, x0
    hb_path, lookahead = [x0], [x0]
    for _ in range(steps):
        hb, hb_prev = hb - lr * curv * hb + beta * (hb - hb_prev), hb
        y = x + beta * (x - x_prev)
        x, x_prev = y - lr * curv * y, x
        hb_path.append(hb)
        lookahead.append(x + beta * (x - x_prev))
    return np.array(hb_path), np.array(lookahead)


problems, dim, mu, L = 20, 10, 1.0, 100.0  # the same quadratics as the numpy tab
rng = np.random.default_rng(1)
curv = np.exp(rng.uniform(np.log(mu), np.log(L), (problems, dim)))
curv[:, :2] = [mu, L]
x0 = rng.uniform(-1, 1, (problems, dim))
lr, beta, steps, tolerance = 0.01, 0.9, 300, 1e-12
polyak, lookahead = paper_forms(curv, x0, lr, beta, steps)
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    c, start = torch.tensor(curv, device=device), torch.tensor(x0, device=device)
    sgd = torch_path(c, start, lr, beta, steps, nesterov=False)
    nag = torch_path(c, start, lr, beta, steps, nesterov=True)
    if device == "cpu":
        for name, path in [("heavy ball", sgd), ("Nesterov", nag)]:
            print(f"{name:10s}: largest |x| after {steps} steps = {np.abs(path[-1]).max():.1e}")
    # claim: momentum-forms-torch [devices=devices problems=len(curv) steps=steps]
    assert sgd.shape == nag.shape == polyak.shape == (steps + 1, problems, dim)
    assert np.abs(sgd - polyak).max() < tolerance
    assert np.abs(nag - lookahead).max() < tolerance
# --8<-- [end:forms-torch]

# --8<-- [start:lr-drop]
import numpy as np
import torch


def moves_pytorch_form(slope: float, lrs: np.ndarray, beta: float) -> np.ndarray:
    """Moves of b <- beta b + g, x <- x - lr_t b on f(x) = slope * x (the lr multiplies at use)."""
    b, moves = 0.0, []
    for lr in lrs:
        b = beta * b + slope
        moves.append(-lr * b)
    return np.array(moves)


def moves_sutskever_form(slope: float, lrs: np.ndarray, beta: float) -> np.ndarray:
    """Moves of v <- beta v - lr_t g, x <- x + v (Sutskever et al. 2013: the lr is stored in v)."""
    v, moves = 0.0, []
    for lr in lrs:
        v = beta * v - lr * slope
        moves.append(v)
    return np.array(moves)


def torch_moves(slope: float, lrs: np.ndarray, beta: float, device: str) -> np.ndarray:
    """Moves of torch.optim.SGD(momentum=beta) when its lr is changed between steps."""
    x = torch.zeros((), dtype=torch.float64, device=device, requires_grad=True)
    opt, moves = torch.optim.SGD([x], lr=float(lrs[0]), momentum=beta), []
    for lr in lrs:
        opt.param_groups[0]["lr"] = float(lr)
        before = x.item()
        opt.zero_grad()
        (slope * x).backward()
        opt.step()
        moves.append(x.item() - before)
    return np.array(moves)


beta, slope, lr, drop, n_before, n_after = 0.9, 1.0, 0.1, 10, 100, 30
tolerance, within = 1e-12, 1e-3
lrs = np.r_[np.full(n_before, lr), np.full(n_after, lr / drop)]  # the learning rate drops after n_before steps
ours, sutskever = moves_pytorch_form(slope, lrs, beta), moves_sutskever_form(slope, lrs, beta)
after_pytorch = ours[n_before] / ours[n_before - 1]
after_sutskever = sutskever[n_before] / sutskever[n_before - 1]
print(f"move after the drop / move before: PyTorch's form {after_pytorch:.3f}, Sutskever's form {after_sutskever:.3f}")
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
# claim: momentum-lr-drop [devices=devices]
assert np.allclose(ours[:n_before], sutskever[:n_before], rtol=tolerance, atol=0)  # same moves at a constant lr
assert abs(after_pytorch - 1 / drop) < within  # the move shrinks drop-fold at once...
assert abs(after_sutskever - (beta + (1 - beta) / drop)) < within  # ...or only the new gradient's share does
for device in devices:
    assert np.allclose(torch_moves(slope, lrs, beta, device), ours, rtol=tolerance, atol=0)
# --8<-- [end:lr-drop]

# --8<-- [start:stability]
import numpy as np


def spectral_radius(h: np.ndarray, beta: np.ndarray, nesterov: bool) -> np.ndarray:
    """Per-step factor on f = lam x^2 / 2 at h = lr * lam: the larger root of z^2 - a1 z + a0."""
    a1 = (1 - h) * (1 + beta) if nesterov else 1 + beta - h
    a0 = (1 - h) * beta if nesterov else beta + 0 * h
    root = np.sqrt(a1**2 - 4 * a0 + 0j)
    return np.maximum(np.abs(a1 + root), np.abs(a1 - root)) / 2


def measured_factor(h: np.ndarray, beta: np.ndarray, nesterov: bool, steps: int) -> np.ndarray:
    """Run both methods from x_0 = x_(-1) = 1 and return the geometric-mean shrink factor per step."""
    h, beta = np.broadcast_arrays(h, beta)
    x_prev, x, log_size = np.ones(h.shape), np.ones(h.shape), np.zeros(h.shape)
    for _ in range(steps):
        y = x + beta * (x - x_prev) if nesterov else x  # Nesterov takes the gradient at the look-ahead
        x, x_prev = y - h * y + (0 if nesterov else beta * (x - x_prev)), x
        size = np.maximum(np.hypot(x, x_prev), 1e-300)  # renormalize so that diverging runs do not overflow
        log_size += np.log(size)
        x, x_prev = x / size, x_prev / size
    return np.exp(log_size / steps)


beta = np.array([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.99])[:, None]
shown_betas = ", ".join(f"{b:g}" for b in beta[:, 0])
h = np.geomspace(0.02, 8.0, 160)[None, :]  # lr * curvature
steps, band, rtol = 2000, 0.02, 0.01
edges = {False: 2 * (1 + beta), True: 2 * (1 + beta) / (1 + 2 * beta)}
rows = [0, 3, 5]  # the betas the output shows
for nesterov, name in [(False, "heavy ball"), (True, "Nesterov")]:
    rho, measured = spectral_radius(h, beta, nesterov), measured_factor(h, beta, nesterov, steps)
    edge = edges[nesterov]
    inside, outside = h < (1 - band) * edge, h > (1 + band) * edge
    at = ", ".join(f"{b:g}" for b in beta[rows, 0])
    print(f"{name:10s}: largest stable lr * curvature at beta = {at}: {', '.join(f'{e:.3f}' for e in edge[rows, 0])}")
    # claim: momentum-stability [settings=h.size*beta.size]
    assert np.all(inside.sum(axis=1) > 0) and np.all(outside.sum(axis=1) > 0)  # both sides tested, every beta
    assert np.all(measured[inside] < 1) and np.all(measured[outside] > 1)
    assert np.all(rho[inside] < 1) and np.all(rho[outside] > 1)
    assert np.allclose(measured, rho, rtol=rtol, atol=0)  # the run's factor is the spectral radius
# --8<-- [end:stability]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np


def spectral_radius(h: np.ndarray, beta: float, nesterov: bool) -> np.ndarray:
    """Per-step factor on f = lam x^2 / 2 at h = lr * lam: the larger root of z^2 - a1 z + a0."""
    a1 = (1 - h) * (1 + beta) if nesterov else 1 + beta - h
    a0 = (1 - h) * beta if nesterov else beta + 0 * h
    root = np.sqrt(a1**2 - 4 * a0 + 0j)
    return np.maximum(np.abs(a1 + root), np.abs(a1 - root)) / 2


beta = 0.9
h = np.linspace(0.001, 4.5, 4500)
curves = {
    "gradient descent": (0.0, False, "C0"),
    f"heavy ball, β = {beta}": (beta, False, "C3"),
    f"Nesterov, β = {beta}": (beta, True, "C2"),
}
rho = {name: spectral_radius(h, b, nesterov) for name, (b, nesterov, _) in curves.items()}
crossing = {name: h[np.argmax(r > 1)] for name, r in rho.items()}  # where each curve first exceeds 1
fig, ax = plt.subplots(figsize=(7, 3.8))
for name, (_, _, color) in curves.items():
    ax.plot(h, rho[name], color=color, lw=1.8, label=name)
    ax.axvline(crossing[name], color=color, ls=":", lw=1)
ax.axhline(1, color="0.3", lw=0.8)
ax.axhline(np.sqrt(beta), color="C3", ls="--", lw=0.8)
ax.annotate(f"heavy ball never below √β ≈ {np.sqrt(beta):.3f}", (2.9, np.sqrt(beta)), (2.1, 0.7), arrowprops={})
ax.set(xlabel="learning rate × curvature (ηλ)", ylabel="shrink factor per step", ylim=(0, 1.6), xlim=(0, 4.5))
ax.set_title("Above 1 the run diverges; dotted lines: the largest stable ηλ")
ax.legend(loc="upper left")
fig.tight_layout()
fig.savefig("momentum-factor.svg")

# What the figure's description says, checked on its own curves.
gd, hb, nag = rho.values()
gd_cross, hb_cross, nag_cross = crossing.values()
flat_low, flat_high = (1 - np.sqrt(beta)) ** 2, (1 + np.sqrt(beta)) ** 2  # heavy ball's complex roots
one = np.array([1.0])
assert spectral_radius(one, 0.0, False)[0] == 0 and spectral_radius(one, beta, True)[0] == 0  # both reach 0 at 1
assert np.all(np.diff(gd[h < 1]) < 0) and np.all(np.diff(gd[h > 1]) > 0)  # gradient descent: a V
flat = (h > flat_low) & (h < flat_high)
assert np.allclose(hb[flat], np.sqrt(beta), rtol=1e-12) and np.all(hb >= np.sqrt(beta) * (1 - 1e-12))
spacing = 1.5 * (h[1] - h[0])  # a crossing is found to within one grid step
assert abs(gd_cross - 2) <= spacing and abs(hb_cross - 2 * (1 + beta)) <= spacing
assert abs(nag_cross - 2 * (1 + beta) / (1 + 2 * beta)) <= spacing
# --8<-- [end:figure]

# --8<-- [start:not-faster]
import numpy as np


def steps_to_shrink(curv: np.ndarray, x0: np.ndarray, lr: np.ndarray, beta: float, tol: float, cap: int) -> np.ndarray:
    """Steps until heavy ball's |x_t| / |x_0| < tol on f = sum curv x^2 / 2, per lr and problem (cap if never)."""
    x_prev = x = np.broadcast_to(x0, lr.shape + x0.shape).copy()
    lr = lr[(...,) + (None,) * x0.ndim]
    norm0 = np.linalg.norm(x0, axis=-1)
    done = np.full(x.shape[:-1], cap)
    for t in range(1, cap + 1):
        x, x_prev = x - lr * curv * x + beta * (x - x_prev), x
        done = np.where((done == cap) & (np.linalg.norm(x, axis=-1) < tol * norm0), t, done)
    return done


# Random quadratics, well conditioned: curvatures from mu = 1 to L = 10 (both present in each problem).
problems, dim, mu, L = 20, 10, 1.0, 10.0
rng = np.random.default_rng(2)
curv = rng.uniform(mu, L, (problems, dim))
curv[:, :2] = [mu, L]
x0 = rng.uniform(-1, 1, (problems, dim))
beta, shrink, cap, factor, floor_share, n_lrs = 0.9, 1e8, 2000, 2, 0.9, 60
best_step = 2 / (L + mu)  # gradient descent's best fixed step
gd = steps_to_shrink(curv, x0, np.array([best_step]), beta=0.0, tol=1 / shrink, cap=cap)[0]
edge = 2 * (1 + beta) / L  # heavy ball is stable for lr < edge on every problem
lrs = np.linspace(0, edge, n_lrs + 1)[1:] - 1e-4  # an even grid of the stable learning rates
hb = steps_to_shrink(curv, x0, lrs, beta=beta, tol=1 / shrink, cap=cap)
best = hb.min(axis=0)  # heavy ball at its best lr for each problem
print(
    f"steps to shrink the error 1e{np.log10(shrink):.0f}-fold: gradient descent {np.median(gd):.0f}, "
    f"heavy ball beta = {beta} at its best lr {np.median(best):.0f} (medians)"
)
floor = np.log(shrink) / np.log(1 / np.sqrt(beta))  # steps implied by a factor of sqrt(beta) per step
kappa = L / mu
kappa_even = (1 + np.sqrt(beta)) / (1 - np.sqrt(beta))  # below it, (kappa-1)/(kappa+1) < sqrt(beta)
polyak_beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2  # Polyak's tuned beta for this kappa
# claim: momentum-not-always-faster [problems=len(curv) lrs=lrs.size]
assert np.all(gd < cap) and np.all(best > factor * gd)  # for every problem, at heavy ball's best lr
assert lrs.max() < edge and edge - lrs.max() < lrs[1] - lrs[0]  # the grid spans the stable range
assert np.all(best >= floor_share * floor)
assert (kappa - 1) / (kappa + 1) < np.sqrt(beta) and kappa < kappa_even  # why: gd's factor is the smaller
# --8<-- [end:not-faster]

# --8<-- [start:cycle]
import numpy as np


def grad(x: np.ndarray) -> np.ndarray:
    """f'(x) of Lessard et al.'s function: slopes 25, 1, 25 on (-inf, 1), [1, 2), [2, inf); f'(0) = 0."""
    return np.where(x < 1, 25 * x, np.where(x < 2, x + 24, 25 * x - 24))


def heavy_ball(x0: float, lr: float, beta: float, steps: int) -> np.ndarray:
    """Every iterate of x_(t+1) = x_t - lr f'(x_t) + beta (x_t - x_(t-1)), from x_(-1) = x_0."""
    x_prev, x, path = x0, x0, [x0]
    for _ in range(steps):
        x, x_prev = x - lr * grad(x) + beta * (x - x_prev), x
        path.append(x)
    return np.array(path)


mu, L, x0, steps, period, repeat = 1.0, 25.0, 3.3, 3000, 3, 1e-9
lr = 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2  # Polyak's tuning for a quadratic with curvatures in [mu, L]
beta = ((np.sqrt(L) - np.sqrt(mu)) / (np.sqrt(L) + np.sqrt(mu))) ** 2
path = heavy_ball(x0, lr, beta, steps)
tail = path[-30:]
cycle = np.sort(tail[:period])
closest = np.abs(tail).min()
print(f"lr = {lr:.4f}, beta = {beta:.4f}: the last iterates cycle through {np.round(cycle, 4)}")

# f is mu-strongly convex and L-smooth: every difference quotient of f' lies in [mu, L].
grid = np.linspace(-10, 10, 20001)
slopes = np.diff(grad(grid)) / np.diff(grid)
# On a quadratic with any curvature in [mu, L], the same lr and beta converge at this factor per step:
lam = np.linspace(mu, L, 2001)
rates = [np.abs(np.roots([1, -(1 + beta - lr * c), beta])).max() for c in lam]
rate = max(rates)
# claim: momentum-polyak-cycle
assert slopes.min() >= mu - 1e-9 and slopes.max() <= L + 1e-9
assert rate < 1 and abs(rate - (np.sqrt(L / mu) - 1) / (np.sqrt(L / mu) + 1)) < 1e-6
assert np.abs(tail[period:] - tail[:-period]).max() < repeat  # it repeats the same points...
assert np.abs(tail[1:] - tail[:-1]).min() > 0.1 and closest > 0.5  # ...which are distinct, away from 0

# Not from every start: many evenly spaced starts x_0 = x_(-1), each run to the same number of steps.
starts = np.linspace(-10, 10, 400)
tails = heavy_ball(starts, lr, beta, steps)[-30:]
converged = np.abs(tails).max(axis=0) < repeat  # at the minimum
cycling = (np.abs(tails[period:] - tails[:-period]).max(axis=0) < repeat) & (np.abs(tails).min(axis=0) > 0.5)
span = f"[{starts.min():g}, {starts.max():g}]"
print(f"from {starts.size} starts in {span}: {cycling.sum()} cycle, {converged.sum()} converge")
same_points = np.abs(np.sort(tails[-period:, cycling], axis=0) - cycle[:, None]).max()  # its last three points
# claim: momentum-polyak-cycle
assert np.all(converged | cycling) and cycling.any() and converged.any()  # every start does one or the other
assert same_points < repeat  # every cycling start ends on the same three points as the run above
# --8<-- [end:cycle]

# --8<-- [start:nesterov-rate]
from collections.abc import Callable

import numpy as np

Fn = Callable[[np.ndarray], np.ndarray]


def gap_per_step(f: Fn, grad: Fn, x0: np.ndarray, L: float, steps: int, accelerated: bool) -> np.ndarray:
    """f(x_k) - f* (f* = 0) for k = 1..steps, elementwise on separable problems, by gradient descent with
    step 1/L or by Nesterov's method with the momentum (t_k - 1) / t_(k+1) of Beck and Teboulle's FISTA."""
    x, y, t, gaps = x0, x0, 1.0, []
    for _ in range(steps):
        x_new = y - grad(y) / L
        t_new = (1 + np.sqrt(1 + 4 * t * t)) / 2
        y = x_new + (t - 1) / t_new * (x_new - x) if accelerated else x_new
        x, t = x_new, t_new
        gaps.append(f(x))
    return np.array(gaps)


L, smallest, steps, at_least = 1.0, 1e-6, 1000, 100
k = np.arange(1, steps + 1)[:, None]
# Many convex L-smooth problems, each with minimizer 0 and f* = 0, every coordinate its own problem:
lam = np.geomspace(smallest, L, 200)  # quadratics lam x^2 / 2 from x_0 = 1, nearly flat to steepest
starts = np.array([1.0, 3.0, 10.0, 30.0, 100.0])  # and the non-quadratic sqrt(1 + x^2) - 1 (f'' <= 1 = L)
problems = {
    "quadratic": (lambda x: lam * x**2 / 2, lambda x: lam * x, np.ones_like(lam)),
    "pseudo-Huber": (lambda x: np.sqrt(1 + x**2) - 1, lambda x: x / np.sqrt(1 + x**2), starts),
}
held, rises = 0, 0  # problems on which both bounds hold at every step; on which Nesterov's f - f* rises
for name, (f, grad, x0) in problems.items():
    gd = gap_per_step(f, grad, x0, L, steps, accelerated=False)
    nag = gap_per_step(f, grad, x0, L, steps, accelerated=True)
    gd_ok = np.all(gd <= L * x0**2 / (2 * k), axis=0)  # Beck & Teboulle (2009), Theorem 3.1: O(1/k)
    nag_ok = np.all(nag <= 2 * L * x0**2 / (k + 1) ** 2, axis=0)  # Theorem 4.4: O(1/k^2)
    held += int((gd_ok & nag_ok).sum())
    rises += int(np.any(np.diff(nag, axis=0) > 0, axis=0).sum())  # Nesterov's f - f* goes up at some step
    if name == "quadratic":  # all 200 curvatures together: one problem in 200 dimensions
        ratio = gd[-1].sum() / nag[-1].sum()
        print(f"{lam.size} dimensions, f - f* after {steps} steps: GD {gd[-1].sum():.1e}, Nesterov {nag[-1].sum():.1e}")
count = lam.size + starts.size
print(f"both bounds hold at every step on {held} of {count} problems; Nesterov's f - f* rises at some step on {rises}")
# claim: momentum-nesterov-rate [problems=count steps=steps]
assert held == count  # both bounds, at every step, on every problem
assert ratio > at_least  # the sum of the quadratics: a 200-dimensional one
assert rises > 0  # not monotone
# --8<-- [end:nesterov-rate]

# --8<-- [start:noise]
import numpy as np


def noise_floor(lr: float, beta: float, curv: float, sigma: float, runs: int, steps: int, seed: int) -> float:
    """Mean of x^2 over `runs` heavy-ball runs on f = curv x^2 / 2 whose gradients carry noise sigma."""
    rng = np.random.default_rng(seed)
    x = x_prev = np.zeros(runs)
    for _ in range(steps):
        g = curv * x + sigma * rng.standard_normal(runs)
        x, x_prev = x - lr * g + beta * (x - x_prev), x
    return float(np.mean(x**2))


def stationary(lr: float, beta: float, curv: float, sigma: float) -> float:
    """E[x^2] once heavy ball has settled: the stationary variance of its order-two recurrence."""
    h = lr * curv
    return (1 + beta) * lr**2 * sigma**2 / ((1 - beta) * h * (2 * (1 + beta) - h))


def lyapunov(lr: float, beta: float, curv: float, sigma: float) -> float:
    """The same E[x^2] solved numerically: P = A P A^T + B B^T for the state (x_t, x_(t-1))."""
    a = np.array([[1 + beta - lr * curv, -beta], [1.0, 0.0]])  # x_(t+1) = a (x_t, x_(t-1)) - lr sigma xi_t
    noise = np.array([[(lr * sigma) ** 2, 0.0], [0.0, 0.0]])
    cov = np.linalg.solve(np.eye(4) - np.kron(a, a), noise.ravel()).reshape(2, 2)
    return float(cov[0, 0])


lr, beta, curv, sigma, runs, steps, seeds, within = 0.001, 0.9, 1.0, 1.0, 20_000, 1000, 10, 0.05
h_check, exact = 1.5, 1e-9  # a large step lr * curv at which the formula is checked against a direct solve
big = lr / (1 - beta)  # the step momentum reaches on a steady slope
# Independent noise for every seed and method: seeds 0..9 for heavy ball, 10..19 for SGD.
hb_seeds, sgd_seeds = range(seeds), range(seeds, 2 * seeds)
hb = np.array([noise_floor(lr, beta, curv, sigma, runs, steps, seed=s) for s in hb_seeds])
sgd_big = np.array([noise_floor(big, 0.0, curv, sigma, runs, steps, seed=s) for s in sgd_seeds])
predicted_hb, predicted_big = stationary(lr, beta, curv, sigma), stationary(big, 0.0, curv, sigma)
sgd_same = stationary(lr, 0.0, curv, sigma)  # plain SGD at momentum's own step: lr sigma^2 / (curv (2 - lr curv))
# The formula, checked against a direct solve where the step is far from small (lr curv = h_check):
formula_error = abs(stationary(h_check / curv, beta, curv, sigma) / lyapunov(h_check / curv, beta, curv, sigma) - 1)
worst = max(np.abs(hb / predicted_hb - 1).max(), np.abs(sgd_big / predicted_big - 1).max())
gap = abs(hb.mean() / sgd_big.mean() - 1)  # the pooled means, each over seeds * runs runs
print(f"heavy ball, lr {lr:g}, beta {beta:g}: E[x^2] = {hb.mean():.2e} (stationary value {predicted_hb:.2e})")
print(f"SGD, lr {big:g}: E[x^2] = {sgd_big.mean():.2e} (stationary value {predicted_big:.2e})")
print(f"SGD, lr {lr:g}: stationary value {sgd_same:.2e}")
print(f"{seeds} seeds each: every seed within {worst:.1%} of its stationary value; pooled means {gap:.1%} apart")
# claim: momentum-noise [runs=seeds*runs]
assert formula_error < exact  # the stationary value above, exact at a large step too
assert not set(hb_seeds) & set(sgd_seeds)  # the two methods' noise is drawn independently...
assert abs(np.corrcoef(hb, sgd_big)[0, 1]) < 0.9  # ...and the runs show it (shared noise correlates them ~0.99)
assert worst < within  # every seed of both methods, each near its own stationary value
assert gap < within  # the floor of the larger step...
assert abs(hb.mean() * (1 - beta) / sgd_same - 1) < within  # ...1 / (1 - beta) times that of momentum's own step
# --8<-- [end:noise]
