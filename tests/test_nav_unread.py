"""The unread message count next to "Dialogues" in the top navigation: what the inbox counts
as unread, for coaches and coachees only, at one query per page."""

import copy
import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue import queries, services
from dialogue.context_processors import unread, unread_count
from dialogue.models import Message
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import MessageFactory, group, one_to_one, post

pytestmark = pytest.mark.django_db

PROCESSOR = "dialogue.context_processors.unread"
HIDDEN = '<span class="visually-hidden"> unread messages</span>'


def _badge(text) -> str | None:
    """The number in the navigation's badge, or None when there is none."""
    nav = text.split('<ul class="nav">')[1].split("</ul>")[0]
    link = nav.split(reverse("dialogue:inbox"))[1].split("</a>")[0]
    if '<span class="badge">' not in link:
        return None
    assert HIDDEN in link
    return link.split('<span class="badge">')[1].split("<")[0]


def _page(client, name="accounts:profile"):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.text


def test_coach_sees_how_many_messages_are_unread(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "One")
    MessageFactory(dialogue=dialogue, author=coachee)
    client.force_login(coach)
    assert _badge(_page(client)) == "2"


def test_reading_the_dialogue_clears_the_badge_on_that_very_page(
    client, trajectory, coach, coachee
):
    dialogue = one_to_one(trajectory)
    post(dialogue, coach, "Hi")
    client.force_login(coachee)
    assert _badge(_page(client)) == "1"
    detail = client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    assert _badge(detail.text) is None
    assert _badge(_page(client)) is None


def test_own_withdrawn_and_removed_messages_are_not_counted(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Mine")
    withdrawn = MessageFactory(dialogue=dialogue, author=coach)
    removed = MessageFactory(dialogue=dialogue, author=coach)
    Message.objects.filter(pk=withdrawn.pk).update(withdrawn_at=timezone.now())
    Message.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    client.force_login(coachee)
    assert _badge(_page(client)) is None


def test_a_group_member_does_not_count_what_came_before_they_joined(
    client, organisation, trajectory, coach, coachee
):
    other = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [other])
    before = post(crew, coach, "Before Eva joined")
    Message.objects.filter(pk=before.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    services.add_to_group(crew, coach, coachee)
    post(crew, other, "After Eva joined")
    client.force_login(coachee)
    assert _badge(_page(client)) == "1"


def test_a_former_participant_counts_nothing_of_that_dialogue(
    client, organisation, trajectory, coach, coachee
):
    other = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [coachee, other])
    post(crew, other, "Hello group")
    services.remove_from_group(crew, crew.participants.get(user=coachee))
    client.force_login(coachee)
    assert _badge(_page(client)) is None


def test_the_count_is_the_inboxs_sum(client, organisation, trajectory, coach, coachee):
    """Every kind of message in every kind of dialogue: the badge and the inbox agree."""
    other = CoacheeFactory(organisation=organisation)
    second = one_to_one(TrajectoryFactory(coachee=other, coaches=[coach]))
    mine = one_to_one(trajectory)
    crew = group(coach, [coachee, other])
    for dialogue, author in [(mine, coachee), (second, other), (crew, other), (crew, coachee)]:
        post(dialogue, author, "Hello")
        MessageFactory(dialogue=dialogue, author=author)
    post(mine, coach, "Read up to here")  # posting marks the dialogue read for its author
    post(second, other, "Later")
    MessageFactory(dialogue=crew, author=None)  # an author who has left Pluform
    for user in (coach, coachee, other):
        expected = sum(d.unread for d in queries.inbox_for(user))
        assert unread_count(user) == expected, user
    assert unread_count(coach) == 3 + 5  # the second dialogue's 3 and the group's 5


@pytest.mark.parametrize("actor", ["org_manager", "it_admin", "customer_service"])
def test_other_roles_have_no_badge_and_no_query(client, request, actor, trajectory, coachee):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    text = _page(client, "home")
    assert "unread messages" not in text
    with_processor = _count(client, "home")
    without = _count(client, "home", processor=False)
    assert with_processor == without


def _count(client, name, *, processor=True) -> int:
    templates = copy.deepcopy(settings.TEMPLATES)
    if not processor:
        templates[0]["OPTIONS"]["context_processors"].remove(PROCESSOR)
    with override_settings(TEMPLATES=templates):
        client.get(reverse(name))  # session and activity writes settle first
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("actor", ["coach", "coachee"])
def test_the_badge_costs_one_query_whatever_the_number_of_messages(
    client, request, actor, organisation, trajectory, coach, coachee
):
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee if actor == "coach" else coach, "First")
    user = request.getfixturevalue(actor)
    client.force_login(user)
    without = _count(client, "accounts:profile", processor=False)
    with_one = _count(client, "accounts:profile")
    assert with_one == without + 1

    author = coachee if actor == "coach" else coach
    crew = group(coach, [coachee])
    for number in range(60):
        MessageFactory(dialogue=dialogue if number % 2 else crew, author=author)
    assert _count(client, "accounts:profile") == with_one
    assert _badge(_page(client)) == "61"


def test_the_count_runs_only_when_a_page_shows_it(rf, trajectory, coach, coachee):
    """The value is lazy: a page that does not render the navigation does not pay for it."""
    post(one_to_one(trajectory), coachee, "Hi")
    request = rf.get("/")
    request.user = coach
    with CaptureQueriesContext(connection) as captured:
        context = unread(request)
    assert not captured.captured_queries
    with CaptureQueriesContext(connection) as captured:
        assert str(context["nav_unread"]) == "1"
        assert context["nav_unread"]
    assert len(captured.captured_queries) == 1
