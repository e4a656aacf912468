# --8<-- [start:minimum]
import torch

torch.set_default_dtype(torch.float64)
D, H, n, wd = 2, 4, 64, 3e-4  # inputs, hidden tanh units, data points, weight decay
P = H * D + 2 * H + 1  # parameters: input weights, biases, output weights, output bias


def unpack(theta: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Input weights (.., H, D), hidden biases, output weights and output bias of networks theta (.., P)."""
    w = theta[..., : H * D].unflatten(-1, (H, D))
    return w, theta[..., H * D : H * D + H], theta[..., H * D + H : -1], theta[..., -1]


def loss_grad(theta: torch.Tensor, x: torch.Tensor, y: torch.Tensor, weight: torch.Tensor | None = None):
    """Loss sum(weight r^2)/2 + wd |theta|^2/2 (weight 1/m: the mean) and its gradient, by hand, for a batch of
    networks theta (R, P) on their own data x (R, m, D), y (R, m): batched matrix products, no loop over networks."""
    w, b, v, c = unpack(theta)
    h = torch.tanh(x @ w.transpose(-1, -2) + b[..., None, :])
    r = (h @ v[..., None])[..., 0] + c[..., None] - y
    weight = 1 / y.shape[-1] if weight is None else weight
    loss = 0.5 * (weight * r * r).sum(-1) + 0.5 * wd * (theta * theta).sum(-1)
    r = weight * r
    dz = r[..., None] * v[..., None, :] * (1 - h * h)
    grad = torch.cat(
        [(dz.transpose(-1, -2) @ x).flatten(-2), dz.sum(-2), (r[..., None, :] @ h)[..., 0, :], r.sum(-1, keepdim=True)],
        -1,
    )
    return loss, grad + wd * theta


def full(theta: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Full-batch loss and gradient of each network in theta (R, P)."""
    return loss_grad(theta, X.expand(len(theta), n, D), Y.expand(len(theta), n))


def one_loss(theta: torch.Tensor) -> torch.Tensor:
    return full(theta[None])[0][0]


hessian = torch.func.vmap(torch.func.hessian(one_loss))  # (R, P) -> (R, P, P), by automatic differentiation


def newton(theta: torch.Tensor, iters: int) -> torch.Tensor:
    """Damped (Levenberg-Marquardt) Newton steps, per network: a step is kept only if it lowers the loss."""
    damping, eye = torch.full((len(theta), 1, 1), 1e-3), torch.eye(P)
    for _ in range(iters):
        loss, grad = full(theta)
        trial = theta - torch.linalg.solve(hessian(theta) + damping * eye, grad[..., None])[..., 0]
        better = (full(trial)[0] <= loss)[:, None, None]
        theta = torch.where(better[:, :, 0], trial, theta)
        damping = torch.where(better, (damping / 10).clamp(min=1e-15), damping * 10)
    return theta


# Data: 64 Gaussian inputs labelled by a random "teacher" network of the same shape.
gen = torch.Generator().manual_seed(0)
X = torch.randn(n, D, generator=gen)
w0, b0, v0 = 1.5 * torch.randn(H, D, generator=gen), 0.5 * torch.randn(H, generator=gen), torch.randn(H, generator=gen)
Y = torch.tanh(X @ w0.T + b0) @ v0

# Minima: 32 random starts, full-batch gradient descent with momentum, then Newton.
starts, gd_steps, newton_iters = 32, 1500, 40
theta, velocity = torch.randn(starts, P, generator=gen), torch.zeros(starts, P)
for _ in range(gd_steps):
    velocity = 0.9 * velocity + full(theta)[1]
    theta = theta - 0.05 * velocity
theta = newton(theta, newton_iters)
loss, grad = full(theta)
eigs = torch.linalg.eigvalsh(hessian(theta))
grad_tol, ratio_tol = 1e-8, 1e-5  # a minimum: |grad| below grad_tol, smallest/largest eigenvalue above ratio_tol
certified = (grad.norm(dim=-1) < grad_tol) & (eigs[:, 0] > ratio_tol * eigs[:, -1])
levels = torch.unique(torch.round(loss[certified], decimals=8))  # distinct minima, by loss
k_glob = int(torch.where(certified, loss, torch.inf).argmin())
k_loc = int(torch.where(certified & (torch.round(loss, decimals=8) == levels[1]), 0, 1).argmin())  # 2nd-lowest
theta_loc, theta_glob = theta[k_loc], theta[k_glob]
L_loc, L_glob = loss[k_loc].item(), loss[k_glob].item()
grad_loc, eig_min, eig_max = grad[k_loc].norm().item(), eigs[k_loc, 0].item(), eigs[k_loc, -1].item()
reached = int((torch.round(loss, decimals=8) == levels[1]).sum())
print(f"{int(certified.sum())} of {starts} starts end at a certified minimum; {len(levels)} distinct losses")
print(
    f"theta_loc: loss {L_loc:.6f}, |grad| below 1e-{-torch.log10(torch.tensor(grad_loc)).floor():.0f}, "
    f"Hessian eigenvalues {eig_min:.2e} to {eig_max:.2f}"
)
print(f"theta_glob: loss {L_glob:.6f}")
# claim: escape-certified-minimum
assert certified[k_loc] and certified[k_glob] and k_loc != k_glob
assert grad_loc < grad_tol and grad[k_glob].norm() < grad_tol
assert eig_min > ratio_tol * eig_max and eigs[k_glob, 0] > ratio_tol * eigs[k_glob, -1]
assert L_loc > L_glob * 1.2 and L_glob == loss[certified].min()  # clearly above the best minimum found
# --8<-- [end:minimum]

# --8<-- [start:symmetries]
import torch

w, b, v, c = unpack(theta_loc)
units = torch.cat([w, b[:, None]], 1)  # each hidden unit's input weights and bias
pairs = [(i, j) for i in range(H) for j in range(i)]
closest = min(min((units[i] - s * units[j]).norm().item() for s in (1, -1)) for i, j in pairs)
smallest_out, smallest_in = v.abs().min().item(), w.norm(dim=1).min().item()
# An exact symmetry: reorder the units and flip the sign of some (tanh is odd). Same loss, same spectrum.
order, flip = torch.tensor([2, 0, 3, 1]), torch.tensor([1.0, -1.0, -1.0, 1.0])
twin = torch.cat([(flip[:, None] * w[order]).flatten(), flip * b[order], flip * v[order], c[None]])
twin_eigs, loc_eigs = (torch.linalg.eigvalsh(hessian(t[None]))[0] for t in (twin, theta_loc))
spectrum_gap = (twin_eigs - loc_eigs).abs().max().item() / eig_max
data_min = eig_min - wd  # the Hessian is the data term's plus wd times the identity
print(f"distinct units: closest pair {closest:.2f} apart (up to sign); |output weights| >= {smallest_out:.2f}")
print(f"a permuted, sign-flipped copy: {(twin - theta_loc).norm():.2f} away, same loss and spectrum")
print(f"smallest eigenvalue of the data term's Hessian alone: {data_min:.2e}")
separated = 0.1  # below this a unit would be nearly dead, constant or a copy of another
# claim: escape-no-flat-directions
assert closest > separated and smallest_out > separated and smallest_in > separated
assert (twin - theta_loc).norm() > separated  # a different point...
assert abs(one_loss(twin) - L_loc) < 1e-14 and spectrum_gap < 1e-10  # ...with the same loss and spectrum
assert data_min > 0  # positive without the weight decay's share
# --8<-- [end:symmetries]

# --8<-- [start:escape]
import math

import torch

lr, beta, steps, seeds = 0.03, 0.9, 3000, 200  # the momentum run; every run takes `steps` mini-batch steps
methods = {  # name: (learning rate, momentum, batch size)
    "SGD, lr 0.03": (lr, 0.0, 1),
    "SGD, lr 0.1": (0.1, 0.0, 1),
    "SGD, lr 0.3 = lr/(1-beta)": (lr / (1 - beta), 0.0, 1),
    "momentum 0.9, lr 0.03": (lr, beta, 1),
    "SGD, lr 0.3, batch 4": (lr / (1 - beta), 0.0, 4),
}
quench_lr, quench_steps = 0.2, 500
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def sgd_runs(
    theta0: torch.Tensor, lrs: torch.Tensor, betas: torch.Tensor, batch: torch.Tensor, order: torch.Tensor, steps: int
) -> torch.Tensor:
    """Mini-batch SGD with momentum in PyTorch's form (buf = beta buf + g, theta -= lr buf) for many networks at
    once; run i takes the next batch[i] samples of its own order[i] at each step."""
    runs, width, on = len(lrs), int(batch.max()), theta0.device
    theta, buf = theta0.expand(runs, -1).clone(), torch.zeros(runs, theta0.numel(), device=on)
    slot = torch.arange(width, device=on)[None, :]
    weight = (slot < batch[:, None]) / batch[:, None]  # 1/B on the run's own B samples, 0 on unused slots
    row, xs, ys = torch.arange(runs, device=on)[:, None], X.to(on), Y.to(on)
    for t in range(steps):
        idx = order[row, (t * batch[:, None] + slot).clamp(max=order.shape[1] - 1)]
        buf = betas[:, None] * buf + loss_grad(theta, xs[idx], ys[idx], weight)[1]
        theta = theta - lrs[:, None] * buf
    return theta


def quench(theta: torch.Tensor, lr: float, steps: int) -> tuple[torch.Tensor, torch.Tensor, float]:
    """Full-batch gradient descent from each end point: the end points, their losses, and the largest rise
    of any run's loss from one step to the next (none: every run only goes down)."""
    xs, ys = X.to(theta.device).expand(len(theta), n, D), Y.to(theta.device).expand(len(theta), n)
    loss, grad = loss_grad(theta, xs, ys)
    rise = -math.inf
    for _ in range(steps):
        theta = theta - lr * grad
        new, grad = loss_grad(theta, xs, ys)
        rise, loss = max(rise, (new - loss).max().item()), new
    return theta, loss, rise


def wilson(k: int, m: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's 95% interval for a rate seen k times in m trials."""
    p, d = k / m, 1 + z * z / m
    centre, half = (p + z * z / (2 * m)) / d, z * math.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / d
    return centre - half, centre + half


settings = torch.tensor(list(methods.values())).repeat_interleave(seeds, 0)  # (methods * seeds, 3)
epochs = steps * int(settings[:, 2].max()) // n + 1
order = torch.argsort(torch.rand(seeds, epochs, n, generator=torch.Generator().manual_seed(1)), -1).flatten(1)
order = order.repeat(len(methods), 1)  # seed s of every method draws its samples in the same order
threshold = L_loc - (L_loc - L_glob) / 2  # "lower": below the midpoint between theta_loc and theta_glob
rates, intervals, final = {}, {}, {}
for device in devices:
    on = torch.device(device)
    ends = sgd_runs(
        theta_loc.to(on),
        settings[:, 0].to(on),
        settings[:, 1].to(on),
        settings[:, 2].long().to(on),
        order.to(on),
        steps,
    )
    settled, losses, rise = quench(ends, quench_lr, quench_steps)
    escaped = (losses < threshold).reshape(len(methods), seeds).cpu()  # NaN (a diverged run) is not an escape
    final[device] = losses.reshape(len(methods), seeds).cpu()
    rates[device] = {name: escaped[i].float().mean().item() for i, name in enumerate(methods)}
    intervals[device] = {name: wilson(int(escaped[i].sum()), seeds) for i, name in enumerate(methods)}
    assert torch.isfinite(losses).all() and rise <= 1e-12  # no run diverged; the quench only went down
for name in methods:
    lo, hi = intervals["cpu"][name]
    print(f"{name:26s} escapes in {rates['cpu'][name]:6.1%} of {seeds} runs (95% interval {lo:.1%} to {hi:.1%})")
