"""The language switch in the base layout: on every page, and kept in a signed-in profile."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def switch(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_switch_appears_on_an_ordinary_logged_in_page(client, coachee):
    client.force_login(coachee)
    response = client.get(reverse("accounts:profile"))
    assert f'action="{reverse("set_language")}"' in response.text
    assert 'name="language"' in response.text
    assert 'method="post"' in response.text


def test_signed_in_switch_is_kept_in_the_profile_and_the_next_page_follows(client, coachee):
    coachee.language = "nl"
    coachee.save(update_fields=["language"])
    client.force_login(coachee)
    profile = reverse("accounts:profile")
    response = switch(client, "en", profile)
    assert response.status_code == 302
    assert response["Location"] == profile
    coachee.refresh_from_db()
    assert coachee.language == "en"
    assert '<html lang="en">' in client.get(profile).text


def test_switch_back_to_dutch_is_kept_too(client, coachee):
    client.force_login(coachee)
    switch(client, "nl")
    coachee.refresh_from_db()
    assert coachee.language == "nl"
    assert '<html lang="nl">' in client.get(reverse("home")).text


def test_choice_survives_the_next_login(client, coachee):
    coachee.language = "nl"
    coachee.save(update_fields=["language"])
    client.force_login(coachee)
    switch(client, "en")
    client.logout()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    client.force_login(coachee)
    assert '<html lang="en">' in client.get(reverse("home")).text


def test_unknown_language_changes_nothing(client, coachee):
    client.force_login(coachee)
    response = switch(client, "de")
    assert response.status_code == 302
    coachee.refresh_from_db()
    assert coachee.language == "en"


def test_anonymous_switch_sets_the_cookie_as_django_does(client):
    login = reverse("account_login")
    response = switch(client, "en", login)
    assert response.status_code == 302
    assert response["Location"] == login
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(login).text
    switch(client, "nl", login)
    assert '<html lang="nl">' in client.get(login).text


def test_switch_is_post_only(client, coachee):
    client.force_login(coachee)
    response = client.get(reverse("set_language"), {"language": "nl", "next": "/"})
    assert response.status_code == 405
    coachee.refresh_from_db()
    assert coachee.language == "en"
