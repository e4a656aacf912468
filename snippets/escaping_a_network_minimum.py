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
    """Full-batch loss and gradient of each network in theta (R, P), on theta's device."""
    x, y = X.to(theta.device), Y.to(theta.device)
    return loss_grad(theta, x.expand(len(theta), n, D), y.expand(len(theta), n))


def one_loss(theta: torch.Tensor) -> torch.Tensor:
    return full(theta[None])[0][0]


hessian = torch.func.vmap(torch.func.hessian(one_loss))  # (R, P) -> (R, P, P), by automatic differentiation


def newton(theta: torch.Tensor, iters: int) -> torch.Tensor:
    """Damped (Levenberg-Marquardt) Newton steps, per network: a step is kept only if it lowers the loss."""
    damping = torch.full((len(theta), 1, 1), 1e-3, device=theta.device)
    eye = torch.eye(P, device=theta.device)
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

lr, beta, steps, seeds, tail = 0.03, 0.9, 3000, 200, 1000  # the momentum run; every run takes `steps` mini-batch steps
methods = {  # name: (learning rate, momentum, batch size)
    "SGD, lr 0.03": (lr, 0.0, 1),
    "SGD, lr 0.3 = lr/(1-beta)": (lr / (1 - beta), 0.0, 1),
    "momentum 0.9, lr 0.03": (lr, beta, 1),
    "SGD, lr 0.3, batch 4": (lr / (1 - beta), 0.0, 4),
}
polish_lr, polish_steps, polish_newton = 0.3, 300, 15
near, same = 1e-4, 1e-9  # Newton where the loss is within `near` of theta_loc's or lower; `same`: its loss
devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def sgd_runs(
    theta0: torch.Tensor,
    lrs: torch.Tensor,
    betas: torch.Tensor,
    batch: torch.Tensor,
    order: torch.Tensor,
    steps: int,
    tail: int,
    path: list | None = None,
) -> torch.Tensor:
    """Mini-batch SGD with momentum in PyTorch's form (buf = beta buf + g, theta -= lr buf) for many networks at
    once; run i takes the next batch[i] samples of its own order[i] at each step (each iterate kept in `path`)."""
    runs, width, on = len(lrs), int(batch.max()), theta0.device
    theta, buf = theta0.expand(runs, -1).clone(), torch.zeros(runs, theta0.numel(), device=on)
    slot = torch.arange(width, device=on)[None, :]
    weight = (slot < batch[:, None]) / batch[:, None]  # 1/B on the run's own B samples, 0 on unused slots
    row, xs, ys = torch.arange(runs, device=on)[:, None], X.to(on), Y.to(on)
    for t in range(steps):
        idx = order[row, (t * batch[:, None] + slot).clamp(max=order.shape[1] - 1)]
        buf = betas[:, None] * buf + loss_grad(theta, xs[idx], ys[idx], weight)[1]
        theta = theta - lrs[:, None] * min(1.0, (steps - t) / tail) * buf  # the last `tail` steps: lr down to 0
        if path is not None:
            path.append(theta)
    return theta


def polish(theta: torch.Tensor, lr: float, steps: int, iters: int) -> tuple[torch.Tensor, torch.Tensor, float]:
    """Full-batch gradient descent, then damped Newton where the loss is near theta_loc's or lower; each step of
    either only lowers the loss (checked: the largest rise of any run's loss in one gradient step is returned)."""
    loss, grad = full(theta)
    rise = -math.inf
    for _ in range(steps):
        theta = theta - lr * grad
        new, grad = full(theta)
        rise, loss = max(rise, (new - loss).max().item()), new
    candidates = loss < L_loc + near  # Newton only where a minimum at or below theta_loc's level can be
    theta[candidates] = newton(theta[candidates], iters)
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
counts, final, where, minimum = {}, {}, {}, {}
for device in devices:
    on = torch.device(device)
    ends = sgd_runs(
        theta_loc.to(on),
        settings[:, 0].to(on),
        settings[:, 1].to(on),
        settings[:, 2].long().to(on),
        order.to(on),
        steps,
        tail,
    )
    settled, before_newton, rise = polish(ends, polish_lr, polish_steps, polish_newton)
    losses, grads = full(settled)
    close = losses < L_loc + near
    eigs_end = torch.linalg.eigvalsh(hessian(settled[close]))
    is_min = torch.zeros_like(losses, dtype=torch.bool)
    is_min[close] = eigs_end[:, 0] > ratio_tol * eigs_end[:, -1]
    is_min &= grads.norm(dim=-1) < grad_tol
    table = lambda mask: mask.reshape(len(methods), seeds).cpu()  # noqa: E731
    lower, back = table(losses < threshold), table(is_min & ((losses - L_loc).abs() < same))
    final[device], where[device], minimum[device] = table(losses), settled.cpu(), table(is_min)
    counts[device] = {
        m: (int(back[i].sum()), int(lower[i].sum()), int((lower & table(is_min))[i].sum()))
        for i, m in enumerate(methods)
    }
    assert torch.isfinite(losses).all() and rise <= 0  # no run diverged; gradient descent only went down
