"""verify_audit finds tampering; on PostgreSQL the database itself refuses changes."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from privacy.audit import Action, record, sequence_pending, verify_chain
from privacy.audit_models import AuditEvent

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


def _events(n=5):
    """n chained events, in chain order."""
    for i in range(n):
        record(None, Action.VIEW, detail=f"event {i}")
    sequence_pending()
    return list(AuditEvent.objects.order_by("seq"))


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _as_attacker(sql, params=()):
    """An attacker with database rights switches the trigger off first."""
    if connection.vendor == "postgresql":
        _raw("SET CONSTRAINTS ALL IMMEDIATE")
        _raw("ALTER TABLE privacy_auditevent DISABLE TRIGGER privacy_auditevent_append_only")
    try:
        _raw(sql, params)
    finally:
        if connection.vendor == "postgresql":
            _raw("ALTER TABLE privacy_auditevent ENABLE TRIGGER privacy_auditevent_append_only")
            _raw("SET CONSTRAINTS ALL DEFERRED")


def _verify() -> str:
    out = io.StringIO()
    call_command("verify_audit", "--batch-size", "2", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_intact_chain_verifies():
    _events()
    assert _verify() == "Audit chain intact: 5 events.\n"


@pytest.mark.django_db
def test_verify_audit_finds_a_row_changed_by_raw_sql():
    events = _events()
    _as_attacker(
        "UPDATE privacy_auditevent SET detail = %s WHERE seq = %s", ["harmless", events[2].seq]
    )
    with pytest.raises(CommandError, match=r"broken at event #3: its content does not match"):
        _verify()


@pytest.mark.django_db
def test_verify_audit_finds_a_recomputed_hash_because_the_next_event_no_longer_follows():
    events = _events()
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.detail = "forged"
    _as_attacker(
        "UPDATE privacy_auditevent SET detail = %s, hash = %s WHERE seq = %s",
        ["forged", forged.compute_hash(), forged.seq],
    )
    with pytest.raises(CommandError, match=r"broken at event #3: does not follow"):
        _verify()


@pytest.mark.django_db
def test_verify_audit_finds_a_deleted_row():
    events = _events()
    _as_attacker("DELETE FROM privacy_auditevent WHERE seq = %s", [events[1].seq])
    with pytest.raises(CommandError, match=r"#2 is missing"):
        _verify()


@pytest.mark.django_db
def test_verify_audit_finds_a_cut_off_tail():
    events = _events()
    _as_attacker("DELETE FROM privacy_auditevent WHERE seq = %s", [events[-1].seq])
    report = verify_chain()
    assert (report.broken_at, report.reason) == (5, "events after #4 are missing")


@postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_an_update_of_an_audit_event():
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE privacy_auditevent SET detail = 'x' WHERE seq = %s", [event.seq])


@postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_a_delete_of_an_audit_event():
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("DELETE FROM privacy_auditevent WHERE seq = %s", [event.seq])


@postgres_only
@pytest.mark.django_db
def test_postgresql_lets_a_deleted_account_go_while_keeping_its_events(coach):
    event = record(None, Action.LOGIN, actor=coach)
    sequence_pending()
    coach.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_id is None
    assert _verify() == "Audit chain intact: 1 events.\n"


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain():
    errors = []

    def append(n):
        try:
            for i in range(n):
                record(None, Action.VIEW, detail=f"worker {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(10,)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors
    assert sequence_pending() == 40
    report = verify_chain()
    assert report.intact and report.checked == 40


@pytest.mark.django_db
def test_verify_audit_can_print_the_head_hash_to_keep_outside_the_database():
    last = _events(3)[-1]
    out = io.StringIO()
    call_command("verify_audit", "-v", "2", stdout=out)
    assert f"Head: #3 {last.hash}" in out.getvalue()


@pytest.mark.django_db
def test_verify_audit_chains_queued_events_first():
    record(None, Action.VIEW)
    assert _verify() == "Audit chain intact: 1 events.\n"
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()


@pytest.mark.django_db
def test_verify_audit_reports_events_still_queued():
    _events(2)
    record(None, Action.VIEW)
    out = io.StringIO()
    call_command("verify_audit", "--no-sequence", stdout=out)
    assert "intact: 2 events" in out.getvalue()
    assert "Not yet chained: 1 events" in out.getvalue()


@pytest.mark.django_db
def test_verify_audit_finds_two_events_swapped():
    events = _events()
    first, second = events[1], events[2]
    _as_attacker(
        "UPDATE privacy_auditevent SET seq = seq + 1000 WHERE seq IN (%s, %s)",
        [first.seq, second.seq],
    )
    _as_attacker("UPDATE privacy_auditevent SET seq = %s WHERE seq = %s", [2, second.seq + 1000])
    _as_attacker("UPDATE privacy_auditevent SET seq = %s WHERE seq = %s", [3, first.seq + 1000])
    with pytest.raises(CommandError, match=r"broken at event #2: does not follow"):
        _verify()


@pytest.mark.django_db
def test_verify_audit_finds_a_rewritten_tail_with_the_head_kept_outside():
    events = _events(3)
    kept = f"{events[-1].seq}:{events[-1].hash}"
    # An attacker rewrites the last event and every hash after it, and the head row too.
    forged = events[-1]
    forged.detail = "forged"
    forged.hash = forged.compute_hash()
    _as_attacker(
        "UPDATE privacy_auditevent SET detail = %s, hash = %s WHERE seq = %s",
        ["forged", forged.hash, forged.seq],
    )
    _raw("UPDATE privacy_auditchainhead SET hash = %s", [forged.hash])
    assert verify_chain().intact
    with pytest.raises(CommandError, match="does not match the head kept outside"):
        call_command("verify_audit", "--expect-head", kept, stdout=io.StringIO())


@postgres_only
@pytest.mark.django_db
def test_postgresql_refuses_to_move_a_chained_event():
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _raw("UPDATE privacy_auditevent SET seq = 99 WHERE seq = %s", [event.seq])


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_appends_wait_for_no_lock_while_the_sequencer_holds_the_head():
    record(None, Action.VIEW)
    done = threading.Event()

    def append():
        try:
            record(None, Action.VIEW, detail="while sequencing")
            done.set()
        finally:
            connections.close_all()

    with transaction.atomic():
        from privacy.audit_chain import _head_for_update

        _head_for_update()
        worker = threading.Thread(target=append)
        worker.start()
        assert done.wait(timeout=10), "an append waited for the sequencer's lock"
        worker.join()
    assert sequence_pending() == 2


@pytest.mark.django_db
def test_celery_beat_runs_the_sequencer_every_few_seconds(settings):
    from privacy.tasks import sequence_audit

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-sequence-audit"]
    assert entry["task"] == sequence_audit.name
    assert entry["schedule"] <= 10
    record(None, Action.VIEW)
    sequence_audit.delay()
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
