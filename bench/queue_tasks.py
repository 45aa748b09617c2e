"""The job the queue benchmark sends: note when it ran (no database work, so the engine itself is measured)."""

from __future__ import annotations

import time

from django_tasks import task


@task()
def note(path: str, enqueued: float) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write(f"{time.time() - enqueued:.4f}\n")
