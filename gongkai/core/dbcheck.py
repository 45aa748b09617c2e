"""`python -m gongkai.core.dbcheck`: say clearly, in one line, when the database cannot be reached."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django
from django.conf import settings
from django.db import connection


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    try:
        django.setup()
        if connection.vendor == "sqlite":
            Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
    except Exception as exc:  # noqa: BLE001 - any failure becomes one clear message
        url = getattr(settings, "DATABASE_URL", os.environ.get("DATABASE_URL", ""))
        safe = url.split("@")[-1] if "@" in url else url
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"无法连接数据库（{safe}）：{first}\n请检查 DATABASE_URL 是否正确、数据库服务是否已启动。",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
