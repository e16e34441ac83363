import uuid

from django.conf import settings
from django.db import models
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from dialogue.rendering import body_html
from pluform.crypto.fields import EncryptedTextField, has_unsaved_value
from pluform.crypto.scopes import coachee_scope, dialogue_scope
from pluform.uploads.models import StoredUpload


class Dialogue(models.Model):
    """A conversation: one-to-one inside a trajectory, or a group led by coaches."""

    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", _("One-to-one")
        GROUP = "group", _("Group")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    trajectory = models.OneToOneField(
        "accounts.Trajectory",
        verbose_name=_("trajectory"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dialogue",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="dialogues"
    )
    # Content: encrypted under the dialogue's key (the coachee's, or the group's own).
    title = EncryptedTextField(
        _("name of the group"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("A short name for the group. Do not put personal details in it."),
    )
    # Fixed at creation: the coachee's key for a one-to-one dialogue, its own key for a group.
    scope = models.CharField(max_length=100, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("dialogue")
        verbose_name_plural = _("dialogues")
        ordering = ["-last_message_at", "-created_at"]
        permissions = [
            ("take_part_in_dialogue", "Can read and write in the dialogue"),
            ("lead_dialogue", "Can manage participants and remove messages"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.pk}"

    def save(self, *args, **kwargs):
        if not self.scope:
            self.scope = (
                coachee_scope(self.trajectory.coachee)
                if self.kind == self.Kind.ONE_TO_ONE
                else dialogue_scope(self.pk)
            )
        super().save(*args, **kwargs)

    def encryption_scope(self) -> str:
        return self.scope

    @property
    def is_group(self):
        return self.kind == self.Kind.GROUP


class Participant(models.Model):
    """A user's place in a dialogue and their read state. Access itself is the permission."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_participations"
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    last_read_at = models.DateTimeField(null=True, blank=True)
    # False for a coach who joined with the coachee's consent but without the history.
    sees_history = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "user"], name="one_participation"),
        ]

    def __str__(self):
        return f"{self.user_id} in {self.dialogue_id}"


class Message(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dialogue = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="dialogue_messages",
    )
    body = EncryptedTextField(_("message"), null=True, blank=True)
    # The body as HTML (escaped, with links and line breaks), made once when it is written,
    # so that showing a page of messages costs no template work per message body.
    body_html = EncryptedTextField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["dialogue", "created_at"], name="message_by_dialogue")]

    def __str__(self):
        return str(self.pk)

    def save(self, *args, **kwargs):
        if has_unsaved_value(self, "body"):
            self.body_html = body_html(self.body) if self.body else None
            fields = kwargs.get("update_fields")
            if fields is not None and "body_html" not in fields:
                kwargs["update_fields"] = [*fields, "body_html"]
        super().save(*args, **kwargs)

    def encryption_scope(self) -> str:
        return self.dialogue.encryption_scope()

    @property
    def body_display(self) -> str:
        """The body as safe HTML for the page."""
        if self.body_html is None:
            return body_html(self.body) if self.body else ""
        return mark_safe(self.body_html)  # noqa: S308  # nosec B308, B703  # escaped by body_html() when written

    @property
    def is_gone(self):
        """Withdrawn by its author or removed by a coach: only a tombstone is left."""
        return self.withdrawn_at is not None or self.removed_at is not None


class DialogueUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Dialogue, on_delete=models.CASCADE, related_name="grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("dialogue permission")
        verbose_name_plural = _("dialogue permissions")


class Attachment(StoredUpload):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")

    class Meta(StoredUpload.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def encryption_scope(self) -> str:
        return self.message.encryption_scope()
