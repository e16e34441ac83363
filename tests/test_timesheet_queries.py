"""The timesheet's pages cost the same number of queries with 1 item as with 200: the month
list with its totals (per coachee, per month, per activity), a year of months, and the week's
suggestions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dialogue.models import Message
from dossier.models import Activity
from dossier.suggestions import this_week, week_text
from interventions.models import Assignment, Status
from pluform import dates
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import one_to_one, post
from tests.factories.dossier import session_report, time_entry
from tests.factories.interventions import assign, template

pytestmark = pytest.mark.django_db

INDEX = reverse("timesheet:index")
DAY = datetime.timedelta(days=1)
ACTIVITIES = list(Activity.values)


def _count(client, url) -> int:
    client.get(url)  # session and activity writes settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _trajectories(coach, organisation, count) -> list:
    return [
        TrajectoryFactory(coachee=CoacheeFactory(organisation=organisation), coaches=[coach])
        for _ in range(count)
    ]


def _entries(coach, trajectories, count, *, spread_days) -> None:
    for number in range(count):
        time_entry(
            coach,
            trajectories[number % len(trajectories)],
            days_ago=number % spread_days,
            minutes=5 + number % 40,
            activity=ACTIVITIES[number % len(ACTIVITIES)],
            billable=number % 3 != 0,
            note=f"Notitie {number}",
        )


@pytest.mark.parametrize(
    ("months", "spread_days"),
    [(0, 1), (11, 330)],
    ids=["this month", "a year of months"],
)
def test_the_list_with_totals_costs_the_same_with_1_and_200_entries(
    client, coach, trajectory, organisation, months, spread_days, django_assert_num_queries
):
    end = dates.today().replace(day=1)
    start = end
    for _ in range(months):
        start = (start - DAY).replace(day=1)
    url = f"{INDEX}?start={start:%Y-%m}&end={end:%Y-%m}"
    _entries(coach, [trajectory], 1, spread_days=1)
    client.force_login(coach)
    expected = _count(client, url)

    _entries(coach, [trajectory, *_trajectories(coach, organisation, 9)], 199, spread_days=1)
    if months:
        _entries(coach, [trajectory], 50, spread_days=spread_days)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 50
    totals = response.context["totals"]
    assert len(totals.coachees) == 10 and len(totals.activities) == len(ACTIVITIES)
    assert expected <= 15, expected


def _reviewed(coach, trajectories) -> None:
    """Assignments marked reviewed now, recorded as reviewed by ``coach``."""
    made = assign(template(coach, "Terugblik"), coach, trajectories[0])
    for trajectory in trajectories[1:]:
        made += assign(template(coach, "Terugblik"), coach, trajectory)
    Assignment.objects.filter(pk__in=[a.pk for a in made]).update(
        status=Status.REVIEWED, reviewed_at=timezone.now(), reviewed_by=coach
    )


def _messages(coach, trajectory, days) -> None:
    dialogue = one_to_one(trajectory)
    monday = datetime.datetime.combine(
        this_week(), datetime.time(9), tzinfo=timezone.get_current_timezone()
    )
    for day in range(days):
        message = post(dialogue, coach, f"Bericht {day}")
        when = min(monday + day * DAY, timezone.now())
        Message.objects.filter(pk=message.pk).update(created_at=when)


def test_the_suggestions_cost_the_same_with_1_and_many(
    client, coach, trajectory, organisation, django_assert_num_queries
):
    url = reverse("timesheet:suggestions") + f"?week={week_text(this_week())}"
    session_report(coach, trajectory, minutes=30)
    client.force_login(coach)
    expected = _count(client, url)
    assert len(client.get(url).context["suggestions"]) == 1

    others = _trajectories(coach, organisation, 8)
    for other in others:
        _messages(coach, other, days=7)
        session_report(coach, other, minutes=45)
    _reviewed(coach, others[:4])
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["suggestions"]) >= 1 + 8 + 8 + 4
    assert expected <= 15, expected
