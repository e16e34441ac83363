"""Suggested time entries from the week's real work: messages the coach wrote in a coachee's
one-to-one dialogue (per coachee per day), interventions the coach reviewed and session
reports the coach wrote. Nothing is entered until the coach accepts; entered and dismissed
suggestions do not come back; restricted coachees and ended trajectories are left out; the
coach's rule sets the minutes; weeks are chosen as 2026-W48."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import add_coach, restrict_processing
from dialogue.models import Message
from dossier import suggestions
from dossier.models import Activity, DismissedSuggestion, SuggestionRule, TimeEntry
from dossier.suggestions import Kind, parse_week, this_week, week_text
from interventions import services as intervention_services
from interventions.models import Assignment
from pluform import dates
from privacy.audit_models import Action, AuditEvent
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post
from tests.factories.dossier import ended_trajectory, session_report, time_entry
from tests.factories.interventions import assign, scale, template
from tests.pages import page_text, signed_in

pytestmark = pytest.mark.django_db

PAGE = reverse("timesheet:suggestions")
ACCEPT = reverse("timesheet:accept")
DISMISS = reverse("timesheet:dismiss")
RULE = reverse("timesheet:rule")
DAY = datetime.timedelta(days=1)
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _last_week() -> datetime.date:
    return this_week() - 7 * DAY


def _at(day: datetime.date, hour=12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


def _messages(dialogue, author, when, count=1) -> list:
    """``count`` messages by ``author``, written at ``when``."""
    made = [post(dialogue, author, f"Bericht {n}") for n in range(count)]
    Message.objects.filter(pk__in=[m.pk for m in made]).update(created_at=when)
    return made


def _reviewed(coach, trajectory) -> Assignment:
    """An intervention submitted by the coachee and marked reviewed by ``coach`` through the
    interventions' feedback page (which records who reviewed it)."""
    made = template(coach, "Terugblik", steps=[("Kijk terug.", [scale(required=True)])])
    [assignment] = assign(made, coach, trajectory)
    step = assignment.version.parsed.steps[0]
    intervention_services.save_step(assignment, step, {step.questions[0].key: 7}, {}, 0)
    intervention_services.submit(assignment)
    response = signed_in(coach).post(
        reverse("interventions:feedback", args=[assignment.pk]),
        {"overall": "Mooi", f"step_{step.key}": "", "reviewed": "1"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    return assignment


def _found(coach, monday=None) -> list:
    return [
        (s.kind, s.coachee_name, s.worked_on, s.minutes, s.activity)
        for s in suggestions.suggestions(coach, monday or this_week())
    ]


def _accept_data(suggestion, **fields):
    data = {
        "source": suggestion.source,
        "week": week_text(suggestions.week_of(suggestion.worked_on)),
        "minutes": str(suggestion.minutes),
        "activity": suggestion.activity,
        "billable": "on",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value != ""}


@pytest.fixture
def dialogue(trajectory):
    return one_to_one(trajectory)


@pytest.fixture
def second_coachee(organisation, coach):
    person = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")
    TrajectoryFactory(coachee=person, coaches=[coach])
    return person


# What is suggested


def test_messages_are_counted_per_coachee_per_day(coach, coachee, dialogue, second_coachee):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday, 9), count=2)
    _messages(dialogue, coach, _at(monday, 21))
    _messages(dialogue, coach, _at(monday + 2 * DAY))
    _messages(one_to_one(second_coachee.trajectories.get()), coach, _at(monday, 10), count=2)
    assert _found(coach, monday) == [
        (Kind.MESSAGES, "Bram Brandsma", monday, 20, Activity.WRITTEN),
        (Kind.MESSAGES, "Eva Zwanenburg", monday, 30, Activity.WRITTEN),
        (Kind.MESSAGES, "Eva Zwanenburg", monday + 2 * DAY, 10, Activity.WRITTEN),
    ]
    [first, *_] = suggestions.suggestions(coach, monday)
    assert first.source == f"messages:{second_coachee.pk}:{monday.isoformat()}"


