"""The read side: review list, the coachee's lists, an assignment's answers and a series'
progress, each in a fixed number of queries whatever the number of items or steps."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import dateformat
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from interventions import access, services
from interventions.charts import scale_chart
from interventions.content import QuestionContent
from interventions.models import OPEN_STATUSES, Assignment, QuestionKind, Status, StepAnswer
from pluform import dates
from pluform.crypto import datakeys
from pluform.crypto.scopes import library_scope
from pluform.links import link_for

PER_PAGE = 50

LIST_FIELDS = (
    "id",
    "status",
    "due_on",
    "available_on",
    "submitted_at",
    "reviewed_at",
    "changed_at",
    "series_id",
    "coachee_id",
    "version__title",
    "version__number",
    "version__organisation_id",
)


class State:
    """The review list's tabs."""

    OPEN = "open"
    REVIEW = "review"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    PLANNED = "planned"
    REVIEWED = "reviewed"


def state_filters(today: datetime.date) -> dict:
    available = Q(available_on__lte=today)
    return {
        State.OPEN: available & Q(status__in=[*OPEN_STATUSES, Status.SUBMITTED]),
        State.REVIEW: Q(status=Status.SUBMITTED),
        State.OVERDUE: available & Q(status__in=OPEN_STATUSES, due_on__lt=today),
        State.IN_PROGRESS: Q(status=Status.IN_PROGRESS),
        State.NOT_STARTED: available & Q(status=Status.ASSIGNED),
        State.PLANNED: Q(available_on__gt=today),
        State.REVIEWED: Q(status=Status.REVIEWED),
    }


def state_labels() -> dict:
    return {
        State.OPEN: _("Needs attention"),
        State.REVIEW: _("Waiting for review"),
        State.OVERDUE: _("Overdue"),
        State.IN_PROGRESS: _("In progress"),
        State.NOT_STARTED: _("Not started"),
        State.PLANNED: _("Planned"),
        State.REVIEWED: _("Reviewed"),
    }


