"""The coach's dashboard on the home page: coachees active and inactive, unread messages,
interventions to review and overdue, hours per month, trajectories ending soon. Counts and
names only, restricted coachees left out, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Trajectory, User
from dialogue.models import Dialogue
from dossier.dashboard import _month_start
from dossier.models import Activity, TimeEntry
from interventions import services as interventions_services
from interventions.models import Assignment, Status
from pluform import dates
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.dialogue import MessageFactory, group, post
from tests.factories.interventions import template

pytestmark = pytest.mark.django_db

TODAY = dates.today


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def _dashboard(client, user):
    return _home(client, user).context["dashboard"]


def _restrict(*users):
    User.objects.filter(pk__in=[u.pk for u in users]).update(
        processing_restricted_at=timezone.now()
    )


def _seen(user, days_ago):
    User.objects.filter(pk=user.pk).update(
        last_activity_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def _dialogue(trajectory):
    return Dialogue.objects.get(trajectory=trajectory)


def _entry(coach, trajectory, worked_on, minutes):
    return TimeEntry.objects.create(
        coach=coach,
        coachee=trajectory.coachee,
        trajectory=trajectory,
        worked_on=worked_on,
        minutes=minutes,
        activity=Activity.SESSION,
    )


def _assign(coach, trajectories, *, due_in=None):
    today = TODAY()
    plan = interventions_services.Plan(
        starts_on=today,
        due_on=today + datetime.timedelta(days=due_in) if due_in is not None else None,
    )
    made = template(coach, "Sleep diary")
    return interventions_services.assign(made, coach, list(trajectories), plan=plan)


@pytest.fixture
def bram(organisation, coach):
    person = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")
    TrajectoryFactory(coachee=person, coaches=[coach])
    return person


def test_coachees_are_active_or_inactive_by_their_last_30_days(
    client, organisation, coach, coachee, trajectory, bram
):
    never = CoacheeFactory(organisation=organisation, first_name="Nina", last_name="Nooit")
    TrajectoryFactory(coachee=never, coaches=[coach])
    _seen(coachee, 2)
    _seen(bram, 31)
    ended = CoacheeFactory(organisation=organisation, first_name="Gerrit", last_name="Gestopt")
    TrajectoryFactory(coachee=ended, coaches=[coach], ended_on=TODAY() - datetime.timedelta(days=1))
    strangers = CoacheeFactory(organisation=organisation, first_name="Vera", last_name="Vreemd")
    TrajectoryFactory(coachee=strangers, coaches=[CoachFactory(organisation=organisation)])

    response = _home(client, coach)
    board = response.context["dashboard"]
    assert board.active_count == 1
    assert board.inactive_count == 2
    # Never active first, then the longest quiet; each links to their dossier.
    assert [p.name for p in board.inactive] == ["Nina Nooit", "Bram Brandsma"]
    assert reverse("dossier:coachee", args=[bram.pk]) in response.text
    assert reverse("dossier:coachee", args=[never.pk]) in response.text
    assert "not active yet" in response.text
    assert "Gerrit" not in response.text  # an ended trajectory is not on the dashboard
    assert "Vera" not in response.text  # another coach's coachee


def test_restricted_coachees_are_left_out_and_counted_apart(
    client, organisation, coach, coachee, trajectory, bram
):
    _assign(coach, [trajectory, Trajectory.objects.get(coachee=bram)], due_in=3)
    Assignment.objects.update(status=Status.SUBMITTED)
    post(_dialogue(trajectory), coachee, "Hello")
    post(_dialogue(Trajectory.objects.get(coachee=bram)), bram, "Hi")
    _entry(coach, trajectory, TODAY(), 60)
    _entry(coach, Trajectory.objects.get(coachee=bram), TODAY(), 30)
    Trajectory.objects.filter(coachee=bram).update(ended_on=TODAY() + datetime.timedelta(days=5))
    _seen(coachee, 1)
    _seen(bram, 1)
    _restrict(bram)

    response = _home(client, coach)
    board = response.context["dashboard"]
    assert board.restricted_count == 1
    assert (board.active_count, board.inactive_count) == (1, 0)
    assert [p.name for p in board.unread] == ["Eva Zwanenburg"]
    assert board.unread_total == 1
    assert board.to_review == 1
    assert board.minutes_this_month == 60
    assert board.ending == []
    assert "Bram" not in response.text
    assert "Processing is restricted for 1 coachee" in response.text


def test_unread_messages_per_coachee_link_to_their_dialogue(
    client, organisation, coach, coachee, trajectory, bram
):
    mine = _dialogue(trajectory)
    for _ in range(3):
        MessageFactory(dialogue=mine, author=coachee)
    brams = _dialogue(Trajectory.objects.get(coachee=bram))
    post(brams, bram, "Question")
    post(brams, coach, "Answer")  # read up to here: nothing of Bram's is unread
    crew = group(coach, [coachee, bram])
    post(crew, bram, "Group news")
    post(crew, coachee, "More group news")

    response = _home(client, coach)
    board = response.context["dashboard"]
    assert [(p.name, p.count) for p in board.unread] == [("Eva Zwanenburg", 3)]
    assert board.unread[0].link == reverse("dialogue:detail", args=[mine.pk])
    assert board.unread_in_groups == 2
    assert board.unread_total == 5
    assert "Group news" not in response.text
    assert reverse("dialogue:detail", args=[mine.pk]) in response.text


def test_a_coachee_with_two_trajectories_links_to_the_filtered_inbox(
    client, coach, coachee, trajectory
):
    earlier = TrajectoryFactory(
        coachee=coachee, coaches=[coach], started_on=TODAY() - datetime.timedelta(days=400)
    )
    MessageFactory(dialogue=_dialogue(trajectory), author=coachee)
    MessageFactory(dialogue=_dialogue(earlier), author=coachee)
    board = _dashboard(client, coach)
    assert [(p.name, p.count) for p in board.unread] == [("Eva Zwanenburg", 2)]
    assert board.unread[0].link == f"{reverse('dialogue:inbox')}?coachee={coachee.pk}"


def test_interventions_waiting_for_review_and_overdue(client, coach, coachee, trajectory, bram):
    second = Trajectory.objects.get(coachee=bram)
    made = _assign(coach, [trajectory, second], due_in=3)
    more = _assign(coach, [trajectory, second], due_in=3)
    Assignment.objects.filter(pk=made[0].pk).update(status=Status.SUBMITTED)
    Assignment.objects.filter(pk__in=[made[1].pk, more[0].pk]).update(
        due_on=TODAY() - datetime.timedelta(days=1)
    )
    Assignment.objects.filter(pk=more[1].pk).update(status=Status.REVIEWED)

    response = _home(client, coach)
    board = response.context["dashboard"]
    assert (board.to_review, board.overdue) == (1, 2)
    index = reverse("interventions:index")
    assert f'href="{index}?state=review"' in response.text
    assert f'href="{index}?state=overdue"' in response.text
    assert "Sleep diary" not in response.text  # counts, not titles


def test_hours_this_month_and_per_month(client, organisation, coach, coachee, trajectory):
    today = TODAY()
    this_month = _month_start(today)
    two_ago = _month_start(today, 2)
    _entry(coach, trajectory, this_month, 90)
    _entry(coach, trajectory, this_month, 60)
    _entry(coach, trajectory, two_ago + datetime.timedelta(days=3), 120)
    _entry(coach, trajectory, _month_start(today, 12), 600)  # thirteen months ago: not shown
    colleague = CoachFactory(organisation=organisation)
    Trajectory.objects.get(pk=trajectory.pk).coaches.add(colleague)
    _entry(colleague, trajectory, this_month, 300)  # another coach's hours

    response = _home(client, coach)
    board = response.context["dashboard"]
    assert board.minutes_this_month == 150
    assert board.hours_this_month == "2.5"
    assert len(board.months) == 12
    assert board.months[-1].first_day == this_month
    assert board.months[0].first_day == _month_start(today, 11)
    assert [m.minutes for m in board.months][-3:] == [120, 0, 150]
    assert sum(m.minutes for m in board.months) == 270
    text = response.text
    assert "<svg" in text and 'aria-hidden="true"' in text
    table = text.split('<table class="visually-hidden">')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 12
    assert f'<th scope="row">{this_month.strftime("%B %Y")}</th><td>2.5</td>' in table
    assert text.count('<rect class="bar"') == 2


def test_trajectories_ending_in_the_next_30_days(client, organisation, coach, coachee, trajectory):
    Trajectory.objects.filter(pk=trajectory.pk).update(
        ended_on=TODAY() + datetime.timedelta(days=10), title="Burn-out"
    )
    later = CoacheeFactory(organisation=organisation, first_name="Lotte", last_name="Later")
    TrajectoryFactory(
        coachee=later, coaches=[coach], ended_on=TODAY() + datetime.timedelta(days=31)
    )
    today = CoacheeFactory(organisation=organisation, first_name="Teun", last_name="Vandaag")
    TrajectoryFactory(coachee=today, coaches=[coach], ended_on=TODAY())

    response = _home(client, coach)
    board = response.context["dashboard"]
    assert [p.name for p in board.ending] == ["Teun Vandaag", "Eva Zwanenburg"]
    assert reverse("dossier:coachee", args=[coachee.pk]) in response.text
    assert "Burn-out" not in response.text  # a title is content


def test_the_page_keeps_its_tiles(client, coach):
    text = _home(client, coach).text
    names = ["accounts:profile", "mfa_index", "accounts:invitations", "dossier:coachees"]
    for name in [*names, "timesheet:index"]:
        assert reverse(name) in text
    assert "You have read every message." in text


def test_coachee_has_no_coach_dashboard(client, coachee, trajectory):
    response = _home(client, coachee)
    assert "dashboard" not in response.context
    assert "Hours per month" not in response.text


# Query count


MORE = 199


def _data(coach, trajectories, *, seed):
    """Some of everything the dashboard counts for these trajectories."""
    today = TODAY()
    assigned = _assign(coach, trajectories, due_in=2)
    Assignment.objects.filter(pk__in=[a.pk for a in assigned[::3]]).update(status=Status.SUBMITTED)
    Assignment.objects.filter(pk__in=[a.pk for a in assigned[1::3]]).update(
        due_on=today - datetime.timedelta(days=1)
    )
    for number, trajectory in enumerate(trajectories):
        coachee = trajectory.coachee
        MessageFactory(dialogue=_dialogue(trajectory), author=coachee)
        _entry(coach, trajectory, _month_start(today, number % 12), 30 + number)
        _seen(coachee, (number + seed) % 60)
        if number % 7 == 3:
            Trajectory.objects.filter(pk=trajectory.pk).update(
                ended_on=today + datetime.timedelta(days=number % 30)
            )
    if len(trajectories) > 1:
        _restrict(trajectories[-1].coachee)


def _count(client) -> int:
    client.get(reverse("home"))  # session and activity writes settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries.captured_queries)


def test_the_dashboard_costs_the_same_with_1_and_200_coachees(
    client, organisation, coach, coachee, trajectory, django_assert_num_queries
):
    _data(coach, [trajectory], seed=0)
    group(coach, [coachee])
    client.force_login(coach)
    expected = _count(client)

    trajectories = [
        TrajectoryFactory(coachee=CoacheeFactory(organisation=organisation), coaches=[coach])
        for _ in range(MORE)
    ]
    _data(coach, trajectories, seed=5)
    crew = group(coach, [t.coachee for t in trajectories[:20]])
    for t in trajectories[:20]:
        MessageFactory(dialogue=crew, author=t.coachee)
    with django_assert_num_queries(expected):
        response = client.get(reverse("home"))
    board = response.context["dashboard"]
    assert board.restricted_count == 1
    assert board.active_count + board.inactive_count == MORE + 1 - 1
    assert len(board.unread) == 10 and board.unread_more > 0
    assert board.unread_in_groups == 20
    assert board.to_review > 50 and board.overdue > 50
    assert board.ending
    assert expected <= 14, expected
