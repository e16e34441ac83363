"""Consent (1.2.6.8): a coachee's data reaches another coach only when the coachee says so,
for the scope they saw, and only until they take it back."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsentQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(state=Consent.State.PENDING)

    def granted(self):
        return self.filter(state=Consent.State.GRANTED)


class Consent(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for your answer")
        GRANTED = "granted", _("Given")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Request withdrawn")
        REVOKED = "revoked", _("Revoked")
        ENDED = "ended", _("Ended: the coach left the trajectory")

    uuid = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coachee"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coach"),
        on_delete=models.CASCADE,
        related_name="consents_for_coach",
    )
    trajectory = models.ForeignKey(
        "accounts.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        related_name="consents",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    dialogue = models.BooleanField(_("dialogue"), default=True)
    interventions = models.BooleanField(_("interventions"), default=True)
    toolbox = models.BooleanField(_("toolbox"), default=True)
    dossier = models.BooleanField(_("client dossier"), default=True)
    include_history = models.BooleanField(_("including what came before"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "coach"],
                condition=models.Q(state__in=["pending", "granted"]),
                name="one_live_consent",
            )
        ]

    def __str__(self):
        return _("Consent for %(coach)s") % {"coach": self.coach}

    @property
    def scope_labels(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.dialogue, _("dialogue")),
                (self.interventions, _("interventions")),
                (self.toolbox, _("toolbox")),
                (self.dossier, _("client dossier")),
            )
            if flag
        ]

    @property
    def history_from(self):
        """The moment before which this coach sees nothing, or None when history is shared."""
        return None if self.include_history else self.decided_at
