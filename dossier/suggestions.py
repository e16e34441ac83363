"""Time entries suggested from what the coach actually did in one ISO week: the messages they
wrote in a coachee's one-to-one dialogue (per coachee per day), the interventions they
reviewed and the session reports they wrote. Nothing is entered until the coach accepts;
what is entered or dismissed is not suggested again (each suggestion has a stable source
key). Coachees whose processing is restricted, or whose trajectory with the coach has ended,
are left out.

The suggestions of a week cost a fixed number of queries, whatever the work in it.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dialogue.models import Dialogue, Message
from dossier.models import (
    MINUTES_PER_DAY,
    Activity,
    DismissedSuggestion,
    SessionReport,
    SuggestionRule,
    TimeEntry,
)
from dossier.timesheet import add_entry, report_source, running_trajectories
from interventions.models import Assignment, Status
from pluform.links import link_for

WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


class Kind:
    MESSAGES = "messages"
    REVIEW = "review"
    REPORT = "report"


@dataclass
class Suggestion:
    source: str
    kind: str
    coachee_id: object
    coachee_name: str
    worked_on: datetime.date
    minutes: int
    activity: str
    count: int = 1
    link: str = ""


# Weeks


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s ISO week."""
    return day - datetime.timedelta(days=day.weekday())


def this_week() -> datetime.date:
    return week_of(timezone.localdate())


def parse_week(text: str | None) -> datetime.date | None:
    """The Monday of ``2026-W48``; None for anything else, or a week after this one."""
    match = WEEK.match((text or "").strip())
    if not match:
        return None
    try:
        monday = datetime.date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return monday if monday <= this_week() else None


