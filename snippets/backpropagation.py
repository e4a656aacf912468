# Code of the backpropagation page (docs/backpropagation.md); each section is one block there.
# Sections are self-contained, except `graph` (continues `engine`) and `gradcheck` (continues `mlp`),
# as the page says. Run this file as a script to run them all and write the page's figures.

# --8<-- [start:engine]
import math

import numpy as np
import torch


class Value:
    """A scalar that records its parents and local derivatives, so backward() can apply the chain rule."""

    def __init__(self, data: float, parents: tuple = (), local_grads: tuple = (), op: str = "") -> None:
        self.data, self.grad, self.op = float(data), 0.0, op
        self.parents, self.local_grads = parents, local_grads  # ∂self/∂parent, one per parent

    def __add__(self, other) -> "Value":
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other) -> "Value":
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "×")

    def __pow__(self, k: float) -> "Value":
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),), f"^{k}")

    def tanh(self) -> "Value":
        t = math.tanh(self.data)
        return Value(t, (self,), (1 - t * t,), "tanh")

    def exp(self) -> "Value":
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")

    def log(self) -> "Value":
        return Value(math.log(self.data), (self,), (1 / self.data,), "log")

    __radd__, __rmul__ = __add__, __mul__

    def __sub__(self, other) -> "Value":
        return self + other * -1

    def __truediv__(self, other) -> "Value":
        return self * other**-1

    def backward(self) -> None:
        """Reverse mode: seed ∂out/∂out = 1, then push gradients from each node to its parents."""
        order, seen = [], set()

        def visit(node: Value) -> None:  # topological order: parents before children
            if node not in seen:
                seen.add(node)
                for parent in node.parents:
                    visit(parent)
                order.append(node)

        visit(self)
        self.grad = 1.0
        for node in reversed(order):  # children before parents
            for parent, local in zip(node.parents, node.local_grads, strict=True):
                parent.grad += local * node.grad  # chain rule; += sums over every path


# Three expressions written once; they run on Value and on torch tensors alike.
def neuron(x1, x2, w1, w2, b):
    """One tanh unit: tanh(x1·w1 + x2·w2 + b)."""
    return (x1 * w1 + x2 * w2 + b).tanh()


def reuse(x, y, z):
    """x appears twice, so its gradient is a sum over two paths."""
    return (x * y + x) ** 2 / (z * z + 1)


def softplus_mix(x, y, z):
    """exp, log, a product and a division in one expression."""
    return (1 + (x * y - z).exp()).log() * z - x / y


def engine_grad(f, point: np.ndarray) -> np.ndarray:
    """Gradient of f at a point by the Value engine."""
    leaves = [Value(v) for v in point]
    f(*leaves).backward()
    return np.array([leaf.grad for leaf in leaves])


def power_bases(f, point: np.ndarray) -> set[tuple[str, bool]]:
    """(power, base < 0) for each power node (``^k``; x / y is x · y^-1) of f's graph at a point."""
    found, stack, seen = set(), [f(*[Value(v) for v in point])], set()
    while stack:  # walk the whole graph from the output
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(node.parents)
            if node.op.startswith("^"):
                found.add((node.op, node.parents[0].data < 0))
    return found


def torch_grad(f, point: np.ndarray, device: str) -> np.ndarray:
    """Gradient of f at a point by torch.autograd, in float64."""
    leaves = torch.tensor(point, dtype=torch.float64, device=device, requires_grad=True)
    f(*leaves).backward()
    return leaves.grad.cpu().numpy()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
rng = np.random.default_rng(0)
n_points, tol, box, points = 20, 1e-12, 1.0, 0
negative_powers, negative_divisors, positive_divisors = 0, 0, 0  # points with such a power in their graph
for f, n_inputs in [(neuron, 5), (reuse, 3), (softplus_mix, 3)]:
    shown = np.linspace(0.3, 0.9, n_inputs)
    print(f"{f.__name__:13s} engine {np.round(engine_grad(f, shown), 6)}")
    print(f"{'':13s} torch  {np.round(torch_grad(f, shown, 'cpu'), 6)}")
    for point in rng.uniform(-box, box, size=(n_points, n_inputs)):  # both signs: negative bases and divisors
        points += 1
        powers = power_bases(f, point)  # e.g. (x·y + x)² of a negative number, or x / y = x · y^-1 with y < 0
        negative_powers += any(negative for _, negative in powers)
        negative_divisors += ("^-1", True) in powers
        positive_divisors += ("^-1", False) in powers
        ours = engine_grad(f, point)
        for device in devices:
            ref = torch_grad(f, point, device)
            # claim: backprop-engine-matches-torch [points=points devices=devices]
            assert np.linalg.norm(ours - ref) <= tol * np.linalg.norm(ref)
assert 0 < negative_divisors <= negative_powers and positive_divisors > 0  # both signs of bases and divisors
# --8<-- [end:engine]

# --8<-- [start:graph]
import math

import matplotlib.pyplot as plt

# The neuron tanh(x1·w1 + x2·w2 + b) as a graph of Values; the names are only for the figure.
x2_value = 0.0  # an input of zero
x1, x2, w1, w2, b = Value(2.0), Value(x2_value), Value(-3.0), Value(1.0), Value(6.7)
x1w1, x2w2 = x1 * w1, x2 * w2
s = x1w1 + x2w2
n = s + b
out = n.tanh()
out.backward()
names = {x1: "x₁", x2: "x₂", w1: "w₁", w2: "w₂", b: "b", x1w1: "x₁w₁", x2w2: "x₂w₂", s: "s", n: "n", out: "o"}
tanh_prime = 1 - math.tanh(n.data) ** 2  # the local derivative of the tanh node

