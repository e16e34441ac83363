import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.totp import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def refused(response):
    form = response.context["form"]
    codes = [error.code for errors in form.errors.as_data().values() for error in errors]
    return "too_many_login_attempts" in codes


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def fail_login(client, email, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": "not the password"}, **headers
    )


def test_eleventh_failed_login_within_a_minute_is_refused(client, coachee):
    for _ in range(10):
        response = fail_login(client, coachee.email)
        assert not refused(response)
    response = fail_login(client, coachee.email)
    assert refused(response)


def test_refused_login_stays_refused_even_with_the_right_password(client, coachee):
    for _ in range(10):
        fail_login(client, coachee.email)
    client.post(reverse("account_login"), {"login": coachee.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_forged_forwarded_for_header_does_not_reset_the_limit(client, coachee, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for number in range(10):
        fail_login(client, f"person{number}@example.com", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    response = fail_login(client, "someone@example.com", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused(response)


def test_limit_per_address_counts_across_ip_addresses(client, coachee):
    for number in range(10):
        fail_login(client, coachee.email, REMOTE_ADDR=f"192.0.2.{number}")
    response = fail_login(client, coachee.email, REMOTE_ADDR="198.51.100.1")
    assert refused(response)


def test_other_addresses_from_another_ip_still_log_in(client, coachee, coach):
    for _ in range(10):
        fail_login(client, coach.email, REMOTE_ADDR="192.0.2.1")
    response = client.post(
        reverse("account_login"),
        {"login": coachee.email, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 302


def test_eleventh_wrong_two_factor_code_is_refused(client, coach):
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    url = reverse("mfa_authenticate")
    for _ in range(10):
        response = client.post(url, {"code": "000000"})
        assert not refused(response)
    response = client.post(url, {"code": current_code()})
    assert refused(response)
    assert "_auth_user_id" not in client.session


@pytest.fixture
def redis_cache(settings):
    """The production cache backend: counters shared by every web worker."""
    import redis

    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).flushdb()
    except redis.RedisError:
        pytest.skip("Redis is not running")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    yield
    redis.Redis.from_url(url).flushdb()


def test_limit_holds_across_web_workers_sharing_redis(redis_cache, coachee):
    from django.test import Client

    first_worker, second_worker = Client(), Client()
    for number in range(10):
        fail_login(first_worker if number % 2 else second_worker, coachee.email)
    assert refused(fail_login(Client(), coachee.email))
