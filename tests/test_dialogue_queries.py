"""The dialogue page and the inbox cost the same number of queries whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import MessageFactory, one_to_one

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # session and activity writes settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("reader", ["coach", "coachee"])
def test_dialogue_page_costs_the_same_with_1_and_500_messages(
    client, trajectory, coach, coachee, reader, django_assert_num_queries
):
    dialogue = one_to_one(trajectory)
    MessageFactory(dialogue=dialogue, author=coachee)
    client.force_login(coach if reader == "coach" else coachee)
    url = reverse("dialogue:detail", args=[dialogue.pk])
    expected = _count(client, url)

    MessageFactory.create_batch(250, dialogue=dialogue, author=coachee)
    MessageFactory.create_batch(249, dialogue=dialogue, author=coach)
    client.get(url)  # marks the new messages read, as the first visit did
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["data"].page.object_list) == 50


def test_inbox_costs_the_same_with_1_and_500_messages(
    client, trajectory, coach, coachee, django_assert_num_queries
):
    dialogue = one_to_one(trajectory)
    MessageFactory(dialogue=dialogue, author=coachee)
    client.force_login(coach)
    url = reverse("dialogue:inbox")
    expected = _count(client, url)

    MessageFactory.create_batch(499, dialogue=dialogue, author=coachee)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert [d.unread for d in response.context["page"]] == [500]


def test_inbox_costs_the_same_with_1_and_40_dialogues(
    client, coach, organisation, django_assert_num_queries
):
    def add_dialogues(count):
        for _ in range(count):
            coachee = CoacheeFactory(organisation=organisation)
            dialogue = one_to_one(TrajectoryFactory(coachee=coachee, coaches=[coach]))
            MessageFactory(dialogue=dialogue, author=coachee)

    add_dialogues(1)
    client.force_login(coach)
    url = reverse("dialogue:inbox")
    expected = _count(client, url)
    add_dialogues(39)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["page"]) == 40


@pytest.mark.parametrize("reader", ["coach", "coachee"])
def test_dialogue_page_stays_within_ten_queries(client, trajectory, coach, coachee, reader):
    dialogue = one_to_one(trajectory)
    MessageFactory.create_batch(60, dialogue=dialogue, author=coachee)
    client.force_login(coach if reader == "coach" else coachee)
    url = reverse("dialogue:detail", args=[dialogue.pk])
    assert _count(client, url) <= 10


def test_reading_an_unchanged_dialogue_writes_nothing(client, trajectory, coach, coachee):
    dialogue = one_to_one(trajectory)
    MessageFactory(dialogue=dialogue, author=coachee)
    client.force_login(coach)
    url = reverse("dialogue:detail", args=[dialogue.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert writes == []
    MessageFactory(dialogue=dialogue, author=coachee)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(writes) == 1 and "last_read_at" in writes[0]
