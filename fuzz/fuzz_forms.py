"""Fuzz every public and staff form for N seconds with the test suite's generators: no 5xx.

Usage: python fuzz/fuzz_forms.py SECONDS [--seed N] [--examples N] [--only public|staff]

Creates a throw-away SQLite database (migrated), the same site, case, message and report as
tests/security/test_fuzz_*.py, then goes round the endpoints again and again, each round a
Hypothesis run of --examples inputs per endpoint with a new seed, until the time is up.
Every response must be below 500, a refusal must say in Chinese what is wrong, and a
refused form must leave the stored rows unchanged. The first failure is printed (with the
input Hypothesis shrank it to) and the script exits 1; otherwise it prints the counts.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _setup_django(workdir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.pop("DATABASE_URL", None)  # always a private SQLite file, never a real database
    import django
    from django.conf import settings

    django.setup()
    settings.DATABASES["default"]["TEST"].update(NAME=str(workdir / "fuzz.sqlite3"))
    settings.PUBLISH_ROOT = workdir / "publish"
    settings.MEDIA_ROOT = workdir / "media"
    settings.GONGKAI_PRIVATE_ROOT = workdir / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.DEBUG = False  # the pages a visitor sees, not the technical 404 page
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)


def run(seconds: float, seed: int, examples: int, only: str | None) -> int:
    from django.test import Client
    from hypothesis import settings as hsettings

    import pytest

    from tests.factories import make_agency
    from tests.security import test_fuzz_public as pub
    from tests.security import test_fuzz_staff as staff

    staff._freeze_today(pytest.MonkeyPatch(), staff.date(2026, 3, 20))  # the same frozen day as the tests
    agency = make_agency("测试市退役军人事务局")
    portal = pub.build_portal(agency)
    world = staff.build_world(agency)
    public_client = Client()
    staff_client, admin_client = Client(), Client()
    staff.login(staff_client, world["staff"])
    staff.login(admin_client, world["admin"], verified=True)
    jobs = []
    if only in (None, "public"):
        jobs += [(f"public {n}", lambda n, b, s: pub.fuzz_endpoint(n, portal, public_client, b, s), n)
                 for n in sorted(pub.ENDPOINTS)]
    if only in (None, "staff"):
        jobs += [(f"staff {n}", lambda n, b, s: staff.fuzz_endpoint(
            n, world, admin_client if n.startswith("calendars") else staff_client, b, s), n)
                 for n in sorted(staff.ENDPOINTS)]
    deadline = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < deadline:
        for label, job, name in jobs:
            if time.monotonic() >= deadline:
                break
            budget = hsettings(max_examples=examples, derandomize=False)
            try:
                job(name, budget, seed * 1000 + rounds)
            except Exception:  # noqa: BLE001 - report any failure with its input
                print(f"FAILURE in {label} (seed {seed}, round {rounds})\n{traceback.format_exc()[-6000:]}", flush=True)
                return 1
        rounds += 1
    print(f"fuzzed {seconds:.0f}s in {rounds} rounds (seed {seed}): public {pub.TALLY.summary()}; "
          f"staff {staff.TALLY.summary()}; total {pub.TALLY.total + staff.TALLY.total} inputs; no 5xx", flush=True)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("seconds", type=float)
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--examples", type=int, default=25, help="inputs per endpoint and round")
    ap.add_argument("--only", choices=["public", "staff"])
    args = ap.parse_args()
    print(f"seed {args.seed}", flush=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-fuzz-") as tmp:
        _setup_django(Path(tmp))
        return run(args.seconds, args.seed, args.examples, args.only)


if __name__ == "__main__":
    sys.exit(main())
