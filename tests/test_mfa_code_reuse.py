"""A two-factor code works once; using it again says so, instead of calling it incorrect."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.totp import current_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
USED = "This code has already been used. Each code works once: wait for the next code in your app."


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def two_factor_step(client, user, code, language="en"):
    client.cookies["django_language"] = language
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    return client.post(reverse("mfa_authenticate"), {"code": code})


def test_a_code_used_to_log_in_is_refused_the_second_time_as_used(client, coach):
    code = current_code()
    assert two_factor_step(client, coach, code).status_code == 302
    client.post(reverse("account_logout"))
    response = two_factor_step(client, coach, code)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].errors["code"] == [USED]
    assert USED in response.text


def test_used_code_message_is_in_dutch_for_a_dutch_reader(client, coach):
    coach.language = "nl"
    coach.save(update_fields=["language"])
    code = current_code()
    two_factor_step(client, coach, code)
    client.post(reverse("account_logout"))
    response = two_factor_step(client, coach, code, language="nl")
    assert "Deze code is al gebruikt." in response.text


def test_a_wrong_code_is_still_called_incorrect(client, coach):
    response = two_factor_step(client, coach, "000000" if current_code() != "000000" else "111111")
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["Incorrect code."]
