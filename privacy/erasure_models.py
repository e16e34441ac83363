"""Erasure (regulation 1.2.6.3, 1.3.5.3, 1.2.6.7): each erasure with its receipt, the files
it still has to remove, legal holds that stop it, and the notices sent before a purge.

Nothing here is personal data once the person is gone: a subject is a random uuid that no
longer leads to anyone, and a receipt holds classes and counts, never names or content.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pluform import dates


class Ground(models.TextChoices):
    SELF_SERVICE = "self_service", _("Erased by the person themselves")
    REQUEST = "request", _("Erasure request executed")
    RETENTION = "retention", _("Retention period ended")
    REPLAY = "replay", _("Erased again after a restore")


class Erasure(models.Model):
    """One erasure and its receipt. The database rows of the subject go in one transaction
    that also writes this row and the list of their stored files; the files and the data
    key go afterwards, by ``privacy.erasure.finish``, which a retry repeats until done."""

    class State(models.TextChoices):
        FILES_PENDING = "files_pending", _("Records erased; files and key being removed")
        DONE = "done", _("Done")

    uuid = models.UUIDField(_("receipt number"), primary_key=True, default=uuid.uuid4)
    subject_uuid = models.UUIDField(_("subject (pseudonym)"), db_index=True)
    subject_kind = models.CharField(_("subject kind"), max_length=32)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices)
    actor_role = models.CharField(_("started by (role)"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.FILES_PENDING
    )
    # {"<app>.<model>": count}: the records erased, by class.
    counts = models.JSONField(_("records erased"), default=dict)
    files = models.PositiveIntegerField(_("files erased"), default=0)
    keys = models.PositiveIntegerField(_("data keys destroyed"), default=0)
    manifest_sha256 = models.CharField(_("SHA-256 of the manifest"), max_length=64, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("erasure receipt")
        verbose_name_plural = _("erasure receipts")

    def __str__(self):
        return str(self.uuid)

    def manifest(self) -> dict:
        """What the receipt certifies, without personal data: the IT administrator's copy.
        Fixed when the records go (files and keys follow; ``state`` says when they went)."""
        return {
            "schema": "pluform-erasure-receipt/1",
            "receipt": str(self.uuid),
            "subject_kind": self.subject_kind,
            "ground": self.ground,
            "started_at": self.started_at.isoformat(),
            "records": dict(sorted(self.counts.items())),
            "files": self.files,
            "data_keys_destroyed": self.keys,
        }

    def manifest_bytes(self) -> bytes:
        return json.dumps(self.manifest(), sort_keys=True, indent=2).encode() + b"\n"

    def seal(self) -> None:
        self.manifest_sha256 = hashlib.sha256(self.manifest_bytes()).hexdigest()

    @property
    def total(self) -> int:
        return sum(self.counts.values())


class ErasureFile(models.Model):
    """A stored file of an erasure that is not yet removed from storage (every version)."""

    erasure = models.ForeignKey(Erasure, on_delete=models.CASCADE, related_name="pending_files")
    name = models.CharField(max_length=300)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["erasure", "name"], name="erasure_file_once")
        ]

    def __str__(self):
        return self.name


class LegalHoldQuerySet(models.QuerySet):
    def holding(self, today=None):
        today = today or dates.today()
        return self.filter(lifted_at__isnull=True, ends_on__gte=today)


class LegalHold(models.Model):
    """Set by the IT administrator: the subject's data must be kept (a claim, an inquiry)
    until ``ends_on``; no erasure, by anyone, touches them meanwhile."""

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="legal_holds",
    )
    reason = models.CharField(_("reason"), max_length=300)
    ends_on = models.DateField(_("holds until"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set"), default=timezone.now)
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-set_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self):
        return str(_("Legal hold until %(date)s") % {"date": dates.date_text(self.ends_on)})


class RetentionNotice(models.Model):
    """The e-mail that told a subject (and their coaches) that the retention period ends:
    the purge erases nobody who was not told at least ``NOTICE_DAYS`` days before."""

    subject = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="retention_notice"
    )
    sent_on = models.DateField()

    def __str__(self):
        return f"retention notice {self.sent_on}"


class Departure(models.Model):
    """That one of the coach's coachees left Pluform: on the coach's home page until the
    coach has seen it. No name and no reason, only the receipt of the erasure."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="departures"
    )
    erasure = models.ForeignKey(Erasure, on_delete=models.CASCADE, related_name="departures")
    at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["coach", "seen_at"], name="departure_coach_seen")]

    def __str__(self):
        return f"departure for {self.coach_id} ({self.erasure_id})"
