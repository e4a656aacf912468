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
}
expected = ["minimum", "maximum", "saddle", "saddle"]
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
origin = np.zeros(2)
for (name, f), kind in zip(functions.items(), expected, strict=True):
    g_np, h_np = numpy_grad_hess(f, origin)
    eig = np.linalg.eigvalsh(h_np)
    print(f"{name:16s} Hessian eigenvalues {eig[0]:+.3f} {eig[1]:+.3f}  ->  {classify(g_np, h_np, tol=1e-6)}")
    for device in devices:
        g_t, h_t = torch_grad_hess(f, origin, device)
        # claim: saddle-classify [devices=devices]
        assert classify(g_np, h_np, tol=1e-6) == classify(g_t, h_t) == kind
        assert np.abs(h_np - h_t).max() < 1e-6  # numpy differences and autograd agree
# --8<-- [end:classify]

# --8<-- [start:degenerate]
import numpy as np
import torch


def hessian_at_origin(f) -> np.ndarray:
    """Exact Hessian at (0, 0) by autograd."""
    return torch.autograd.functional.hessian(f, torch.zeros(2, dtype=torch.float64)).numpy()


monkey = {  # three functions whose Hessian at the origin is the zero matrix
    "x^3 - 3xy^2": lambda p: p[0] ** 3 - 3 * p[0] * p[1] ** 2,  # monkey saddle
    "x^4 + y^4": lambda p: p[0] ** 4 + p[1] ** 4,  # a minimum
    "-x^4 - y^4": lambda p: -(p[0] ** 4) - p[1] ** 4,  # a maximum
}
angles = np.deg2rad(np.arange(360) + 0.5)
circle = 1e-2 * np.stack([np.cos(angles), np.sin(angles)])  # 360 points at distance 0.01 around the origin
for name, f in monkey.items():
    hess = hessian_at_origin(f)
    around = np.array(f(circle))  # f(0) = 0, so the signs here decide the point's kind
    below, above = (around < 0).mean(), (around > 0).mean()
    print(f"{name:12s} |H| = {np.abs(hess).max():.0f}   nearby: f < f(0) on {below:4.0%}, f > f(0) on {above:4.0%}")
    # claim: saddle-degenerate
    assert np.abs(hess).max() < 1e-12  # the second-order test has nothing to go on...
print("monkey saddle: f(x, 0) = x^3 changes sign, so the origin is neither a minimum nor a maximum")
f = monkey["x^3 - 3xy^2"]
assert f(np.array([-1e-3, 0.0])) < 0 < f(np.array([1e-3, 0.0]))  # ...yet the kinds differ
sign = np.sign(f(circle))
assert np.count_nonzero(sign != np.roll(sign, 1)) == 6  # three arcs below f(0), three above
assert (np.array(monkey["x^4 + y^4"](circle)) > 0).all() and (np.array(monkey["-x^4 - y^4"](circle)) < 0).all()
# --8<-- [end:degenerate]

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
p = np.array([1.0, 0.0])
for _ in range(500):
    p = p - 0.1 * grad(p)
print(f"start (1, 0): after 500 steps at ({p[0]:.1e}, {p[1]:.1e}), |gradient| = {np.linalg.norm(grad(p)):.1e}")
# claim: saddle-stable-manifold
assert np.linalg.norm(p) < 1e-20 and p[1] == 0.0

# A distance eps off it, the unstable direction grows by (1 + lr) per step: steps ~ log(1/eps) / log(1 + lr).
eps = 10.0 ** -np.arange(2, 15)
steps = escape_steps(np.stack([np.ones_like(eps), eps], axis=1))
slope, intercept = np.polyfit(np.log(1 / eps), steps, 1)
residual = steps - (slope * np.log(1 / eps) + intercept)
print("eps:  ", " ".join(f"{e:5.0e}" for e in eps[::3]))
print("steps:", " ".join(f"{s:5d}" for s in steps[::3]))
print(f"steps per factor e in 1/eps: {slope:.2f} (theory 1/log(1.1) = {1 / np.log(1.1):.2f})")
# claim: saddle-escape-log [starts=eps.size]
assert np.all(steps < 2000) and np.all(np.diff(steps) > 0)
assert abs(slope * np.log(1.1) - 1) < 0.03 and np.abs(residual).max() < 2
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


