import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_login_gives_a_new_session_key(client, coachee):
    client.get(reverse("account_login"))
    client.session["probe"] = 1
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.post(reverse("account_login"), {"login": coachee.email, "password": PASSWORD})
    assert client.session.session_key != before
    assert "_auth_user_id" in client.session


def _age_session(client, **shift):
    session = client.session
    for key, seconds in shift.items():
        session[key] = int(time.time()) - seconds
    session.save()


def test_session_ends_after_thirty_idle_minutes(client, coachee):
    client.force_login(coachee)
    client.get(reverse("home"))
    _age_session(client, pluform_seen=31 * 60)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "expired=1" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_session_survives_twenty_idle_minutes(client, coachee):
    client.force_login(coachee)
    client.get(reverse("home"))
    _age_session(client, pluform_seen=20 * 60)
    assert client.get(reverse("home")).status_code == 200


def test_session_ends_after_twelve_hours_even_when_active(client, coachee):
    client.force_login(coachee)
    client.get(reverse("home"))
    _age_session(client, pluform_started=12 * 3600 + 60, pluform_seen=10)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_expired_session_shows_a_notice_on_the_login_page(client):
    response = client.get(reverse("account_login") + "?expired=1")
    assert 'class="message warning"' in response.text


def _user_updates(queries):
    return [q for q in queries if q["sql"].startswith("UPDATE") and "last_activity_at" in q["sql"]]


def test_last_activity_is_written_once_for_two_requests_in_a_row(client, coachee):
    client.force_login(coachee)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
        client.get(reverse("home"))
    assert len(_user_updates(queries.captured_queries)) == 1
    coachee.refresh_from_db()
    assert coachee.last_activity_at is not None


def test_session_cookie_is_http_only(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60


def test_expired_sessions_are_cleared_daily(client, coachee, settings):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts import tasks

    assert "accounts-clear-expired-sessions" in settings.CELERY_BEAT_SCHEDULE
    client.post(reverse("account_login"), {"login": coachee.email, "password": PASSWORD})
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    tasks.clear_expired_sessions.delay()
    assert not Session.objects.exists()
