"""The project's own rules for CI workflows, beyond what actionlint and zizmor check.

A pull request from a fork must not get secrets or a write token, actions must not change
under us, no job may run forever, and only main deploys the site.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def _triggers(workflow: dict) -> dict:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    return on or {}


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