# claim: backprop-chain-rule
# Each leaf's gradient is the product of local derivatives along its path to the output:
# ∂o/∂w₁ = ∂o/∂n · ∂n/∂s · ∂s/∂(x₁w₁) · ∂(x₁w₁)/∂w₁ = (1 − tanh²n) · 1 · 1 · x₁
assert math.isclose(w1.grad, tanh_prime * x1.data, rel_tol=1e-12)
assert math.isclose(x1.grad, tanh_prime * w1.data, rel_tol=1e-12)
assert math.isclose(x2.grad, tanh_prime * w2.data, rel_tol=1e-12) and x2.grad != 0
assert w2.grad == 0  # x₂ = 0 blocks w₂: ∂(x₂w₂)/∂w₂ = x₂ = 0
assert out.grad == 1  # the seed ∂o/∂o
assert all(math.isclose(v.grad, tanh_prime, rel_tol=1e-15) for v in (n, s, b, x1w1, x2w2))  # sums pass it on
# A Value used twice gets the sum over both paths: ∂(x·x + x·y)/∂x = x + x + y = 2x + y.
x, y = Value(3.0), Value(0.5)
(x * x + x * y).backward()
assert x.grad == 2 * x.data + y.data and y.grad == x.data


def layers(node: Value) -> dict:
    """Column of each node: its longest distance from the leaves."""
    col = {}

    def depth(v: Value) -> int:
        if v not in col:
            col[v] = 1 + max((depth(p) for p in v.parents), default=-1)
        return col[v]

    depth(node)
    return col


col = layers(out)
rows = {c: [v for v in names if col[v] == c] for c in set(col.values())}
pos = {v: (2.3 * c, -1.2 * (r - (len(vs) - 1) / 2)) for c, vs in rows.items() for r, v in enumerate(vs)}
fig, ax = plt.subplots(figsize=(7.2, 4.2))
for child in names:
    for parent in child.parents:  # an arrow from each input of an operation to its result
        (px, py), (cx, cy) = pos[parent], pos[child]
        ax.annotate("", (cx - 0.8, cy), (px + 0.8, py), arrowprops={"arrowstyle": "->", "color": "0.45"})
for v, (px, py) in pos.items():
    label = f"{names[v]} ({v.op})" if v.op else names[v]
    text = f"{label}\nvalue {v.data:.4g}\ngrad {v.grad:.4g}"
    ax.text(px, py, text, ha="center", va="center", fontsize=9, bbox={"boxstyle": "round", "fc": "#eef3fb"})
ax.set(xlim=(-1.0, 2.3 * max(col.values()) + 1.0), ylim=(-3.1, 3.1))
ax.set_title("Forward: value, left to right. Backward: grad = ∂o/∂(node), right to left", fontsize=10)
ax.axis("off")
fig.tight_layout()
fig.savefig("backpropagation-graph.svg")
# --8<-- [end:graph]

# --8<-- [start:mlp]
from itertools import pairwise

import numpy as np
import torch


def init_mlp(sizes: list[int], rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """Weights W_l of shape (d_in, d_out) with variance 1/d_in, and biases b_l of shape (d_out,)."""
    return [(rng.normal(0, 1 / np.sqrt(m), (m, k)), rng.normal(0, 0.1, k)) for m, k in pairwise(sizes)]


def check_shapes(X: np.ndarray, Y: np.ndarray, params: list) -> None:
    """Reject mismatched shapes with a message naming them, instead of a broadcast error deep in a matmul."""
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (samples, features); got shape {X.shape}")
    width, source = X.shape[1], f"X has shape {X.shape}"
    for i, (W, b) in enumerate(params, start=1):
        if W.ndim != 2 or W.shape[0] != width:
            raise ValueError(f"W{i} has shape {W.shape} but {source}: expected W{i} of shape ({width}, d_out)")
        if b.shape != (W.shape[1],):
            raise ValueError(f"b{i} has shape {b.shape} but W{i} has shape {W.shape}: expected ({W.shape[1]},)")
        width, source = W.shape[1], f"layer {i} outputs {W.shape[1]} features"
    if Y.shape != (X.shape[0], width):
        raise ValueError(f"Y has shape {Y.shape} but the network maps X {X.shape} to {(X.shape[0], width)}")


def forward(X: np.ndarray, params: list) -> list[np.ndarray]:
    """Every layer's input h_0 = X, h_1, ..., then the output: the backward pass needs them all."""
    hs = [X]
    for W, b in params[:-1]:
        hs.append(np.tanh(hs[-1] @ W + b))
    return [*hs, hs[-1] @ params[-1][0] + params[-1][1]]


def loss_and_grads(X: np.ndarray, Y: np.ndarray, params: list) -> tuple[float, list]:
    """Mean squared error of a tanh MLP (linear last layer) and its gradient, by backpropagation."""
    check_shapes(X, Y, params)
    *hs, out = forward(X, params)
    delta = 2 * (out - Y) / out.size  # δ = ∂L/∂out for L = mean((out − Y)²)
    grads = []
    for i in reversed(range(len(params))):  # backward pass, last layer first
        grads.append((hs[i].T @ delta, delta.sum(axis=0)))  # ∂L/∂W = hᵀδ, ∂L/∂b = Σ_rows δ
        if i > 0:
            delta = (delta @ params[i][0].T) * (1 - hs[i] ** 2)  # back through W, then tanh' = 1 − tanh²
    return float(np.mean((out - Y) ** 2)), grads[::-1]


def torch_loss_and_grads(X: np.ndarray, Y: np.ndarray, params: list, device: str) -> tuple[float, list]:
    """The same loss and gradient by torch.autograd, in float64."""
    tp = [[torch.tensor(p, device=device, requires_grad=True) for p in layer] for layer in params]
    h = torch.tensor(X, device=device)
    for W, b in tp[:-1]:
        h = torch.tanh(h @ W + b)
    loss = ((h @ tp[-1][0] + tp[-1][1] - torch.tensor(Y, device=device)) ** 2).mean()
    loss.backward()
    return loss.item(), [(W.grad.cpu().numpy(), b.grad.cpu().numpy()) for W, b in tp]


def flat(grads: list) -> np.ndarray:
    """All gradients as one vector, to compare them with one norm."""
    return np.concatenate([g.ravel() for layer in grads for g in layer])


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
sizes, n_samples, n_seeds, tol, floor, rounding = [3, 16, 16, 2], 32, 20, 1e-12, 1e-14, 1e-15
arch, worst, worst_extended = "-".join(map(str, sizes)), 0.0, 0.0
extended = np.longdouble  # 64 significand bits on x86-64 (quadruple precision on some other machines)
for seed in range(n_seeds):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n_samples, sizes[0])), rng.normal(size=(n_samples, sizes[-1]))
    params = init_mlp(sizes, rng)
    loss, grads = loss_and_grads(X, Y, params)
    # The same float64 inputs, backpropagated in extended precision: how far rounding moved our gradient.
    wide = [(W.astype(extended), b.astype(extended)) for W, b in params]
    reference = flat(loss_and_grads(X.astype(extended), Y.astype(extended), wide)[1])
    worst_extended = max(worst_extended, float(np.linalg.norm(flat(grads) - reference) / np.linalg.norm(reference)))
    for device in devices:
        ref_loss, ref = torch_loss_and_grads(X, Y, params, device)
        worst = max(worst, np.linalg.norm(flat(grads) - flat(ref)) / np.linalg.norm(flat(ref)))
        # claim: backprop-mlp-matches-torch [seeds=n_seeds devices=devices]
        assert abs(loss - ref_loss) <= tol * ref_loss
        assert np.linalg.norm(flat(grads) - flat(ref)) <= tol * np.linalg.norm(flat(ref))
