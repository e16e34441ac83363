"""Range requests on encrypted files: 206 with exactly the asked bytes, decrypting only the
chunks that hold them; 416 for malformed or outside ranges; the whole file otherwise."""

import logging
import os

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from pluform.crypto import datakeys, files
from pluform.crypto.errors import TamperedCiphertext
from pluform.crypto.streaming import (
    INLINE_MEDIA_TYPES,
    INLINE_SAFE_TYPES,
    encrypted_file_response,
    requested_range,
)
from pluform.uploads.types import DOCX, ODT, XLSX
from tests.crypto_support import attach_file, new_master_key, use_ring
from tests.cryptoapp.models import Attachment

pytestmark = pytest.mark.django_db

CHUNK = files.CHUNK_SIZE
RECORD = CHUNK + 28
HEADER = 41
SIZE = 3 * CHUNK + 17  # four chunks, the last one short
DATA = os.urandom(SIZE)


@pytest.fixture(autouse=True)
def ring(settings):
    use_ring(settings, new_master_key("alpha"))


@pytest.fixture
def attachment():
    return _attach(DATA)


def _attach(data: bytes) -> Attachment:
    attachment = attach_file(data, name="x")
    datakeys.reset_cache()
    return Attachment.objects.get(pk=attachment.pk)


def _respond(attachment, method="get", content_type="video/mp4", inline=True, **headers):
    request = getattr(RequestFactory(), method)("/file", headers=headers)
    return encrypted_file_response(
        attachment,
        "file",
        filename="sessie.mp4",
        content_type=content_type,
        inline=inline,
        request=request,
    )


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


class Reads:
    """Wraps every object DecryptedFile opens in storage; counts the bytes read from each."""

    def __init__(self):
        self.opened = []  # (offset, end, bytes read) per opening, in order

    def open_from(self, storage, name, offset=0, end=None):
        reads = self

        class Counting:
            def __init__(self, inner):
                self.inner, self.entry = inner, [offset, end, 0]
                self.closed = False
                reads.opened.append(self.entry)

            def read(self, size=-1):
                data = self.inner.read(size)
                self.entry[2] += len(data)
                return data

            def close(self):
                self.closed = True
                self.inner.close()

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.close()

        self.last = Counting(self._real(storage, name, offset, end))
        return self.last

    @property
    def total(self) -> int:
        return sum(read for _, _, read in self.opened)


@pytest.fixture
def reads(monkeypatch):
    spy = Reads()
    spy._real = files.open_from
    monkeypatch.setattr(files, "open_from", spy.open_from)
    return spy


def _stored(attachment) -> bytes:
    with default_storage.open(attachment.file.name, "rb") as handle:
        return handle.read()


def _restore(attachment, data: bytes):
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(data))


# -- 206 ------------------------------------------------------------------------------------

RANGES = {
    "first byte": ("bytes=0-0", 0, 1),
    "last byte": (f"bytes={SIZE - 1}-{SIZE - 1}", SIZE - 1, SIZE),
    "inside the first chunk": ("bytes=10-20", 10, 21),
    "open end": ("bytes=100-", 100, SIZE),
    "open end in the last chunk": (f"bytes={3 * CHUNK + 5}-", 3 * CHUNK + 5, SIZE),
    "suffix": ("bytes=-500", SIZE - 500, SIZE),
    "suffix longer than the file": (f"bytes=-{SIZE + 100}", 0, SIZE),
    "end past the file": (f"bytes=7-{SIZE + 1000}", 7, SIZE),
    "whole file as a range": ("bytes=0-", 0, SIZE),
    "across one chunk border": (f"bytes={CHUNK - 10}-{CHUNK + 9}", CHUNK - 10, CHUNK + 10),
    "exactly one chunk": (f"bytes={CHUNK}-{2 * CHUNK - 1}", CHUNK, 2 * CHUNK),
    "last byte of a chunk": (f"bytes={CHUNK - 1}-{CHUNK - 1}", CHUNK - 1, CHUNK),
    "first byte of a chunk": (f"bytes={2 * CHUNK}-{2 * CHUNK}", 2 * CHUNK, 2 * CHUNK + 1),
    "over three chunks": (f"bytes={CHUNK - 1}-{3 * CHUNK}", CHUNK - 1, 3 * CHUNK + 1),
    "upper-case unit, spaces": ("BYTES= 5-9 ", 5, 10),
}


