# Code of the Newton's method page (docs/newton-s-method.md); each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:quadratic]
import numpy as np


def grad_hess(x: np.ndarray, A: np.ndarray, c: np.ndarray, mu: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian of f(x) = sum_i log cosh(a_i.x - c_i) + mu |x|^2 / 2, for a batch of problems."""
    r = np.einsum("pmd,pd->pm", A, x) - c
    g = np.einsum("pmd,pm->pd", A, np.tanh(r)) + mu * x
    H = np.einsum("pmd,pm,pme->pde", A, 1 / np.cosh(r) ** 2, A) + mu * np.eye(x.shape[-1])
    return g, H


def third(x: np.ndarray, A: np.ndarray, c: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The third derivative of f applied twice to u, D^3 f(x)[u, u]: (log cosh)''' = -2 tanh / cosh^2."""
    r = np.einsum("pmd,pd->pm", A, x) - c
    t = -2 * np.tanh(r) / np.cosh(r) ** 2
    return np.einsum("pm,pm,pmd->pd", t, np.einsum("pmd,pd->pm", A, u) ** 2, A)


def newton_step(x: np.ndarray, A: np.ndarray, c: np.ndarray, mu: float) -> np.ndarray:
    """x - H(x)^-1 grad f(x): the stationary point of the second-order Taylor model at x."""
    g, H = grad_hess(x, A, c, mu)
    return x - np.linalg.solve(H, g[..., None])[..., 0]


def minimizer(A: np.ndarray, c: np.ndarray, mu: float) -> np.ndarray:
    """x* to rounding level: Newton steps halved until f falls (f is strictly convex), then full steps."""
    f = lambda x: np.log(np.cosh(np.einsum("pmd,pd->pm", A, x) - c)).sum(-1) + mu / 2 * (x**2).sum(-1)  # noqa: E731
    x = np.zeros(A.shape[::2])
    for _ in range(60):
        p, t = newton_step(x, A, c, mu) - x, np.ones(len(x))
        for _ in range(30):
            t = np.where(f(x + t[:, None] * p) > f(x), t / 2, t)
        x = x + t[:, None] * p
    for _ in range(5):
        x = newton_step(x, A, c, mu)
    return x


problems, m, d, mu, radius, steps = 100, 20, 5, 0.1, 0.1, 6
rng = np.random.default_rng(0)
A, c = rng.normal(size=(problems, m, d)), 2 * rng.normal(size=(problems, m))
x_star = minimizer(A, c, mu)
H_star = grad_hess(x_star, A, c, mu)[1]
u = rng.normal(size=(problems, d))
x = x_star + radius * u / np.linalg.norm(u, axis=1, keepdims=True)  # every start at distance `radius`
errors, remainders = [], []  # e_k = |x_k - x*| and |e_(k+1) - Taylor's prediction of the vector e_(k+1)|
for _ in range(steps):
    e = x - x_star
    predicted = np.linalg.solve(H_star, third(x_star, A, c, e)[..., None])[..., 0] / 2  # H*^-1 D^3f(x*)[e, e] / 2
    x = newton_step(x, A, c, mu)
    errors.append(np.linalg.norm(e, axis=1))
    remainders.append(np.linalg.norm(x - x_star - predicted, axis=1))
errors, remainders = np.array(errors), np.array(remainders)
ratio = errors[1:] / errors[:-1] ** 2  # |e_(k+1)| / |e_k|^2
rest = remainders[:-1] / errors[:-1] ** 2  # |e_(k+1) - prediction| / |e_k|^2: O(|e_k|) by Taylor
near, close, floor = 1e-2, 1e-4, 1e-12  # compare once |e_k| < near (or close), while e_(k+1) is above rounding level
above = errors[1:] > floor  # e_(k+1) above rounding level
window, small = (errors[:-1] < near) & above, (errors[:-1] < close) & above
digits = -np.log10(np.maximum(errors, 1e-300))  # correct digits
doubling = (digits[1:] / digits[:-1])[1:][above[1:]]  # d_(k+1) / d_k from k = 1 on, above rounding level
c_max, near_tol, close_tol, double_low, double_high = 3.0, 0.1, 1e-3, 1.8, 2.6
print("median error per step: " + ", ".join(f"{e:.1e}" for e in np.median(errors[:4], axis=1)))
print("median correct digits: " + ", ".join(f"{v:.1f}" for v in np.median(digits[:4], axis=1)))
print(f"|e_(k+1)| / |e_k|^2 at most {ratio[above].max():.2f}")
print(f"|e_(k+1) - prediction| / |e_k|^2 at most {rest[window].max():.3f} once |e_k| < {near:g}")
print(f"|e_(k+1) - prediction| / |e_k|^2 at most {rest[small].max():.1e} once |e_k| < {close:g}")
# claim: newton-quadratic [problems=problems compared=window.sum()]
assert np.all(window.any(axis=0)) and small.sum() >= problems // 2  # every problem compared; many below `close`
assert np.all(above[:2]) and np.all(ratio[above] < c_max)  # bounded from the start, above rounding level
assert rest[window].max() < near_tol and rest[small].max() < close_tol  # e_(k+1) -> H*^-1 D^3f(x*)[e_k, e_k] / 2
assert np.all(doubling > double_low) and np.all(doubling < double_high)  # digits about double at each step
assert np.all(errors[4:] < floor)  # at rounding level after four steps
# --8<-- [end:quadratic]

# --8<-- [start:quadratic-torch]
import torch


def f_one(x: torch.Tensor, A: torch.Tensor, c: torch.Tensor, mu: float) -> torch.Tensor:
    """The same f for one problem, for torch's automatic derivatives."""
    return torch.log(torch.cosh(A @ x - c)).sum() + mu / 2 * (x**2).sum()


def torch_newton(x: np.ndarray, A: np.ndarray, c: np.ndarray, mu: float, steps: int, device: str) -> np.ndarray:
    """Newton's iterates with torch.func.grad and torch.func.hessian (vmapped over problems) and linalg.solve."""
    grad = torch.vmap(torch.func.grad(f_one), in_dims=(0, 0, 0, None))
    hess = torch.vmap(torch.func.hessian(f_one), in_dims=(0, 0, 0, None))
    xt, At, ct = (torch.tensor(a, device=device) for a in (x, A, c))
    path = [xt]
    for _ in range(steps):
        path.append(path[-1] - torch.linalg.solve(hess(path[-1], At, ct, mu), grad(path[-1], At, ct, mu)))
    return torch.stack(path).cpu().numpy()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
x0 = x_star + radius * rng.normal(size=(problems, d)) / np.sqrt(d)
numpy_path = [x0]
for _ in range(steps):
    numpy_path.append(newton_step(numpy_path[-1], A, c, mu))
numpy_path, tol = np.array(numpy_path), 1e-12
for device in devices:
    gap_torch = np.abs(torch_newton(x0, A, c, mu, steps, device) - numpy_path).max()
    print(f"{device}: largest gap to the numpy iterates below {tol:.0e}")
    # claim: newton-torch [problems=problems devices=devices]
    assert gap_torch < tol
# --8<-- [end:quadratic-torch]

# --8<-- [start:diverge]
import numpy as np


def log_cosh(x: np.ndarray) -> np.ndarray:
    """f(x) = log cosh x, strictly convex, written so that it does not overflow."""
    return np.logaddexp(x, -x) - np.log(2)


def newton_path(x: np.ndarray, steps: int, halve: bool, escape: float) -> np.ndarray:
    """|x_k| for Newton on log cosh: x - f'/f'' = x - sinh x cosh x; with `halve`, the step is halved until f falls.
    An iterate beyond `escape` is frozen there (the next steps would overflow)."""
    path = [np.abs(x)]
    for _ in range(steps):
        live = np.where(np.abs(x) > escape, 0.0, x)  # the step is zero for a frozen iterate
        p, t = -np.sinh(live) * np.cosh(live), np.ones_like(x)
        while halve and np.any(bad := log_cosh(x + t * p) > log_cosh(x)):
            t = np.where(bad, t / 2, t)
        x = x + t * p
        path.append(np.abs(x))
    return np.array(path)


lo, hi = 0.5, 1.5  # bisection for x_c > 0 with sinh(2 x_c) = 4 x_c: there Newton's step maps x_c to -x_c
for _ in range(60):
    lo, hi = ((lo + hi) / 2, hi) if np.sinh(lo + hi) < 2 * (lo + hi) else (lo, (lo + hi) / 2)
x_c = (lo + hi) / 2
starts, steps, escape, margin, floor = np.linspace(0.1, 3, 59), 60, 100.0, 0.01, 1e-12
starts = starts[np.abs(starts - x_c) > margin * x_c]  # leave out the starts within 1% of x_c
pure, damped = newton_path(starts, steps, False, escape), newton_path(starts, steps, True, escape)
inside = starts < x_c
escaped_by = (pure > escape).argmax(0)[~inside].max()  # the step at which the last outside start passes `escape`
print(f"pure Newton: {(pure[-1] < floor).sum()} of {len(starts)} converge, all {inside.sum()} below x_c = {x_c:.4f}")
print(f"the {(~inside).sum()} starts above x_c pass |x| = {escape:g} within {escaped_by} steps")
print(f"Newton with the step halved until f falls: {(damped[-1] < floor).sum()} of {len(starts)} converge")
# claim: newton-diverges [starts=len(starts)]
assert abs(np.sinh(2 * x_c) - 4 * x_c) < 1e-12 and np.all(np.diff(log_cosh(np.linspace(-3, 3, 61)), 2) > 0)
assert np.all(pure[-1][inside] < floor) and np.all(pure[:, ~inside].max(0) > escape)  # converges below, escapes above
assert np.all(np.diff(pure[:, ~inside], axis=0)[pure[:-1, ~inside] <= escape] > 0)  # above x_c, |x_k| grows each step
assert np.all(damped[-1] < floor)  # the damped iteration converges from every start
# --8<-- [end:diverge]

# --8<-- [start:saddles]
import numpy as np


def f(p: np.ndarray) -> np.ndarray:
    """Himmelblau's function (x^2 + y - 11)^2 + (x + y^2 - 7)^2: four minima, four saddles, one maximum."""
    x, y = p[..., 0], p[..., 1]
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def grad(p: np.ndarray) -> np.ndarray:
    """Its gradient."""
    x, y = p[..., 0], p[..., 1]
    u, v = x**2 + y - 11, x + y**2 - 7
    return np.stack([4 * x * u + 2 * v, 2 * u + 4 * y * v], -1)


def hess(p: np.ndarray) -> np.ndarray:
    """Its Hessian."""
    x, y = p[..., 0], p[..., 1]
    hxx, hyy, hxy = 12 * x**2 + 4 * y - 42, 12 * y**2 + 4 * x - 26, 4 * (x + y)
    return np.stack([np.stack([hxx, hxy], -1), np.stack([hxy, hyy], -1)], -2)


def newton_map(p: np.ndarray) -> np.ndarray:
    """One Newton step p - H(p)^-1 grad f(p), for every point of a batch."""
    return p - np.linalg.solve(hess(p), grad(p)[..., None])[..., 0]


def kind_of(points: np.ndarray) -> np.ndarray:
    """'minimum', 'saddle' or 'maximum' from the signs of the Hessian's eigenvalues."""
    eig = np.linalg.eigvalsh(hess(points))
    return np.where(eig.min(-1) > 0, "minimum", np.where(eig.max(-1) < 0, "maximum", "saddle"))


n_side, half, n_steps, lr, gd_steps, tol, jac_tol = 40, 5.0, 60, 0.002, 5000, 1e-8, 1e-6
side = np.linspace(-half, half, n_side)
starts = np.stack(np.meshgrid(side, side), -1).reshape(-1, 2)
end = starts.copy()
for _ in range(n_steps):
    end = newton_map(end)
critical = np.unique(np.round(end, 6), axis=0)  # the distinct limits
for _ in range(3):
    critical = newton_map(critical)  # polish the rounded points back onto the critical points
kinds = kind_of(critical)
limit_of = np.linalg.norm(end[:, None] - critical[None], axis=-1).argmin(1)
newton_kind = kinds[limit_of]
to_bad = newton_kind != "minimum"
# The Newton map N(p) = p - H^-1 g is stationary at each critical point: its Jacobian is zero there.
h = 1e-6
jacobian = np.stack([(newton_map(critical + h * e) - newton_map(critical - h * e)) / (2 * h) for e in np.eye(2)], -1)
gd_jacobian = np.eye(2) - lr * hess(critical)  # gradient descent's map p - lr g at the same points
gd_radius = np.abs(np.linalg.eigvals(gd_jacobian)).max(-1)
gd_end = starts.copy()
for _ in range(gd_steps):
    gd_end = gd_end - lr * grad(gd_end)
names = ["minimum", "saddle", "maximum"]
counts = {k: int((newton_kind == k).sum()) for k in names}
print(f"critical points: {', '.join(f'{(kinds == k).sum()} {k}' for k in names)}")
print(f"Newton from {len(starts)} starts: " + ", ".join(f"{counts[k]} end at a {k}" for k in names))
print(f"gradient descent: {(kind_of(gd_end) == 'minimum').sum()} of {len(starts)} end at a minimum")
# claim: newton-saddles [starts=len(starts)]
assert len(critical) == 9 and all((kinds == k).sum() == n for k, n in zip(names, [4, 4, 1], strict=True))
assert np.linalg.norm(grad(critical), axis=-1).max() < tol  # they are critical points...
assert np.all(np.linalg.norm(grad(end), axis=-1) < tol)  # ...and every start's Newton limit is one of them
assert np.abs(jacobian).max() < jac_tol  # N'(p*) = 0 at minima, saddles and the maximum alike
assert np.all(gd_radius[kinds != "minimum"] > 1) and np.all(gd_radius[kinds == "minimum"] < 1)
assert all(set(np.unique(limit_of[newton_kind == k])) == set(np.flatnonzero(kinds == k)) for k in names)
assert np.all(kind_of(gd_end) == "minimum") and np.all(np.linalg.norm(grad(gd_end), axis=-1) < tol)
# --8<-- [end:saddles]


# --8<-- [start:damped]
def damped_newton(p: np.ndarray, steps: int, lam0: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Levenberg-Marquardt damping: solve (H + lam I) s = -g; keep s only if H + lam I is positive definite
    and f falls, then divide lam by 10, else multiply it by 10. Returns the end points, f at every step and
    the lam of each start's last accepted step."""
    lam, values, last = np.full(len(p), lam0), [f(p)], np.full(len(p), np.inf)
    for _ in range(steps):
        damped = hess(p) + lam[:, None, None] * np.eye(2)
        s = -np.linalg.solve(damped, grad(p)[..., None])[..., 0]
        accept = (np.linalg.eigvalsh(damped).min(-1) > 0) & (f(p + s) < f(p))
        done = np.linalg.norm(grad(p), axis=-1) < tol  # converged: stop changing lam
        p = np.where(accept[:, None], p + s, p)
        last = np.where(accept, lam, last)
        lam = np.where(done, lam, np.where(accept, lam / 10, lam * 10))
        values.append(f(p))
    return p, np.array(values), last


lam0, damped_steps = 1.0, 100
damped_end, values, last_lam = damped_newton(starts, damped_steps, lam0)
rises = np.diff(values, axis=0).max()
damped_kind = kind_of(damped_end)
rescued = to_bad & (damped_kind == "minimum")
damping_share = (last_lam / np.linalg.eigvalsh(hess(damped_end)).min(-1)).max()  # lam against the smallest curvature
print(f"damped Newton: {(damped_kind == 'minimum').sum()} of {len(starts)} starts end at a minimum")
print(f"of the {to_bad.sum()} starts Newton takes to a saddle or the maximum, {rescued.sum()} end at a minimum")
# claim: newton-damped [starts=len(starts)]
assert rises <= 0  # f never rises: a step is taken only where it falls
assert np.all(damped_kind == "minimum") and np.all(np.linalg.norm(grad(damped_end), axis=-1) < tol)
assert rescued.sum() == to_bad.sum() > 0
assert damping_share < 1e-4  # the last steps are plain Newton steps but for a shift of 1e-4 of the curvature
# --8<-- [end:damped]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap

colors = ListedColormap(["#4c9be8", "#f2a541", "#d1495b"])  # minimum, saddle, maximum
code = {k: i for i, k in enumerate(names)}
share = {k: counts[k] / len(starts) for k in names}
grid = np.stack(np.meshgrid(np.linspace(-half, half, 200), np.linspace(-half, half, 200)), -1)
fig, axes = plt.subplots(1, 2, figsize=(9, 4.4), sharey=True)
panels = [(newton_kind, "Newton's method"), (damped_kind, "damped Newton (Levenberg-Marquardt)")]
for ax, (kind, title) in zip(axes, panels, strict=True):
    image = np.vectorize(code.get)(kind).reshape(n_side, n_side)
    ax.imshow(image, origin="lower", extent=(-half, half, -half, half), cmap=colors, vmin=0, vmax=2, alpha=0.8)
    ax.contour(grid[..., 0], grid[..., 1], np.log1p(f(grid)), levels=12, colors="0.3", linewidths=0.5)
    for k, marker in zip(names, "o^s", strict=True):
        pts = critical[kinds == k]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, c="k", s=30, label=k)
    ax.set(title=f"where {title} ends", xlabel="x")
axes[0].set_ylabel("y")
axes[1].legend(loc="lower right", title="critical points")
fig.tight_layout()
fig.savefig("newton-s-method-basins.svg")
# What the alt text says, on the figure's own data:
assert abs(sum(share.values()) - 1) < 1e-12 and share["saddle"] > 0 and share["maximum"] > 0
assert np.all(damped_kind == "minimum")
# --8<-- [end:figure]

# --8<-- [start:cost]
import numpy as np
import torch
from torch.utils.flop_counter import FlopCounterMode


class Counted(np.ndarray):
    """A numpy array that counts the floating-point operations of every ufunc applied to it in `Counted.flops`
    (one per output entry; a matrix product with inner size k, 2k - 1 per output entry)."""

    flops = 0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN204
        plain = [np.asarray(a) for a in inputs]
        out = getattr(ufunc, method)(*plain, **kwargs)
        k = plain[0].shape[-1] if ufunc is np.matmul else 1
        Counted.flops += np.size(out) * max(2 * k - 1, 0)
        return np.asarray(out).view(Counted)


def cholesky(A: np.ndarray) -> np.ndarray:
    """Cholesky factor L of A = L L^T, column by column: column j is A's minus L's first j columns times L[j, :j]."""
    n, L = len(A), np.zeros_like(A)
    for j in range(n):
        s = A[j:, j] - L[j:, :j] @ L[j, :j] if j else A[j:, j]  # column j, from the diagonal down
        L[j : j + 1, j] = np.sqrt(s[:1])
        L[j + 1 :, j] = s[1:] / L[j : j + 1, j]
    return L


def loss(w: torch.Tensor, X: torch.Tensor, y: torch.Tensor, hidden: int) -> torch.Tensor:
    """Squared error of a one-hidden-layer tanh network whose weights are the flat vector w."""
    W1, w2 = w[:-hidden].reshape(X.shape[1], hidden), w[-hidden:]
    return ((torch.tanh(X @ W1) @ w2 - y) ** 2).mean()


def counted(fn, *args) -> int:  # noqa: ANN001, ANN002
    """Floating-point operations of the matrix products fn(*args) runs, as torch's FlopCounterMode counts them."""
    with FlopCounterMode(display=False) as counter:
        fn(*args)
    return counter.get_total_flops()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
hidden, batch, inputs, most = 10, 64, [4, 9, 19], 1.5
rng = np.random.default_rng(0)
per_weight = {}  # Hessian flops / (n x gradient flops), per device and size
for device in devices:
    for d in inputs:
        X, y = (
            torch.tensor(rng.normal(size=(batch, d)), device=device),
            torch.tensor(rng.normal(size=batch), device=device),
        )
        w = torch.tensor(rng.normal(size=d * hidden + hidden), device=device)
        n = w.numel()
        g_flops = counted(torch.func.grad(loss), w, X, y, hidden)
        h_flops = counted(torch.func.hessian(loss), w, X, y, hidden)
        per_weight[device, n] = h_flops / (n * g_flops)
        if device == "cpu":
            H = torch.func.hessian(loss)(w, X, y, hidden).cpu().numpy()
            shifted = H + (1e-3 - min(np.linalg.eigvalsh(H).min(), 0)) * np.eye(n)  # made positive definite
            Counted.flops = 0
            L = np.asarray(cholesky(shifted.view(Counted)))
            chol_flops = Counted.flops  # counted as the loop runs
            print(
                f"n = {n:3d} weights: Hessian = {h_flops / g_flops:5.0f} gradients = {h_flops:>10,} flops;"
                f" Cholesky {chol_flops:>10,} flops"
            )
            # claim: newton-cost [devices=devices]
            assert chol_flops == n * (n + 1) * (2 * n + 1) // 6 and np.allclose(
                L, np.linalg.cholesky(shifted), atol=1e-10
            )
            assert h_flops > chol_flops  # with this batch, forming H costs more than factoring it
ratios = np.array(list(per_weight.values()))
# claim: newton-cost [devices=devices]
assert np.all(ratios > 1) and np.all(ratios < most)  # the Hessian costs between n and 1.5 n gradients
# --8<-- [end:cost]
