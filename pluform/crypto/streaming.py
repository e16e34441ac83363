"""Serve an encrypted file to an authorised user, decrypting while it streams: the whole
file, or the one byte range a ``Range`` request asks for (so audio and video can seek)."""

import re

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import salted_hmac
from django.utils.http import content_disposition_header

from pluform.crypto.files import open_decrypted
from pluform.uploads.types import TYPES

# Only these may be shown in the browser; everything else is a download.
INLINE_SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
# Allowed audio and video play in a media element, which needs them inline. Kept apart from
# INLINE_SAFE_TYPES, which also says which uploads get an image preview.
INLINE_MEDIA_TYPES = frozenset(
    upload_type.content_type
    for upload_type in TYPES.values()
    if upload_type.kind in {"audio", "video"}
)

_RANGE_SPEC = re.compile(r"([0-9]*)-([0-9]*)")


class Unsatisfiable(ValueError):
    """A Range header that is malformed or lies wholly outside the file: answer 416."""


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range ``[start, stop)`` of a file of ``size`` bytes that the Range header
    value ``header`` asks for, or None to send the whole file (several ranges: allowed by
    RFC 9110, as we do not do multipart; or a suffix of an empty file). Raises
    ``Unsatisfiable`` for a malformed header or one whose every range is outside the file."""
    unit, _, specs = header.strip().partition("=")
    if unit.lower() != "bytes":
        raise Unsatisfiable(header)
    specs = [spec.strip() for spec in specs.split(",") if spec.strip()]
    if not specs:
        raise Unsatisfiable(header)
    ranges = []  # the satisfiable ones, as [start, stop)
    for spec in specs:
        match = _RANGE_SPEC.fullmatch(spec)
        if not match or not (match[1] or match[2]):
            raise Unsatisfiable(header)
        try:
            first = int(match[1]) if match[1] else None
            last = int(match[2]) if match[2] else None
        except ValueError:  # more digits than int() takes
            raise Unsatisfiable(header) from None
        if first is None:  # the final ``last`` bytes, or all when the file is shorter
            if last > 0:
                ranges.append((max(0, size - last), size))
        elif last is not None and last < first:
            raise Unsatisfiable(header)
        elif first < size:
            ranges.append((first, size if last is None else min(last + 1, size)))
    if not ranges:
        raise Unsatisfiable(header)
    if len(specs) > 1 or ranges[0] == (0, 0):
        return None
    return ranges[0]


def file_etag(storage_name: str) -> str:
    """A strong ETag for the stored object: its name is random and never reused for other
    content, so the name identifies the bytes. Hashed (keyed), so it gives away neither the
    name nor anything about the file."""
    digest = salted_hmac("pluform.crypto.streaming.etag", storage_name, algorithm="sha256")
    return f'"{digest.hexdigest()[:32]}"'


def encrypted_file_response(
    instance, field_name, *, filename, content_type, inline=False, request=None
):
    """A response with the plaintext of ``instance.<field_name>``, streamed while decrypting.

    The caller has already checked access. The header and the data key are checked before
    the response is returned; a chunk that fails authentication mid-stream raises, which
    aborts the response (the client sees fewer bytes than Content-Length), and is logged
    without content.

    Given the ``request``, a GET with one satisfiable ``Range`` gets 206 with only those
    bytes (only the chunks that hold them are read and decrypted); a malformed or wholly
    outside range gets 416; several ranges, or an ``If-Range`` other than the ETag, get the
    whole file (200). A HEAD gets the headers without reading any chunk. Without the request
    every answer is the whole file.
    """
    decrypted = open_decrypted(instance, field_name)
    etag = file_etag(decrypted.storage_name)
    method = request.method if request is not None else "GET"
    try:
        wanted = _wanted_range(request, decrypted.size, etag) if method == "GET" else None
    except Unsatisfiable:
        decrypted.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{decrypted.size}"
        response["Content-Length"] = "0"
        return _protect(response, etag, filename, show_inline=False)
    if method == "HEAD":
        decrypted.close()
        response = StreamingHttpResponse((), content_type=content_type)
        response["Content-Length"] = str(decrypted.size)
    elif wanted is None:
        response = StreamingHttpResponse(decrypted, content_type=content_type)
        response["Content-Length"] = str(decrypted.size)
    else:
        start, stop = wanted
        response = StreamingHttpResponse(
            decrypted.iter_range(start, stop), content_type=content_type, status=206
        )
        response["Content-Length"] = str(stop - start)
        response["Content-Range"] = f"bytes {start}-{stop - 1}/{decrypted.size}"
    show_inline = inline and content_type in (INLINE_SAFE_TYPES | INLINE_MEDIA_TYPES)
    return _protect(response, etag, filename, show_inline=show_inline)


def _wanted_range(request, size, etag):
    header = request.headers.get("Range") if request is not None else None
    if not header:
        return None
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:  # an older version, or a date
        return None
    return requested_range(header, size)


def _protect(response, etag, filename, *, show_inline):
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = etag
    response["Content-Disposition"] = content_disposition_header(not show_inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'; sandbox"
    # A reverse proxy must not spool the decrypted bytes to its own disk.
    response["X-Accel-Buffering"] = "no"
    add_never_cache_headers(response)
    return response
