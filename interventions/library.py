"""The template library: building, reordering, copying, sharing, archiving and versioning."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from interventions.content import QuestionContent, StepContent, VersionContent
from interventions.models import Question, Step, Template, TemplateVersion

logger = logging.getLogger(__name__)


def touch(template: Template) -> None:
    """Marks the draft changed: the next assignment sends a new version."""
    template.changed_at = timezone.now()
    Template.objects.filter(pk=template.pk).update(changed_at=template.changed_at)


def create_template(coach, *, title: str, introduction: str = "", shared=False) -> Template:
    template = Template.objects.create(
        organisation_id=coach.organisation_id,
        owner=coach,
        title=title,
        introduction=introduction,
        shared=shared,
    )
    logger.info("intervention template %s created", template.pk)
    return template


def update_template(template: Template, *, title: str, introduction: str, shared: bool) -> None:
    template.title, template.introduction, template.shared = title, introduction, shared
    template.changed_at = timezone.now()
    template.save(update_fields=["title", "introduction", "shared", "changed_at"])


def set_archived(template: Template, archived: bool) -> None:
    template.archived_at = timezone.now() if archived else None
    template.save(update_fields=["archived_at"])


# Steps


def steps_of(template: Template) -> list[Step]:
    """The draft's steps with their questions, in two queries."""
    steps = list(template.steps.prefetch_related("questions"))
    for step in steps:
        step.template = template
        for question in step.questions.all():
            question.step = step
    return steps


def add_step(template: Template) -> Step:
    last = template.steps.aggregate(last=Max("position"))["last"]
    step = Step(template=template, position=(last or 0) + 1)
    return step


@transaction.atomic
def save_step(step: Step, text: str, questions: list[dict]) -> None:
    """Stores the step's text and its questions (in the given order) as one change.

    ``questions`` are dicts with the Question fields, and ``id`` for an existing question.
    """
    if not text.strip() and not questions:
        raise ValidationError(_("A step needs a text for the coachee, a question, or both."))
    step.text = text
    step.save()
    own = {question.pk: question for question in step.questions.all()}
    kept = []
    for position, data in enumerate(questions, start=1):
        # Only a question of this step is updated; any other id posted makes a new question.
        question = own.get(data.pop("id", None)) or Question(step=step)
        question.step = step
        for name, value in data.items():
            setattr(question, name, value)
        question.position = position
        question.save()
        kept.append(question.pk)
    step.questions.exclude(pk__in=kept).delete()
    touch(step.template)


@transaction.atomic
def delete_step(step: Step) -> None:
    template = step.template
    step.delete()
    _write_order(template.steps.values_list("pk", flat=True))
    touch(template)


def _write_order(step_ids) -> None:
    for position, step_id in enumerate(step_ids, start=1):
        Step.objects.filter(pk=step_id).update(position=position)


@transaction.atomic
def move_step(step: Step, offset: int) -> None:
    """Moves a step one place up (-1) or down (+1)."""
    template = step.template
    ids = list(template.steps.values_list("pk", flat=True))
    index = ids.index(step.pk)
    target = index + offset
    if not 0 <= target < len(ids):
        return
    ids[index], ids[target] = ids[target], ids[index]
    _write_order(ids)
    touch(template)


# Copies


@transaction.atomic
def copy_template(template: Template, coach, *, title: str | None = None) -> Template:
    """A new template of ``coach`` with the same content (new keys: a copy is not a series)."""
    copy = Template.objects.create(
        organisation_id=coach.organisation_id,
        owner=coach,
        title=title or _("%(title)s (copy)") % {"title": template.title},
        introduction=template.introduction,
        copied_from=template,
    )
    for step in steps_of(template):
        new_step = Step.objects.create(template=copy, position=step.position, text=step.text)
        Question.objects.bulk_create(
            [
                Question(step=new_step, position=question.position, **question.content())
                for question in step.questions.all()
            ]
        )
    logger.info("intervention template %s copied to %s", template.pk, copy.pk)
    return copy


# Versions


def problems(template: Template, steps: list[Step]) -> list[str]:
    """Why this draft cannot be sent yet, in words for its author."""
    errors = []
    if not steps:
        errors.append(_("This intervention has no steps yet: add at least one."))
    for number, step in enumerate(steps, start=1):
        if not step.text.strip() and not step.questions.all():
            errors.append(_("Step %(number)d has no text and no question.") % {"number": number})
    return errors


def snapshot(template: Template, steps: list[Step]) -> VersionContent:
    return VersionContent(
        title=template.title,
        introduction=template.introduction,
        steps=[
            StepContent(
                key=str(step.pk),
                text=step.text,
                questions=[
                    QuestionContent(
                        key=str(question.pk),
                        **{**question.content(), "options": question.option_list},
                    )
                    for question in step.questions.all()
                ],
            )
            for step in steps
        ],
    )


@transaction.atomic
def version_to_send(template: Template, coach) -> TemplateVersion:
    """The latest version, or a new one when the draft changed since it was last sent."""
    template = Template.objects.select_for_update().get(pk=template.pk)
    if not template.has_unsent_changes:
        return template.versions.order_by("-number").first()
    steps = steps_of(template)
    errors = problems(template, steps)
    if errors:
        raise ValidationError(errors)
    content = snapshot(template, steps)
    now = timezone.now()
    number = template.version_count + 1
    version = TemplateVersion.objects.create(
        template=template,
        organisation_id=template.organisation_id,
        number=number,
        title=content.title,
        content=content.to_json(),
        created_by=coach,
    )
    Template.objects.filter(pk=template.pk).update(
        version_count=F("version_count") + 1, versioned_at=max(now, template.changed_at)
    )
    logger.info("version %d of template %s made", number, template.pk)
    return version
