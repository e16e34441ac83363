"""Data-subject requests (regulation 1.2.6 and 1.3.5): who filed what, who holds it, and
every step it took. Motivations, advice and notes are content: encrypted under the subject's
key, like everything else they wrote."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RestrictionGround
from accounts.roles import Role
from pluform.crypto.fields import EncryptedTextField
from pluform.crypto.files import EncryptedFileField
from pluform.crypto.scopes import coachee_scope, owner_scope
from pluform.dates import add_months

DUE_AFTER = datetime.timedelta(weeks=4)
MAX_EXTENSION_MONTHS = 2


def subject_scope(subject) -> str:
    return coachee_scope(subject) if subject.role == Role.COACHEE else owner_scope(subject)


class Kind(models.TextChoices):
    ACCESS = "access", _("Access to data")
    RECTIFICATION = "rectification", _("Rectification")
    ERASURE = "erasure", _("Erasure")
    RESTRICTION = "restriction", _("Restriction of processing")
    PORTABILITY = "portability", _("Data portability")
    OBJECTION = "objection", _("Objection")


Ground = RestrictionGround
COACH_GROUNDS = (Ground.CONTESTED, Ground.UNLAWFUL, Ground.OBJECTED)


class Status(models.TextChoices):
    WITH_COACH = "with_coach", _("With your coach")
    WITH_SUBJECT = "with_subject", _("Waiting for clarification")
    WITH_ACCOUNT_MANAGER = "with_account_manager", _("With Pluform's account manager")
    WITH_IT_ADMIN = "with_it_admin", _("With Pluform's IT administrator")
    WAITING = "waiting", _("Being carried out")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (
    Status.WITH_COACH,
    Status.WITH_SUBJECT,
    Status.WITH_ACCOUNT_MANAGER,
    Status.WITH_IT_ADMIN,
    Status.WAITING,
)


class Decision(models.TextChoices):
    UPHELD = "upheld", _("Objection upheld: the processing stops")
    REJECTED = "rejected", _("Objection rejected: the processing continues")


class DataRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today):
        return self.open().filter(
            models.Q(extended_due_on__isnull=True, due_on__lt=today)
            | models.Q(extended_due_on__lt=today)
        )


class DataRequest(models.Model):
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.CASCADE,
        related_name="data_requests",
    )
    # The controller the request went to first; empty for a coach's own request.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coachee_data_requests",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices, blank=True)
    motivation = EncryptedTextField(_("motivation"), blank=True, default="")
    status = models.CharField(_("status"), max_length=24, choices=Status.choices)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    # When it reached Pluform's account manager: from then on Pluform staff see it.
    reached_pluform_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField(_("due"))
    extended_due_on = models.DateField(_("extended to"), null=True, blank=True)
    advice = EncryptedTextField(_("advice of the coach"), blank=True, default="")
    inspect_together = models.BooleanField(_("inspect together with the coach"), default=False)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    # The reminder last sent, in days before the due date (7, then 2).
    reminded_days_before = models.PositiveSmallIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = DataRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "due_on"], name="privacy_request_queue")]

    def __str__(self):
        return str(self.get_kind_display())

    def encryption_scope(self) -> str:
        return subject_scope(self.subject)

    @staticmethod
    def due_for(received: datetime.date) -> datetime.date:
        """Four weeks after receipt, and never past the law's one month (GDPR art. 12(3))."""
        return min(received + DUE_AFTER, add_months(received, 1))

    @property
    def received_on(self) -> datetime.date:
        return timezone.localdate(self.received_at)

    @property
    def deadline(self) -> datetime.date:
        return self.extended_due_on or self.due_on

    @property
    def latest_extension(self) -> datetime.date:
        return add_months(self.due_on, MAX_EXTENSION_MONTHS)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline < today


class Step(models.TextChoices):
    FILED = "filed", _("Request filed")
    CLARIFICATION_ASKED = "clarification_asked", _("Clarification asked")
    CLARIFIED = "clarified", _("Clarification given")
    FORWARDED = "forwarded", _("Forwarded to Pluform")
    PASSED_ON = "passed_on", _("Passed on to the IT administrator")
    EXTENDED = "extended", _("Deadline extended")
    ARCHIVE_STARTED = "archive_started", _("Copy of the data being prepared")
    ARCHIVE_READY = "archive_ready", _("Copy of the data ready to download")
    ARCHIVE_FAILED = "archive_failed", _("Preparing the copy failed")
    DOWNLOADED = "downloaded", _("Copy downloaded")
    RECTIFIED = "rectified", _("Data corrected")
    RESTRICTED = "restricted", _("Processing restricted")
    LIFT_ANNOUNCED = "lift_announced", _("Lifting of the restriction announced")
    LIFTED = "lifted", _("Restriction lifted")
    DECIDED = "decided", _("Decision on the objection")
    WAITING = "waiting", _("Waiting for self-service")
    ERASURE_STARTED = "erasure_started", _("Erasure started")
    WITHDRAWN = "withdrawn", _("Request withdrawn")
    REMINDED = "reminded", _("Reminder sent")


class RequestStep(models.Model):
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("step"), max_length=24, choices=Step.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    note = EncryptedTextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("step of a request")
        verbose_name_plural = _("steps of requests")
        ordering = ["at", "uuid"]

    def __str__(self):
        return str(self.get_step_display())

    def encryption_scope(self) -> str:
        return self.request.encryption_scope()


class AccessArchive(models.Model):
    """The copy of a subject's data: a ZIP encrypted under the subject's key, built by a
    Celery task, downloadable by its recipients for 7 days. For an access request
    (everything held, purpose "access"), or a portability export (what the subject provided,
    purpose "portability"): started by the subject themselves (no request) or by the IT
    administrator executing a portability request."""

    class Purpose(models.TextChoices):
        ACCESS = "access", _("Copy of all your data")
        PORTABILITY = "portability", _("Export of the data you provided")

    class State(models.TextChoices):
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    LIFETIME = datetime.timedelta(days=7)
    STALE_AFTER = datetime.timedelta(hours=6)

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(
        DataRequest, on_delete=models.CASCADE, related_name="archives", null=True, blank=True
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_archives"
    )
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.ACCESS)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.BUILDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = EncryptedFileField(blank=True, upload_kinds=("archive",))
    size = models.PositiveBigIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("copy of a subject's data")
        verbose_name_plural = _("copies of subjects' data")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.uuid)

    def save(self, *args, **kwargs):
        self._fill_subject()
        super().save(*args, **kwargs)

    def _fill_subject(self) -> None:
        """A copy for a request is of the request's subject (also when made without it)."""
        if self.subject_id is None and self.request_id is not None:
            self.subject_id = self.request.subject_id

    def encryption_scope(self) -> str:
        self._fill_subject()
        return subject_scope(self.subject)

    def is_downloadable(self, now) -> bool:
        return (
            self.state == self.State.READY and self.expires_at is not None and now < self.expires_at
        )


class ArchiveDownload(models.Model):
    archive = models.ForeignKey(AccessArchive, on_delete=models.CASCADE, related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at"]

    def __str__(self):
        return f"{self.archive_id} {self.at:%Y-%m-%d %H:%M}"
