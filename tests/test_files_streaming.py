"""Streaming an encrypted file to a user: headers, decryption on the fly, abort on tampering."""

import logging
import os
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import StreamingHttpResponse

from pluform.crypto import datakeys, files
from pluform.crypto.errors import DataKeyDestroyed, TamperedCiphertext
from pluform.crypto.scopes import coachee_scope
from pluform.crypto.streaming import encrypted_file_response
from tests.crypto_support import attach_file, new_master_key, use_ring
from tests.cryptoapp.models import Attachment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def ring(settings):
    use_ring(settings, new_master_key("alpha"))


def _attach(data: bytes, coachee=None) -> Attachment:
    attachment = attach_file(data, coachee=coachee, name="x")
    datakeys.reset_cache()
    return Attachment.objects.get(pk=attachment.pk)


def _respond(attachment, **kwargs):
    options = {"filename": "Verslag mei.pdf", "content_type": "application/pdf", **kwargs}
    return encrypted_file_response(attachment, "file", **options)


def test_the_response_streams_the_plaintext_with_the_right_length():
    data = os.urandom(3 * files.CHUNK_SIZE + 17)
    response = _respond(_attach(data))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Length"] == str(len(data))
    assert b"".join(response.streaming_content) == data


def test_the_response_is_a_private_download_that_is_never_sniffed_or_cached():
    response = _respond(_attach(b"%PDF-1.4 ..."))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Verslag" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Accel-Buffering"] == "no"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize("content_type", ["image/png", "image/jpeg", "image/gif", "image/webp"])
def test_safe_images_may_be_shown_inline(content_type):
    response = _respond(_attach(b"img"), content_type=content_type, inline=True)
    assert response["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize("content_type", ["image/svg+xml", "text/html", "application/pdf"])
def test_other_types_are_always_downloads_even_when_inline_is_asked(content_type):
    response = _respond(_attach(b"<svg/>"), content_type=content_type, inline=True)
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_tampered_chunk_aborts_the_stream_and_is_logged_without_content(caplog):
    secret = b"Ik heb een burn-out. " * 8000
    attachment = _attach(secret)
    with default_storage.open(attachment.file.name, "rb") as handle:
        stored = bytearray(handle.read())
    stored[41 + files.CHUNK_SIZE + 28 + 50] ^= 0x80
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(bytes(stored)))
    caplog.set_level(logging.WARNING, logger="pluform.crypto")

    response = _respond(attachment)
    received = []
    with pytest.raises(TamperedCiphertext):
        for piece in response.streaming_content:
            received.append(piece)
    assert b"".join(received) == secret[: files.CHUNK_SIZE]
    assert str(attachment.pk) in caplog.text
    assert "burn-out" not in caplog.text


def test_a_destroyed_key_fails_before_any_byte_is_sent():
    coachee = uuid.uuid4()
    attachment = _attach(b"weg", coachee)
    datakeys.destroy_scope(coachee_scope(coachee))
    with pytest.raises(DataKeyDestroyed):
        _respond(attachment)


def test_the_stream_keeps_working_after_the_request_forgets_its_keys():
    data = os.urandom(2 * files.CHUNK_SIZE)
    response = _respond(_attach(data))
    datakeys.reset_cache()
    assert b"".join(response.streaming_content) == data
