import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue.models import Dialogue, Message
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post

pytestmark = pytest.mark.django_db


def _inbox(client, **params):
    return client.get(reverse("dialogue:inbox"), params)


def test_inbox_lists_dialogues_newest_first_with_unread_counts(
    client, trajectory, coach, coachee, organisation
):
    first = one_to_one(trajectory)
    second_coachee = CoacheeFactory(organisation=organisation, first_name="Bram")
    second = one_to_one(TrajectoryFactory(coachee=second_coachee, coaches=[coach]))
    post(first, coachee, "Older news")
    post(first, coachee, "More older news")
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    Dialogue.objects.filter(pk=first.pk).update(
        last_message_at=timezone.now() - datetime.timedelta(hours=2)
    )
    post(second, second_coachee, "Fresh news")

    client.force_login(coach)
    response = _inbox(client)
    listed = list(response.context["page"])
    assert listed == [second, first]
    assert [d.unread for d in listed] == [1, 2]
    assert "Older news" not in response.text
    assert "Fresh news" not in response.text
    assert "Bram" in response.text


def test_reading_the_dialogue_clears_its_unread_count(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    post(dialogue, coach, "Hi")
    client.force_login(coachee)
    assert [d.unread for d in _inbox(client).context["page"]] == [1]
    client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    assert [d.unread for d in _inbox(client).context["page"]] == [0]


def test_own_and_removed_messages_are_not_unread(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Mine")
    gone = post(dialogue, coach, "Oops")
    client.force_login(coach)
    client.post(reverse("dialogue:remove_message", args=[dialogue.pk, gone.pk]))
    client.force_login(coachee)
    assert [d.unread for d in _inbox(client).context["page"]] == [0]


def test_coach_filters_the_inbox_by_coachee(client, trajectory, coach, coachee, organisation):
    mine = one_to_one(trajectory)
    other = CoacheeFactory(organisation=organisation, first_name="Bram")
    theirs = one_to_one(TrajectoryFactory(coachee=other, coaches=[coach]))
    crew = group(coach, [coachee, other])
    client.force_login(coach)
    assert set(_inbox(client).context["page"]) == {mine, theirs, crew}
    filtered = _inbox(client, coachee=str(coachee.uuid))
    assert set(filtered.context["page"]) == {mine, crew}
    # The select keeps the choice, offers every coachee once and nothing else.
    assert f'<option value="{coachee.uuid}" selected>' in filtered.text
    assert filtered.text.count(f'<option value="{other.uuid}">') == 1
    select = filtered.text.split('name="coachee"')[1].split("</select>")[0]
    assert select.count("<option ") == 3  # "all coachees" and the two


def test_coachee_sees_only_first_names_in_the_inbox(client, trajectory, coach, coachee):
    one_to_one(trajectory)
    client.force_login(coachee)
    text = _inbox(client).text
    assert coach.first_name in text
    assert coach.last_name not in text
    assert coach.email not in text


@pytest.mark.parametrize(
    "role", ["org_manager", "customer_service", "ict_line_manager", "account_manager", "it_admin"]
)
def test_roles_without_content_get_404_on_the_inbox(client, actors, role):
    client.force_login(actors[role])
    assert _inbox(client).status_code == 404
