"""The monitoring overview: failed logins, rate limiting, networks, active users, lock-outs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginAttempt
from accounts.roles import Role
from accounts.support_monitoring import overview
from tests.factories.accounts import CoacheeFactory, OrganisationFactory
from tests.factories.login_attempts import LoginAttemptFactory

pytestmark = pytest.mark.django_db

Outcome = LoginAttempt.Outcome
NOW = timezone.now()


def _ago(**delta):
    return NOW - datetime.timedelta(**delta)


def _outcomes(result):
    return {row.label: (row.day, row.week) for row in result.outcomes}


def test_attempts_are_counted_by_outcome_for_the_last_24_hours_and_7_days():
    LoginAttemptFactory(outcome=Outcome.BAD_CREDENTIALS, at=_ago(hours=1))
    LoginAttemptFactory(outcome=Outcome.BAD_CREDENTIALS, at=_ago(days=2))
    LoginAttemptFactory(outcome=Outcome.BAD_CREDENTIALS, at=_ago(days=8))  # too old
    LoginAttemptFactory(outcome=Outcome.BAD_MFA_CODE, at=_ago(hours=23))
    LoginAttemptFactory(outcome=Outcome.RATE_LIMITED, at=_ago(days=6))
    LoginAttemptFactory(outcome=Outcome.LOGGED_IN, at=_ago(minutes=5))
    result = overview(now=NOW)
    assert _outcomes(result) == {
        "Logged in": (1, 1),
        "Password correct, second factor pending": (0, 0),
        "Wrong e-mail address or password": (1, 2),
        "Wrong two-factor code": (1, 1),
        "Refused: too many attempts": (0, 1),
    }
    assert (result.failed.day, result.failed.week) == (2, 4)
    assert (result.rate_limited.day, result.rate_limited.week) == (0, 1)


def test_networks_with_most_failed_attempts_in_24_hours_come_first():
    for _ in range(3):
        LoginAttemptFactory(ip_network="192.0.2.0/24", email="a@example.com", at=_ago(hours=2))
    LoginAttemptFactory(ip_network="192.0.2.0/24", email="b@example.com", at=_ago(hours=1))
    LoginAttemptFactory(ip_network="2001:db8:abcd::/48", at=_ago(hours=3))
    LoginAttemptFactory(ip_network="198.51.100.0/24", at=_ago(days=2))  # too old
    LoginAttemptFactory(ip_network="203.0.113.0/24", outcome=Outcome.LOGGED_IN, at=_ago(hours=1))
    networks = overview(now=NOW).networks
    assert [(n.network, n.failed, n.addresses) for n in networks] == [
        ("192.0.2.0/24", 4, 2),
        ("2001:db8:abcd::/48", 1, 1),
    ]
    assert networks[0].last == _ago(hours=1)


def test_active_users_are_counted_per_role(coach, coachee, customer_service):
    coach.last_activity_at = _ago(hours=2)
    coach.save()
    coachee.last_activity_at = _ago(days=3)
    coachee.save()
    CoacheeFactory(last_activity_at=_ago(days=30))
    CoacheeFactory(is_active=False)
    result = overview(now=NOW)
    roles = {row.label: (row.accounts, row.day, row.week) for row in result.roles}
    assert roles["Coach"] == (1, 1, 1)
    assert roles["Coachee"] == (2, 0, 1)
    assert roles["Customer service"] == (1, 0, 0)
    assert roles["Organisation manager"] == (0, 0, 0)
    assert [row.label for row in result.roles] == [role.label for role in Role]
    assert (result.active.day, result.active.week) == (1, 2)


def test_accounts_locked_out_by_the_rate_limit_are_listed_but_unknown_addresses_are_not(
    coachee, coach
):
    for hours in (1, 2, 3):
        LoginAttemptFactory(email=coachee.email, outcome=Outcome.RATE_LIMITED, at=_ago(hours=hours))
    LoginAttemptFactory(email=coach.email, outcome=Outcome.RATE_LIMITED, at=_ago(minutes=10))
    LoginAttemptFactory(email=coach.email, outcome=Outcome.RATE_LIMITED, at=_ago(days=9))
    LoginAttemptFactory(email="typo@exmaple.com", outcome=Outcome.RATE_LIMITED, at=_ago(hours=1))
    LoginAttemptFactory(email=coachee.email, outcome=Outcome.BAD_CREDENTIALS, at=_ago(hours=1))
    locked = overview(now=NOW).locked_out
    assert [(row.user, row.refused) for row in locked] == [(coach, 1), (coachee, 3)]
    assert locked[1].last == _ago(hours=1)


def test_monitoring_page_shows_the_figures_and_links_locked_out_users(
    client, ict_line_manager, coachee
):
    LoginAttemptFactory(email=coachee.email, outcome=Outcome.RATE_LIMITED, ip_network="")
    LoginAttemptFactory(ip_network="192.0.2.0/24")
    client.force_login(ict_line_manager)
    response = client.get(reverse("support:monitoring"))
    assert response.status_code == 200
    assert "192.0.2.0/24" in response.text
    assert "unknown" in response.text  # the refused attempt's network was not known
    assert reverse("support:user", args=[coachee.uuid]) in response.text
    assert "typo@" not in response.text


def test_empty_monitoring_page_says_there_is_nothing_to_see(client, customer_service):
    client.force_login(customer_service)
    LoginAttempt.objects.all().delete()  # the forced login itself was recorded
    text = client.get(reverse("support:monitoring")).text
    assert "No failed login attempts in the last 24 hours." in text
    assert "No account was locked out in the last 7 days." in text


def _fill(count):
    organisation = OrganisationFactory()
    for number in range(count):
        person = CoacheeFactory(organisation=organisation, last_activity_at=_ago(hours=number))
        LoginAttemptFactory(user=person, ip_network=f"10.0.{number}.0/24", at=_ago(hours=1))
        LoginAttemptFactory(email=person.email, outcome=Outcome.RATE_LIMITED, at=_ago(hours=2))


def test_monitoring_query_count_is_the_same_for_1_and_30_users_and_attempts(
    client, customer_service, django_assert_num_queries
):
    _fill(1)
    client.force_login(customer_service)
    client.get(reverse("support:monitoring"))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("support:monitoring"))
    assert len(response.context["overview"].locked_out) == 1
    _fill(30)
    with django_assert_num_queries(len(one)):
        response = client.get(reverse("support:monitoring"))
    assert len(response.context["overview"].locked_out) == 25
    assert len(response.context["overview"].networks) == 10
