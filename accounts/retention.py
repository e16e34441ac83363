"""Login attempts are kept for IT monitoring for a limited time, then removed in batches."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from accounts.models import LoginAttempt

logger = logging.getLogger(__name__)

BATCH_SIZE = 5000


def purge_login_attempts(now=None) -> int:
    """Deletes login attempts older than the retention period; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=settings.PLUFORM_LOGIN_ATTEMPT_RETENTION_DAYS
    )
    total = 0
    while True:
        batch = list(
            LoginAttempt.objects.filter(at__lt=cutoff).values_list("pk", flat=True)[:BATCH_SIZE]
        )
        if not batch:
            break
        deleted, _ = LoginAttempt.objects.filter(pk__in=batch).delete()
        total += deleted
    logger.info("purged %d login attempts older than %s", total, cutoff.date())
    return total
