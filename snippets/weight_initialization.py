# Code of the page docs/weight-initialization.md; each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:formulas]
import math

import numpy as np
import torch


def fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """fan_in, fan_out of a weight of shape (out, in, *kernel), as torch.nn.init counts them."""
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 dimensions, got shape={shape}")
    field = math.prod(shape[2:])
    return shape[1] * field, shape[0] * field


def gain(nonlinearity: str, slope: float = 0.01) -> float:
    """The gain g such that Var W = g^2 / fan keeps the signal's size for this nonlinearity."""
    table = {"linear": 1.0, "sigmoid": 1.0, "tanh": 5 / 3, "relu": math.sqrt(2), "selu": 3 / 4}
    if nonlinearity == "leaky_relu":
        return math.sqrt(2 / (1 + slope**2))  # He et al. (2015), Eq. 15, with a = slope
    return table[nonlinearity]


def glorot_std(shape: tuple[int, ...], g: float = 1.0) -> float:
    """Glorot & Bengio (2010), Eq. 12: Var W = 2 / (fan_in + fan_out), times g^2."""
    fan_in, fan_out = fans(shape)
    return g * math.sqrt(2 / (fan_in + fan_out))


def he_std(shape: tuple[int, ...], g: float = math.sqrt(2), mode: str = "fan_in") -> float:
    """He et al. (2015), Eq. 10 (fan_in) or Eq. 14 (fan_out): Var W = g^2 / fan, g^2 = 2 for ReLU."""
    fan_in, fan_out = fans(shape)
    return g / math.sqrt(fan_in if mode == "fan_in" else fan_out)


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
names, tol = ["linear", "sigmoid", "tanh", "relu", "selu"], 1e-12
gain_gap = max(abs(torch.nn.init.calculate_gain(n) - gain(n)) for n in names)
gain_gap = max(gain_gap, abs(torch.nn.init.calculate_gain("leaky_relu", 0.2) - gain("leaky_relu", 0.2)))
tanh_gain = torch.nn.init.calculate_gain("tanh")
shapes = [(300, 500), (64, 32, 3, 3)]  # a Linear layer's weight (out, in) and a Conv2d's
cases = []  # (torch's initializer, the same as a plain draw of the stated std or bound)
for shape in shapes:
    s_xavier, s_he, s_out = (
        glorot_std(shape, gain("tanh")),
        he_std(shape),
        he_std(shape, gain("leaky_relu", 0.2), "fan_out"),
    )
    cases += [
        (lambda t: torch.nn.init.xavier_normal_(t, gain=tanh_gain), lambda t, s=s_xavier: t.normal_(0, s)),
        (
            lambda t: torch.nn.init.xavier_uniform_(t, gain=tanh_gain),
            lambda t, s=s_xavier: t.uniform_(-s * 3**0.5, s * 3**0.5),
        ),
        (lambda t: torch.nn.init.kaiming_normal_(t, nonlinearity="relu"), lambda t, s=s_he: t.normal_(0, s)),
        (
            lambda t: torch.nn.init.kaiming_uniform_(t, nonlinearity="relu"),
            lambda t, s=s_he: t.uniform_(-s * 3**0.5, s * 3**0.5),
        ),
        (lambda t: torch.nn.init.kaiming_normal_(t, a=0.2, mode="fan_out"), lambda t, s=s_out: t.normal_(0, s)),
    ]