seeds = np.arange(200)
y0 = 1e-8 * np.random.default_rng(1).standard_normal(seeds.size)  # 200 starts about 1e-8 off the x-axis
starts = np.stack([np.ones_like(y0), y0], axis=1)
gd = escape_steps(starts)
noisy = escape_steps(starts, noise=1e-3, seed=2)
momentum = escape_steps(starts, beta=0.9)
for name, s in [("gradient descent", gd), ("with noise 1e-3", noisy), ("momentum 0.9", momentum)]:
    print(f"{name:17s} median {np.median(s):4.0f} steps to escape, range {s.min()}-{s.max()}")
# claim: saddle-noise-momentum [starts=seeds.size]
assert np.all(gd < 2000) and np.all(noisy < 2000) and np.all(momentum < 2000)
assert np.median(noisy) < 0.6 * np.median(gd) and np.median(momentum) < 0.6 * np.median(gd)
assert np.mean(noisy < gd) > 0.95 and np.mean(momentum < gd) > 0.95
# --8<-- [end:faster]

# --8<-- [start:stuck]
import torch


def run(make_optimizer, device: str, noise: float = 0.0, steps: int = 300) -> torch.Tensor:
    """Minimize f(x, y) = x^2/2 - y^2/2 + y^4/4 from (1, 0), on the saddle's stable direction."""
    torch.manual_seed(0)
    p = torch.tensor([1.0, 0.0], dtype=torch.float64, device=device, requires_grad=True)
    opt = make_optimizer([p])
    for _ in range(steps):
        opt.zero_grad()
        (p[0] ** 2 / 2 - p[1] ** 2 / 2 + p[1] ** 4 / 4).backward()
        p.grad += noise * torch.randn_like(p.grad)  # noise = 0: the exact gradient
        opt.step()
    return p.detach().cpu()


optimizers = {
    "SGD": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "SGD momentum 0.9": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "Adam": lambda ps: torch.optim.Adam(ps, lr=0.01),
    "RMSprop": lambda ps: torch.optim.RMSprop(ps, lr=0.01),
}
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    for name, make in optimizers.items():
        x, y = run(make, device)
        print(f"{device} {name:17s} ends {torch.hypot(x, y):.3f} from the saddle, at y = {y:+.3f}")
        # claim: saddle-stuck-exactly [devices=devices]
        assert y == 0 and abs(x) < 0.05  # at the saddle (0, 0), not at a minimum (0, +-1)
    x, y = run(optimizers["SGD"], device, noise=1e-3)
    print(f"{device} {'SGD + noise 1e-3':17s} ends {torch.hypot(x, y):.3f} from the saddle, at y = {y:+.3f}")
    assert abs(abs(y) - 1) < 0.01  # noise alone leaves the stable direction and finds a minimum
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


side = np.linspace(-0.4, 0.4, 20)  # 400 starts around the saddle, none exactly on y = 0
starts = np.stack(np.meshgrid(side, side), axis=-1).reshape(-1, 2)
plain, free = newton(starts, saddle_free=False), newton(starts, saddle_free=True)
at_saddle = np.linalg.norm(plain, axis=1) < 1e-8
at_minimum = np.linalg.norm(free - [0, 1], axis=1) < 1e-8
at_minimum |= np.linalg.norm(free - [0, -1], axis=1) < 1e-8
print(f"Newton:            {at_saddle.mean():.0%} of {len(starts)} starts converge to the saddle (0, 0)")
print(f"saddle-free Newton: {at_minimum.mean():.0%} of {len(starts)} starts converge to a minimum (0, +-1)")
# claim: saddle-newton [starts=len(starts)]
assert at_saddle.all() and at_minimum.all()
# --8<-- [end:newton]

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
sizes, draws = np.arange(1, 6), 1_000_000
p = np.array([prob_positive_definite(n, draws, rng) for n in sizes])
# Dean & Majumdar (2006): log P(n) = -theta n^2 + O(n) with theta = log(3)/4. Fit theta, b, c to -log P.
theta, b, c = np.linalg.lstsq(np.stack([sizes**2, sizes, np.ones(5)], axis=1), -np.log(p), rcond=None)[0]
for n, pn in zip(sizes, p, strict=True):
    print(f"n = {n}: P(positive definite) = {pn:.2e}")
