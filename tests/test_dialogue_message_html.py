"""The messages of the dialogue page are built in Python: everything from a user is escaped."""

import pytest
from django.urls import reverse

from dialogue import services
from tests.factories.dialogue import MessageFactory, one_to_one

pytestmark = pytest.mark.django_db


def test_names_and_bodies_from_users_are_escaped(client, trajectory, coach, coachee):
    coachee.first_name = '<img src=x onerror="alert(1)">'
    coachee.save(update_fields=["first_name"])
    dialogue = one_to_one(trajectory)
    services.post_message(dialogue, coachee, "<script>alert(2)</script> & more")
    client.force_login(coach)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk])).text
    assert "<script>alert(2)" not in page and "&lt;script&gt;alert(2)" in page
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_own_recent_message_offers_edit_and_a_withdraw_form_with_a_csrf_token(
    client, trajectory, coach
):
    dialogue = one_to_one(trajectory)
    message, _ = services.post_message(dialogue, coach, "Mine")
    client.force_login(coach)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk])).text
    edit = reverse("dialogue:edit_message", args=[dialogue.pk, message.pk])
    withdraw = reverse("dialogue:withdraw_message", args=[dialogue.pk, message.pk])
    assert f'href="{edit}"' in page
    form = page[page.index(f'action="{withdraw}"') :].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in form


def test_only_the_leading_coach_is_offered_removal(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    message = MessageFactory(dialogue=dialogue, author=coachee)
    remove = reverse("dialogue:remove_message", args=[dialogue.pk, message.pk])
    client.force_login(coach)
    assert f'href="{remove}"' in client.get(reverse("dialogue:detail", args=[dialogue.pk])).text
    client.force_login(coachee)
    assert remove not in client.get(reverse("dialogue:detail", args=[dialogue.pk])).text


def test_the_first_unread_message_is_marked(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    client.force_login(coach)
    MessageFactory(dialogue=dialogue, author=coachee)
    client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    newer = MessageFactory(dialogue=dialogue, author=coachee)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk])).text
    assert page.index('id="new"') < page.index(f'id="m-{newer.pk}"')
    assert page.count('id="new"') == 1
