"""Restores never bring an erased person back (regulation 1.2.6.3, docs/privacy.md).

An erasure first lays a tombstone in two places that a restore of the content database does
not reach: an ``ErasureTombstone`` row beside the data keys and ``tombstones/<uuid>.json`` in
file storage, each with the person's random id and the time only. After a restore,
``manage.py replay_erasures`` erases again whoever the restored database still holds (either
copy alone suffices), removes their files, makes both copies whole, destroys any data key of
theirs that a restore brought back, and tells nobody. With nothing restored it changes nothing.

A restore is simulated: the erased person's account is made again with the same uuid, with a
trajectory, a message and a stored file; for a restore of the keys database too, their data
key row is made live again with the wrapped key it had before the erasure.
"""

import datetime
import io
import json
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Organisation, Trajectory, User
from dialogue.models import Message
from pluform import dates
from pluform.crypto import datakeys
from pluform.crypto.models import DataKey, ErasureTombstone
from pluform.crypto.scopes import coachee_scope
from privacy import erasure, tombstones
from privacy.audit_models import AuditEvent
from privacy.erasure_models import Erasure, Ground, LegalHold
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.dialogue import one_to_one, post
from tests.factories.toolbox import file_item
from toolbox.models import ItemFile

pytestmark = pytest.mark.django_db

TITLE = "Burn-out after the divorce"


@dataclass
class Backup:
    """What a backup taken before the erasure holds of the person (and of their key)."""

    uuid: object
    email: str
    organisation: Organisation
    wrapped_key: bytes


def _tombstone_name(subject_uuid) -> str:
    return f"tombstones/{subject_uuid}.json"


def _stored_file(item) -> str:
    return ItemFile.objects.get(item=item).file.name


def _replay() -> str:
    out = io.StringIO()
    call_command("replay_erasures", stdout=out)
    return out.getvalue()


def _live_key(subject_uuid) -> bool:
    return DataKey.objects.filter(
        scope=coachee_scope(subject_uuid), destroyed_at__isnull=True
    ).exists()


def _restore_key(backup) -> None:
    """The keys database restored: the data key is live again."""
    DataKey.objects.filter(scope=coachee_scope(backup.uuid)).update(
        wrapped=backup.wrapped_key, destroyed_at=None
    )
    datakeys.reset_cache()


def _restore(backup, coach, *, keys_too=True):
    """The content database restored from the backup: the person is back, with data; the
    name of their stored file. Without ``keys_too`` their data key stays destroyed (only
    content was restored)."""
    _restore_key(backup)
    person = CoacheeFactory(
        uuid=backup.uuid,
        email=backup.email,
        organisation=backup.organisation,
        first_name="Eva",
        last_name="Zwanenburg",
    )
    trajectory = TrajectoryFactory(coachee=person, coaches=[coach], title=TITLE)
    post(one_to_one(trajectory), person, "Back from the backup")
    item = file_item(person, name="restored.pdf", title="Restored")
    if not keys_too:
        DataKey.objects.filter(scope=coachee_scope(backup.uuid)).update(
            wrapped=b"", destroyed_at=timezone.now()
        )
        datakeys.reset_cache()
    return _stored_file(item)


@pytest.fixture
def erased(coach, coachee):
    """Eva, with a trajectory, a dialogue and a file, erased; the backup from before."""
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach], title=TITLE)
    post(one_to_one(trajectory), coachee, "Before the backup")
    file_item(coachee, name="diary.pdf", title="Diary")
    key = DataKey.objects.get(scope=coachee_scope(coachee))
    backup = Backup(coachee.uuid, coachee.email, coachee.organisation, bytes(key.wrapped))
    erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    return backup


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


# Laying tombstones


def test_an_erasure_lays_a_tombstone_in_both_places(erased):
    row = ErasureTombstone.objects.get(subject_uuid=erased.uuid)
    assert timezone.now() - row.erased_at < datetime.timedelta(minutes=5)
    with default_storage.open(_tombstone_name(erased.uuid)) as stored:
        body = json.loads(stored.read())
    assert body == {"subject": str(erased.uuid), "erased_at": row.erased_at.isoformat()}
    assert tombstones.erased_since() == {erased.uuid: row.erased_at}


def test_a_tombstone_holds_only_the_random_id_and_the_time(erased):
    with default_storage.open(_tombstone_name(erased.uuid)) as stored:
        raw = stored.read().decode()
    assert set(json.loads(raw)) == {"subject", "erased_at"}
    for personal in (erased.email, "Eva", "Zwanenburg", erased.organisation.name):
        assert personal not in raw


