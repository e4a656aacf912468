"""Serve the built site on loopback the way a static host does: gzip for text, caching off.

Used by the browser tests and the audit, so the bytes measured are the bytes a reader downloads.
"""

from __future__ import annotations

import gzip
import threading
from functools import lru_cache, partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".py")


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files, gzipped when the browser accepts it and the type is text."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
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


@lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file's gzip body, compressed once per version of the file."""
    return gzip.compress(path.read_bytes(), mtime=0)


def start(site: Path, port: int = 0) -> tuple[ThreadingHTTPServer, str]:
    """Serve `site` in a background thread; return the server and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(SiteHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"
