"""Top and bottom Hessian eigenvalue: the saddle-point page's Lanczos code against PyHessian 0.1.

Same 2-16-1 tanh network, data and loss as the page's `lanczos` block (65 weights, float64, CPU),
checked against the exact eigenvalues from torch.autograd.functional.hessian. Prints a markdown
table of medians over 20 random start vectors. Run by hand: `python benchmarks/saddle_point_hessian_eigs.py`.
Needs `pip install pyhessian==0.1` (only this benchmark uses it).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.testing import run_section  # noqa: E402

torch.set_default_dtype(torch.float64)  # PyHessian draws its start vectors with the default dtype
import pyhessian  # noqa: E402, F401

pyh = sys.modules["pyhessian.hessian"]  # the module (its package re-exports the class under the same name)

warnings.filterwarnings("ignore", message="Using backward\\(\\) with create_graph=True")  # PyHessian's own call
STARTS = range(20)
REPEATS = 5  # timing: the median over repeats of each start


def network(w: torch.Tensor, x: torch.Tensor) -> torch.nn.Module:
    """The page's network as an nn.Module (PyHessian needs one), with the page's weights."""
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    with torch.no_grad():
        model[0].weight.copy_(w[:32].reshape(16, 2))
        model[0].bias.copy_(w[32:48])
        model[2].weight.copy_(w[48:64].reshape(1, 16))
        model[2].bias.copy_(w[64:])
    return model


class Counter:
    """Counts PyHessian's Hessian-vector products."""

    def __init__(self) -> None:
        self.calls = 0
        self.inner = pyh.hessian_vector_product

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.inner(*args, **kwargs)


def timed(fn, repeats: int = REPEATS):
    """Result of fn() and its median wall time in milliseconds."""
    times, out = [], None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return out, statistics.median(times)


def main() -> None:
    ns = run_section("saddle_point", "lanczos")  # the page's own code
    loss, w = ns["make_problem"]("cpu")
    eig = torch.linalg.eigvalsh(torch.autograd.functional.hessian(loss, w))
    top, bottom = eig[-1].item(), eig[0].item()
    gen = torch.Generator().manual_seed(0)
    x = torch.rand(64, 2, generator=gen, dtype=torch.float64) * 4 - 2  # the page's data, same seed and order
    y = torch.sin(x[:, 0]) * torch.cos(x[:, 1])
    model = network(w, x)
    assert abs(torch.nn.functional.mse_loss(model(x)[:, 0], y).item() - loss(w).item()) < 1e-12

    rows, found = [], {}

    def lanczos_run(seed: int, k: int):
        hvp = ns["hvp_function"](loss, w)
        ritz = ns["lanczos"](hvp, 65, k, seed, "cpu")
        return ritz[-1].item(), ritz[0].item(), k

    def power_run(seed: int, k: int):
        hvp = ns["hvp_function"](loss, w)
        return ns["power_iteration"](hvp, 65, k, seed, "cpu").item(), None, k

    def pyhessian_run(seed: int, tol: float, max_iter: int):
        counter = Counter()
        pyh.hessian_vector_product = counter
        try:
            torch.manual_seed(seed)
            h = pyh.hessian(model, lambda out, t: torch.nn.functional.mse_loss(out[:, 0], t), data=(x, y), cuda=False)
            values, _ = h.eigenvalues(maxIter=max_iter, tol=tol, top_n=1)
        finally:
            pyh.hessian_vector_product = counter.inner
        return values[0], None, counter.calls

    methods = [
        ("this page: Lanczos, 25 steps", lambda s: lanczos_run(s, 25)),
        ("this page: Lanczos, 15 steps", lambda s: lanczos_run(s, 15)),
        ("this page: power iteration, 25 steps", lambda s: power_run(s, 25)),
        ("PyHessian 0.1 `eigenvalues()`, defaults (tol 1e-3, maxIter 100)", lambda s: pyhessian_run(s, 1e-3, 100)),
        ("PyHessian 0.1 `eigenvalues()`, tol 1e-9, maxIter 1000", lambda s: pyhessian_run(s, 1e-9, 1000)),
    ]
    for name, run in methods:
        top_err, bottom_err, hvps, times = [], [], [], []
        for seed in STARTS:
            (t, b, n), ms = timed(lambda run=run, seed=seed: run(seed))
            top_err.append(abs(t - top) / abs(top))
            bottom_err.append(abs(b - bottom) / abs(bottom) if b is not None else None)
            hvps.append(n)
            times.append(ms)
        bottom_cell = (
            f"{statistics.median(bottom_err):.1e} / {max(bottom_err):.1e}" if bottom_err[0] is not None else "—"
        )
        found[name] = {"hvps": statistics.median(hvps), "top_median": statistics.median(top_err)}
        found[name]["bottom_median"] = statistics.median(bottom_err) if bottom_err[0] is not None else None
        rows.append(
            f"| {name} | {statistics.median(hvps):.0f} | {statistics.median(top_err):.1e} / {max(top_err):.1e} "
            f"| {bottom_cell} | {statistics.median(times):.1f} |"
        )
    print(f"Exact eigenvalues: top {top:.6f}, bottom {bottom:.6f} (65 weights, torch {torch.__version__})\n")
    print("| method | Hessian-vector products | top eigenvalue: relative error, median / max | "
          "bottom eigenvalue: relative error, median / max | time (ms, median) |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    lanczos, tight = found[methods[0][0]], found[methods[4][0]]
    values = {
        "lanczos_hvps": lanczos["hvps"],
        "lanczos_top_error": lanczos["top_median"],
        "lanczos_bottom_error": lanczos["bottom_median"],
        "pyhessian_best_top_error": tight["top_median"],
        "pyhessian_best_hvps": tight["hvps"],
    }
    print("values: " + json.dumps(values))


if __name__ == "__main__":
    main()
