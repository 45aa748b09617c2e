"""Fixed-window rate limits on public forms, kept in the shared database cache.

The cache is the database (settings.CACHES), so every gunicorn worker counts the
same hits. Keys never contain raw personal data: phone numbers and IPs are hashed.
"""

from __future__ import annotations

import hashlib
import threading
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


_lock = threading.Lock()
_local: dict[str, list] = {}  # key -> [hits not yet added to the shared count, shared count last seen, expiry]
_pruned = [0.0]


def hit_batched(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """`hit` for a frequent request that is cheap to answer (a search): the same limit, fewer writes.

    Each process adds its hits to the shared count in batches of a twelfth of the limit (10 for
    120, at most 100), so most requests write nothing: a write to the database cache is a
    transaction of its own, and with SQLite every writer waits for the one before it. A process
    refuses once the shared count it last saw plus its own hits not yet added pass `limit`;
    with N processes at most N × (batch − 1) attempts beyond `limit` get through in a window.
    """
    batch = max(1, min(100, limit // 12))
    key = _key(scope, ident, window)
    now = time.time()
    with _lock:
        if now - _pruned[0] > 1:
            for stale in [k for k, entry in _local.items() if entry[2] < now]:
                del _local[stale]
            _pruned[0] = now
        entry = _local.get(key)
        if entry is None:
            entry = _local[key] = [0, 0, now + window + 5]
        entry[0] += 1
        send, over = 0, entry[1] + entry[0] > limit
        if entry[0] >= batch:
            send, entry[0] = entry[0], 0
    if not send:
        return not over
    if cache.add(key, send, timeout=window + 5):
        count = send
    else:
        try:
            count = cache.incr(key, send)
        except ValueError:  # expired between add and incr
            cache.add(key, send, timeout=window + 5)
            count = send
    with _lock:
        entry[1] = count
    return count <= limit


def would_allow(scope: str, ident: str, *, limit: int, window: int) -> bool:
    """Check without recording."""
    return (cache.get(_key(scope, ident, window)) or 0) < limit
