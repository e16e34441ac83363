"""The access log a data subject reads: what was done with their own data, and by whom.

Only a coach's and a coachee's own events (``subject_uuid``) are listed. Who did it is shown
in words: a coach or coachee by name, Pluform's staff only as "Pluform IT" with the kind of
access (never a staff member's name), the system as "Pluform (automatic)".
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from accounts.roles import CONTENT_ROLES, STAFF_ROLES, Role
from privacy.audit_labels import SYSTEM, object_type_label, role_label
from privacy.audit_models import Action, AuditEvent, Outcome

PER_PAGE = 50

# The columns a page needs: rows are described in Python, so nothing else is read.
_FIELDS = (
    "uuid",
    "at",
    "action",
    "outcome",
    "actor",
    "actor_uuid",
    "actor_role",
    "object_type",
    "detail",
    "actor__first_name",
    "actor__last_name",
)


def may_read_access_log(user) -> bool:
    """Coaches and coachees read what was done with their own data; no other role has any."""
    return user.is_authenticated and user.role in CONTENT_ROLES


def require_reader(user) -> None:
    if not may_read_access_log(user):
        raise Http404


def events_for(user, *, include_own: bool = False):
    """The events about ``user``'s data, newest first; without their own actions unless asked.

    One query per page (the actor joined), plus the paginator's count.
    """
    if not may_read_access_log(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(subject_uuid=user.uuid)
    if not include_own:
        events = events.exclude(actor_uuid=user.uuid)
    return events.select_related("actor").only(*_FIELDS).order_by("-at", "-uuid")


@dataclass(frozen=True)
class Row:
    at: object
    who: str
    what: str
    outcome: str
    data: str
    step: str


def who_text(event, viewer) -> str:
    """The actor in words, never a Pluform staff member's name."""
    role = event.actor_role
    if role == SYSTEM or (not role and event.actor_uuid is None):
        return _("Pluform (automatic)")
    if event.actor_uuid is not None and event.actor_uuid == viewer.uuid:
        return _("You")
    if role in STAFF_ROLES:
        return _("Pluform IT (%(access)s)") % {"access": role_label(role)}
    if role == Role.ORG_MANAGER:
        return _("Your organisation's manager")
    if role in CONTENT_ROLES and event.actor is not None:
        return event.actor.get_full_name()
    # The actor's account was deleted (or the role is unknown): what they were, not who.
    return str(role_label(role) or _("Pluform (automatic)"))


def what_text(event) -> str:
    return str(Action(event.action).label) if event.action in Action.values else event.action


def outcome_text(event) -> str:
    """ "" when it succeeded; "denied" or "failed" otherwise."""
    if event.outcome == Outcome.OK or event.outcome not in Outcome.values:
        return ""
    return str(Outcome(event.outcome).label)


def step_text(detail: str) -> str:
    """``"access: forwarded"`` (as privacy.requests records it) in the reader's words."""
    from privacy.request_models import Kind, Step

    kind, _colon, step = detail.partition(": ")
    if kind in Kind.values and step in Step.values:
        return f"{Kind(kind).label}: {Step(step).label}"
    return detail


def describe(events, viewer) -> list[Row]:
    """One row per event, in words in the active language."""
    return [
        Row(
            at=event.at,
            who=who_text(event, viewer),
            what=what_text(event),
            outcome=outcome_text(event),
            data=str(object_type_label(event.object_type) or ""),
            step=step_text(event.detail) if event.action == Action.REQUEST_STEP else "",
        )
        for event in events
    ]
