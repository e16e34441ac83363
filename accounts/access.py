"""Who may invite whom, and the one loader for invitations."""

from django.db.models import Q
from django.http import Http404

from accounts.models import Invitation, User, not_restricted
from accounts.roles import Role

INVITER_ROLES = frozenset({Role.COACH, Role.ORG_MANAGER})


def may_invite(user) -> bool:
    return (
        user.is_authenticated
        and user.role in INVITER_ROLES
        and user.organisation_id is not None
        and not user.processing_restricted
    )


def invitations_for(user):
    """A coach sees the invitations they sent; an organisation manager their organisation's."""
    if not may_invite(user):
        return Invitation.objects.none()
    qs = Invitation.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COACH:
        qs = qs.filter(invited_by=user)
    return qs.select_related("coach", "invited_by")


def get_invitation_for(user, uuid) -> Invitation:
    invitation = invitations_for(user).filter(uuid=uuid).first()
    if invitation is None:
        raise Http404
    return invitation


def coaches_of_organisation(organisation_id):
    """The coaches who may take on a coachee: active, and not restricted."""
    return User.objects.filter(
        not_restricted(), organisation_id=organisation_id, role=Role.COACH, is_active=True
    ).order_by("last_name", "first_name")


def get_photo_for(viewer, user_uuid):
    """The photo of ``user_uuid`` if the viewer is that user or shares a trajectory with them."""
    from accounts.models import ProfilePhoto

    photos = ProfilePhoto.objects.select_related("user").filter(user__uuid=user_uuid)
    if viewer.uuid != user_uuid:
        photos = photos.filter(
            Q(user__trajectories__coaches=viewer) | Q(user__coached_trajectories__coachee=viewer)
        )
    photo = photos.first()
    if photo is None:
        raise Http404
    return photo
