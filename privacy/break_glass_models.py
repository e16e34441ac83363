"""Break-glass (regulation 1.2.5.3): the ICT line manager reads one person's data, for IT
monitoring only, after an IT administrator other than themselves approved it, read-only and
for at most four hours. The reason is encrypted under the subject's key, like their data."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pluform.crypto.fields import EncryptedTextField
from privacy.request_models import subject_scope

MAX_MINUTES = 4 * 60


class BreakGlassGrant(models.Model):
    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        ENDED = "ended", _("Ended early")

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="break_glass_requests",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose data"),
        on_delete=models.CASCADE,
        related_name="break_glass_grants",
    )
    reason = EncryptedTextField(_("reason"))
    minutes = models.PositiveSmallIntegerField(_("duration in minutes"))
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("break-glass grant")
        verbose_name_plural = _("break-glass grants")

    def __str__(self):
        return str(self.uuid)

    def encryption_scope(self) -> str:
        return subject_scope(self.subject)

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == self.State.APPROVED and self.ends_at is not None and now < self.ends_at

    @property
    def duration(self) -> datetime.timedelta:
        return datetime.timedelta(minutes=self.minutes)
