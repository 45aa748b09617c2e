"""Real background workers for tests: `manage.py gongkai_worker` as a separate process on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.conftest import TEST_FIELD_KEY

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*args, engine: str = "database", **extra_env) -> subprocess.Popen:
    """Start `manage.py gongkai_worker` for the given engine against the test database."""
    env = {**os.environ, "DATABASE_URL": database_url(), "GONGKAI_TASKS": engine,
           "GONGKAI_FIELD_KEY": TEST_FIELD_KEY, "PUBLISH_ROOT": str(settings.PUBLISH_ROOT),
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "PYTHONPATH": str(ROOT), "DEBUG": "1", **extra_env}
    options = ["--no-startup-delay", "--interval", "0.2"] if engine == "database" else []
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "gongkai_worker", *options, *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def stop_worker(worker: subprocess.Popen, timeout: float = 60) -> str:
    """SIGTERM (a worker finishes its job and leaves), then its output."""
    if worker.poll() is None:
        worker.terminate()
    try:
        output, _ = worker.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output or ""


def wait_for(condition, timeout: float = 60.0) -> bool:
    """Poll the condition until it holds (True) or the time is up (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
