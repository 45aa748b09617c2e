"""Generate the demo's secret key once, into the var folder, readable by its owner only.

`make run` runs with DEBUG off like production, which refuses the built-in development
key; so the first run writes a random key to var/secret_key (mode 0600), and the
settings read it whenever SECRET_KEY is not set in the environment. Production sets
SECRET_KEY itself (or keeps this file, whose mode it checks here).
No Django import: runs before the settings can load.
"""

from __future__ import annotations

import os
import secrets
import stat
import sys
from pathlib import Path


def ensure_secret_key(path: Path) -> bool:
    """Write a new random key to `path` unless it exists; True when one was written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)  # never readable by other users, whoever created it
        return False
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(50) + "\n")
    return True


def main() -> int:
    var_dir = Path(os.environ.get("GONGKAI_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))
    path = var_dir / "secret_key"
    if ensure_secret_key(path):
        print(f"已生成密钥文件 {path}（仅本用户可读）。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