def test_a_worker_killed_after_the_records_went_has_laid_both_already(coachee, monkeypatch):
    def killed(_erasure):
        raise SystemExit("worker killed")

    monkeypatch.setattr(erasure, "finish", killed)
    with pytest.raises(SystemExit):
        erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    assert not User.objects.filter(pk=coachee.pk).exists()
    assert ErasureTombstone.objects.filter(subject_uuid=coachee.uuid).exists()
    assert default_storage.exists(_tombstone_name(coachee.uuid))


def test_a_refused_erasure_lays_no_tombstone(coachee, it_admin):
    LegalHold.objects.create(
        subject=coachee, reason="Court case", ends_on=dates.today(), set_by=it_admin
    )
    with pytest.raises(ValidationError):
        erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    assert tombstones.erased_since() == {}
    assert not default_storage.exists(_tombstone_name(coachee.uuid))


def test_an_erasure_whose_records_transaction_fails_leaves_no_tombstone(coachee, monkeypatch):
    """Nothing was erased: no tombstone may erase them after a later restore."""

    def database_down(_subject):
        raise RuntimeError("database went away")

    monkeypatch.setattr(erasure, "_collector", database_down)
    with pytest.raises(RuntimeError):
        erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    assert User.objects.filter(pk=coachee.pk).exists()
    assert tombstones.erased_since() == {}
    assert not default_storage.exists(_tombstone_name(coachee.uuid))


def test_a_second_erasure_racing_the_first_leaves_the_tombstone(coachee, monkeypatch):
    real_refusal = erasure.refusal

    def first_worker_erases_meanwhile(subject):
        # The second worker has read the account; the first one erases it now.
        monkeypatch.setattr(erasure, "refusal", real_refusal)
        erasure.erase(subject, ground=Ground.SELF_SERVICE)
        return None

    monkeypatch.setattr(erasure, "refusal", first_worker_erases_meanwhile)
    with pytest.raises(User.DoesNotExist):
        erasure.erase(coachee, ground=Ground.SELF_SERVICE)
    assert not User.objects.filter(pk=coachee.pk).exists()
    assert Erasure.objects.filter(subject_uuid=coachee.uuid).count() == 1
    assert ErasureTombstone.objects.filter(subject_uuid=coachee.uuid).exists()
    assert default_storage.exists(_tombstone_name(coachee.uuid))


def test_laying_it_again_changes_nothing(coachee):
    first = timezone.now() - datetime.timedelta(days=3)
    tombstones.lay(coachee.uuid, first)
    tombstones.lay(coachee.uuid, timezone.now())
    assert ErasureTombstone.objects.get(subject_uuid=coachee.uuid).erased_at == first
    _folders, names = default_storage.listdir(tombstones.FOLDER)
    assert names == [f"{coachee.uuid}.json"]
    assert tombstones.erased_since() == {coachee.uuid: first}


def test_erased_since_gives_only_the_later_tombstones(coach, coachee):
    now = timezone.now()
    tombstones.lay(coach.uuid, now - datetime.timedelta(days=10))
    tombstones.lay(coachee.uuid, now - datetime.timedelta(days=1))
    later = tombstones.erased_since(now - datetime.timedelta(days=5))
    assert list(later) == [coachee.uuid]


# Replaying after a restore


def test_replay_erases_a_restored_person_again(erased, coach):
    stored = _restore(erased, coach)
    assert default_storage.exists(stored) and _live_key(erased.uuid)
    assert Message.objects.count() == 1
    output = _replay()
    assert output == "1 tombstones; 1 restored people erased again.\n"
    assert not User.objects.filter(pk=erased.uuid).exists()
    assert not Trajectory.objects.filter(coachee_id=erased.uuid).exists()
    assert not Message.objects.exists()
    assert not default_storage.exists(stored)
    assert not _live_key(erased.uuid)
    receipt = Erasure.objects.get(ground=Ground.REPLAY)
    assert receipt.subject_uuid == erased.uuid and receipt.state == Erasure.State.DONE
    assert receipt.counts["accounts.user"] == 1
    assert receipt.counts["accounts.trajectory"] == 1
    assert receipt.files == 1


def test_the_storage_copy_alone_suffices(erased, coach):
    erased_at = ErasureTombstone.objects.get(subject_uuid=erased.uuid).erased_at
    ErasureTombstone.objects.all().delete()  # a restore of the database that held the row
    _restore(erased, coach)
    assert _replay() == "1 tombstones; 1 restored people erased again.\n"
    assert not User.objects.filter(pk=erased.uuid).exists()
    assert ErasureTombstone.objects.get(subject_uuid=erased.uuid).erased_at == erased_at


