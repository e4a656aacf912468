"""The guard of a page run: no network, no other programs, no writes outside the run's scratch folder.

Installed as an audit hook (PEP 578) in the child process that runs a page's blocks, after the
libraries are imported. An audit hook cannot be removed, so a block cannot switch it off by accident.
It stops accidents, not attacks: see the threat model in pipeline/runner.py and CONTRIBUTING.md.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

_NETWORK = {
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
}
_PROGRAMS = {
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
}
_PATH_CHANGES = {
    "os.remove",
    "os.rmdir",
    "os.mkdir",
    "os.rename",
    "os.replace",
    "os.symlink",
    "os.link",
    "os.truncate",
    "os.chmod",
    "os.chown",
    "shutil.rmtree",
    "shutil.move",
    "shutil.copyfile",
}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_state = {"paused": False}


class GuardError(PermissionError):
    """A block did something a page's code may not do."""


def _inside(path: object, roots: list[Path]) -> bool:
    if isinstance(path, int):
        return True  # an already open descriptor
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    resolved = Path(os.path.abspath(os.fspath(path)))
    return str(resolved) == os.devnull or any(resolved == r or r in resolved.parents for r in roots)


def _writes(mode: object, flags: object) -> bool:
    if isinstance(mode, str) and any(c in mode for c in "wax+"):
        return True
    return isinstance(flags, int) and bool(flags & _WRITE_FLAGS)


def install(scratch: Path, allowed: list[Path] = ()) -> None:
    """Refuse network use, new programs, and writes outside `scratch` (and `allowed`) from now on."""
    roots = [Path(os.path.realpath(p)) for p in [scratch, *allowed]] + [Path(os.path.abspath(scratch))]

    def hook(event: str, args: tuple) -> None:
        if _state["paused"]:
            return
        if event in _NETWORK:
            raise GuardError(f"code blocks may not use the network ({event}); use data made in the code")
        if event in _PROGRAMS:
            raise GuardError(f"code blocks may not start other programs ({event})")
        if event == "open" and len(args) >= 3 and _writes(args[1], args[2]) and not _inside(args[0], roots):
            raise GuardError(f"code blocks may write only in their working folder, not to {args[0]!r}")
        if event in _PATH_CHANGES and args and not all(_inside(a, roots) for a in args[:2] if _is_path(a)):
            raise GuardError(f"code blocks may change files only in their working folder ({event} {args[0]!r})")

    sys.addaudithook(hook)


def _is_path(value: object) -> bool:
    return isinstance(value, str | bytes | os.PathLike)


@contextlib.contextmanager
def allowing():
    """Let the pipeline itself (not a block) write, e.g. coverage data after the last block."""
    _state["paused"] = True
    try:
        yield
    finally:
        _state["paused"] = False
