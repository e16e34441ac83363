from celery import shared_task
from celery.backends.base import DisabledBackend

from pluform.crypto import rotation


def _can_report(task) -> bool:
    return not task.request.is_eager and not isinstance(task.backend, DisabledBackend)


@shared_task(bind=True, name="pluform.crypto.rotate_keys")
def rotate_keys(self, batch_size=rotation.BATCH_SIZE):
    """Re-wrap every data key under the newest master key, reporting progress."""
    reports = _can_report(self)

    def progress(done, total):
        if reports:
            self.update_state(state="PROGRESS", meta={"done": done, "total": total})

    result = rotation.rotate_all(batch_size=batch_size, progress=progress)
    return {
        "target": result.target,
        "rotated": result.rotated,
        "skipped": result.skipped,
        "failed": len(result.failed),
    }
