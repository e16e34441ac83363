"""Logs are JSON lines with a request id, and never carry content, passwords, tokens, e-mail
addresses or full IP addresses: a journey through the pages at DEBUG level, written through
the configured handler, is scanned line by line."""

import io
import json
import logging
import logging.config
import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts import invitations
from accounts.roles import Role
from pluform.logs import scrub
from tests.factories.dialogue import one_to_one
from tests.pages import PASSWORD
from tests.totp import current_code

pytestmark = pytest.mark.django_db

MARKER = "log-5c2e-content-marker"
CLIENT_IP = "203.0.113.45"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@pytest.fixture
def written():
    """Every line the project writes at DEBUG, through the handler's own filter and format."""
    stream = io.StringIO()
    config = {**settings.LOGGING, "root": {**settings.LOGGING["root"], "level": "DEBUG"}}
    config["handlers"] = {**config["handlers"], "console": {**config["handlers"]["console"]}}
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def _journey(coach, coachee, trajectory, org_manager, committed):
    dialogue = one_to_one(trajectory)
    # The coachee logs in (once with a wrong password), writes, attaches nothing secret.
    visitor = Client(REMOTE_ADDR=CLIENT_IP)
    visitor.post(reverse("account_login"), {"login": coachee.email, "password": "wrong one"})
    visitor.post(reverse("account_login"), {"login": coachee.email, "password": PASSWORD})
    with committed():
        visitor.post(reverse("dialogue:post_message", args=[dialogue.pk]), {"body": MARKER})
    # The coach logs in with two factors and reads it.
    coach_client = Client(REMOTE_ADDR=CLIENT_IP)
    coach_client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    coach_client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert (
        MARKER in coach_client.get(reverse("dialogue:detail", args=[dialogue.pk])).content.decode()
    )
    # A password reset and an invitation: links with tokens, in e-mails only.
    Client(REMOTE_ADDR=CLIENT_IP).post(reverse("account_reset_password"), {"email": coachee.email})
    with committed():
        invitations.invite(
            organisation=coach.organisation,
            email="new.person@example.org",
            role=Role.COACHEE,
            language="en",
            invited_by=org_manager,
            coach=coach,
        )
    links = re.findall(r"https?://\S+/join/(\S+)/", mail.outbox[-1].body)
    Client(REMOTE_ADDR=CLIENT_IP).get(reverse("accounts:accept_invitation", args=[links[0]]))
    Client(REMOTE_ADDR=CLIENT_IP).get("/accounts/join/notAValidTokenButLongEnough1234567/")
    return links[0]


def test_a_journey_at_debug_level_logs_nothing_it_must_not(
    written, coach, coachee, trajectory, org_manager, django_capture_on_commit_callbacks
):
    def committed():
        return django_capture_on_commit_callbacks(execute=True)

    token = _journey(coach, coachee, trajectory, org_manager, committed)
    lines = [line for line in written.getvalue().splitlines() if line.strip()]
    assert len(lines) > 5
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message", "request_id"} <= set(r) for r in records)
    assert any(record["request_id"] for record in records)
    # One access line per request, without the invitation token in its path.
    access = [r["message"] for r in records if r["logger"] == "pluform.access"]
    assert any(line.startswith("GET /accounts/join/[token]/ ") for line in access)
    text = written.getvalue()
    for secret in (MARKER, PASSWORD, "wrong one", token, CLIENT_IP, coachee.email, coach.email):
        assert secret not in text, secret
    assert not EMAIL.findall(text)
    assert "203.0.113.0/24" in text or CLIENT_IP not in text


def test_each_response_names_its_request_id_and_keeps_a_proxys(client):
    response = client.get(reverse("account_login"))
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    forwarded = client.get(reverse("account_login"), HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert forwarded["X-Request-ID"] == "proxy-1234abcd"
    # Anything else a client sends is not trusted into the logs.
    odd = client.get(reverse("account_login"), HTTP_X_REQUEST_ID="<script>x</script>")
    assert odd["X-Request-ID"] != "<script>x</script>"


@pytest.mark.parametrize(
    ("raw", "kept", "gone"),
    [
        ("login by noor@pluform.demo", "[e-mail]", "noor@pluform.demo"),
        ("from 192.168.1.77", "192.168.1.0/24", "192.168.1.77"),
        ("from 2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::/48", "1319:8a2e"),
        ("/join/Zx9_kQ-3vLmN8pQrS2tUvWxYz0aBcDeF/", "[token]", "Zx9_kQ-3vLmN8pQrS2tUvWxYz0aBcDeF"),
    ],
)
def test_the_scrubber(raw, kept, gone):
    assert kept in scrub(raw)
    assert gone not in scrub(raw)


def test_this_machines_own_addresses_stay_readable():
    line = "Connected to redis://127.0.0.1:6379/0 and postgres at ::1"
    assert scrub(line) == line


def test_ids_and_digests_stay_readable():
    line = "message 5f0c8a4e-1b2c-4d3e-9f00-aabbccddeeff, head 3 " + "ab" * 32
    assert scrub(line) == line