print(f"largest relative gap to autograd over {n_seeds} seeds: below {floor:.0e}")
print(f"largest relative gap to the extended-precision computation: below {rounding:.0e}")
assert worst < floor  # what the output and the text say: exact up to rounding
assert np.finfo(extended).eps < np.finfo(float).eps / 1000 and worst_extended < rounding
try:
    loss_and_grads(X[:, :2], Y, params)  # a wrong input width
except ValueError as error:
    print(f"ValueError: {error}")
# --8<-- [end:mlp]

# --8<-- [start:gradcheck]
import numpy as np


def shifted(params: list, direction: list, h: float) -> list:
    """The parameters θ + h·v, for a direction v with the same shapes as θ."""
    return [(W + h * dW, b + h * db) for (W, b), (dW, db) in zip(params, direction, strict=True)]


def central_difference(X, Y, params: list, direction: list, h: float) -> float:
    """(L(θ + hv) − L(θ − hv)) / 2h: the directional derivative up to O(h²) truncation error."""
    plus, minus = shifted(params, direction, h), shifted(params, direction, -h)
    return (loss_and_grads(X, Y, plus)[0] - loss_and_grads(X, Y, minus)[0]) / (2 * h)


def complex_step(X, Y, params: list, direction: list, h: float) -> float:
    """Im L(θ + ihv) / h: the directional derivative with no subtraction, hence no cancellation."""
    out = forward(X, shifted(params, direction, 1j * h))[-1]  # tanh and the squares extend to complex numbers
    return float(np.mean((out - Y) ** 2).imag / h)


steps = np.logspace(-1, -9, 33)  # h from 0.1 down to 1e-9, four per decade
n_seeds, order, slope_tol, fit_low, fit_high, rounding_factor = 20, 2, 0.1, 1e-4, 1e-2, 10
rounding_high, rounding_order, rounding_slope_tol, tiny_h, complex_tol = 1e-7, -1, 0.15, 1e-20, 1e-13
eps = np.finfo(float).eps  # the relative rounding error of one float64 operation
slopes, errors, complex_errors = [], [], []
for seed in range(n_seeds):
    rng = np.random.default_rng(seed)
    X, Y, params = rng.normal(size=(32, 3)), rng.normal(size=(32, 2)), init_mlp([3, 16, 16, 2], rng)
    direction = [(rng.normal(size=W.shape), rng.normal(size=b.shape)) for W, b in params]
    exact = flat(loss_and_grads(X, Y, params)[1]) @ flat(direction)  # ∇L · v by backpropagation
    error = np.array([abs(central_difference(X, Y, params, direction, h) - exact) / abs(exact) for h in steps])
    fit = (steps <= fit_high * (1 + 1e-9)) & (steps >= fit_low * (1 - 1e-9))  # where truncation dominates
    slopes.append(np.polyfit(np.log10(steps[fit]), np.log10(error[fit]), 1)[0])
    errors.append(error)
    complex_errors.append(abs(complex_step(X, Y, params, direction, tiny_h) - exact) / abs(exact))
