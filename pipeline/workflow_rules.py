"""The project's own rules for CI workflows, beyond what actionlint and zizmor check.

A pull request from a fork must not get secrets or a write token, actions must not change
under us, no job may run forever, only main deploys the site, and only the hand-started gpu
workflow reaches the self-hosted GPU runner, behind an environment whose reviewers approve each run.
A rule in the repository is a review aid, not the barrier: a pull request can edit this file too.
The barrier is the runner's set-up (README, "With a GPU"): a runner group limited to gpu.yml on main.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
# GitHub-hosted runners' labels; any other label (`gpu`, `self-hosted`, a runner group) is a self-hosted runner:
# a job need not ask for `self-hosted` to land on one, a label the runner has is enough.
GITHUB_HOSTED = re.compile(r"^(ubuntu|windows|macos)-[\w.-]+$")
SELF_HOSTED_WORKFLOW = "gpu.yml"
GPU_ENVIRONMENT = "gpu"


def _triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on or {}


def _runner_labels(job: dict) -> list[str]:
    """The labels of a job's `runs-on` (a string, a list, or a `{group, labels}` mapping)."""
    runs_on = job.get("runs-on", [])
    if isinstance(runs_on, dict):
        group = [f"group:{runs_on['group']}"] if "group" in runs_on else []
        runs_on = group + list(_as_list(runs_on.get("labels", [])))
    return [str(label) for label in _as_list(runs_on)]


def _as_list(value: object) -> list:
    """A YAML scalar or list as a list."""
    return value if isinstance(value, list) else [value]


def _environment(job: dict) -> str | None:
    """The name of the environment a job runs in (`environment: NAME` or `{name: NAME}`), if any."""
    env = job.get("environment")
    return env.get("name") if isinstance(env, dict) else env


def _runner_problems(workflow_name: str, triggers: dict, name: str, job: dict) -> list[str]:
    """Only gpu.yml, started by hand, reaches a self-hosted runner, and only through the gpu environment."""
    labels = _runner_labels(job)
    if any("${{" in label for label in labels):
        return [f"job '{name}' picks its runner with an expression; name the runner's labels literally"]
    if all(GITHUB_HOSTED.match(label) for label in labels):
        return []
    if workflow_name != SELF_HOSTED_WORKFLOW:
        return [f"job '{name}' runs on a self-hosted runner: only {SELF_HOSTED_WORKFLOW} may use self-hosted runners"]
    found = []
    if _environment(job) != GPU_ENVIRONMENT:
        found.append(f"job '{name}' runs on a self-hosted runner outside the '{GPU_ENVIRONMENT}' environment")
    if set(triggers) != {"workflow_dispatch"}:
        found.append(f"job '{name}' runs on a self-hosted runner in a workflow not only started by hand")
    return found


def problems(path: Path) -> list[str]:
    """Every rule the workflow breaks, as 'file: what is wrong'."""
    workflow = yaml.safe_load(path.read_text())
    triggers = _triggers(workflow)
    found = []
    if "pull_request_target" in triggers:
        found.append("triggered by pull_request_target, which runs fork code with secrets; use pull_request")
    permissions = workflow.get("permissions")
    if not isinstance(permissions, dict) or any(v != "read" and v != "none" for v in permissions.values()):
        found.append("the default token must be read-only: set top-level `permissions: {contents: read}`")
    for name, job in workflow.get("jobs", {}).items():
        if "timeout-minutes" not in job:
            found.append(f"job '{name}' has no timeout-minutes")
        found += _runner_problems(path.name, triggers, name, job)
        steps = job.get("steps", [])
        for step in steps:
            uses = step.get("uses", "")
            if uses and not uses.startswith("./") and not PINNED.match(uses):
                found.append(f"job '{name}' uses {uses!r}, not pinned to a full commit SHA")
            if (
                uses.startswith("actions/checkout@")
                and (step.get("with") or {}).get("persist-credentials") is not False
            ):
                found.append(f"job '{name}' checks out without `persist-credentials: false`")
        deploys = (job.get("permissions") or {}).get("pages") == "write" or any(
            "deploy-pages" in s.get("uses", "") for s in steps
        )
        if deploys:
            if "refs/heads/main" not in str(job.get("if", "")):
                found.append(
                    f"job '{name}' deploys but is not limited to main with `if: github.ref == 'refs/heads/main'`"
                )
            if "pull_request" in triggers or "pull_request_target" in triggers:
                found.append(f"job '{name}' deploys in a workflow that pull requests trigger")
    return [f"{path.name}: {p}" for p in found]


EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)


def run_scripts(path: Path) -> list[tuple[str, str]]:
    """Each `run:` script of a workflow as (job/step label, bash script), expressions replaced as actionlint does."""
    workflow = yaml.safe_load(path.read_text())
    scripts = []
    for name, job in workflow.get("jobs", {}).items():
        for number, step in enumerate(job.get("steps", []), start=1):
            if "run" in step:
                label = f"{path.name}: job '{name}' step {number} ({step.get('name', 'unnamed')})"
                scripts.append((label, EXPRESSION.sub(lambda m: "_" * len(m.group()), step["run"])))
    return scripts
