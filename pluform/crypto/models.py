import uuid

from django.db import models


class DataKey(models.Model):
    """A random AES-256 key for one scope (a coachee, a group dialogue, an owner).

    Stored only wrapped by a master key. Destroying it (crypto-shredding) blanks the
    wrapped key, which makes every copy of the content under it unreadable, backups too.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scope = models.CharField(max_length=100, unique=True)
    master_key_id = models.CharField(max_length=64, db_index=True)
    wrapped = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.scope} ({self.master_key_id})"


class ErasureTombstone(models.Model):
    """That a person was erased, and when: no personal data, only their random id.

    It lives beside the data keys (in the keys database when there is one, with its own
    backups), and a copy lies in object storage, so that a restored content database cannot
    bring the person back: ``replay_erasures`` erases again everyone with a tombstone.
    """

    subject_uuid = models.UUIDField(primary_key=True)
    erased_at = models.DateTimeField()

    def __str__(self):
        return f"{self.subject_uuid} erased {self.erased_at:%Y-%m-%d}"
