"""The workflow of a data-subject request, step by step. Each step is a ``RequestStep`` and an
audit event; each hand-over tells whoever holds the request next, by e-mail without content.

A coachee's request goes to their coach (the controller), who forwards it to Pluform's
account manager, who passes it on to the IT administrator, who executes it (1.2.6). A coach's
own request goes straight to the account manager (1.3.5).
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import RestrictionGround, User, coaches_of
from accounts.roles import Role
from accounts.services import lift_restriction, restrict_processing
from pluform import dates
from privacy import audit, emails, erasure
from privacy.access import holds
from privacy.audit import Action
from privacy.erasure_models import Ground
from privacy.request_models import (
    COACH_GROUNDS,
    AccessArchive,
    DataRequest,
    Decision,
    Kind,
    RequestStep,
    Status,
    Step,
)

logger = logging.getLogger(__name__)

NEEDS_MOTIVATION = frozenset({Kind.RECTIFICATION, Kind.RESTRICTION, Kind.OBJECTION})
# What the law's article 19 asks us to tell the other recipients of the data about.
TELL_COACHES = frozenset({Kind.RECTIFICATION, Kind.ERASURE, Kind.RESTRICTION})
REMINDER_DAYS = (7, 2)


def allowed_grounds(user) -> list:
    grounds = COACH_GROUNDS if user.role == Role.COACH else RestrictionGround
    return [(ground.value, ground.label) for ground in grounds]


def _staff(role):
    return User.objects.filter(role=role, is_active=True)


def holders(data_request):
    status = data_request.status
    if status == Status.WITH_COACH:
        return [data_request.coach] if data_request.coach else []
    if status == Status.WITH_SUBJECT:
        return [data_request.subject]
    if status == Status.WITH_ACCOUNT_MANAGER:
        return list(_staff(Role.ACCOUNT_MANAGER))
    if status in (Status.WITH_IT_ADMIN, Status.WAITING):
        return list(_staff(Role.IT_ADMIN))
    return []


def _step(data_request, step, actor, *, note="", http_request=None) -> RequestStep:
    made = RequestStep.objects.create(
        request=data_request,
        step=step,
        actor=actor,
        actor_role=getattr(actor, "role", "") or "system",
        note=note,
    )
    audit.record(
        http_request,
        Action.REQUEST_STEP,
        subject=data_request.subject_id,
        obj=data_request,
        actor=actor,
        detail=f"{data_request.kind}: {step}",
    )
    return made


def _hand_over(data_request, status, *, fields=()) -> None:
    data_request.status = status
    data_request.save(update_fields=["status", *fields])
    emails.send("request_waiting", holders(data_request), emails.request_path(data_request))


def _tell_subject(data_request) -> None:
    emails.send("request_news", [data_request.subject], emails.request_path(data_request))


def _require_holder(user, data_request) -> None:
    if not holds(user, data_request):
        raise ValidationError(_("This request is not waiting for you."), code="not_holder")


@transaction.atomic
def file(subject, *, kind, motivation="", ground="", coach=None, http_request=None) -> DataRequest:
    motivation = motivation.strip()
    if subject.role not in (Role.COACH, Role.COACHEE):
        raise ValidationError(_("Only coaches and coachees file requests here."))
    if kind in NEEDS_MOTIVATION and not motivation:
        raise ValidationError(
            {"motivation": _("Say why: this kind of request needs a motivation.")}
        )
    if kind == Kind.RESTRICTION:
        if ground not in dict(allowed_grounds(subject)):
            raise ValidationError({"ground": _("Choose the ground for the restriction.")})
    else:
        ground = ""
    # Lock the subject's row, so two tabs can't both file the same kind of request.
    User.objects.select_for_update().filter(pk=subject.pk).first()
    if DataRequest.objects.open().filter(subject=subject, kind=kind).exists():
        raise ValidationError(
            _("You already have an open request of this type. Its page shows how it stands.")
        )
    now = timezone.now()
    if subject.role == Role.COACHEE:
        choices = list(coaches_of(subject))
        if coach is None and len(choices) == 1:
            coach = choices[0]
        if coach is not None and coach not in choices:
            raise ValidationError({"coach": _("Choose one of your coaches.")})
        if coach is None and choices:
            raise ValidationError({"coach": _("Choose the coach who receives your request.")})
    else:
        coach = None
    data_request = DataRequest.objects.create(
        subject=subject,
        coach=coach,
        kind=kind,
        ground=ground,
        motivation=motivation,
        status=Status.WITH_COACH if coach else Status.WITH_ACCOUNT_MANAGER,
        received_at=now,
        reached_pluform_at=None if coach else now,
        due_on=DataRequest.due_for(dates.today()),
    )
    _step(data_request, Step.FILED, subject, http_request=http_request)
    emails.send("request_waiting", holders(data_request), emails.request_path(data_request))
    return data_request


@transaction.atomic
def ask_clarification(data_request, coach, question, *, http_request=None) -> None:
    _require_holder(coach, data_request)
    if data_request.status != Status.WITH_COACH or not question.strip():
        raise ValidationError({"question": _("Write the question for your coachee.")})
    _step(
        data_request,
        Step.CLARIFICATION_ASKED,
        coach,
        note=question.strip(),
        http_request=http_request,
    )
    _hand_over(data_request, Status.WITH_SUBJECT)


@transaction.atomic
def clarify(data_request, subject, answer, *, http_request=None) -> None:
    _require_holder(subject, data_request)
    if data_request.status != Status.WITH_SUBJECT:
        raise ValidationError(_("This request is not waiting for you."), code="not_holder")
    if not answer.strip():
        raise ValidationError({"answer": _("Write your answer to your coach's question.")})
    _step(data_request, Step.CLARIFIED, subject, note=answer.strip(), http_request=http_request)
    _hand_over(data_request, Status.WITH_COACH)


@transaction.atomic
def forward(data_request, coach, *, advice="", inspect_together=False, http_request=None) -> None:
    _require_holder(coach, data_request)
    if data_request.status != Status.WITH_COACH:
        raise ValidationError(_("This request is not waiting for you."), code="not_holder")
    data_request.advice = advice.strip()
    data_request.inspect_together = bool(inspect_together) and data_request.kind == Kind.ACCESS
    data_request.reached_pluform_at = timezone.now()
    _step(data_request, Step.FORWARDED, coach, note=data_request.advice, http_request=http_request)
    _hand_over(
        data_request,
        Status.WITH_ACCOUNT_MANAGER,
        fields=["advice", "inspect_together", "reached_pluform_at"],
    )
    _tell_subject(data_request)


@transaction.atomic
def pass_on(data_request, account_manager, *, note="", http_request=None) -> None:
    _require_holder(account_manager, data_request)
    if data_request.status != Status.WITH_ACCOUNT_MANAGER:
        raise ValidationError(_("This request is not waiting for you."), code="not_holder")
    _step(
        data_request, Step.PASSED_ON, account_manager, note=note.strip(), http_request=http_request
    )
    _hand_over(data_request, Status.WITH_IT_ADMIN)


@transaction.atomic
def withdraw(data_request, subject, *, http_request=None) -> None:
    if data_request.subject_id != subject.pk or not data_request.is_open:
        raise ValidationError(_("Only an open request of your own can be withdrawn."))
    _step(data_request, Step.WITHDRAWN, subject, http_request=http_request)
    _close(data_request, Status.WITHDRAWN)


def may_extend(user, data_request, today) -> bool:
    return (
        user.role in (Role.ACCOUNT_MANAGER, Role.IT_ADMIN)
        and data_request.is_open
        and data_request.reached_pluform_at is not None
        and data_request.extended_due_on is None
        and today <= data_request.due_on
    )


@transaction.atomic
def extend(data_request, actor, *, until: datetime.date, reason: str, http_request=None) -> None:
    """Up to two more months, with a reason, told to the subject within the first four weeks
    (GDPR art. 12(3))."""
    today = dates.today()
    if not may_extend(actor, data_request, today):
        raise ValidationError(
            _("The deadline can be extended once, within the first four weeks after receipt.")
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    if until <= data_request.due_on or until > data_request.latest_extension:
        raise ValidationError(
            {
                "until": _("Choose a date after %(due)s and at most two months later (%(latest)s).")
                % {
                    "due": dates.date_text(data_request.due_on),
                    "latest": dates.date_text(data_request.latest_extension),
                }
            }
        )
    data_request.extended_due_on = until
    data_request.reminded_days_before = None
    data_request.save(update_fields=["extended_due_on", "reminded_days_before"])
    _step(data_request, Step.EXTENDED, actor, note=reason.strip(), http_request=http_request)
    _tell_subject(data_request)


def _close(data_request, status) -> None:
    data_request.status = status
    data_request.closed_at = timezone.now()
    data_request.save(update_fields=["status", "closed_at"])


def _tell_coaches(data_request) -> None:
    """Article 19: the coaches who had access hear of it, without content."""
    subject = data_request.subject
    if subject.role != Role.COACHEE:
        return
    emails.send("coachee_data_changed", coaches_of(subject), emails.request_path(data_request))


# Execution, by the IT administrator


def archive_recipients(data_request) -> list:
    """The subject, and (unless the subject restricted processing) the coach who forwarded it."""
    recipients = [data_request.subject]
    if data_request.coach and not data_request.subject.processing_restricted:
        recipients.append(data_request.coach)
    return recipients


@transaction.atomic
def execute(data_request, it_admin, *, note="", decision="", http_request=None) -> None:
    _require_holder(it_admin, data_request)
    kind = data_request.kind
    if kind == Kind.ACCESS:
        _start_archive(data_request, it_admin, http_request)
    elif kind == Kind.RECTIFICATION:
        if not note.strip():
            raise ValidationError({"note": _("Say what was corrected.")})
        _step(data_request, Step.RECTIFIED, it_admin, note=note.strip(), http_request=http_request)
        _close(data_request, Status.DONE)
        _tell_subject(data_request)
        _tell_coaches(data_request)
    elif kind == Kind.RESTRICTION:
        restrict_processing(
            data_request.subject,
            data_request.get_ground_display(),
            ground=data_request.ground,
            request=http_request,
        )
        _step(data_request, Step.RESTRICTED, it_admin, note=note.strip(), http_request=http_request)
        _close(data_request, Status.DONE)
        _tell_subject(data_request)
        _tell_coaches(data_request)
    elif kind == Kind.OBJECTION:
        _decide(data_request, it_admin, decision=decision, reasons=note, http_request=http_request)
    elif kind == Kind.PORTABILITY:
        # The same export the subject can start themselves, for the subject only.
        _start_archive(
            data_request, it_admin, http_request, purpose=AccessArchive.Purpose.PORTABILITY
        )
    else:
        _start_erasure(data_request, it_admin, http_request)


def _start_erasure(data_request, it_admin, http_request) -> None:
    """The erasure runs in a Celery task; with the subject, this request goes too: what stays
    is the receipt (without personal data) and the audit trail."""
    from privacy import tasks

    subject = data_request.subject
    refused = erasure.refusal(subject)
    if refused:
        raise ValidationError(refused)
    _step(data_request, Step.ERASURE_STARTED, it_admin, http_request=http_request)
    data_request.status = Status.WAITING
    data_request.save(update_fields=["status"])
    subject_id, actor_id = str(subject.pk), str(it_admin.pk)
    transaction.on_commit(lambda: tasks.erase_subject.delay(subject_id, Ground.REQUEST, actor_id))


def _decide(data_request, it_admin, *, decision, reasons, http_request) -> None:
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Choose whether the objection is upheld.")})
    if not reasons.strip():
        raise ValidationError({"note": _("Give the reasons for the decision.")})
    data_request.decision = decision
    data_request.save(update_fields=["decision"])
    _step(data_request, Step.DECIDED, it_admin, note=reasons.strip(), http_request=http_request)
    subject = data_request.subject
    if decision == Decision.UPHELD and not subject.processing_restricted:
        restrict_processing(
            subject,
            RestrictionGround.OBJECTED.label,
            ground=RestrictionGround.OBJECTED,
            request=http_request,
        )
    _close(data_request, Status.DONE)
    people = [subject, *([data_request.coach] if data_request.coach else [])]
    emails.send("objection_decided", people, emails.request_path(data_request))
    if decision == Decision.UPHELD:
        _tell_coaches(data_request)


def still_building(archives) -> bool:
    """Whether one of ``archives`` is being built; one that has been building for long was
    lost (a worker gone) and is marked failed, so it may be started again."""
    building = archives.filter(state=AccessArchive.State.BUILDING)
    stale = timezone.now() - AccessArchive.STALE_AFTER
    building.filter(created_at__lt=stale).update(state=AccessArchive.State.FAILED)
    return building.exists()


def _start_archive(
    data_request, it_admin, http_request, *, purpose=AccessArchive.Purpose.ACCESS
) -> AccessArchive:
    if still_building(data_request.archives.all()):
        raise ValidationError(_("The copy is already being prepared."))
    archive = AccessArchive.objects.create(
        request=data_request, subject=data_request.subject, purpose=purpose
    )
    if purpose == AccessArchive.Purpose.PORTABILITY:
        archive.recipients.set([data_request.subject])
    else:
        archive.recipients.set(archive_recipients(data_request))
    _step(data_request, Step.ARCHIVE_STARTED, it_admin, http_request=http_request)
    transaction.on_commit(lambda: queue_build(archive))
    return archive


def queue_build(archive) -> None:
    from privacy import tasks

    try:
        tasks.build_access_archive.delay(str(archive.uuid))
    except Exception:
        # No broker, or (running eagerly) a build that failed: the page shows it failed,
        # and whoever started it can start it again.
        logger.exception("access archive %s could not be built", archive.pk)
        AccessArchive.objects.filter(pk=archive.pk, state=AccessArchive.State.BUILDING).update(
            state=AccessArchive.State.FAILED
        )


def archive_built(archive) -> None:
    """Called by the task once the copy is stored: the request is done, its recipients told.
    A self-service export (no request) is shown on its page."""
    data_request = archive.request
    if data_request is None:
        return
    _step(data_request, Step.ARCHIVE_READY, None)
    _close(data_request, Status.DONE)
    emails.send("archive_ready", archive.recipients.all(), emails.request_path(data_request))


def record_download(archive, user, *, http_request=None) -> None:
    if archive.request is not None:
        _step(archive.request, Step.DOWNLOADED, user, http_request=http_request)


def archive_failed(archive) -> None:
    if archive.request is None:
        return
    _step(archive.request, Step.ARCHIVE_FAILED, None)
    emails.send("request_waiting", holders(archive.request), emails.request_path(archive.request))


# Restriction: the subject is told before it is lifted


def lift_announced(data_request) -> bool:
    steps = list(
        data_request.steps.filter(step__in=[Step.LIFT_ANNOUNCED, Step.LIFTED, Step.RESTRICTED])
    )
    return bool(steps) and steps[-1].step == Step.LIFT_ANNOUNCED


def may_announce_lift(user, data_request) -> bool:
    return (
        user.role == Role.IT_ADMIN
        and data_request.kind == Kind.RESTRICTION
        and data_request.status == Status.DONE
        and data_request.subject.processing_restricted
        and not lift_announced(data_request)
    )


def may_lift(user, data_request) -> bool:
    return (
        user.role == Role.IT_ADMIN
        and data_request.kind == Kind.RESTRICTION
        and data_request.subject.processing_restricted
        and lift_announced(data_request)
    )


@transaction.atomic
def announce_lift(data_request, it_admin, *, reason, http_request=None) -> None:
    if not may_announce_lift(it_admin, data_request):
        raise ValidationError(_("There is no restriction of this request to lift."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason why the restriction ends.")})
    _step(
        data_request, Step.LIFT_ANNOUNCED, it_admin, note=reason.strip(), http_request=http_request
    )
    emails.send("lift_announced", [data_request.subject], emails.request_path(data_request))


@transaction.atomic
def lift(data_request, it_admin, *, http_request=None) -> None:
    if not may_lift(it_admin, data_request):
        raise ValidationError(
            _("Tell the subject first: announce the lifting, then lift the restriction.")
        )
    lift_restriction(data_request.subject, request=http_request)
    _step(data_request, Step.LIFTED, it_admin, http_request=http_request)
    _tell_subject(data_request)
    _tell_coaches(data_request)


# Deadlines


def send_reminders(today=None) -> int:
    """E-mails whoever holds a request 7 and 2 days before it is due; once each."""
    today = today or dates.today()
    sent = 0
    for data_request in DataRequest.objects.open().select_related("subject", "coach"):
        days_left = (data_request.deadline - today).days
        due = [days for days in REMINDER_DAYS if days_left <= days]
        if not due or days_left < 0:
            continue
        nearest = min(due)
        if (
            data_request.reminded_days_before is not None
            and data_request.reminded_days_before <= nearest
        ):
            continue
        with transaction.atomic():
            data_request.reminded_days_before = nearest
            data_request.save(update_fields=["reminded_days_before"])
            _step(data_request, Step.REMINDED, None)
            emails.send(
                "request_reminder",
                holders(data_request),
                emails.request_path(data_request),
                days=days_left,
            )
        sent += 1
    return sent