def test_only_the_coachs_own_one_to_one_messages_of_that_week_count(
    coach, coachee, trajectory, dialogue, other_coach
):
    monday = _last_week()
    _messages(dialogue, coachee, _at(monday))  # the coachee's
    add_coach(trajectory, other_coach)
    _messages(dialogue, other_coach, _at(monday))  # a co-coach's
    walking = group(coach, [coachee])
    _messages(walking, coach, _at(monday))  # a group dialogue
    _messages(dialogue, coach, _at(monday - DAY))  # the Sunday before
    _messages(dialogue, coach, _at(monday + 7 * DAY, 0))  # the next Monday, just after 0:00
    [gone] = _messages(dialogue, coach, _at(monday))
    Message.objects.filter(pk=gone.pk).update(withdrawn_at=timezone.now())
    assert _found(coach, monday) == []
    assert [s[0] for s in _found(other_coach, monday)] == [Kind.MESSAGES]


def test_days_follow_the_coachs_time_zone(coach, coachee, dialogue):
    monday = _last_week()
    # 23:30 on Monday in Amsterdam is Tuesday in Tokyo.
    _messages(dialogue, coach, _at(monday, 23) + datetime.timedelta(minutes=30))
    assert [s[2] for s in _found(coach, monday)] == [monday]
    with timezone.override(zoneinfo.ZoneInfo("Asia/Tokyo")):
        assert [s[2] for s in _found(coach, monday)] == [monday + DAY]


def test_interventions_the_coach_reviewed_are_suggested(coach, coachee, trajectory, other_coach):
    assignment = _reviewed(coach, trajectory)
    assert _found(coach) == [
        (
            Kind.REVIEW,
            "Eva Zwanenburg",
            timezone.localdate(assignment.reviewed_at),
            15,
            Activity.WRITTEN,
        )
    ]
    [suggestion] = suggestions.suggestions(coach, this_week())
    assert suggestion.source == f"review:{assignment.pk}"
    assert suggestion.link == reverse("interventions:assignment", args=[assignment.pk])
    # Not to the colleague who became a coach of the coachee too, and did not review it.
    add_coach(trajectory, other_coach)
    assert _found(other_coach) == []


def test_a_review_by_the_co_coach_is_theirs_only(coach, coachee, trajectory, other_coach):
    add_coach(trajectory, other_coach)
    _reviewed(other_coach, trajectory)
    assert _found(coach) == []
    assert [s[0] for s in _found(other_coach)] == [Kind.REVIEW]


def test_a_review_counts_in_the_week_it_was_reviewed(coach, coachee, trajectory):
    assignment = _reviewed(coach, trajectory)
    Assignment.objects.filter(pk=assignment.pk).update(reviewed_at=_at(this_week() - 6 * DAY))
    assert _found(coach) == []
    assert [s[0] for s in _found(coach, _last_week())] == [Kind.REVIEW]


def test_session_reports_the_coach_wrote_are_suggested_with_their_duration(
    coach, coachee, trajectory, other_coach
):
    monday = _last_week()
    report = session_report(coach, trajectory, held_on=monday + DAY, minutes=75)
    session_report(coach, trajectory, held_on=monday - DAY, minutes=30)  # the week before
    add_coach(trajectory, other_coach)
    session_report(other_coach, trajectory, held_on=monday + DAY, minutes=45)  # not theirs
    assert _found(coach, monday) == [
        (Kind.REPORT, "Eva Zwanenburg", monday + DAY, 75, Activity.SESSION)
    ]
    [suggestion] = suggestions.suggestions(coach, monday)
    assert suggestion.source == f"report:{report.pk}"


def test_restricted_coachees_and_ended_trajectories_are_left_out(
    coach, coachee, trajectory, dialogue, second_coachee
):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday))
    other = second_coachee.trajectories.get()
    session_report(coach, other, held_on=monday)
    assert len(_found(coach, monday)) == 2
    restrict_processing(coachee, "Bezwaar")
    assert [s[1] for s in _found(coach, monday)] == ["Bram Brandsma"]
    ended_trajectory(other, coach)
    assert _found(coach, monday) == []
    assert "No open suggestions for this week." in page_text(
        signed_in(coach).get(PAGE + f"?week={week_text(monday)}")
    )


