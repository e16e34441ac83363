"""The lists of requests: Pluform's queue with its filters, and what each row shows."""

from django.db.models.functions import Coalesce
from django.utils.http import urlencode

from accounts.roles import Role
from privacy.request_models import OPEN_STATUSES, Kind, Status

FILTERS = ("kind", "status", "due_before", "overdue")


def filtered(requests, filters: dict, today):
    """Filters on the request's own columns only: type, status and due date."""
    if filters.get("kind"):
        requests = requests.filter(kind=filters["kind"])
    if filters.get("status"):
        requests = requests.filter(status=filters["status"])
    else:
        requests = requests.filter(status__in=OPEN_STATUSES)
    if filters.get("overdue"):
        requests = requests.overdue(today)
    requests = requests.annotate(deadline_on=Coalesce("extended_due_on", "due_on"))
    if filters.get("due_before"):
        requests = requests.filter(deadline_on__lt=filters["due_before"])
    return requests.order_by("deadline_on", "received_at")


HELD_SHOWN = 10


def decorated(requests, today) -> list:
    """Rows with their labels translated once per list, not once per row and field."""
    kinds, statuses, roles = dict(Kind.choices), dict(Status.choices), dict(Role.choices)
    rows = list(requests)
    for row in rows:
        row.overdue = row.is_overdue(today)
        row.days_left = (row.deadline - today).days
        row.kind_label = kinds.get(row.kind, row.kind)
        row.status_label = statuses.get(row.status, row.status)
        row.subject_role_label = roles.get(row.subject.role, row.subject.role)
    return rows


def held(user, today) -> tuple[list, int]:
    """The first requests waiting for ``user``, soonest due first, and how many there are."""
    from privacy import access

    waiting = access.held_by(user).order_by(Coalesce("extended_due_on", "due_on"), "received_at")
    rows = decorated(waiting[:HELD_SHOWN], today)
    return rows, len(rows) if len(rows) < HELD_SHOWN else waiting.count()


def query_string(params) -> str:
    kept = {name: params[name] for name in FILTERS if params.get(name)}
    return f"{urlencode(kept)}&" if kept else ""


def waiting_for(user) -> dict:
    """What the home page shows: requests whose next step is the user's, (for a coachee) the
    consent questions they have not answered and (for a coach) coachees who left Pluform."""
    from privacy import access, departures
    from privacy.consent_models import Consent

    held = list(access.held_by(user)[:20])
    consents = []
    left = []
    if user.role == "coachee":
        consents = list(access.consents_for(user).filter(state=Consent.State.PENDING))
    elif user.role == "coach":
        left = departures.unseen(user)
    return {"held": held, "consents": consents, "departures": left}
