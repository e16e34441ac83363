"""The read side of the dossier: "my coachees" and one coachee's dossier page, each in a
fixed number of queries whatever the number of coachees, reports or items."""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from dialogue.models import Message
from dialogue.queries import unread_messages
from dossier import access
from dossier.models import SessionKind, TimeEntry
from interventions import access as interventions_access
from interventions.models import Status
from pluform import dates
from pluform.crypto import datakeys
from pluform.crypto.scopes import library_scope
from pluform.links import link_for
from privacy import consent
from toolbox import access as toolbox_access

PER_PAGE = 50


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
    review = interventions_access.assignments_for(coach).filter(
        coachee=OuterRef("pk"), status=Status.SUBMITTED
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
        row.started_text = dates.date_text(row.started_on)
        row.ended_text = dates.date_text(row.ended_on)
        row.activity_text = dates.date_text(row.last_activity_at)


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
        report.date_text = dates.date_text(report.held_on)
    assignments = list(
        interventions_access.assignments_for(coach)
        .filter(coachee=coachee)
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
        assignment.due_text = dates.date_text(assignment.due_on)
    readable = consent.trajectories_of(coach, "dialogue").filter(
        pk__in=[t.pk for t in trajectories]
    )
    activity = (
        Message.objects.filter(dialogue__trajectory__in=readable)
        .exclude(consent.before_consent(coach, trajectory_field="dialogue__trajectory"))
        .filter(withdrawn_at__isnull=True, removed_at__isnull=True)
        .aggregate(
            total=Count("pk"),
            by_coachee=Count("pk", filter=Q(author=coachee)),
            last=Max("created_at"),
            last_by_coachee=Max("created_at", filter=Q(author=coachee)),
        )
    )
    items = list(
        toolbox_access.shared_with_coachee(coach, coachee)
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
            "last_text": dates.date_text(activity["last"]),
            "last_by_coachee_text": dates.date_text(activity["last_by_coachee"]),
        },
        items=items,
        minutes_this_year=year_minutes or 0,
    )