def test_the_page_shows_the_week_and_enters_nothing(coach, coachee, trajectory, dialogue):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday), count=3)
    report = session_report(coach, trajectory, held_on=monday + DAY, minutes=50)
    response = signed_in(coach).get(PAGE + f"?week={week_text(monday)}")
    assert response.status_code == 200
    page = page_text(response)
    assert "3 messages written in the dialogue" in page
    assert reverse("dossier:report", args=[report.pk]) in page
    assert page.count("Add to my timesheet") == 2 and page.count("Dismiss") == 2
    assert not TimeEntry.objects.exists()
    assert response.context["week"] == week_text(monday)


@pytest.mark.parametrize("week", ["2026-W60", "volgende week", "3026-W01", "2026-48"])
def test_a_week_that_cannot_be_read_shows_this_week(coach, week):
    response = signed_in(coach).get(PAGE + f"?week={week}")
    assert response.status_code == 200
    assert "That week could not be read: this week is shown." in page_text(response)
    assert response.context["week"] == week_text(this_week())


def test_weeks_are_read_as_iso_weeks():
    assert parse_week("2026-W48") == datetime.date(2026, 11, 23)
    assert parse_week("2021-W01") == datetime.date(2021, 1, 4)
    assert parse_week("2020-W53") == datetime.date(2020, 12, 28)
    assert parse_week("2021-W53") is None
    assert week_text(datetime.date(2021, 1, 3)) == "2020-W53"


# Accepting and dismissing


def test_the_coach_accepts_a_suggestion_as_it_is_or_changed(coach, coachee, trajectory, dialogue):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday), count=2)
    [suggestion] = suggestions.suggestions(coach, monday)
    client = signed_in(coach)
    response = client.post(
        ACCEPT,
        _accept_data(suggestion, minutes="25", activity=Activity.PREPARATION, billable=""),
    )
    assert response.status_code == 302
    assert response.url == PAGE + f"?week={week_text(monday)}"
    entry = TimeEntry.objects.get()
    assert (entry.coachee, entry.worked_on, entry.minutes, entry.activity) == (
        coachee,
        monday,
        25,
        "preparation",
    )
    assert not entry.billable and entry.source == suggestion.source
    assert entry.trajectory == trajectory
    [event] = AuditEvent.objects.filter(action=Action.CREATE, object_uuid=entry.pk)
    assert (event.subject_uuid, event.detail) == (coachee.pk, "suggestion")
    # Entered: not suggested again, and a second accept enters nothing.
    assert suggestions.suggestions(coach, monday) == []
    again = client.post(ACCEPT, _accept_data(suggestion), follow=True)
    assert "This suggestion is no longer open" in page_text(again)
    assert TimeEntry.objects.count() == 1


def test_a_dismissed_suggestion_is_not_suggested_again(coach, coachee, trajectory, dialogue):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday))
    report = session_report(coach, trajectory, held_on=monday)
    found = suggestions.suggestions(coach, monday)
    assert [s.kind for s in found] == [Kind.REPORT, Kind.MESSAGES]
    client = signed_in(coach)
    response = client.post(DISMISS, {"source": found[0].source, "week": week_text(monday)})
    assert response.status_code == 302
    assert [s.kind for s in suggestions.suggestions(coach, monday)] == [Kind.MESSAGES]
    assert list(DismissedSuggestion.objects.values_list("source", flat=True)) == [
        f"report:{report.pk}"
    ]
    assert not TimeEntry.objects.exists()
    # A dismissed suggestion cannot be accepted afterwards either.
    client.post(ACCEPT, _accept_data(found[0]))
    assert not TimeEntry.objects.exists()


