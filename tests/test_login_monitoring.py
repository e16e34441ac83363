import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import LoginAttempt
from accounts.monitoring import truncate_ip
from tests.totp import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
Outcome = LoginAttempt.Outcome


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def post_login(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def test_successful_login_is_recorded_without_the_password(client, coachee):
    post_login(client, "Coachee@Example.com", HTTP_USER_AGENT="Firefox/130")
    attempt = LoginAttempt.objects.get()
    assert attempt.success
    assert attempt.outcome == Outcome.LOGGED_IN
    assert attempt.user == coachee
    assert attempt.email == "coachee@example.com"
    assert attempt.ip_network == "127.0.0.0/24"
    assert attempt.user_agent == "Firefox/130"
    assert PASSWORD not in str(LoginAttempt.objects.values().get())


def test_wrong_password_is_recorded_with_the_known_user(client, coachee):
    post_login(client, coachee.email, "not the password")
    attempt = LoginAttempt.objects.get()
    assert not attempt.success
    assert attempt.outcome == Outcome.BAD_CREDENTIALS
    assert attempt.user == coachee
    assert "not the password" not in str(LoginAttempt.objects.values().get())


def test_unknown_email_is_recorded_as_typed_lowercased_and_truncated(client):
    post_login(client, "Nobody@Example.com", "whatever it is")
    attempt = LoginAttempt.objects.get()
    assert attempt.user is None
    assert attempt.email == "nobody@example.com"


def test_long_user_agent_is_truncated(client, coachee):
    post_login(client, coachee.email, HTTP_USER_AGENT="x" * 1000)
    assert len(LoginAttempt.objects.get().user_agent) == 200


def test_two_factor_login_records_both_steps_and_failures(client, coach):
    post_login(client, coach.email)
    client.post(reverse("mfa_authenticate"), {"code": "000000"})
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    outcomes = list(LoginAttempt.objects.order_by("at", "pk").values_list("outcome", flat=True))
    assert outcomes == [Outcome.PASSWORD_OK, Outcome.BAD_MFA_CODE, Outcome.LOGGED_IN]
    assert set(LoginAttempt.objects.values_list("user", flat=True)) == {coach.pk}


def test_refused_attempts_are_recorded_as_rate_limited(client, coachee):
    for _ in range(11):
        post_login(client, coachee.email, "not the password")
    refused = LoginAttempt.objects.get(outcome=Outcome.RATE_LIMITED)
    assert refused.user == coachee
    assert LoginAttempt.objects.filter(outcome=Outcome.BAD_CREDENTIALS).count() == 10


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:abcd:12:1:2:3:4", "2001:db8:abcd::/48"),
        ("not an address", ""),
    ],
)
def test_ip_addresses_are_kept_as_networks_only(ip, network):
    assert truncate_ip(ip) == network


def test_login_attempts_are_read_only_in_the_admin(client, it_admin, coachee):
    post_login(client, coachee.email, "not the password")
    client.force_login(it_admin)
    changelist = client.get(reverse("admin:accounts_loginattempt_changelist"))
    assert changelist.status_code == 200
    assert coachee.email in changelist.text
    attempt = LoginAttempt.objects.first()
    change = client.post(
        reverse("admin:accounts_loginattempt_change", args=[attempt.pk]), {"email": "x@y.z"}
    )
    assert change.status_code == 403
    assert client.get(reverse("admin:accounts_loginattempt_add")).status_code == 403


def test_logins_and_failed_logins_reach_the_audit_trail(client, coachee):
    from privacy.audit_models import AuditEvent

    post_login(client, coachee.email, "not the password")
    post_login(client, coachee.email)
    events = list(AuditEvent.objects.order_by("at").values_list("action", "subject_uuid"))
    assert events == [("login_failed", coachee.uuid), ("login", coachee.uuid)]
