"""Benchmark results that can't rot: `make bench` runs each script and records what it printed, with where and
when, in ``benchmarks/results/<name>.json``; a page shows that record, never a table typed by hand.

On a page:

- a line ``<!-- bench: backpropagation_timing -->`` becomes the script's printed tables, followed by the
  machine, library versions, thread count and date of the run;
- ``{{ name:fmt @bench-backpropagation_timing }}`` in the prose is a value the script reported on its last
  line as ``values: {"name": ...}`` (JSON).

    python -m pipeline.bench benchmarks/backpropagation_timing.py     (make bench runs every benchmark)
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pipeline.errors import PageError

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
DIRECTIVE = re.compile(r"^<!--\s*bench:\s*(?P<name>[\w-]+)\s*-->\s*$")
SECTION_PREFIX = "bench-"
_VALUES = re.compile(r"^values:\s*(?P<json>\{.*\})\s*$")
_PROBE = (
    "import json, os, platform, sys\n"
    "found = {'python': platform.python_version(), 'machine': platform.machine(),"
    " 'threads': os.environ.get('OMP_NUM_THREADS', 'default')}\n"
    "for name in ('numpy', 'torch'):\n"
    "    try:\n"
    "        found[name] = __import__(name).__version__\n"
    "    except ImportError:\n"
    "        pass\n"
    "try:\n"
    "    found['cpu'] = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))\n"
    "except (OSError, StopIteration):\n"
    "    found['cpu'] = platform.processor() or platform.machine()\n"
    "print(json.dumps(found))\n"
)


def result_file(name: str) -> Path:
    return RESULTS / f"{name}.json"


def load(name: str, where: str = "") -> dict:
    """A benchmark's recorded result; a missing one is an error naming the page line and what to run."""
    path = result_file(name)
    if not path.is_file():
        raise PageError(where or name, f"no recorded result for benchmark '{name}': run `make bench`")
    return json.loads(path.read_text())


def table(name: str, where: str = "") -> str:
    """The Markdown a page shows for a benchmark: its printed tables, then where and when it ran."""
    record = load(name, where)
    env = record["environment"]
    versions = ", ".join(f"{k} {env[k]}" for k in ("python", "numpy", "torch") if k in env)
    return (
        record["output"].rstrip()
        + f"\n\n*Measured by `benchmarks/{name}.py` (`make bench`) on {record['date']}: {env.get('cpu', '?')}, "
        + f"{versions}, {env.get('threads', '?')} thread(s). The numbers above are that run's, read from "
        + f"`benchmarks/results/{name}.json`.*\n"
    )


def values(name: str, where: str = "") -> dict:
    """The named values a benchmark reported, as a namespace for the page's placeholders."""
    return dict(load(name, where).get("values", {}))


def expand(markdown: str, where: str) -> str:
    """Replace each benchmark directive line with the benchmark's recorded tables."""
    lines = markdown.splitlines()
    out = []
    for number, line in enumerate(lines, 1):
        match = DIRECTIVE.match(line.strip())
        out.append(table(match["name"], f"{where}:{number}") if match else line)
    return "\n".join(out) + ("\n" if markdown.endswith("\n") else "")


def record(script: Path) -> Path:
    """Run one benchmark script with this interpreter and record its output, values and environment."""
    env = {**os.environ}
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{script} failed:\n{done.stderr[-3000:]}")
    lines = done.stdout.rstrip().splitlines()
    reported = {}
    if lines and (match := _VALUES.match(lines[-1])):
        reported, lines = json.loads(match["json"]), lines[:-1]
    probe = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True)
    result = {
        "output": "\n".join(lines).strip() + "\n",
        "values": reported,
        "environment": json.loads(probe.stdout),
        "date": datetime.date.today().isoformat(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = result_file(Path(script).stem)
    path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    return path


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"recorded {record(Path(name)).relative_to(ROOT)}")
