"""Start Django from a CLI command that needs the database."""

from __future__ import annotations

import os


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    # CLI: Django is loaded only by the commands that need the database (the others start without it)
    import django

    django.setup()
