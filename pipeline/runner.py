"""Run a page's Python blocks in a child process and return what happened: the one way code runs.

``run_page(blocks)`` starts a child process and sends it the blocks. The child runs
each in a fresh namespace (a ``continuation`` block keeps the namespace of the block above), with
asserts rewritten to count their runs and show their values (pipeline.asserts), and reports each
block's outcome: what it printed, its error, which assert lines ran, the values of the page's
placeholders, its measures and the figures it saved. This module writes nothing to disk and
imports nothing from pytest: the pytest adapter and the build both call it.

The parent enforces each block's wall-clock limit and sees how the child ends, so code in a block
cannot switch the limit off, and a block that exits the process (``os._exit(0)``) is a failure.

Threat model: the guard stops accidents (a block that downloads data, starts a program, opens a
server, sleeps, or writes outside its scratch folder). It is not a security boundary against
hostile code (ctypes can undo anything); CI's ephemeral runner contains a hostile pull request.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import io
import json
import multiprocessing
import multiprocessing.forkserver
import os
import select
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK_TIME_LIMIT = 60.0  # seconds; a block may ask for more with {.python timeout="120"}, up to the cap
MAX_BLOCK_TIME_LIMIT = 180.0
FIGURE_SUFFIXES = (".svg", ".png")
MATPLOTLIBRC = ROOT / "pipeline" / "matplotlibrc"

# Every page block runs with this: headless matplotlib in the project's style, dates pinned so figures
# are byte-stable, and one math thread (the tests run two workers on two cores).
SANDBOX_ENV = {
    "MATPLOTLIBRC": str(MATPLOTLIBRC),
    "MPLBACKEND": "Agg",
    "SOURCE_DATE_EPOCH": "0",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


@dataclass
class Block:
    """What the child needs to run one block."""

    key: str  # the page line of its fence, as a string: how outcomes are matched to fences
    code: str
    filename: str  # the file its lines live in (a snippet or the page), for tracebacks and coverage
    first_line: int
    continuation: bool = False
    limit: float = BLOCK_TIME_LIMIT
    placeholders: list[list[str | None]] = field(default_factory=list)  # [text, expr, literal, fmt]
    measures: list[list[str]] = field(default_factory=list)  # [claim_id, key, expr]
    figures: bool = False  # keep the figures left open (a notebook cell's inline plots) as PNG


@dataclass
class Outcome:
    """What happened to one block."""

    key: str
    status: str = "not run"  # passed | failed | not run
    printed: str = ""
    error: str = ""  # exception type and message, asserts' values included
    error_line: int | None = None  # the innermost line of the block's file in the traceback
    traceback: str = ""
    seconds: float = 0.0
    hits: dict[int, int] = field(default_factory=dict)  # assert line -> times it ran
    values: dict[str, str] = field(default_factory=dict)  # placeholder text -> shown value
    value_errors: dict[str, str] = field(default_factory=dict)
    measures: dict[str, dict[str, object]] = field(default_factory=dict)  # claim -> {key: value}
    figures: dict[str, str] = field(default_factory=dict)  # file name -> base64 bytes


@dataclass
class PageRun:
    """Every block's outcome, and where the run happened."""

    outcomes: dict[str, Outcome]
    environment: dict[str, object]


# --- parent -----------------------------------------------------------------------------------------------


def run_page(blocks: list[Block], coverage_data: str | None = None) -> PageRun:
    """Run the blocks in order in child processes; a block that hangs or kills its process fails alone."""
    outcomes = {b.key: Outcome(b.key) for b in blocks}
    environment: dict[str, object] = {}
    pending = list(blocks)
    while pending:
        done_keys, reported = _run_child(pending, outcomes, coverage_data)
        environment = reported or environment
        pending = _after_a_lost_child(pending, done_keys, outcomes)
    return PageRun(outcomes, environment)


def _after_a_lost_child(pending: list[Block], done: set[str], outcomes: dict[str, Outcome]) -> list[Block]:
    """The blocks still to run once the child died in one: those after it, except its continuations."""
    rest = [b for b in pending if b.key not in done]
    if not rest:
        return []
    lost, later = rest[0], rest[1:]
    while later and later[0].continuation:
        skipped = later.pop(0)
        outcomes[skipped.key].error = f"not run: the block it continues (page line {lost.key}) failed"
        outcomes[skipped.key].status = "failed"
    return later


