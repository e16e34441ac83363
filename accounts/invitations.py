"""Invitations: the only way into Pluform. One-time link, token stored as a hash."""

import datetime
import hashlib
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import emails
from accounts.models import CoachProfile, Invitation, User
from accounts.roles import Role
from accounts.services import start_trajectory


class InvitationUnusable(Exception):
    """The link is expired, used or revoked; nothing was changed."""


class EmailTaken(Exception):
    """Someone already has an account with the invited address; nothing was changed."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CoachRequired(ValueError):
    """A coachee's invitation names no active coach of the inviting organisation."""


def issue(invitation: Invitation) -> Invitation:
    """Saves a new invitation with a fresh token and e-mails the link (after commit).

    A coachee is always invited into a trajectory with a coach of the same organisation: without
    one they would log in to an empty Pluform.
    """
    if invitation.role == Role.COACHEE:
        coach = invitation.coach
        if (
            coach is None
            or coach.role != Role.COACH
            or not coach.is_active
            or coach.processing_restricted
            or coach.organisation_id != invitation.organisation_id
        ):
            raise CoachRequired("A coachee's invitation needs a coach of the same organisation.")
    else:
        invitation.coach = None
    token = secrets.token_urlsafe(32)
    invitation.email = invitation.email.strip().lower()
    invitation.token_hash = hash_token(token)
    invitation.created_at = timezone.now()
    invitation.expires_at = invitation.created_at + datetime.timedelta(
        days=settings.PLUFORM_INVITATION_DAYS
    )
    invitation.save()
    transaction.on_commit(lambda: emails.send_invitation(invitation, token))
    return invitation


def invite(*, organisation, email, role, language, invited_by, coach=None) -> Invitation:
    return issue(
        Invitation(
            organisation=organisation,
            email=email,
            role=role,
            language=language,
            invited_by=invited_by,
            coach=coach if role == Role.COACHEE else None,
        )
    )


def find(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "coach")
        .filter(token_hash=hash_token(token))
        .first()
    )


def revoke(invitation: Invitation) -> bool:
    return bool(
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


@transaction.atomic
def accept(invitation: Invitation, *, first_name, last_name, language, password) -> User:
    """Creates the invitee's account (and, for a coach's coachee, the trajectory)."""
    now = timezone.now()
    # Claim the invitation first, so two submissions of one link cannot both succeed.
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).update(accepted_at=now)
    if not claimed:
        raise InvitationUnusable
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise EmailTaken
    user = User.objects.create_user(
        invitation.email,
        password,
        first_name=first_name,
        last_name=last_name,
        language=language,
        role=invitation.role,
        organisation=invitation.organisation,
    )
    # The invitee proved the address by opening the link sent to it.
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    if user.role == Role.COACH:
        CoachProfile.objects.create(user=user, licence_started_on=timezone.localdate())
    elif (
        invitation.coach_id
        and invitation.coach.is_active
        and not invitation.coach.processing_restricted
    ):
        start_trajectory(
            coachee=user, coaches=[invitation.coach], organisation=invitation.organisation
        )
    Invitation.objects.filter(pk=invitation.pk).update(accepted_user=user)
    return user