errors = np.array(errors)  # (seed, h)
median = np.median(errors, axis=0)
best_h, best_error, err_bound = steps[np.argmin(median)], median.min(), 1e-10
low = steps <= rounding_high * (1 + 1e-9)  # where rounding dominates: the error should grow like eps / h
rounding_slope = np.polyfit(np.log10(steps[low]), np.log10(median[low]), 1)[0]
shown = steps >= 1e-5 * (1 - 1e-9)  # where truncation dominates; below, the digits are rounding noise
print("h              " + " ".join(f"{h:7.0e}" for h in steps[shown][::4]))
print("median error   " + " ".join(f"{e:7.0e}" for e in median[shown][::4]))
print(f"slope of log error against log h on [{fit_low:.0e}, {fit_high:.0e}]: {min(slopes):.3f} to {max(slopes):.3f}")
print(f"smallest median error: below {err_bound:.0e}, at h within 10x of eps^(1/3) = {eps ** (1 / 3):.1e}")
print(f"at h = {steps[-1]:.0e}: more than {rounding_factor} times each network's smallest error")
print(f"slope of log median error against log h on [{steps[-1]:.0e}, {rounding_high:.0e}]: {rounding_slope:.2f}")
print(f"complex step, h = {tiny_h:.0e}: relative error below {complex_tol:.0e} for every network")

# claim: backprop-gradcheck-h-squared [seeds=len(slopes)]
assert fit.sum() >= 9 and len(slopes) == n_seeds  # nine steps in the fitted range, every seed
assert all(order - slope_tol < slope < order + slope_tol for slope in slopes)
assert np.all(errors[:, -1] > rounding_factor * errors.min(axis=1))  # at the smallest h rounding has taken over
assert eps ** (1 / 3) / 10 <= best_h <= 10 * eps ** (1 / 3) and best_error < err_bound  # best h ~ eps^(1/3)
assert np.all(np.argmin(errors, axis=1) > np.flatnonzero(fit)[-1])  # every seed's best h is below the fit range
assert low.sum() >= 9 and abs(rounding_slope - rounding_order) < rounding_slope_tol  # the eps / h law below the best h
# claim: backprop-complex-step [seeds=len(complex_errors)]
assert len(complex_errors) == n_seeds and max(complex_errors) < complex_tol < best_error / 100
# --8<-- [end:gradcheck]

# --8<-- [start:flops]
from itertools import pairwise

import torch
from torch.utils.flop_counter import FlopCounterMode


def mlp(sizes: list[int], device: str) -> torch.nn.Sequential:
    """A tanh MLP with the given layer widths."""
    layers = []
    for m, k in pairwise(sizes):
        layers += [torch.nn.Linear(m, k), torch.nn.Tanh()]
    return torch.nn.Sequential(*layers[:-1]).to(device)


def count_flops(sizes: list[int], batch: int, device: str, input_grad: bool = False) -> tuple[int, int]:
    """Floating-point operations of one forward and one backward pass, as torch's FlopCounterMode counts them."""
    torch.manual_seed(0)
    net = mlp(sizes, device)
    x = torch.randn(batch, sizes[0], device=device, requires_grad=input_grad)
    with FlopCounterMode(display=False) as forward:
        loss = net(x).square().mean()
    with FlopCounterMode(display=False) as backward:
        loss.backward()
    return forward.get_total_flops(), backward.get_total_flops()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
sizes, batch = [64, 256, 256, 256, 10], 128
arch = "-".join(map(str, sizes))
# A layer h @ W with h: (n, a), W: (a, c) costs 2nac. Backward costs two such products per layer:
# ∂L/∂W = hᵀ δ and ∂L/∂h = δ Wᵀ, except that the first layer needs no ∂L/∂x.
matmul = [2 * batch * a * c for a, c in pairwise(sizes)]
predicted = 2 * sum(matmul) - matmul[0]
single = sizes[:1] + sizes[-1:]  # one layer: backward computes only hᵀδ, the same work as the forward pass
single_arch = "-".join(map(str, single))
for device in devices:
    fwd, bwd = count_flops(sizes, batch, device)
    fwd_x, bwd_x = count_flops(sizes, batch, device, input_grad=True)
    fwd_1, bwd_1 = count_flops(single, batch, device)
    # claim: backprop-cost-ratio [devices=devices]
    assert fwd == sum(matmul) and bwd == predicted  # the analysis, exactly
    assert fwd_x == sum(matmul) and bwd_x == 2 * fwd_x  # with ∂L/∂x too, backward is exactly 2F
    assert 1 < bwd / fwd < 2
    assert bwd_1 == fwd_1 == 2 * batch * single[0] * single[1]  # a single layer: a ratio of exactly 1
# The benchmark's networks (benchmarks/backpropagation_timing.py): their counted ratios 2 − F₁/F.
bench_nets = [[2, 64, 64, 2], [64, 256, 256, 256, 10], [784, 512, 512, 10]]
count_ratio, probe_batch = [], 8  # the ratio does not depend on the batch
for net_sizes in bench_nets:
    net_fwd, net_bwd = count_flops(net_sizes, probe_batch, "cpu")
    assert net_bwd == 2 * net_fwd - 2 * probe_batch * net_sizes[0] * net_sizes[1]  # 2F − F₁
    count_ratio.append(net_bwd / net_fwd)
params = sum(a * c + c for a, c in pairwise(sizes))
print(f"forward {fwd:,} flops, backward {bwd:,} flops: ratio {bwd / fwd:.3f} (predicted {predicted / fwd:.3f})")
print(f"with the input gradient as well: ratio {bwd_x / fwd_x:.3f}")
print(f"one layer ({single_arch}): forward {fwd_1:,}, backward {bwd_1:,} flops")
print(f"central differences would need {2 * params:,} forward passes for the {params:,} parameters")
# --8<-- [end:flops]