def _priority(today):
    return Case(
        When(status=Status.SUBMITTED, then=Value(0)),
        When(status__in=OPEN_STATUSES, due_on__lt=today, then=Value(1)),
        When(status=Status.IN_PROGRESS, then=Value(2)),
        When(status=Status.ASSIGNED, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def library(coach, *, archived: bool, language: str = ""):
    """The coach's own templates, their colleagues' shared ones and the starter set (those in
    ``language`` first), with the fields the library page shows: three lists from one query."""
    templates = list(
        access.templates_for(coach)
        .filter(archived_at__isnull=not archived)
        .select_related("owner")
        .only(
            "id",
            "organisation_id",
            "owner_id",
            "owner__first_name",
            "owner__last_name",
            "title",
            "shared",
            "starter",
            "language",
            "changed_at",
            "version_count",
            "archived_at",
        )
    )
    own = [t for t in templates if t.owner_id == coach.pk]
    colleagues = [t for t in templates if t.owner_id and t.owner_id != coach.pk]
    starters = sorted(
        (t for t in templates if t.is_starter), key=lambda t: (t.language != language, t.language)
    )
    return own, colleagues, starters


def review_list(coach, *, coachee=None, state=State.OPEN):
    today = dates.today()
    queryset = access.assignments_for(coach)
    if coachee is not None:
        queryset = queryset.filter(coachee=coachee)
    return (
        queryset.filter(state_filters(today)[state])
        .select_related("version", "coachee")
        .only(*LIST_FIELDS, "coachee__first_name", "coachee__last_name")
        .annotate(priority=_priority(today))
        .order_by("priority", "due_on", "available_on", "id")
    )


def state_counts(coach, *, coachee=None) -> dict:
    """How many assignments each tab holds, in one query."""
    queryset = access.assignments_for(coach)
    if coachee is not None:
        queryset = queryset.filter(coachee=coachee)
    filters = state_filters(dates.today())
    return queryset.aggregate(**{name: Count("pk", filter=q) for name, q in filters.items()})


def review_coachees(coach):
    return (
        User.objects.filter(
            role=Role.COACHEE, assignments__in=access.assignments_for(coach).values("pk")
        )
        .only("uuid", "first_name", "last_name", "role")
        .distinct()
        .order_by("first_name", "last_name")
    )


def decorate(assignments, *, show_coachee: bool) -> None:
    """Per-row values worked out once here rather than by template tags per row: labels
    translated once per list, dates formatted with the format looked up once."""
    datakeys.preload({library_scope(a.version.organisation_id) for a in assignments})
    detail_url = link_for("interventions:assignment")
    series_url = link_for("interventions:series")
    today = dates.today()
    date_fmt = get_format("DATE_FORMAT")
    labels = {value: str(label) for value, label in Status.choices}
    planned, overdue = _("Planned"), _("Overdue")
    for assignment in assignments:
        status = assignment.status
        if assignment.available_on > today:
            assignment.status_text, assignment.css = planned, "status-" + status
        elif status in OPEN_STATUSES and assignment.due_on and assignment.due_on < today:
            assignment.status_text, assignment.css = overdue, "status-overdue"
        else:
            assignment.status_text, assignment.css = labels[status], "status-" + status
        assignment.url = detail_url(assignment.pk)
        assignment.title = assignment.version.title
        due = assignment.due_on
        assignment.due_text = dateformat.format(due, date_fmt) if due else ""
        assignment.due_iso = due.isoformat() if due else ""
        assignment.available_text = dateformat.format(assignment.available_on, date_fmt)
        assignment.series_url = series_url(assignment.series_id) if assignment.series_id else ""
        if show_coachee:
            assignment.coachee_name = assignment.coachee.get_full_name()


def coachee_open(coachee):
    return (
        access.assignments_for(coachee)
        .filter(status__in=OPEN_STATUSES)
        .select_related("version")
        .only(*LIST_FIELDS)
        .order_by("due_on", "available_on", "id")
    )


def coachee_finished(coachee):
    return (
        access.assignments_for(coachee)
        .filter(status__in=[Status.SUBMITTED, Status.REVIEWED])
        .select_related("version")
        .only(*LIST_FIELDS, "has_feedback")
        .order_by("-changed_at", "id")
    )


# One assignment


@dataclass
class ShownAnswer:
    question: QuestionContent
    text: str = ""
    values: list = field(default_factory=list)
    file: object = None


@dataclass
class ShownStep:
    number: int
    key: str
    text: str
    answers: list[ShownAnswer]
    saved_at: object = None
    feedback: str = ""
    missing_required: bool = False
    url: str = ""


def _shown_answer(question, value, files) -> ShownAnswer:
    shown = ShownAnswer(question=question)
    if value is None:
        return shown
    if question.kind == QuestionKind.FILE:
        shown.file = files.get(value)
    elif question.kind == QuestionKind.MULTIPLE_CHOICE:
        shown.values = list(value)
    elif question.kind == QuestionKind.DATE:
        shown.text = date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
    else:
        shown.text = str(value)
    return shown


def assignment_steps(assignment: Assignment) -> list[ShownStep]:
    """Each step of the assignment's version with the stored answers and feedback."""
    answers = services.answers_by_step(assignment)
    files = services.files_by_id(assignment)
    step_url = link_for("interventions:step", assignment.pk)
    shown = []
    for number, step in enumerate(assignment.version.parsed.steps, start=1):
        answer = answers.get(step.key)
        stored = answer.value_map if answer else {}
        shown.append(
            ShownStep(
                number=number,
                key=step.key,
                text=step.text,
                answers=[_shown_answer(q, stored.get(q.key), files) for q in step.questions],
                saved_at=answer.saved_at if answer else None,
                feedback=answer.feedback if answer else "",
                missing_required=any(q.required and q.key not in stored for q in step.questions),
                url=step_url(step.key),
            )
        )
    return shown


# Series


@dataclass
class Chart:
    question: QuestionContent
    points: list  # (date, value)
    svg: str = ""


def series_occurrences(user, series):
    """The occurrences of a series that ``user`` may see, oldest first."""
    return (
        access.assignments_for(user)
        .filter(series=series)
        .select_related("version")
        .only(*LIST_FIELDS)
        .order_by("available_on")
    )


def series_charts(series, assignments) -> list[Chart]:
    """One chart per scale question: the answers of each occurrence, in date order."""
    by_assignment = {}
    answers = StepAnswer.objects.filter(assignment__in=[a.pk for a in assignments])
    occurrences = {a.pk: a for a in assignments}
    for answer in answers:
        answer.assignment = occurrences[answer.assignment_id]
        by_assignment.setdefault(answer.assignment_id, {}).update(answer.value_map)
    charts = []
    for question in series.version.parsed.questions():
        if question.kind != QuestionKind.SCALE:
            continue
        points = [
            (a.available_on, by_assignment[a.pk][question.key])
            for a in assignments
            if question.key in by_assignment.get(a.pk, {})
        ]
        chart = Chart(question=question, points=points)
        chart.svg = scale_chart(question, points)
        charts.append(chart)
    return charts