@pytest.mark.parametrize("header, start, stop", RANGES.values(), ids=RANGES.keys())
def test_a_single_range_gets_206_with_exactly_those_bytes(attachment, header, start, stop):
    response = _respond(attachment, Range=header)
    assert response.status_code == 206
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Range"] == f"bytes {start}-{stop - 1}/{SIZE}"
    assert response["Content-Length"] == str(stop - start)
    assert response["Accept-Ranges"] == "bytes"
    assert _body(response) == DATA[start:stop]


def test_a_range_reads_only_the_header_and_the_records_it_needs(attachment, reads):
    start, stop = CHUNK - 10, CHUNK + 10  # the end of chunk 0, the start of chunk 1
    assert _body(_respond(attachment, Range=f"bytes={start}-{stop - 1}")) == DATA[start:stop]
    assert reads.opened == [[0, HEADER, HEADER], [HEADER, HEADER + 2 * RECORD, 2 * RECORD]]


@pytest.mark.parametrize("data", [b"z", b"zo"], ids=["one byte", "two bytes"])
def test_a_tiny_file_serves_its_first_and_last_byte(data):
    attachment = _attach(data)
    for header, expected in (("bytes=0-0", data[:1]), ("bytes=-1", data[-1:])):
        response = _respond(attachment, Range=header)
        assert response.status_code == 206
        assert _body(response) == expected
    assert _respond(attachment, Range=f"bytes={len(data)}-").status_code == 416


def test_an_empty_file_has_no_range_to_give():
    attachment = _attach(b"")
    refused = _respond(attachment, Range="bytes=0-")
    assert refused.status_code == 416
    assert refused["Content-Range"] == "bytes */0"
    whole = _respond(attachment, Range="bytes=-5")  # satisfiable, but empty: the whole file
    assert whole.status_code == 200
    assert whole["Content-Length"] == "0"
    assert _body(whole) == b""


# -- 416 ------------------------------------------------------------------------------------

UNSATISFIABLE = {
    "not numbers": "bytes=abc",
    "another unit": "items=0-1",
    "end before start": "bytes=5-2",
    "no numbers": "bytes=-",
    "nothing": "bytes=",
    "no unit": "0-1",
    "three parts": "bytes=1-2-3",
    "negative start": "bytes=--5",
    "unicode digits": "bytes=\u0661-\u0662",
    "a malformed range beside a good one": "bytes=0-1,x",
    "start at the size": f"bytes={SIZE}-",
    "start past the size": f"bytes={SIZE + 10}-{SIZE + 20}",
    "empty suffix": "bytes=-0",
    "several, all outside": f"bytes={SIZE}-,{SIZE + 5}-{SIZE + 6}",
}


