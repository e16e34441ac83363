"""Assigning interventions: to one or several coachees, planned, repeating, refused, and the
e-mail notices that go with it."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from accounts.models import NotificationChoice
from accounts.services import add_coach, restrict_processing
from interventions import services
from interventions.models import Assignment, Series, TemplateVersion
from pluform import dates
from pluform.notices import services as notices
from pluform.notices.models import Notice
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.interventions import assign, open_question, template

pytestmark = pytest.mark.django_db

TITLE = "Ademhaling Kolibrie"
MESSAGE = "Persoonlijk bericht Pelikaan"
STEP_TEXT = "Adem vier tellen in."
QUESTION = "Wat merkte je op?"

ASSIGNED_SUBJECT = "[Pluform] Your coach has a new intervention for you"
DUE_SOON_SUBJECT = "[Pluform] An intervention is due in two days"
SUBMITTED_SUBJECT = "[Pluform] An intervention is waiting for your review"


def _day(offset: int) -> datetime.date:
    return dates.today() + datetime.timedelta(days=offset)


def _iso(offset: int) -> str:
    return _day(offset).isoformat()


@pytest.fixture
def made(coach):
    return template(coach, title=TITLE, steps=[(STEP_TEXT, [open_question(QUESTION)])])


@pytest.fixture
def second_coachee(organisation):
    return CoacheeFactory(
        organisation=organisation,
        first_name="Bram",
        last_name="Visser",
        email="bram@example.com",
    )


@pytest.fixture
def second_trajectory(coach, second_coachee):
    return TrajectoryFactory(coachee=second_coachee, coaches=[coach])


@pytest.fixture
def move_clock(monkeypatch):
    """Moves pluform.dates.today, the business date every app reads, ``days`` ahead."""
    real_today = dates.today()

    def move(days):
        monkeypatch.setattr(dates, "today", lambda: real_today + datetime.timedelta(days=days))

    return move


def _assign_url(made):
    return reverse("interventions:template_assign", args=[made.pk])


def _post(client, made, trajectories, **fields):
    data = {
        "trajectories": [str(t.pk) for t in trajectories],
        "starts_on": _iso(0),
        "due_on": "",
        "message": "",
        "repeat": "once",
        "every_days": "",
        "until": "",
    }
    data.update(fields)
    return client.post(_assign_url(made), data)


def _raw_message(assignment):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT message FROM interventions_assignment WHERE id = %s", [assignment.pk.hex]
        )
        return cursor.fetchone()[0]


def _nothing_stored():
    return (
        not Assignment.objects.exists()
        and not Series.objects.exists()
        and not TemplateVersion.objects.exists()
    )


def _whole(email):
    return email.subject + email.body + "".join(content for content, _ in email.alternatives)


# Assigning through the page


def test_coach_assigns_to_one_coachee_with_a_personal_message(
    client, coach, coachee, trajectory, made
):
    client.force_login(coach)
    form = client.get(_assign_url(made))
    assert form.status_code == 200
    assert "Eva Zwanenburg" in form.text
    assert "Your coachees receive version 1" in form.text

    response = _post(client, made, [trajectory], due_on=_iso(7), message=MESSAGE)
    assert response.status_code == 302
    assert response.url == reverse("interventions:index")

    assignment = Assignment.objects.get()
    assert assignment.trajectory == trajectory and assignment.coachee == coachee
    assert assignment.assigned_by == coach
    assert (assignment.available_on, assignment.due_on) == (_day(0), _day(7))
    assert assignment.status == "assigned" and assignment.series is None
    assert (assignment.version.template, assignment.version.number) == (made, 1)
    assert assignment.message == MESSAGE
    raw = _raw_message(assignment)
    assert raw and MESSAGE not in raw and "Pelikaan" not in raw
    assert "Assigned: 1 " in client.get(response.url).text

    client.force_login(coachee)
    assert TITLE in client.get(reverse("interventions:index")).text
    page = client.get(reverse("interventions:assignment", args=[assignment.pk]))
    assert page.status_code == 200
    assert TITLE in page.text and MESSAGE in page.text


def test_coach_assigns_to_several_coachees_at_once(
    client, coach, coachee, trajectory, second_coachee, second_trajectory, made
):
    client.force_login(coach)
    response = _post(client, made, [trajectory, second_trajectory], message=MESSAGE)
    assert response.status_code == 302
    assignments = Assignment.objects.all()
    assert {(a.trajectory, a.coachee) for a in assignments} == {
        (trajectory, coachee),
        (second_trajectory, second_coachee),
    }
    assert len({a.version_id for a in assignments}) == 1
    assert TemplateVersion.objects.count() == 1

    eva = Assignment.objects.get(coachee=coachee)
    bram = Assignment.objects.get(coachee=second_coachee)
    client.force_login(second_coachee)
    assert client.get(reverse("interventions:assignment", args=[bram.pk])).status_code == 200
    assert client.get(reverse("interventions:assignment", args=[eva.pk])).status_code == 404


def test_a_start_date_in_the_future_plans_the_assignment(
    client, coach, coachee, trajectory, made, move_clock
):
    client.force_login(coach)
    _post(client, made, [trajectory], starts_on=_iso(3), due_on=_iso(5))
    assignment = Assignment.objects.get()
    assert (assignment.available_on, assignment.due_on) == (_day(3), _day(5))
    url = reverse("interventions:assignment", args=[assignment.pk])
    assert TITLE in client.get(reverse("interventions:index") + "?state=planned").text
    assert TITLE not in client.get(reverse("interventions:index")).text
    assert client.get(url).status_code == 200  # the coach may look ahead

    client.force_login(coachee)
    assert TITLE not in client.get(reverse("interventions:index")).text
    assert client.get(url).status_code == 404
    move_clock(2)
    assert client.get(url).status_code == 404
    move_clock(3)
    assert TITLE in client.get(reverse("interventions:index")).text
    assert client.get(url).status_code == 200

    client.force_login(coach)
    assert TITLE not in client.get(reverse("interventions:index") + "?state=planned").text


def test_a_weekly_repeat_makes_one_assignment_per_week_in_one_series(
    client, coach, trajectory, made
):
    client.force_login(coach)
    response = _post(client, made, [trajectory], repeat="weekly", until=_iso(21), due_on=_iso(2))
    assert response.status_code == 302
    series = Series.objects.get()
    assert (series.trajectory, series.every_days) == (trajectory, 7)
    assert (series.starts_on, series.until) == (_day(0), _day(21))
    occurrences = list(Assignment.objects.order_by("available_on"))
    assert [a.available_on for a in occurrences] == [_day(0), _day(7), _day(14), _day(21)]
    assert [a.due_on for a in occurrences] == [_day(2), _day(9), _day(16), _day(23)]
    assert {a.series_id for a in occurrences} == {series.pk}
    assert {a.version_id for a in occurrences} == {series.version_id}


def test_a_repeat_every_few_days_makes_one_assignment_each_time(client, coach, trajectory, made):
    client.force_login(coach)
    response = _post(client, made, [trajectory], repeat="days", every_days="3", until=_iso(10))
    assert response.status_code == 302
    series = Series.objects.get()
    assert series.every_days == 3
    days = [a.available_on for a in Assignment.objects.order_by("available_on")]
    assert days == [_day(0), _day(3), _day(6), _day(9)]


def test_a_repeat_per_coachee_makes_a_series_each(
    client, coach, trajectory, second_trajectory, made
):
    client.force_login(coach)
    _post(client, made, [trajectory, second_trajectory], repeat="weekly", until=_iso(7))
    assert Series.objects.count() == 2
    for series in Series.objects.all():
        assert series.assignments.count() == 2
        assert {a.trajectory_id for a in series.assignments.all()} == {series.trajectory_id}


# Refused


BAD_PLANS = [
    pytest.param({"due_on": -1}, "The due date cannot be in the past.", id="due-in-the-past"),
    pytest.param(
        {"starts_on": -1}, "The start date cannot be in the past.", id="start-in-the-past"
    ),
    pytest.param(
        {"starts_on": 5, "due_on": 2},
        "The due date cannot be before the start date.",
        id="due-before-start",
    ),
    pytest.param(
        {"repeat": "weekly"}, "Choose the date on which the repeat ends.", id="repeat-never-ends"
    ),
    pytest.param(
        {"repeat": "days", "every_days": "3"},
        "Choose the date on which the repeat ends.",
        id="days-repeat-never-ends",
    ),
    pytest.param(
        {"repeat": "weekly", "until": 400},
        "A repeat can run for at most a year.",
        id="repeat-longer-than-a-year",
    ),
    pytest.param(
        {"repeat": "weekly", "starts_on": 5, "until": 1},
        "The repeat must end after it starts.",
        id="repeat-ends-before-start",
    ),
    pytest.param(
        {"repeat": "days", "until": 30},
        "Say after how many days it repeats.",
        id="every-n-days-without-n",
    ),
    pytest.param(
        {"repeat": "days", "every_days": "1", "until": 100},
        "That would be more than 60 times: repeat less often.",
        id="too-many-times",
    ),
]


@pytest.mark.parametrize(("fields", "error"), BAD_PLANS)
def test_a_bad_plan_is_shown_again_with_a_message_and_nothing_is_stored(
    client, django_capture_on_commit_callbacks, coach, trajectory, made, fields, error
):
    data = {
        name: _iso(value) if isinstance(value, int) else value for name, value in fields.items()
    }
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, made, [trajectory], message=MESSAGE, **data)
    assert response.status_code == 200
    assert error in response.text
    assert MESSAGE in response.text  # what the coach typed is kept
    assert _nothing_stored()
    assert mail.outbox == []


def test_a_repeat_of_exactly_a_year_and_a_due_date_of_today_are_accepted(coach, trajectory, made):
    plan = services.Plan(starts_on=_day(0), due_on=_day(0), every_days=30, until=_day(366))
    created = services.assign(made, coach, [trajectory], plan=plan)
    assert [a.available_on for a in created][-1] == _day(360)
    assert all(a.due_on == a.available_on for a in created)


def test_a_message_that_is_too_long_is_refused(client, coach, trajectory, made):
    client.force_login(coach)
    response = _post(client, made, [trajectory], message="x" * 5001)
    assert response.status_code == 200
    assert "Ensure this value has at most 5000 characters" in response.text
    assert _nothing_stored()


def test_no_coachee_chosen_is_refused(client, coach, trajectory, made):
    client.force_login(coach)
    response = _post(client, made, [])
    assert response.status_code == 200
    assert "Choose at least one coachee." in response.text
    assert _nothing_stored()


def test_a_coachee_of_another_organisation_cannot_be_chosen(
    client, coach, trajectory, stranger_coachee, made
):
    foreign = stranger_coachee.trajectories.get()
    client.force_login(coach)
    response = _post(client, made, [trajectory, foreign])
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert "Saar" not in response.text
    assert _nothing_stored()


def test_a_colleagues_coachee_cannot_be_chosen(
    client, coach, trajectory, other_coach, organisation, made
):
    theirs = TrajectoryFactory(
        coachee=CoacheeFactory(organisation=organisation), coaches=[other_coach]
    )
    client.force_login(coach)
    response = _post(client, made, [theirs])
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert _nothing_stored()


def test_the_service_refuses_a_trajectory_that_is_not_the_coachs(
    coach, other_coach, organisation, made
):
    theirs = TrajectoryFactory(
        coachee=CoacheeFactory(organisation=organisation), coaches=[other_coach]
    )
    with pytest.raises(ValidationError, match=r"You can only assign to your own coachees\."):
        services.assign(made, coach, [theirs], plan=services.Plan(starts_on=_day(0)))
    with pytest.raises(ValidationError, match=r"You can only assign to your own coachees\."):
        services.assign(made, coach, [], plan=services.Plan(starts_on=_day(0)))
    assert _nothing_stored()


def test_a_coachee_under_restriction_cannot_be_assigned(
    client,
    django_capture_on_commit_callbacks,
    coach,
    coachee,
    trajectory,
    second_trajectory,
    made,
):
    restrict_processing(coachee, "Asked for a pause")
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, made, [trajectory, second_trajectory], message=MESSAGE)
    assert response.status_code == 200
    assert (
        "Processing is restricted for Eva Zwanenburg: nothing new can be assigned." in response.text
    )
    assert _nothing_stored()  # not even for the other, unrestricted coachee
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_an_ended_trajectory_is_not_offered(
    client, coach, coachee, trajectory, second_trajectory, made
):
    trajectory.ended_on = _day(-1)
    trajectory.save()
    client.force_login(coach)
    form = client.get(_assign_url(made))
    assert "Eva Zwanenburg" not in form.text
    assert "Bram Visser" in form.text
    response = _post(client, made, [trajectory])
    assert response.status_code == 200
    assert "Select a valid choice." in response.text
    assert _nothing_stored()


def test_a_coach_with_only_ended_trajectories_is_told_so(client, coach, trajectory, made):
    trajectory.ended_on = _day(-1)
    trajectory.save()
    client.force_login(coach)
    form = client.get(_assign_url(made))
    assert "You have no coachees with a running trajectory." in form.text
    assert "Eva Zwanenburg" not in form.text
    assert _post(client, made, [trajectory]).status_code == 200
    assert _nothing_stored()


def test_a_trajectory_that_ends_today_is_still_offered(client, coach, trajectory, made):
    trajectory.ended_on = _day(0)
    trajectory.save()
    client.force_login(coach)
    assert "Eva Zwanenburg" in client.get(_assign_url(made)).text
    assert _post(client, made, [trajectory]).status_code == 302
    assert Assignment.objects.count() == 1


# Notices


def test_a_new_assignment_emails_the_coachee_once_without_content(
    client, django_capture_on_commit_callbacks, coach, coachee, trajectory, made
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, made, [trajectory], message=MESSAGE, due_on=_iso(7))
    assignment = Assignment.objects.get()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [coachee.email]
    assert email.subject == ASSIGNED_SUBJECT
    whole = _whole(email)
    for secret in (TITLE, MESSAGE, STEP_TEXT, QUESTION, coach.first_name, coach.last_name):
        assert secret not in whole
    assert reverse("interventions:assignment", args=[assignment.pk]) in email.body
    assert Notice.objects.get(user=coachee).sent_at is not None

    # The daily task does not tell it again.
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    assert len(mail.outbox) == 1


def test_a_weekly_series_emails_only_for_the_occurrence_that_opens_today(
    client, django_capture_on_commit_callbacks, coach, coachee, trajectory, made
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, made, [trajectory], repeat="weekly", until=_iso(21))
    assert Assignment.objects.count() == 4
    assert len(mail.outbox) == 1
    first = Assignment.objects.get(available_on=_day(0))
    assert Notice.objects.get().object_id == first.pk


def test_a_planned_assignment_emails_nothing_before_it_opens(
    client, django_capture_on_commit_callbacks, coach, trajectory, made
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, made, [trajectory], starts_on=_iso(3))
        services.send_daily_notices()
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_the_daily_task_tells_what_is_due_in_two_days_once(
    django_capture_on_commit_callbacks, coach, coachee, trajectory, made
):
    with django_capture_on_commit_callbacks(execute=True):
        (due,) = assign(made, coach, trajectory, due_in=2, message=MESSAGE)
        assign(made, coach, trajectory, due_in=3)
        assign(made, coach, trajectory, due_in=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [coachee.email]
    assert email.subject == DUE_SOON_SUBJECT
    assert reverse("interventions:assignment", args=[due.pk]) in email.body
    for secret in (TITLE, MESSAGE, QUESTION):
        assert secret not in _whole(email)


def test_the_daily_task_tells_nothing_about_a_submitted_assignment(
    client, django_capture_on_commit_callbacks, coach, coachee, trajectory, made
):
    (due,) = assign(made, coach, trajectory, due_in=2)
    client.force_login(coachee)
    client.post(reverse("interventions:submit", args=[due.pk]))
    due.refresh_from_db()
    assert due.status == "submitted"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    assert [email for email in mail.outbox if email.to == [coachee.email]] == []


def test_the_daily_task_tells_about_a_planned_assignment_on_the_day_it_opens(
    django_capture_on_commit_callbacks, coach, coachee, trajectory, made, move_clock
):
    plan = services.Plan(starts_on=_day(3))
    with django_capture_on_commit_callbacks(execute=True):
        (planned,) = services.assign(made, coach, [trajectory], plan=plan)
    assert mail.outbox == []
    move_clock(3)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [coachee.email]
    assert email.subject == ASSIGNED_SUBJECT
    assert reverse("interventions:assignment", args=[planned.pk]) in email.body
    assert TITLE not in _whole(email)


def test_a_submission_emails_each_coach_of_the_trajectory(
    client, django_capture_on_commit_callbacks, coach, coachee, trajectory, other_coach, made
):
    add_coach(trajectory, other_coach)
    (assignment,) = assign(made, coach, trajectory, message=MESSAGE)
    mail.outbox.clear()
    client.force_login(coachee)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("interventions:submit", args=[assignment.pk]))
    assert response.status_code == 302
    assert sorted(email.to[0] for email in mail.outbox) == sorted([coach.email, other_coach.email])
    for email in mail.outbox:
        assert email.subject == SUBMITTED_SUBJECT
        for secret in (TITLE, MESSAGE, coachee.first_name, coachee.last_name, coachee.email):
            assert secret not in _whole(email)


def test_a_user_who_wants_no_email_gets_none(
    client, django_capture_on_commit_callbacks, coach, coachee, trajectory, other_coach, made
):
    coachee.message_notifications = NotificationChoice.OFF
    coachee.save()
    coach.message_notifications = NotificationChoice.OFF
    coach.save()
    add_coach(trajectory, other_coach)
    with django_capture_on_commit_callbacks(execute=True):
        (assignment,) = assign(made, coach, trajectory, due_in=2)
        services.send_daily_notices()
    assert mail.outbox == []
    assert not Notice.objects.filter(user=coachee).exists()

    client.force_login(coachee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("interventions:submit", args=[assignment.pk]))
    assert [email.to for email in mail.outbox] == [[other_coach.email]]


def test_a_coachee_under_restriction_is_not_told_by_the_daily_task(
    django_capture_on_commit_callbacks, coach, coachee, trajectory, made, move_clock
):
    assign(made, coach, trajectory, due_in=2)
    services.assign(made, coach, [trajectory], plan=services.Plan(starts_on=_day(1)))
    restrict_processing(coachee, "Asked for a pause")
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    move_clock(1)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    assert mail.outbox == []
    assert not Notice.objects.exists()


def test_a_restricted_coachees_pending_notice_is_not_sent(
    django_capture_on_commit_callbacks, coach, coachee, trajectory, made
):
    assign(made, coach, trajectory)  # the notice waits for its delivery
    notice = Notice.objects.get(user=coachee)
    restrict_processing(coachee, "Asked for a pause")
    assert notices.deliver(notice.pk) is False
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.dropped_at is not None


def test_no_new_assignment_notice_once_the_trajectory_has_ended(
    django_capture_on_commit_callbacks, coach, coachee, trajectory, made, move_clock
):
    services.assign(made, coach, [trajectory], plan=services.Plan(starts_on=_day(3)))
    trajectory.ended_on = _day(1)
    trajectory.save()
    move_clock(3)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    assert mail.outbox == []


def test_no_due_soon_notice_once_the_trajectory_has_ended(
    django_capture_on_commit_callbacks, coach, coachee, trajectory, made, move_clock
):
    assign(made, coach, trajectory, due_in=5)
    trajectory.ended_on = _day(1)
    trajectory.save()
    move_clock(3)
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_daily_notices()
    assert mail.outbox == []
