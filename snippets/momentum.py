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
lr, steps, sequences = 0.1, 400, 20
t = np.arange(steps)
lag = t[:, None] - t[None, :]  # t - k
for beta in [0.0, 0.5, 0.9, 0.99]:
    # Any gradients: the move is -lr / (1 - beta) times an exponential moving average of them,
    # EMA_t = sum_k (1 - beta) beta^(t - k) g_k over k <= t.
    grads = rng.standard_normal((steps, sequences, 3))  # random sequences of 3-d gradients
    weights = np.where(lag >= 0, (1 - beta) * beta ** np.maximum(lag, 0), 0.0)
    ema = np.einsum("tk,kij->tij", weights, grads)
    gap = np.abs(momentum_moves(grads, lr, beta) + lr / (1 - beta) * ema).max()
    # A constant slope g: the speed, in units of plain gradient descent's step lr * |g|.
    slopes = rng.standard_normal(3)
    speed = np.abs(momentum_moves(np.tile(slopes, (steps, 1)), lr, beta)) / (lr * np.abs(slopes))
    terminal = 1 / (1 - beta)
    to_90 = int(np.argmax(speed[:, 0] >= 0.9 * terminal)) + 1  # steps until 90% of the terminal speed
    predicted_90 = int(np.ceil(np.log(0.1) / np.log(beta))) if beta > 0 else 1
    print(f"beta = {beta:4.2f}: terminal speed {terminal:5.1f} x the plain step, 90% of it after {to_90:3d} steps")

    # claim: momentum-velocity [sequences=sequences steps=steps]
    assert gap < 1e-12 * terminal  # the move is -lr/(1-beta) * EMA of the gradients
    assert np.allclose(speed, ((1 - beta ** (t + 1)) / (1 - beta))[:, None], rtol=1e-12, atol=0)
    assert to_90 == predicted_90
# --8<-- [end:velocity]

# --8<-- [start:velocity-torch]
import numpy as np
import torch


def torch_speeds(slopes: torch.Tensor, lr: float, beta: float, steps: int) -> np.ndarray:
    """Length of each move of torch.optim.SGD(momentum=beta) on f(x) = slopes . x, over lr * |slopes|."""
    x = torch.zeros_like(slopes, requires_grad=True)
    opt = torch.optim.SGD([x], lr=lr, momentum=beta)
    speeds = []
    for _ in range(steps):
        before = x.detach().clone()
        opt.zero_grad()
        (slopes * x).sum().backward()
        opt.step()
        speeds.append(((x.detach() - before).abs() / (lr * slopes.abs())).cpu().numpy())
    return np.array(speeds)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
lr, steps = 0.1, 100
t = np.arange(1, steps + 1)
for device in devices:
    slopes = torch.randn(3, generator=torch.Generator().manual_seed(0), dtype=torch.float64).to(device)
    for beta in [0.0, 0.5, 0.9, 0.99]:
        speed = torch_speeds(slopes, lr, beta, steps)
        if device == "cpu":  # every device is checked; the page shows the CPU's numbers
            print(f"beta = {beta:4.2f}: after {steps} steps each move is {speed[-1, 0]:5.1f} x the plain step")
        # claim: momentum-velocity-torch [devices=devices steps=steps]
        assert np.allclose(speed, ((1 - beta**t) / (1 - beta))[:, None], rtol=1e-12, atol=0)
# --8<-- [end:velocity-torch]

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


# 20 random quadratics in 10 dimensions with curvatures from 1 to L = 100.
rng = np.random.default_rng(1)
curv = np.exp(rng.uniform(0, np.log(100), (20, 10)))
curv[:, :2] = [1.0, 100.0]
x0 = rng.uniform(-1, 1, (20, 10))
lr, beta, steps = 1 / 100, 0.9, 300
polyak, lookahead = heavy_ball(curv, x0, lr, beta, steps), nesterov(curv, x0, lr, beta, steps)
for name, path in [("heavy ball", polyak), ("Nesterov", lookahead)]:
    print(f"{name:10s}: largest |x| after {steps} steps = {np.abs(path[-1]).max():.1e}")

# claim: momentum-forms [problems=len(curv) steps=steps]
assert np.abs(polyak - buffer_form(curv, x0, lr, beta, steps, lookahead=False)).max() < 1e-12
assert np.abs(lookahead - buffer_form(curv, x0, lr, beta, steps, lookahead=True)).max() < 1e-12
assert np.abs(lookahead - polyak).max() > 1e-2  # the two methods are not the same
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


rng = np.random.default_rng(1)  # the same 20 quadratics as the numpy tab
curv = np.exp(rng.uniform(0, np.log(100), (20, 10)))
curv[:, :2] = [1.0, 100.0]
x0 = rng.uniform(-1, 1, (20, 10))
lr, beta, steps = 1 / 100, 0.9, 300
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
    assert np.abs(sgd - polyak).max() < 1e-12
    assert np.abs(nag - lookahead).max() < 1e-12
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


