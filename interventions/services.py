"""What happens to an assignment: assigning (once or as a series), filling in step by step,
submitting, feedback, review and reopening. Every change checks that the coachee's data may
be processed (no restriction) and that the trajectory is still running."""

import datetime
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from interventions import access, library
from interventions.content import StepContent
from interventions.models import (
    OPEN_STATUSES,
    AnswerFile,
    Assignment,
    QuestionKind,
    Series,
    Status,
    StepAnswer,
    Template,
)
from pluform import dates
from pluform.notices import services as notices
from privacy import consent

logger = logging.getLogger(__name__)

MAX_REPEAT_DAYS = 366
MAX_OCCURRENCES = 60
MAX_MESSAGE_LENGTH = 5_000
MAX_FEEDBACK_LENGTH = 20_000


class Blocker:
    ENDED = "ended"
    RESTRICTED = "restricted"


def blocker(assignment: Assignment) -> str | None:
    """Why nothing may change in this assignment now, or None."""
    if not assignment.trajectory.is_active:
        return Blocker.ENDED
    if assignment.coachee.processing_restricted:
        return Blocker.RESTRICTED
    return None


def _check_open(assignment: Assignment) -> None:
    reason = blocker(assignment)
    if reason == Blocker.ENDED:
        raise ValidationError(_("This trajectory has ended: the intervention can only be read."))
    if reason == Blocker.RESTRICTED:
        raise ValidationError(
            _("Processing is restricted for this coachee: nothing can be changed for now.")
        )


# Assigning


def coachable_trajectories(coach):
    """The running trajectories of ``coach``, with their coachees."""
    today = dates.today()
    return (
        consent.trajectories_of(coach, "interventions")
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .select_related("coachee")
        .order_by("coachee__first_name", "coachee__last_name")
    )


@dataclass
class Plan:
    """When the occurrences of an assignment open and are due."""

    starts_on: datetime.date
    due_on: datetime.date | None = None
    every_days: int | None = None
    until: datetime.date | None = None

    def clean(self) -> None:
        today = dates.today()
        errors = {}
        if self.starts_on < today:
            errors["starts_on"] = _("The start date cannot be in the past.")
        if self.due_on is not None:
            if self.due_on < today:
                errors["due_on"] = _("The due date cannot be in the past.")
            elif self.due_on < self.starts_on:
                errors["due_on"] = _("The due date cannot be before the start date.")
        if self.every_days is not None:
            if self.until is None:
                errors["until"] = _("Choose the date on which the repeat ends.")
            elif self.until < self.starts_on:
                errors["until"] = _("The repeat must end after it starts.")
            elif (self.until - self.starts_on).days > MAX_REPEAT_DAYS:
                errors["until"] = _("A repeat can run for at most a year.")
            elif len(self.dates()) > MAX_OCCURRENCES:
                errors["every_days"] = _(
                    "That would be more than %(max)d times: repeat less often."
                ) % {"max": MAX_OCCURRENCES}
        if errors:
            raise ValidationError(errors)

    def dates(self) -> list[datetime.date]:
        if self.every_days is None:
            return [self.starts_on]
        result, day = [], self.starts_on
        while day <= self.until and len(result) <= MAX_OCCURRENCES:
            result.append(day)
            day += datetime.timedelta(days=self.every_days)
        return result

    def due_for(self, opens_on: datetime.date) -> datetime.date | None:
        if self.due_on is None:
            return None
        return opens_on + (self.due_on - self.starts_on)