# --8<-- [start:modes]
import torch
from torch.func import jvp, vjp, vmap
from torch.utils.flop_counter import FlopCounterMode


def matmul_flops(fn) -> tuple[int, torch.Tensor]:
    """Run fn() and count the floating-point operations of its matrix products, as FlopCounterMode does."""
    with FlopCounterMode(display=False) as counter:
        result = fn()
    return counter.get_total_flops(), result


def jacobian_both_ways(f, x: torch.Tensor, n_out: int) -> dict[str, tuple[int, torch.Tensor]]:
    """The Jacobian of f at x by forward mode (one jvp per input) and reverse mode (one vjp per output)."""
    basis_in = torch.eye(x.numel(), dtype=x.dtype)
    basis_out = torch.eye(n_out, dtype=x.dtype)

    def forward_mode() -> torch.Tensor:  # column i is J e_i
        return vmap(lambda e: jvp(f, (x,), (e,))[1], out_dims=-1)(basis_in).reshape(n_out, -1)

    def reverse_mode() -> torch.Tensor:  # row j is e_jᵀ J
        value, pullback = vjp(f, x)
        return vmap(lambda u: pullback(u.reshape(value.shape))[0])(basis_out).reshape(n_out, -1)

    return {"forward": matmul_flops(forward_mode), "reverse": matmul_flops(reverse_mode)}


n_inputs, width, tol = 50, 32, 1e-12
gen = torch.Generator().manual_seed(0)
W1 = torch.randn(n_inputs, width, generator=gen, dtype=torch.float64) / n_inputs**0.5
w2 = torch.randn(width, generator=gen, dtype=torch.float64) / width**0.5
u = torch.randn(width, generator=gen, dtype=torch.float64)


def f(x: torch.Tensor) -> torch.Tensor:
    """Many inputs, one output: a loss-like f(x) = tanh(x W₁) · w₂ of n inputs."""
    return torch.tanh(x @ W1) @ w2


def g(t: torch.Tensor) -> torch.Tensor:
    """One input, many outputs: g(t) = tanh(t u) W₁ᵀ, with n outputs and the same matrix product."""
    return torch.tanh(t * u) @ W1.T


x, t = torch.randn(n_inputs, generator=gen, dtype=torch.float64), torch.ones(1, dtype=torch.float64)
cost = {}
for name, fn, point, n_out in [("f", f, x, 1), ("g", g, t, n_inputs)]:
    evaluation, _ = matmul_flops(lambda fn=fn, point=point: fn(point))
    runs = jacobian_both_ways(fn, point, n_out)
    (forward_flops, forward_jac), (reverse_flops, reverse_jac) = runs["forward"], runs["reverse"]
    gap = ((forward_jac - reverse_jac).norm() / reverse_jac.norm()).item()
    cost[name] = (forward_flops / evaluation, reverse_flops / evaluation)
    print(
        f"{name}: {point.numel()} inputs, {n_out} outputs; the Jacobian costs {cost[name][0]:.0f} evaluations'"
        f" flops by forward mode, {cost[name][1]:.0f} by reverse mode; same Jacobian: {gap < tol}"
    )
    # claim: backprop-forward-vs-reverse
    assert gap < tol
f_forward, f_reverse = cost["f"]
g_forward, g_reverse = cost["g"]
assert f_forward >= n_inputs and f_reverse <= 2  # gradient of f: forward mode n passes, reverse mode one
assert g_reverse >= n_inputs and g_forward <= 3  # Jacobian of g: the other way round
# --8<-- [end:modes]

# --8<-- [start:checkpoint]
import torch
from torch.utils.checkpoint import checkpoint_sequential


def saved_activations(net: torch.nn.Sequential, x: torch.Tensor, segments: int | None) -> tuple[int, torch.Tensor]:
    """Run net(x) and count the distinct non-weight tensors autograd keeps for the backward pass."""
    weights = {p.untyped_storage().data_ptr() for p in net.parameters()}
    kept = set()

    def pack(t: torch.Tensor) -> torch.Tensor:
        if t.untyped_storage().data_ptr() not in weights:
            kept.add(t.untyped_storage().data_ptr())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = net(x) if segments is None else checkpoint_sequential(net, segments, x, use_reentrant=False)
    return len(kept), out


def gradient(net: torch.nn.Sequential, out: torch.Tensor) -> torch.Tensor:
    """All weight gradients of the loss mean(out²) as one vector."""
    net.zero_grad()
    out.square().mean().backward()
    return torch.cat([p.grad.flatten() for p in net.parameters()])


depth, width, batch, segments = 16, 64, 128, 4
torch.manual_seed(0)
net = torch.nn.Sequential(*[m for _ in range(depth) for m in (torch.nn.Linear(width, width), torch.nn.Tanh())])
net = net.double()
runs = [0]
for layer in net[::2]:  # count every evaluation of a linear layer, the forward ones and the recomputed ones
    layer.register_forward_hook(lambda *_: runs.__setitem__(0, runs[0] + 1))
x = torch.randn(batch, width, dtype=torch.float64)
plain, out = saved_activations(net, x, None)
plain_grad, plain_runs = gradient(net, out), runs[0]
runs[0] = 0
kept, out = saved_activations(net, x, segments)
kept_grad, kept_runs = gradient(net, out), runs[0]
recomputed = kept_runs - depth
print(f"stored activations: {plain} without checkpointing, {kept} with {segments} segments")
print(f"layers evaluated: {plain_runs} without, {kept_runs} with; same gradient: {torch.equal(plain_grad, kept_grad)}")

