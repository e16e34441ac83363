"""rotate_keys: re-wrap data keys under the newest master key, resumable and idempotent."""

import io
import uuid

import pytest
from django.core.management import CommandError, call_command

from pluform.crypto import datakeys, rotation, tasks
from pluform.crypto.models import DataKey
from pluform.crypto.scopes import coachee_scope
from pluform.crypto.tasks import rotate_keys
from privacy.audit_models import Action, AuditEvent
from tests.crypto_support import new_master_key, use_ring
from tests.cryptoapp.models import Note


@pytest.fixture
def keys():
    return {"A": new_master_key("A"), "B": new_master_key("B")}


@pytest.fixture
def notes(settings, keys):
    use_ring(settings, keys["A"])
    created = [
        Note.objects.create(coachee_uuid=uuid.uuid4(), body=f"verslag {n}") for n in range(7)
    ]
    use_ring(settings, keys["B"], keys["A"])
    return created


def _check_output() -> str:
    out = io.StringIO()
    call_command("rotate_keys", "--check", stdout=out)
    return out.getvalue()


def _all_readable(notes):
    datakeys.reset_cache()
    return [Note.objects.get(pk=n.pk).body for n in notes] == [n.body for n in notes]


@pytest.mark.django_db
def test_check_counts_data_keys_per_master_key(notes):
    output = _check_output()
    assert "B: 0 data keys  (current)" in output
    assert "A: 7 data keys" in output


@pytest.mark.django_db
def test_rotation_from_a_to_b_leaves_every_row_readable_and_none_under_a(notes, capsys):
    call_command("rotate_keys", "--batch-size", "3", stdout=io.StringIO())
    assert _all_readable(notes)
    assert "A: 0 data keys" in _check_output()
    assert "B: 7 data keys" in _check_output()
    assert DataKey.objects.filter(rotated_at__isnull=False).count() == 7
    assert "7/7" in capsys.readouterr().err


@pytest.mark.django_db
def test_after_rotation_the_old_master_key_can_leave_the_ring(settings, notes, keys):
    call_command("rotate_keys", stdout=io.StringIO())
    use_ring(settings, keys["B"])
    assert _all_readable(notes)


@pytest.mark.django_db
def test_rotation_is_idempotent(notes):
    first = rotation.rotate_all(batch_size=2)
    second = rotation.rotate_all(batch_size=2)
    assert (first.rotated, second.rotated) == (7, 0)
    assert _all_readable(notes)


@pytest.mark.django_db(transaction=True)
def test_a_crash_halfway_loses_nothing_and_the_next_run_finishes(notes, monkeypatch):
    real_batch = rotation.rotate_batch
    calls = []

    def crash_after_first_batch(rows, target):
        if calls:
            raise RuntimeError("worker killed")
        calls.append(len(rows))
        return real_batch(rows, target)

    monkeypatch.setattr(rotation, "rotate_batch", crash_after_first_batch)
    with pytest.raises(RuntimeError):
        rotation.rotate_all(batch_size=3)
    assert rotation.keys_per_master_key() == {"B": 3, "A": 4}
    assert _all_readable(notes)

    monkeypatch.setattr(rotation, "rotate_batch", real_batch)
    assert rotation.rotate_all(batch_size=3).rotated == 4
    assert rotation.keys_per_master_key() == {"B": 7, "A": 0}
    assert _all_readable(notes)


@pytest.mark.django_db
def test_a_key_destroyed_meanwhile_is_not_brought_back(notes):
    row = DataKey.objects.order_by("pk").first()
    datakeys.destroy_scope(row.scope)
    rotation.rotate_batch([row], "B")
    row.refresh_from_db()
    assert row.wrapped == b"" or bytes(row.wrapped) == b""
    assert row.master_key_id == "A"
    assert "destroyed: 1 data keys" in _check_output()


@pytest.mark.django_db
def test_a_key_that_cannot_be_unwrapped_is_reported_and_the_command_fails(settings, notes, keys):
    use_ring(settings, keys["B"])
    with pytest.raises(CommandError, match="7 data keys could not be unwrapped"):
        call_command("rotate_keys", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_celery_task_runs_the_same_rotation_and_is_audited(notes):
    result = rotate_keys.delay(batch_size=4).get()
    assert result == {"target": "B", "rotated": 7, "skipped": 0, "failed": 0}
    assert rotation.keys_per_master_key()["A"] == 0
    event = AuditEvent.objects.get(action=Action.KEY_ROTATION)
    assert event.actor_role == "system"
    assert event.detail == "to B: 7 rotated, 0 failed"


@pytest.mark.django_db
def test_the_bound_task_reports_progress(notes, monkeypatch):
    states = []
    monkeypatch.setattr(rotate_keys, "update_state", lambda **kw: states.append(kw))
    monkeypatch.setattr(tasks, "_can_report", lambda task: True)
    assert rotate_keys.run(batch_size=4)["rotated"] == 7
    assert states == [
        {"state": "PROGRESS", "meta": {"done": 4, "total": 7}},
        {"state": "PROGRESS", "meta": {"done": 7, "total": 7}},
    ]


def test_the_task_has_an_explicit_name():
    assert rotate_keys.name == "pluform.crypto.rotate_keys"


@pytest.mark.django_db
def test_new_content_after_rotation_uses_the_new_master_key(notes):
    coachee = uuid.uuid4()
    Note.objects.create(coachee_uuid=coachee, body="nieuw")
    assert DataKey.objects.get(scope=coachee_scope(coachee)).master_key_id == "B"
