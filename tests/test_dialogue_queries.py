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
