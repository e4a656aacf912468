"""The runner a block cannot switch off: wall-clock limits, process exits, network, programs, files."""

from __future__ import annotations

import socket
import textwrap
import threading
from pathlib import Path

import pytest

from pipeline.pages import Page
from pipeline.results import run
from pipeline.runner import Block, run_page


def page_with(folder: Path, code: str, options: str = "") -> Page:
    """A one-block page in a docs/ folder of its own, its code inline."""
    docs = folder / "docs"
    docs.mkdir(exist_ok=True)
    path = docs / "p.md"
    path.write_text(f"# P\n\n```{{.python{options}}}\n{textwrap.dedent(code).strip()}\n```\n")
    return Page.load(path)


def failure(folder: Path, code: str, options: str = "") -> str:
    """The one block's failure message (the block must fail)."""
    result = run(page_with(folder, code, options))
    (message,) = result.failures.values()
    return message


def test_a_block_past_its_limit_is_stopped_by_the_parent_even_if_it_ignores_alarms(tmp_path: Path) -> None:
    code = """
        import signal, time
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.setitimer(signal.ITIMER_REAL, 0)
        time.sleep(30)
    """
    message = failure(tmp_path, code, ' timeout="1"')
    assert "p.md:3: code block failed" in message and "longer than its 1 s limit" in message


def test_a_block_cannot_raise_its_limit_past_the_cap(tmp_path: Path) -> None:
    page = page_with(tmp_path, "x = 1", ' timeout="300"')
    assert any("at most 180 s" in p for p in page.structural_problems())


def test_exiting_the_process_is_a_failure_not_a_pass(tmp_path: Path) -> None:
    message = failure(tmp_path, "import os\nos._exit(0)")
    assert "ended its process (exit code 0) before it finished" in message


def test_a_block_after_a_hung_block_still_runs(tmp_path: Path) -> None:
    blocks = [
        Block("1", "import time\ntime.sleep(30)\n", "a.py", 1, limit=1),
        Block("2", "x = 2\nprint(x)\n", "a.py", 10),
    ]
    outcomes = run_page(blocks).outcomes
    assert (outcomes["1"].status, outcomes["2"].status, outcomes["2"].printed) == ("failed", "passed", "2\n")


@pytest.mark.parametrize(
    "code",
    [
        "import socket\nsocket.create_connection(('192.0.2.1', 80), timeout=1)",
        "import socket\nsocket.socket().connect_ex(('127.0.0.1', PORT))",
        "import _socket\n_socket.socket().connect(('127.0.0.1', PORT))",
        "import socket\nsocket.getaddrinfo('example.org', 80)",
        "import http.server\nhttp.server.HTTPServer(('127.0.0.1', 0), http.server.BaseHTTPRequestHandler)",
    ],
    ids=["create_connection", "connect_ex", "_socket", "dns", "loopback-server"],
)
def test_blocks_may_not_use_the_network(tmp_path: Path, code: str) -> None:
    """Even a server this test runs on loopback is out of reach."""
    server = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=lambda: server.accept(), daemon=True).start()
    port = server.getsockname()[1]
    try:
        message = failure(tmp_path, code.replace("PORT", str(port)))
    finally:
        server.close()
    assert "may not use the network" in message


@pytest.mark.parametrize(
    "code",
    ["import subprocess\nsubprocess.run(['true'])", "import os\nos.system('true')"],
    ids=["subprocess", "os.system"],
)
def test_blocks_may_not_start_programs(tmp_path: Path, code: str) -> None:
    assert "may not start other programs" in failure(tmp_path, code)


def test_blocks_may_write_only_in_their_folder(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    message = failure(tmp_path, f"open({str(outside)!r}, 'w').write('x')")
    assert "may write only in their working folder" in message and not outside.exists()
    result = run(page_with(tmp_path, "open('inside.txt', 'w').write('x')\nassert open('inside.txt').read() == 'x'"))
    assert result.failures == {}
