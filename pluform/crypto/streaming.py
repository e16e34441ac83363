"""Serve an encrypted file to an authorised user, decrypting while it streams."""

from django.http import StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.http import content_disposition_header

from pluform.crypto.files import open_decrypted

# Only these may be shown in the browser; everything else is a download.
INLINE_SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def encrypted_file_response(instance, field_name, *, filename, content_type, inline=False):
    """A ``StreamingHttpResponse`` with the plaintext of ``instance.<field_name>``.

    The caller has already checked access. The header and the data key are checked before
    the response is returned; a chunk that fails authentication mid-stream raises, which
    aborts the response (the client sees fewer bytes than Content-Length), and is logged
    without content.
    """
    decrypted = open_decrypted(instance, field_name)
    show_inline = inline and content_type in INLINE_SAFE_TYPES
    response = StreamingHttpResponse(decrypted, content_type=content_type)
    response["Content-Length"] = str(decrypted.size)
    response["Content-Disposition"] = content_disposition_header(not show_inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # A reverse proxy must not spool the decrypted bytes to its own disk.
    response["X-Accel-Buffering"] = "no"
    add_never_cache_headers(response)
    return response
