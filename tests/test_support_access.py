"""Who may use the support pages, and which part of them each staff role sees."""

import pytest
from django.urls import reverse

from accounts import support
from tests.factories.login_attempts import LoginAttemptFactory

pytestmark = pytest.mark.django_db

FINDERS = ["customer_service", "ict_line_manager", "account_manager", "it_admin"]
ACTIVITY = ["customer_service", "ict_line_manager", "it_admin"]
NOT_STAFF = ["coach", "coachee", "other_coach", "org_manager", "stranger_coach", "stranger_coachee"]


def _pages(actors):
    return [
        reverse("support:users"),
        reverse("support:users") + "?q=example",
        reverse("support:user", args=[actors["coachee"].uuid]),
        reverse("support:monitoring"),
    ]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_people_outside_pluform_staff_get_404_on_every_support_page(client, actors, role):
    client.force_login(actors[role])
    for url in _pages(actors):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_role_decisions_live_in_one_place(actors):
    assert [r for r in actors if support.may_find_users(actors[r])] == FINDERS
    assert [r for r in actors if support.may_see_activity(actors[r])] == ACTIVITY


def test_a_deactivated_staff_member_may_not_use_support(customer_service):
    customer_service.is_active = False
    assert not support.may_find_users(customer_service)
    assert not support.may_see_activity(customer_service)


def test_anonymous_visitor_is_sent_to_login(client, coachee):
    response = client.get(reverse("support:user", args=[coachee.uuid]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("role", ACTIVITY)
def test_activity_roles_see_the_activity_log_on_a_user_page(client, actors, role):
    LoginAttemptFactory(user=actors["coachee"], ip_network="198.51.100.0/24")
    client.force_login(actors[role])
    response = client.get(reverse("support:user", args=[actors["coachee"].uuid]))
    assert response.context["show_activity"]
    assert "198.51.100.0/24" in response.text
    assert "Login attempts" in response.text


def test_account_manager_sees_identification_but_no_activity_log(client, account_manager, coachee):
    LoginAttemptFactory(user=coachee, ip_network="198.51.100.0/24")
    coachee.phone = "+31 6 1234 5678"
    coachee.save()
    client.force_login(account_manager)
    response = client.get(reverse("support:user", args=[coachee.uuid]))
    assert response.status_code == 200
    assert coachee.email in response.text
    assert "+31 6 1234 5678" in response.text
    assert response.context["attempts"] is None
    assert "198.51.100.0/24" not in response.text
    assert "Login attempts" not in response.text
    assert "Last activity" not in response.text
    assert client.get(reverse("support:monitoring")).status_code == 404


def test_account_manager_sees_no_monitoring_link(client, account_manager):
    client.force_login(account_manager)
    response = client.get(reverse("support:users"))
    assert reverse("support:monitoring") not in response.text
    home = client.get(reverse("home"))
    assert reverse("support:users") in home.text
    assert reverse("support:monitoring") not in home.text


@pytest.mark.parametrize("role", ACTIVITY)
def test_activity_roles_find_both_pages_from_home_and_navigation(client, actors, role):
    client.force_login(actors[role])
    home = client.get(reverse("home"))
    assert home.text.count(reverse("support:users") + '"') == 2  # navigation and a card
    assert reverse("support:monitoring") in home.text


@pytest.mark.parametrize("role", NOT_STAFF)
def test_nobody_else_sees_a_support_link(client, actors, role):
    client.force_login(actors[role])
    assert "/support/" not in client.get(reverse("home")).text


@pytest.mark.parametrize("role", ACTIVITY)
def test_support_pages_are_never_cached_and_take_no_changes(client, actors, role):
    client.force_login(actors[role])
    for url in _pages(actors):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert client.post(url).status_code == 405, url
        assert client.put(url).status_code == 405, url


def test_unknown_user_id_is_404_for_staff(client, customer_service):
    client.force_login(customer_service)
    response = client.get(reverse("support:user", args=["5c1b0a52-1111-4222-8333-944455556666"]))
    assert response.status_code == 404
