"""One error type for everything wrong with a page, a snippet or a claim."""

from __future__ import annotations


class PageError(Exception):
    """A problem in a page or snippet, reported as ``file:line: what is wrong``."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