@transaction.atomic
def assign(
    template: Template, coach, trajectories, *, plan: Plan, message: str = ""
) -> list[Assignment]:
    """Assigns the template's current version to each trajectory's coachee.

    Nothing is stored unless every coachee may receive it.
    """
    plan.clean()
    if coach.processing_restricted:
        raise ValidationError(
            _("Processing of your data is restricted: nothing new can be assigned for now.")
        )
    if len(message) > MAX_MESSAGE_LENGTH:
        raise ValidationError(_("The message can be at most 5,000 characters long."))
    allowed = {t.pk: t for t in coachable_trajectories(coach)}
    chosen = [allowed.get(t.pk) for t in trajectories]
    if not trajectories or None in chosen:
        raise ValidationError(_("You can only assign to your own coachees."))
    restricted = [t.coachee for t in chosen if t.coachee.processing_restricted]
    if restricted:
        raise ValidationError(
            _("Processing is restricted for %(names)s: nothing new can be assigned.")
            % {"names": ", ".join(str(user) for user in restricted)}
        )
    version = library.version_to_send(template, coach)
    today = dates.today()
    created = []
    for trajectory in chosen:
        series = None
        if plan.every_days is not None:
            series = Series.objects.create(
                trajectory=trajectory,
                version=version,
                every_days=plan.every_days,
                starts_on=plan.starts_on,
                until=plan.until,
            )
        coaches = list(trajectory.coaches.all())
        for opens_on in plan.dates():
            assignment = Assignment.objects.create(
                trajectory=trajectory,
                coachee=trajectory.coachee,
                assigned_by=coach,
                version=version,
                series=series,
                message=message,
                available_on=opens_on,
                due_on=plan.due_for(opens_on),
            )
            access.grant_assignment(assignment, coaches)
            if opens_on <= today:
                notices.announce([trajectory.coachee], "interventions.assigned", assignment.pk)
            created.append(assignment)
    logger.info("template %s assigned: %d assignments", template.pk, len(created))
    return created


# Filling in


class StepChanged(Exception):
    """The step was saved elsewhere (another tab) after this form was shown."""

    def __init__(self, answer: StepAnswer):
        super().__init__()
        self.answer = answer


def answers_by_step(assignment: Assignment) -> dict[str, StepAnswer]:
    answers = {}
    for answer in assignment.answers.all():
        answer.assignment = assignment
        answers[str(answer.step_key)] = answer
    return answers


def files_by_id(assignment: Assignment) -> dict[str, AnswerFile]:
    files = {}
    for item in assignment.files.all():
        item.assignment = assignment
        files[str(item.pk)] = item
    return files


def _lock(assignment: Assignment) -> None:
    current = Assignment.objects.select_for_update().only("status").get(pk=assignment.pk)
    assignment.status = current.status


@transaction.atomic
def save_step(
    assignment: Assignment, step: StepContent, values: dict, uploads: dict, revision: int
) -> StepAnswer:
    """Stores one step's answers; ``uploads`` maps question keys to checked files.

    ``revision`` is the revision the form was shown with: if the step was saved since (in
    another tab), nothing is stored and StepChanged says so.
    """
    _lock(assignment)
    _check_open(assignment)
    if assignment.status not in OPEN_STATUSES:
        raise ValidationError(_("This intervention has been submitted: it can no longer change."))
    answer, _created = StepAnswer.objects.select_for_update().get_or_create(
        assignment=assignment, step_key=step.key
    )
    answer.assignment = assignment
    if answer.revision != revision:
        raise StepChanged(answer)
    stored = answer.value_map
    for question in step.questions:
        if question.kind == QuestionKind.FILE:
            # A new file replaces the stored one; "" (remove) deletes it; else it stays.
            upload = uploads.get(question.key)
            if upload is None and values.get(question.key) != "":
                continue
            old = stored.pop(question.key, None)
            if upload is not None:
                item = AnswerFile.objects.create(
                    assignment=assignment, question_key=question.key, **AnswerFile.fields_of(upload)
                )
                stored[question.key] = str(item.pk)
            if old:
                AnswerFile.objects.filter(assignment=assignment, pk=old).delete()
        elif question.key in values:
            value = values[question.key]
            if value in ("", None, []):
                stored.pop(question.key, None)
            else:
                stored[question.key] = value
    answer.values = json.dumps(stored, ensure_ascii=False)
    answer.revision += 1
    answer.saved_at = timezone.now()
    answer.save(update_fields=["values", "revision", "saved_at"])
    if assignment.status == Status.ASSIGNED:
        assignment.status = Status.IN_PROGRESS
        Assignment.objects.filter(pk=assignment.pk).update(
            status=Status.IN_PROGRESS, changed_at=answer.saved_at
        )
    logger.info("step %s of assignment %s saved", step.key, assignment.pk)
    return answer


def missing_required(assignment: Assignment, answers: dict[str, StepAnswer]) -> list[int]:
    """The numbers of the steps with a required question left empty."""
    missing = []
    for number, step in enumerate(assignment.version.parsed.steps, start=1):
        answer = answers.get(step.key)
        stored = answer.value_map if answer else {}
        if any(q.required and q.key not in stored for q in step.questions):
            missing.append(number)
    return missing