# claim: backprop-checkpointing
assert plain == depth + 1 and plain_runs == depth  # the input and every layer's output, each layer once
assert kept <= 2 * segments and kept < plain / 2  # segment boundaries plus the last segment
assert recomputed == depth - depth // segments  # all but the last segment run forward twice
assert torch.equal(plain_grad, kept_grad)  # recomputation repeats the same operations: the same bits
# --8<-- [end:checkpoint]

# --8<-- [start:vanishing]
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F


def layer_norms(
    activation,
    std: float,
    device: str,
    nets: int = 20,
    depth: int = 12,
    width: int = 64,
    residual: bool = False,
    loss: str = "mse",
) -> dict[str, np.ndarray]:
    """Per-layer sizes in `nets` random bias-free deep MLPs with N(0, std²) weights, all computed at once:
    ‖∂L/∂W_l‖ = ‖h_{l−1}ᵀδ_l‖, the same with h_{l−1} centred over the batch, the RMS of each layer's input
    h_{l−1}, ‖∂L/∂h_l‖ for the hidden layers, and ‖Ŷ‖.
    `residual` adds the identity skip h_l = h_{l−1} + σ(h_{l−1} W_l) to each hidden layer."""
    gen = torch.Generator().manual_seed(0)  # the same draws for every activation, scale and loss
    x, y = torch.randn(2, nets, 256, width, generator=gen, dtype=torch.float64).to(device)
    weights = [torch.randn(nets, width, width, generator=gen, dtype=torch.float64) for _ in range(depth)]
    weights = [(std * w).to(device).requires_grad_() for w in weights]
    hs, zs = [x], []  # layer inputs and pre-activations
    for w in weights[:-1]:
        zs.append(hs[-1] @ w)  # one net per draw
        hs.append(hs[-1] + activation(zs[-1]) if residual else activation(zs[-1]))
        hs[-1].retain_grad()
    out = hs[-1] @ weights[-1]
    for z in [*zs, out]:
        z.retain_grad()  # δ_l, to form h_{l−1}ᵀδ_l with a centred h_{l−1}
    if loss == "mse":
        per_net = ((out - y) ** 2).mean(dim=(1, 2))
    else:  # cross-entropy against a random class per sample ("ce") or the network's own top class ("ce_own")
        logits = out.reshape(-1, width)
        classes = (logits.detach() if loss == "ce_own" else y.reshape(-1, width)).argmax(dim=-1)
        per_net = F.cross_entropy(logits, classes, reduction="none").reshape(nets, -1).mean(dim=1)
    per_net.sum().backward()  # each network's own loss
    sizes = {
        "weights": [w.grad.norm(dim=(1, 2)) for w in weights],
        "centred": [
            ((h - h.mean(dim=1, keepdim=True)).detach().transpose(1, 2) @ z.grad).norm(dim=(1, 2))
            for h, z in zip(hs, [*zs, out], strict=True)
        ],
        "forward": [h.detach().square().mean(dim=(1, 2)).sqrt() for h in hs],
        "mean": [h.detach().mean(dim=(1, 2)) for h in hs],
        "backward": [h.grad.norm(dim=(1, 2)) for h in hs[1:]],
    }
    result = {name: torch.stack(v, dim=1).cpu().numpy() for name, v in sizes.items()}  # (networks, layers)
    return result | {"output": out.detach().norm(dim=(1, 2)).cpu().numpy()}


