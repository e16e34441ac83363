"""AuditEvent: who did what to whose data, append-only and chained by SHA-256.

No content is ever stored here: only ids, roles, actions, outcomes and a short detail.
Subjects are stored as uuid + kind (not a foreign key), so erasing a person keeps the
history of what was done with their data. An actor's foreign key is set to NULL when the
account is deleted; the copied uuid and role stay and are what the hash covers.
"""

import datetime
import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class Action(models.TextChoices):
    VIEW = "view", _("viewed")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    DELETE = "delete", _("deleted")
    DOWNLOAD = "download", _("downloaded")
    EXPORT = "export", _("exported")
    ERASE = "erase", _("erased")
    RESTRICT = "restrict", _("restricted processing")
    CONSENT = "consent", _("consent changed")
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOGOUT = "logout", _("logged out")
    MFA_CHANGE = "mfa_change", _("two-factor authentication changed")
    BREAK_GLASS = "break_glass", _("break-glass access")
    REQUEST_STEP = "request_step", _("data-subject request step")
    KEY_ROTATION = "key_rotation", _("key rotation")
    KEY_DESTRUCTION = "key_destruction", _("key destroyed")


class Outcome(models.TextChoices):
    OK = "ok", _("succeeded")
    DENIED = "denied", _("denied")
    FAILED = "failed", _("failed")


class AppendOnlyError(Exception):
    """The audit trail can only grow: rows are never changed or removed."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be updated")

    def bulk_create(self, objs, *args, **kwargs):
        raise AppendOnlyError("Audit events are added one by one with privacy.audit.record")

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be updated")


class AuditEvent(models.Model):
    """One event. A request inserts it with no sequence number and no hash: the sequencer
    (``privacy.audit_sequencer``) chains it shortly after, so appends share no lock."""

    seq = models.PositiveBigIntegerField(
        _("sequence"), unique=True, null=True, blank=True, editable=False
    )
    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(_("time"), db_index=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.OK
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_uuid = models.UUIDField(_("actor uuid"), null=True, blank=True, db_index=True)
    actor_role = models.CharField(_("actor role"), max_length=32, blank=True)
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    on_behalf_of_uuid = models.UUIDField(_("on behalf of (uuid)"), null=True, blank=True)
    subject_uuid = models.UUIDField(_("subject uuid"), null=True, blank=True, db_index=True)
    subject_kind = models.CharField(_("subject kind"), max_length=32, blank=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_uuid = models.UUIDField(_("object uuid"), null=True, blank=True)
    ip = models.CharField(_("network (truncated IP)"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    hash = models.CharField(max_length=64, unique=True, null=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = [models.F("seq").desc(nulls_first=True), "-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            # The sequencer's queue: events not yet chained, oldest first.
            models.Index(
                fields=["at", "uuid"],
                condition=models.Q(seq__isnull=True),
                name="audit_pending_idx",
            ),
            # A subject's access log, newest first; its count (without the subject's own
            # actions) reads the index alone on PostgreSQL.
            models.Index(
                fields=["subject_uuid", "-at"],
                include=["actor_uuid"],
                name="audit_subject_at_idx",
            ),
        ]

    def __str__(self):
        return f"#{self.seq or '-'} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed")
        if self.seq is not None or self.hash or self.prev_hash:
            raise AppendOnlyError("Audit events are added with privacy.audit.record")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted")

    def canonical(self) -> bytes:
        """The bytes the hash covers: every recorded field, in a fixed encoding."""

        def text(value):
            return "" if value is None else str(value)

        fields = {
            "seq": self.seq,
            "uuid": text(self.uuid),
            "at": self.at.astimezone(datetime.UTC).isoformat(),
            "action": self.action,
            "outcome": self.outcome,
            "actor_uuid": text(self.actor_uuid),
            "actor_role": self.actor_role,
            "on_behalf_of_uuid": text(self.on_behalf_of_uuid),
            "subject_uuid": text(self.subject_uuid),
            "subject_kind": self.subject_kind,
            "object_type": self.object_type,
            "object_uuid": text(self.object_uuid),
            "ip": self.ip,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditChainHead(models.Model):
    """One row: the last sequence number and hash. Only the sequencer locks it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return f"#{self.seq}"
