# Benchmark for docs/loss-surface.md: the same 41 x 41 filter-normalized slice of the same model,
# computed three ways: the page's batched loss_slice, a per-point loop, and loss-landscapes 3.0.6.
# Run by hand: python benchmarks/loss_surface_slice.py  (needs: pip install loss-landscapes==3.0.6)
# Prints a markdown table and what it finds about loss-landscapes' grid. Not part of the tests.

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import loss_landscapes  # noqa: E402
import loss_landscapes.metrics  # noqa: E402

from pipeline.testing import run_section  # noqa: E402

STEPS, RUNS = 41, 5


def timed(fn, runs: int = RUNS) -> tuple[float, object]:
    """Median wall time of fn() over several runs, and its last result."""
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


class RecordingLoss(loss_landscapes.metrics.Metric):
    """The loss, plus the flat parameter vector at which loss-landscapes evaluated it."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor) -> None:
        super().__init__()
        self.x, self.y, self.points = x, y, []

    def __call__(self, wrapper) -> float:
        self.points.append(torch.cat([p.detach().flatten().clone() for p in wrapper.get_module_parameters()]))
        return nn.functional.mse_loss(wrapper.forward(self.x), self.y).item()


def main() -> None:
    torch.manual_seed(0)
    ns = run_section("loss_surface", "slice")
    model, x, y = ns["trained_model"]("cpu")
    model, x, y = model.float(), x.float(), y.float()  # the usual float32 model
    mse = nn.functional.mse_loss
    directions = ns["filter_normalized_directions"](model, seed=0)

    t_ours, (coords, values) = timed(lambda: ns["loss_slice"](model, mse, x, y, directions, radius=1.0, steps=STEPS))
    t_loop, reference = timed(lambda: ns["loss_per_point"](model, mse, x, y, directions, coords), runs=3)
    gap = (values.double() - reference).abs().max().item()
    metric = loss_landscapes.metrics.Loss(mse, x, y)
    t_ll, ll_values = timed(
        lambda: loss_landscapes.random_plane(
            model, metric, distance=1, steps=STEPS, normalization="filter", deepcopy_model=True
        )
    )
    n = STEPS * STEPS
    print(f"| method ({STEPS}x{STEPS} = {n} points) | median time (s) | points/s | vs loss-landscapes |")
    print("|---|---|---|---|")
    for name, t in [
        ("batched `loss_slice` (this page)", t_ours),
        ("per-point loop", t_loop),
        ("loss-landscapes 3.0.6 `random_plane`", t_ll),
    ]:
        print(f"| {name} | {t:.3f} | {n / t:,.0f} | {t_ll / t:.1f}x |")
    print()
    print(
        f"- batched vs per-point: largest gap {gap:.1e} (float32 model); centre value equals the model's loss: "
        f"{abs(values[STEPS // 2, STEPS // 2].item() - mse(model(x), y).item()) < 1e-6}"
    )

    # Where does loss-landscapes actually evaluate? Record every parameter vector it visits.
    theta = torch.cat([p.detach().flatten() for p in model.parameters()])
    recorder = RecordingLoss(x, y)
    torch.manual_seed(1)
    recorded = loss_landscapes.random_plane(
        model, recorder, distance=1, steps=STEPS, normalization="filter", deepcopy_model=True
    )
    offsets = torch.stack(recorder.points).double() - theta.double()  # visiting order
    step = (offsets[1] - offsets[0]).norm().item()
    to_centre = offsets.norm(dim=1).min().item() / step
    mirror = torch.cdist(offsets, -offsets).min(dim=1).values.max().item() / step
    print(
        f"- loss-landscapes: nearest visited point to the trained parameters: {to_centre:.2f} grid steps away "
        "(0 would mean the grid contains it)"
    )
    print(
        f"- loss-landscapes: largest distance from a visited point's mirror image to the nearest visited point: "
        f"{mirror:.2f} grid steps (0 for a symmetric grid)"
    )
    print(
        f"- loss-landscapes returned a {recorded.shape} array; values are for its own random directions, so "
        "they are compared with ours by grid geometry, not value by value"
    )
    values = {
        "speedup_vs_loss_landscapes": t_ll / t_ours,
        "speedup_vs_loop": t_loop / t_ours,
        "largest_gap": gap,
        "to_centre_steps": to_centre,
        "mirror_steps": mirror,
    }
    print("values: " + json.dumps(values))


if __name__ == "__main__":
    main()
