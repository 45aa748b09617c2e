"""A deliberately slow background job, for the test that kills a worker in the middle of one."""

from __future__ import annotations

import time
from pathlib import Path

from django_tasks import task


@task()
def write_after(path: str, seconds: float) -> str:
    """Note the start in `path`.started, sleep, then append a line to `path` (run twice, it leaves two lines)."""
    Path(path + ".started").touch()
    time.sleep(seconds)
    with Path(path).open("a", encoding="utf-8") as out:
        out.write("done\n")
    return "done"
