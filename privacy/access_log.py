"""The access log a data subject reads: what was done with their own data, and by whom.

Only a coach's and a coachee's own events (``subject_uuid``) are listed, and for a coach also
the break-glass reads of their coachees' data (regulation 1.2.5.3). Who did it is shown
in words: a coach or coachee by name, Pluform's staff only as "Pluform IT" with the kind of
access (never a staff member's name), the system as "Pluform (automatic)".
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Trajectory, User
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
    "subject_uuid",
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
    about = Q(subject_uuid=user.uuid)
    if user.role == Role.COACH:
        coachees = Trajectory.objects.filter(coaches=user).values("coachee_id")
        about |= Q(action=Action.BREAK_GLASS, subject_uuid__in=coachees)
    events = AuditEvent.objects.filter(about)
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


BREAK_GLASS_STEPS = {
    "requested": gettext_lazy("asked for"),
    "approved": gettext_lazy("approved"),
    "refused": gettext_lazy("refused"),
    "ended": gettext_lazy("ended early"),
}


def break_glass_text(event, viewer, names, titles) -> str:
    """What the break-glass event was, and for a coach whose data: the step in words, or for a
    read the section's title (``titles``: section name to title)."""
    what, _colon, section_name = event.detail.partition(": ")
    if what == "read":
        text = str(titles.get(section_name, section_name))
    else:
        text = str(BREAK_GLASS_STEPS.get(what, what))
    if event.subject_uuid != viewer.uuid:
        text = f"{names.get(event.subject_uuid, '')}: {text}"
    return text


def _coachee_names(events, viewer) -> dict:
    others = {e.subject_uuid for e in events if e.subject_uuid and e.subject_uuid != viewer.uuid}
    if not others:
        return {}
    return {user.uuid: user.get_full_name() for user in User.objects.filter(uuid__in=others)}


def _section_titles() -> dict:
    from privacy import subject_data

    return {section.name: section.title for section in subject_data.sections()}


def _step(event, viewer, names, titles) -> str:
    if event.action == Action.REQUEST_STEP:
        return step_text(event.detail)
    if event.action == Action.BREAK_GLASS:
        return break_glass_text(event, viewer, names, titles)
    return ""


def describe(events, viewer) -> list[Row]:
    """One row per event, in words in the active language."""
    events = list(events)
    names = _coachee_names(events, viewer)
    titles = _section_titles()
    return [
        Row(
            at=event.at,
            who=who_text(event, viewer),
            what=what_text(event),
            outcome=outcome_text(event),
            data=str(object_type_label(event.object_type) or ""),
            step=_step(event, viewer, names, titles),
        )
        for event in events
    ]
