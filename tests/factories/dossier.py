"""Dossier records: session reports and trajectory ends made by the service, time entries
stored directly."""

import datetime

from dossier import services
from dossier.models import Activity, SessionKind, TimeEntry
from pluform import dates


def session_report(coach, trajectory, **fields):
    """A report written by ``coach`` through dossier.services.add_report."""
    values = {
        "held_on": dates.today(),
        "minutes": 60,
        "kind": SessionKind.VIDEO,
        "report": "We talked about sleep and work.",
        "agreements": "",
    }
    values.update(fields)
    return services.add_report(coach, trajectory, **values)


def edit_report(existing, coach, /, **changes):
    """An edit by ``coach`` through dossier.services.update_report, from the revision
    ``existing`` is at; ``existing`` is brought up to date afterwards."""
    fields = {name: changes.get(name, getattr(existing, name)) for name in services.REPORT_FIELDS}
    saved = services.update_report(existing, coach, revision=existing.revision, **fields)
    existing.refresh_from_db()
    return saved


def ended_trajectory(trajectory, coach, ended_on=None):
    """``trajectory`` ended by ``coach`` through dossier.services.end_trajectory, by default
    yesterday."""
    ended_on = ended_on or dates.today() - datetime.timedelta(days=1)
    services.end_trajectory(trajectory, coach, ended_on)
    return trajectory


def time_entry(coach, trajectory, *, days_ago=0, **fields) -> TimeEntry:
    """An entry of ``coach`` on ``trajectory``, stored as it is (no checks), ``days_ago``
    days before today unless ``worked_on`` is given."""
    values = {
        "worked_on": dates.today() - datetime.timedelta(days=days_ago),
        "minutes": 45,
        "activity": Activity.SESSION,
        "billable": True,
        "note": "",
    }
    values.update(fields)
    return TimeEntry.objects.create(
        trajectory=trajectory, coachee_id=trajectory.coachee_id, coach=coach, **values
    )
