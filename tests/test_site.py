"""The built site in a real browser (Debian's Chromium, headless), served on loopback.

Every page: no console error, no failed request, no request to another host, math
typeset, figures loaded, every claim verified, and exactly the Python blocks the tests ran.
Run after `mkdocs build` (``make test`` does); these tests never skip.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline import audit, serve
from pipeline.claims import DOCS, site_claims
from pipeline.fences import ROOT, python_fences

pytestmark = pytest.mark.site
SITE = ROOT / "site"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def page_paths() -> list[tuple[str, Path]]:
    """(URL path, source file) for every page of the site."""
    pages = []
    for source in sorted([*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")]):
        stem = source.relative_to(DOCS).with_suffix("").as_posix()
        pages.append(("" if stem == "index" else f"{stem}/", source))
    return pages


@pytest.fixture(scope="session")
def origin():
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run `make build` first (`make test` does)")
    server, url = serve.start(SITE)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole browser suite (per pytest-xdist worker)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.fail("Chromium is not installed: `make chromium` installs Debian's package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def visit(browser, url: str, origin: str, scheme: str = "light"):
    """Open a page and record every console error, failed request and request to another host."""
    tab = browser.new_page(color_scheme=scheme)
    seen: dict[str, list[str]] = {"console errors": [], "failed requests": [], "requests to other hosts": []}
    tab.bytes = 0
    tab.on("requestfinished", lambda r: setattr(tab, "bytes", tab.bytes + (r.sizes()["responseBodySize"] or 0)))
    tab.on("console", lambda m: m.type == "error" and seen["console errors"].append(m.text))
    tab.on("pageerror", lambda e: seen["console errors"].append(str(e)))
    tab.on("requestfailed", lambda r: seen["failed requests"].append(f"{r.url} ({r.failure})"))
    tab.on("response", lambda r: r.status >= 400 and seen["failed requests"].append(f"{r.url} ({r.status})"))
    tab.on(
        "request",
        lambda r: r.url.startswith(("data:", "blob:", origin)) or seen["requests to other hosts"].append(r.url),
    )
    tab.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    tab.goto(url, wait_until="networkidle")
    tab.first_visit = tab.bytes  # what the page downloads by itself, before a test scrolls or loads more
    return tab, seen


@pytest.fixture(scope="session")
def opened(browser, origin: str):
    """Each page loaded once in light mode and kept open: the read-only checks of a page share that one load.

    Its console errors, failed requests and requests to other hosts keep being recorded while it is open.
    """
    tabs: dict[str, tuple[object, dict[str, list[str]]]] = {}

    def open_page(path: str):
        if path not in tabs:
            tabs[path] = visit(browser, origin + path, origin)
        return tabs[path]

    yield open_page
    for tab, _ in tabs.values():
        tab.close()


@pytest.mark.parametrize(("path", "source"), page_paths(), ids=[p or "home" for p, _ in page_paths()])
def test_page_in_browser(opened, path: str, source: Path) -> None:
    """Loads cleanly from loopback only; math, figures, claims and blocks as the tests saw them; within the
    page-weight budgets (DOM elements, first-visit bytes: the audit's cheap proxy); axe finds nothing, in the
    light scheme (every rule) and, after the reader's toggle switches it to dark, in the dark one (the rules a
    colour scheme can change): one load of the page for both."""
    tab, seen = opened(path)
    where = source.relative_to(ROOT)
    assert not any(seen.values()), f"{where}: {seen}"
    assert tab.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, f"{where}: no CSP"
    assert tab.evaluate("window.__csp") == [], f"{where}: Content-Security-Policy violations"

    broken = tab.evaluate(  # figures below the fold load when they scroll near: load each now
        "() => Promise.all([...document.images].map(e => { e.loading = 'eager'; return e.decode().catch(() => 0); }))"
        ".then(() => [...document.images].filter(e => !(e.complete && e.naturalWidth > 0)).map(e => e.src))"
    )
    assert broken == [], f"{where}: figures that did not load: {broken}"

    text = tab.inner_text("article")
    if source.suffix == ".md" and "$" in source.read_text():
        assert tab.locator("article math").count() > 0, f"{where}: no math was typeset"
    assert tab.locator(".arithmatex").count() == 0 and "$$" not in text, f"{where}: math left untypeset"
    unrendered = tab.eval_on_selector_all(
        "article math",
        "els => els.filter(m => m.querySelector('merror') || !m.querySelector("
        "'annotation[encoding=\"application/x-tex\"]')).map(m => m.outerHTML.slice(0, 200))",
    )
    assert unrendered == [], f"{where}: formulas not rendered as MathML from their TeX: {unrendered}"

    prose = tab.evaluate(
        "() => { const a = document.querySelector('article').cloneNode(true); "
        "a.querySelectorAll('pre, code').forEach(c => c.remove()); return a.textContent; }"
    )  # code may show placeholder syntax (the contributing guide does); prose may not
    assert "{{" not in prose and "(not computed)" not in prose, f"{where}: a number the run did not compute"

    statuses = tab.eval_on_selector_all(".claim", "els => els.map(e => [e.id, e.className])")
    unverified = [cid for cid, cls in statuses if "claim--verified" not in cls]
    assert unverified == [], f"{where}: claims not verified by the latest test run: {unverified}"

    assert tab.first_visit <= audit.MAX_FIRST_VISIT, f"{where}: a first visit downloads {tab.first_visit:,} bytes"
    elements = tab.evaluate("document.getElementsByTagName('*').length")
    assert elements <= audit.MAX_ELEMENTS, f"{where}: {elements:,} DOM elements (budget {audit.MAX_ELEMENTS:,})"
    if source.suffix == ".md":
        shown = tab.locator("article .language-python").count()
        expected = len(python_fences(source))
        assert shown == expected, f"{where}: the page shows {shown} Python blocks, the tests ran {expected}"

    violations = axe_violations(tab)
    assert violations == [], f"{where}: accessibility (axe): " + "; ".join(violations)
    switch_to_dark(tab)
    violations = axe_violations(tab, COLOUR_RULES)
    assert violations == [], f"{where} (dark): accessibility (axe): " + "; ".join(violations)
    assert not any(seen.values()), f"{where}: {seen}"


def switch_to_dark(tab) -> None:
    """Click the header's palette toggle, as a reader does, and wait until the page is in the dark scheme."""
    tab.locator('label[title="Switch to dark mode"]').first.click()
    tab.wait_for_function("document.body.dataset.mdColorScheme === 'slate'", timeout=5_000)