worst = 0.0
for device in devices:
    for k, (init, plain) in enumerate(cases):
        shape = shapes[k // 5]
        torch.manual_seed(k)
        ours = init(torch.empty(shape, dtype=torch.float64, device=device))
        torch.manual_seed(k)
        ref = plain(torch.empty(shape, dtype=torch.float64, device=device))
        worst = max(worst, ((ours - ref).abs().max() / ref.abs().max()).item())
print(f"calculate_gain = the table, to within {tol:.0e}: {gain_gap < tol}")
print(
    f"{len(cases)} initializers x {len(devices)} device(s): same numbers as a plain draw of the formula's std or bound"
)
# claim: init-torch-formulas [cases=len(cases) devices=devices]
assert gain_gap < tol
assert worst < tol  # torch's initializer = normal_(0, std) or uniform_(-bound, bound) with the formula's values
# --8<-- [end:formulas]

# --8<-- [start:variance]
import math

import torch

devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
shapes, z, edge = [(1000, 1000), (256, 64, 7, 7)], 5.0, 1e-4  # 10^6 and 802,816 weights; z standard errors
zs, worst_edge, over, count = [], 0.0, False, min(math.prod(shape) for shape in shapes)
for device in devices:
    for k, shape in enumerate(shapes):
        fan_in = shape[1] * math.prod(shape[2:])
        fan_out = shape[0] * math.prod(shape[2:])
        glorot = (5 / 3) ** 2 * 2 / (fan_in + fan_out)  # Var W for xavier_*_(gain=5/3)
        he = 2 / fan_in  # Var W for kaiming_*_(nonlinearity="relu")
        runs = {
            "xavier_normal_": (lambda t: torch.nn.init.xavier_normal_(t, gain=5 / 3), glorot, 3.0),
            "xavier_uniform_": (lambda t: torch.nn.init.xavier_uniform_(t, gain=5 / 3), glorot, 1.8),
            "kaiming_normal_": (lambda t: torch.nn.init.kaiming_normal_(t, nonlinearity="relu"), he, 3.0),
            "kaiming_uniform_": (lambda t: torch.nn.init.kaiming_uniform_(t, nonlinearity="relu"), he, 1.8),
        }
        for j, (name, (init, var, kurtosis)) in enumerate(
            runs.items()
        ):  # E w^4 = kurtosis var^2: 3 normal, 9/5 uniform
            torch.manual_seed(10 * k + j)  # an independent draw for each initializer and shape
            w = init(torch.empty(shape, dtype=torch.float64, device=device))
            se = var * math.sqrt((kurtosis - 1) / w.numel())  # standard error of mean(w^2)
            zs.append(abs((w**2).mean().item() - var) / se)
            if name.endswith("uniform_"):
                bound = math.sqrt(3 * var)
                over = over or w.abs().max().item() > bound
                worst_edge = max(worst_edge, 1 - w.abs().max().item() / bound)
worst_z, distinct = max(zs), len({round(v, 9) for v in zs}) == len(zs)  # no two initializers shared a draw
print(f"every empirical variance within {worst_z:.1f} standard errors of the formula")
print(
    f"every uniform draw reaches within {edge:.0e} of its bound and never beyond it: {worst_edge < edge and not over}"
)
# claim: init-torch-variance [devices=devices count=count]
assert worst_z < z and distinct
assert worst_edge < edge and not over
# --8<-- [end:variance]

# --8<-- [start:depth]
import numpy as np
import torch


def act(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """phi(z) and phi'(z)."""
    if name == "tanh":
        return np.tanh(z), 1 - np.tanh(z) ** 2
    if name == "relu":
        return np.maximum(z, 0), (z > 0) * 1.0
    return z, np.ones_like(z)


def signal(name: str, var_n: float, noise: np.ndarray) -> dict[str, np.ndarray]:
    """Squared norms |h_l|^2 (forward) and |dL/dh_l|^2 (backward, L = u . h_depth), l = 0..depth,
    and the pre-activations' mean squares, with W_l = noise[l + 1] sqrt(var_n / n); noise (depth + 2, nets, n, n)."""
    scale = np.sqrt(var_n / noise.shape[-1])
    h, u = noise[0][:, :1, :], noise[0][:, 1:2, :]
    forward, pre, slopes = [np.sum(h**2, axis=(1, 2))], [], []
    for N in noise[2:]:
        z = (h @ N) * scale
        h, slope = act(name, z)
        forward.append(np.sum(h**2, axis=(1, 2)))
        pre.append(np.mean(z**2, axis=(1, 2)))
        slopes.append(slope)
    g, backward = u, [np.sum(u**2, axis=(1, 2))]
    for N, slope in zip(noise[:1:-1], slopes[::-1], strict=True):  # dL/dh_(l-1) = (dL/dh_l * phi'(z_l)) W_l^T
        g = ((g * slope) @ N.transpose(0, 2, 1)) * scale
        backward.append(np.sum(g**2, axis=(1, 2)))
    return {"forward": np.array(forward), "backward": np.array(backward[::-1]), "pre": np.array(pre)}


def autograd_backward(name: str, var_n: float, noise: np.ndarray) -> np.ndarray:
    """The same |dL/dh_l|^2, l = 0..depth, from torch.autograd: a check that signal's backward pass is the gradient."""
    phi = {"relu": torch.relu, "tanh": torch.tanh}[name]
    t = torch.tensor(noise)
    hs = [t[0][:, :1, :].clone().requires_grad_(True)]
    for N in t[2:]:
        hs.append(phi(hs[-1] @ (N * np.sqrt(var_n / noise.shape[-1]))))
    grads = torch.autograd.grad((hs[-1] * t[0][:, 1:2, :]).sum(), hs)
    return np.array([(g**2).sum(dim=(1, 2)).numpy() for g in grads])


def per_layer(run: dict[str, np.ndarray]) -> dict[str, tuple[float, float]]:
    """Mean over layers and nets of each layer's ratio of squared norms (forward: out/in; backward: in/out),
    with its standard error."""
    ratios = {
        "forward": run["forward"][1:] / run["forward"][:-1],
        "backward": run["backward"][:-1] / run["backward"][1:],
    }
    return {k: (r.mean(), r.std() / np.sqrt(r.size)) for k, r in ratios.items()}


def mean_field(name: str, var_n: float, q1: float, depth: int) -> tuple[np.ndarray, float]:
    """The pre-activations' mean square layer by layer, q_(l+1) = var_n E[phi(z)^2], z ~ N(0, q_l), from q_1;
    and chi = var_n E[phi'(z)^2] at the last layer, the gradient's mean-square factor per layer."""
    x, w = np.polynomial.hermite_e.hermegauss(80)
    w, q = w / w.sum(), [q1]
    for _ in range(depth - 1):
        q.append(var_n * np.sum(w * act(name, np.sqrt(q[-1]) * x)[0] ** 2))
    return np.array(q), var_n * np.sum(w * act(name, np.sqrt(q[-1]) * x)[1] ** 2)


nets, off_nets, depth, width, z_max, tol = 96, 32, 60, 64, 4.0, 1e-10
rng = np.random.default_rng(0)
noise = rng.standard_normal((depth + 2, nets + 2 * off_nets, width, width))
noise, noise_half, noise_double = noise[:, :nets], noise[:, nets : nets + off_nets], noise[:, nets + off_nets :]
he, glorot = 2.0, 1.0  # Var W * n: He et al. for ReLU; Glorot & Bengio for square layers
he_run, linear_run = signal("relu", he, noise), signal("linear", glorot, noise)
steady = {"ReLU, He": per_layer(he_run), "linear, Glorot": per_layer(linear_run)}
se_max = max(se for stats in steady.values() for _, se in stats.values())
check = {
    name: (signal(name, v, noise[:, :4])["backward"], autograd_backward(name, v, noise[:, :4]))
    for name, v in [("relu", he), ("tanh", glorot)]
}
grad_gap = max(np.abs(ours / ref - 1).max() for ours, ref in check.values())  # numpy's backward pass vs autograd
for label, stats in steady.items():
    print(f"{label:15s} mean per-layer ratio: " + ", ".join(f"{k} {m:.3f} ± {s:.3f}" for k, (m, s) in stats.items()))
drift = he_run["forward"][-1] / he_run["forward"][0]
print(f"ReLU, He: |h_{depth}|^2 / |h_0|^2 ranges over the nets from {drift.min():.1e} to {drift.max():.1e}")
print(f"backward pass = torch.autograd's gradient for ReLU and tanh stacks, to within {tol:.0e}: {grad_gap < tol}")
# claim: init-steady [nets=nets depth=depth]
assert grad_gap < tol  # the backward squared norms are those of the true gradient
assert all(abs(m - 1) < z_max * s for stats in steady.values() for m, s in stats.values())

half, double, bits = 0.5, 2.0, 0.1  # c^2: the variance over He's; the typical net's tolerance in bits per layer
off = {half: signal("relu", half * he, noise_half), double: signal("relu", double * he, noise_double)}
for c2, run in off.items():
    stats = per_layer(run)
    log2_end = np.log2(np.median(run["forward"][-1] / run["forward"][0]))
    print(
        f"ReLU, {c2:g} x He's variance: " + ", ".join(f"{k} {m:.3f} ± {s:.3f}" for k, (m, s) in stats.items()), end=""
    )
    print(f"; median log2 |h_{depth}|^2 / |h_0|^2 = {log2_end:.1f}")
    # claim: init-off-by-two [nets=off_nets depth=depth]
    assert grad_gap < tol
    assert all(abs(m - c2) < z_max * s for m, s in stats.values())  # the mean square changes by c2 per layer
    assert abs(log2_end - depth * np.log2(c2)) < bits * depth  # the typical net, near (c^2)^L
    assert log2_end < depth * np.log2(c2)  # and below it: E log(ratio) < log E(ratio)

tanh_gain, rtol, settle = torch.nn.init.calculate_gain("tanh"), 0.05, 10  # PyTorch's gain 5/3; layers to settle
glorot_tanh, gain_tanh = signal("tanh", glorot, noise), signal("tanh", tanh_gain**2, noise)
shrunk = glorot_tanh["pre"].mean(axis=1)  # q_l, l = 1..depth
q_mf = mean_field("tanh", glorot, shrunk[0], depth)[0]  # the mean-field q_l at Glorot's variance: about 1/(2l)
power_limit, l1, l2, l3 = (
    0.5,
    depth // 4,
    depth // 2,
    depth,
)  # power-law decay q_l ~ 1/(2l): each doubling of l divides q_l by about 2
halvings = (shrunk[l1 - 1] / shrunk[l2 - 1], shrunk[l2 - 1] / shrunk[l3 - 1])
glorot_grad = glorot_tanh["backward"].mean(axis=1)
q_measured = gain_tanh["pre"].mean(axis=1)
q_predicted, chi = mean_field("tanh", tanh_gain**2, q_measured[0], depth)
grad_factor, grad_se = per_layer(gain_tanh)["backward"]
q_star = q_predicted[-1]  # the mean-field fixed point
q_gap, q_mean_gap = np.abs(q_measured[settle:] / q_star - 1).max(), abs(q_measured[settle:].mean() / q_star - 1)
chi_gap = abs(grad_factor / chi - 1)
print(f"tanh, Glorot: mean square of z from {shrunk[0]:.2f} at layer 1 to {shrunk[-1]:.4f} at layer {depth} ", end="")
print(f"(mean field {q_mf[-1]:.4f}, 1/(2 x {depth}) = {1 / (2 * depth):.4f});")
print(f"  q_{l1} / q_{l2} = {halvings[0]:.2f}, q_{l2} / q_{l3} = {halvings[1]:.2f}; ", end="")
print(f"gradient's mean square at layer 0 / at layer {depth} = {glorot_grad[0] / glorot_grad[-1]:.3f}")
print(
    f"tanh, gain {tanh_gain:.3f}: mean square of z from layer {settle} on: {q_measured[settle:].min():.2f} to ", end=""
)
print(f"{q_measured[settle:].max():.2f}, mean {q_measured[settle:].mean():.2f} (mean field q* = {q_star:.2f});")
print(f"  gradient's mean square x {grad_factor:.3f} ± {grad_se:.3f} per layer (mean field chi {chi:.3f})")
# claim: init-tanh [nets=nets depth=depth]
assert grad_gap < tol and tanh_gain == torch.nn.init.calculate_gain("tanh")
assert shrunk[-1] < 0.02 * shrunk[0]  # Glorot's variance does not hold tanh's signal: it dies out...
assert abs(depth * q_mf[-1] - power_limit) < 0.05  # ...like 1/(2l) in the mean field (the critical point)
assert all(1.5 < r < 3 for r in halvings) and halvings[1] < 1.5 * halvings[0]  # a power law: geometric would square
assert glorot_grad[0] / glorot_grad[-1] > 1e-3  # the gradient too decays only polynomially
assert q_mean_gap < rtol and q_gap < 2 * rtol  # PyTorch's gain holds it at q*, past the first layers...
assert chi_gap < rtol and grad_factor > 1.15  # ...and the gradient's mean square grows by about chi per layer
# --8<-- [end:depth]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

runs = {
    f"ReLU, He ({he:g}/n)": he_run,
    f"ReLU, Glorot ({glorot:g}/n)": off[half],
    f"ReLU, {double * he:g}/n": off[double],
}
runs |= {f"tanh, Glorot ({glorot:g}/n)": glorot_tanh, f"tanh, gain {tanh_gain:.3g}": gain_tanh}
layers = np.arange(depth + 1)
fig, ax = plt.subplots(figsize=(7, 4))
for label, run in runs.items():
    ax.semilogy(layers, np.mean(run["forward"] / run["forward"][0], axis=1), label=label)
for c2 in off:
    ax.semilogy(layers, c2**layers, "k:", lw=1)  # the law (c^2)^l for c^2 times He's variance
ax.set(xlabel="layer l", ylabel="mean over nets of |h_l|^2 / |h_0|^2", title=f"{nets} random nets, width {width}")
ax.legend(fontsize=7)
fig.savefig("weight-initialization-depth.svg")
he_curve = np.mean(he_run["forward"] / he_run["forward"][0], axis=1)
# The alt text: He's curve stays within a factor band of one; the off-by-two curves end beyond 2^(+-50).
band = he_curve.max() / he_curve.min()
assert band < 5
assert np.mean(off[half]["forward"][-1] / off[half]["forward"][0]) < 2.0**-50
assert np.mean(off[double]["forward"][-1] / off[double]["forward"][0]) > 2.0**50
# --8<-- [end:figure]

# --8<-- [start:linear-default]
import math

import torch

devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
width, depth, batch, z = 256, 60, 512, 4.0
for device in devices:
    torch.manual_seed(0)
    layers = [torch.nn.Linear(width, width, bias=False, dtype=torch.float64, device=device) for _ in range(depth)]
    w = torch.cat([layer.weight.flatten() for layer in layers])  # nn.Linear's own default initialization
    var, bound = (w**2).mean().item(), w.abs().max().item()
    se = (1 / (3 * width)) * math.sqrt(0.8 / w.numel())  # standard error of mean(w^2) for a uniform law
    h, ratios = torch.randn(batch, width, dtype=torch.float64, device=device), []
    for layer in layers:
        new = torch.relu(layer(h))
        ratios.append(((new**2).sum() / (h**2).sum()).item())
        h = new
    ratios = torch.tensor(ratios)
    mean, ratio_se = ratios.mean().item(), (ratios.std() / math.sqrt(depth)).item()
    # claim: init-linear-default [devices=devices]
    assert abs(var - 1 / (3 * width)) < z * se  # Var W = 1 / (3 fan_in): U(-1/sqrt(n), 1/sqrt(n))...
    assert bound <= 1 / math.sqrt(width) and bound > (1 - 1e-4) / math.sqrt(width)
    assert abs(mean - 1 / 6) < z * ratio_se  # ...a sixth of He's 2/n: ReLU layers shrink |h|^2 six-fold each
print(f"nn.Linear({width}, {width}): Var W = {var * width:.4f}/n (1/3n = {1 / 3:.4f}/n), ", end="")
print(f"max |w| sqrt(n) = {bound * math.sqrt(width):.4f}")
print(f"{depth} ReLU layers: |h|^2 shrinks by {mean:.3f} ± {ratio_se:.3f} per layer (1/6 = {1 / 6:.3f})")
# --8<-- [end:linear-default]
