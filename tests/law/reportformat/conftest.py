"""Fixtures for the report-format tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from rf_paths import EXAMPLES


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    if not EXAMPLES.is_dir():
        pytest.fail(f"example reports not found at {EXAMPLES}")
    return EXAMPLES
