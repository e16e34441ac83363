"""Whoever may edit someone's e-mail address must not be able to take the account over."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _org_manager_sets_email(client, org_manager, coachee, email):
    client.force_login(org_manager)
    url = reverse("organisation:accounts_organisationcoachee_change", args=[coachee.pk])
    response = client.post(
        url, {"first_name": coachee.first_name, "last_name": coachee.last_name, "email": email}
    )
    assert response.status_code == 302
    client.logout()


def _request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def test_no_password_reset_reaches_an_address_an_org_manager_set(
    client, org_manager, coachee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _org_manager_sets_email(client, org_manager, coachee, "attacker@example.org")
    mail.outbox.clear()
    response = _request_reset(client, "attacker@example.org")
    assert response.status_code == 302  # the same answer as for any address
    assert mail.outbox == []


def test_the_owner_logging_in_confirms_the_new_address(
    client, org_manager, coachee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _org_manager_sets_email(client, org_manager, coachee, "eva.new@example.com")
    mail.outbox.clear()
    response = client.post(
        reverse("account_login"), {"login": "eva.new@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.email_set_by_other_at is None
    assert EmailAddress.objects.get(user=coachee).verified
    client.logout()
    mail.outbox.clear()
    _request_reset(client, "eva.new@example.com")
    assert [message.to for message in mail.outbox] == [["eva.new@example.com"]]


def test_an_address_the_user_set_themselves_can_reset_at_once(
    client, coachee, django_capture_on_commit_callbacks
):
    from accounts import services

    with django_capture_on_commit_callbacks(execute=True):
        services.change_email(coachee, "eva.mine@example.com", by_the_user=True)
    mail.outbox.clear()
    _request_reset(client, "eva.mine@example.com")
    assert [message.to for message in mail.outbox] == [["eva.mine@example.com"]]
