import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def home_for(client, user):
    client.force_login(user)
    return client.get(reverse("home")).text


def test_coach_home_links_to_inviting_a_coachee(client, coach):
    assert reverse("accounts:invitations") in home_for(client, coach)


def test_org_manager_home_links_to_the_organisation_admin(client, org_manager):
    text = home_for(client, org_manager)
    assert reverse("organisation:index") in text
    assert reverse("admin:index") not in text


def test_it_admin_home_links_to_the_django_admin(client, it_admin):
    assert reverse("admin:index") in home_for(client, it_admin)


def test_coachee_home_has_no_admin_or_invitation_links(client, coachee):
    text = home_for(client, coachee)
    for name in ["accounts:invitations", "organisation:index", "admin:index"]:
        assert reverse(name) not in text
    assert reverse("accounts:profile") in text
