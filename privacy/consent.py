"""Consent before another coach sees anything (1.2.6.8).

The coaches a coachee starts with are the controllers. Any coach added later, by the
organisation manager or by a colleague, reaches nothing of the coachee until the coachee says
yes, to the scope they were shown; revoking takes the coach off the trajectory at once.

``scope(trajectory, coach)`` is the one answer every content app asks: which of its data a
coach of the trajectory may see, and from when.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Trajectory, TrajectoryCoach
from accounts.roles import Role
from privacy import audit, emails
from privacy.audit import Action
from privacy.consent_models import Consent

APPS = ("dialogue", "interventions", "toolbox", "dossier")


@dataclass(frozen=True)
class Scope:
    dialogue: bool = True
    interventions: bool = True
    toolbox: bool = True
    dossier: bool = True
    history_from: object = None  # a datetime before which the coach sees nothing

    def allows(self, app: str) -> bool:
        return getattr(self, app)


FULL = Scope()


def scope(trajectory, coach) -> Scope:
    consent = Consent.objects.granted().filter(trajectory=trajectory, coach=coach).first()
    if consent is None:
        return FULL
    return Scope(
        dialogue=consent.dialogue,
        interventions=consent.interventions,
        toolbox=consent.toolbox,
        dossier=consent.dossier,
        history_from=consent.history_from,
    )


def needs_consent(trajectory, coach, *, starting=False) -> bool:
    """A coach who is not yet one of the coachee's coaches needs consent, unless they are
    among the coaches the coachee's very first trajectory starts with."""
    coachee_id = trajectory.coachee_id
    # Only as a controller: a coach let in for part of the data gets no more by a new trajectory.
    controller = TrajectoryCoach.objects.filter(
        trajectory__coachee_id=coachee_id, coach=coach
    ).exclude(
        Exists(Consent.objects.granted().filter(trajectory=OuterRef("trajectory"), coach=coach))
    )
    if controller.exists():
        return False
    if Consent.objects.granted().filter(trajectory=trajectory, coach=coach).exists():
        return False
    earlier = Trajectory.objects.filter(coachee_id=coachee_id).exclude(pk=trajectory.pk)
    return not (starting and not earlier.exists())


def _check_coach(trajectory, coach) -> None:
    if coach.role != Role.COACH or coach.organisation_id != trajectory.organisation_id:
        raise ValidationError(
            {"coach": _("Only a coach of the coachee's own organisation can be asked for.")}
        )
    if not coach.is_active or coach.processing_restricted:
        raise ValidationError(
            {
                "coach": _(
                    "This coach cannot take on coachees now: "
                    "their account is inactive or restricted."
                )
            }
        )


@transaction.atomic
def ask(trajectory, coach, *, requested_by, include_history=False, apps=APPS, request=None):
    """Asks the coachee; returns the pending consent."""
    _check_coach(trajectory, coach)
    if trajectory.coachee.processing_restricted:
        raise ValidationError(
            _("The coachee has restricted the processing of their data: nobody new can be added.")
        )
    if TrajectoryCoach.objects.filter(trajectory=trajectory, coach=coach).exists():
        raise ValidationError({"coach": _("This coach is already a coach of this trajectory.")})
    if not set(apps) & set(APPS):
        raise ValidationError(_("Choose at least one part of Pluform the coach may see."))
    try:
        with transaction.atomic():
            consent = Consent.objects.create(
                coachee=trajectory.coachee,
                coach=coach,
                trajectory=trajectory,
                requested_by=requested_by,
                include_history=include_history,
                state=Consent.State.PENDING,
                **{app: app in apps for app in APPS},
            )
    except IntegrityError:
        raise ValidationError(
            {"coach": _("The coachee has already been asked about this coach.")}
        ) from None
    audit.record(
        request,
        Action.CONSENT,
        subject=trajectory.coachee,
        obj=consent,
        actor=requested_by,
        detail="asked",
    )
    emails.send("consent_asked", [trajectory.coachee], _consents_path())
    return consent