@transaction.atomic
def submit(assignment: Assignment) -> None:
    _lock(assignment)
    _check_open(assignment)
    if assignment.status not in OPEN_STATUSES:
        raise ValidationError(_("This intervention has already been submitted."))
    missing = missing_required(assignment, answers_by_step(assignment))
    if missing:
        raise ValidationError(
            _(
                "Answer the required questions first. Steps with a required question left "
                "open: %(steps)s."
            )
            % {"steps": ", ".join(str(number) for number in missing)}
        )
    now = timezone.now()
    Assignment.objects.filter(pk=assignment.pk).update(
        status=Status.SUBMITTED, submitted_at=now, changed_at=now
    )
    assignment.status, assignment.submitted_at = Status.SUBMITTED, now
    let_in = consent.coached_for("interventions").filter(trajectory=assignment.trajectory)
    coaches = list(User.objects.filter(pk__in=let_in.values("coach_id"), is_active=True))
    notices.announce(coaches, "interventions.submitted", assignment.pk)
    logger.info("assignment %s submitted", assignment.pk)


# Review


@transaction.atomic
def save_feedback(
    assignment: Assignment, *, overall: str, per_step: dict[str, str], reviewed: bool, by=None
) -> None:
    """Stores the coach's feedback; ``reviewed`` also marks the assignment reviewed."""
    _lock(assignment)
    _check_open(assignment)
    if assignment.status not in (Status.SUBMITTED, Status.REVIEWED):
        raise ValidationError(_("Feedback can be given once the coachee has submitted."))
    if any(len(text) > MAX_FEEDBACK_LENGTH for text in [overall, *per_step.values()]):
        raise ValidationError(_("Feedback can be at most 20,000 characters long."))
    answers = answers_by_step(assignment)
    for key, text in per_step.items():
        answer = answers.get(key)
        if answer is None:
            if not text:
                continue
            answer = answers[key] = StepAnswer(assignment=assignment, step_key=key)
        if answer.feedback != text:
            answer.feedback = text
            answer.save()
    assignment.feedback = overall
    assignment.has_feedback = bool(overall) or any(a.feedback for a in answers.values())
    fields = ["feedback", "has_feedback", "changed_at"]
    if reviewed and assignment.status == Status.SUBMITTED:
        assignment.status, assignment.reviewed_at = Status.REVIEWED, timezone.now()
        assignment.reviewed_by = by
        fields += ["status", "reviewed_at", "reviewed_by"]
    assignment.save(update_fields=fields)
    logger.info("feedback on assignment %s saved", assignment.pk)


@transaction.atomic
def reopen(assignment: Assignment, note: str) -> None:
    """Gives a submitted assignment back to the coachee, with a note saying why."""
    _lock(assignment)
    _check_open(assignment)
    if assignment.status != Status.SUBMITTED:
        raise ValidationError(_("Only a submitted intervention can be reopened."))
    if not note.strip():
        raise ValidationError(_("Write a note that tells the coachee what to look at again."))
    assignment.status, assignment.reopen_note = Status.IN_PROGRESS, note
    assignment.submitted_at = None
    assignment.save(update_fields=["status", "reopen_note", "submitted_at", "changed_at"])
    notices.announce([assignment.coachee], "interventions.reopened", assignment.pk)
    logger.info("assignment %s reopened", assignment.pk)


# Notices


def _running() -> Q:
    today = dates.today()
    return Q(trajectory__ended_on__isnull=True) | Q(trajectory__ended_on__gte=today)


def due_soon(days: int = 2):
    """Open assignments due in ``days`` days whose coachee may be told."""
    return Assignment.objects.filter(
        status__in=OPEN_STATUSES,
        due_on=dates.today() + datetime.timedelta(days=days),
        available_on__lte=dates.today(),
        coachee__processing_restricted_at__isnull=True,
    ).filter(_running())


def opened_today():
    """Assignments that became available today (a notice goes once: announce keeps count)."""
    return Assignment.objects.filter(
        available_on=dates.today(),
        status=Status.ASSIGNED,
        coachee__processing_restricted_at__isnull=True,
    ).filter(_running())


def send_daily_notices() -> int:
    count = 0
    for assignment in due_soon().select_related("coachee"):
        notices.announce([assignment.coachee], "interventions.due_soon", assignment.pk)
        count += 1
    for assignment in opened_today().select_related("coachee"):
        notices.announce([assignment.coachee], "interventions.assigned", assignment.pk)
        count += 1
    return count
