"""System checks of the production configuration (registered in PluformConfig.ready)."""

from django.conf import settings
from django.core import checks

# Cache backends that every gunicorn worker and every web node share. allauth counts login,
# two-factor and password-reset attempts in the default cache: a per-process cache (local
# memory, dummy) gives each worker its own count, so the limits multiply by the number of
# workers and nodes. A file cache is not accepted either: by default its folder lives in one
# container, and on a shared network volume its locking and culling are not safe.
SHARED_CACHE_BACKENDS = frozenset(
    {
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.memcached.PyLibMCCache",
        "django.core.cache.backends.db.DatabaseCache",
    }
)


@checks.register(checks.Tags.caches, checks.Tags.security)
def check_shared_cache(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in SHARED_CACHE_BACKENDS:
        return []
    return [
        checks.Error(
            f"The default cache ({backend or 'none'}) is not shared by the web workers, so "
            "each worker keeps its own count of login, two-factor and password-reset "
            "attempts and the rate limits do not hold.",
            hint="Set REDIS_URL (or configure a Memcached or database cache) in production.",
            id="pluform.E010",
        )
    ]
