"""The privacy statement: readable without login, in Dutch and English, linked from every page."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts import invitations
from accounts.roles import Role
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

RIGHTS_SECTIONS = [f"1.2.6.{n}" for n in range(1, 10)] + [f"1.3.5.{n}" for n in range(1, 9)]


def statement(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("privacy:statement"))
    assert response.status_code == 200
    return page_text(response)


def test_anonymous_reads_the_dutch_statement(client):
    text = statement(client, "nl")
    assert '<html lang="nl">' in text
    assert "Recht op inzage" in text
    assert "Recht op het indienen van een klacht" in text
    assert "Autoriteit Persoonsgegevens" in text
    assert "1.1.11 (Groeps)Dialoog" in text
    assert "1.111" not in text


def test_dutch_is_the_default_without_a_choice(client):
    text = page_text(client.get(reverse("privacy:statement")))
    assert "Recht op inzage" in text


def test_anonymous_reads_the_english_statement(client):
    text = statement(client, "en")
    assert '<html lang="en">' in text
    assert "Right of access" in text
    assert "Right to lodge a complaint" in text
    assert "Autoriteit Persoonsgegevens (the Dutch Data Protection Authority)" in text
    assert "Recht op inzage" not in text


def test_a_signed_in_user_reads_it_in_their_own_language(coachee):
    coachee.language = "nl"
    coachee.save(update_fields=["language"])
    text = page_text(signed_in(coachee).get(reverse("privacy:statement")))
    assert "Recht op inzage" in text


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_right_is_numbered_in_both_languages(client, language):
    text = statement(client, language)
    missing = [number for number in RIGHTS_SECTIONS if number not in text]
    assert not missing


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_complaint_section_says_how_to_reach_the_authority(client, language):
    text = statement(client, language)
    section = text[text.index('id="complaint"') :]
    for detail in [
        "autoriteitpersoonsgegevens.nl",
        "Postbus 93374",
        "2509 AJ Den Haag",
        "088 - 180 5250",
        "Stationsstraat 24-01",
        "5038 ED Tilburg",
    ]:
        assert detail in section
    assert 'href="#complaint"' in text


def test_anonymous_sees_no_links_to_pages_behind_the_login(client):
    text = statement(client, "en")
    assert reverse("privacy:access_log") not in text


def test_a_signed_in_user_is_pointed_to_the_access_log(coachee):
    text = page_text(signed_in(coachee).get(reverse("privacy:statement")))
    assert reverse("privacy:access_log") in text


def test_post_is_not_allowed(client, coachee):
    assert client.post(reverse("privacy:statement")).status_code == 405
    assert signed_in(coachee).post(reverse("privacy:statement")).status_code == 405


def test_the_footer_links_to_it_on_the_home_page(coachee):
    text = page_text(signed_in(coachee).get(reverse("home")))
    footer = text[text.index('class="site-footer"') :]
    assert f'href="{reverse("privacy:statement")}"' in footer


def test_the_login_page_links_to_it(client):
    text = page_text(client.get(reverse("account_login")))
    main = text[text.index('id="main"') : text.index('class="site-footer"')]
    assert f'href="{reverse("privacy:statement")}"' in main
    footer = text[text.index('class="site-footer"') :]
    assert f'href="{reverse("privacy:statement")}"' in footer


def test_the_invitation_asks_to_read_it_before_the_password_is_chosen(
    client, coach, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite(
            organisation=coach.organisation,
            email="nieuw@example.com",
            role=Role.COACHEE,
            language="en",
            invited_by=coach,
            coach=coach,
        )
    link = next(word for word in mail.outbox[-1].body.split() if "/accounts/join/" in word)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = page_text(client.get(link[link.index("/accounts/join/") :]))
    main = text[text.index('id="main"') : text.index('class="site-footer"')]
    assert "please read our privacy statement" in main
    link_at = main.index(f'href="{reverse("privacy:statement")}"')
    assert link_at < main.index('name="password1"')
