"""Encrypted file storage: chunked AES-GCM, tamper and truncation detection, cleanup."""

import os
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pluform.crypto import datakeys, files
from pluform.crypto.errors import DataKeyDestroyed, TamperedCiphertext
from pluform.crypto.scopes import coachee_scope
from tests.crypto_support import attach_file, new_master_key, use_ring
from tests.cryptoapp.models import Attachment

pytestmark = pytest.mark.django_db

CHUNK = files.CHUNK_SIZE
RECORD = CHUNK + 28
HEADER = 41


@pytest.fixture(autouse=True)
def ring(settings):
    use_ring(settings, new_master_key("alpha"))


def _attach(data: bytes, coachee=None) -> Attachment:
    return attach_file(data, coachee=coachee)


def _plaintext(attachment) -> bytes:
    datakeys.reset_cache()
    fresh = Attachment.objects.get(pk=attachment.pk)
    return b"".join(files.iter_decrypted(fresh, "file"))


def _stored(attachment) -> bytes:
    with default_storage.open(attachment.file.name, "rb") as handle:
        return handle.read()


def _restore(attachment, data: bytes):
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(data))


def test_a_file_round_trips_through_storage_encrypted():
    data = os.urandom(2 * CHUNK + 123)
    attachment = _attach(data)
    stored = _stored(attachment)
    assert _plaintext(attachment) == data
    assert data[:64] not in stored
    assert len(stored) == HEADER + 3 * 28 + len(data)
    assert attachment.file.plaintext_size == len(data)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK])
def test_every_size_round_trips_including_empty_and_exact_chunks(size):
    data = os.urandom(size)
    assert _plaintext(_attach(data)) == data


def test_the_stored_name_says_nothing_about_the_file_or_its_owner():
    coachee = uuid.uuid4()
    attachment = _attach(b"hello", coachee)
    name = attachment.file.name
    assert name.startswith("encrypted/")
    assert "verslag" not in name
    assert str(coachee) not in name and coachee.hex not in name


def test_an_encrypted_file_has_no_url():
    with pytest.raises(ValueError, match="no URL"):
        _attach(b"hello").file.url  # noqa: B018


def test_a_flipped_bit_in_a_file_chunk_fails():
    attachment = _attach(os.urandom(2 * CHUNK))
    stored = bytearray(_stored(attachment))
    stored[HEADER + RECORD + 100] ^= 0x01
    _restore(attachment, bytes(stored))
    with pytest.raises(TamperedCiphertext, match="chunk 1"):
        _plaintext(attachment)


def test_a_truncated_file_fails_even_at_a_chunk_boundary():
    attachment = _attach(os.urandom(3 * CHUNK))
    _restore(attachment, _stored(attachment)[: HEADER + 2 * RECORD])
    with pytest.raises(TamperedCiphertext):
        _plaintext(attachment)


def test_a_file_cut_inside_a_chunk_fails():
    attachment = _attach(os.urandom(2 * CHUNK))
    _restore(attachment, _stored(attachment)[:-5])
    with pytest.raises(TamperedCiphertext):
        _plaintext(attachment)


def test_reordered_chunks_fail():
    attachment = _attach(os.urandom(3 * CHUNK))
    stored = _stored(attachment)
    header, body = stored[:HEADER], stored[HEADER:]
    chunks = [body[i : i + RECORD] for i in range(0, len(body), RECORD)]
    _restore(attachment, header + chunks[1] + chunks[0] + chunks[2])
    with pytest.raises(TamperedCiphertext, match="chunk 0"):
        _plaintext(attachment)


def test_an_appended_chunk_fails():
    attachment = _attach(os.urandom(CHUNK))
    stored = _stored(attachment)
    _restore(attachment, stored + stored[HEADER:])
    with pytest.raises(TamperedCiphertext):
        _plaintext(attachment)


def test_a_file_moved_to_another_row_fails():
    coachee = uuid.uuid4()
    source, target = _attach(b"van de een", coachee), _attach(b"van de ander", coachee)
    Attachment.objects.filter(pk=target.pk).update(file=source.file.name)
    with pytest.raises(TamperedCiphertext, match="chunk 0"):
        _plaintext(Attachment.objects.get(pk=target.pk))


def test_a_destroyed_key_makes_the_file_unreadable():
    coachee = uuid.uuid4()
    attachment = _attach(b"dossier", coachee)
    datakeys.destroy_scope(coachee_scope(coachee))
    with pytest.raises(DataKeyDestroyed):
        _plaintext(attachment)


def test_deleting_the_row_deletes_the_stored_object_on_commit(
    django_capture_on_commit_callbacks,
):
    attachment = _attach(b"weg ermee")
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment.delete()
    assert not default_storage.exists(name)


def test_deleting_rows_in_bulk_deletes_their_stored_objects(django_capture_on_commit_callbacks):
    coachee = uuid.uuid4()
    names = [_attach(b"een", coachee).file.name, _attach(b"twee", coachee).file.name]
    with django_capture_on_commit_callbacks(execute=True):
        Attachment.objects.filter(coachee_uuid=coachee).delete()
    assert not any(default_storage.exists(name) for name in names)


def test_a_rolled_back_delete_keeps_the_stored_object(django_capture_on_commit_callbacks):
    attachment = _attach(b"blijft")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachment.delete()
    assert callbacks and default_storage.exists(attachment.file.name)


def test_replacing_the_file_deletes_the_old_stored_object(django_capture_on_commit_callbacks):
    attachment = _attach(b"oud")
    old_name = attachment.file.name
    attachment = Attachment.objects.get(pk=attachment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        attachment.file = ContentFile(b"nieuw", name="nieuw.txt")
        attachment.save()
    assert not default_storage.exists(old_name)
    assert _plaintext(attachment) == b"nieuw"


def test_encrypting_reads_the_source_in_bounded_chunks():
    class Source:
        def __init__(self, size):
            self.left, self.largest = size, 0

        def seek(self, offset):
            pass

        def read(self, size):
            self.largest = max(self.largest, size)
            size = min(size, self.left)
            self.left -= size
            return b"x" * size

    source = Source(5 * CHUNK)
    key_id, aes = datakeys.key_for_scope(coachee_scope(uuid.uuid4()))
    reader = files.EncryptingReader(source, key_id, aes, b"aad")
    total = 0
    while piece := reader.read(8192):
        total += len(piece)
    assert source.largest == CHUNK
    assert total == HEADER + 5 * RECORD


def test_a_model_form_checks_the_upload_and_stores_it_encrypted():
    from django import forms

    from pluform.uploads import SafeFileField

    class AttachmentForm(forms.ModelForm):
        class Meta:
            model = Attachment
            fields = ["file"]

    assert isinstance(AttachmentForm().fields["file"], SafeFileField)
    refused = AttachmentForm(files={"file": ContentFile(b"MZ\x90\x00" * 50, name="a.pdf")})
    assert not refused.is_valid()
    form = AttachmentForm(files={"file": ContentFile(b"plain words\n", name="a.txt")})
    assert form.is_valid(), form.errors
    form.instance.coachee_uuid = uuid.uuid4()
    attachment = form.save()
    assert _plaintext(attachment) == b"plain words\n"
