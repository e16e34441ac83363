"""Every page of the accounts part renders completely in Dutch and in English."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.factories.accounts import CoachFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"

ANONYMOUS_PAGES = [
    "account_login",
    "account_reset_password",
    "account_reset_password_done",
    "account_signup",
]
COACHEE_PAGES = [
    "home",
    "accounts:profile",
    "accounts:change_email",
    "account_change_password",
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
]
ORG_MANAGER_PAGES = [
    "organisation:index",
    "organisation:accounts_organisationcoach_changelist",
    "organisation:accounts_organisationcoachee_changelist",
    "organisation:accounts_trajectory_changelist",
    "organisation:accounts_trajectory_add",
    "organisation:accounts_invitation_changelist",
    "organisation:accounts_invitation_add",
    "accounts:invitations",
]
IT_ADMIN_PAGES = [
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:accounts_loginattempt_changelist",
    "admin:accounts_invitation_changelist",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture(params=["nl", "en"])
def lang(request, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = request.param
    return request.param


def assert_renders_in(response, lang):
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in response.text
    assert "</html>" in response.text


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_pages_render_in_both_languages(client, lang, name):
    assert_renders_in(client.get(reverse(name)), lang)


def _login_as(client, user, lang):
    user.language = lang
    user.save()
    client.force_login(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


@pytest.mark.parametrize("name", COACHEE_PAGES)
def test_coachee_pages_render_in_both_languages(client, lang, coachee, name):
    _login_as(client, coachee, lang)
    assert_renders_in(client.get(reverse(name)), lang)


@pytest.mark.parametrize("name", ORG_MANAGER_PAGES)
def test_org_manager_pages_render_in_both_languages(client, lang, org_manager, trajectory, name):
    _login_as(client, org_manager, lang)
    assert_renders_in(client.get(reverse(name)), lang)


@pytest.mark.parametrize("name", IT_ADMIN_PAGES)
def test_it_admin_pages_render_in_both_languages(client, lang, it_admin, name):
    _login_as(client, it_admin, lang)
    assert_renders_in(client.get(reverse(name)), lang)


def test_mfa_setup_pages_render_in_both_languages(client, lang, organisation):
    coach = CoachFactory(organisation=organisation, mfa=False)
    _login_as(client, coach, lang)
    assert_renders_in(client.get(reverse("mfa_activate_totp")), lang)
    assert_renders_in(client.get(reverse("mfa_generate_recovery_codes")), lang)


def test_coach_invitation_page_renders_in_both_languages(client, lang, coach):
    _login_as(client, coach, lang)
    assert_renders_in(client.get(reverse("accounts:invitations")), lang)


def test_invitation_pages_render_in_both_languages(
    client, lang, coach, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitations"), {"email": "n@example.com", "language": lang})
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    link = next(w for w in mail.outbox[-1].body.split() if "/accounts/join/" in w)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert_renders_in(client.get(reverse("accounts:accept_invitation", args=[token])), lang)
    gone = client.get(reverse("accounts:accept_invitation", args=["unknown"]))
    assert f'<html lang="{lang}"' in gone.text
