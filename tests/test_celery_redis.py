"""Tasks go through a real Redis broker to a real Celery worker: IDs in, e-mail out."""

import os
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections

from dialogue import services
from pluform.celery import app
from tests.brokers import needs_redis
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory

REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")


pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_redis(REDIS_URL),
]


def _switch_broker(**conf):
    """Points the app at another broker, dropping producer connections to the old one."""
    app.conf.update(**conf)
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_broker(settings):
    settings.PLUFORM_NOTIFY_DELAY_MINUTES = 0
    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    _switch_broker(task_always_eager=False, broker_url=REDIS_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    yield redis.Redis.from_url(REDIS_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    _switch_broker(**saved)


def _close_worker_connections(**kwargs):
    connections.close_all()  # runs in the worker thread: its connections, not the test's


@pytest.fixture
def worker(redis_broker):
    task_postrun.connect(_close_worker_connections)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        task_postrun.disconnect(_close_worker_connections)


def test_without_a_worker_nothing_is_sent_inline(redis_broker):
    """The queue really is asynchronous once a broker is configured."""
    coach = CoachFactory()
    coachee = CoacheeFactory(organisation=coach.organisation)
    dialogue = services.ensure_trajectory_dialogue(
        TrajectoryFactory(coachee=coachee, coaches=[coach])
    )
    services.post_message(dialogue, coachee, "hello")
    assert mail.outbox == []
    assert redis_broker.llen("celery") == 1


def test_a_message_notification_travels_through_redis_to_a_worker(worker):
    coach = CoachFactory(language="nl")
    coachee = CoacheeFactory(organisation=coach.organisation)
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach])
    dialogue = services.ensure_trajectory_dialogue(trajectory)

    services.post_message(dialogue, coachee, "Marker-7f3a: how I really feel")

    deadline = time.monotonic() + 5
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [message.to for message in mail.outbox] == [[coach.email]]
    assert "Marker-7f3a" not in mail.outbox[0].body