for name, (stay, low, _) in counts["cpu"].items():
    lo, hi = wilson(low, seeds)
    print(f"{name:26s} back at theta_loc {stay:3d}, lower {low:3d} = {low / seeds:5.1%} ({lo:.1%} to {hi:.1%})")
names = list(methods)  # SGD at lr, SGD at lr/(1-beta), momentum at lr, SGD at lr/(1-beta) with batch 4
for device in devices:
    (back_sgd, low_sgd, _), (back_big, low_big, _), (back_mom, low_mom, _), (back_b4, low_b4, _) = counts[
        device
    ].values()
    # claim: escape-batch-size
    assert back_big == 0 and back_b4 == seeds  # same lr, same steps: batch 1 never comes back, batch 4 always
    # claim: escape-small-noise-stays
    assert back_sgd == seeds and back_b4 == seeds and low_sgd == 0 and low_b4 == 0
    # claim: escape-momentum-beats-same-lr
    assert wilson(low_mom, seeds)[0] > wilson(low_sgd, seeds)[1] and back_mom == 0
    # claim: escape-larger-step-beats-momentum
    assert wilson(low_big, seeds)[0] > wilson(low_mom, seeds)[1] and back_big == 0
low = {m: c[1] for m, c in counts["cpu"].items()}  # runs that reached a loss below the threshold, per method
ci = {m: wilson(k, seeds) for m, k in low.items()}
certified_lower = {m: c[2] for m, c in counts["cpu"].items()}  # of these, at a certified minimum after the polish
# --8<-- [end:escape]

# --8<-- [start:torch-check]
import torch

check_steps, check_tail, check_seed, agree = (
    300,
    100,
    0,
    1e-10,
)  # one network, one sample order, the lr schedule included
for device in devices:
    on = torch.device(device)
    ours: list[torch.Tensor] = []
    sgd_runs(
        theta_loc.to(on),
        torch.tensor([lr], device=on),
        torch.tensor([beta], device=on),
        torch.tensor([1], device=on),
        order[check_seed : check_seed + 1].to(on),
        check_steps,
        check_tail,
        ours,
    )
    param = theta_loc.clone().to(on).requires_grad_(True)
    opt = torch.optim.SGD([param], lr=lr, momentum=beta)
    gap = 0.0  # largest difference at any step, relative to the distance moved by then
    for t in range(check_steps):
        opt.param_groups[0]["lr"] = lr * min(1.0, (check_steps - t) / check_tail)
        i = order[check_seed, t].item()
        x, y = X[i : i + 1].to(on)[None], Y[i : i + 1].to(on)[None]
        opt.zero_grad()
        loss_grad(param[None], x, y)[0].sum().backward()  # autograd's gradient, not ours
        opt.step()
        moved = (ours[t][0] - theta_loc.to(on)).abs().max().item()
        gap = max(gap, (param.detach() - ours[t][0]).abs().max().item() / moved)
    print(f"{device}: torch.optim.SGD and the batched update agree at each of {check_steps} steps within {agree:.0e}")
    # claim: escape-matches-torch
    assert gap < agree and len(ours) == check_steps
# --8<-- [end:torch-check]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import torch

# The path: straight from theta_loc to the end of the first run of SGD at lr/(1-beta) that reached a certified
# lower minimum (Goodfellow, Vinyals & Saxe's one-dimensional interpolation).
first = int(torch.nonzero((final["cpu"][1] < threshold) & minimum["cpu"][1])[0])
end = where["cpu"][seeds + first]
alphas = torch.linspace(-0.25, 1.25, 121)
path = full((1 - alphas[:, None]) * theta_loc + alphas[:, None] * end)[0]
inside = (alphas >= 0) & (alphas <= 1)
barrier = path[inside].max().item()
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
left.plot(alphas, path, color="C0")
left.axhline(L_loc, color="C3", ls=":", lw=1, label="θ_loc")
left.axhline(L_glob, color="C2", ls=":", lw=1, label="θ_glob")
left.set(xlabel="α: (1-α) θ_loc + α θ_end", ylabel="full-batch loss", yscale="log")
left.set_title("A straight path from θ_loc to where a run ended")
left.legend()
for i, name in enumerate(names):
    right.hist(final["cpu"][i].numpy(), bins=40, range=(0.002, 0.0045), histtype="step", lw=1.5, label=name)
right.axvline(threshold, color="0.3", ls="--", lw=1)
right.set(xlabel="full-batch loss after the polish", ylabel=f"runs (of {seeds})")
right.set_title("Where the runs end")
right.legend(fontsize=8)
fig.tight_layout()
fig.savefig("escaping-a-network-minimum.svg")
end_loss = full(end[None])[0].item()
spread = [final["cpu"][i] for i in (1, 2)]  # plain SGD at the large step, and momentum
# What the figure's description says, checked on its own data:
assert barrier > L_loc and end_loss < threshold  # a barrier above theta_loc, then a lower end
assert (final["cpu"][0] - L_loc).abs().max() < same and (final["cpu"][3] - L_loc).abs().max() < same
assert all((f > L_loc + near).any() and (f < threshold).any() for f in spread)  # above it, and a group below
# --8<-- [end:figure]