def round_out(low: float, high: float, digits: int = 3) -> tuple[float, float]:
    """low rounded down and high rounded up to `digits` significant digits: a range shown that way holds."""
    scale = [10 ** (math.floor(math.log10(v)) - digits + 1) for v in (low, high)]
    return math.floor(low / scale[0]) * scale[0], math.ceil(high / scale[1]) * scale[1]


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
depth, width, nets = 12, 64, 20
vanish_tol, steady, small, large, shrink_bound, explode_tol, ce_tol, ms_tol = 1e-5, 10, 0.5, 2, 1e-2, 1.5, 8, 0.15
skip_gain, skip_floor, skip_ceiling, centred_band, raw_band, mean_step_tol = 1e4, 1e-3, 1e-2, 2, 10, 0.05
he_std = math.sqrt(2 / width)  # He: Var = 2 / fan_in
setups = {  # name: (activation, weight standard deviation)
    "sigmoid, Glorot": (torch.sigmoid, math.sqrt(1 / width)),  # Glorot: Var = 2 / (fan_in + fan_out)
    "ReLU, He": (torch.relu, he_std),
    f"ReLU, {small} × He std": (torch.relu, small * he_std),
    f"ReLU, {large} × He std": (torch.relu, large * he_std),
}
for device in devices:
    runs = {name: layer_norms(act, std, device, nets, depth, width) for name, (act, std) in setups.items()}
    sig, he, low, big = (run["weights"] for run in runs.values())  # each: (networks, layers)
    he_run, low_run, big_run = list(runs.values())[1:]
    # claim: backprop-sigmoid-vanishes [networks=len(sig) devices=devices]
    assert sig.shape == (nets, depth)
    assert np.all(sig[:, 0] < vanish_tol * sig[:, -1])  # first layer against last layer
    assert np.all(np.diff(sig, axis=1) > 0)  # smaller at every layer on the way back
    # claim: backprop-he-steady [networks=len(he) devices=devices]
    fwd, bwd = he_run["forward"], he_run["backward"]
    assert np.all((fwd > fwd[:, :1] / steady) & (fwd < steady * fwd[:, :1]))  # forward: against the input
    assert np.all((bwd > bwd[:, -1:] / steady) & (bwd < steady * bwd[:, -1:]))  # backward: against the last
    mean_square = np.mean(fwd**2, axis=0) / np.mean(fwd[:, 0] ** 2)  # over the networks, against the input
    assert np.all(np.abs(mean_square - 1) < ms_tol)  # Var = 2/n keeps it in expectation; 1.8/n is off by layer 2
    fwd, bwd = low_run["forward"], low_run["backward"]
    assert np.all(np.diff(fwd, axis=1) < 0) and np.all(np.diff(bwd, axis=1) > 0)  # smaller at every layer
    assert np.all(fwd[:, -1] < shrink_bound * fwd[:, 0]) and np.all(bwd[:, 0] < shrink_bound * bwd[:, -1])
    shrink = low / he  # every weight gradient, against its He value
    shrink_range = round_out(shrink.min(), shrink.max())  # the range the page shows, rounded outward
    assert np.all((shrink >= shrink_range[0]) & (shrink <= shrink_range[1]))
    for g in (he, low):  # the layer-to-layer ratio of weight gradients cannot tell the two scales apart
        assert np.all((g > g[:, -1:] / steady) & (g < steady * g[:, -1:]))
    # claim: backprop-relu-explodes [networks=len(big) devices=devices]
    # relu(2z) = 2 relu(z): with weights 2× larger, h_l is exactly 2^l times larger and Ŷ 2^L times. MSE with
    # Ŷ ≫ Y makes ∂L/∂Ŷ ∝ 2^L; going back to layer l multiplies by 2^(L−l); so ∂L/∂W_l = h_{l−1}ᵀ δ_l ∝ 2^(2L−1).
    growth = big / he
    assert np.allclose(big_run["output"] / he_run["output"], large**depth, rtol=1e-12)  # the forward blow-up
    power = large ** (2 * depth - 1)  # 2^(2L−1)
    assert np.all((growth > power / explode_tol) & (growth < explode_tol * power))
    he_ce = layer_norms(torch.relu, he_std, device, nets, depth, width, loss="ce")["weights"]
    big_ce = layer_norms(torch.relu, large * he_std, device, nets, depth, width, loss="ce")["weights"]
    ce_growth = big_ce / he_ce  # ∂L/∂logits of cross-entropy is bounded: only the 2^(L−1) inside the network
    assert np.all((ce_growth > large ** (depth - 1)) & (ce_growth < ce_tol * large ** (depth - 1)))
    # Labels = the network's own top class (the same for both scales): the doubled net is surer, ∂L/∂logits shrinks.
    own_growth = (
        layer_norms(torch.relu, large * he_std, device, nets, depth, width, loss="ce_own")["weights"]
        / layer_norms(torch.relu, he_std, device, nets, depth, width, loss="ce_own")["weights"]
    )
    assert np.all(own_growth < large ** (depth - 1))
    # claim: backprop-residual-remedy [networks=len(sig) devices=devices]
    skip_run = layer_norms(torch.sigmoid, math.sqrt(1 / width), device, nets, depth, width, residual=True)
    skip, stream = skip_run["weights"], skip_run["forward"]
    skip_ratio = skip[:, 0] / skip[:, -1]
    gain = skip_ratio / (sig[:, 0] / sig[:, -1])  # first-to-last ratio, with over without skips
    assert np.all(gain > skip_gain)
    assert np.all((skip_ratio > skip_floor) & (skip_ratio < skip_ceiling))  # better, but far from equal
    assert np.all(skip.argmin(axis=1) == 0) and np.all(skip.argmax(axis=1) == depth - 1)
    assert np.all(np.diff(stream, axis=1) > 0)  # each skip adds σ(·) > 0: the residual stream grows
    # What spreads the layers: the stream's mean (σ's outputs have mean ≈ 1/2) enters h_{l−1}ᵀδ_l as a rank-one
    # term. Centre h_{l−1} over the batch and the hidden layers agree; the last layer's δ has no σ′ ≤ 1/4.
    centred, stream_mean = skip_run["centred"], skip_run["mean"]
    hidden, hidden_raw = centred[:, :-1], skip[:, :-1]
    mean_steps = np.diff(np.median(stream_mean, axis=0))  # the median network's stream mean, layer to layer
    assert np.all(np.abs(mean_steps - 0.5) < mean_step_tol)  # rises by ≈ 1/2 per layer
    assert np.all(hidden.max(axis=1) < centred_band * hidden.min(axis=1))  # centred: hidden layers agree
    assert np.all(hidden_raw.max(axis=1) > raw_band * hidden_raw.min(axis=1))  # uncentred: they do not
    assert np.all(centred[:, -1] > hidden.max(axis=1))  # the last layer still gets the largest gradient
    if device == "cpu":
        shown, shown_ce, shown_skip = {name: run["weights"] for name, run in runs.items()}, ce_growth, skip_ratio
        shown_stream, shown_own, (shrink_low, shrink_high) = np.median(stream, axis=0), own_growth, shrink_range
        shown_mean, shown_centred = np.median(stream_mean, axis=0), hidden.max(axis=1) / hidden.min(axis=1)
        shown_raw = hidden_raw.max(axis=1) / hidden_raw.min(axis=1)
for name, g in shown.items():
    first, last = np.median(g[:, 0]), np.median(g[:, -1])
    print(f"{name:18s} median ‖∂L/∂W‖: layer 1 {first:.1e}, layer {depth} {last:.1e}, ratio {first / last:.1e}")
