"""The pytest adapter: collect each docs page, run it once through pipeline.runner, report, record.

Items of a page ``docs/x.md``:

- ``page``: what is wrong before any code runs (claim bindings, placeholders, typed numbers);
- ``block-line-N``: one per Python block, failing with one message that names the page, the claims
  the block failed, the code line and the values.

The page's blocks run in one child process the first time one of its items runs (``--dist loadfile``
keeps a page on one worker); the items report from that run. The controller writes the results
file once at the end of the session.

Block items are pytest-markdown-docs items with a runner registered through its runner registry
(``pytest_markdown_docs._runners``): its documented hooks (globals, markdown-it parser) cannot run a
page in a child process with a hard time limit, so this is the smallest adapter that can.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from dataclasses import asdict
from pathlib import Path

import pytest
from pytest_markdown_docs._runners import _Runner, register_runner
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import MarkdownInlinePythonItem

from pipeline import results
from pipeline.claims import site_claims
from pipeline.errors import PageError
from pipeline.pages import DOCS, Page
from pipeline.results import ClaimResult, PageResult

_PAGES: dict[str, PageFile] = {}
_RESULT_KEY = "page-result"


class BlockFailed(AssertionError):
    """A page's block failed; the message names the page, the claim and the code line."""


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-outputs",
        action="store_true",
        default=False,
        help="write what each page block prints into its ```output fence (review the diff before committing)",
    )


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    path = Path(file_path).resolve()
    if path.suffix == ".md" and (DOCS in path.parents or path.parent.name == "docs"):
        return PageFile.from_parent(parent, path=path)
    return None


class PageFile(pytest.File):
    """A docs page: one item for its static checks, one per Python block."""

    result: PageResult | None = None
    shipped = False
    updated = False

    def collect(self):
        try:
            self.page = Page.load(self.path)
            fences = self.page.fences
        except PageError as exc:
            raise self.CollectError(str(exc)) from None
        _PAGES[str(self.path)] = self
        yield PageChecksItem.from_parent(self, name="page")
        for fence in fences:
            definition = FenceTestDefinition(
                source=fence.code,
                fixture_names=(),
                start_line=fence.line,
                source_path=self.path,
                runner_name=PageRunner.__name__,
            )
            yield MarkdownInlinePythonItem.from_parent(
                self, name=f"block-line-{fence.line}", test_definition=definition
            )

    def run_once(self) -> PageResult:
        if self.result is None:
            self.result = _run_with_coverage(self.page, self.config)
            if self.config.getoption("update_outputs") and self.result.printed:
                self._update_outputs()
        return self.result

    def _update_outputs(self) -> None:
        """Write what each block printed into the page's output fences; its items then ask for a rerun."""
        text = self.page.with_outputs(self.result.printed)
        if text != self.page.text:
            self.path.write_text(text, encoding="utf-8")
            self.updated = True


def _run_with_coverage(page: Page, config: pytest.Config) -> PageResult:
    """Run the page; when pytest-cov measures this process, fold the child's coverage into it."""
    cov = _current_coverage()
    if cov is None:
        return results.run(page)
    if hasattr(config, "workerinput"):  # an xdist worker: the controller combines every .coverage.* file
        return results.run(page, coverage_data=str(Path(cov.config.data_file).resolve()))
    with tempfile.TemporaryDirectory() as folder:
        result = results.run(page, coverage_data=str(Path(folder) / ".coverage"))
        from coverage import CoverageData

        for data_file in Path(folder).glob(".coverage.*"):
            child = CoverageData(basename=str(data_file))
            child.read()
            cov.get_data().update(child)
    return result


def _current_coverage():
    with contextlib.suppress(ImportError):
        import coverage

        return coverage.Coverage.current()
    return None


class PageChecksItem(pytest.Item):
    """Bindings, placeholders and typed numbers: every problem of the page before its code runs."""

    def runtest(self) -> None:
        problems = self.parent.page.problems()
        try:
            site_claims()  # ids are unique across the site
        except PageError as exc:
            problems.append(str(exc))
        if problems:
            count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''} before any code runs"
            raise PageError(self.parent.page.rel, count + "\n" + "\n".join(problems))

    def repr_failure(self, excinfo, style=None) -> str:
        return str(excinfo.value)

    def reportinfo(self):
        return self.path, 0, "page"


@register_runner()
class PageRunner(_Runner):
    """Reports one block's part of its page's run."""

    def runtest(self, test: FenceTestDefinition, args: dict, **_: object) -> None:
        page_file = _PAGES[str(test.source_path)]
        fence = next(f for f in page_file.page.fences if f.line == test.start_line)
        if fence.opted_out:
            pytest.skip(f"{fence.where}: opted out on the page: {fence.attrs.get('reason', '(no reason given)')}")
        failure = page_file.run_once().failures.get(str(fence.line))
        if page_file.updated:
            pytest.skip(f"{page_file.page.rel}: output fences rewritten from this run; run again to check the page")
        if failure:
            raise BlockFailed(failure)

    def repr_failure(self, test: FenceTestDefinition, excinfo, style=None) -> str:
        return str(excinfo.value)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Ship a page's result with the report of the item that ran the page (to the controller, under xdist)."""
    report = yield
    page_file = item.parent if isinstance(item.parent, PageFile) else None
    if call.when == "call" and page_file is not None and page_file.result is not None and not page_file.shipped:
        page_file.shipped = True
        report.user_properties.append((_RESULT_KEY, json.dumps(asdict(page_file.result), default=str)))
    return report


_collected: list[PageResult] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    for key, value in report.user_properties:
        if key == _RESULT_KEY:
            data = json.loads(value)
            data["claims"] = {cid: ClaimResult(**c) for cid, c in data["claims"].items()}
            _collected.append(PageResult(**data))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The controller (or a single process) writes every page result of the run, once."""
    if not hasattr(session.config, "workerinput") and _collected:
        results.write(_collected)
