"""What interventions hold about a data subject: a coachee's assignments (what they were
asked, their answers and files, the coach's feedback), and the templates a coach wrote."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from interventions.models import AnswerFile, Assignment, QuestionKind, Step, Template
from privacy import erasure
from privacy.erasure import ACCESS_RIGHTS
from privacy.subject_data import (
    FILE_FIELDS,
    FILES_KEY,
    Section,
    file_entry,
    full_name,
    iso,
    register,
    safe_file_name,
    stored_file,
)

_QUESTION_FIELDS = {
    "steps.questions": _("The questions of the step"),
    "steps.questions.kind": _(
        "The kind of question: short_text, long_text, scale, single_choice, multiple_choice, "
        "date or file"
    ),
    "steps.questions.text": _("The question"),
    "steps.questions.required": _("Whether an answer is required"),
    "steps.questions.options": _("The options to choose from"),
    "steps.questions.scale_min": _("The lowest point of the scale"),
    "steps.questions.scale_max": _("The highest point of the scale"),
    "steps.questions.min_label": _("The label of the lowest point"),
    "steps.questions.max_label": _("The label of the highest point"),
}


def _answer_path(item: AnswerFile) -> str:
    return f"files/interventions/{item.pk}/{safe_file_name(item.original_name)}"


def _question(question, answer=None, *, answered=False) -> dict:
    """A question of a sent version (QuestionContent) or of a template (Question)."""
    options = question.options
    options = question.option_list if isinstance(options, str) else list(options or [])
    record = {
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "options": options,
        "scale_min": question.scale_min,
        "scale_max": question.scale_max,
        "min_label": question.min_label or None,
        "max_label": question.max_label or None,
    }
    if answered:
        record["answer"] = answer
    return record


def _assignments(subject, *, answered_only=False):
    assignments = Assignment.objects.filter(coachee_id=subject.pk)
    if answered_only:
        assignments = assignments.filter(answers__isnull=False).distinct()
    return (
        assignments.select_related("version", "assigned_by", "reviewed_by", "series")
        .prefetch_related("answers", Prefetch("files", AnswerFile.objects.order_by("created_at")))
        .order_by("available_on", "created_at", "id")
    )


def _walk(assignments):
    """Each assignment with its sent content, its files and, per step, its number, the step,
    the answer (or None) and each question with its answer value (a file by its name)."""
    parsed = {}  # the content of a version, read once for all assignments of a series
    for assignment in assignments.iterator(chunk_size=100):
        content = parsed.get(assignment.version_id)
        if content is None:
            content = parsed[assignment.version_id] = assignment.version.parsed
        answers = {str(answer.step_key): answer for answer in assignment.answers.all()}
        files = {str(item.pk): item for item in assignment.files.all()}
        steps = []
        for number, step in enumerate(content.steps, start=1):
            answer = answers.get(str(step.key))
            values = answer.value_map if answer else {}
            questions = []
            for question in step.questions:
                value = values.get(question.key)
                if question.kind == QuestionKind.FILE and value is not None:
                    stored = files.get(str(value))
                    value = stored.original_name if stored is not None else None
                questions.append((question, value))
            steps.append((number, step, answer, questions))
        yield assignment, content, steps, files.values()


def _file_entries(files) -> list:
    return [
        file_entry(
            _answer_path(item), item.original_name, content_type=item.content_type, size=item.size
        )
        for item in files
    ]


def _assignment_records(subject):
    if subject.role != Role.COACHEE:
        return
    for assignment, content, steps, files in _walk(_assignments(subject)):
        yield {
            "id": str(assignment.pk),
            "title": content.title,
            "introduction": content.introduction or None,
            "message": assignment.message or None,
            "assigned_by": full_name(assignment.assigned_by),
            "assigned_at": iso(assignment.created_at),
            "repeats_every_days": assignment.series.every_days if assignment.series else None,
            "available_on": iso(assignment.available_on),
            "due_on": iso(assignment.due_on),
            "status": assignment.status,
            "submitted_at": iso(assignment.submitted_at),
            "reopen_note": assignment.reopen_note or None,
            "reviewed_at": iso(assignment.reviewed_at),
            "reviewed_by": full_name(assignment.reviewed_by),
            "feedback": assignment.feedback or None,
            "steps": [
                {
                    "number": number,
                    "text": step.text or None,
                    "questions": [
                        _question(question, value, answered=True) for question, value in questions
                    ],
                    "saved_at": iso(answer.saved_at) if answer else None,
                    "feedback": (answer.feedback or None) if answer else None,
                }
                for number, step, answer, questions in steps
            ],
            FILES_KEY: _file_entries(files),
        }


def _provided_records(subject):
    """The coachee's answers, per question with its text (the context), and their files;
    an assignment without any answer is left out."""
    if subject.role != Role.COACHEE:
        return
    for assignment, content, steps, files in _walk(_assignments(subject, answered_only=True)):
        yield {
            "id": str(assignment.pk),
            "title": content.title,
            "submitted_at": iso(assignment.submitted_at),
            "steps": [
                {
                    "number": number,
                    "text": step.text or None,
                    "questions": [
                        {"kind": question.kind, "text": question.text, "answer": value}
                        for question, value in questions
                    ],
                    "saved_at": iso(answer.saved_at),
                }
                for number, step, answer, questions in steps
                if answer is not None
            ],
            FILES_KEY: _file_entries(files),
        }


def _assignment_files(subject):
    if subject.role != Role.COACHEE:
        return
    items = AnswerFile.objects.filter(assignment__coachee_id=subject.pk).order_by(
        "assignment__available_on", "assignment__created_at", "assignment_id", "created_at"
    )
    for item in items.iterator(chunk_size=200):
        yield stored_file(_answer_path(item), item)


ASSIGNMENTS = Section(
    name="interventions.assignments",
    title=_("Your interventions"),
    description=_(
        "Every intervention your coach gave you: what it asked, step by step, your answers, "
        "its status and dates, and your coach's feedback. Files you added as answers are "
        "among the files."
    ),
    fields={
        "id": _("Identifier of the assignment"),
        "title": _("The title of the intervention"),
        "introduction": _("The introduction of the intervention"),
        "message": _("The personal message of your coach with it"),
        "assigned_by": _("The coach who gave it"),
        "assigned_at": _("When it was given"),
        "repeats_every_days": _("For a repeating intervention: every how many days it comes"),
        "available_on": _("From when you could fill it in"),
        "due_on": _("When it should be done"),
        "status": _("Its status: assigned, in_progress, submitted or reviewed"),
        "submitted_at": _("When you handed it in"),
        "reopen_note": _("Your coach's note when they gave it back to you to change"),
        "reviewed_at": _("When your coach reviewed it"),
        "reviewed_by": _("The coach who reviewed it"),
        "feedback": _("Your coach's feedback on the whole"),
        "steps": _("The steps of the intervention, in order"),
        "steps.number": _("The number of the step"),
        "steps.text": _("The text of the step"),
        "steps.saved_at": _("When you last saved your answers to the step"),
        "steps.feedback": _("Your coach's feedback on the step"),
        **_QUESTION_FIELDS,
        "steps.questions.answer": _(
            "Your answer (for a file: its name; the file is among the files)"
        ),
        **FILE_FIELDS,
    },
    records=_assignment_records,
    files=_assignment_files,
    provided=_provided_records,
    provided_files=_assignment_files,
    provided_description=_(
        "Your answers to the interventions your coach gave you, step by step, each with its "
        "question for context. Files you added as answers are among the files."
    ),
    provided_keys=(
        "id",
        "title",
        "submitted_at",
        "steps",
        "steps.number",
        "steps.text",
        "steps.saved_at",
        "steps.questions",
        "steps.questions.kind",
        "steps.questions.text",
        "steps.questions.answer",
        *FILE_FIELDS,
    ),
)


def _template_records(subject):
    if subject.role != Role.COACH:
        return
    steps = Step.objects.prefetch_related("questions").order_by("position", "id")
    templates = (
        Template.objects.filter(owner_id=subject.pk)
        .prefetch_related(Prefetch("steps", steps))
        .order_by("created_at", "id")
    )
    for template in templates.iterator(chunk_size=50):
        yield {
            "id": str(template.pk),
            "title": template.title,
            "introduction": template.introduction or None,
            "shared": template.shared,
            "created_at": iso(template.created_at),
            "changed_at": iso(template.changed_at),
            "archived_at": iso(template.archived_at),
            "versions_sent": template.version_count,
            "steps": [
                {
                    "number": number,
                    "text": step.text or None,
                    "questions": [_question(question) for question in step.questions.all()],
                }
                for number, step in enumerate(template.steps.all(), start=1)
            ],
        }


TEMPLATES = Section(
    name="interventions.templates",
    title=_("Your intervention templates"),
    description=_(
        "The interventions you wrote in your organisation's library, as they stand now (what "
        "a coachee received is in their own data)."
    ),
    fields={
        "id": _("Identifier of the template"),
        "title": _("The title"),
        "introduction": _("The introduction the coachee reads first"),
        "shared": _("Whether it is shared with the coaches of your organisation"),
        "created_at": _("When you made it"),
        "changed_at": _("When you last changed it"),
        "archived_at": _("When you archived it"),
        "versions_sent": _("How many versions were sent to coachees"),
        "steps": _("The steps, in order"),
        "steps.number": _("The number of the step"),
        "steps.text": _("The text of the step"),
        **_QUESTION_FIELDS,
    },
    records=_template_records,
)

register(ASSIGNMENTS)
register(TEMPLATES)


erasure.register(
    titles={
        "interventions.series": _("Series of interventions"),
        "interventions.assignment": _("Interventions assigned"),
        "interventions.stepanswer": _("Answers"),
        "interventions.answerfile": _("Files with answers"),
        "interventions.assignmentuserobjectpermission": ACCESS_RIGHTS,
    }
)
