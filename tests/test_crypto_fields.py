"""Encrypted text fields: format, nonces, binding to table/column/row, tamper and key errors."""

import base64
import logging
import uuid

import pytest
from django.db import connection

from pluform.crypto import aead, datakeys
from pluform.crypto.errors import MissingMasterKey, TamperedCiphertext, WrongMasterKey
from pluform.crypto.middleware import DataKeyCacheMiddleware
from pluform.crypto.models import DataKey
from pluform.crypto.scopes import coachee_scope
from tests.crypto_support import new_master_key, raw_column, raw_table_text, use_ring
from tests.cryptoapp.models import Note

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ring(settings):
    use_ring(settings, new_master_key("alpha"))


def _note(text="Ik slaap slecht sinds de scheiding.", coachee=None, **kwargs):
    return Note.objects.create(coachee_uuid=coachee or uuid.uuid4(), body=text, **kwargs)


def _reload(note):
    datakeys.reset_cache()
    return Note.objects.get(pk=note.pk)


def _write_raw(note, column, value):
    pk = Note._meta.pk.get_db_prep_value(note.pk, connection)
    with connection.cursor() as cursor:
        sql = f"UPDATE cryptoapp_note SET {column} = %s WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [value, pk])


def test_a_saved_value_reads_back_after_a_reload():
    note = _note("Mijn stemming is beter dan vorige week.")
    assert _reload(note).body == "Mijn stemming is beter dan vorige week."


def test_each_encryption_uses_a_fresh_96_bit_nonce():
    coachee = uuid.uuid4()
    first = raw_column(Note, "body", _note("same", coachee).pk)
    second = raw_column(Note, "body", _note("same", coachee).pk)
    nonces = {base64.b64decode(value)[17:29] for value in (first, second)}
    assert len(nonces) == 2
    assert all(len(nonce) == 12 for nonce in nonces)


def test_a_ciphertext_names_its_format_version_and_data_key():
    coachee = uuid.uuid4()
    note = _note(coachee=coachee)
    blob = base64.b64decode(raw_column(Note, "body", note.pk))
    assert blob[0] == aead.VERSION
    assert aead.key_id_of(blob) == DataKey.objects.get(scope=coachee_scope(coachee)).id


def test_a_ciphertext_moved_to_another_row_fails():
    coachee = uuid.uuid4()
    source, target = _note("geheim", coachee), _note("ander", coachee)
    _write_raw(target, "body", raw_column(Note, "body", source.pk))
    with pytest.raises(TamperedCiphertext):
        _reload(target).body  # noqa: B018


def test_a_ciphertext_moved_to_another_column_fails():
    note = _note("geheim", summary="kort")
    _write_raw(note, "summary", raw_column(Note, "body", note.pk))
    reloaded = _reload(note)
    assert reloaded.body == "geheim"
    with pytest.raises(TamperedCiphertext):
        reloaded.summary  # noqa: B018


def test_a_tampered_ciphertext_is_refused_and_logged_without_content(caplog):
    note = _note("Ik heb paniekaanvallen op het werk.")
    blob = bytearray(base64.b64decode(raw_column(Note, "body", note.pk)))
    blob[-20] ^= 0x01
    _write_raw(note, "body", base64.b64encode(bytes(blob)).decode())
    caplog.set_level(logging.WARNING, logger="pluform.crypto")
    with pytest.raises(TamperedCiphertext) as error:
        _reload(note).body  # noqa: B018
    assert str(note.pk) in caplog.text
    assert "paniek" not in caplog.text
    assert "paniek" not in str(error.value)


def test_a_relabelled_key_id_is_refused():
    coachee_a, coachee_b = uuid.uuid4(), uuid.uuid4()
    note = _note("geheim", coachee_a)
    _note("ander", coachee_b)
    other_key = DataKey.objects.get(scope=coachee_scope(coachee_b)).id
    blob = bytearray(base64.b64decode(raw_column(Note, "body", note.pk)))
    blob[1:17] = other_key.bytes
    _write_raw(note, "body", base64.b64encode(bytes(blob)).decode())
    with pytest.raises(TamperedCiphertext):
        _reload(note).body  # noqa: B018


def test_garbage_in_the_column_is_refused_as_tampering():
    note = _note()
    _write_raw(note, "body", "not base64 at all!")
    with pytest.raises(TamperedCiphertext):
        _reload(note).body  # noqa: B018


def test_a_missing_master_key_raises_an_error_naming_the_key_id(settings):
    note = _note()
    use_ring(settings, new_master_key("beta"))
    with pytest.raises(MissingMasterKey, match="'alpha'"):
        _reload(note).body  # noqa: B018


def test_a_wrong_master_key_raises_an_error_naming_the_key_id(settings):
    note = _note()
    use_ring(settings, new_master_key("alpha"))
    with pytest.raises(WrongMasterKey, match="'alpha'"):
        _reload(note).body  # noqa: B018


def test_raw_sql_over_the_tables_holds_none_of_the_marker_strings():
    markers = ["MARKER-slaapproblemen-7f3a", "MARKER-medicatie-91bc", "MARKER-ruzie-thuis-2d4e"]
    coachee = uuid.uuid4()
    for marker in markers:
        _note(marker, coachee, summary=marker.lower())
    dump = raw_table_text(Note, DataKey)
    assert not [marker for marker in markers if marker in dump or marker.lower() in dump]
    assert coachee.hex in dump.replace("-", ""), "the raw read saw the rows"


def test_content_cannot_be_searched():
    with pytest.raises(Exception, match="Unsupported lookup"):
        list(Note.objects.filter(body__icontains="x"))


def test_a_destroyed_key_stops_working_at_once_in_the_same_unit_of_work():
    coachee = uuid.uuid4()
    note = _note("geheim", coachee)
    assert _reload(note).body == "geheim"
    datakeys.key_for_scope(coachee_scope(coachee))
    datakeys.destroy_scope(coachee_scope(coachee))
    with pytest.raises(datakeys.DataKeyDestroyed):
        Note.objects.get(pk=note.pk).body  # noqa: B018


def test_the_request_middleware_forgets_data_keys_when_the_request_ends(rf):
    note = _note("geheim")

    def view(request):
        assert Note.objects.get(pk=note.pk).body == "geheim"
        assert datakeys._cached()
        return "response"

    assert DataKeyCacheMiddleware(view)(rf.get("/")) == "response"
    assert datakeys._cached() == {}


def test_a_celery_task_starts_and_ends_without_cached_keys():
    from pluform.celery import app

    seen = {}

    @app.task(name="tests.crypto.peek_cache")
    def peek():
        seen["at_start"] = dict(datakeys._cached())
        datakeys.key_for_scope(coachee_scope(uuid.uuid4()))

    datakeys.key_for_scope(coachee_scope(uuid.uuid4()))
    peek.delay()
    assert seen["at_start"] == {}
    assert datakeys._cached() == {}


def test_a_copy_saved_under_a_new_id_is_re_encrypted_for_its_own_row():
    original = _reload(_note("kopie van het verslag"))
    original.pk = None
    original.save()
    assert original.pk is not None
    assert _reload(original).body == "kopie van het verslag"


def test_reading_and_saving_without_changes_keeps_the_stored_ciphertext():
    note = _reload(_note("ongewijzigd"))
    before = raw_column(Note, "body", note.pk)
    note.save()
    assert raw_column(Note, "body", note.pk) == before
