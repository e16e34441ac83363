"""Intervention templates (a coach's draft, with steps and questions), the versions that are
sent, and assignments with their answers, files and feedback.

What a coachee received never changes: an assignment points at an immutable version, a
snapshot of the draft as it was when assigned. Template content is encrypted under the
organisation's library key; everything a coachee or their coach writes about the coachee
(answers, files, feedback, the personal message, notes) under the coachee's key.
"""

import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from interventions.content import VersionContent
from pluform import dates
from pluform.crypto.fields import EncryptedTextField
from pluform.crypto.scopes import coachee_scope, library_scope
from pluform.uploads.models import StoredUpload

MAX_SCALE_POINTS = 100


class Template(models.Model):
    """A coach's editable intervention; ``owner`` is empty for the organisation's starter set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="intervention_templates"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intervention_templates",
    )
    title = EncryptedTextField(_("title"), max_length=200)
    introduction = EncryptedTextField(
        _("introduction"),
        blank=True,
        default="",
        help_text=_("What the coachee reads first: what this is for and how long it takes."),
    )
    shared = models.BooleanField(
        _("shared with the coaches of my organisation"),
        default=False,
        help_text=_("They can read and copy it, not change it."),
    )
    starter = models.CharField(max_length=60, blank=True, editable=False)
    language = models.CharField(max_length=2, blank=True, editable=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    version_count = models.PositiveIntegerField(default=0, editable=False)
    # When the draft was last sent as a version; a later ``changed_at`` means a new version.
    versioned_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("intervention template")
        verbose_name_plural = _("intervention templates")
        ordering = ["-changed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "starter", "language"],
                condition=~models.Q(starter=""),
                name="one_starter_template_per_organisation",
            )
        ]

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self) -> str:
        return library_scope(self.organisation_id)

    @property
    def is_starter(self):
        return bool(self.starter)

    @property
    def has_unsent_changes(self):
        return self.versioned_at is None or self.changed_at > self.versioned_at


class Step(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0)
    text = EncryptedTextField(
        _("text for the coachee"),
        blank=True,
        default="",
        help_text=_("An explanation, an exercise or a thought to start from."),
    )

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position", "id"]

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self) -> str:
        return library_scope(self.template.organisation_id)


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SCALE = "scale", _("Scale")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    DATE = "date", _("Date")
    FILE = "file", _("File upload")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


class Question(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    text = EncryptedTextField(_("question"))
    required = models.BooleanField(_("required"), default=False)
    # One option per line, for single and multiple choice.
    options = EncryptedTextField(_("options"), blank=True, default="")
    scale_min = models.IntegerField(_("scale from"), null=True, blank=True)
    scale_max = models.IntegerField(_("scale to"), null=True, blank=True)
    min_label = EncryptedTextField(_("label of the lowest point"), blank=True, default="")
    max_label = EncryptedTextField(_("label of the highest point"), blank=True, default="")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self) -> str:
        return library_scope(self.step.template.organisation_id)

    # What a question says and asks, as opposed to where it stands (step, position).
    CONTENT_FIELDS = (
        "kind",
        "text",
        "required",
        "options",
        "scale_min",
        "scale_max",
        "min_label",
        "max_label",
    )

    def content(self) -> dict:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]


class TemplateVersion(models.Model):
    """What a coachee receives: the template as it was, frozen. Never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="versions")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE)
    number = models.PositiveIntegerField()
    title = EncryptedTextField()
    content = EncryptedTextField()  # JSON, see interventions.content
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="one_version_number"),
        ]

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self) -> str:
        return library_scope(self.organisation_id)

    @property
    def parsed(self) -> VersionContent:
        cached = self.__dict__.get("_parsed")
        if cached is None:
            cached = self.__dict__["_parsed"] = VersionContent.from_json(self.content)
        return cached


class Series(models.Model):
    """A repeating assignment: one occurrence every ``every_days`` days until ``until``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trajectory = models.ForeignKey(
        "accounts.Trajectory", on_delete=models.CASCADE, related_name="intervention_series"
    )
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="+")
    every_days = models.PositiveIntegerField()
    starts_on = models.DateField()
    until = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return str(self.pk)


class Status(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed")


OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)


class Assignment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trajectory = models.ForeignKey(
        "accounts.Trajectory", on_delete=models.CASCADE, related_name="assignments"
    )
    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="+")
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    message = EncryptedTextField(_("personal message"), blank=True, default="")
    available_on = models.DateField(_("available from"), db_index=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ASSIGNED
    )
    feedback = EncryptedTextField(_("feedback"), blank=True, default="")
    # Whether there is feedback, overall or on a step: lists tell without decrypting any.
    has_feedback = models.BooleanField(default=False, editable=False)
    reopen_note = EncryptedTextField(_("note on reopening"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["available_on", "created_at"]
        permissions = [
            ("work_on_assignment", "Can fill in the assignment"),
            ("review_assignment", "Can read and review the assignment"),
        ]
        indexes = [models.Index(fields=["coachee", "status"], name="assignment_by_status")]

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self) -> str:
        return coachee_scope(self.coachee_id)

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.due_on is not None and self.due_on < dates.today()


class AssignmentUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("assignment permission")
        verbose_name_plural = _("assignment permissions")


class StepAnswer(models.Model):
    """The answers to one step, saved together; ``revision`` tells two saves apart."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="answers")
    step_key = models.UUIDField()
    values = EncryptedTextField(default="{}")  # JSON: question key -> value
    feedback = EncryptedTextField(_("feedback on this step"), blank=True, default="")
    revision = models.PositiveIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "step_key"], name="one_answer_per_step"),
        ]

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self) -> str:
        return self.assignment.encryption_scope()

    @property
    def value_map(self) -> dict:
        return json.loads(self.values or "{}")


class AnswerFile(StoredUpload):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="files")
    question_key = models.UUIDField()

    class Meta(StoredUpload.Meta):
        verbose_name = _("answer file")
        verbose_name_plural = _("answer files")

    def encryption_scope(self) -> str:
        return self.assignment.encryption_scope()
