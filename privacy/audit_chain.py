"""The audit trail's hash chain: a sequencer that chains recorded events in batches, and
the verification that finds any change, deletion, insertion or reordering.

The shape is that of a Certificate Transparency log (RFC 9162) with Trillian's sequencer:
requests only queue events (a plain INSERT, no shared lock), and one sequencer at a time
integrates the queue in batches, giving each event the next sequence number and a hash
over its fields and the previous event's hash. The sequencer runs every few seconds
(Celery beat, ``AUDIT_SEQUENCE_SECONDS``) and before every verification; it logs each new
head, and ``verify_audit --expect-head`` checks a head kept outside the database.
"""

import logging
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, connections, router, transaction
from django.utils import timezone

from privacy.audit_models import GENESIS_HASH, AuditChainHead, AuditEvent

logger = logging.getLogger("pluform.audit")

BATCH_SIZE = 1000


def _head_for_update() -> AuditChainHead:
    """The sequencer's lock: taken by the sequencer only, never by a request."""
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(pk=1, seq=0, hash=GENESIS_HASH)
        except IntegrityError:
            pass
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


def _sequence_batch(batch_size: int) -> int:
    with transaction.atomic():
        head = _head_for_update()
        pending = list(
            AuditEvent.objects.filter(seq__isnull=True).order_by("at", "uuid")[:batch_size]
        )
        if not pending:
            return 0
        seq, previous = head.seq, head.hash
        for event in pending:
            seq += 1
            event.seq, event.prev_hash = seq, previous
            event.hash = previous = event.compute_hash()
        # The append-only rules allow exactly this one update: a queued event gets its place.
        _write_places(pending)
        head.seq, head.hash = seq, previous
        head.save(update_fields=["seq", "hash"])
    logger.info("audit head #%s %s (%s events chained)", head.seq, head.hash, len(pending))
    return len(pending)


def _write_places(events) -> None:
    """Writes each event's sequence number and hashes in one statement."""
    connection = connections[router.db_for_write(AuditEvent)]
    if connection.vendor != "postgresql":
        AuditEvent._base_manager.bulk_update(events, ["seq", "prev_hash", "hash"], batch_size=500)
        return
    # bulk_update's CASE WHEN grows with the square of the batch; a joined VALUES list does not.
    rows = ", ".join(["(%s::uuid, %s::bigint, %s, %s)"] * len(events))
    params = [value for e in events for value in (e.uuid, e.seq, e.prev_hash, e.hash)]
    # Only placeholders are joined in; every value is a parameter.
    sql = (
        "UPDATE privacy_auditevent AS event"  # noqa: S608  # nosec B608  # only %s placeholders are joined in
        " SET seq = place.seq, prev_hash = place.prev_hash, hash = place.hash"
        f" FROM (VALUES {rows}) AS place (uuid, seq, prev_hash, hash)"
        " WHERE event.uuid = place.uuid AND event.seq IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        if cursor.rowcount != len(events):
            raise DatabaseError("audit events changed while they were being sequenced")


def sequence_pending(batch_size: int = BATCH_SIZE, max_events: int | None = None) -> int:
    """Chains every queued event, oldest first, in batches that each commit on their own."""
    done = 0
    while max_events is None or done < max_events:
        size = batch_size if max_events is None else min(batch_size, max_events - done)
        chained = _sequence_batch(size)
        done += chained
        if chained < size:
            break
    return done


@dataclass
class ChainReport:
    checked: int
    broken_at: int | None = None
    reason: str = ""
    head_hash: str = ""
    pending: int = 0
    oldest_pending_seconds: float = 0.0

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(batch_size: int = 1000, progress=None, expected_head=None) -> ChainReport:
    """Walks the chain in order and reports the first event that does not fit.

    ``expected_head`` is a ``(seq, hash)`` pair kept outside the database: the event at
    that position must still carry that hash, or the tail was rewritten.
    """
    previous_hash, expected_seq, checked = GENESIS_HASH, 1, 0
    last_seq, hash_at_kept_seq = 0, None
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch_size])
        if not batch:
            break
        for event in batch:
            checked += 1
            if event.seq != expected_seq:
                return ChainReport(checked, expected_seq, f"event #{expected_seq} is missing")
            if event.prev_hash != previous_hash:
                return ChainReport(checked, event.seq, "does not follow the previous event")
            if event.compute_hash() != event.hash:
                return ChainReport(checked, event.seq, "its content does not match its hash")
            if expected_head and event.seq == expected_head[0]:
                hash_at_kept_seq = event.hash
            previous_hash, expected_seq = event.hash, expected_seq + 1
        last_seq = batch[-1].seq
        if progress:
            progress(checked)
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, previous_hash):
        return ChainReport(checked, expected_seq, f"events after #{expected_seq - 1} are missing")
    if expected_head:
        seq, expected_hash = expected_head
        if hash_at_kept_seq != expected_hash:
            reason = "does not match the head kept outside the database"
            return ChainReport(checked, seq, reason)
    report = ChainReport(checked, head_hash=previous_hash if checked else "")
    oldest = AuditEvent.objects.filter(seq__isnull=True).order_by("at").values_list("at", flat=True)
    report.pending = oldest.count()
    if report.pending:
        report.oldest_pending_seconds = (timezone.now() - oldest[0]).total_seconds()
    return report
