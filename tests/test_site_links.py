"""Every internal link, asset and #anchor of the built site resolves, as hosted under its sub-path.

A crawler over the built HTML (no browser needed): from every page, including the notebook and the
404 page, each href/src that stays on the site must name a file that exists, and each #anchor an id
on the page it points to. Run after `mkdocs build` (``make test`` does).
"""

from __future__ import annotations

import re
import urllib.request
from functools import cache
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlparse

import pytest

from pipeline import serve
from pipeline.fences import ROOT

pytestmark = pytest.mark.site
SITE = ROOT / "site"
BASE = serve.base_path()
_REF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
_ID = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")


def pages() -> list[Path]:
    if not (SITE / "index.html").is_file():
        pytest.fail("site/ is not built: run `make build` first (`make test` does)")
    return sorted(SITE.rglob("*.html"))


def url_of(page: Path) -> str:
    path = page.relative_to(SITE).as_posix()
    return "https://host" + BASE + (path.removesuffix("index.html") if page.name == "index.html" else path)


def file_of(url: str) -> Path | None:
    """The built file a same-site URL names, or None when it points elsewhere."""
    parsed = urlparse(url)
    if parsed.scheme not in ("https", "http") or parsed.netloc != "host" or not parsed.path.startswith(BASE):
        return None
    path = SITE / parsed.path[len(BASE) :]
    return path / "index.html" if path.is_dir() or parsed.path.endswith("/") else path


@cache
def ids(page: Path) -> set[str]:
    return set(_ID.findall(page.read_text(errors="replace")))


def test_every_internal_link_asset_and_anchor_resolves() -> None:
    broken = []
    for page in pages():
        text = page.read_text(errors="replace")
        text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S | re.I)  # code, not links
        for ref in _REF.findall(text):
            if ref.startswith(("mailto:", "data:", "javascript:")):
                continue
            absolute = urljoin(url_of(page), ref)
            if urlparse(absolute).netloc == "host" and not urlparse(absolute).path.startswith(BASE):
                broken.append(f"{page.relative_to(SITE)}: {ref} leaves the site's sub-path {BASE}")
                continue
            target = file_of(absolute)
            if target is None:
                continue
            anchor = urlparse(absolute).fragment
            if not target.is_file():
                broken.append(f"{page.relative_to(SITE)}: {ref} -> no file {target.relative_to(SITE)}")
            elif anchor and target.suffix == ".html" and anchor not in ids(target):
                broken.append(f"{page.relative_to(SITE)}: {ref} -> no #{anchor} on {target.relative_to(SITE)}")
    assert broken == [], "\n".join(broken[:40])


def test_the_sitemap_lists_every_page_under_the_site_url() -> None:
    sitemap = (SITE / "sitemap.xml").read_text() if (SITE / "sitemap.xml").is_file() else ""
    urls = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert len(urls) >= 15 and all(urlparse(u).path.startswith(BASE) for u in urls), urls[:3]


def test_a_missing_page_gets_the_styled_404_under_the_sub_path() -> None:
    pages()
    server, url = serve.start(SITE)
    try:
        with pytest.raises(HTTPError) as missing:
            urllib.request.urlopen(url + "no-such-page/")
        assert missing.value.code == 404
        body = missing.value.read().decode()
        for ref in re.findall(r'<link[^>]+href="([^"]+\.css)"', body):
            assert urllib.request.urlopen(urljoin(url + "no-such-page/", ref)).status == 200, ref
        assert "assets/stylesheets" in body
    finally:
        server.shutdown()
