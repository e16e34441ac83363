"""Production mode refuses weak configuration and passes Django's deployment checks."""

import base64
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import Error
from django.test import override_settings

from pluform.checks import check_shared_cache

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PLUFORM_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment.update(env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _production_env():
    return {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "PLUFORM_MASTER_KEYS": "k1:" + base64.b64encode(os.urandom(32)).decode(),
        "ALLOWED_HOSTS": "pluform.example.com",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_HOST": "smtp.example.com",
    }


def test_production_passes_the_deployment_checks_without_silencing_any():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 silenced" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "PLUFORM_MASTER_KEYS", "ALLOWED_HOSTS", "REDIS_URL", "EMAIL_HOST"]
)
def test_production_refuses_to_start_without(missing):
    env = _production_env()
    env[missing] = ""
    result = _manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_refuses_a_short_secret_key():
    env = _production_env()
    env["SECRET_KEY"] = "too-short"
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_real_host_name_without_production_mode_is_refused():
    result = _manage("check", ALLOWED_HOSTS="pluform.example.com")
    assert result.returncode != 0
    assert "DJANGO_DEBUG=0" in result.stderr


def test_production_cache_is_the_shared_redis_cache():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        **_production_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
        "django.core.cache.backends.filebased.FileBasedCache",
    ],
)
def test_a_cache_each_worker_keeps_for_itself_fails_the_system_check_in_production(backend):
    with override_settings(DEBUG=False, CACHES={"default": {"BACKEND": backend}}):
        errors = check_shared_cache()
    assert [error.id for error in errors] == ["pluform.E010"]
    assert isinstance(errors[0], Error)
    assert "rate limits" in errors[0].msg


@pytest.mark.parametrize(
    "backend",
    [
        "django.core.cache.backends.redis.RedisCache",
        "django.core.cache.backends.memcached.PyMemcacheCache",
        "django.core.cache.backends.db.DatabaseCache",
    ],
)
def test_a_cache_all_workers_share_passes_the_system_check_in_production(backend):
    with override_settings(DEBUG=False, CACHES={"default": {"BACKEND": backend}}):
        assert check_shared_cache() == []


def test_the_local_default_may_run_on_the_per_process_cache():
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(DEBUG=True, CACHES=locmem):
        assert check_shared_cache() == []


def test_production_sends_the_language_cookie_like_the_session_cookie():
    names = ["SECURE", "HTTPONLY", "SAMESITE"]
    script = (
        "from django.conf import settings; print("
        + ", ".join(
            f"settings.LANGUAGE_COOKIE_{name} == settings.SESSION_COOKIE_{name}" for name in names
        )
        + ", settings.LANGUAGE_COOKIE_SECURE)"
    )
    result = _manage("shell", "--no-imports", "-c", script, **_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]