def week_text(monday: datetime.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def _bounds(monday: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The week from Monday 0:00 to the next Monday 0:00, in the user's time zone."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min), zone)
    next_monday = monday + datetime.timedelta(days=7)
    end = timezone.make_aware(datetime.datetime.combine(next_monday, datetime.time.min), zone)
    return start, end


# The rule


def rule_for(coach) -> SuggestionRule:
    """The coach's rule, or the defaults (unsaved) until they set one."""
    return SuggestionRule.objects.filter(coach=coach).first() or SuggestionRule(coach=coach)


def save_rule(coach, *, minutes_per_message: int, minutes_per_review: int) -> SuggestionRule:
    rule, _created = SuggestionRule.objects.update_or_create(
        coach=coach,
        defaults={
            "minutes_per_message": minutes_per_message,
            "minutes_per_review": minutes_per_review,
        },
    )
    return rule


# What the coach did


def _eligible(coach):
    """Running trajectories with the coach of coachees who are not restricted."""
    return running_trajectories(coach).filter(coachee__processing_restricted_at__isnull=True)


def _name(row, prefix) -> str:
    return f"{row[prefix + '__first_name']} {row[prefix + '__last_name']}"


def _messages(coach, eligible, start, end, rule) -> list[Suggestion]:
    coachee = "dialogue__trajectory__coachee"
    rows = (
        Message.objects.order_by()
        .filter(
            author=coach,
            dialogue__kind=Dialogue.Kind.ONE_TO_ONE,
            dialogue__trajectory__in=eligible,
            created_at__gte=start,
            created_at__lt=end,
            withdrawn_at__isnull=True,
            removed_at__isnull=True,
        )
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values(f"{coachee}_id", f"{coachee}__first_name", f"{coachee}__last_name", "day")
        .annotate(n=Count("pk"))
    )
    return [
        Suggestion(
            source=f"{Kind.MESSAGES}:{row[f'{coachee}_id']}:{row['day'].isoformat()}",
            kind=Kind.MESSAGES,
            coachee_id=row[f"{coachee}_id"],
            coachee_name=_name(row, coachee),
            worked_on=row["day"],
            minutes=min(row["n"] * rule.minutes_per_message, MINUTES_PER_DAY),
            activity=Activity.WRITTEN,
            count=row["n"],
        )
        for row in rows
    ]


def _reviews(coach, eligible, start, end, rule) -> list[Suggestion]:
    rows = (
        Assignment.objects.order_by()
        .filter(
            trajectory__in=eligible,
            status=Status.REVIEWED,
            reviewed_by=coach,
            reviewed_at__gte=start,
            reviewed_at__lt=end,
        )
        .values("pk", "coachee_id", "coachee__first_name", "coachee__last_name", "reviewed_at")
    )
    url = link_for("interventions:assignment")
    return [
        Suggestion(
            source=f"{Kind.REVIEW}:{row['pk']}",
            kind=Kind.REVIEW,
            coachee_id=row["coachee_id"],
            coachee_name=_name(row, "coachee"),
            worked_on=timezone.localdate(row["reviewed_at"]),
            minutes=rule.minutes_per_review,
            activity=Activity.WRITTEN,
            link=url(row["pk"]),
        )
        for row in rows
    ]


def _reports(coach, eligible, monday) -> list[Suggestion]:
    rows = (
        SessionReport.objects.order_by()
        .filter(
            author=coach,
            trajectory__in=eligible,
            held_on__gte=monday,
            held_on__lt=monday + datetime.timedelta(days=7),
        )
        .values(
            "pk", "coachee_id", "coachee__first_name", "coachee__last_name", "held_on", "minutes"
        )
    )
    url = link_for("dossier:report")
    return [
        Suggestion(
            source=report_source(row["pk"]),
            kind=Kind.REPORT,
            coachee_id=row["coachee_id"],
            coachee_name=_name(row, "coachee"),
            worked_on=row["held_on"],
            minutes=min(row["minutes"], MINUTES_PER_DAY),
            activity=Activity.SESSION,
            link=url(row["pk"]),
        )
        for row in rows
    ]


def _closed(coach, sources) -> set[str]:
    """The sources among ``sources`` that are entered or dismissed already: one query."""
    if not sources:
        return set()
    entered = TimeEntry.objects.filter(coach=coach, source__in=sources).values_list("source")
    dismissed = DismissedSuggestion.objects.filter(coach=coach, source__in=sources).values_list(
        "source"
    )
    return {source for (source,) in entered.order_by().union(dismissed.order_by())}


KIND_ORDER = {Kind.REPORT: 0, Kind.MESSAGES: 1, Kind.REVIEW: 2}


def suggestions(coach, monday: datetime.date, rule: SuggestionRule | None = None) -> list:
    """The open suggestions of the week that starts on ``monday``, by day and coachee."""
    rule = rule or rule_for(coach)
    eligible = _eligible(coach)
    start, end = _bounds(monday)
    found = [
        *_reports(coach, eligible, monday),
        *_messages(coach, eligible, start, end, rule),
        *_reviews(coach, eligible, start, end, rule),
    ]
    closed = _closed(coach, [suggestion.source for suggestion in found])
    open_ = [suggestion for suggestion in found if suggestion.source not in closed]
    open_.sort(key=lambda s: (s.worked_on, s.coachee_name.casefold(), KIND_ORDER[s.kind]))
    return open_


def find(coach, monday, source: str) -> Suggestion:
    """The open suggestion ``source`` of that week, or a ValidationError that says why not."""
    for suggestion in suggestions(coach, monday):
        if suggestion.source == source:
            return suggestion
    raise ValidationError(
        _("This suggestion is no longer open: it was added, dismissed or changed meanwhile."),
        code="not_open",
    )


# Accepting and dismissing


def accept(coach, suggestion: Suggestion, *, minutes, activity, billable) -> TimeEntry:
    """The suggestion as a time entry, as the coach has it (minutes, activity, billable)."""
    coachee = User.objects.get(pk=suggestion.coachee_id)
    return add_entry(
        coach,
        coachee,
        worked_on=suggestion.worked_on,
        minutes=minutes,
        activity=activity,
        billable=billable,
        source=suggestion.source,
    )


@transaction.atomic
def dismiss(coach, suggestion: Suggestion) -> None:
    DismissedSuggestion.objects.get_or_create(coach=coach, source=suggestion.source)
