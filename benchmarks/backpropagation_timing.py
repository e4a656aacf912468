"""Time the page's numpy MLP against the same network in torch autograd: forward, forward+backward, ratios.

Run by hand: `python benchmarks/backpropagation_timing.py`. Both libraries run on one thread and the
timer is the process's CPU time, so other jobs on a shared machine slow the run down but barely change
the numbers. It prints a markdown table of medians over interleaved rounds; docs/backpropagation.md
shows one such table. Not part of the test suite: timings depend on the machine.
"""

# ruff: noqa: E402  (the thread settings must come before numpy and torch are imported)
from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy and torch start their thread pools

import json
import sys
import time
import timeit
from pathlib import Path

import numpy as np
import torch

torch.set_num_threads(1)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.testing import run_section  # noqa: E402

MLP = run_section("backpropagation", "mlp")  # the page's own forward and loss_and_grads
CONFIGS = [  # (layer sizes, batch)
    ([2, 64, 64, 2], 1000),
    ([64, 256, 256, 256, 10], 128),
    ([784, 512, 512, 10], 256),
]
REPEATS = 21


def per_call(fn, budget: float = 0.01) -> tuple[object, int]:
    """Warm fn up and pick how many calls make one timing window of about `budget` seconds."""
    fn()
    return fn, max(1, int(budget / max(timeit.timeit(fn, number=1, timer=time.process_time), 1e-7)))


def interleaved_medians(fns: list) -> tuple[list[float], np.ndarray]:
    """Seconds per call of each function: the functions take turns in every round, so a burst of load
    on the shared machine hits all of them alike. Returns the medians and the per-round times."""
    timed = [per_call(fn) for fn in fns]
    rounds = np.array(
        [[timeit.timeit(fn, number=n, timer=time.process_time) / n for fn, n in timed] for _ in range(REPEATS)]
    )
    return list(np.median(rounds, axis=0)), rounds


def numpy_fns(sizes: list[int], batch: int, dtype):
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(batch, sizes[0])).astype(dtype), rng.normal(size=(batch, sizes[-1])).astype(dtype)
    params = [(W.astype(dtype), b.astype(dtype)) for W, b in MLP["init_mlp"](sizes, rng)]
    forward = MLP["forward"]
    return (
        (lambda: np.mean((forward(X, params)[-1] - Y) ** 2)),
        (lambda: MLP["loss_and_grads"](X, Y, params)),
        (X, Y, params),
    )


def torch_fns(X: np.ndarray, Y: np.ndarray, params: list):
    tp = [[torch.from_numpy(p.copy()).requires_grad_() for p in layer] for layer in params]
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)

    def loss() -> torch.Tensor:
        h = Xt
        for W, b in tp[:-1]:
            h = torch.tanh(h @ W + b)
        return ((h @ tp[-1][0] + tp[-1][1] - Yt) ** 2).mean()

    def forward_backward() -> None:
        for layer in tp:
            for p in layer:
                p.grad = None
        loss().backward()

    return loss, forward_backward


def main() -> None:
    print(f"torch {torch.__version__}, numpy {np.__version__}, {torch.get_num_threads()} thread, {os.cpu_count()} CPUs")
    print(f"CPU time per call, medians of {REPEATS} interleaved rounds; ratios: medians of per-round ratios\n")
    print(
        "| network | batch | dtype | numpy fwd+bwd | torch fwd+bwd | numpy / torch "
        "| bwd / fwd, numpy | bwd / fwd, torch | tanh, numpy / torch |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    summary = {"rows": 0, "numpy_faster_rows": 0, "max_bwd_fwd": 0.0, "tanh_numpy_slower_rows": 0}
    for dtype in [np.float32, np.float64]:
        for sizes, batch in CONFIGS:
            np_fwd, np_fb, (X, Y, params) = numpy_fns(sizes, batch, dtype)
            t_fwd, t_fb = torch_fns(X, Y, params)
            hidden = [np.tanh(X[:, :1] * np.ones((1, k), dtype)) for k in sizes[1:-1]]  # the hidden layers' shapes
            hidden_t = [torch.from_numpy(h) for h in hidden]
            fns = [
                np_fwd,
                np_fb,
                t_fwd,
                t_fb,
                lambda hidden=hidden: [np.tanh(h) for h in hidden],
                lambda hidden_t=hidden_t: [torch.tanh(h) for h in hidden_t],
            ]
            med, r = interleaved_medians(fns)
            ratio = lambda a, b: float(np.median(a / b))  # noqa: E731
            ms = lambda t: f"{t * 1e3:.3f} ms"  # noqa: E731
            cells = [
                "-".join(map(str, sizes)),
                str(batch),
                np.dtype(dtype).name,
                ms(med[1]),
                ms(med[3]),
                f"{ratio(r[:, 1], r[:, 3]):.2f}",
                f"{ratio(r[:, 1] - r[:, 0], r[:, 0]):.2f}",
                f"{ratio(r[:, 3] - r[:, 2], r[:, 2]):.2f}",
                f"{ratio(r[:, 4], r[:, 5]):.2f}",
            ]
            print("| " + " | ".join(cells) + " |")
            summary["rows"] += 1
            summary["numpy_faster_rows"] += ratio(r[:, 1], r[:, 3]) < 1
            summary["tanh_numpy_slower_rows"] += ratio(r[:, 4], r[:, 5]) > 1
            summary["max_bwd_fwd"] = max(
                summary["max_bwd_fwd"], ratio(r[:, 1] - r[:, 0], r[:, 0]), ratio(r[:, 3] - r[:, 2], r[:, 2])
            )
    print("values: " + json.dumps({k: int(v) if isinstance(v, bool | int) else v for k, v in summary.items()}))


if __name__ == "__main__":
    main()
