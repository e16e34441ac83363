"""Customer service's console, beside search and login monitoring: send an invitation again,
lift the login limit on an address after rate limiting, and reset a user's two-factor
authentication after a recorded identity check. Each step asks for the password again, is
an audit event, and shows or touches no content."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import invitations
from accounts.roles import Role
from privacy.audit import Action
from privacy.audit_models import AuditEvent
from tests.pages import PASSWORD, page_text, reauthenticated, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def _log_in(email, password, ip) -> bool:
    client = Client(REMOTE_ADDR=ip)
    client.post(reverse("account_login"), {"login": email, "password": password})
    return "_auth_user_id" in client.session


# Lifting the login limit


def test_lifting_the_limit_lets_a_rate_limited_user_log_in_again(coachee, customer_service):
    # Failed logins from many networks: the limit on the address, not on one network, holds.
    for number in range(12):
        _log_in(coachee.email, "wrong", f"10.0.{number}.1")
    assert not _log_in(coachee.email, PASSWORD, "10.9.9.1")
    client = reauthenticated(customer_service)
    response = client.post(reverse("support:unlock", args=[coachee.uuid]))
    assert response.status_code == 302
    assert _log_in(coachee.email, PASSWORD, "10.9.9.2")
    event = AuditEvent.objects.get(subject_uuid=coachee.uuid, detail="login unlocked")
    assert (event.action, event.actor_role) == (Action.CHANGE, "customer_service")


def test_without_the_password_again_nothing_is_lifted(coachee, customer_service):
    client = signed_in(customer_service)
    response = client.post(reverse("support:unlock", args=[coachee.uuid]))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    assert not AuditEvent.objects.filter(detail="login unlocked").exists()


# Resetting two-factor authentication


def test_a_reset_needs_the_identity_check_and_is_recorded_with_it(
    coach, customer_service, django_capture_on_commit_callbacks
):
    assert Authenticator.objects.filter(user=coach).exists()
    client = reauthenticated(customer_service)
    url = reverse("support:reset_two_factor", args=[coach.uuid])
    assert "Identity check" in page_text(client.get(url))
    refused = client.post(url, {"check": "call_back"})
    assert refused.status_code == 400
    assert "Confirm the identity check first." in page_text(refused)
    assert Authenticator.objects.filter(user=coach).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"check": "call_back", "confirmed": "on"})
    assert done.status_code == 302
    assert not Authenticator.objects.filter(user=coach).exists()
    event = AuditEvent.objects.get(subject_uuid=coach.uuid, action=Action.MFA_CHANGE)
    assert event.detail == "reset by support after call_back"
    assert [message.to for message in mail.outbox] == [[coach.email]]
    assert "two-factor" in mail.outbox[0].subject


def test_after_a_reset_the_coach_sets_up_two_factor_again_before_anything_else(
    coach, customer_service
):
    reauthenticated(customer_service).post(
        reverse("support:reset_two_factor", args=[coach.uuid]),
        {"check": "video_id", "confirmed": "on"},
    )
    client = Client()
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    response = client.get(reverse("dialogue:inbox"))
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response["Location"]


# Sending an invitation again


@pytest.fixture
def invitation(coach, org_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return invitations.invite(
            organisation=coach.organisation,
            email="later@example.org",
            role=Role.COACHEE,
            language="en",
            invited_by=org_manager,
            coach=coach,
        )


def test_customer_service_finds_an_invitation_and_sends_it_again(
    invitation, customer_service, django_capture_on_commit_callbacks
):
    first_link = mail.outbox[-1].body
    first_expiry = invitation.expires_at
    client = reauthenticated(customer_service)
    search = client.get(reverse("support:users"), {"q": "later@"})
    assert "later@example.org" in page_text(search)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support:send_invitation_again", args=[invitation.uuid]), {"q": "later@"}
        )
    assert response.status_code == 302
    assert response["Location"].endswith("?q=later%40")
    invitation.refresh_from_db()
    assert invitation.expires_at > first_expiry
    assert [message.to for message in mail.outbox] == [["later@example.org"]]
    assert mail.outbox[0].body != first_link  # a new link; the old one no longer works
    assert AuditEvent.objects.filter(
        object_uuid=invitation.uuid, detail="invitation sent again", actor_role="customer_service"
    ).exists()


def test_an_accepted_invitation_is_not_sent_again(invitation, customer_service):
    invitations.revoke(invitation)
    client = reauthenticated(customer_service)
    response = client.post(
        reverse("support:send_invitation_again", args=[invitation.uuid]), follow=True
    )
    assert "This invitation was accepted or withdrawn." in page_text(response)
    assert not AuditEvent.objects.filter(detail="invitation sent again").exists()


def test_the_console_is_for_customer_service_and_the_it_administrator_only(
    coachee, ict_line_manager, account_manager
):
    for user in (ict_line_manager, account_manager):
        client = reauthenticated(user)
        assert client.post(reverse("support:unlock", args=[coachee.uuid])).status_code == 404
        page = client.get(reverse("support:user", args=[coachee.uuid]))
        assert "Lift the login limit" not in page_text(page)


def test_after_the_password_page_the_user_page_is_shown_again(coachee, customer_service):
    response = reauthenticated(customer_service).get(reverse("support:unlock", args=[coachee.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("support:user", args=[coachee.uuid])
    assert not AuditEvent.objects.filter(detail="login unlocked").exists()