@pytest.mark.parametrize("header", UNSATISFIABLE.values(), ids=UNSATISFIABLE.keys())
def test_a_malformed_or_outside_range_gets_416_without_a_body(attachment, reads, header):
    response = _respond(attachment, Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response["Content-Length"] == "0"
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    assert "no-store" in response["Cache-Control"]
    assert reads.total == HEADER  # the header gives the size; no chunk is read


def test_the_parser_on_its_own():
    assert requested_range("bytes=0-1", 10) == (0, 2)
    assert requested_range("bytes=0-1,5-6", 10) is None
    assert requested_range("bytes=-3", 0) is None
    with pytest.raises(ValueError):
        requested_range("bytes=" + "9" * 5000 + "-", 10)


# -- the whole file instead --------------------------------------------------------------------


@pytest.mark.parametrize("header", ["bytes=0-1,5-6", "bytes=0-1, 5-6", f"bytes=0-1,{SIZE}-"])
def test_several_ranges_get_the_whole_file(attachment, header):
    response = _respond(attachment, Range=header)
    assert response.status_code == 200
    assert "Content-Range" not in response
    assert response["Content-Length"] == str(SIZE)
    assert _body(response) == DATA


@pytest.mark.parametrize(
    "if_range", ['"0123456789abcdef0123456789abcdef"', "Wed, 21 Oct 2015 07:28:00 GMT", "W/{}"]
)
def test_an_if_range_that_does_not_match_gets_the_whole_file(attachment, if_range):
    etag = _respond(attachment)["ETag"]
    response = _respond(attachment, Range="bytes=5-9", **{"If-Range": if_range.format(etag)})
    assert response.status_code == 200
    assert _body(response) == DATA


def test_an_if_range_with_the_etag_gets_the_range(attachment):
    etag = _respond(attachment)["ETag"]
    response = _respond(attachment, Range="bytes=5-9", **{"If-Range": etag})
    assert response.status_code == 206
    assert _body(response) == DATA[5:10]


def test_a_failed_if_range_also_overrides_a_malformed_range(attachment):
    response = _respond(attachment, Range="bytes=abc", **{"If-Range": '"other"'})
    assert response.status_code == 200


def test_without_the_request_the_whole_file_is_served_as_before(attachment):
    response = encrypted_file_response(
        attachment, "file", filename="x.mp4", content_type="video/mp4"
    )
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert _body(response) == DATA


def test_a_head_gets_the_headers_without_reading_a_chunk(attachment, reads):
    etag = _respond(attachment)["ETag"]
    reads.opened.clear()
    response = _respond(attachment, method="head", Range="bytes=0-1")
    assert response.status_code == 200  # Range is defined for GET only
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"] == etag
    assert _body(response) == b""
    assert [offset for offset, _, _ in reads.opened] == [0]


# -- the ETag ---------------------------------------------------------------------------------


def test_the_etag_is_strong_stable_and_says_nothing_about_the_file(attachment):
    etag = _respond(attachment)["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 20
    assert etag == _respond(Attachment.objects.get(pk=attachment.pk))["ETag"]
    token = attachment.file.name.rsplit("/", 1)[-1]
    assert token not in etag and token[:8] not in etag
    assert "sessie" not in etag
    assert _respond(_attach(DATA))["ETag"] != etag  # same bytes, other object


# -- inline -----------------------------------------------------------------------------------


@pytest.mark.parametrize("content_type", sorted(INLINE_MEDIA_TYPES))
def test_audio_and_video_may_play_inline_and_stay_sandboxed(attachment, content_type):
    response = _respond(attachment, content_type=content_type, Range="bytes=0-")
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )


def test_the_media_types_are_the_allowed_audio_and_video():
    assert {"audio/mpeg", "audio/mp4", "audio/ogg", "audio/wav"} <= INLINE_MEDIA_TYPES
    assert {"video/mp4", "video/webm"} <= INLINE_MEDIA_TYPES
    assert all(kind.split("/")[0] in {"audio", "video"} for kind in INLINE_MEDIA_TYPES)
    assert not INLINE_SAFE_TYPES & INLINE_MEDIA_TYPES  # image previews are not widened


@pytest.mark.parametrize(
    "content_type", ["application/pdf", DOCX, XLSX, ODT, "text/plain", "video/quicktime"]
)
def test_documents_and_other_types_stay_downloads(attachment, content_type):
    response = _respond(attachment, content_type=content_type, Range="bytes=0-9")
    assert response["Content-Disposition"].startswith("attachment;")


def test_media_is_a_download_when_inline_is_not_asked(attachment):
    response = _respond(attachment, inline=False)
    assert response["Content-Disposition"].startswith("attachment;")


# -- a large file -----------------------------------------------------------------------------


def test_a_seek_into_a_large_file_reads_only_the_chunks_it_needs(reads):
    size = 6 * 1024 * 1024 + 333  # 97 chunks
    data = os.urandom(size)
    attachment = _attach(data)
    start = 57 * CHUNK - 1000  # the tail of chunk 56 and ...
    stop = start + 3 * CHUNK  # ... chunks 57 and 58 and the head of 59
    response = _respond(attachment, Range=f"bytes={start}-{stop - 1}")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{stop - 1}/{size}"
    pieces = list(response.streaming_content)
    assert b"".join(pieces) == data[start:stop]
    assert max(len(piece) for piece in pieces) <= CHUNK
    assert reads.total <= HEADER + 4 * RECORD
    assert reads.opened[-1][:2] == [HEADER + 56 * RECORD, HEADER + 60 * RECORD]
    assert reads.last.closed


def test_the_end_of_a_large_file(reads):
    size = 5 * 1024 * 1024 + 7
    data = os.urandom(size)
    attachment = _attach(data)
    assert _body(_respond(attachment, Range="bytes=-5")) == data[-5:]
    assert reads.total == HEADER + 7 + 28  # the last record holds 7 bytes of plaintext
    reads.opened.clear()
    assert _body(_respond(attachment, Range="bytes=-20")) == data[-20:]
    assert reads.total == HEADER + RECORD + 7 + 28  # 13 bytes are in the one before


def test_closing_a_response_midway_closes_the_stored_object(reads):
    response = _respond(_attach(os.urandom(6 * CHUNK)), Range=f"bytes={CHUNK}-")
    iterator = iter(response.streaming_content)
    next(iterator)
    assert not reads.last.closed
    response.close()
    assert reads.last.closed


def test_iter_range_clips_to_the_file_and_reads_nothing_for_an_empty_range(attachment, reads):
    decrypted = files.open_decrypted(attachment, "file")
    assert b"".join(decrypted.iter_range(-5, 3)) == DATA[:3]
    assert b"".join(decrypted.iter_range(SIZE - 2, SIZE + 50)) == DATA[-2:]
    opened = len(reads.opened)
    assert list(decrypted.iter_range(10, 10)) == []
    assert list(decrypted.iter_range(SIZE, SIZE + 1)) == []
    assert len(reads.opened) == opened


# -- tampering --------------------------------------------------------------------------------


def test_a_tampered_chunk_inside_the_range_fails_before_its_bytes(attachment, caplog):
    stored = bytearray(_stored(attachment))
    stored[HEADER + 2 * RECORD + 40] ^= 0x01  # chunk 2
    _restore(attachment, bytes(stored))
    caplog.set_level(logging.WARNING, logger="pluform.crypto")
    start = CHUNK + 100
    response = _respond(attachment, Range=f"bytes={start}-{3 * CHUNK}")
    assert response.status_code == 206
    received = []
    with pytest.raises(TamperedCiphertext, match="chunk 2"):
        for piece in response.streaming_content:
            received.append(piece)
    assert b"".join(received) == DATA[start : 2 * CHUNK]  # chunk 1 only
    assert str(attachment.pk) in caplog.text


def test_a_range_that_starts_in_a_tampered_chunk_sends_nothing(attachment):
    stored = bytearray(_stored(attachment))
    stored[HEADER + RECORD + 12] ^= 0x01  # the first ciphertext byte of chunk 1
    _restore(attachment, bytes(stored))
    response = _respond(attachment, Range=f"bytes={CHUNK + 5}-{CHUNK + 9}")
    with pytest.raises(TamperedCiphertext, match="chunk 1"):
        next(iter(response.streaming_content))


def test_chunks_moved_within_the_file_fail_in_a_range(attachment):
    stored = _stored(attachment)
    header, body = stored[:HEADER], stored[HEADER:]
    records = [body[i : i + RECORD] for i in range(0, len(body), RECORD)]
    _restore(attachment, header + records[0] + records[2] + records[1] + records[3])
    response = _respond(attachment, Range=f"bytes={CHUNK}-{CHUNK + 9}")
    with pytest.raises(TamperedCiphertext, match="chunk 1"):
        _body(response)


def test_a_dropped_tail_fails_a_range_that_reaches_the_new_end(attachment):
    _restore(attachment, _stored(attachment)[: HEADER + 3 * RECORD])
    response = _respond(attachment, Range="bytes=-10")
    assert response["Content-Range"] == f"bytes {3 * CHUNK - 10}-{3 * CHUNK - 1}/{3 * CHUNK}"
    with pytest.raises(TamperedCiphertext, match="chunk 2"):
        _body(response)  # chunk 2 was not the final one


def test_a_tail_too_short_for_a_record_is_refused_before_the_response(attachment):
    _restore(attachment, _stored(attachment)[: HEADER + 3 * RECORD + 20])
    with pytest.raises(TamperedCiphertext, match="chunk 3"):
        _respond(attachment, Range="bytes=0-9")
