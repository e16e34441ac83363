"""The numbers on the organisation manager's index (/organisation/): coaches, coachees, active
and ended trajectories, and each person's last activity date. Counts and dates of their
own organisation only; never content, hours or titles."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from accounts import organisation_admin
from accounts.models import Trajectory, User
from dossier.models import Activity, TimeEntry
from pluform import dates
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.dialogue import post

pytestmark = pytest.mark.django_db

INDEX = "organisation:index"


@pytest.fixture
def manager_client(client, org_manager, trajectory, stranger_coachee):
    client.force_login(org_manager)
    return client


def _seen(user, days_ago):
    User.objects.filter(pk=user.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def _last_activity_rows(text) -> list[str]:
    table = text.split('id="last-activity"')[1].split("</table>")[0]
    return [row.split("</th>")[0] for row in table.split('<th scope="row">')[1:]]


def test_active_and_ended_trajectories_are_counted(
    manager_client, organisation, coach, coachee, stranger_coachee
):
    today = dates.today()
    TrajectoryFactory(coachee=coachee, coaches=[coach], ended_on=today)  # ends today: active
    TrajectoryFactory(coachee=coachee, coaches=[coach], ended_on=today - datetime.timedelta(days=1))
    other = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=other, ended_on=today - datetime.timedelta(days=400))
    response = manager_client.get(reverse(INDEX))
    counts = response.context["counts"]
    # The trajectory fixture and the one ending today; the stranger's is not counted.
    assert (counts["active_trajectories"], counts["ended_trajectories"]) == (2, 2)
    assert "2 active trajectories" in response.text
    assert "2 ended trajectories" in response.text


def test_people_by_last_activity_most_recent_first(
    manager_client, organisation, coach, coachee, stranger_coachee
):
    CoacheeFactory(organisation=organisation, first_name="Nina", last_name="Nooit")
    _seen(coach, 3)
    _seen(coachee, 1)
    response = manager_client.get(reverse(INDEX))
    text = response.text
    # The manager's own visit is activity too: they come first.
    names = [u.name for u in response.context["users"]]
    assert names == ["Olga Oudewater", "Eva Zwanenburg", "Carla Ravestein", "Nina Nooit"]
    rows = _last_activity_rows(text)
    assert "Olga Oudewater" in rows[0] and "Nina Nooit" in rows[-1]
    assert "Saar" not in text  # another organisation's coachee
    coachee_url = reverse("organisation:accounts_organisationcoachee_change", args=[coachee.pk])
    coach_url = reverse("organisation:accounts_organisationcoach_change", args=[coach.pk])
    assert f'<a href="{coachee_url}">Eva Zwanenburg</a>' in text
    assert f'<a href="{coach_url}">Carla Ravestein</a>' in text
    seen = timezone.localtime(timezone.now() - datetime.timedelta(days=1)).date()
    assert f">{seen.strftime('%-d %B %Y')}</time>" in text
    assert "never" in text.split("Nina Nooit")[1].split("</tr>")[0]


def test_no_content_no_hours_no_titles(manager_client, coach, coachee, trajectory):
    Trajectory.objects.filter(pk=trajectory.pk).update(title="Burn-out na verlies")
    post(trajectory.dialogue, coachee, "Ik slaap slecht")
    TimeEntry.objects.create(
        coach=coach,
        coachee=coachee,
        trajectory=trajectory,
        worked_on=dates.today(),
        minutes=437,
        activity=Activity.SESSION,
    )
    # What the page says, not its markup: uuids in links and times in attributes can hold
    # "437" by chance.
    text = strip_tags(manager_client.get(reverse(INDEX)).text)
    for secret in ["Burn-out", "Ik slaap slecht", "437", "7.3", "7,3", "7:17"]:
        assert secret not in text, secret


def test_a_large_organisation_lists_the_most_recent_and_says_so(
    manager_client, organisation, org_manager, coach, monkeypatch
):
    monkeypatch.setattr(organisation_admin, "LAST_ACTIVITY_ROWS", 5)
    people = [CoacheeFactory(organisation=organisation) for _ in range(6)]
    for days, person in enumerate(people):
        _seen(person, days)
    response = manager_client.get(reverse(INDEX))
    # The manager (active right now) and the four most recent of the six.
    assert [u.pk for u in response.context["users"]] == [
        org_manager.pk,
        *(p.pk for p in people[:4]),
    ]
    assert response.context["user_count"] == 6 + 3  # and the coach, coachee and manager
    assert "The 5 most recently active of 9 people." in response.text


def test_the_index_costs_the_same_with_few_and_many_people(
    manager_client, organisation, coach, django_assert_num_queries
):
    manager_client.get(reverse(INDEX))  # session setup and activity write happen once
    with CaptureQueriesContext(connection) as one:
        manager_client.get(reverse(INDEX))
    more_coaches = [CoachFactory(organisation=organisation) for _ in range(5)]
    for number in range(120):
        person = CoacheeFactory(organisation=organisation)
        _seen(person, number % 40)
        TrajectoryFactory(
            coachee=person,
            coaches=[more_coaches[number % 5]],
            ended_on=dates.today() - datetime.timedelta(days=1) if number % 3 else None,
        )
    with django_assert_num_queries(len(one)):
        response = manager_client.get(reverse(INDEX))
    assert len(response.context["users"]) == organisation_admin.LAST_ACTIVITY_ROWS
    assert response.context["counts"]["ended_trajectories"] == 80
