# --8<-- [start:minimum]
import torch

torch.set_default_dtype(torch.float64)
D, H, n, wd = 2, 4, 64, 3e-4  # inputs, hidden tanh units, data points, weight decay
P = H * D + 2 * H + 1  # parameters: input weights, biases, output weights, output bias


def unpack(theta: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Input weights (.., H, D), hidden biases, output weights and output bias of networks theta (.., P)."""
    w = theta[..., : H * D].unflatten(-1, (H, D))
    return w, theta[..., H * D : H * D + H], theta[..., H * D + H : -1], theta[..., -1]


def loss_grad(
    theta: torch.Tensor, x: torch.Tensor, y: torch.Tensor, weight: torch.Tensor | None = None, decay: float = wd
):
    """Loss sum(weight r^2)/2 + decay |theta|^2/2 (weight 1/m: the mean) and its gradient, by hand, for a batch of
    networks theta (R, P) on their own data x (R, m, D), y (R, m): batched matrix products, no loop over networks."""
    w, b, v, c = unpack(theta)
    h = torch.tanh(x @ w.transpose(-1, -2) + b[..., None, :])
    r = (h @ v[..., None])[..., 0] + c[..., None] - y
    weight = 1 / y.shape[-1] if weight is None else weight
    loss = 0.5 * (weight * r * r).sum(-1) + 0.5 * decay * (theta * theta).sum(-1)
    r = weight * r
    dz = r[..., None] * v[..., None, :] * (1 - h * h)
    grad = torch.cat(
        [(dz.transpose(-1, -2) @ x).flatten(-2), dz.sum(-2), (r[..., None, :] @ h)[..., 0, :], r.sum(-1, keepdim=True)],
        -1,
    )
    return loss, grad + decay * theta


def full(theta: torch.Tensor, decay: float = wd) -> tuple[torch.Tensor, torch.Tensor]:
    """Full-batch loss and gradient of each network in theta (R, P), on theta's device."""
    x, y = X.to(theta.device), Y.to(theta.device)
    return loss_grad(theta, x.expand(len(theta), n, D), y.expand(len(theta), n), decay=decay)


def hess(theta: torch.Tensor, decay: float = wd) -> torch.Tensor:
    """Full-batch Hessian (R, P, P) by hand, J^T J / n + sum_i r_i f_i'' / n + decay I: f_i'' couples only a unit's
    input weights and bias with each other and with its output weight."""
    w, b, v, c = unpack(theta)
    x, y, on = X.to(theta.device), Y.to(theta.device), theta.device
    u = torch.cat([x, torch.ones(n, 1, device=on)], 1)  # each input with a 1 for the bias
    h = torch.tanh(x @ w.transpose(-1, -2) + b[..., None, :])
    r = (h @ v[..., None])[..., 0] + c[..., None] - y
    vs = v[..., None, :] * (1 - h * h)  # df/dz for each unit
    J = torch.cat([(vs[..., None] * x[:, None, :]).flatten(-2), vs, h, torch.ones_like(r)[..., None]], -1)
    out = J.transpose(-1, -2) @ J / n + decay * torch.eye(P, device=on)
    zz = torch.einsum("rn,rnh,ni,nj->rhij", r, -2 * h * vs, u, u) / n  # (w_j, b_j) with itself
    zv = torch.einsum("rn,rnh,ni->rhi", r, 1 - h * h, u) / n  # (w_j, b_j) with v_j
    for j in range(H):
        ix = torch.tensor([j * D + d for d in range(D)] + [H * D + j], device=on)
        out[:, ix[:, None], ix] += zz[:, j]
        out[:, ix, H * D + H + j] += zv[:, j]
        out[:, H * D + H + j, ix] += zv[:, j]
    return out


def newton(theta: torch.Tensor, iters: int, decay: float = wd) -> torch.Tensor:
    """Damped Newton steps (Hessian + mu I), per network: a step is kept only if it lowers the loss."""
    damping = torch.full((len(theta), 1, 1), 1e-3, device=theta.device)
    eye = torch.eye(P, device=theta.device)
    for _ in range(iters):
        loss, grad = full(theta, decay)
        trial = theta - torch.linalg.solve(hess(theta, decay) + damping * eye, grad[..., None])[..., 0]
        better = (full(trial, decay)[0] <= loss)[:, None, None]
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
eigs = torch.linalg.eigvalsh(hess(theta))
grad_tol, ratio_tol = 1e-8, 1e-5  # a minimum: |grad| below grad_tol, smallest/largest eigenvalue above ratio_tol
certified = (grad.norm(dim=-1) < grad_tol) & (eigs[:, 0] > ratio_tol * eigs[:, -1])
levels = torch.unique(torch.round(loss[certified], decimals=8))  # distinct minima, by loss
k_glob = int(torch.where(certified, loss, torch.inf).argmin())
k_loc = int(torch.where(certified & (torch.round(loss, decimals=8) == levels[1]), 0, 1).argmin())  # 2nd-lowest
theta_loc, theta_glob = theta[k_loc], theta[k_glob]
L_loc, L_glob = loss[k_loc].item(), loss[k_glob].item()
grad_loc, eig_min, eig_max = grad[k_loc].norm().item(), eigs[k_loc, 0].item(), eigs[k_loc, -1].item()
autograd_gap = (torch.func.hessian(lambda t: full(t[None])[0][0])(theta_loc) - hess(theta_loc[None])[0]).abs().max()
teacher = torch.cat([w0.flatten(), b0, v0, torch.zeros(1)])  # the labelling network: data loss 0
L_teacher = full(newton(teacher[None], newton_iters))[0].item()  # the minimum next to it, weight decay included
print(f"{int(certified.sum())} of {starts} starts end at a certified minimum; {len(levels)} distinct losses")
print(
    f"theta_loc: loss {L_loc:.6f}, |grad| below 1e-{-torch.log10(torch.tensor(grad_loc)).floor():.0f}, "
    f"Hessian eigenvalues {eig_min:.2e} to {eig_max:.2f}"
)
print(f"theta_glob: loss {L_glob:.6f}; Newton from the teacher: {L_teacher:.6f}")
# claim: escape-certified-minimum
assert certified[k_loc] and certified[k_glob] and k_loc != k_glob and autograd_gap < 1e-12
assert grad_loc < grad_tol and grad[k_glob].norm() < grad_tol
assert eig_min > ratio_tol * eig_max and eigs[k_glob, 0] > ratio_tol * eigs[k_glob, -1]
assert L_loc > L_glob * 1.2 and L_glob == loss[certified].min()  # clearly above the best minimum found
assert abs(L_teacher - L_glob) < 1e-12  # the best minimum found is the teacher's
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
twin_eigs, loc_eigs = (torch.linalg.eigvalsh(hess(t[None]))[0] for t in (twin, theta_loc))
spectrum_gap = (twin_eigs - loc_eigs).abs().max().item() / eig_max
# The weight decay's part: its share of the loss gap, and Newton on the data term alone (decay 0) from theta_loc.
decay_share = wd / 2 * (theta_loc.norm() ** 2 - theta_glob.norm() ** 2).item() / (L_loc - L_glob)
data_only = newton(theta_loc[None], 5 * newton_iters, decay=0.0)  # converges slowly: a flat direction
drift = (data_only[0] - theta_loc).norm().item()
data_eigs = torch.linalg.eigvalsh(hess(data_only, decay=0.0))[0]
data_ratio, data_grad = (data_eigs[0] / data_eigs[-1]).item(), full(data_only, decay=0.0)[1].norm().item()
print(f"distinct units: closest pair {closest:.2f} apart (up to sign); |output weights| >= {smallest_out:.2f}")
print(f"a permuted, sign-flipped copy: {(twin - theta_loc).norm():.2f} away, same loss and spectrum")
print(f"weight decay's share of the loss gap: {decay_share:.0%}")
print(f"without weight decay, Newton moves {drift:.2f} away; eigenvalue ratio there {data_ratio:.1e}")
separated = 0.1  # below this a unit would be nearly dead, constant or a copy of another
# claim: escape-no-flat-directions
assert closest > separated and smallest_out > separated and smallest_in > separated
assert (twin - theta_loc).norm() > separated  # a different point...
assert abs(full(twin[None])[0] - L_loc) < 1e-14 and spectrum_gap < 1e-10  # ...with the same loss and spectrum
# claim: escape-weight-decay
assert 0.3 < decay_share < 0.7  # "about half"
assert drift > separated and data_ratio < ratio_tol and data_grad < grad_tol  # the data term alone: not certified
# --8<-- [end:symmetries]

# --8<-- [start:escape]
import math

import torch

lr, beta, steps, tail = 0.03, 0.9, 3000, 1000  # the momentum run; the lr falls to 0 over the last `tail` steps
lr_mid = 0.02  # a smaller momentum step, inside the range where plain SGD at lr_mid/(1-beta) starts to leave
sets, per_set = 4, 100  # independent seed sets of sample orders, pooled: sets * per_set runs per method
methods = {  # name: (learning rate, momentum, batch size, steps)
    "SGD, lr 0.03": (lr, 0.0, 1, steps),
    "SGD, lr 0.3 = lr/(1-beta)": (lr / (1 - beta), 0.0, 1, steps),
    "momentum 0.9, lr 0.03": (lr, beta, 1, steps),
    "SGD, lr 0.3, batch 4": (lr / (1 - beta), 0.0, 4, steps),
    "SGD, lr 0.3, batch 4, 1/4 steps": (lr / (1 - beta), 0.0, 4, steps // 4),  # as many sample gradients as batch 1
    f"SGD, lr {lr_mid / (1 - beta):g} = lr_mid/(1-beta)": (lr_mid / (1 - beta), 0.0, 1, steps),
    f"momentum {beta:g}, lr {lr_mid:g}": (lr_mid, beta, 1, steps),
}
radius, settle_iters, same = 0.1, 200, 1e-9  # the descent's largest step; `same`: at theta_loc's loss
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


def settle(theta: torch.Tensor, iters: int, radius: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """A deterministic descent to a minimum, per network: Newton steps on the Hessian shifted to be positive
    definite, at most `radius` long, kept only if they lower the loss; networks stop once |grad| < grad_tol."""
    theta, damping = theta.clone(), torch.full((len(theta),), 1e-3, device=theta.device)
    loss, grad = full(theta)
    for _ in range(iters):
        a = torch.nonzero(grad.norm(dim=-1) >= grad_tol)[:, 0]  # the networks still moving
        if len(a) == 0:
            break
        lam, Q = torch.linalg.eigh(hess(theta[a]))
        shift = (-lam[:, :1]).clamp(min=0) + damping[a, None]
        step = (Q @ ((Q.transpose(-1, -2) @ grad[a, :, None]) / (lam + shift)[..., None]))[..., 0]
        step = step * (radius / step.norm(dim=-1, keepdim=True)).clamp(max=1)
        new_loss, new_grad = full(theta[a] - step)
        ok = new_loss < loss[a]
        theta[a] = torch.where(ok[:, None], theta[a] - step, theta[a])
        loss[a], grad[a] = torch.where(ok, new_loss, loss[a]), torch.where(ok[:, None], new_grad, grad[a])
        damping[a] = torch.where(ok, (damping[a] / 10).clamp(min=1e-15), damping[a] * 10)
    return theta, loss, grad


def wilson(k: int, m: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's 95% interval for a rate seen k times in m trials."""
    p, d = k / m, 1 + z * z / m
    centre, half = (p + z * z / (2 * m)) / d, z * math.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / d
    return max(0.0, centre - half), min(1.0, centre + half)


seeds = sets * per_set
epochs = steps * 4 // n + 1
order = torch.cat(  # seed set k draws its orders from generator k; a training point per step, reshuffled each epoch
    [torch.argsort(torch.rand(per_set, epochs, n, generator=torch.Generator().manual_seed(k)), -1) for k in range(sets)]
).flatten(1)
threshold = L_loc - (L_loc - L_glob) / 2  # "lower": below the midpoint between theta_loc and theta_glob
counts, trained, settled_loss, where, start = {}, {}, {}, {}, {}
for device in devices:
    on = torch.device(device)
    by_name = {}
    for key in dict.fromkeys((m[2], m[3]) for m in methods.values()):  # one batch of networks per (batch, steps)
        group = [name for name, m in methods.items() if (m[2], m[3]) == key]
        lrs, betas, batch = torch.tensor([methods[name][:3] for name in group]).repeat_interleave(seeds, 0).T.to(on)
        rows = order.repeat(len(group), 1).to(on)
        out = sgd_runs(theta_loc.to(on), lrs, betas, batch.long(), rows, key[1], tail * key[1] // steps)
        by_name.update(zip(group, out.split(seeds), strict=True))
    ends = torch.cat([by_name[name] for name in methods])  # the methods in the order of `methods`
    start[device] = ends.cpu()
    settled, losses, grads = settle(ends, settle_iters, radius)
    eigs_end = torch.linalg.eigvalsh(hess(settled))
    is_min = (grads.norm(dim=-1) < grad_tol) & (eigs_end[:, 0] > ratio_tol * eigs_end[:, -1])
    table = lambda mask: mask.reshape(len(methods), seeds).cpu()  # noqa: E731
    back, lower = table(is_min & ((losses - L_loc).abs() < same)), table(is_min & (losses < threshold))
    trained[device], settled_loss[device], where[device] = table(full(ends)[0]), table(losses), settled.cpu()
    counts[device] = {
        m: (int(back[i].sum()), int(lower[i].sum()), int((~table(is_min))[i].sum())) for i, m in enumerate(methods)
    }
    assert torch.isfinite(losses).all()  # no run diverged
for name, (stay, low, unsettled) in counts["cpu"].items():
    lo, hi = wilson(low, seeds)
    print(f"{name:35s} back {stay:3d}, lower {low:3d} ({lo:.1%} to {hi:.1%}), not a minimum {unsettled}")
names = list(methods)  # SGD at lr, at lr/(1-beta), momentum at lr, batch 4 (two), SGD at lr_mid/(1-beta), momentum
most = 0.95  # "almost every run": the lower end of the interval is above this
apart = 0.7  # at lr_mid: plain SGD's interval lies more than this above momentum's
for device in devices:
    (
        (back_sgd, low_sgd, u0),
        (back_big, low_big, u1),
        (back_mom, low_mom, u2),
        (back_b4, low_b4, u3),
        (back_q, low_q, u4),
        (back_mid, low_mid, u5),
        (back_mid_mom, low_mid_mom, u6),
    ) = counts[device].values()
    # claim: escape-small-noise-stays
    assert back_sgd == seeds and back_b4 == seeds and back_q == seeds and u0 == u3 == u4 == 0
    # claim: escape-momentum-beats-same-lr
    assert wilson(low_mom, seeds)[0] > most and low_sgd == 0 and u2 == 0 and back_mom == 0
    # claim: escape-effective-step-ceiling
    assert low_big == low_mom == seeds and u1 == 0  # both at the ceiling: every run leaves
    # claim: escape-intermediate-step
    assert wilson(low_mid, seeds)[0] - wilson(low_mid_mom, seeds)[1] > apart  # plain SGD leaves more often
    assert u5 == u6 == 0  # every run of both ends at a certified minimum
    assert back_mid + low_mid == back_mid_mom + low_mid_mom == seeds  # none at a minimum above theta_loc's loss
    # claim: escape-batch-size
    assert back_big + low_big == seeds and back_b4 == back_q == seeds  # batch 1 leaves, batch 4 comes back
low = {m: c[1] for m, c in counts["cpu"].items()}  # runs at a certified minimum below the threshold, per method
back = {m: c[0] for m, c in counts["cpu"].items()}
ci = {m: wilson(k, seeds) for m, k in low.items()}
per_set_low = {
    m: settled_loss["cpu"][i].lt(threshold).reshape(sets, per_set).sum(1).tolist() for i, m in enumerate(names)
}
left = [trained["cpu"][i][settled_loss["cpu"][i] < threshold] for i in (1, 2)]  # the runs that reached a lower minimum
above = [float((t > L_loc).float().mean()) for t in left]  # share whose loss at the end of training was above L_loc
# --8<-- [end:escape]

# --8<-- [start:descent-check]
import torch

# The descent's basin: with a step cap five times larger, every run of seed set 0 ends at the same level.
first_set = torch.arange(len(methods))[:, None] * seeds + torch.arange(per_set)  # seed set 0 of every method
settled_big, losses_big, grads_big = settle(start["cpu"][first_set.flatten()], settle_iters, 5 * radius)
agree_levels = int(((losses_big - settled_loss["cpu"][:, :per_set].flatten()).abs() < same).sum())
print(f"cap {5 * radius:g}: {agree_levels} of {len(losses_big)} runs end at the same level as with cap {radius:g}")
# claim: escape-descent-cap
assert agree_levels == len(losses_big) and (grads_big.norm(dim=-1) < grad_tol).all()
# --8<-- [end:descent-check]
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

# The path: straight from theta_loc to where the first run of SGD at lr/(1-beta) ended after the descent
# (Goodfellow, Vinyals & Saxe's one-dimensional interpolation).
first = int(torch.nonzero(settled_loss["cpu"][1] < threshold)[0])
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
span = (trained["cpu"].min().item(), trained["cpu"].max().item())  # every run is inside the plotted range
for i, name in enumerate(names[:5]):  # the two methods at lr_mid are in the table, not the figure
    right.hist(trained["cpu"][i].numpy(), bins=50, range=span, histtype="step", lw=1.5, label=name)
right.axvline(L_loc, color="C3", ls=":", lw=1)
right.set(xlabel="full-batch loss at the end of training", ylabel=f"runs (of {seeds})", yscale="log")
right.set_title("Where training ends, before the descent")
right.legend(fontsize=7)
fig.tight_layout()
fig.savefig("escaping-a-network-minimum.svg")
stay_spread = max((trained["cpu"][i] - L_loc).abs().max().item() for i in (0, 3, 4))
near = 2e-4  # "close to theta_loc's loss"
# What the figure's description says, checked on its own data:
assert barrier > L_loc and full(end[None])[0].item() < threshold  # a barrier above theta_loc, then a lower end
assert stay_spread < near < min((trained["cpu"][i] - L_loc).abs().max().item() for i in (1, 2))
assert min(above) > 0.5  # most of the runs that reach a lower minimum end training above theta_loc's loss
# --8<-- [end:figure]
