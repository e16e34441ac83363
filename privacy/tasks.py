import logging
import tempfile

from celery import shared_task
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from privacy.audit_chain import sequence_pending

logger = logging.getLogger(__name__)


@shared_task(name="privacy.sequence_audit", ignore_result=True)
def sequence_audit():
    sequence_pending()


@shared_task(name="privacy.send_request_reminders", ignore_result=True)
def send_request_reminders():
    from privacy import requests

    requests.send_reminders()


@shared_task(
    bind=True,
    name="privacy.build_access_archive",
    ignore_result=True,
    acks_late=True,
    max_retries=3,
    default_retry_delay=60,
)
def build_access_archive(self, archive_id):
    """Writes the subject's data (all of it, or for a portability export what they provided)
    to a temporary ZIP, then stores it encrypted in one go: a worker that dies halfway leaves
    no stored half, and the retry starts again."""
    from privacy import requests
    from privacy.archive import write_archive
    from privacy.request_models import AccessArchive, DataRequest

    archive = (
        AccessArchive.objects.select_related("subject", "request__subject")
        .filter(uuid=archive_id, state=AccessArchive.State.BUILDING)
        .first()
    )
    if archive is None:
        return
    try:
        with tempfile.TemporaryFile() as zipped:

            def progress(done, total):
                percent = min(99, int(done * 100 / max(total, 1)))
                AccessArchive.objects.filter(pk=archive.pk).update(progress=percent)

            counts = write_archive(
                archive.subject, zipped, progress=progress, purpose=archive.purpose
            )
            size = zipped.tell()
            zipped.seek(0)
            archive.file.save(f"{archive.purpose}-{archive.uuid}.zip", File(zipped), save=False)
        now = timezone.now()
        with transaction.atomic():
            withdrawn = (
                archive.request_id is not None
                and not DataRequest.objects.open().filter(pk=archive.request_id).exists()
            )
            if withdrawn:
                # Withdrawn (or closed) while it was being built: nobody gets it.
                archive.file.delete(save=False)
                AccessArchive.objects.filter(pk=archive.pk).update(state=AccessArchive.State.FAILED)
                return
            archive.state = AccessArchive.State.READY
            archive.progress = 100
            archive.size = size
            archive.counts = counts
            archive.ready_at = now
            archive.expires_at = now + AccessArchive.LIFETIME
            archive.save()
            requests.archive_built(archive)
    except Exception as error:
        if archive.file:
            archive.file.storage.delete(archive.file.name)
        if self.request.retries < self.max_retries:
            logger.warning("access archive %s failed, retrying", archive.pk)
            raise self.retry(exc=error) from error
        logger.exception("access archive %s failed", archive.pk)
        with transaction.atomic():
            AccessArchive.objects.filter(pk=archive.pk).update(state=AccessArchive.State.FAILED)
            requests.archive_failed(archive)