def _consents_path():
    return reverse("privacy:consents")


@transaction.atomic
def grant(consent, coachee, *, request=None) -> None:
    from accounts import services

    _require_pending(consent, coachee)
    _check_coach(consent.trajectory, consent.coach)
    consent.state = Consent.State.GRANTED
    consent.decided_at = timezone.now()
    consent.save(update_fields=["state", "decided_at"])
    audit.record(request, Action.CONSENT, subject=coachee, obj=consent, detail="granted")
    services.add_coach(consent.trajectory, consent.coach)


@transaction.atomic
def decline(consent, coachee, *, request=None) -> None:
    _require_pending(consent, coachee)
    _end(consent, Consent.State.DECLINED, request, "declined")


@transaction.atomic
def revoke(consent, coachee, *, request=None) -> None:
    """Access ends with this transaction: the coach leaves the trajectory."""
    from accounts import services

    if consent.coachee_id != coachee.pk or consent.state != Consent.State.GRANTED:
        raise ValidationError(_("Only consent you gave can be revoked."))
    _end(consent, Consent.State.REVOKED, request, "revoked")
    services.unassign_coach(consent.trajectory, consent.coach)


@transaction.atomic
def withdraw(consent, user, *, request=None) -> None:
    """The one who asked, or the organisation manager, no longer wants the coach added."""
    manager = user is not None and user.role == Role.ORG_MANAGER
    if (
        user is not None
        and user.pk not in (consent.requested_by_id, consent.coach_id)
        and not (manager and user.organisation_id == consent.coach.organisation_id)
    ):
        raise ValidationError(_("Only the one who asked can withdraw the question."))
    if consent.state != Consent.State.PENDING:
        raise ValidationError(_("Only a question that waits for an answer can be withdrawn."))
    _end(consent, Consent.State.WITHDRAWN, request, "withdrawn", actor=user)


def coach_left(trajectory, coach) -> None:
    """The coach was taken off the trajectory: their consent (or the question) ends too."""
    for consent in Consent.objects.filter(
        trajectory=trajectory, coach=coach, state__in=[Consent.State.PENDING, Consent.State.GRANTED]
    ):
        _end(consent, Consent.State.ENDED, None, "ended")


def _require_pending(consent, coachee) -> None:
    if consent.coachee_id != coachee.pk or consent.state != Consent.State.PENDING:
        raise ValidationError(_("This question has already been answered."))


def _end(consent, state, request, detail, actor=None) -> None:
    consent.state = state
    now = timezone.now()
    if consent.decided_at is None:
        consent.decided_at = now
    consent.ended_at = now
    consent.save(update_fields=["state", "decided_at", "ended_at"])
    audit.record(
        request, Action.CONSENT, subject=consent.coachee, obj=consent, actor=actor, detail=detail
    )


def pending_for(trajectory):
    return Consent.objects.pending().filter(trajectory=trajectory).select_related("coach")


def _narrowed(app: str):
    return Consent.objects.granted().filter(
        trajectory=OuterRef("trajectory"), coach=OuterRef("coach"), **{app: False}
    )


def coached_for(app: str):
    """The ``TrajectoryCoach`` rows whose coach the coachee's consent lets into ``app``."""
    return TrajectoryCoach.objects.exclude(Exists(_narrowed(app)))


def trajectories_of(coach, app: str):
    """The trajectories the coach takes part in and may see ``app`` of."""
    return Trajectory.objects.filter(
        pk__in=coached_for(app).filter(coach=coach).values("trajectory_id")
    )


def before_consent(coach, *, trajectory_field="trajectory", at_field="created_at"):
    """Content of a trajectory dated before the coach was let in without its history."""
    return Exists(
        Consent.objects.granted().filter(
            trajectory=OuterRef(trajectory_field),
            coach=coach,
            include_history=False,
            decided_at__gt=OuterRef(at_field),
        )
    )
