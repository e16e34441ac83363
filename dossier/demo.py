"""Demo dossier for ``manage.py seed_demo``: session reports (one edited, so it has a
history) and a year of time entries, so that the dossier, the timesheet and the coach's
chart of hours have something to show."""

import datetime

from django.dispatch import receiver

from accounts.signals import demo_seeded
from dossier import services
from dossier.models import Activity, SessionKind, SessionReport, TimeEntry
from pluform import dates

REPORTS = [
    (
        42,
        SessionKind.FACE_TO_FACE,
        "Kennismaking. Noor vertelt over drukte op het werk en slecht slapen.",
        "Slaapdagboek bijhouden; volgende keer doelen kiezen.",
    ),
    (
        28,
        SessionKind.VIDEO,
        "Slaapdagboek besproken: vooral op zondagavond laat in slaap.",
        "Elke dag tien minuten wandelen in de pauze.",
    ),
    (
        7,
        SessionKind.PHONE,
        "Kort telefonisch contact: het wandelen lukt drie keer per week.",
        "Ademhalingsoefening uit de toolbox proberen.",
    ),
]


@receiver(demo_seeded, dispatch_uid="dossier_demo")
def seed_demo_dossier(sender, organisation, users, **kwargs):
    coach, coachee = users["coach"], users["coachee_active"]
    trajectory = coachee.trajectories.first()
    if SessionReport.objects.filter(coachee=coachee).exists():
        return
    today = dates.today()
    for days_ago, kind, text, agreements in REPORTS:
        services.add_report(
            coach,
            trajectory,
            held_on=today - datetime.timedelta(days=days_ago),
            minutes=60 if kind != SessionKind.PHONE else 20,
            kind=kind,
            report=text,
            agreements=agreements,
        )
    first = SessionReport.objects.filter(coachee=coachee).order_by("held_on").first()
    services.update_report(
        first,
        coach,
        revision=first.revision,
        held_on=first.held_on,
        minutes=first.minutes,
        kind=first.kind,
        report=first.report + " Ze wil meer rust in de avond.",
        agreements=first.agreements,
    )
    entries = [
        TimeEntry(
            trajectory=trajectory,
            coachee=coachee,
            coach=coach,
            worked_on=max(trajectory.started_on, today - datetime.timedelta(days=days_ago)),
            minutes=minutes,
            activity=activity,
            billable=activity != Activity.OTHER,
        )
        for days_ago, minutes, activity in [
            (42, 60, Activity.SESSION),
            (41, 20, Activity.REPORTING),
            (28, 60, Activity.SESSION),
            (21, 15, Activity.WRITTEN),
            (14, 30, Activity.PREPARATION),
            (7, 20, Activity.SESSION),
            (3, 10, Activity.WRITTEN),
        ]
    ]
    earlier = users["coachee_recent"]
    ended = earlier.trajectories.first()
    entries += [
        TimeEntry(
            trajectory=ended,
            coachee=earlier,
            coach=coach,
            worked_on=ended.started_on + datetime.timedelta(days=days),
            minutes=60 + 15 * (days % 3),
            activity=Activity.SESSION,
        )
        for days in range(7, (ended.ended_on - ended.started_on).days, 14)
    ]
    TimeEntry.objects.bulk_create(entries)
