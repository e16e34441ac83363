"""Who may see which data-subject request, copy and consent. Everyone else gets a 404.

- the subject: their own requests and consents;
- a coach: the requests their coachees filed with them, and the consents that name them;
- the account manager and the IT administrator: requests once they reached Pluform;
- nobody else, and nobody but its recipients ever opens a copy of someone's data.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import CONTENT_ROLES, Role
from privacy import break_glass
from privacy.break_glass_models import BreakGlassGrant
from privacy.consent_models import Consent
from privacy.request_models import AccessArchive, DataRequest, Status

HANDLER_ROLES = frozenset({Role.ACCOUNT_MANAGER, Role.IT_ADMIN})


def may_file(user) -> bool:
    return user.is_authenticated and user.role in CONTENT_ROLES


def is_handler(user) -> bool:
    return user.is_authenticated and user.role in HANDLER_ROLES


def requests_for(user):
    qs = DataRequest.objects.select_related("subject", "coach")
    if may_file(user):
        return qs.filter(Q(subject=user) | Q(coach=user))
    if is_handler(user):
        return qs.filter(reached_pluform_at__isnull=False)
    return qs.none()


def get_request_for(user, request_id) -> DataRequest:
    data_request = requests_for(user).filter(uuid=request_id).first()
    if data_request is None:
        raise Http404
    return data_request


def holds(user, data_request) -> bool:
    """Whether the next step of the request is ``user``'s."""
    status = data_request.status
    if status == Status.WITH_COACH:
        return data_request.coach_id == user.pk
    if status == Status.WITH_SUBJECT:
        return data_request.subject_id == user.pk
    if status == Status.WITH_ACCOUNT_MANAGER:
        return user.role == Role.ACCOUNT_MANAGER
    if status in (Status.WITH_IT_ADMIN, Status.WAITING):
        return user.role == Role.IT_ADMIN
    return False


def held_by(user):
    """The open requests whose next step is ``user``'s."""
    if not user.is_authenticated:
        return DataRequest.objects.none()
    if user.role == Role.ACCOUNT_MANAGER:
        wanted = Q(status=Status.WITH_ACCOUNT_MANAGER)
    elif user.role == Role.IT_ADMIN:
        wanted = Q(status__in=[Status.WITH_IT_ADMIN, Status.WAITING])
    elif may_file(user):
        wanted = Q(status=Status.WITH_COACH, coach=user) | Q(
            status=Status.WITH_SUBJECT, subject=user
        )
    else:
        return DataRequest.objects.none()
    return requests_for(user).filter(wanted)


def get_archive_for(user, archive_id) -> AccessArchive:
    """A ready, unexpired copy, for one of its recipients only."""
    if not may_file(user):
        raise Http404
    archive = (
        AccessArchive.objects.select_related("subject", "request")
        .filter(uuid=archive_id, recipients=user)
        .first()
    )
    if archive is None or not archive.is_downloadable(timezone.now()):
        raise Http404
    return archive


def is_own_export(request) -> bool:
    """Whether the copy in the URL is a portability export of the signed-in user: its
    download asks for the password again (like starting it)."""
    archive_id = request.resolver_match.kwargs.get("archive_id")
    return (
        may_file(request.user)
        and AccessArchive.objects.filter(
            uuid=archive_id, purpose=AccessArchive.Purpose.PORTABILITY, recipients=request.user
        ).exists()
    )


def consents_for(user):
    qs = Consent.objects.select_related("coach", "coachee", "requested_by", "trajectory")
    if user.is_authenticated and user.role == Role.COACHEE:
        return qs.filter(coachee=user)
    if user.is_authenticated and user.role == Role.COACH:
        # The coach who is asked for learns of the coachee only once they are let in.
        let_in = [Consent.State.GRANTED, Consent.State.REVOKED, Consent.State.ENDED]
        return qs.filter(Q(requested_by=user) | Q(coach=user, state__in=let_in))
    return qs.none()


def get_consent_for(user, consent_id) -> Consent:
    consent = consents_for(user).filter(uuid=consent_id).first()
    if consent is None:
        raise Http404
    return consent


def get_trajectory_to_share(coach, trajectory_id):
    """A running trajectory of this coach, for asking the coachee to let in a colleague."""
    from accounts.models import Trajectory

    if not (coach.is_authenticated and coach.role == Role.COACH):
        raise Http404
    trajectory = (
        Trajectory.objects.select_related("coachee").filter(pk=trajectory_id, coaches=coach).first()
    )
    if trajectory is None or not trajectory.is_active:
        raise Http404
    return trajectory


# Break-glass grants: a 404 for everyone a grant is not about.


def grants_for(user):
    grants = BreakGlassGrant.objects.select_related("subject", "requested_by", "decided_by")
    if break_glass.may_request(user):
        return grants.filter(requested_by=user)
    if break_glass.may_decide(user):
        return grants
    return grants.none()


def get_grant_for(user, grant_id) -> BreakGlassGrant:
    return get_object_or_404(grants_for(user), pk=grant_id)


def get_active_grant_for(user, grant_id) -> BreakGlassGrant:
    """The requester's own grant while its window is open, or a 404."""
    grant = get_grant_for(user, grant_id)
    if not break_glass.may_request(user) or not grant.is_active():
        raise Http404
    return grant
