"""Test-only models that exercise encrypted fields and files (installed only under tests)."""

import uuid

from django.db import models

from pluform.crypto.fields import EncryptedTextField
from pluform.crypto.files import EncryptedFileField
from pluform.crypto.scopes import coachee_scope


class Note(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    coachee_uuid = models.UUIDField()
    body = EncryptedTextField()
    summary = EncryptedTextField(null=True, blank=True)

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self):
        return coachee_scope(self.coachee_uuid)


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    coachee_uuid = models.UUIDField()
    file = EncryptedFileField(blank=True)

    def __str__(self):
        return str(self.pk)

    def encryption_scope(self):
        return coachee_scope(self.coachee_uuid)
