"""My coachees, a coachee's dossier page and a report's history cost the same number of
queries with 1 and with 200 coachees, reports, messages, interventions or versions."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Trajectory, TrajectoryCoach, User
from accounts.roles import Role
from dialogue import services as dialogue_services
from dialogue.models import Message
from dossier.models import SessionKind, SessionReport, SessionReportVersion
from interventions import services as intervention_services
from interventions.models import Assignment
from pluform import dates
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import one_to_one, post
from tests.factories.dossier import session_report
from tests.factories.interventions import assign, open_question, template
from tests.factories.toolbox import link_item

pytestmark = pytest.mark.django_db

MANY = 200
LIST = reverse("dossier:coachees")
# The views of the list: as it opens, searched, the ended trajectories, the second page.
LIST_VARIANTS = {
    "plain": "",
    "search": "?q=naam+bulk",
    "ended": "?ended=1",
    "page 2": "?page=2",
}


def _count(client, url) -> int:
    client.get(url)  # session, activity and key-cache settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _check(client, url, expected, django_assert_num_queries):
    client.get(url)  # the visit before, as when measuring
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def _steps():
    return [("Kijk terug.", [open_question(required=False)])]


def _submitted(coach, trajectory, count=1, title="Dagboek"):
    """``count`` interventions of one template, available today, all submitted."""
    made = template(coach, title, steps=_steps())
    made_now = assign(made, coach, trajectory, every_days=1, until_in=count - 1)
    Assignment.objects.filter(pk__in=[a.pk for a in made_now]).update(available_on=dates.today())
    for assignment in made_now:
        intervention_services.submit(Assignment.objects.get(pk=assignment.pk))
    return made_now


def _bulk_coachees(coach, organisation, count, *, ended_every=4) -> list[User]:
    """``count`` coachees with a trajectory with ``coach``, made in a few statements; every
    ``ended_every``-th trajectory has ended."""
    password = make_password(None)
    people = User.objects.bulk_create(
        User(
            email=f"bulk{number}@example.com",
            first_name=f"Naam{number:03d}",
            last_name="Bulk",
            role=Role.COACHEE,
            organisation=organisation,
            language="en",
            password=password,
            last_activity_at=timezone.now() - datetime.timedelta(hours=number),
        )
        for number in range(count)
    )
    today = dates.today()
    trajectories = Trajectory.objects.bulk_create(
        Trajectory(
            coachee=person,
            organisation=organisation,
            started_on=today - datetime.timedelta(days=90),
            ended_on=today - datetime.timedelta(days=1) if number % ended_every == 0 else None,
        )
        for number, person in enumerate(people)
    )
    TrajectoryCoach.objects.bulk_create(
        TrajectoryCoach(trajectory=trajectory, coach=coach) for trajectory in trajectories
    )
    return people


def _busy_coachee(coach, organisation, name):
    """A coachee made through the services: a dialogue with unread messages and a submitted
    intervention, so that every column of the list has something to count."""
    person = CoacheeFactory(organisation=organisation, first_name=name, last_name="Bulk")
    trajectory = TrajectoryFactory(coachee=person, coaches=[coach])
    dialogue = one_to_one(trajectory)
    dialogue_services.mark_read(dialogue, coach)
    post(dialogue, person, "Nieuw")
    _submitted(coach, trajectory)
    return person


def test_my_coachees_costs_the_same_with_1_and_200_coachees(
    client, coach, organisation, django_assert_num_queries
):
    _busy_coachee(coach, organisation, "Naam")
    ended = CoacheeFactory(organisation=organisation, first_name="Naam-oud", last_name="Bulk")
    TrajectoryFactory(
        coachee=ended, coaches=[coach], ended_on=dates.today() - datetime.timedelta(1)
    )
    client.force_login(coach)
    expected = {name: _count(client, LIST + query) for name, query in LIST_VARIANTS.items()}

    for number in range(3):
        _busy_coachee(coach, organisation, f"Naam-druk{number}")
    _bulk_coachees(coach, organisation, MANY)
    rows = {}
    for name, query in LIST_VARIANTS.items():
        response = _check(client, LIST + query, expected[name], django_assert_num_queries)
        rows[name] = list(response.context["page"].object_list)
    assert len(rows["plain"]) == 50 and len(rows["page 2"]) == 50
    assert len(rows["search"]) == 50 and len(rows["ended"]) == 50
    assert sum(row.unread for row in rows["plain"]) >= 1
    assert sum(row.to_review for row in rows["plain"]) >= 1
    assert max(expected.values()) <= 15, expected


@pytest.fixture
def filled(coach, coachee, trajectory, other_coach):
    """The smallest dossier that has something in every section."""
    session_report(coach, trajectory)
    _submitted(coach, trajectory)
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "Hallo")
    link_item(coach, title="Oefening", recipients=[coachee])
    return dialogue


def _bulk_reports(coach, coachee, trajectory, count):
    today = dates.today()
    SessionReport.objects.bulk_create(
        SessionReport(
            trajectory=trajectory,
            coachee=coachee,
            author=coach,
            edited_by=coach,
            held_on=today - datetime.timedelta(days=number),
            minutes=60,
            kind=list(SessionKind)[number % 4],
            report=f"Verslag {number}",
            agreements=f"Afspraak {number}",
        )
        for number in range(count)
    )


def _bulk_messages(dialogue, authors, count):
    now = timezone.now()
    messages = Message.objects.bulk_create(
        Message(dialogue=dialogue, author=authors[number % len(authors)], body=f"Bericht {number}")
        for number in range(count)
    )
    Message.objects.filter(pk__in=[m.pk for m in messages]).update(created_at=now)


def test_the_dossier_page_costs_the_same_with_1_and_200_of_everything(
    client, coach, coachee, trajectory, other_coach, filled, django_assert_num_queries
):
    url = reverse("dossier:coachee", args=[coachee.pk])
    client.force_login(coach)
    expected = _count(client, url)

    _bulk_reports(coach, coachee, trajectory, MANY - 1)
    _bulk_messages(filled, [coach, coachee], MANY)
    _submitted(coach, trajectory, 59, "Weekplanning")
    for number in range(59):
        link_item(coach, title=f"Oefening {number}", recipients=[coachee])
    assign_other = TrajectoryFactory(coachee=coachee, coaches=[coach, other_coach])
    session_report(other_coach, assign_other, report="Van Otto")

    response = _check(client, url, expected, django_assert_num_queries)
    dossier = response.context["dossier"]
    assert len(dossier.reports) == MANY + 1
    assert len(dossier.assignments) == 50 and len(dossier.items) == 50
    assert dossier.dialogue["total"] == MANY + 1
    assert len(dossier.trajectories) == 2
    assert expected <= 20, expected


def test_the_report_page_costs_the_same_with_1_and_30_earlier_versions(
    client, coach, coachee, trajectory, other_coach, django_assert_num_queries
):
    from tests.factories.dossier import edit_report

    few = session_report(coach, trajectory, report="Weinig")
    edit_report(few, coach, report="Weinig, gewijzigd")
    many = session_report(coach, trajectory, report="Veel")
    edit_report(many, coach, report="Veel, gewijzigd")
    now = timezone.now()
    SessionReportVersion.objects.bulk_create(
        SessionReportVersion(
            report=many,
            coachee=coachee,
            revision=100 + number,
            held_on=many.held_on,
            minutes=60,
            kind=SessionKind.PHONE,
            report_text=f"Versie {number}",
            agreements=f"Afspraak {number}",
            written_at=now - datetime.timedelta(hours=number),
            written_by=coach if number % 2 else other_coach,
        )
        for number in range(29)
    )
    client.force_login(coach)
    expected = _count(client, reverse("dossier:report", args=[few.pk]))
    response = _check(
        client, reverse("dossier:report", args=[many.pk]), expected, django_assert_num_queries
    )
    assert len(response.context["history"].versions) == 30
    assert "Versie 28" in response.text
    assert expected <= 15, expected
