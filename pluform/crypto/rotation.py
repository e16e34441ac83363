"""Re-wrap every data key under the newest master key, batch by batch.

Each batch commits on its own, and a row is only updated while it still carries the
master key id it was read with (and is not destroyed), so a crash loses nothing, a second
run continues where the first stopped, two runs at once do not fight, and a key destroyed
meanwhile is never brought back.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from pluform.crypto import datakeys
from pluform.crypto.errors import CryptoError
from pluform.crypto.keyring import master_keys
from pluform.crypto.models import DataKey

logger = logging.getLogger("pluform.crypto")

BATCH_SIZE = 500


@dataclass
class RotationResult:
    target: str
    rotated: int = 0
    skipped: int = 0
    failed: list = field(default_factory=list)


def pending(target: str | None = None):
    """Live data keys that are not yet wrapped by ``target`` (the newest master key)."""
    target = target or master_keys().current_id
    return DataKey.objects.filter(destroyed_at__isnull=True).exclude(master_key_id=target)


def rotate_batch(rows, target: str) -> tuple[int, int, list]:
    rotated, skipped, failed = 0, 0, []
    now = timezone.now()
    with transaction.atomic(using=DataKey.objects.db):
        for row in rows:
            try:
                raw = datakeys.unwrap(row)
            except CryptoError as exc:
                logger.error("Data key %s could not be unwrapped: %s", row.id, exc)
                failed.append(row.id)
                continue
            master_id, wrapped = datakeys.wrap(row.id, raw)
            updated = DataKey.objects.filter(
                pk=row.pk, master_key_id=row.master_key_id, destroyed_at__isnull=True
            ).update(master_key_id=master_id, wrapped=wrapped, rotated_at=now)
            if updated:
                rotated += 1
            else:
                skipped += 1
    return rotated, skipped, failed


def rotate_all(
    batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None
) -> RotationResult:
    """Rotate every pending data key; ``progress(done, total)`` is called after each batch."""
    target = master_keys().current_id
    result = RotationResult(target=target)
    total = pending(target).count()
    last_pk = None
    while True:
        query = pending(target).order_by("pk")
        if last_pk is not None:
            query = query.filter(pk__gt=last_pk)
        rows = list(query[:batch_size])
        if not rows:
            break
        rotated, skipped, failed = rotate_batch(rows, target)
        result.rotated += rotated
        result.skipped += skipped
        result.failed.extend(failed)
        last_pk = rows[-1].pk
        if progress:
            progress(result.rotated + result.skipped + len(result.failed), total)
    datakeys.reset_cache()
    logger.info(
        "Key rotation to %s: %d rotated, %d skipped, %d failed",
        target,
        result.rotated,
        result.skipped,
        len(result.failed),
    )
    _record(result)
    return result


def _record(result: RotationResult) -> None:
    from privacy.audit import Action, Outcome, record

    record(
        None,
        Action.KEY_ROTATION,
        outcome=Outcome.FAILED if result.failed else Outcome.OK,
        detail=f"to {result.target}: {result.rotated} rotated, {len(result.failed)} failed",
    )


def keys_per_master_key() -> dict[str, int]:
    """How many live data keys each master key wraps (every ring key listed, even at 0)."""
    counts = dict.fromkeys(master_keys().order, 0)
    rows = (
        DataKey.objects.filter(destroyed_at__isnull=True)
        .values("master_key_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["master_key_id"]] = row["n"]
    return counts


def destroyed_count() -> int:
    return DataKey.objects.filter(destroyed_at__isnull=False).count()
