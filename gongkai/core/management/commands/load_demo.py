"""Load the demo data once: agencies, users, then each app's own demo (module `demo`).

Running it again changes nothing. Each app with a `demo.py` defining
`load(context) -> list[str]` is called in INSTALLED_APPS order; the context dict
carries what earlier loaders created (agencies, users).
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "载入演示数据（可重复运行，不会重复创建）"

    def handle(self, *args, **options):
        context: dict = {}
        lines: list[str] = []
        order = ["gongkai.agencies"] + [
            cfg.name for cfg in apps.get_app_configs()
            if cfg.name.startswith("gongkai.") and cfg.name != "gongkai.agencies"
        ]
        with transaction.atomic():
            for name in order:
                try:
                    module = importlib.import_module(f"{name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name == f"{name}.demo":
                        continue
                    raise
                lines.extend(module.load(context) or [])
        for line in lines:
            self.stdout.write(line)
