"""What customer service may do for a user, beside finding them: send an invitation again,
lift the login rate limit on their address, and reset their two-factor authentication after
checking who they are. Each step is re-authenticated by the view, recorded in the audit
trail, and touches no content."""

from allauth.account.adapter import get_adapter
from allauth.core import ratelimit
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import emails, invitations
from accounts.models import Invitation
from accounts.roles import Role
from privacy import audit
from privacy.audit import Action

ACTING_ROLES = frozenset({Role.CUSTOMER_SERVICE, Role.IT_ADMIN})


class IdentityCheck(models.TextChoices):
    """How the caller proved to be the account holder, recorded with the reset."""

    VIDEO_ID = "video_id", gettext_lazy("Video call, identity document shown")
    CALL_BACK = "call_back", gettext_lazy("Called back on the phone number in the account")
    IN_PERSON = "in_person", gettext_lazy("In person, identity document shown")
    ORGANISATION = (
        "organisation",
        gettext_lazy("Confirmed in writing by their organisation's manager"),
    )


def may_act(user) -> bool:
    return user.is_authenticated and user.is_active and user.role in ACTING_ROLES


def invitations_matching(query: str):
    """Invitations not (yet) accepted whose address holds ``query``: sent again from here."""
    return (
        Invitation.objects.filter(email__icontains=query.strip(), accepted_at__isnull=True)
        .filter(revoked_at__isnull=True)
        .select_related("organisation")
        .order_by("-created_at")[:20]
    )


@transaction.atomic
def send_invitation_again(invitation, *, http_request) -> None:
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was accepted or withdrawn."))
    try:
        invitations.issue(invitation)
    except invitations.CoachRequired:
        raise ValidationError(
            _("The coach of this invitation can no longer take coachees; invite again.")
        ) from None
    audit.record(http_request, Action.CHANGE, obj=invitation, detail="invitation sent again")


def unlock(subject, *, http_request) -> None:
    """Clears the failed-login limits on the subject's address (allauth's ``login_failed``)."""
    key = get_adapter(http_request)._get_login_attempts_cache_key(http_request, email=subject.email)
    ratelimit.clear(http_request, action="login_failed", key=key)
    audit.record(http_request, Action.CHANGE, subject=subject, obj=subject, detail="login unlocked")


@transaction.atomic
def reset_two_factor(subject, *, check: str, http_request) -> int:
    """Removes the subject's authenticator app and recovery codes; a coach (or staff member)
    then sets up a new one at the next login. The subject is told by e-mail."""
    if check not in IdentityCheck.values:
        raise ValidationError({"check": _("Say how you checked who the caller is.")})
    removed, _details = Authenticator.objects.filter(user=subject).delete()
    audit.record(
        http_request,
        Action.MFA_CHANGE,
        subject=subject,
        obj=subject,
        detail=f"reset by support after {check}",
    )
    transaction.on_commit(lambda: emails.send_two_factor_reset(subject))
    return removed