def _run_child(
    blocks: list[Block], outcomes: dict[str, Outcome], coverage_data: str | None
) -> tuple[set[str], dict[str, object]]:
    """One child process over `blocks`; returns the keys it finished and its environment report."""
    context = _context()
    reader, writer = context.Pipe(duplex=False)
    with tempfile.TemporaryDirectory(prefix="page-run-") as scratch, tempfile.NamedTemporaryFile() as stderr_file:
        request = {"blocks": [asdict(b) for b in blocks], "scratch": scratch, "coverage_data": coverage_data}
        child = context.Process(target=_child_entry, args=(request, writer, stderr_file.name), daemon=True)
        child.start()
        writer.close()
        done, environment = _follow(child, reader.fileno(), blocks, outcomes)
        reader.close()
        child.join()
        tail = Path(stderr_file.name).read_bytes().decode(errors="replace").strip()[-2000:]
        running = [b for b in blocks if b.key not in done]
        if not environment:  # the child failed before running any block: nothing can run
            for block in running:
                outcomes[block.key].status = "failed"
                outcomes[block.key].error = f"the page's runner could not start (exit code {child.exitcode}):\n{tail}"
            return {b.key for b in blocks}, environment
        if running and not outcomes[running[0].key].error:
            outcomes[running[0].key].status = "failed"
            outcomes[running[0].key].error = (
                f"the block ended its process (exit code {child.exitcode}) before it finished"
                + (f":\n{tail}" if tail else "")
            )
    return done, environment


@functools.cache
def _context() -> multiprocessing.context.ForkServerContext:
    """The fork server every page run starts from: a process that imported numpy, torch and matplotlib once
    (pipeline.preload), in the sandbox's environment, so a run starts in milliseconds instead of seconds."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.preload"])
    saved = dict(os.environ)
    os.environ.update(_sandbox_env())
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return context


def _sandbox_env() -> dict[str, str]:
    pythonpath = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {**SANDBOX_ENV, "PYTHONPATH": pythonpath, "MPLCONFIGDIR": str(ROOT / ".cache" / "matplotlib")}


def _follow(child: multiprocessing.process.BaseProcess, fd: int, blocks: list[Block], outcomes: dict[str, Outcome]):
    """Read the child's reports, killing it when a block runs past its limit."""
    by_key = {b.key: b for b in blocks}
    done: set[str] = set()
    environment: dict[str, object] = {}
    buffer = b""
    deadline = time.monotonic() + 120.0  # start-up: imports before the first block
    current: Block | None = None
    while True:
        wait = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(wait, 0))
        if not ready:
            child.kill()
            if current is not None:
                out = outcomes[current.key]
                out.status, out.seconds = "failed", current.limit
                out.error = f"the block ran longer than its {current.limit:g} s limit and was stopped"
            return done, environment
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return done, environment
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            event = json.loads(line)
            if event["event"] == "start":
                current = by_key[event["key"]]
                deadline = time.monotonic() + current.limit
            elif event["event"] == "end":
                outcome = Outcome(**event["outcome"])
                outcome.hits = {int(k): v for k, v in outcome.hits.items()}
                outcomes[outcome.key] = outcome
                done.add(outcome.key)
                current, deadline = None, time.monotonic() + 60.0
            elif event["event"] == "environment":
                environment = event["environment"]


# --- child ------------------------------------------------------------------------------------------------


def _report(event: dict) -> None:
    os.write(int(os.environ["PIPELINE_REPORT_FD"]), (json.dumps(event, default=str) + "\n").encode())


def _environment(blocks: list[dict]) -> dict[str, object]:
    """Where this run happened: versions, and the devices torch sees if the blocks use torch."""
    import platform

    found: dict[str, object] = {"python": platform.python_version(), "machine": platform.machine()}
    if "torch" in "\n".join(b["code"] for b in blocks) and "torch" in sys.modules:
        torch = sys.modules["torch"]
        found["torch"] = torch.__version__
        found["devices"] = {"cpu": _cpu_name()}
        if torch.cuda.is_available():
            found["devices"]["cuda"] = torch.cuda.get_device_name(0)
    return found


def _cpu_name() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    import platform

    return platform.processor() or platform.machine()


def _innermost_line(exc: BaseException, filename: str) -> int | None:
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            line = lineno
    return line


def _user_traceback(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "pipeline" not in Path(f.filename).parts]
    return "".join(traceback.format_list(frames))


