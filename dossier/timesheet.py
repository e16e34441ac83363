"""The coach's timesheet: time entries per coachee (added, changed, deleted, or made from a
session report) and the totals of a period.

Refused with a message that says why, storing nothing: less than one minute; more than 24
hours on one day for the coach, across coachees; a date after today; anything for a coachee
whose processing is restricted (their entries stay readable); a new entry for a coachee
without a running trajectory with the coach.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from accounts.models import Trajectory, User
from dossier import access
from dossier.models import MINUTES_PER_DAY, Activity, SessionReport, TimeEntry
from dossier.services import restriction_error
from pluform import dates
from pluform.links import link_for

logger = logging.getLogger(__name__)

PER_PAGE = 50
ENTRY_FIELDS = ("worked_on", "minutes", "activity", "billable", "note")
# What a list row needs: never the note, so a page of entries decrypts nothing.
ROW_FIELDS = (
    "id",
    "coachee_id",
    "worked_on",
    "minutes",
    "activity",
    "billable",
    "source",
    "created_at",
    "coachee__first_name",
    "coachee__last_name",
)


def duration_text(minutes: int) -> str:
    """Minutes as hours and minutes, ``1:05``: the same in every language."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def report_source(report_id) -> str:
    return f"report:{report_id}"


# Who an entry can be for


def _running() -> Q:
    return Q(ended_on__isnull=True) | Q(ended_on__gte=dates.today())


def running_trajectories(coach):
    return access.trajectories_for(coach).filter(_running())


def entry_coachees(coach):
    """The coachees a new entry can be for: those with a running trajectory with ``coach``."""
    running = running_trajectories(coach).filter(coachee=OuterRef("pk"))
    return (
        access.coachees_for(coach)
        .filter(Exists(running))
        .only("uuid", "first_name", "last_name", "processing_restricted_at")
        .order_by("first_name", "last_name", "uuid")
    )


def running_trajectory(coach, coachee) -> Trajectory | None:
    return running_trajectories(coach).filter(coachee=coachee).order_by("-started_on").first()


# Checks


def _check_writable(coachee, coach=None) -> None:
    error = restriction_error(coachee, coach)
    if error is not None:
        raise error


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_fields(worked_on: datetime.date, minutes: int) -> None:
    if minutes < 1:
        raise _field_error("minutes", _("Enter at least one minute."), "too_few")
    if worked_on > dates.today():
        raise _field_error(
            "worked_on", _("Time cannot be recorded for a day in the future."), "future"
        )


def _lock(coach) -> None:
    """Serialises one coach's writes, so two at once cannot pass 24 hours on a day together
    nor enter one suggestion twice."""
    list(User.objects.select_for_update().filter(pk=coach.pk).values_list("pk", flat=True))


def day_minutes(coach, worked_on, *, excluding=None) -> int:
    entries = TimeEntry.objects.filter(coach=coach, worked_on=worked_on)
    if excluding is not None:
        entries = entries.exclude(pk=excluding.pk)
    return entries.aggregate(total=Sum("minutes"))["total"] or 0


def _check_day(coach, worked_on, minutes, *, excluding=None) -> None:
    recorded = day_minutes(coach, worked_on, excluding=excluding)
    if recorded + minutes > MINUTES_PER_DAY:
        message = _(
            "A day has 24 hours: %(recorded)s is recorded on %(date)s already (for all your "
            "coachees together), so at most %(left)s can be added."
        ) % {
            "recorded": duration_text(recorded),
            "date": dates.date_text(worked_on),
            "left": duration_text(max(MINUTES_PER_DAY - recorded, 0)),
        }
        raise _field_error("minutes", message, "day_full")


class AlreadyEntered(ValidationError):
    """This work (a suggestion, a session report) is in the timesheet already."""

    def __init__(self):
        super().__init__(_("This is in your timesheet already."), code="already_entered")


# Writing


@transaction.atomic
def add_entry(
    coach,
    coachee,
    *,
    worked_on,
    minutes,
    activity,
    billable=True,
    note="",
    source="",
    trajectory=None,
) -> TimeEntry:
    """A new entry on ``trajectory`` (by default the coachee's newest running one with the
    coach); ``source`` says what it was made from, so that it is made once."""
    _check_writable(coachee, coach)
    if trajectory is None:
        trajectory = running_trajectory(coach, coachee)
    elif not running_trajectories(coach).filter(pk=trajectory.pk).exists():
        trajectory = None
    if trajectory is None or trajectory.coachee_id != coachee.pk:
        raise ValidationError(
            _("Time can only be added for a coachee whose trajectory with you is running."),
            code="not_running",
        )
    _check_fields(worked_on, minutes)
    if activity not in Activity.values:
        raise _field_error("activity", _("Choose an activity."), "activity")
    _lock(coach)
    if source and TimeEntry.objects.filter(coach=coach, source=source).exists():
        raise AlreadyEntered
    _check_day(coach, worked_on, minutes)
    entry = TimeEntry.objects.create(
        trajectory=trajectory,
        coachee=coachee,
        coach=coach,
        worked_on=worked_on,
        minutes=minutes,
        activity=activity,
        billable=billable,
        note=note,
        source=source,
    )
    logger.info("time entry %s added", entry.pk)
    return entry


