"""A lock that one process at a time holds across all machines, for scheduled jobs (never on
the request path): a PostgreSQL advisory lock, released when the holder ends or dies."""

import contextlib
import hashlib

from django.core.cache import cache
from django.db import connection

FALLBACK_TIMEOUT = 6 * 3600


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.contextmanager
def exclusive(name: str):
    """Yields whether the lock was taken; never waits for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(name)])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])
        return
    # SQLite (one machine, development): the shared cache.
    acquired = cache.add(f"pluform-lock:{name}", 1, timeout=FALLBACK_TIMEOUT)
    try:
        yield acquired
    finally:
        if acquired:
            cache.delete(f"pluform-lock:{name}")
