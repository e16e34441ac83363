"""The coachee's start page: unread messages per dialogue, open interventions with their due
dates, what was shared with them lately, and their coaches and trajectory dates; the
profile and two-factor tiles below. A fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Trajectory
from accounts.services import add_coach
from dialogue.models import Dialogue
from interventions.models import Assignment, Status
from pluform import dates
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.dialogue import MessageFactory, group, post
from tests.factories.interventions import assign, template
from tests.factories.toolbox import link_item, share
from toolbox.models import Share

pytestmark = pytest.mark.django_db


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def _dialogue(trajectory):
    return Dialogue.objects.get(trajectory=trajectory)


def test_unread_messages_per_dialogue_link_into_it(
    client, organisation, coach, coachee, trajectory
):
    mine = _dialogue(trajectory)
    post(mine, coach, "Private words")
    MessageFactory(dialogue=mine, author=coach)
    other = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [coachee, other], title="Wandelgroep")
    post(crew, other, "Group words")
    quiet = group(coach, [coachee], title="Stille groep")
    post(quiet, coachee, "My own words")

    response = _home(client, coachee)
    rows = response.context["start"].unread
    assert [(d.pk, d.unread) for d in rows] == [(crew.pk, 1), (mine.pk, 2)]
    text = response.text
    assert f'href="{reverse("dialogue:detail", args=[mine.pk])}"' in text
    assert "Dialogue with Carla" in text
    assert "Wandelgroep" in text
    assert "Stille groep" not in text
    assert "Private words" not in text and "Group words" not in text
    assert "Ravestein" not in text.split("Unread messages")[1].split("</section>")[0]


def test_nothing_unread_says_so(client, coachee, trajectory):
    assert "You have read every message." in _home(client, coachee).text


def test_open_interventions_with_due_dates(client, coach, coachee, trajectory):
    today = dates.today()
    soon = assign(template(coach, "Sleep diary"), coach, trajectory, due_in=3)[0]
    late = assign(template(coach, "Values card"), coach, trajectory, due_in=3)[0]
    Assignment.objects.filter(pk=late.pk).update(due_on=today - datetime.timedelta(days=2))
    done = assign(template(coach, "Finished one"), coach, trajectory)[0]
    Assignment.objects.filter(pk=done.pk).update(status=Status.SUBMITTED)
    planned = assign(template(coach, "Not yet"), coach, trajectory)[0]
    Assignment.objects.filter(pk=planned.pk).update(available_on=today + datetime.timedelta(days=1))

    response = _home(client, coachee)
    start = response.context["start"]
    assert [a.pk for a in start.assignments] == [late.pk, soon.pk]
    text = response.text
    assert f'href="{reverse("interventions:assignment", args=[soon.pk])}"' in text
    assert "Sleep diary" in text and "Values card" in text
    assert "Finished one" not in text and "Not yet" not in text
    due = (today + datetime.timedelta(days=3)).strftime("%-d %B %Y")
    assert f"due {due}" in text
    assert "status-overdue" in text


def test_recently_shared_items_newest_five(client, coach, coachee, trajectory):
    items = []
    for number in range(7):
        item = link_item(coach, url=f"https://example.org/{number}", title=f"Oefening {number}")
        share(item, [coachee])
        items.append(item)
    own = link_item(coachee, title="Mijn eigen notitie")
    unshared = link_item(coach, title="Nog niet gedeeld")
    for number, item in enumerate(items):
        Share.objects.filter(content_object=item).update(
            shared_at=timezone.now() - datetime.timedelta(hours=10 - number)
        )

    response = _home(client, coachee)
    shown = response.context["start"].shared
    assert [item.pk for item in shown] == [i.pk for i in reversed(items[2:])]
    text = response.text
    assert f'href="{reverse("toolbox:item", args=[items[6].pk])}"' in text
    assert "Oefening 1" not in text
    assert own.title not in text and unshared.title not in text


def test_coaches_and_trajectory_dates(client, organisation, coach, coachee, trajectory):
    second = CoachFactory(organisation=organisation, first_name="Dirk", last_name="Dijkstra")
    add_coach(trajectory, second)
    Trajectory.objects.filter(pk=trajectory.pk).update(title="Burn-out")
    TrajectoryFactory(
        coachee=coachee,
        coaches=[second],
        started_on=datetime.date(2023, 2, 1),
        ended_on=datetime.date(2023, 11, 30),
    )
    text = _home(client, coachee).text
    section = text.split('id="trajectory-title"')[1].split("</section>")[0]
    started = trajectory.started_on.strftime("%-d %B %Y")
    assert "Coaches: Carla Ravestein, Dirk Dijkstra" in section
    assert "Coach: Dirk Dijkstra" in section
    assert f"Started on {started}" in section
    assert "Started on 1 February 2023, ended on 30 November 2023" in section
    assert section.index(started) < section.index("2023")  # the newest first
    assert "Burn-out" not in text


def test_the_page_keeps_its_tiles(client, coachee, trajectory):
    text = _home(client, coachee).text
    for name in ["accounts:profile", "mfa_index", "interventions:index", "toolbox:index"]:
        assert reverse(name) in text
    assert "Hours per month" not in text


def test_another_coachees_things_never_show(client, organisation, coach, coachee, trajectory):
    other = CoacheeFactory(organisation=organisation, first_name="Bram")
    theirs = TrajectoryFactory(coachee=other, coaches=[coach])
    post(_dialogue(theirs), coach, "For Bram")
    assign(template(coach, "Bram's exercise"), coach, theirs, due_in=2)
    share(link_item(coach, title="Voor Bram"), [other])
    text = _home(client, coachee).text
    assert "Bram" not in text


# Query count


def _count(client) -> int:
    client.get(reverse("home"))  # session and activity writes settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries.captured_queries)


def _everything(coach, coachee, trajectory, crew, count):
    for number in range(count):
        MessageFactory(dialogue=_dialogue(trajectory), author=coach)
        MessageFactory(dialogue=crew, author=coach)
        share(
            link_item(coach, url=f"https://example.org/{number}", title=f"Item {number}"), [coachee]
        )
    made = template(coach, "Sleep diary")
    for _ in range(count):
        assign(made, coach, trajectory, due_in=2)


def test_the_page_costs_the_same_with_1_and_many_of_everything(
    client, organisation, coach, coachee, trajectory, django_assert_num_queries
):
    crew = group(coach, [coachee], title="Wandelgroep")
    _everything(coach, coachee, trajectory, crew, 1)
    client.force_login(coachee)
    expected = _count(client)

    second_coach = CoachFactory(organisation=organisation)
    more = TrajectoryFactory(coachee=coachee, coaches=[coach, second_coach])
    _everything(second_coach, coachee, more, group(second_coach, [coachee], title="Twee"), 30)
    for number in range(12):
        group_n = group(coach, [coachee], title=f"Groep {number}")
        MessageFactory(dialogue=group_n, author=coach)
    with django_assert_num_queries(expected):
        response = client.get(reverse("home"))
    start = response.context["start"]
    assert len(start.unread) == 10
    assert len(start.assignments) == 10 and start.more_assignments
    assert len(start.shared) == 5
    assert len(start.trajectories) == 2
    assert expected <= 14, expected
