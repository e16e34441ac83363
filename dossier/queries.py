"""The read side of the dossier: "my coachees" and one coachee's dossier page, each in a
fixed number of queries whatever the number of coachees, reports or items."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.formats import get_format

from dialogue.models import Message
from dialogue.queries import unread_messages
from dossier import access
from dossier.models import SessionKind, TimeEntry
from interventions.models import Assignment, Status
from pluform import dates
from pluform.crypto import datakeys
from pluform.crypto.scopes import library_scope
from pluform.links import link_for
from toolbox.models import Item, Share

PER_PAGE = 50


def _date(value) -> str:
    """A date, or a moment as the date it is where the reader is."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return dateformat.format(value, get_format("DATE_FORMAT"))


def coachee_rows(coach, *, q="", ended=False):
    """The coach's coachees with their trajectory dates, last activity, unread messages and
    interventions waiting for review; running trajectories or ended ones."""
    today = dates.today()
    running = Q(ended_on__isnull=True) | Q(ended_on__gte=today)
    trajectories = access.trajectories_for(coach).filter(coachee=OuterRef("pk"))
    newest = trajectories.order_by("-started_on")
    coachees = access.coachees_for(coach)
    has_running = Exists(trajectories.filter(running))
    coachees = coachees.filter(~has_running if ended else has_running)
    for word in q.split():
        coachees = coachees.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    # Unread in the dialogues of this coach's own trajectories with the coachee.
    unread = (
        unread_messages(coach)
        .filter(dialogue__trajectory__coachee=OuterRef("pk"))
        .values("dialogue__trajectory__coachee")
        .annotate(n=Count("pk"))
    )
    review = Assignment.objects.filter(
        coachee=OuterRef("pk"),
        status=Status.SUBMITTED,
        grants__user=coach,
        grants__permission__codename="review_assignment",
    )
    review_counts = review.order_by().values("coachee").annotate(n=Count("pk")).values("n")
    return (
        coachees.annotate(
            started_on=Subquery(newest.values("started_on")[:1]),
            ended_on=Subquery(newest.values("ended_on")[:1]),
            trajectory_id=Subquery(newest.values("pk")[:1]),
            unread=Coalesce(Subquery(unread.values("n")[:1]), 0),
            to_review=Coalesce(Subquery(review_counts[:1]), 0),
        )
        .only(
            "uuid",
            "first_name",
            "last_name",
            "last_activity_at",
            "processing_restricted_at",
        )
        .order_by("first_name", "last_name", "uuid")
    )


def decorate_coachees(rows) -> None:
    url = link_for("dossier:coachee")
    for row in rows:
        row.url_path = url(row.pk)
        row.name = f"{row.first_name} {row.last_name}"
        row.started_text = _date(row.started_on)
        row.ended_text = _date(row.ended_on)
        row.activity_text = _date(row.last_activity_at)


@dataclass
class Dossier:
    coachee: object
    trajectories: list
    reports: list
    assignments: list
    dialogue: dict
    items: list
    minutes_this_year: int


def dossier(coach, coachee) -> Dossier:
    """Everything the dossier page shows, in a fixed number of queries."""
    trajectories = coachee.shared_trajectories
    reports = list(
        access.reports_for(coach)
        .filter(coachee=coachee)
        .select_related("author")
        .only(
            "id",
            "coachee_id",
            "held_on",
            "minutes",
            "kind",
            "revision",
            "author__first_name",
            "author__last_name",
        )
    )
    kind_labels = {key: str(label) for key, label in SessionKind.choices}
    report_url = link_for("dossier:report")
    for report in reports:
        report.url_path = report_url(report.pk)
        report.kind_text = kind_labels[report.kind]
        report.date_text = _date(report.held_on)
    assignments = list(
        Assignment.objects.filter(
            coachee=coachee,
            grants__user=coach,
            grants__permission__codename="review_assignment",
        )
        .select_related("version")
        .only(
            "id", "status", "due_on", "available_on", "version__title", "version__organisation_id"
        )
        .order_by("-available_on")[:PER_PAGE]
    )
    datakeys.preload({library_scope(a.version.organisation_id) for a in assignments})
    status_labels = dict(Status.choices)
    assignment_url = link_for("interventions:assignment")
    for assignment in assignments:
        assignment.url_path = assignment_url(assignment.pk)
        assignment.status_text = str(status_labels[assignment.status])
        assignment.due_text = _date(assignment.due_on)
    activity = (
        Message.objects.filter(dialogue__trajectory__in=[t.pk for t in trajectories])
        .filter(withdrawn_at__isnull=True, removed_at__isnull=True)
        .aggregate(
            total=Count("pk"),
            by_coachee=Count("pk", filter=Q(author=coachee)),
            last=Max("created_at"),
            last_by_coachee=Max("created_at", filter=Q(author=coachee)),
        )
    )
    items = list(
        Item.objects.filter(
            Exists(Share.objects.filter(content_object=OuterRef("pk"), user=coachee)),
            Exists(
                Share.objects.filter(content_object=OuterRef("pk"), user=coachee, shared_by=coach)
            )
            | Q(owner=coach),
        )
        .only("id", "kind", "title", "owner_id", "owned_by_coachee", "created_at")
        .order_by("-created_at")[:PER_PAGE]
    )
    datakeys.preload({item.encryption_scope() for item in items})
    item_url = link_for("toolbox:item")
    for item in items:
        item.url_path = item_url(item.pk)
    year_minutes = TimeEntry.objects.filter(
        coach=coach, coachee=coachee, worked_on__year=dates.today().year
    ).aggregate(total=Sum("minutes"))["total"]
    return Dossier(
        coachee=coachee,
        trajectories=trajectories,
        reports=reports,
        assignments=assignments,
        dialogue={
            "total": activity["total"],
            "by_coachee": activity["by_coachee"],
            "last_text": _date(activity["last"]),
            "last_by_coachee_text": _date(activity["last_by_coachee"]),
        },
        items=items,
        minutes_this_year=year_minutes or 0,
    )
