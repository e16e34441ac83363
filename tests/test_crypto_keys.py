"""Data keys: one per scope, crypto-shredding, and the router for a separate keys database."""

import base64
import uuid

import pytest
from django.test import override_settings

from pluform.crypto import aead, datakeys
from pluform.crypto.errors import DataKeyDestroyed
from pluform.crypto.keyring import master_keys
from pluform.crypto.models import DataKey
from pluform.crypto.routers import DataKeyRouter
from pluform.crypto.scopes import coachee_scope, dialogue_scope, owner_scope
from tests.crypto_support import new_master_key, raw_column, use_ring
from tests.cryptoapp.models import Note


@pytest.fixture(autouse=True)
def ring(settings):
    use_ring(settings, new_master_key("alpha"), new_master_key("old"))


def test_scopes_name_a_coachee_a_group_dialogue_and_an_owner():
    subject = uuid.uuid4()
    assert coachee_scope(subject) == f"coachee:{subject}"
    assert dialogue_scope(subject) == f"dialogue:{subject}"
    assert owner_scope(str(subject)) == f"owner:{subject}"


@pytest.mark.django_db
def test_one_data_key_per_scope_wrapped_by_the_first_master_key():
    coachee = uuid.uuid4()
    for text in ("een", "twee", "drie"):
        Note.objects.create(coachee_uuid=coachee, body=text)
    keys = DataKey.objects.filter(scope=coachee_scope(coachee))
    assert keys.count() == 1
    assert keys.get().master_key_id == "alpha"
    assert len(keys.get().wrapped) == 12 + 32 + 16


@pytest.mark.django_db
def test_every_key_in_the_ring_decrypts(settings):
    note = Note.objects.create(coachee_uuid=uuid.uuid4(), body="geheim")
    alpha = settings.PLUFORM_MASTER_KEYS.split(",")[0]
    use_ring(settings, new_master_key("newer"), alpha)
    assert master_keys().current_id == "newer"
    assert Note.objects.get(pk=note.pk).body == "geheim"


@pytest.mark.django_db
def test_after_a_coachees_data_key_is_destroyed_raw_sql_yields_nothing_decryptable(settings):
    coachee, other = uuid.uuid4(), uuid.uuid4()
    note = Note.objects.create(coachee_uuid=coachee, body="Mijn diagnose is ...")
    kept = Note.objects.create(coachee_uuid=other, body="blijft leesbaar")

    assert datakeys.destroy_scope(coachee_scope(coachee)) == 1

    stored = raw_column(Note, "body", note.pk)
    key_row = DataKey.objects.get(scope=coachee_scope(coachee))
    assert bytes(raw_column(DataKey, "wrapped", key_row.pk)) == b""
    assert key_row.destroyed_at is not None
    with pytest.raises(DataKeyDestroyed):
        aead.open_text(stored, aead.associated_data("cryptoapp_note", "body", note.pk))
    # Not with any master key either: the wrapped data key is gone.
    blob = base64.b64decode(stored)
    for key_id in master_keys().order:
        with pytest.raises(Exception):  # noqa: B017
            master_keys().get(key_id).decrypt(blob[17:29], blob[29:], b"")
    datakeys.reset_cache()
    assert Note.objects.get(pk=kept.pk).body == "blijft leesbaar"


@pytest.mark.django_db
def test_destroying_a_scope_twice_is_harmless():
    coachee = uuid.uuid4()
    Note.objects.create(coachee_uuid=coachee, body="x")
    assert datakeys.destroy_scope(coachee_scope(coachee)) == 1
    assert datakeys.destroy_scope(coachee_scope(coachee)) == 0


@pytest.mark.django_db
def test_new_content_for_a_destroyed_scope_is_refused():
    coachee = uuid.uuid4()
    Note.objects.create(coachee_uuid=coachee, body="x")
    datakeys.destroy_scope(coachee_scope(coachee))
    with pytest.raises(DataKeyDestroyed):
        Note.objects.create(coachee_uuid=coachee, body="na het wissen")


class _Model:
    def __init__(self, app_label):
        self._meta = type("Meta", (), {"app_label": app_label})


def _databases(with_keys):
    databases = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    if with_keys:
        databases["keys"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    return databases


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_without_a_keys_database_the_router_leaves_everything_to_default():
    router = DataKeyRouter()
    with override_settings(DATABASES=_databases(False)):
        assert router.db_for_read(_Model("crypto")) is None
        assert router.db_for_write(_Model("crypto")) is None
        assert router.allow_migrate("default", "crypto") is None


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_with_a_keys_database_data_keys_live_only_there():
    router = DataKeyRouter()
    with override_settings(DATABASES=_databases(True)):
        assert router.db_for_read(_Model("crypto")) == "keys"
        assert router.db_for_write(_Model("crypto")) == "keys"
        assert router.db_for_read(_Model("dialogue")) is None
        assert router.allow_migrate("keys", "crypto") is True
        assert router.allow_migrate("default", "crypto") is False
        assert router.allow_migrate("keys", "dialogue") is False
        assert router.allow_migrate("default", "dialogue") is True


@pytest.mark.django_db
def test_a_destruction_is_audited_and_replayed_after_a_keys_restore():
    import io

    from django.core.management import call_command

    from privacy.audit_models import Action, AuditEvent

    coachee = uuid.uuid4()
    note = Note.objects.create(coachee_uuid=coachee, body="gewist")
    backup = DataKey.objects.get(scope=coachee_scope(coachee))
    datakeys.destroy_scope(coachee_scope(coachee))
    event = AuditEvent.objects.get(action=Action.KEY_DESTRUCTION)
    assert event.detail == coachee_scope(coachee)

    DataKey.objects.filter(pk=backup.pk).update(wrapped=backup.wrapped, destroyed_at=None)
    out = io.StringIO()
    call_command("replay_key_destructions", stdout=out)
    assert "1 restored keys destroyed again" in out.getvalue()
    datakeys.reset_cache()
    with pytest.raises(DataKeyDestroyed):
        Note.objects.get(pk=note.pk).body  # noqa: B018


@pytest.mark.django_db
def test_preload_fetches_the_keys_of_many_scopes_in_one_query(django_assert_num_queries):
    scopes = [dialogue_scope(uuid.uuid4()) for _ in range(5)]
    sealed = [aead.seal_text(scope, "group name", b"aad") for scope in scopes]
    datakeys.destroy_scope(scopes[0])
    datakeys.reset_cache()
    with django_assert_num_queries(1):
        datakeys.preload(scopes)
        assert [aead.open_text(text, b"aad") for text in sealed[1:]] == ["group name"] * 4
    with pytest.raises(DataKeyDestroyed):
        aead.open_text(sealed[0], b"aad")
