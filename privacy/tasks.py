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
    reject_on_worker_lost=True,
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
    if archive.file:
        # A worker that died after storing the copy but before marking it ready.
        archive.file.storage.delete(archive.file.name)
        AccessArchive.objects.filter(pk=archive.pk).update(file="")
        archive.file = None
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
            # Recorded at once, so that a retry after a killed worker removes it.
            AccessArchive.objects.filter(pk=archive.pk).update(file=archive.file.name)
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
            AccessArchive.objects.filter(pk=archive.pk).update(file="")
        if self.request.retries < self.max_retries:
            logger.warning("access archive %s failed, retrying", archive.pk)
            raise self.retry(exc=error) from error
        logger.exception("access archive %s failed", archive.pk)
        with transaction.atomic():
            AccessArchive.objects.filter(pk=archive.pk).update(state=AccessArchive.State.FAILED)
            requests.archive_failed(archive)


@shared_task(
    bind=True,
    name="privacy.erase_subject",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=5,
    default_retry_delay=60,
)
def erase_subject(self, subject_id, ground, actor_id=None):
    """An erasure started by someone else (the IT administrator executing a request). The
    records go in one transaction; a retry after a worker died finishes files and keys."""
    from django.core.exceptions import ValidationError

    from accounts.models import User, coaches_of
    from accounts.roles import Role
    from privacy import departures, emails, erasure

    subject = User.objects.filter(pk=subject_id).first()
    if subject is None:
        erasure.finish_pending()
        return
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    coaches = list(coaches_of(subject)) if subject.role == Role.COACHEE else []
    try:
        done = erasure.erase(subject, ground=ground, actor=actor)
    except ValidationError:
        logger.warning("erasure of a %s refused (legal hold or legal claim)", subject.role)
        return
    except Exception as error:
        raise self.retry(exc=error) from error
    emails.send_erasure_receipt(done, subject)
    departures.tell_coaches(done, coaches)


@shared_task(
    name="privacy.finish_erasures", ignore_result=True, acks_late=True, reject_on_worker_lost=True
)
def finish_erasures():
    from privacy import erasure

    erasure.finish_pending()


@shared_task(
    name="privacy.purge_expired", ignore_result=True, acks_late=True, reject_on_worker_lost=True
)
def purge_expired():
    from privacy import retention

    retention.purge()
