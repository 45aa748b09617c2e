"""How every `gongkai` command reports a refusal: one Chinese line on stderr, and the exit code."""

from __future__ import annotations

import sys


def fail(message: str, code: int = 2) -> int:
    print(f"错误：{message}", file=sys.stderr)
    return code
