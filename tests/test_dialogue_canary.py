"""A marker written in a dialogue never reaches a role that must not see content."""

import io
import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dialogue.models import Attachment, Message
from tests.factories.dialogue import group, one_to_one

pytestmark = pytest.mark.django_db

MARKER = "CANARY-7f3a9c-wellbeing"
NO_CONTENT_ROLES = ["org_manager", "customer_service", "account_manager"]


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _every_dialogue_url(dialogue, crew, message, attachment, member):
    return {
        "get": [
            reverse("home"),
            reverse("dialogue:inbox"),
            reverse("dialogue:create_group"),
            reverse("dialogue:detail", args=[dialogue.pk]),
            reverse("dialogue:detail", args=[dialogue.pk]) + "?page=1",
            reverse("dialogue:edit_message", args=[dialogue.pk, message.pk]),
            reverse("dialogue:attachment", args=[dialogue.pk, attachment.pk]),
            reverse("dialogue:detail", args=[crew.pk]),
            reverse("dialogue:participants", args=[crew.pk]),
            "/organisation/",
            "/organisation/accounts/trajectory/",
            "/organisation/accounts/organisationcoachee/",
            "/organisation/accounts/organisationcoach/",
            "/admin/",
            "/admin/dialogue/",
        ],
        "post": [
            reverse("dialogue:post_message", args=[dialogue.pk]),
            reverse("dialogue:edit_message", args=[dialogue.pk, message.pk]),
            reverse("dialogue:withdraw_message", args=[dialogue.pk, message.pk]),
            reverse("dialogue:remove_message", args=[dialogue.pk, message.pk]),
            reverse("dialogue:add_participant", args=[crew.pk]),
            reverse("dialogue:remove_participant", args=[crew.pk, member.uuid]),
        ],
    }


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", errors="replace")


def test_marker_never_reaches_org_manager_service_or_account_manager(
    client, actors, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    coach, coachee = actors["coach"], actors["coachee"]
    dialogue = one_to_one(coachee.trajectories.get())
    crew = group(coach, [coachee], title="Group")

    client.force_login(coachee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dialogue:post_message", args=[dialogue.pk]),
            {"body": f"My secret: {MARKER}", "attachment": _png(f"{MARKER}.png")},
        )
        client.post(reverse("dialogue:post_message", args=[crew.pk]), {"body": MARKER})
        client.post(reverse("dialogue:post_message", args=[dialogue.pk]), {"body": MARKER * 3000})
    message = Message.objects.get(dialogue=dialogue)
    attachment = Attachment.objects.get()
    member = crew.participants.get(user=coachee)

    client.force_login(coach)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    assert MARKER in page.text  # the coach does read it
    assert f"{MARKER}.png" in page.text

    urls = _every_dialogue_url(dialogue, crew, message, attachment, member)
    for role in NO_CONTENT_ROLES:
        client.force_login(actors[role])
        for url in urls["get"]:
            response = client.get(url, follow=True)
            assert MARKER not in _body(response), (role, url)
        for url in urls["post"]:
            response = client.post(url, {"body": "x", "member": str(coachee.uuid)}, follow=True)
            assert MARKER not in _body(response), (role, url)

    assert mail.outbox, "the coach was notified"
    for email in mail.outbox:
        text = email.subject + email.body + "".join(part for part, _ in email.alternatives)
        assert MARKER not in text
    for record in caplog.records:
        assert MARKER not in record.getMessage()
        assert MARKER not in str(record.args)
    message.refresh_from_db()
    assert message.body == f"My secret: {MARKER}"
