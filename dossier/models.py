"""The coach's records of a coachee: session reports (every edit keeps the earlier version)
and the timesheet. Report text, agreements and time-entry notes are encrypted under the
coachee's data key; who may read them follows the trajectory's coaches."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pluform.crypto.fields import EncryptedTextField
from pluform.crypto.scopes import coachee_scope

MINUTES_PER_DAY = 24 * 60


class SessionKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    VIDEO = "video", _("Video call")
    PHONE = "phone", _("Phone")
    WRITTEN = "written", _("Written")


class Activity(models.TextChoices):
    SESSION = "session", _("Session")
    PREPARATION = "preparation", _("Preparation")
    WRITTEN = "written", _("Written coaching")
    REPORTING = "reporting", _("Reporting")
    OTHER = "other", _("Other")


class CoacheeContent(models.Model):
    """A record about one coachee in one of their trajectories."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    trajectory = models.ForeignKey(
        "accounts.Trajectory", on_delete=models.CASCADE, related_name="+"
    )
    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True

    def encryption_scope(self) -> str:
        return coachee_scope(self.coachee_id)


class SessionReport(CoacheeContent):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who saved the current revision.
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("duration in minutes"))
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    report = EncryptedTextField(_("report"))
    agreements = EncryptedTextField(_("agreements and next steps"), blank=True, default="")
    # Raised by every save: a form sends the revision it was opened at, and a save from a
    # page opened before someone else's save is refused instead of overwriting it.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session report")
        verbose_name_plural = _("session reports")
        ordering = ["-held_on", "-created_at"]
        indexes = [models.Index(fields=["coachee", "-held_on"], name="dossier_report_coachee")]

    def __str__(self):
        return str(self.pk)


class SessionReportVersion(models.Model):
    """What a report said before an edit, kept so a rectification can show what changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(SessionReport, on_delete=models.CASCADE, related_name="versions")
    coachee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    revision = models.PositiveIntegerField()
    held_on = models.DateField()
    minutes = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=SessionKind.choices)
    report_text = EncryptedTextField()
    agreements = EncryptedTextField(blank=True, default="")
    # When this version was written (the save that the next version replaced).
    written_at = models.DateTimeField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("earlier version of a session report")
        verbose_name_plural = _("earlier versions of session reports")
        ordering = ["-revision"]
        constraints = [
            models.UniqueConstraint(fields=["report", "revision"], name="one_version_per_revision")
        ]

    def __str__(self):
        return f"{self.report_id} r{self.revision}"

    def encryption_scope(self) -> str:
        return coachee_scope(self.coachee_id)


class TimeEntry(CoacheeContent):
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_entries"
    )
    worked_on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    billable = models.BooleanField(_("billable"), default=True)
    note = EncryptedTextField(_("note"), blank=True, default="")
    # What the entry was made from (a suggestion's key, or "report:<uuid>"), so that the same
    # work is never suggested twice.
    source = models.CharField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        ordering = ["-worked_on", "-created_at"]
        indexes = [
            models.Index(fields=["coach", "-worked_on"], name="dossier_entry_coach"),
            models.Index(fields=["coachee", "-worked_on"], name="dossier_entry_coachee"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "source"],
                condition=~models.Q(source=""),
                name="one_entry_per_source",
            )
        ]

    def __str__(self):
        return str(self.pk)


class DismissedSuggestion(models.Model):
    """A suggested time entry the coach said no to: it is not suggested again."""

    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=80)
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dismissed suggestion")
        verbose_name_plural = _("dismissed suggestions")
        constraints = [
            models.UniqueConstraint(fields=["coach", "source"], name="one_dismissal_per_source")
        ]

    def __str__(self):
        return self.source


class SuggestionRule(models.Model):
    """How many minutes a coach counts for the work the timesheet suggests from."""

    coach = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    minutes_per_message = models.PositiveIntegerField(_("minutes per message written"), default=10)
    minutes_per_review = models.PositiveIntegerField(
        _("minutes per intervention reviewed"), default=15
    )

    class Meta:
        verbose_name = _("suggestion rule")
        verbose_name_plural = _("suggestion rules")

    def __str__(self):
        return str(self.coach_id)
