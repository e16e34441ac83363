import datetime

import pytest
from django.utils import timezone

from accounts.models import LoginAttempt
from accounts.tasks import purge_login_attempts
from pluform.celery import app

pytestmark = pytest.mark.django_db


def _attempt(days_ago):
    return LoginAttempt.objects.create(
        email="eva@example.com",
        success=False,
        outcome=LoginAttempt.Outcome.BAD_CREDENTIALS,
        at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_attempts_older_than_the_retention_period_are_removed(settings):
    settings.PLUFORM_LOGIN_ATTEMPT_RETENTION_DAYS = 365
    kept, recent = _attempt(364), _attempt(1)
    for days_ago in (366, 800):
        _attempt(days_ago)
    purge_login_attempts.delay()
    assert set(LoginAttempt.objects.all()) == {kept, recent}


def test_the_purge_runs_every_night():
    schedule = app.conf.beat_schedule["accounts-purge-login-attempts"]
    assert schedule["task"] == purge_login_attempts.name
