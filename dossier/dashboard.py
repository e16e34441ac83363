"""The home pages: the coach's dashboard and the coachee's start page, each in a fixed number
of queries whatever the number of coachees, messages, assignments, items or time entries.

The coach's dashboard shows counts, names and dates, never content (no message, answer,
report or trajectory title). A coachee whose processing is restricted is left out of every
number and list on it (regulation 1.2.6.4: kept, not processed); it says how many there are.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format, number_format

from accounts.models import Trajectory, User
from dialogue import queries as dialogue_queries
from dialogue.models import Dialogue
from dialogue.queries import unread_messages
from dossier import access
from dossier.charts import hours_chart
from interventions import access as interventions_access
from interventions import queries as interventions_queries
from interventions.queries import State
from pluform import dates
from pluform.crypto import datakeys
from pluform.crypto.scopes import library_scope
from pluform.links import link_for
from toolbox import queries as toolbox_queries

INACTIVE_AFTER = datetime.timedelta(days=30)
ENDING_WITHIN = datetime.timedelta(days=30)
CHART_MONTHS = 12
# Lists on a home page stop here and link to their full page.
LIST_LIMIT = 10
SHARED_LIMIT = 5


def hours_text(minutes: int) -> str:
    """Minutes as hours with one decimal, in the reader's number format."""
    return number_format(minutes / 60, decimal_pos=1)


# The coach


@dataclass
class Person:
    """A coachee as a row of the dashboard: values worked out once, not by tags per row."""

    pk: object
    name: str
    url: str
    count: int = 0
    date_text: str = ""
    link: str = ""


@dataclass
class Month:
    first_day: datetime.date
    minutes: int
    label: str  # "January 2025", for the table
    short: str  # "Jan", under the bar
    hours: str = ""


@dataclass
class CoachDashboard:
    active_count: int
    inactive: list[Person]
    inactive_count: int
    restricted_count: int
    unread: list[Person]  # coachees with unread messages in their one-to-one dialogue
    unread_more: int
    unread_in_groups: int
    unread_total: int
    to_review: int
    overdue: int
    minutes_this_month: int
    months: list[Month]
    ending: list[Person]
    chart: str = ""
    hours_this_month: str = field(init=False)

    def __post_init__(self):
        self.hours_this_month = hours_text(self.minutes_this_month)


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _coachees(coach, today):
    """The coachees of the coach's running trajectories: name, activity and restriction."""
    running = access.trajectories_for(coach).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    )
    return list(
        User.objects.filter(pk__in=running.values("coachee_id"))
        .only("uuid", "first_name", "last_name", "last_activity_at", "processing_restricted_at")
        .order_by("first_name", "last_name", "uuid")
    )


def _unread(coach, coachee_url):
    """Unread messages per coachee (their one-to-one dialogues) and in groups, in one query
    grouped by dialogue."""
    rows = (
        unread_messages(coach)
        .values(
            "dialogue_id",
            "dialogue__kind",
            "dialogue__trajectory__coachee_id",
            "dialogue__trajectory__coachee__first_name",
            "dialogue__trajectory__coachee__last_name",
            "dialogue__trajectory__coachee__processing_restricted_at",
        )
        .annotate(count=Count("pk"))
    )
    people, in_groups = {}, 0
    detail = link_for("dialogue:detail")
    inbox = reverse("dialogue:inbox")
    for row in rows:
        if row["dialogue__kind"] == Dialogue.Kind.GROUP:
            in_groups += row["count"]
            continue
        if row["dialogue__trajectory__coachee__processing_restricted_at"] is not None:
            continue
        pk = row["dialogue__trajectory__coachee_id"]
        person = people.get(pk)
        if person is None:
            name = (
                f"{row['dialogue__trajectory__coachee__first_name']} "
                f"{row['dialogue__trajectory__coachee__last_name']}"
            )
            people[pk] = Person(
                pk=pk,
                name=name,
                url=coachee_url(pk),
                count=row["count"],
                link=detail(row["dialogue_id"]),
            )
        else:  # more than one trajectory with this coach: the inbox shows them together
            person.count += row["count"]
            person.link = f"{inbox}?coachee={pk}"
    return sorted(people.values(), key=lambda p: (-p.count, p.name)), in_groups


def _interventions(coach, today) -> dict:
    filters = interventions_queries.state_filters(today)
    return (
        interventions_access.assignments_for(coach)
        .filter(coachee__processing_restricted_at__isnull=True)
        .aggregate(
            review=Count("pk", filter=filters[State.REVIEW]),
            overdue=Count("pk", filter=filters[State.OVERDUE]),
        )
    )