def test_claims_page_lists_every_claim_with_a_working_link(opened) -> None:
    tab, seen = opened("claims/")
    assert not any(seen.values()), seen
    for claim_id, claim in site_claims().items():
        link = tab.locator(f'article a[href$="#claim-{claim_id}"]')
        assert link.count() == 1, f"claims page has no link to {claim.where}"


def test_hovering_a_term_shows_its_definition_and_links_to_its_page(browser, origin: str) -> None:
    """On the saddle-point page, 'critical point' links to its page and shows its definition on hover and on
    keyboard focus; the tooltip describes the link while shown, and Escape closes it."""
    from pipeline.terms import term

    tab, seen = visit(browser, origin + "saddle-point/", origin)
    link = tab.locator('article p a[href$="critical-point/"]').first
    definition = " ".join(term(DOCS / "critical-point.md").definition.replace("*", "").split())
    assert definition[:40] in link.get_attribute("title")
    tooltip = tab.locator("#term-tooltip")
    link.hover()
    tooltip.wait_for(state="visible", timeout=5_000)
    assert definition[:40] in " ".join(tooltip.inner_text().split())
    assert link.get_attribute("aria-describedby") == "term-tooltip" and link.get_attribute("title") is None
    tab.mouse.move(0, 0)
    tooltip.wait_for(state="hidden", timeout=5_000)
    link.focus()
    tooltip.wait_for(state="visible", timeout=5_000)
    assert definition[:40] in " ".join(tooltip.inner_text().split())
    tab.keyboard.press("Escape")
    tooltip.wait_for(state="hidden", timeout=5_000)
    assert link.get_attribute("aria-describedby") is None
    link.click()
    tab.wait_for_url("**/critical-point/")
    assert not any(seen.values()), seen
    tab.close()