beta, slope = 0.9, 1.0
lrs = np.r_[np.full(100, 0.1), np.full(30, 0.01)]  # the learning rate drops 10-fold after 100 steps
ours, sutskever = moves_pytorch_form(slope, lrs, beta), moves_sutskever_form(slope, lrs, beta)
after_pytorch, after_sutskever = ours[100] / ours[99], sutskever[100] / sutskever[99]
print(f"move after the drop / move before: PyTorch's form {after_pytorch:.3f}, Sutskever's form {after_sutskever:.3f}")
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
# claim: momentum-lr-drop [devices=devices]
assert np.allclose(ours[:100], sutskever[:100], rtol=1e-12)  # the same moves while the lr is constant
assert abs(after_pytorch - 0.1) < 1e-3  # the move shrinks 10-fold at once...
assert abs(after_sutskever - (beta + (1 - beta) * 0.1)) < 1e-3  # ...or by 9%: beta + (1 - beta)/10 = 0.91
for device in devices:
    assert np.allclose(torch_moves(slope, lrs, beta, device), ours, rtol=1e-12)
# --8<-- [end:lr-drop]

# --8<-- [start:stability]
import numpy as np


def spectral_radius(h: np.ndarray, beta: np.ndarray, nesterov: bool) -> np.ndarray:
    """Per-step factor on f = lam x^2 / 2 at h = lr * lam: the larger root of z^2 - a1 z + a0."""
    a1 = (1 - h) * (1 + beta) if nesterov else 1 + beta - h
    a0 = (1 - h) * beta if nesterov else beta + 0 * h
    root = np.sqrt(a1**2 - 4 * a0 + 0j)
    return np.maximum(np.abs(a1 + root), np.abs(a1 - root)) / 2


def measured_factor(h: np.ndarray, beta: np.ndarray, nesterov: bool, steps: int = 2000) -> np.ndarray:
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
h = np.geomspace(0.02, 8.0, 160)[None, :]  # lr * curvature
edges = {False: 2 * (1 + beta), True: 2 * (1 + beta) / (1 + 2 * beta)}
for nesterov, name in [(False, "heavy ball"), (True, "Nesterov")]:
    rho, measured = spectral_radius(h, beta, nesterov), measured_factor(h, beta, nesterov)
    edge = edges[nesterov]
    inside, outside = h < 0.98 * edge, h > 1.02 * edge
    shown = ", ".join(f"{e:.3f}" for e in edge[[0, 3, 5], 0])
    print(f"{name:10s}: largest stable lr * curvature at beta = 0, 0.5, 0.9: {shown}")
    # claim: momentum-stability [settings=h.size*beta.size]
    assert np.all(measured[inside] < 1) and np.all(measured[outside] > 1)
    assert np.all(rho[inside] < 1) and np.all(rho[outside] > 1)
    assert np.allclose(measured, rho, rtol=0.01)  # the run's factor is the spectral radius
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


h = np.linspace(0.001, 4.5, 500)
fig, ax = plt.subplots(figsize=(7, 3.8))
curves = [(0.0, False, "C0", "gradient descent"), (0.9, False, "C3", "heavy ball, β = 0.9")]
curves.append((0.9, True, "C2", "Nesterov, β = 0.9"))
for beta, nesterov, color, name in curves:
    ax.plot(h, spectral_radius(h, beta, nesterov), color=color, lw=1.8, label=name)
for edge, color in [(2.0, "C0"), (3.8, "C3"), (2 * 1.9 / 2.8, "C2")]:
    ax.axvline(edge, color=color, ls=":", lw=1)
ax.axhline(1, color="0.3", lw=0.8)
ax.axhline(np.sqrt(0.9), color="C3", ls="--", lw=0.8)
ax.annotate("heavy ball never below √β ≈ 0.949", (2.9, np.sqrt(0.9)), (2.1, 0.7), arrowprops={"arrowstyle": "->"})
ax.set(xlabel="learning rate × curvature (ηλ)", ylabel="shrink factor per step", ylim=(0, 1.6), xlim=(0, 4.5))
ax.set_title("Above 1 the run diverges; dotted lines: the largest stable ηλ")
ax.legend(loc="upper left")
fig.tight_layout()
fig.savefig("momentum-factor.svg")
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


# 20 random quadratics in 10 dimensions, well conditioned: curvatures from 1 to L = 10.
rng = np.random.default_rng(2)
curv = rng.uniform(1, 10, (20, 10))
curv[:, :2] = [1.0, 10.0]
x0 = rng.uniform(-1, 1, (20, 10))
gd = steps_to_shrink(curv, x0, np.array([2 / 11]), beta=0.0, tol=1e-8, cap=2000)[0]  # best fixed step 2/(L + mu)
lrs = np.linspace(0.01, 3.79, 60) / 10  # every stable lr of heavy ball with beta = 0.9, in units of 1/L
hb = steps_to_shrink(curv, x0, lrs, beta=0.9, tol=1e-8, cap=2000)
best = hb.min(axis=0)  # heavy ball at its best lr for each problem
print(
    f"steps to shrink the error 1e8-fold: gradient descent {np.median(gd):.0f}, "
    f"heavy ball beta = 0.9 at its best lr {np.median(best):.0f} (medians)"
)
# claim: momentum-not-always-faster [problems=len(curv) lrs=lrs.size]
assert np.all(best > 2 * gd)  # at every lr, for every problem
floor = np.log(1e8) / np.log(1 / np.sqrt(0.9))  # steps implied by a factor of sqrt(beta) per step: about 350
assert np.all(best >= 0.9 * floor)
# --8<-- [end:not-faster]
