"""Toolbox items: an uploaded file or a link, owned by a coach or a coachee and shared.

Title, description, tags, link address and file name are content: encrypted under the
owner's key (a coach's items) or the coachee's data key (a coachee's items). A share is a
django-guardian object permission in a direct foreign-key table that also says who shared
and when.
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from accounts.models import User
from pluform.crypto.fields import EncryptedTextField
from pluform.crypto.scopes import coachee_scope, owner_scope
from pluform.uploads.models import StoredUpload

TITLE_MAX_LENGTH = 200
URL_MAX_LENGTH = 2000


class Kind(models.TextChoices):
    LINK = "link", _("Link")
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


FILE_KINDS = (Kind.IMAGE, Kind.DOCUMENT, Kind.AUDIO, Kind.VIDEO)


class Item(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="toolbox_items"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolbox_items"
    )
    # Fixed at creation: which key the content is under (the coachee's or the owner's own).
    owned_by_coachee = models.BooleanField(editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = EncryptedTextField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = EncryptedTextField(_("description"), blank=True, default="")
    # One tag per line, as the owner typed them (deduplicated, in order).
    tags = EncryptedTextField(_("tags"), blank=True, default="")
    url = EncryptedTextField(_("web address"), max_length=URL_MAX_LENGTH, blank=True, default="")
    # Published to the other coaches of the organisation, who may share it with their coachees.
    published = models.BooleanField(_("in the organisation library"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("toolbox item")
        verbose_name_plural = _("toolbox items")
        ordering = ["-created_at", "id"]
        default_permissions = ()
        permissions = [("receive_item", "Receive a shared toolbox item")]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="toolbox_item_owner"),
            models.Index(
                fields=["organisation", "published"],
                condition=models.Q(published=True),
                name="toolbox_item_published",
            ),
        ]

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self) -> str:
        if self.owned_by_coachee:
            return coachee_scope(self.owner_id)
        return owner_scope(self.owner_id)

    @property
    def is_link(self) -> bool:
        return self.kind == Kind.LINK

    @property
    def tag_list(self) -> list[str]:
        return [tag for tag in self.tags.splitlines() if tag]

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "") if self.url else ""


class ItemFile(StoredUpload):
    """The uploaded file of a file item, encrypted under the item's key."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="upload")

    class Meta(StoredUpload.Meta):
        verbose_name = _("toolbox file")
        verbose_name_plural = _("toolbox files")

    def encryption_scope(self) -> str:
        return self.item.encryption_scope()


class Share(UserObjectPermissionBase):
    """An item shared with a user: the guardian permission row, with who shared it and when.

    A user sees and revokes only the shares they made themselves.
    """

    content_object = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="toolbox_shares_made"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        # One share per sharer: the owner's share and a colleague's of the same item stand
        # apart, and each goes only when its own sharer withdraws it. (Rows are written by
        # toolbox.access only, never by guardian's assign_perm.)
        unique_together = ["user", "permission", "content_object", "shared_by"]
        indexes = [models.Index(fields=["user", "-shared_at"], name="toolbox_share_user")]


class Visit(models.Model):
    """When a user looked at what was shared with them, to mark what is new since their
    previous visit (requests less than ``VISIT_GAP`` apart are one visit)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="toolbox_visit",
    )
    seen_at = models.DateTimeField()
    # The previous visit's last request: what came after is marked new during this visit.
    since = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("toolbox visit")
        verbose_name_plural = _("toolbox visits")

    def __str__(self):
        return f"{self.user_id} {self.seen_at:%Y-%m-%d %H:%M}"


class CoachStorage(User):
    """A coach, as the organisation manager sees their toolbox: bytes and items, no content."""

    class Meta:
        proxy = True
        verbose_name = _("storage use")
        verbose_name_plural = _("storage use")
        default_permissions = ()