def test_a_report_entered_from_its_page_is_not_suggested_again(coach, coachee, trajectory):
    report = session_report(coach, trajectory, minutes=40)
    assert [s[0] for s in _found(coach)] == [Kind.REPORT]
    signed_in(coach).post(reverse("timesheet:from_report", args=[report.pk]))
    assert _found(coach) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minutes": "0"}, "Enter at least one minute."),
        ({"minutes": "1441"}, "An entry can be at most 24 hours (1440 minutes)."),
        ({"activity": "nap"}, "Select a valid choice."),
    ],
)
def test_a_bad_accept_shows_the_suggestion_again_with_the_message(
    coach, coachee, trajectory, dialogue, fields, message
):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday))
    session_report(coach, trajectory, held_on=monday + DAY)
    found = suggestions.suggestions(coach, monday)
    [suggestion] = [s for s in found if s.kind == Kind.MESSAGES]
    response = signed_in(coach).post(ACCEPT, _accept_data(suggestion, **fields))
    assert response.status_code == 200
    page = page_text(response)
    assert message in page
    assert page.count("Add to my timesheet") == 2  # every open suggestion is still there
    assert not TimeEntry.objects.exists()


def test_accepting_past_24_hours_on_a_day_is_refused(coach, coachee, trajectory, dialogue):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday))
    time_entry(coach, trajectory, worked_on=monday, minutes=1435)
    [suggestion] = suggestions.suggestions(coach, monday)
    response = signed_in(coach).post(ACCEPT, _accept_data(suggestion))
    assert response.status_code == 200
    assert "so at most 0:05 can be added." in page_text(response)
    assert TimeEntry.objects.count() == 1


def test_a_suggestion_for_a_coachee_restricted_meanwhile_is_not_accepted(
    coach, coachee, trajectory, dialogue
):
    monday = _last_week()
    _messages(dialogue, coach, _at(monday))
    [suggestion] = suggestions.suggestions(coach, monday)
    restrict_processing(coachee, "Bezwaar")
    response = signed_in(coach).post(ACCEPT, _accept_data(suggestion), follow=True)
    assert "This suggestion is no longer open" in page_text(response)
    assert not TimeEntry.objects.exists()


def test_another_coach_cannot_accept_or_dismiss_the_coachs_suggestion(
    coach, coachee, trajectory, other_coach, stranger_coach
):
    session_report(coach, trajectory)
    [suggestion] = suggestions.suggestions(coach, this_week())
    for user in (other_coach, stranger_coach):
        client = signed_in(user)
        client.post(ACCEPT, _accept_data(suggestion))
        client.post(DISMISS, {"source": suggestion.source, "week": week_text(this_week())})
    assert not TimeEntry.objects.exists()
    assert not DismissedSuggestion.objects.exists()
    assert len(suggestions.suggestions(coach, this_week())) == 1


def test_a_made_up_source_is_neither_entered_nor_stored(coach, coachee, trajectory):
    client = signed_in(coach)
    week = week_text(this_week())
    made_up = f"messages:{coachee.pk}:{dates.today().isoformat()}"
    data = {"source": made_up, "week": week, "minutes": "60", "activity": "session"}
    assert client.post(ACCEPT, data).status_code == 302
    assert client.post(DISMISS, {"source": made_up, "week": week}).status_code == 302
    assert not TimeEntry.objects.exists() and not DismissedSuggestion.objects.exists()


# The rule


def test_the_coach_sets_the_rule_and_suggestions_follow_it(coach, coachee, trajectory, dialogue):
    _messages(dialogue, coach, timezone.now(), count=3)
    _reviewed(coach, trajectory)
    assert sorted(s[3] for s in _found(coach)) == [15, 30]
    response = signed_in(coach).post(
        RULE, {"minutes_per_message": "4", "minutes_per_review": "25", "week": "2026-W01"}
    )
    assert response.status_code == 302
    assert response.url == PAGE + "?week=2026-W01"
    rule = SuggestionRule.objects.get(coach=coach)
    assert (rule.minutes_per_message, rule.minutes_per_review) == (4, 25)
    assert sorted(s[3] for s in _found(coach)) == [12, 25]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minutes_per_message": "0"}, "Ensure this value is greater than or equal to 1."),
        ({"minutes_per_review": "241"}, "Ensure this value is less than or equal to 240."),
        ({"minutes_per_review": ""}, "This field is required."),
    ],
)
def test_a_bad_rule_is_refused(coach, fields, message):
    data = {"minutes_per_message": "10", "minutes_per_review": "15", **fields}
    response = signed_in(coach).post(RULE, data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not SuggestionRule.objects.exists()
