# Code of the page docs/vanishing-and-exploding-gradients.md; each section is one block there.
# Every section is self-contained, so a reader can copy any one block and run it.

# --8<-- [start:jacobian]
import numpy as np
import torch

ACTIVATIONS = ["tanh", "sigmoid", "relu"]


def act(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """phi(z) and phi'(z) for one of the three activations."""
    if name == "tanh":
        return np.tanh(z), 1 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s, s * (1 - s)
    if name == "relu":
        return np.maximum(z, 0), (z > 0) * 1.0
    raise ValueError(f"name must be one of {ACTIVATIONS}, got name={name!r}")


def input_gradient(x: np.ndarray, weights: np.ndarray, u: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    """dL/dx for L = u . h_L, h_l = phi(h_(l-1) W_l), as the product of the layers' Jacobians applied to u,
    and the bound |u| prod_l |J_l|_2 on its norm; x (nets, n), weights (depth, nets, n, n)."""
    h, slopes = x[:, None, :], []
    for W in weights:  # forward: keep phi'(z_l) for the Jacobian J_l = diag(phi'(z_l)) W_l^T
        h, slope = act(name, h @ W)
        slopes.append(slope)
    g, bound = u[:, None, :], np.linalg.norm(u, axis=1)
    for W, slope in zip(weights[::-1], slopes[::-1], strict=True):  # backward: g <- J_l^T g = (g * phi') W_l^T
        g = (g * slope) @ W.transpose(0, 2, 1)
        bound = bound * np.linalg.norm(W * slope, ord=2, axis=(1, 2))  # |W_l diag(phi')|_2 = |J_l|_2
    return g[:, 0, :], bound


def autograd_input_gradient(x: np.ndarray, weights: np.ndarray, u: np.ndarray, name: str, device: str) -> np.ndarray:
    """The same dL/dx from torch.autograd, on `device`."""
    phi = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[name]
    xt = torch.tensor(x[:, None, :], device=device, requires_grad=True)
    h = xt
    for W in torch.tensor(weights, device=device):
        h = phi(h @ W)
    (h[:, 0, :] * torch.tensor(u, device=device)).sum().backward()
    return xt.grad[:, 0, :].cpu().numpy()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
nets, depth, width, tol = 20, 20, 32, 1e-12
rng = np.random.default_rng(0)
x, u = rng.standard_normal((nets, width)), rng.standard_normal((nets, width))
weights = rng.standard_normal((depth, nets, width, width)) * np.sqrt(2 / width)  # He's variance
worst, slack = 0.0, np.inf  # largest relative gap to autograd; smallest bound / |gradient|
for name in ACTIVATIONS:
    g, bound = input_gradient(x, weights, u, name)
    slack = min(slack, (bound / np.linalg.norm(g, axis=1)).min())
    for device in devices:
        ref = autograd_input_gradient(x, weights, u, name, device)
        worst = max(worst, (np.linalg.norm(g - ref, axis=1) / np.linalg.norm(ref, axis=1)).max())
print(f"{nets} nets x {len(ACTIVATIONS)} activations, depth {depth}: largest gap to autograd below {tol:.0e}")
print(f"the bound |u| prod |J_l| is at least {slack:,.0f} x the gradient's norm")
# claim: vanishing-jacobian-product [nets=nets devices=devices]
assert np.isfinite(worst) and worst < tol  # the product of Jacobians is what autograd computes
assert slack >= 1  # the norm never exceeds the product of the Jacobians' norms
# --8<-- [end:jacobian]

# --8<-- [start:depth]
import numpy as np
import torch


def act(name: str, z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """phi(z) and phi'(z)."""
    if name == "tanh":
        return np.tanh(z), 1 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s, s * (1 - s)
    return np.maximum(z, 0), (z > 0) * 1.0


def gradient_norms(name: str, gain2: float, noise: np.ndarray, residual: bool = False) -> np.ndarray:
    """|dL/dh_l| for l = 0..depth of bias-free layers h_l = phi(h_(l-1) W_l) (or h_(l-1) + phi(h_(l-1) W_l) with
    `residual`), Var W = gain2 / n, L = u . h_depth; `noise` (depth + 2, nets, n, n) holds all the draws."""
    n = noise.shape[-1]
    h, u, slopes = noise[0][:, :1, :], noise[0][:, 1:2, :], []
    weights = noise[2:] * np.sqrt(gain2 / n)
    for W in weights:
        out, slope = act(name, h @ W)
        h = h + out if residual else out
        slopes.append(slope)
    g, norms = u, [np.linalg.norm(u, axis=(1, 2))]
    for W, slope in zip(weights[::-1], slopes[::-1], strict=True):
        back = (g * slope) @ W.transpose(0, 2, 1)  # J_l^T g
        g = g + back if residual else back
        norms.append(np.linalg.norm(g, axis=(1, 2)))
    return np.array(norms[::-1]).T  # (nets, depth + 1): column l is |dL/dh_l|


def autograd_norms(name: str, gain2: float, noise: np.ndarray, residual: bool = False) -> np.ndarray:
    """The same |dL/dh_l| from torch.autograd: a check that gradient_norms computes the gradient."""
    phi = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}[name]
    t = torch.tensor(noise)
    hs = [t[0][:, :1, :].clone().requires_grad_(True)]
    for W in t[2:] * np.sqrt(gain2 / noise.shape[-1]):
        out = phi(hs[-1] @ W)
        hs.append(hs[-1] + out if residual else out)
    grads = torch.autograd.grad((hs[-1] * t[0][:, 1:2, :]).sum(), hs)
    return np.stack([g.norm(dim=(1, 2)).numpy() for g in grads], axis=1)


def mean_field_factor(name: str, gain2: float) -> float:
    """sqrt(chi), chi = gain2 E[phi'(z)^2] with z ~ N(0, q*) at the forward fixed point q = gain2 E[phi(z)^2]."""
    z, w = np.polynomial.hermite_e.hermegauss(80)
    w, q = w / w.sum(), 1.0
    for _ in range(500):
        q = gain2 * np.sum(w * act(name, np.sqrt(q) * z)[0] ** 2)
    return float(np.sqrt(gain2 * np.sum(w * act(name, np.sqrt(q) * z)[1] ** 2)))


nets, depth, width, skip, rtol, spread, tol = 32, 50, 64, 10, 0.04, 0.15, 1e-10
sig_gain, small_gain, big_gain, relu_gain = 1.0, 0.25, 4.0, 2.0  # Var W = gain / n
sig_max, chaos_min, skip_max, band, plain_max, line_tol, relu_skip_min = 0.3, 1.0, 2.0, 0.15, 1e-30, 0.7, 1e6
noise = np.random.default_rng(1).standard_normal((depth + 2, nets, width, width))
stacks = {
    f"sigmoid, Var W = {sig_gain:g}/n": ("sigmoid", sig_gain),
    f"tanh, Var W = {small_gain:g}/n": ("tanh", small_gain),
}
stacks |= {f"tanh, Var W = {big_gain:g}/n": ("tanh", big_gain), f"ReLU, Var W = {relu_gain:g}/n": ("relu", relu_gain)}
sig, chaos = list(stacks)[0], list(stacks)[2]
layers = np.arange(depth + 1)
norms, factor, predicted, typical, wander = {}, {}, {}, {}, {}
for label, (name, gain2) in stacks.items():
    norms[label] = gradient_norms(name, gain2, noise)
    fit = layers >= skip  # past the first layers, where the forward signal settles to its fixed point q*
    logs = np.log(norms[label][:, fit]).T
    slope, intercept = np.polyfit(layers[fit], logs, 1)
    wander[label] = np.abs(logs - (np.outer(layers[fit], slope) + intercept)).max(axis=0)  # nats off the line
    factor[label], predicted[label] = np.exp(-slope), mean_field_factor(name, gain2)  # per layer, going back
    typical[label] = np.exp(np.mean(np.log(factor[label])))  # the geometric mean over the nets
    ratio = np.median(norms[label][:, 0] / norms[label][:, -1])
    print(f"{label:21s} factor per layer {typical[label]:.3f} (nets {factor[label].min():.3f} to ", end="")
    print(f"{factor[label].max():.3f}), mean field {predicted[label]:.3f}; first/last {ratio:.1e}; ", end="")
    print(f"off the line by at most {wander[label].max():.2f} nats")
steady = list(stacks)[:2]  # the sigmoid and the small-weight tanh: a straight line in every network
check = [(name, gain2, False) for name, gain2 in stacks.values()] + [("sigmoid", sig_gain, True)]
grad_gap = max(
    np.abs(gradient_norms(*c[:2], noise[:, :2], c[2]) / autograd_norms(*c[:2], noise[:, :2], c[2]) - 1).max()
    for c in check
)
print(f"|dL/dh_l| = torch.autograd's at every layer, to within {tol:.0e}: {grad_gap < tol}")
gap = max(abs(typical[label] / predicted[label] - 1) for label in stacks)
worst = max(np.abs(factor[label] / predicted[label] - 1).max() for label in stacks)
# claim: vanishing-depth-rate [nets=nets depth=depth]
assert all(np.all(np.isfinite(factor[label])) for label in stacks) and grad_gap < tol  # the true gradient
assert all(wander[label].max() < line_tol for label in steady)  # a steady factor: log |g_l| is a straight line
assert gap < rtol  # the typical network's factor per layer, within rtol of sqrt(chi)
assert worst < spread  # and every single network's within spread
assert np.all(factor[sig] < sig_max) and np.all(factor[chaos] > chaos_min)

residual = gradient_norms("sigmoid", sig_gain, noise, residual=True)
relu_skip = gradient_norms("relu", relu_gain, noise, residual=True)  # ReLU branches at He's variance
relu_skip_ratio = relu_skip[:, 0] / relu_skip[:, -1]
plain_ratio = norms[sig][:, 0] / norms[sig][:, -1]
skip_ratio = residual[:, 0] / residual[:, -1]
per_layer = residual[:, :-1] / residual[:, 1:]
print(
    f"sigmoid, with skip connections: first/last {skip_ratio.min():.2f} to {skip_ratio.max():.2f}, "
    f"per layer {per_layer.min():.3f} to {per_layer.max():.3f}; without: below {plain_ratio.max():.0e}"
)
print(f"ReLU at Var W = {relu_gain:g}/n, with skip connections: first/last at least {relu_skip_ratio.min():.0e}")
# claim: vanishing-residual [nets=nets]
assert np.all(np.isfinite(residual)) and plain_ratio.max() < plain_max and grad_gap < tol
assert np.all((skip_ratio > 1) & (skip_ratio < skip_max))  # no vanishing, and only mild growth, in every network
assert np.all((per_layer > 1 - band) & (per_layer < 1 + band))  # every layer's Jacobian is close to the identity
assert np.all(relu_skip_ratio > relu_skip_min)  # with ReLU branches at He's variance, skips make it explode
# --8<-- [end:depth]

# --8<-- [start:figure]
import matplotlib.pyplot as plt
import numpy as np

fig, ax = plt.subplots(figsize=(7, 4))
for label in stacks:
    median = np.median(norms[label] / norms[label][:, -1:], axis=0)
    line = ax.semilogy(layers, median, label=f"{label} (measured)")[0]
    ax.semilogy(layers, predicted[label] ** (depth - layers), ":", color=line.get_color())  # sqrt(chi)^(L - l)
ax.semilogy(layers, np.median(residual / residual[:, -1:], axis=0), "k-", lw=2, label="sigmoid + skip connections")
ax.set(
    xlabel="layer l", ylabel="|dL/dh_l| / |dL/dh_L| (median)", title=f"{nets} random {depth}-layer nets, width {width}"
)
ax.legend(fontsize=7)
fig.savefig("vanishing-and-exploding-gradients-depth.svg")
shown = {label: np.median(norms[label][:, 0] / norms[label][:, -1]) for label in stacks}
# The alt text's numbers: the sigmoid stack's first layer, the exploding tanh stack's, and the band of the skip stack.
assert shown[sig] < plain_max and shown[chaos] > 100
assert np.all(np.median(residual / residual[:, -1:], axis=0) < skip_max)
# --8<-- [end:figure]

# --8<-- [start:rnn]
import numpy as np
import torch


def bptt(W: np.ndarray, x: np.ndarray, u: np.ndarray, linear: bool = False) -> np.ndarray:
    """dL/dx_t for every step t of h_t = tanh(W h_(t-1) + x_t) (or without tanh), h_0 = 0, L = u . h_T,
    by backpropagation through time; W (nets, n, n), x (steps, nets, n), u (nets, n)."""
    if x.ndim != 3 or W.shape != (x.shape[1], x.shape[2], x.shape[2]):
        raise ValueError(f"x must be (steps, nets, n) and W (nets, n, n), got x {x.shape} and W {W.shape}")
    h, states = np.zeros_like(x[0]), []
    for x_t in x:
        h = np.einsum("bij,bj->bi", W, h) + x_t
        h = h if linear else np.tanh(h)
        states.append(h)
    g, grads = u, []
    for h in states[::-1]:  # g = dL/dh_t; dL/dz_t = g * tanh'(z_t) = dL/dx_t; dL/dh_(t-1) = W^T dL/dz_t
        d = g if linear else g * (1 - h**2)
        grads.append(d)
        g = np.einsum("bji,bj->bi", W, d)
    return np.array(grads[::-1])


def torch_bptt(W: np.ndarray, x: np.ndarray, u: np.ndarray, device: str) -> np.ndarray:
    """The same dL/dx_t from torch.nn.RNN (tanh, no biases, input weights = identity) and autograd."""
    nets, n = W.shape[0], W.shape[1]
    grads = []
    for b in range(nets):
        rnn = torch.nn.RNN(n, n, bias=False).double().to(device)
        with torch.no_grad():
            rnn.weight_ih_l0.copy_(torch.eye(n))
            rnn.weight_hh_l0.copy_(torch.tensor(W[b]))
        xb = torch.tensor(x[:, b : b + 1, :], device=device, requires_grad=True)  # (steps, batch 1, n)
        out, _ = rnn(xb)
        (out[-1, 0] * torch.tensor(u[b], device=device)).sum().backward()
        grads.append(xb.grad[:, 0, :].cpu().numpy())
    return np.stack(grads, axis=1)


def per_step_factor(grads: np.ndarray) -> np.ndarray:
    """Each net's factor per step back in |dL/dx_t|, fitted over the earlier half of the steps."""
    norms = np.linalg.norm(grads, axis=2)[::-1]  # row k: k steps before the end
    k = np.arange(len(norms))
    late = k >= len(norms) // 2
    return np.exp(np.polyfit(k[late], np.log(norms[late]), 1)[0])


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
nets, width, steps, amplitude, tol, rtol, radii = 32, 32, 100, 0.1, 1e-12, 0.03, [0.9, 1.1]
rng = np.random.default_rng(2)
G = rng.standard_normal((nets, width, width))
x, u = amplitude * rng.standard_normal((steps, nets, width)), rng.standard_normal((nets, width))
rho_G = np.abs(np.linalg.eigvals(G)).max(axis=1)  # spectral radius of each draw
sigma_G = np.linalg.norm(G, ord=2, axis=(1, 2))  # its largest singular value

W_small = G * (radii[0] / sigma_G)[:, None, None]  # largest singular value 0.9 < 1 = 1 / max tanh'
grads = bptt(W_small, x, u)
worst = max(np.abs(torch_bptt(W_small, x, u, device) - grads).max() / np.abs(grads).max() for device in devices)
norms = np.linalg.norm(grads, axis=2)[::-1]
bound = norms[0] * radii[0] ** np.arange(steps)[:, None]  # Pascanu et al.: |dL/dx_(T-k)| <= sigma_1^k |dL/dx_T|
# claim: vanishing-rnn-torch [nets=nets devices=devices]
assert np.isfinite(worst) and worst < tol
assert np.allclose(np.linalg.norm(W_small, ord=2, axis=(1, 2)), radii[0], rtol=1e-12)  # sigma_1(W) = 0.9
assert np.all(norms <= bound * (1 + 1e-12))

factors = {rho: per_step_factor(bptt(G * (rho / rho_G)[:, None, None], x, u, linear=True)) for rho in radii}
for rho in radii:
    print(f"linear RNN, spectral radius {rho}: factor per step {factors[rho].min():.3f} to {factors[rho].max():.3f}")
print(f"tanh RNN, largest singular value {radii[0]}: |dL/dx_t| below {radii[0]}^(T - t) |dL/dx_T| at every step")
print(f"{nets} nets, {steps} steps: largest gap to torch.nn.RNN below {tol:.0e}")
# claim: vanishing-rnn-radius [nets=nets steps=steps]
assert all(np.all(np.abs(factors[rho] / rho - 1) < rtol) for rho in radii)
# --8<-- [end:rnn]

# --8<-- [start:saturated]
import numpy as np


def bptt_norms(W: np.ndarray, x: np.ndarray, u: np.ndarray) -> np.ndarray:
    """|dL/dx_t| for h_t = tanh(W h_(t-1) + x_t), L = u . h_T: row k is k steps before the end."""
    h, states = np.zeros_like(x[0]), []
    for x_t in x:
        h = np.tanh(np.einsum("bij,bj->bi", W, h) + x_t)
        states.append(h)
    g, norms = u, []
    for h in states[::-1]:
        d = g * (1 - h**2)
        norms.append(np.linalg.norm(d, axis=1))
        g = np.einsum("bji,bj->bi", W, d)
    return np.array(norms)


nets, width, steps, rho, amplitude, ceiling, vanish, big_rho = 32, 32, 100, 2.0, 3.0, 0.85, 1e-6, 6.0
rng = np.random.default_rng(3)
G = rng.standard_normal((nets, width, width))
W = G * (rho / np.abs(np.linalg.eigvals(G)).max(axis=1))[:, None, None]  # spectral radius 2 > 1
x, u = amplitude * rng.standard_normal((steps, nets, width)), rng.standard_normal((nets, width))
norms = bptt_norms(W, x, u)
k = np.arange(steps)
factor = np.exp(np.polyfit(k[steps // 2 :], np.log(norms[steps // 2 :]), 1)[0])
big = bptt_norms(W * (big_rho / rho), x, u)  # the same nets and inputs with a larger W: saturation no longer wins
big_factor = np.exp(np.polyfit(k[steps // 2 :], np.log(big[steps // 2 :]), 1)[0])
print(
    f"spectral radius {rho}, inputs of amplitude {amplitude}: factor per step {factor.min():.2f} to {factor.max():.2f}"
)
print(f"after {steps - 1} steps back, |dL/dx_t| / |dL/dx_T| is at most {(norms[-1] / norms[0]).max():.0e}")
print(f"spectral radius {big_rho}, same inputs: factor per step {big_factor.min():.2f} to {big_factor.max():.2f}")
# claim: vanishing-radius-not-sufficient [nets=nets]
assert np.all(np.isfinite(factor)) and np.all(factor < ceiling)  # vanishing in every net, despite rho > 1
assert np.all(norms[-1] < vanish * norms[0])
assert np.all(big_factor > 1)  # but only in a window of rho: at 6 the gradient explodes in every net
# --8<-- [end:saturated]
