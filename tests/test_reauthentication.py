"""Re-authentication asks for the password, and nothing else stands in for it.

allauth offers two other ways back into a sensitive step: a code sent to the mailbox, and
an authenticator code alone. Either would let someone who holds only the mailbox (or only
the phone) of a logged-in user change their e-mail address or their two-factor set-up.
"""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.totp import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def coach_session(client, coach):
    """A coach logged in through the pages, with password and authenticator code."""
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    return client


def _email_change_is_open(client):
    return client.get(reverse("accounts:change_email")).status_code == 200


def test_reauthentication_page_offers_only_the_password(coach_session):
    page = coach_session.get(reverse("account_reauthenticate"))
    assert page.status_code == 200
    assert 'name="password"' in page.text
    assert reverse("account_request_reauthentication_code") not in page.text
    assert reverse("mfa_reauthenticate") not in page.text


def test_sign_in_code_for_reauthentication_is_refused_and_sends_no_mail(coach_session, coach):
    mail.outbox.clear()
    response = coach_session.post(
        reverse("account_request_reauthentication_code"), {"email": coach.email}
    )
    assert response.status_code == 403
    assert mail.outbox == []
    assert coach_session.get(reverse("account_confirm_reauthentication_code")).status_code == 403
    assert not _email_change_is_open(coach_session)


def test_authenticator_code_alone_does_not_reauthenticate(coach_session):
    response = coach_session.post(reverse("mfa_reauthenticate"), {"code": current_code()})
    assert response.status_code == 403
    assert not _email_change_is_open(coach_session)


def test_password_reauthenticates_a_two_factor_user(coach_session):
    assert not _email_change_is_open(coach_session)
    response = coach_session.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    assert _email_change_is_open(coach_session)


def test_wrong_password_does_not_reauthenticate(coach_session):
    response = coach_session.post(reverse("account_reauthenticate"), {"password": "not it"})
    assert response.status_code == 200
    assert not _email_change_is_open(coach_session)


def test_two_factor_change_asks_for_the_password(coach_session):
    response = coach_session.get(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