def test_a_code_blocks_copy_button_copies_its_code(browser, origin: str) -> None:
    """Every code block has a named copy button (written at build time); clicking one puts exactly the block's
    code on the clipboard and Material says so."""
    tab = browser.new_page(permissions=["clipboard-read", "clipboard-write"])
    tab.goto(origin + "saddle-point/", wait_until="networkidle")
    blocks = tab.locator("article .highlight pre > code")
    buttons = tab.locator("article .highlight pre > nav.md-code__nav > button.md-code__button")
    assert blocks.count() == buttons.count() > 0
    labels = tab.eval_on_selector_all("article .md-code__nav", "els => els.map(e => e.getAttribute('aria-label'))")
    assert len(set(labels)) == len(labels) and all(labels), labels
    button = buttons.nth(1)
    button.scroll_into_view_if_needed()
    button.click()
    tab.locator(".md-dialog--active").wait_for(timeout=5_000)
    code = blocks.nth(1).evaluate("c => c.textContent")
    assert tab.evaluate("navigator.clipboard.readText()").rstrip() == code.rstrip()
    tab.close()


def test_glossary_index_lists_every_term_with_its_definition(opened) -> None:
    """The A-Z page is generated from the pages: each term, linked, with its first paragraph."""
    from pipeline.terms import glossary_pages, term

    tab, seen = opened("glossary/")
    entries = tab.locator("article dt a")
    titles = sorted(entries.all_inner_texts(), key=str.lower)
    expected = sorted((term(p).title for p in glossary_pages()), key=str.lower)
    assert titles == expected
    for page in glossary_pages():
        entry = tab.locator("article dt", has_text=term(page).title).first
        assert entry.locator("a").get_attribute("href").endswith(f"{page.stem}/")
    assert not any(seen.values()), seen


def test_related_terms_resolve_to_pages() -> None:
    """Each glossary and experiment page's related terms, as built, open a page of the site."""
    from pipeline.terms import content_pages

    for page in content_pages():
        built_page = SITE / page.stem / "index.html"
        assert built_page.is_file(), f"{page.name} is not built in site/: run `make build` first (`make test` does)"
        built = built_page.read_text()
        section = built.split('id="related-terms"', 1)[-1].split("<h2", 1)[0]
        hrefs = re.findall(r'<a href="([^"#]+)', section)
        assert hrefs, f"{page.name}: no related terms on the built page"
        for href in hrefs:
            target = (SITE / page.stem / href).resolve() / "index.html"
            assert target.is_file(), f"{page.name}: related term {href} does not resolve to a page"


def test_search_finds_local_minimum(browser, origin: str) -> None:
    """Search works, and its index (every page's text) is fetched only once the reader opens search."""
    tab, seen = visit(browser, origin, origin)
    index = []
    tab.on("request", lambda r: r.url.endswith("search/search_index.json") and index.append(r.url))
    tab.wait_for_timeout(500)
    assert index == [], "the page view fetched the search index before search was opened"
    tab.keyboard.press("/")  # Material's shortcut to focus search
    tab.locator(".md-search__input").press_sequentially("local minimum", delay=20)
    result = tab.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    assert "local-minimum" in (result.get_attribute("href") or "")
    assert len(index) == 1, index
    assert not any(seen.values()), seen
    tab.close()


COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # the rules a colour scheme can change