growth = shown[f"ReLU, {large} × He std"] / shown["ReLU, He"]
exponent = 2 * depth - 1
print(
    f"{large} × He std over He, MSE, every layer and net: {growth.min():.2e} to {growth.max():.2e};"
    f" 2^{exponent} = {2**exponent:.2e}"
)
print(f"the same, cross-entropy: {shown_ce.min():.1e} to {shown_ce.max():.1e}; 2^{depth - 1} = {2 ** (depth - 1):,}")
print(f"cross-entropy, labels = each net's own top class: below {math.ceil(shown_own.max()):,} at every layer and net")
print(f"sigmoid with skip connections: first-to-last ratio {shown_skip.min():.1e} to {shown_skip.max():.1e}")
raw_floor, centred_ceiling = math.floor(shown_raw.min()), math.ceil(shown_centred.max() * 10) / 10
print(
    f"  largest over smallest hidden-layer gradient, every net: at least {raw_floor};"
    f" with each layer's input centred: at most {centred_ceiling}"
)
sig_median = np.median(shown["sigmoid, Glorot"], axis=0)
he_median, big_median = np.median(shown["ReLU, He"], axis=0), np.median(shown[f"ReLU, {large} × He std"], axis=0)
low_median = np.median(shown[f"ReLU, {small} × He std"], axis=0)
per_layer = (sig_median[-1] / sig_median[0]) ** (1 / (depth - 1))  # the sigmoid's shrink factor per layer
spread = math.floor(math.log10(sig_median[-1] / sig_median[0]))  # orders of magnitude from last to first

fig, ax = plt.subplots(figsize=(7, 3.8))
layer = np.arange(1, depth + 1)
for (name, g), color in zip(shown.items(), ["C0", "C2", "C1", "C3"], strict=True):
    ax.fill_between(layer, g.min(axis=0), g.max(axis=0), color=color, alpha=0.2, lw=0)
    ax.plot(layer, np.median(g, axis=0), "o-", ms=3, color=color, label=name)
ax.set(yscale="log", ylim=(1e-9, 1e15), xticks=layer, xlabel="layer $l$ (1 = next to the input)")
ax.set(
    ylabel=r"$\|\partial L / \partial W_l\|$", title=f"{depth}-layer MLPs: median and range over {len(sig)} networks"
)
ax.legend(loc="upper center", ncols=2, fontsize=8)
fig.tight_layout()
fig.savefig("backpropagation-vanishing.svg")
# The figure shows what its alt text says: sigmoid falls at every layer, both ReLU scales stay flat.
assert np.all(np.diff(sig_median) > 0) and he_median.max() < steady * he_median.min()
assert big_median.max() < steady * big_median.min() and low_median.max() < steady * low_median.min()
# --8<-- [end:vanishing]

# --8<-- [start:step]
import torch


def one_step(device: str, lr: float = 0.1) -> tuple[bool, float, float, float]:
    """Backward then one SGD step on a small MLP: what changed after each?"""
    torch.manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1)).double().to(device)
    x, y = torch.randn(64, 3, dtype=torch.float64).to(device), torch.randn(64, 1, dtype=torch.float64).to(device)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    before = [p.detach().clone() for p in net.parameters()]
    loss = ((net(x) - y) ** 2).mean()
    loss.backward()  # backpropagation: fills p.grad, touches no weight
    unchanged = all(torch.equal(p, q) for p, q in zip(net.parameters(), before, strict=True))
    opt.step()  # the optimizer: p ← p − η ∂L/∂p
    gap = max((p - (q - lr * p.grad)).abs().max().item() for p, q in zip(net.parameters(), before, strict=True))
    return unchanged, gap, loss.item(), ((net(x) - y) ** 2).mean().item()


devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
lr, step_tol = 0.1, 1e-15
for device in devices:
    unchanged, gap, loss, new_loss = one_step(device, lr)
    # claim: backprop-computes-optimizer-steps [devices=devices]
    assert unchanged  # backward() alone moved no weight
    assert gap < step_tol  # step() moved each weight by −η × its gradient, up to rounding
    assert new_loss < loss
unchanged, gap, loss, new_loss = one_step("cpu", lr)
print(f"weights unchanged by backward(): {unchanged}")
print(f"step() moved each weight by −{lr} × its gradient, to within {step_tol:.0e}; loss {loss:.4f} → {new_loss:.4f}")
# --8<-- [end:step]

# --8<-- [start:kink]
import torch


def autograd_slope(f, x: float) -> float:
    """What backpropagation returns as df/dx at x: the chain rule with each op's conventional derivative."""
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).backward()
    return t.grad.item()


def identity_by_relus(x: torch.Tensor) -> torch.Tensor:
    """relu(x) − relu(−x), which equals x everywhere: its true derivative is 1 at every point."""
    return torch.relu(x) - torch.relu(-x)


kink, away, h = 0.0, 0.5, 1e-6
at_kink, off_kink = autograd_slope(identity_by_relus, kink), autograd_slope(identity_by_relus, away)
plus, minus = (torch.tensor(kink + s * h, dtype=torch.float64) for s in (1, -1))
difference = (identity_by_relus(plus) - identity_by_relus(minus)).item() / (2 * h)
print(f"relu(x) - relu(-x): autograd slope {at_kink} at x = {kink}, {off_kink} at x = {away}")
print(f"central difference at x = {kink}: {difference:.6f}")

# claim: backprop-kink
assert off_kink == 1.0 and at_kink == 0.0  # relu'(0) is taken as 0 in both terms: 0 − 0 instead of 1
assert abs(difference - 1) < 1e-6  # the function is the identity, slope 1, at the kink too
# --8<-- [end:kink]