def _months(coach, today) -> list[Month]:
    """The coach's minutes in each of the past ``CHART_MONTHS`` months, this one last."""
    first = _month_start(today, CHART_MONTHS - 1)
    following = _month_start(today, -1)
    totals = dict(
        access.entries_for(coach)
        .filter(
            worked_on__gte=first,
            worked_on__lt=following,
            coachee__processing_restricted_at__isnull=True,
        )
        .annotate(month=TruncMonth("worked_on"))
        .order_by()
        .values("month")
        .annotate(minutes=Sum("minutes"))
        .values_list("month", "minutes")
    )
    totals = {_as_date(month): minutes for month, minutes in totals.items()}
    long_fmt, short_fmt = get_format("YEAR_MONTH_FORMAT"), "M"
    months = []
    for back in range(CHART_MONTHS - 1, -1, -1):
        day = _month_start(today, back)
        minutes = totals.get(day, 0) or 0
        months.append(
            Month(
                first_day=day,
                minutes=minutes,
                label=dateformat.format(day, long_fmt),
                short=dateformat.format(day, short_fmt),
                hours=hours_text(minutes),
            )
        )
    return months


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _ending(coach, today, coachee_url) -> list[Person]:
    trajectories = (
        access.trajectories_for(coach)
        .filter(
            ended_on__gte=today,
            ended_on__lte=today + ENDING_WITHIN,
            coachee__processing_restricted_at__isnull=True,
        )
        .select_related("coachee")
        .only("uuid", "ended_on", "coachee__uuid", "coachee__first_name", "coachee__last_name")
        .order_by("ended_on", "coachee__first_name", "coachee__last_name")[:LIST_LIMIT]
    )
    return [
        Person(
            pk=t.coachee_id,
            name=t.coachee.get_full_name(),
            url=coachee_url(t.coachee_id),
            date_text=dates.date_text(t.ended_on),
        )
        for t in trajectories
    ]


def for_coach(coach) -> CoachDashboard:
    """Everything the coach's dashboard shows: five queries."""
    today = dates.today()
    coachee_url = link_for("dossier:coachee")
    quiet_since = timezone.now() - INACTIVE_AFTER

    active_count, restricted_count, inactive = 0, 0, []
    for coachee in _coachees(coach, today):
        if coachee.processing_restricted:
            restricted_count += 1
        elif coachee.last_activity_at and coachee.last_activity_at >= quiet_since:
            active_count += 1
        else:
            inactive.append(coachee)
    # The longest quiet first; never seen at all before everyone else.
    inactive.sort(key=lambda c: (c.last_activity_at is not None, c.last_activity_at or 0))
    inactive_rows = [
        Person(
            pk=c.pk,
            name=c.get_full_name(),
            url=coachee_url(c.pk),
            date_text=dates.date_text(c.last_activity_at),
        )
        for c in inactive[:LIST_LIMIT]
    ]

    unread, in_groups = _unread(coach, coachee_url)
    counts = _interventions(coach, today)
    months = _months(coach, today)
    return CoachDashboard(
        active_count=active_count,
        inactive=inactive_rows,
        inactive_count=len(inactive),
        restricted_count=restricted_count,
        unread=unread[:LIST_LIMIT],
        unread_more=max(len(unread) - LIST_LIMIT, 0),
        unread_in_groups=in_groups,
        unread_total=sum(p.count for p in unread) + in_groups,
        to_review=counts["review"],
        overdue=counts["overdue"],
        minutes_this_month=months[-1].minutes,
        months=months,
        ending=_ending(coach, today, coachee_url),
        chart=hours_chart(months),
    )


# The coachee


@dataclass
class CoacheeStart:
    unread: list  # dialogues with ``unread``, ``url`` and a label
    assignments: list
    more_assignments: bool
    shared: list
    trajectories: list


def _trajectories(coachee) -> list:
    trajectories = list(
        Trajectory.objects.filter(coachee=coachee)
        .only("uuid", "coachee_id", "started_on", "ended_on")
        .prefetch_related(
            Prefetch(
                "coaches",
                queryset=User.objects.only("uuid", "first_name", "last_name").order_by(
                    "first_name", "last_name"
                ),
            )
        )
        .order_by("-started_on")
    )
    for trajectory in trajectories:
        coaches = trajectory.coaches.all()
        trajectory.coach_names = ", ".join(c.get_full_name() for c in coaches)
        trajectory.coach_count = len(coaches)
        trajectory.started_text = dates.date_text(trajectory.started_on)
        trajectory.ended_text = dates.date_text(trajectory.ended_on)
        trajectory.running = trajectory.is_active
    return trajectories


def for_coachee(coachee) -> CoacheeStart:
    """Everything the coachee's start page shows, with the keys of every title on it loaded
    in one query."""
    dialogues = list(dialogue_queries.inbox_for(coachee).filter(unread__gt=0)[:LIST_LIMIT])
    assignments = list(interventions_queries.coachee_open(coachee)[: LIST_LIMIT + 1])
    more_assignments = len(assignments) > LIST_LIMIT
    assignments = assignments[:LIST_LIMIT]
    shared = list(
        toolbox_queries.section_queryset(coachee, toolbox_queries.Section.RECEIVED).order_by(
            "-shared_at", "-id"
        )[:SHARED_LIMIT]
    )
    datakeys.preload(
        {d.scope for d in dialogues if d.is_group}
        | {library_scope(a.version.organisation_id) for a in assignments}
        | {item.encryption_scope() for item in shared}
    )
    dialogue_queries.label_all(dialogues, coachee)
    interventions_queries.decorate(assignments, show_coachee=False)
    toolbox_queries.decorate(shared, coachee)
    return CoacheeStart(
        unread=dialogues,
        assignments=assignments,
        more_assignments=more_assignments,
        shared=shared,
        trajectories=_trajectories(coachee),
    )
