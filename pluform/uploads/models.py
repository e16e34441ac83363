"""The stored form of a checked upload, shared by every app that keeps files."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from pluform.crypto.fields import EncryptedTextField
from pluform.crypto.files import EncryptedFileField
from pluform.crypto.streaming import INLINE_SAFE_TYPES


class StoredUpload(models.Model):
    """A file that passed ``validate_upload``, encrypted in storage, with its name encrypted
    too. A concrete model adds what the file belongs to and ``encryption_scope()``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file = EncryptedFileField(_("file"))
    original_name = EncryptedTextField(_("file name"))
    content_type = models.CharField(max_length=100)
    kind = models.CharField(max_length=20)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self):
        return str(self.pk)

    @staticmethod
    def fields_of(upload) -> dict:
        """The model fields of a ``CleanUpload``, for ``create(**fields_of(upload))``."""
        return {
            "file": upload.file,
            "original_name": upload.original_name,
            "content_type": upload.content_type,
            "kind": upload.kind,
            "size": upload.size,
        }

    @property
    def has_preview(self):
        """A raster image a browser shows safely (PNG, JPEG, GIF, WebP); never SVG or HTML."""
        return self.kind == "image" and self.content_type in INLINE_SAFE_TYPES
