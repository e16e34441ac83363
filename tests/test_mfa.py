import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse

from tests.factories.accounts import CoacheeFactory, CoachFactory
from tests.totp import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def coach_without_mfa(organisation):
    return CoachFactory(organisation=organisation, mfa=False)


def password_login(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def reauthenticate(client):
    # allauth asks for the password again before any change to two-factor authentication.
    return client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


@pytest.mark.parametrize("url_name", ["home", "accounts:profile", "accounts:invitations"])
def test_coach_without_mfa_is_sent_to_mfa_setup(client, coach_without_mfa, url_name):
    password_login(client, coach_without_mfa)
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_coach_without_mfa_reaches_mfa_setup_and_logout(client, coach_without_mfa):
    password_login(client, coach_without_mfa)
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(activate["Location"]).status_code == 200
    reauthenticate(client)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_coach_activates_totp_then_sees_recovery_codes_and_then_the_site(client, coach_without_mfa):
    password_login(client, coach_without_mfa)
    reauthenticate(client)
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    codes = client.get(response["Location"], follow=True)
    assert codes.status_code == 200
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_totp_secret_is_encrypted_at_rest(client, coach_without_mfa):
    password_login(client, coach_without_mfa)
    reauthenticate(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    stored = Authenticator.objects.get(user=coach_without_mfa, type=Authenticator.Type.TOTP)
    assert secret not in str(stored.data)
    assert stored.data["secret"].startswith("pluform:v1:")
    assert stored.wrap().validate_code(current_code(secret))  # and it still decrypts


def test_coachee_is_not_forced_into_mfa(client, coachee):
    password_login(client, coachee)
    assert client.get(reverse("home")).status_code == 200


def test_coachee_may_remove_their_authenticator_app(client, organisation):
    coachee = CoacheeFactory(organisation=organisation, mfa=True)
    client.force_login(coachee)
    reauthenticate(client)
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=coachee).exists()


def test_coach_cannot_switch_off_the_authenticator_app(client, coach):
    password_login(client, coach)
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    reauthenticate(client)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 200  # the form refuses
    assert Authenticator.objects.filter(user=coach, type=Authenticator.Type.TOTP).exists()


def test_coach_with_mfa_logs_in_with_password_and_code(client, coach):
    response = password_login(client, coach)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_code_does_not_log_in(client, coach):
    password_login(client, coach)
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
