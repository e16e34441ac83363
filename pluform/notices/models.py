import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notice(models.Model):
    """That a user is to be told (or was told) about an object of a kind. Never any content.

    Pending until delivered (sent_at) or found to be no news any more (dropped_at).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=60)
    object_id = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "kind", "object_id"], name="notice_user_kind_object"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} for {self.user_id}"
