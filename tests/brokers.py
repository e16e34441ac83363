"""A real Redis for the tests whose behaviour depends on it (Celery through a broker)."""

import os

import pytest
import redis


def redis_available(url: str) -> bool:
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def needs_redis(url: str):
    """Skips without Redis; in CI (where it must run) the test runs and fails instead."""
    return pytest.mark.skipif(
        not redis_available(url) and not os.environ.get("CI"), reason="Redis is not running"
    )
