"""Reading what a response or a file holds, for the tests that look for content in it."""

import re
import zlib

from django.urls import URLResolver, get_resolver

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOWN = re.compile(r"\(((?:[^()\\]|\\.)*)\)\s*Tj")
# GET pages that would end the session or only switch the language.
NOT_VISITED = {"account_logout", "logout", "set_language", "favicon"}


def pdf_streams(data: bytes) -> list[str]:
    """Every content stream of a PDF, inflated where it is compressed."""
    streams = []
    for stream in _STREAM.findall(data):
        try:
            streams.append(zlib.decompress(stream).decode("latin-1"))
        except zlib.error:
            streams.append(stream.decode("latin-1"))
    return streams


def pdf_strings(data: bytes) -> list[str]:
    """The strings drawn on a PDF's pages (one per text cell), in order."""
    assert data.startswith(b"%PDF-"), data[:20]
    return [
        re.sub(r"\\(.)", r"\1", shown)
        for content in pdf_streams(data)
        for shown in _SHOWN.findall(content)
    ]


def pdf_everything(data: bytes) -> str:
    """The raw PDF and its inflated streams: all a reader could extract from it."""
    return "\n".join([data.decode("latin-1"), *pdf_streams(data)])


def body(response) -> str:
    """A response's body, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", errors="replace")


def shows(response, marker: str) -> bool:
    """Whether ``marker`` (lower case) is anywhere in the response, headers included."""
    headers = "".join(f"{key}: {value}" for key, value in response.headers.items())
    return marker in (body(response) + headers).casefold()


def plain_routes(resolver=None, prefix=""):
    """The named URL patterns without parameters: every page a signed-in person can open
    without knowing an id."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from plain_routes(entry, route)
        elif "<" not in route and "(?P" not in route and entry.name not in NOT_VISITED:
            yield "/" + route.lstrip("^").rstrip("$")
