"""What the bench needs from the machine, and the production-like environment it runs in."""

import base64
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


class Missing(Exception):
    """Something the bench needs is not there; the message says what and how to get it."""


@dataclass
class Target:
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "postgres"
    database: str = "pluform_bench"
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    redis_db: int = 12

    @property
    def database_url(self) -> str:
        return f"postgres://{self.pg_user}@{self.pg_host}:{self.pg_port}/{self.database}"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.redis_host}:{self.redis_port}/{self.redis_db}"


def check(target: Target) -> None:
    """Raises Missing with every missing piece at once."""
    problems = []
    if shutil.which("wrk") is None:
        problems.append("wrk is not installed (Debian/Ubuntu: apt-get install wrk)")
    if not (BIN / "gunicorn").exists():
        problems.append(f"gunicorn is missing from {BIN} (run `make install`)")
    try:
        import psycopg

        with psycopg.connect(_admin_dsn(target), connect_timeout=3):
            pass
    except Exception as error:  # any failure means the same: no usable PostgreSQL
        problems.append(
            f"PostgreSQL is not reachable at {target.pg_host}:{target.pg_port} as user "
            f"{target.pg_user} without a password ({type(error).__name__}: {error})".strip()
        )
    try:
        import redis

        redis.Redis(target.redis_host, target.redis_port, socket_timeout=3).ping()
    except Exception as error:
        problems.append(
            f"Redis is not reachable at {target.redis_host}:{target.redis_port} "
            f"({type(error).__name__}: {error})"
        )
    if problems:
        raise Missing("\n".join(f"  - {problem}" for problem in problems))


def _admin_dsn(target: Target) -> str:
    return f"host={target.pg_host} port={target.pg_port} user={target.pg_user} dbname=postgres"


def recreate_database(target: Target) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_admin_dsn(target), autocommit=True) as connection:
        name = sql.Identifier(target.database)
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def flush_redis(target: Target) -> None:
    import redis

    redis.Redis(target.redis_host, target.redis_port, db=target.redis_db).flushdb()


def production_env(target: Target, scratch: Path) -> dict[str, str]:
    """The environment of both the web server and this process: production mode, fresh keys."""
    master = base64.b64encode(secrets.token_bytes(32)).decode()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PLUFORM_", "DJANGO_", "GUNICORN_"))
        and key not in {"DATABASE_URL", "KEYS_DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        PLUFORM_MASTER_KEYS=f"bench:{master}",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=target.database_url,
        REDIS_URL=target.redis_url,
        PLUFORM_BENCH="1",
        PLUFORM_TESTING="0",
        PLUFORM_VAR_DIR=str(scratch / "var"),
        PLUFORM_BENCH_STATIC_ROOT=str(scratch / "static"),
        PYTHONPATH=str(ROOT),
    )
    return env