def _run_one(spec: dict, namespace: dict, folder: Path) -> Outcome:
    from pipeline import asserts, glue

    outcome = Outcome(spec["key"])
    hits: dict[int, int] = {}
    namespace.update(asserts.runtime(hits))
    printed = io.StringIO()
    start = time.perf_counter()
    os.chdir(folder)
    try:
        code = asserts.instrument(spec["code"], spec["filename"], spec["first_line"])
        with contextlib.redirect_stdout(printed):
            exec(code, namespace)
        outcome.status = "passed"
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt in a block are failures too
        outcome.status = "failed"
        outcome.error = f"{type(exc).__name__}: {exc}"
        outcome.error_line = _innermost_line(exc, spec["filename"])
        outcome.traceback = _user_traceback(exc)
    outcome.seconds = time.perf_counter() - start
    outcome.printed, outcome.hits = printed.getvalue(), hits
    if outcome.status == "passed":
        for text, expr, literal, fmt in spec["placeholders"]:
            holder = glue.Placeholder(text, expr, literal, fmt or "", None, Path(spec["filename"]), 0)
            shown, error = glue.evaluate(holder, namespace)
            if error:
                outcome.value_errors[text] = error
            else:
                outcome.values[text] = shown
        for claim_id, key, expr in spec["measures"]:
            try:
                outcome.measures.setdefault(claim_id, {})[key] = _measure(expr, namespace)
            except Exception as exc:  # noqa: BLE001 - any error in the page's expression is reported, not raised
                outcome.value_errors[f"claim '{claim_id}' marker [{key}={expr}]"] = f"{type(exc).__name__}: {exc}"
    if spec["figures"] and "matplotlib.pyplot" in sys.modules:
        plt = sys.modules["matplotlib.pyplot"]
        for n, number in enumerate(plt.get_fignums()):
            image = io.BytesIO()
            plt.figure(number).savefig(image, format="png")
            outcome.figures[f"{spec['key']}-{n}.png"] = base64.b64encode(image.getvalue()).decode()
    for figure in sorted(folder.iterdir()):
        if figure.suffix in FIGURE_SUFFIXES:
            outcome.figures[figure.name] = base64.b64encode(figure.read_bytes()).decode()
            figure.unlink()
    _reset_matplotlib()
    return outcome


def _measure(expr: str, namespace: dict) -> object:
    """The value of a claim marker's key (``# claim: id [key=expr]``): a number, or a list shown as text."""
    value = eval(expr, namespace)  # noqa: S307 - the expression is the page's own code
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    shape = getattr(value, "shape", ())
    if shape != ():
        raise TypeError(f"a marker's value must be a number or a list, not {type(value).__name__} of shape {shape}")
    if hasattr(value, "__index__"):
        return int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"a marker's value must be a number or a list, not {type(value).__name__}") from None
    return int(number) if number.is_integer() else number


def _reset_matplotlib() -> None:
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
        sys.modules["matplotlib"].rc_file_defaults()


def _child_entry(request: dict, report: object, stderr_path: str) -> None:
    """Where a forked child starts: its own output files, scratch folder and report pipe, then the blocks."""
    for fd, path in ((1, os.devnull), (2, stderr_path)):
        opened = os.open(path, os.O_WRONLY)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdin = io.StringIO()
    os.environ.update(TMPDIR=request["scratch"], PIPELINE_REPORT_FD=str(report.fileno()))  # the rest: the server's
    tempfile.tempdir = None
    os.chdir(request["scratch"])
    run_blocks(request)


def run_blocks(request: dict) -> None:
    """Run the blocks of a request, reporting each over the report pipe."""
    scratch = Path(request["scratch"])
    cov = _start_coverage(request["coverage_data"])
    from pipeline import guard

    _report({"event": "environment", "environment": _environment(request["blocks"])})
    guard.install(scratch, allowed=[Path(os.environ["MPLCONFIGDIR"])])
    namespace: dict = {}
    folder = scratch
    try:
        for spec in request["blocks"]:
            if not spec["continuation"]:
                namespace = {"__name__": "__main__"}
                folder = Path(tempfile.mkdtemp(dir=scratch, prefix="block-"))
            _report({"event": "start", "key": spec["key"]})
            _report({"event": "end", "outcome": asdict(_run_one(spec, namespace, folder))})
    finally:
        if cov is not None:
            cov.stop()
            with guard.allowing():
                cov.save()


def _start_coverage(data_file: str | None):
    if not data_file:
        return None
    import coverage

    cov = coverage.Coverage(data_file=data_file, data_suffix=True, source=[str(ROOT / "snippets")])
    cov.start()
    return cov
