"""The timesheet: every page is a coach's own (other coaches see their own timesheet, empty);
an entry opens for the coach who made it only. The coachee, organisation managers and all
staff get a 404 on every URL."""

from django.urls import reverse

from accounts.models import Trajectory
from dossier.suggestions import this_week, week_text
from pluform import dates
from tests.factories.dossier import session_report, time_entry
from tests.matrix import NOT_ALLOWED, Row, get_and_post

COACHES = ["coach", "other_coach", "stranger_coach"]
ALL_COACHES = dict.fromkeys(COACHES, 200)


def _trajectory(coachee, coach):
    return Trajectory.objects.filter(coachee=coachee, coaches=coach).order_by("created_at").first()


def build(world):
    coach, stranger = world["coach"], world["stranger_coach"]
    world["timesheet_trajectory"] = _trajectory(world["coachee"], coach)
    world["timesheet_entry"] = time_entry(coach, world["timesheet_trajectory"], minutes=30)
    stranger_trajectory = _trajectory(world["stranger_coachee"], stranger)
    world["timesheet_stranger_entry"] = time_entry(stranger, stranger_trajectory, minutes=30)


def _entry(name, key="timesheet_entry"):
    return lambda w: reverse(name, args=[w[key].pk])


def _fresh_entry(name):
    """A new entry for every request: a POST that deletes it cannot make the next actor's 404
    a matter of the entry being gone already."""
    return lambda w: reverse(name, args=[time_entry(w["coach"], w["timesheet_trajectory"]).pk])


def _fresh_report(w):
    """A new session report per request: the coach's POST makes it an entry once."""
    report = session_report(w["coach"], w["timesheet_trajectory"], minutes=5)
    return reverse("timesheet:from_report", args=[report.pk])


def _open_suggestion(name):
    """The URL of ``name`` after a new report, so the coach has an open suggestion."""

    def url(w):
        w["timesheet_report"] = session_report(w["coach"], w["timesheet_trajectory"], minutes=5)
        return reverse(name)

    return url


def _suggestion_data(w):
    return {
        "source": f"report:{w['timesheet_report'].pk}",
        "week": week_text(this_week()),
        "minutes": 5,
        "activity": "session",
        "billable": "on",
    }


def _entry_data(w):
    return {
        "coachee": str(w["coachee"].pk),
        "worked_on": dates.today().isoformat(),
        "minutes": 5,
        "activity": "preparation",
        "billable": "on",
        "note": "Voorbereiding",
    }


ROWS = [
    *get_and_post(
        "timesheet:index",
        lambda w: reverse("timesheet:index"),
        get=ALL_COACHES,
        post=NOT_ALLOWED,
    ),
    Row(
        "timesheet:index",
        lambda w: reverse("timesheet:index") + "?start=2025-01&end=2026-12&page=2",
        expect=ALL_COACHES,
    ),
    # Another coach's POST for the coach's coachee: the form comes back with its error.
    *get_and_post(
        "timesheet:add",
        lambda w: reverse("timesheet:add") + f"?coachee={w['coachee'].pk}",
        get=ALL_COACHES,
        post={"coach": 302, "other_coach": 200, "stranger_coach": 200},
        data=_entry_data,
    ),
    *get_and_post(
        "timesheet:edit",
        _entry("timesheet:edit"),
        get={"coach": 200},
        post={"coach": 302},
        data=_entry_data,
    ),
    Row(
        "timesheet:edit",
        _entry("timesheet:edit", "timesheet_stranger_entry"),
        expect={"stranger_coach": 200},
    ),
    *get_and_post(
        "timesheet:delete",
        _fresh_entry("timesheet:delete"),
        get={"coach": 200},
        post={"coach": 302},
    ),
    *get_and_post(
        "timesheet:from_report",
        _fresh_report,
        get=NOT_ALLOWED,
        post={"coach": 302},
    ),
    *get_and_post(
        "timesheet:suggestions",
        lambda w: reverse("timesheet:suggestions"),
        get=ALL_COACHES,
        post=NOT_ALLOWED,
    ),
    Row(
        "timesheet:suggestions",
        lambda w: reverse("timesheet:suggestions") + "?week=2026-W01",
        expect=ALL_COACHES,
    ),
    # The coach accepts (or dismisses) their open suggestion; for another coach it is no
    # suggestion of theirs, and they are sent back to their own suggestions.
    *get_and_post(
        "timesheet:accept",
        _open_suggestion("timesheet:accept"),
        get=NOT_ALLOWED,
        post=dict.fromkeys(COACHES, 302),
        data=_suggestion_data,
    ),
    *get_and_post(
        "timesheet:dismiss",
        _open_suggestion("timesheet:dismiss"),
        get=NOT_ALLOWED,
        post=dict.fromkeys(COACHES, 302),
        data=_suggestion_data,
    ),
    *get_and_post(
        "timesheet:rule",
        lambda w: reverse("timesheet:rule"),
        get=NOT_ALLOWED,
        post=dict.fromkeys(COACHES, 302),
        data=lambda w: {"minutes_per_message": 5, "minutes_per_review": 20},
    ),
    # An export asks for the password again first (the 302 goes to that page).
    *get_and_post(
        "timesheet:export",
        lambda w: reverse("timesheet:export"),
        get=ALL_COACHES,
        post=dict.fromkeys(COACHES, 302),
        data=lambda w: {
            "start": "2026-01-01",
            "end": "2026-12-31",
            "format": "csv",
            "include_names": "on",
        },
    ),
]
