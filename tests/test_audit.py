"""The audit trail: one call records who did what to whose data, chained and append-only."""

import uuid

import pytest
from django.db import connection

from privacy.audit import (
    Action,
    AppendOnlyError,
    Outcome,
    record,
    sequence_pending,
    truncate_ip,
)
from privacy.audit_models import GENESIS_HASH, AuditEvent
from tests.crypto_support import raw_table_text
from tests.cryptoapp.models import Note

pytestmark = pytest.mark.django_db


def test_a_view_records_actor_subject_object_and_network(rf, coach, coachee):
    note = Note(coachee_uuid=coachee.uuid)
    request = rf.get("/", REMOTE_ADDR="203.0.113.77")
    request.user = coach
    event = record(request, Action.VIEW, subject=coachee, obj=note)
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == coach
    assert event.actor_uuid == coach.uuid
    assert event.actor_role == "coach"
    assert event.subject_uuid == coachee.uuid
    assert event.subject_kind == "user:coachee"
    assert event.object_type == "cryptoapp.note"
    assert event.object_uuid == note.pk
    assert event.ip == "203.0.113.0/24"
    assert event.outcome == Outcome.OK


def test_a_task_records_with_an_explicit_actor_and_on_whose_behalf(it_admin, coachee):
    event = record(
        None,
        Action.EXPORT,
        actor=it_admin,
        on_behalf_of=coachee,
        subject=coachee.uuid,
        detail="request 12 step executed",
    )
    assert (event.actor, event.on_behalf_of) == (it_admin, coachee)
    assert event.on_behalf_of_uuid == coachee.uuid
    assert event.ip == ""


def test_an_anonymous_failed_login_has_no_actor(rf):
    request = rf.post("/accounts/login/", REMOTE_ADDR="2001:db8:abcd:12:1::9")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    event = record(request, Action.LOGIN_FAILED, outcome=Outcome.FAILED)
    assert event.actor is None and event.actor_uuid is None
    assert event.ip == "2001:db8:abcd::/48"


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.200", "192.0.2.0/24"),
        ("2001:db8:1:2:3::1", "2001:db8:1::/48"),
        ("::ffff:198.51.100.9", "198.51.100.0/24"),
        ("not an ip", ""),
        (None, ""),
    ],
)
def test_ip_addresses_are_truncated_to_their_network(address, network):
    assert truncate_ip(address) == network


def test_detail_is_cut_short():
    assert len(record(None, Action.CHANGE, detail="x" * 500).detail) == 200


def test_recording_queues_the_event_and_the_sequencer_chains_it():
    queued = record(None, Action.LOGIN)
    record(None, Action.LOGOUT)
    assert (queued.seq, queued.prev_hash, queued.hash) == (None, None, None)
    assert sequence_pending() == 2
    first, second = AuditEvent.objects.order_by("seq")
    assert first.pk == queued.pk
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1
    assert second.hash == second.compute_hash() != first.hash
    assert sequence_pending() == 0


def test_recording_takes_no_lock_and_writes_one_row(django_assert_num_queries):
    with django_assert_num_queries(1) as queries:
        record(None, Action.VIEW)
    assert queries.captured_queries[0]["sql"].startswith("INSERT")


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        record(None, "peek")


def test_the_orm_refuses_to_change_an_event():
    event = record(None, Action.VIEW)
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["detail"])


def test_the_orm_refuses_to_delete_an_event():
    event = record(None, Action.VIEW)
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_created_past_the_chain():
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.create(seq=99, action=Action.VIEW)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(seq=99, action=Action.VIEW)])


def test_deleting_an_account_keeps_its_events_with_the_copied_uuid(coach, coachee):
    event = record(None, Action.VIEW, actor=coach, subject=coachee)
    coach_uuid = coach.uuid
    coach.delete()
    coachee.delete()
    sequence_pending()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor is None
    assert event.actor_uuid == coach_uuid
    assert event.subject_uuid is not None
    assert event.hash == event.compute_hash()


def test_the_audit_table_holds_no_content(coach, coachee):
    note = Note.objects.create(coachee_uuid=coachee.uuid, body="MARKER-angststoornis")
    record(None, Action.CREATE, actor=coach, subject=coachee, obj=note, detail="1 message")
    assert "MARKER" not in raw_table_text(AuditEvent)


def test_the_admin_shows_the_trail_read_only_to_the_it_admin(client, it_admin, coach):
    event = record(None, Action.LOGIN, actor=coach)
    client.force_login(it_admin)
    assert client.get("/admin/privacy/auditevent/").status_code == 200
    page = client.get(f"/admin/privacy/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/privacy/auditevent/{event.pk}/delete/").status_code == 403


def test_other_staff_cannot_open_the_audit_admin(client, customer_service):
    client.force_login(customer_service)
    assert client.get("/admin/privacy/auditevent/").status_code == 403


def test_uuids_are_stored_not_foreign_keys_for_subjects():
    subject = uuid.uuid4()
    event = record(None, Action.ERASE, subject=subject)
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), AuditEvent._meta.db_table
        )
    ]
    assert "subject_uuid" in columns and "subject_id" not in columns
    assert AuditEvent.objects.get(pk=event.pk).subject_uuid == subject