print(f"fitted theta = {theta:.3f}, Dean-Majumdar theta = log(3)/4 = {np.log(3) / 4:.3f}")
# claim: saddle-goe [draws=draws]
ratio = p[1:] / p[:-1]
assert np.all(ratio < 0.5) and np.all(np.diff(ratio) < 0)  # falls, and faster and faster
assert abs(p[1] - (2 - np.sqrt(2)) / 4) < 4 * np.sqrt(p[1] / draws)  # the exact n = 2 value
assert abs(theta / (np.log(3) / 4) - 1) < 0.15
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


def negative_count(eig: torch.Tensor, rel_tol: float = 1e-3) -> torch.Tensor:
    """How many eigenvalues are below -rel_tol * (largest eigenvalue), per network."""
    return (eig < -rel_tol * eig[:, -1:]).sum(1)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
seeds = range(20)
for device in devices:
    x = torch.linspace(-2, 2, 40, dtype=torch.float64, device=device)
    y = torch.sin(2 * x)
    init = [torch.randn(3 * HIDDEN + 1, dtype=torch.float64, generator=torch.Generator().manual_seed(s)) for s in seeds]
    w = torch.stack(init).to(device).requires_grad_(True)  # 20 networks, trained side by side
    start = exact_spectra(w.detach(), x, y)
    opt = torch.optim.Adam([w], lr=0.02)
    for _ in range(1000):
        opt.zero_grad()
        losses(w, x, y).sum().backward()  # the sum's gradient is each network's own gradient
        opt.step()
    end = exact_spectra(w.detach(), x, y)
    loss = losses(w.detach(), x, y)
    n_start, n_end = negative_count(start), negative_count(end)
    print(f"{device}: at initialization, negative eigenvalues: median {n_start.median()}, min {n_start.min()}")
    print(f"{device}: after training (loss <= {loss.max():.4f}): median {n_end.median()}, max {n_end.max()}")
    print(f"{device}: most negative eigenvalue / largest after training: {(end[:, 0] / end[:, -1]).min():.1e}")
    # claim: saddle-network [networks=len(seeds) devices=devices]
    assert n_start.min() >= 2 and n_start.median() >= 4  # the loss curves down in several directions at the start
    assert n_end.max() == 0 and loss.max() < 0.05  # where training stops, none is left beyond the tolerance
# --8<-- [end:network]

# --8<-- [start:lanczos]
import torch


def make_problem(device: str, seed: int = 0):
    """A 2-16-1 tanh network (65 weights) at a random initialization and its loss on 64 points."""
    gen = torch.Generator().manual_seed(seed)
    x = (torch.rand(64, 2, generator=gen, dtype=torch.float64) * 4 - 2).to(device)
    y = torch.sin(x[:, 0]) * torch.cos(x[:, 1])
    w = (0.5 * torch.randn(65, generator=gen, dtype=torch.float64)).to(device)

    def loss(w: torch.Tensor) -> torch.Tensor:
        """Mean squared error; w = (W1: 16x2, b1: 16, W2: 16, b2: 1) flattened."""
        w1, b1, w2, b2 = w[:32].reshape(16, 2), w[32:48], w[48:64], w[64]
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


