"""Tests of docs/weight-decay.md beyond its own blocks: bad input to its helpers, and every device."""

from __future__ import annotations

import pytest


def test_weight_decay_helpers() -> None:
    pytest.fail("to write: test the page's helpers (bad input gets a clear error; torch code on each device)")
