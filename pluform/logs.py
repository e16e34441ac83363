"""Logs as JSON lines with a request id, scrubbed of what must never be logged.

Every line is one JSON object: time (UTC, ISO 8601), level, logger, message, the request id
(of the HTTP request or the Celery task that wrote it) and, for an error, the traceback. The
scrubbing filter sits on the handler, so it sees every line whoever wrote it (Django's own
loggers too): e-mail addresses, IP addresses beyond their network, and long tokens (invitation
and password-reset links, session keys) are replaced before anything is written. Content is
kept out by the code that logs: ids and counts only, never text (tests/test_logs.py).
"""

import contextvars
import datetime
import ipaddress
import json
import logging
import re
import time
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("pluform_request_id", default="")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"\b(?:[0-9a-fA-F]{1,4}:){2,7}[0-9a-fA-F]{1,4}\b")
# Tokens: 24 or more URL-safe characters that are not a uuid or a plain hex digest of ours.
_TOKEN = re.compile(r"(?<![\w-])[A-Za-z0-9_-]{24,}(?![\w-])")
_ALLOWED_TOKEN = re.compile(
    r"[0-9a-f]{32}|[0-9a-f]{64}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)
_INCOMING_ID = re.compile(r"[A-Za-z0-9-]{8,64}")


def _network(match) -> str:
    try:
        address = ipaddress.ip_address(match.group(0))
    except ValueError:
        return match.group(0)
    if address.is_loopback:  # this machine (a broker or database URL), never a person
        return match.group(0)
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _token(match) -> str:
    text = match.group(0)
    if _ALLOWED_TOKEN.fullmatch(text) or not re.search(r"[A-Za-z]", text):
        return text
    return "[token]"


def scrub(text: str) -> str:
    text = _EMAIL.sub("[e-mail]", text)
    text = _IPV4.sub(_network, text)
    text = _IPV6.sub(_network, text)
    return _TOKEN.sub(_token, text)


class ScrubFilter(logging.Filter):
    """Formats the message once, scrubbed; the formatter then writes it as it is."""

    def filter(self, record):
        record.msg = scrub(record.getMessage())
        record.args = None
        return True


class JSONFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.get(),
        }
        if record.exc_info:
            line["traceback"] = scrub(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)


access_logger = logging.getLogger("pluform.access")


class RequestIdMiddleware:
    """Gives each request an id (the proxy's ``X-Request-ID`` when it is a plain token), for
    every log line of the request and in the response header, so one request's lines can be
    found together across web nodes; and writes the access line (gunicorn's own is off: it
    would write full IP addresses and the tokens in invitation and reset links)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        value = incoming if _INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(value)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            milliseconds = (time.monotonic() - started) * 1000
            access_logger.info(
                "%s %s %s %.0fms", request.method, request.path, response.status_code, milliseconds
            )
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response
