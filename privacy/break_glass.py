"""Break-glass grants: requested by the ICT line manager, decided by an IT administrator who
is not the requester, active for the approved window only. While a grant is active, the ICT
line manager reads the subject's data through ``privacy.subject_data`` (the same sections
as an access request), read-only; every page read is a ``BREAK_GLASS`` audit event, which
the subject and (for a coachee) their coaches see in their access log. Content URLs of the
apps stay a 404 for them: their ``access.py`` never lets a staff role in."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from privacy import audit, emails
from privacy.audit import Action
from privacy.break_glass_models import MAX_MINUTES, BreakGlassGrant
from privacy.erasure import ERASABLE_ROLES

REQUESTER = Role.ICT_LINE_MANAGER
APPROVER = Role.IT_ADMIN


def may_request(user) -> bool:
    return user.is_authenticated and user.role == REQUESTER


def may_decide(user) -> bool:
    return user.is_authenticated and user.role == APPROVER


def subjects():
    """Whose data a grant may open: coaches and coachees."""
    return User.objects.filter(role__in=ERASABLE_ROLES, is_active=True)


@transaction.atomic
def request_grant(requester, *, subject, reason: str, minutes: int, http_request=None):
    if not may_request(requester):
        raise ValidationError(_("Only the ICT line manager asks for break-glass access."))
    if subject.role not in ERASABLE_ROLES:
        raise ValidationError({"subject": _("Choose a coach or a coachee.")})
    if not 1 <= minutes <= MAX_MINUTES:
        raise ValidationError({"minutes": _("At most four hours (240 minutes).")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say which IT process you need to check, and why.")})
    grant = BreakGlassGrant.objects.create(
        requested_by=requester, subject=subject, reason=reason.strip(), minutes=minutes
    )
    audit.record(
        http_request,
        Action.BREAK_GLASS,
        actor=requester,
        subject=subject,
        obj=grant,
        detail="requested",
    )
    emails.send(
        "break_glass_requested",
        User.objects.filter(role=APPROVER, is_active=True),
        emails.break_glass_path(grant),
    )
    return grant


def _decide(grant, approver, state, http_request) -> None:
    if not may_decide(approver):
        raise ValidationError(_("Only an IT administrator decides on break-glass access."))
    if approver.pk == grant.requested_by_id:
        raise ValidationError(_("Nobody approves their own break-glass access."))
    locked = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if locked.state != BreakGlassGrant.State.REQUESTED:
        raise ValidationError(_("This request has already been decided."))
    now = timezone.now()
    grant.state, grant.decided_by, grant.decided_at = state, approver, now
    if state == BreakGlassGrant.State.APPROVED:
        grant.ends_at = now + grant.duration
    grant.save(update_fields=["state", "decided_by", "decided_at", "ends_at"])
    audit.record(
        http_request,
        Action.BREAK_GLASS,
        actor=approver,
        subject=grant.subject_id,
        obj=grant,
        detail=state,
    )
    emails.send("break_glass_decided", [grant.requested_by], emails.break_glass_path(grant))


@transaction.atomic
def approve(grant, approver, *, http_request=None) -> None:
    _decide(grant, approver, BreakGlassGrant.State.APPROVED, http_request)


@transaction.atomic
def refuse(grant, approver, *, http_request=None) -> None:
    _decide(grant, approver, BreakGlassGrant.State.REFUSED, http_request)


@transaction.atomic
def end(grant, user, *, http_request=None) -> None:
    """The requester (or an IT administrator) closes the window before its time."""
    locked = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if not locked.is_active():
        raise ValidationError(_("This access is not active."))
    grant.state, grant.ends_at = BreakGlassGrant.State.ENDED, timezone.now()
    grant.save(update_fields=["state", "ends_at"])
    audit.record(
        http_request,
        Action.BREAK_GLASS,
        actor=user,
        subject=grant.subject_id,
        obj=grant,
        detail="ended",
    )


def record_read(http_request, grant, section_name: str) -> None:
    audit.record(
        http_request,
        Action.BREAK_GLASS,
        subject=grant.subject,
        obj=grant,
        detail=f"read: {section_name}",
    )