def power_iteration(hvp, n: int, k: int, seed: int, device: str) -> torch.Tensor:
    """k steps of v <- Hv / |Hv|; returns v.Hv, the eigenvalue of largest magnitude."""
    v = torch.randn(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(device)
    v = v / v.norm()
    for _ in range(k):
        hv = hvp(v)
        estimate = hv @ v
        v = hv / hv.norm()
    return estimate


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
for device in devices:
    loss, w = make_problem(device)
    hvp = hvp_function(loss, w)
    exact = torch.autograd.functional.hessian(loss, w)  # 65 x 65, for checking only
    eig = torch.linalg.eigvalsh(exact)
    v = torch.randn(65, dtype=torch.float64, generator=torch.Generator().manual_seed(1)).to(device)
    hvp_error = ((hvp(v) - exact @ v).norm() / (exact @ v).norm()).item()
    runs = range(20)  # 20 random start vectors
    lz = torch.stack([lanczos(hvp, 65, 25, seed, device)[[0, -1]] for seed in runs])
    top_err = ((lz[:, 1] - eig[-1]).abs() / eig[-1].abs()).max().item()
    bottom_err = ((lz[:, 0] - eig[0]).abs() / eig[0].abs()).max().item()
    pi = torch.stack([power_iteration(hvp, 65, 25, seed, device) for seed in runs])
    pi_err = ((pi - eig[-1]).abs() / eig[-1].abs()).max().item()
    print(f"{device}: exact eigenvalues {eig[0]:.4f} ... {eig[-1]:.4f};  |Hv - H v| / |H v| = {hvp_error:.0e}")
    print(f"{device}: Lanczos, 25 products: top error <= {top_err:.0e}, bottom error <= {bottom_err:.0e}")
    print(f"{device}: power iteration, 25 products: top error <= {pi_err:.0e}")
    # claim: saddle-hvp [devices=devices]
    assert hvp_error < 1e-12
    # claim: saddle-lanczos [starts=len(runs) devices=devices]
    assert top_err < 1e-6 and bottom_err < 1e-6
    assert pi_err > 100 * top_err  # the same budget buys power iteration far less accuracy
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


grid = np.linspace(-1.5, 1.5, 61)
xx, yy = np.meshgrid(grid, grid)
fig, ax = plt.subplots(figsize=(8.5, 4.6))
ax.imshow(f(xx, yy), extent=(-1.5, 1.5, -1.5, 1.5), origin="lower", cmap="RdBu_r", alpha=0.5)
ax.contour(xx, yy, f(xx, yy), levels=12, colors="0.4", linewidths=0.4)
runs = [
    ((1.4, 0.0), {}, "C2", "GD from (1.4, 0): ends at the saddle"),
    ((1.4, 1e-3), {}, "C0", "GD from (1.4, 0.001): lingers, then escapes"),
    ((-1.4, -1e-3), {"beta": 0.9, "lr": 0.02}, "C3", "momentum 0.9 from (−1.4, −0.001)"),
    ((-1.4, 0.0), {"noise": 0.01, "seed": 3}, "C1", "GD + noise from (−1.4, 0)"),
]
for start, settings, color, label in runs:
    p = path(start, **settings)
    ax.plot(p[:, 0], p[:, 1], ".-", ms=4, lw=0.8, markevery=5, color=color, label=label)
ax.plot([0, 0, 0], [0, 1, -1], "k*", ms=10)
ax.annotate("saddle (0, 0)", (0, 0), (0.15, 0.25))
ax.annotate("minimum (0, 1)", (0, 1), (0.15, 1.2))
ax.set(xlabel="x", ylabel="y", title="f(x, y) = x²/2 − y²/2 + y⁴/4", aspect="equal")
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=8)
fig.tight_layout()
fig.savefig("saddle-point-trajectories.svg")
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


eps = np.logspace(-14, -1, 27)
fig, ax = plt.subplots(figsize=(6, 3.6))
ax.semilogx(eps, escape_steps(eps), "o", ms=4, color="C0", label="gradient descent, lr = 0.1")
ax.semilogx(eps, np.log(0.5 / eps) / np.log(1.1), "-", lw=1, color="C0", label="log(0.5/ε) / log(1 + lr)")
ax.semilogx(eps, escape_steps(eps, beta=0.9), "s", ms=4, color="C3", label="momentum 0.9, lr = 0.1")
ax.set(xlabel="ε, distance of the start from the stable direction", ylabel="steps until |y| > 0.5")
ax.legend(fontsize=8)
fig.tight_layout()
fig.savefig("saddle-point-escape-steps.svg")
# --8<-- [end:figure-escape]