def axe_violations(tab, rules: list[str] | None = None) -> list[str]:
    """Run axe-core (WCAG 2 A/AA rules and best practices, or only `rules`) on the open page.

    Content the page lets the browser skip until it scrolls near (content-visibility) is laid out
    first, so axe checks it instead of reporting it as undecided.
    """
    # Through the test driver, not as page scripts: the page's Content-Security-Policy stays in force.
    tab.evaluate(
        "css => { const s = new CSSStyleSheet(); s.replaceSync(css); document.adoptedStyleSheets.push(s); "
        "dispatchEvent(new Event('resize')); }",  # the page's own script then re-checks what scrolls sideways
        "* { content-visibility: visible !important; }",
    )
    if not tab.evaluate("'axe' in window"):
        tab.evaluate(AXE.read_text() + "\n;window.axe = axe;")
    options = {"runOnly": {"type": "rule", "values": rules}} if rules else {}
    found = tab.evaluate(
        "async (options) => (await axe.run(document, options)).violations.map(v => [v.id, v.nodes.length, v.help])",
        options,
    )
    return [f"{rule} ({count} elements): {help_}" for rule, count, help_ in found]


def test_a_reader_who_prefers_dark_gets_the_dark_scheme(browser, origin: str) -> None:
    """A phone set to dark opens the site dark (every page's dark colours are checked above, after the toggle)."""
    tab, seen = visit(browser, origin + "saddle-point/", origin, "dark")
    assert tab.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert not any(seen.values()), seen
    tab.close()


def test_the_site_shows_results_of_the_current_code() -> None:
    """Every page with code has a recorded run of exactly its current text and code, and every figure
    a page shows was saved by that run (the build reruns stale pages; this catches a stale site/)."""
    from pipeline import results
    from pipeline.pages import Page, all_pages

    recorded = results.read()
    figures = results.figures()
    for path in all_pages():
        page = Page.load(path)
        if not page.fences:
            continue
        assert results.is_current(page, recorded.get(page.rel)), f"{page.rel}: no run of its current code"
        for name in re.findall(r"\]\(figures/([^)\s]+)\)", page.text):
            assert name in figures, f"{page.rel}: figure {name} was saved by no run of the page"
            assert (SITE / "figures" / name).read_bytes() == figures[name].read_bytes(), f"site/ has an old {name}"


def test_a_script_injected_into_a_page_does_not_run(browser, origin: str) -> None:
    """What the CSP is for: an inline script that is not the page's own is blocked, and the block reported."""
    tab, _ = visit(browser, origin + "local-minimum/", origin)
    injected = (
        (SITE / "local-minimum" / "index.html")
        .read_text()
        .replace("</body>", "<script>window.__injected = 1</script></body>")
    )
    tab.route(origin + "local-minimum/", lambda route: route.fulfill(body=injected, content_type="text/html"))
    tab.goto(origin + "local-minimum/", wait_until="load")
    assert tab.evaluate("window.__injected") is None
    assert any(v.startswith("script-src") for v in tab.evaluate("window.__csp")), tab.evaluate("window.__csp")
    tab.close()


def test_claims_can_be_reported_pages_edited_and_cited(opened) -> None:
    """Plain links to the project (nothing fetched): report each claim with its page and id filled in,
    edit the page's source, cite it with its URL and the build's date; the licences in the footer."""
    from urllib.parse import parse_qs, urlparse

    tab, seen = opened("local-minimum/")
    assert not any(seen.values()), seen
    claims = tab.eval_on_selector_all(".claim", "els => els.map(e => [e.id, e.querySelector('.claim__report a').href])")
    assert claims, "no claims on the page"
    for element_id, href in claims:
        url = urlparse(href)
        query = parse_qs(url.query)
        claim_id = element_id.removeprefix("claim-")
        assert (url.netloc, url.path) == ("github.com", "/optimization-glossary/optimization-glossary/issues/new")
        assert query == {
            "template": ["claim.yml"],
            "title": [f"Claim {claim_id} on local-minimum.md"],
            "page": [f"local-minimum.md, claim {claim_id}"],
        }
    edit = tab.get_by_role("link", name="Edit this page").first.get_attribute("href")
    assert edit == "https://github.com/optimization-glossary/optimization-glossary/edit/main/docs/local-minimum.md"
    cite = tab.locator("details.quote").text_content()
    assert "https://optimization-glossary.github.io/optimization-glossary/local-minimum/" in cite and "@misc{" in cite
    footer = tab.locator(".md-copyright").inner_text()
    assert "MIT" in footer and "CC BY 4.0" in footer