@transaction.atomic
def update_entry(entry: TimeEntry, **fields) -> TimeEntry:
    """Changes date, minutes, activity, billable and note; the coachee stays."""
    _check_writable(entry.coachee)
    _check_fields(fields["worked_on"], fields["minutes"])
    _lock(entry.coach)
    _check_day(entry.coach, fields["worked_on"], fields["minutes"], excluding=entry)
    changed = [name for name in ENTRY_FIELDS if getattr(entry, name) != fields[name]]
    for name in changed:
        setattr(entry, name, fields[name])
    if changed:
        entry.save(update_fields=changed)
        logger.info("time entry %s changed", entry.pk)
    return entry


@transaction.atomic
def delete_entry(entry: TimeEntry) -> None:
    _check_writable(entry.coachee)
    entry_id = entry.pk
    entry.delete()
    logger.info("time entry %s deleted", entry_id)


def add_from_report(coach, report: SessionReport) -> TimeEntry:
    """The session of ``report`` as a time entry, once per coach."""
    return add_entry(
        coach,
        report.coachee,
        worked_on=report.held_on,
        minutes=report.minutes,
        activity=Activity.SESSION,
        source=report_source(report.pk),
        trajectory=report.trajectory,
    )


# Reading: one page of entries and the totals of a period, each in a fixed number of queries


def period_entries(coach, start: datetime.date, end: datetime.date):
    return entries_for_period(access.entries_for(coach), start, end)


def entries_for_period(entries, start, end):
    return entries.filter(worked_on__gte=start, worked_on__lte=end)


def entries_page(coach, start, end, page=None):
    entries = (
        period_entries(coach, start, end)
        .select_related("coachee")
        .only(*ROW_FIELDS)
        .order_by("-worked_on", "-created_at", "-pk")
    )
    paged = Paginator(entries, PER_PAGE).get_page(page)
    decorate(paged.object_list)
    return paged


def decorate(entries) -> None:
    """What a row shows, computed once per row with labels translated once."""
    labels = activity_labels()
    edit_url, delete_url = link_for("timesheet:edit"), link_for("timesheet:delete")
    yes, no = _("yes"), _("no")
    for entry in entries:
        entry.edit_path = edit_url(entry.pk)
        entry.delete_path = delete_url(entry.pk)
        entry.date_text = dates.date_text(entry.worked_on)
        entry.activity_text = labels[entry.activity]
        entry.duration_text = duration_text(entry.minutes)
        entry.billable_text = yes if entry.billable else no
        entry.coachee_name = f"{entry.coachee.first_name} {entry.coachee.last_name}"


def activity_labels() -> dict[str, str]:
    return {key: str(label) for key, label in Activity.choices}


@dataclass
class Total:
    label: str
    minutes: int
    billable: int
    count: int

    @property
    def duration_text(self) -> str:
        return duration_text(self.minutes)

    @property
    def billable_text(self) -> str:
        return duration_text(self.billable)


@dataclass
class Totals:
    coachees: list[Total]
    months: list[Total]
    activities: list[Total]
    overall: Total


def _sums():
    return {
        "total": Sum("minutes"),
        "billable_total": Sum("minutes", filter=Q(billable=True)),
        "n": Count("pk"),
    }


def _total(label, row) -> Total:
    return Total(label, row["total"] or 0, row["billable_total"] or 0, row["n"])


def totals(coach, start, end) -> Totals:
    """Minutes (all, and billable) per coachee, per month and per activity: three queries."""
    entries = period_entries(coach, start, end).order_by()
    per_coachee = (
        entries.values("coachee_id", "coachee__first_name", "coachee__last_name")
        .annotate(**_sums())
        .order_by("coachee__first_name", "coachee__last_name", "coachee_id")
    )
    per_month = (
        entries.annotate(month=TruncMonth("worked_on"))
        .values("month")
        .annotate(**_sums())
        .order_by("month")
    )
    per_activity = entries.values("activity").annotate(**_sums())
    labels = activity_labels()
    by_activity = {row["activity"]: row for row in per_activity}
    activities = [
        _total(label, by_activity[key]) for key, label in labels.items() if key in by_activity
    ]
    month_format = get_format("YEAR_MONTH_FORMAT")
    return Totals(
        coachees=[
            _total(f"{row['coachee__first_name']} {row['coachee__last_name']}", row)
            for row in per_coachee
        ],
        months=[_total(dateformat.format(row["month"], month_format), row) for row in per_month],
        activities=activities,
        overall=Total(
            _("Total"),
            sum(total.minutes for total in activities),
            sum(total.billable for total in activities),
            sum(total.count for total in activities),
        ),
    )
