from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import emails
from accounts.models import FormerEmail, ProfileChange, ProfilePhoto, Trajectory, TrajectoryCoach
from accounts.signals import coach_assigned, coach_unassigned, trajectory_started
from privacy import audit
from privacy.audit import Action


@transaction.atomic
def start_trajectory(*, coachee, coaches, organisation, started_on=None, title="") -> Trajectory:
    kwargs = {"started_on": started_on} if started_on else {}
    trajectory = Trajectory(coachee=coachee, organisation=organisation, title=title, **kwargs)
    return save_new_trajectory(trajectory, coaches)


def check_may_join(coachee, coach=None) -> None:
    """Nobody whose processing is restricted starts a trajectory or gets a new coach."""
    if coachee.processing_restricted:
        raise ValidationError(
            _(
                "Processing of this coachee's data is restricted: "
                "no trajectory or coach can be added."
            )
        )
    if coach is not None and coach.processing_restricted:
        raise ValidationError(
            _("Processing of this coach's data is restricted: they cannot take on a coachee now.")
        )


@transaction.atomic
def save_new_trajectory(trajectory: Trajectory, coaches=(), *, requested_by=None) -> Trajectory:
    """Saves a trajectory built elsewhere (e.g. an admin form) and tells the other apps."""
    check_may_join(trajectory.coachee)
    trajectory.save()
    trajectory_started.send(sender=Trajectory, trajectory=trajectory)
    for coach in coaches:
        assign_coach(trajectory, coach, requested_by=requested_by, starting=True)
    return trajectory


@transaction.atomic
def assign_coach(trajectory: Trajectory, coach, *, requested_by=None, starting=False, request=None):
    """Makes ``coach`` a coach of the trajectory, or, when the coachee has to consent first
    (regulation 1.2.6.8), asks them and returns the pending consent."""
    from privacy import consent

    check_may_join(trajectory.coachee, coach)
    if consent.needs_consent(trajectory, coach, starting=starting):
        return consent.ask(trajectory, coach, requested_by=requested_by, request=request)
    add_coach(trajectory, coach)
    return None


@transaction.atomic
def add_coach(trajectory: Trajectory, coach) -> None:
    """The coach joins: every app grants what the coachee's consent (if any) allows."""
    _, created = TrajectoryCoach.objects.get_or_create(trajectory=trajectory, coach=coach)
    if created:
        coach_assigned.send(sender=Trajectory, trajectory=trajectory, coach=coach)


@transaction.atomic
def unassign_coach(trajectory: Trajectory, coach) -> None:
    deleted, _ = TrajectoryCoach.objects.filter(trajectory=trajectory, coach=coach).delete()
    if deleted:
        coach_unassigned.send(sender=Trajectory, trajectory=trajectory, coach=coach)


@transaction.atomic
def change_email(user, new_email: str, *, by_the_user: bool = False) -> None:
    """Replaces the login address everywhere allauth looks, and warns the old address.

    An address that someone else set (an organisation manager, the IT administrator) is
    not trusted for password resets until its owner has logged in with their password, so
    whoever set it cannot take the account over.
    """
    old_email = user.email
    if old_email and old_email.lower() != new_email.strip().lower():
        FormerEmail.objects.create(user=user, email=old_email)
    user.email = new_email.strip().lower()
    user.email_set_by_other_at = None if by_the_user else timezone.now()
    user.save(update_fields=["email", "email_set_by_other_at"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=by_the_user)
    transaction.on_commit(lambda: emails.send_email_changed(user, old_email))


def confirm_login_address(user) -> None:
    """A password login shows the owner uses this address now."""
    if user.email_set_by_other_at is not None:
        user.email_set_by_other_at = None
        user.save(update_fields=["email_set_by_other_at"])
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)


def may_reset_password(user) -> bool:
    return user.email_set_by_other_at is None


def restrict_processing(user, reason: str, *, ground: str = "", request=None) -> None:
    user.processing_restricted_at = timezone.now()
    user.restriction_reason = reason
    user.restriction_ground = ground
    user.save(
        update_fields=["processing_restricted_at", "restriction_reason", "restriction_ground"]
    )
    audit.record(request, Action.RESTRICT, subject=user, obj=user, detail="restriction set")


def lift_restriction(user, *, request=None) -> None:
    user.processing_restricted_at = None
    user.restriction_reason = ""
    user.restriction_ground = ""
    user.save(
        update_fields=["processing_restricted_at", "restriction_reason", "restriction_ground"]
    )
    audit.record(request, Action.RESTRICT, subject=user, obj=user, detail="restriction lifted")


@transaction.atomic
def set_photo(user, upload) -> None:
    """Stores a checked image upload (``pluform.uploads.CleanUpload``) as the user's photo."""
    photo = ProfilePhoto.objects.filter(user=user).first() or ProfilePhoto(user=user)
    photo.file = upload.file
    photo.content_type = upload.content_type
    photo.size = upload.size
    photo.save()


def remove_photo(user) -> None:
    # One by one, so the field's delete signal removes the stored file too.
    for photo in ProfilePhoto.objects.filter(user=user):
        photo.delete()


def keep_earlier_values(user, initial: dict, changed: list[str], *, by) -> None:
    """Someone else changed the user's profile (a rectification): the earlier values of the
    personal details stay, for the user to see. Their own changes keep nothing."""
    if by.pk == user.pk:
        return
    for name in changed:
        if name not in ProfileChange.KEPT_FIELDS:
            continue
        value = initial.get(name)
        earlier = value.isoformat() if hasattr(value, "isoformat") else str(value or "")
        ProfileChange.objects.create(
            user=user, field=name, earlier=earlier, changed_by_role=by.role
        )
