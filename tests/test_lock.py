"""The locks: resolved from pyproject.toml, every file hashed, torch's CPU build without CUDA packages, and the
virtualenv running the tests holding exactly its lock (no benchmark package, nothing unpinned)."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from pipeline.fences import ROOT

LOCKS = {name: ROOT / name for name in ["requirements.lock", "requirements-cuda.lock", "requirements-bench.lock"]}
CPU_LOCKS = ["requirements.lock", "requirements-bench.lock"]
GPU_ONLY = re.compile(r"^(nvidia-|triton|cuda-|pytorch-triton)")
ENTRY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def normalize(name: str) -> str:
    """A distribution name as PEP 503 compares them."""
    return re.sub(r"[-_.]+", "-", name).lower()


def entries(lock: Path) -> dict[str, tuple[str, list[str]]]:
    """{name: (version, hashes)} of a hashed lock; fails on any line that is not a pin, a hash or a comment."""
    found: dict[str, tuple[str, list[str]]] = {}
    name = None
    for line in lock.read_text().splitlines():
        text = line.split("#", 1)[0].strip().rstrip("\\").strip()
        if not text:
            continue
        if line[:1].isspace() and text.startswith("--hash=sha256:") and name:
            found[name][1].append(text.removeprefix("--hash=sha256:"))
            continue
        match = ENTRY.match(text)
        assert match and match.group(0) == text, f"{lock.name}: not a plain pin: {line!r}"
        name = normalize(match.group(1))
        found[name] = (match.group(2), [])
    return found


def pins(requirements: list[str]) -> dict[str, str]:
    """{name: version} of pyproject.toml's `name==version` requirements."""
    return {normalize(r.split("==")[0]): r.split("==")[1] for r in requirements}


def declared(*extras: str) -> dict[str, str]:
    """pyproject.toml's pins: dependencies, the given extras and the `setup` group (pip, setuptools)."""
    optional = PYPROJECT["project"]["optional-dependencies"]
    requirements = PYPROJECT["project"]["dependencies"] + PYPROJECT["dependency-groups"]["setup"]
    return pins(requirements + [r for extra in extras for r in optional[extra]])


@pytest.mark.parametrize("lock", LOCKS.values(), ids=LOCKS)
def test_every_file_in_a_lock_is_pinned_and_hashed(lock: Path) -> None:
    found = entries(lock)
    assert len(found) > 50
    unhashed = [name for name, (_, hashes) in found.items() if not hashes]
    assert unhashed == []
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for _, hashes in found.values() for h in hashes)


@pytest.mark.parametrize("name", CPU_LOCKS)
def test_cpu_locks_hold_torch_cpu_build_and_no_cuda_package(name: str) -> None:
    found = entries(LOCKS[name])
    assert found["torch"][0] == "2.13.0+cpu"
    assert [n for n in found if GPU_ONLY.match(n)] == []


def test_cuda_lock_holds_torch_cuda_build_with_its_cuda_packages() -> None:
    found = entries(LOCKS["requirements-cuda.lock"])
    assert found["torch"][0] == "2.13.0"
    assert {"triton", "nvidia-cublas", "nvidia-cudnn-cu13"} <= set(found)


@pytest.mark.parametrize(
    ("name", "extras"),
    [
        ("requirements.lock", ("test", "dev")),
        ("requirements-cuda.lock", ("test",)),
        ("requirements-bench.lock", ("test",)),
    ],
)
def test_locks_hold_pyproject_pins(name: str, extras: tuple[str, ...]) -> None:
    found = entries(LOCKS[name])
    wrong = {n: v for n, v in declared(*extras).items() if found.get(n, ("missing",))[0].split("+")[0] != v}
    assert wrong == {}


def test_bench_packages_stay_out_of_the_main_lock_and_share_its_versions() -> None:
    main, bench = entries(LOCKS["requirements.lock"]), entries(LOCKS["requirements-bench.lock"])
    bench_only = pins([line for line in (ROOT / "requirements-bench.in").read_text().splitlines() if "==" in line])
    assert set(bench_only) <= set(bench)
    assert set(bench_only) & set(main) == set()
    assert {n: bench[n] for n in set(bench) & set(main)} == {n: main[n] for n in set(bench) & set(main)}


def test_the_virtualenv_holds_exactly_its_lock() -> None:
    cpu = metadata.version("torch").endswith("+cpu")  # the gpu workflow installs requirements-cuda.lock
    locked = {n: v for n, (v, _) in entries(LOCKS["requirements.lock" if cpu else "requirements-cuda.lock"]).items()}
    installed = {normalize(d.metadata["Name"]): d.version for d in metadata.distributions()}
    assert installed == locked


def test_makefile_fails_on_a_failing_command_in_a_pipe_and_requires_hashes() -> None:
    makefile = (ROOT / "Makefile").read_text()
    shellflags = re.search(r"^\.SHELLFLAGS := (.*)$", makefile, re.MULTILINE)
    assert shellflags and {"-e", "-u", "-o", "pipefail"} <= set(shellflags.group(1).replace("-euo", "-e -u -o").split())
    installs = re.findall(r"-m pip \$\(PIP_INSTALL\).* -r (\S+)", makefile)
    assert sorted(installs) == ["requirements-bench.lock", "requirements.lock"]
    assert re.search(r"^PIP_INSTALL := .*--require-hashes .*--only-binary=:all:", makefile, re.MULTILINE)
