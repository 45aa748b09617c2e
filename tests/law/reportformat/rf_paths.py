"""Paths of the example reports and the format note, copied into tests/data/."""

from __future__ import annotations

from pathlib import Path


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "gongkai").is_dir():
            return parent
    raise RuntimeError("repository root not found")


DATA = repo_root() / "tests" / "data"
EXAMPLES = DATA / "examples"
