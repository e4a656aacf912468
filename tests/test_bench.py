"""Benchmark results a page shows come from the record `make bench` writes, with where and when it ran."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import bench
from pipeline.pages import Page


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A tiny benchmark, recorded as `make bench` records one."""
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "results")
    script = tmp_path / "tiny_speed.py"
    script.write_text(
        'print("| method | seconds |\\n|---|---:|\\n| ours | 0.25 |")\nprint(\'values: {"speedup": 1.875}\')\n'
    )
    bench.record(script)
    return "tiny_speed"


def test_a_record_holds_the_output_values_and_environment(recorded: str) -> None:
    record = bench.load(recorded)
    assert record["output"] == "| method | seconds |\n|---|---:|\n| ours | 0.25 |\n"
    assert record["values"] == {"speedup": 1.875}
    assert {"python", "cpu", "threads"} <= set(record["environment"]) and record["date"]


def test_a_page_shows_the_record_and_its_values(recorded: str, tmp_path: Path) -> None:
    page_path = tmp_path / "docs" / "p.md"
    page_path.parent.mkdir()
    page_path.write_text(
        "# P\n\nOurs is {{ speedup:.1f @bench-tiny_speed }} times faster.\n\n<!-- bench: tiny_speed -->\n"
    )
    page = Page.load(page_path)
    assert page.structural_problems() == []
    assert page.bench_values()[0] == {(3, "{{ speedup:.1f @bench-tiny_speed }}"): "1.9"}
    shown = bench.expand(page.text, page.rel)
    assert "| ours | 0.25 |" in shown and "Measured by `benchmarks/tiny_speed.py`" in shown and "<!--" not in shown


def test_a_missing_record_names_the_page_line_and_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bench, "RESULTS", tmp_path)
    page_path = tmp_path / "p.md"
    page_path.write_text("# P\n\n<!-- bench: never_run -->\n")
    (problem,) = Page.load(page_path).structural_problems()
    assert "p.md:3: no recorded result for benchmark 'never_run': run `make bench`" in problem
