"""verify_audit finds tampering; on PostgreSQL the database itself refuses changes."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from privacy.audit import Action, record, verify_chain
from privacy.audit_models import AuditEvent

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


def _events(n=5):
    return [record(None, Action.VIEW, detail=f"event {i}") for i in range(n)]


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
    report = verify_chain()
    assert report.intact and report.checked == 40


@pytest.mark.django_db
def test_verify_audit_can_print_the_head_hash_to_keep_outside_the_database():
    last = _events(3)[-1]
    out = io.StringIO()
    call_command("verify_audit", "-v", "2", stdout=out)
    assert f"Head: #3 {last.hash}" in out.getvalue()
