"""Paths of the shared example reports (CI puts shared/ beside the clone)."""

from __future__ import annotations

from pathlib import Path


def repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "gongkai").is_dir():
            return parent
    raise RuntimeError("repository root not found")


SHARED = repo_root().parent / "shared"
EXAMPLES = SHARED / "examples"