def test_the_row_alone_suffices(erased, coach):
    default_storage.delete(_tombstone_name(erased.uuid))
    _restore(erased, coach)
    assert _replay() == "1 tombstones; 1 restored people erased again.\n"
    assert not User.objects.filter(pk=erased.uuid).exists()
    with default_storage.open(_tombstone_name(erased.uuid)) as stored:
        assert json.loads(stored.read())["subject"] == str(erased.uuid)


def test_a_restore_of_the_content_database_alone_is_erased_again(erased, coach):
    """The keys database was not restored: the person's content is unreadable, and still
    their records must go."""
    _restore(erased, coach, keys_too=False)
    assert _replay() == "1 tombstones; 1 restored people erased again.\n"
    assert not User.objects.filter(pk=erased.uuid).exists()
    assert not Trajectory.objects.filter(coachee_id=erased.uuid).exists()


def test_restored_records_whose_files_are_already_gone_are_erased_again(erased, coach):
    """The usual case: the files went from storage with the first erasure."""
    stored = _restore(erased, coach)
    default_storage.delete(stored)
    assert _replay() == "1 tombstones; 1 restored people erased again.\n"
    assert not User.objects.filter(pk=erased.uuid).exists()
    assert Erasure.objects.get(ground=Ground.REPLAY).state == Erasure.State.DONE


def test_a_data_key_the_restore_brought_back_is_destroyed_again(erased):
    _restore_key(erased)
    assert _live_key(erased.uuid)
    assert _replay() == "1 tombstones; 0 restored people erased again.\n"
    key = DataKey.objects.get(scope=coachee_scope(erased.uuid))
    assert key.destroyed_at is not None and bytes(key.wrapped) == b""
    assert not Erasure.objects.filter(ground=Ground.REPLAY).exists()


def test_a_restored_coach_is_erased_again_and_their_messages_stay_with_the_coachee(
    coach, coachee, trajectory
):
    dialogue = one_to_one(trajectory)
    theirs = post(dialogue, coach, "Keep the sleep diary")
    organisation, email = coach.organisation, coach.email
    erasure.erase(coach, ground=Ground.REQUEST)
    # The restore: the coach's account, and their name on the message, come back.
    restored = CoachFactory(uuid=coach.uuid, email=email, organisation=organisation)
    Message.objects.filter(pk=theirs.pk).update(author=restored)
    assert _replay() == "1 tombstones; 1 restored people erased again.\n"
    assert not User.objects.filter(pk=coach.uuid).exists()
    kept = Message.objects.get(pk=theirs.pk)
    assert kept.author_id is None and kept.body == "Keep the sleep diary"
    assert User.objects.filter(pk=coachee.pk).exists()
    assert DataKey.objects.get(scope=coachee_scope(coachee)).destroyed_at is None


def test_replay_tells_nobody(erased, coach, it_admin, committed):
    _restore(erased, coach)
    mail.outbox.clear()
    with committed():
        _replay()
    assert not mail.outbox


def test_replay_leaves_everyone_else_alone(erased, coach, other_coach, stranger_coachee):
    _restore(erased, coach)
    _replay()
    for person in (coach, other_coach, stranger_coachee):
        assert User.objects.filter(pk=person.pk).exists()
    assert _live_key(stranger_coachee.uuid)
    assert Trajectory.objects.filter(coachee=stranger_coachee).exists()


def test_replaying_twice_erases_nobody_the_second_time(erased, coach):
    _restore(erased, coach)
    _replay()
    receipts = Erasure.objects.count()
    assert _replay() == "1 tombstones; 0 restored people erased again.\n"
    assert Erasure.objects.count() == receipts


def test_replay_with_nothing_restored_changes_nothing(erased, coach):
    keys = list(DataKey.objects.order_by("scope").values_list("scope", "destroyed_at"))
    receipts, events = Erasure.objects.count(), AuditEvent.objects.count()
    assert _replay() == "1 tombstones; 0 restored people erased again.\n"
    assert list(DataKey.objects.order_by("scope").values_list("scope", "destroyed_at")) == keys
    assert (Erasure.objects.count(), AuditEvent.objects.count()) == (receipts, events)
    assert User.objects.filter(pk=coach.pk).exists()


def test_replay_without_any_tombstone_is_a_no_op(coach, coachee, trajectory):
    assert _replay() == "0 tombstones; 0 restored people erased again.\n"
    assert User.objects.filter(pk__in=[coach.pk, coachee.pk]).count() == 2
    assert not Erasure.objects.exists()
    assert _live_key(coachee.uuid)
    assert not default_storage.exists(tombstones.FOLDER)
