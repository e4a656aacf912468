"""Tests of docs/sharp-and-flat-minima.md beyond its own blocks: bad input to its helpers, and every device."""

from __future__ import annotations

import pytest


def test_sharp_and_flat_minima_helpers() -> None:
    pytest.fail("to write: test the page's helpers (bad input gets a clear error; torch code on each device)")
