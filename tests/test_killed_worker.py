"""A Celery worker killed in the middle of an export or an erasure loses nothing: the task
was acknowledged late and is rejected on worker loss, so once the visibility timeout passes
Redis hands it to the next worker, which completes it without a duplicate or a half file.

The workers are real processes (``celery -A pluform worker``) on a real Redis broker and the
test's PostgreSQL database; ``tests/workers/stall_once.py`` makes the first run stall, and
the test kills that worker with SIGKILL.
"""

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from accounts.models import User
from pluform.celery import app
from privacy import export, tasks
from privacy.erasure_models import Erasure, Ground
from privacy.request_models import AccessArchive
from tests.brokers import needs_redis
from tests.factories.dialogue import one_to_one, post
from tests.factories.toolbox import file_item

REDIS_URL = os.environ.get("REDIS_URL_FOR_KILL_TESTS", "redis://127.0.0.1:6379/14")
VISIBILITY_TIMEOUT = 2


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    needs_redis(REDIS_URL),
]


@pytest.fixture
def broker():
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    saved_options = app.conf.broker_transport_options
    redis.Redis.from_url(REDIS_URL).flushdb()
    app.conf.update(
        task_always_eager=False,
        broker_url=REDIS_URL,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    )
    app._pool = None
    app.amqp._producer_pool = None
    yield
    app.conf.update(**saved, broker_transport_options=saved_options)
    app._pool = None
    app.amqp._producer_pool = None
    redis.Redis.from_url(REDIS_URL).flushdb()


@pytest.fixture
def workers(broker, tmp_path):
    """Starts worker processes on the test database and media folder; kills them all after."""
    database = connection.settings_dict
    stall = tmp_path / "stall"
    started = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pluform.settings",
        "PLUFORM_TESTING": "0",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_RESTORE_INTERVAL": "1",
        "CELERY_RESTORE_THROTTLE": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PLUFORM_TEST_STALL_FILE": str(stall),
        "LOG_LEVEL": "WARNING",
    }

    def start():
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pluform",
                "worker",
                "--pool",
                "solo",
                "--include",
                "tests.workers.stall_once",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            cwd=settings.BASE_DIR,
            start_new_session=True,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    stall.touch()
    yield start, stall
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _kill(process):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def _stored() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_an_export_whose_worker_was_killed_completes_once(workers, coachee, trajectory):
    start, stall = workers
    post(one_to_one(trajectory), coachee, "Export me")
    file_item(coachee, name="mine.pdf", title="Mine")
    before = _stored()
    archive = export.start(coachee)
    first = start()
    _wait_for(lambda: Path(f"{stall}.stalled").exists(), 60, "the export to stall")
    _kill(first)
    archive.refresh_from_db()
    assert archive.state == AccessArchive.State.BUILDING and not archive.file
    assert _stored() == before  # nothing half-written in storage

    start()
    _wait_for(
        lambda: AccessArchive.objects.get(pk=archive.pk).state == AccessArchive.State.READY,
        60,
        "the export to be built by the next worker",
    )
    archive.refresh_from_db()
    assert len(_stored() - before) == 1  # one copy, no orphan of the killed run
    assert AccessArchive.objects.filter(subject=coachee).count() == 1
    with archive.file.open("rb") as stored:
        assert not zipfile.is_zipfile(stored)  # encrypted at rest


def test_an_erasure_whose_worker_was_killed_completes_once(workers, coach, coachee, trajectory):
    start, stall = workers
    post(one_to_one(trajectory), coachee, "Erase me")
    file_item(coachee, name="mine.pdf", title="Mine")
    tasks.erase_subject.delay(str(coachee.pk), Ground.REQUEST)
    first = start()
    _wait_for(lambda: Path(f"{stall}.stalled").exists(), 60, "the erasure to stall")
    _kill(first)
    # Killed inside the records' transaction: everything is still there, nothing half.
    assert User.objects.filter(pk=coachee.pk).exists()
    assert not Erasure.objects.exists()

    start()
    _wait_for(
        lambda: Erasure.objects.filter(state=Erasure.State.DONE).exists(),
        60,
        "the erasure to be completed by the next worker",
    )
    assert not User.objects.filter(pk=coachee.pk).exists()
    assert Erasure.objects.count() == 1
    # The coachee's file went; only the tombstone (id and time) is left in storage.
    assert [path.parent.name for path in _stored()] == ["tombstones"]
