"""Fixed-window rate limits on public forms, kept in the shared database cache.

The cache is the database (settings.CACHES), so every gunicorn worker counts the
same hits. Keys never contain raw personal data: phone numbers and IPs are hashed.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

from .clientip import client_ip  # noqa: F401  (the one place that decides the client's address)


def _key(scope: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(f"{scope}:{ident}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{int(time.time() // window)}"


def hit(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Record one attempt; return False when `limit` attempts in this window were exceeded."""
    key = _key(scope, ident, window)
    if cache.add(key, 1, timeout=window + 5):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window + 5)
        return True
    return count <= limit


def would_allow(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Check without recording."""
    return (cache.get(_key(scope, ident, window)) or 0) < limit
