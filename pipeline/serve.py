"""Serve the built site on loopback the way GitHub Pages does: under its sub-path (from ``site_url``),
gzip for text, ``404.html`` with status 404 for a missing page.

Used by the browser tests and the audit, so the bytes measured are the bytes a reader downloads.
"""

from __future__ import annotations

import gzip
import re
import threading
from functools import lru_cache, partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".py")


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files under `base`, gzipped when the browser accepts it and the type is text."""

    base = "/"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        if not self.path.startswith(self.base):
            return self._not_found()
        self.path = "/" + self.path[len(self.base) :]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder's URL
            path = path / "index.html"
        if not path.is_file():
            return self._not_found()
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)

    def _not_found(self):
        page = Path(self.directory) / "404.html"
        body = page.read_bytes() if page.is_file() else b"not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        from io import BytesIO

        return BytesIO(body)


@lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file's gzip body, compressed once per version of the file."""
    return gzip.compress(path.read_bytes(), mtime=0)


CONFIG = Path(__file__).resolve().parent.parent / "mkdocs.yml"


def base_path(config: Path = CONFIG) -> str:
    """The path the site is hosted under, from mkdocs.yml's site_url (``/`` when it has none)."""
    match = re.search(r"^site_url:\s*(\S+)", config.read_text(), re.M)
    path = urlparse(match.group(1)).path if match else "/"
    return path if path.endswith("/") else path + "/"


def start(site: Path, port: int = 0, base: str | None = None) -> tuple[ThreadingHTTPServer, str]:
    """Serve `site` under its sub-path in a background thread; return the server and the site's URL."""
    base = base_path() if base is None else base
    handler = type("Handler", (SiteHandler,), {"base": base})
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}{base}"
