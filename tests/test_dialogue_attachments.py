import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from dialogue.models import Attachment, Message
from privacy.audit_models import AuditEvent
from tests.factories.dialogue import one_to_one

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(trajectory):
    return one_to_one(trajectory)


def _post(client, dialogue, **data):
    return client.post(reverse("dialogue:post_message", args=[dialogue.pk]), data)


def _pdf(name="report.pdf"):
    content = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (3, 3), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _stored_bytes(item):
    with default_storage.open(item.file.name, "rb") as handle:
        return handle.read()


def test_coachee_attaches_a_document_and_the_coach_downloads_it(client, dialogue, coach, coachee):
    client.force_login(coachee)
    assert _post(client, dialogue, body="See attached", attachment=_pdf()).status_code == 302
    item = Attachment.objects.get()
    assert item.kind == "document"
    assert b"%PDF" not in _stored_bytes(item)

    client.force_login(coach)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    url = reverse("dialogue:attachment", args=[dialogue.pk, item.pk])
    assert url in page.text
    assert "report.pdf" in page.text
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert "attachment" in response["Content-Disposition"]
    event = AuditEvent.objects.get(object_uuid=item.pk)
    assert event.action == "view"
    assert event.actor == coach


def test_a_message_with_only_an_image_is_accepted(client, dialogue, coachee):
    client.force_login(coachee)
    assert _post(client, dialogue, body="", attachment=_png()).status_code == 302
    assert Message.objects.get().attachments.get().kind == "image"


def test_a_refused_file_stores_nothing_and_keeps_the_text(client, dialogue, coachee):
    client.force_login(coachee)
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 200)
    response = _post(client, dialogue, body="Keep this text", attachment=bad)
    assert response.status_code == 200
    assert "This type of file is not allowed here." in response.text
    assert "Keep this text" in response.text
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_withdrawing_a_message_deletes_its_files(
    client, dialogue, coach, coachee, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    _post(client, dialogue, body="Wrong file", attachment=_pdf())
    item = Attachment.objects.get()
    name = item.file.name
    url = reverse("dialogue:attachment", args=[dialogue.pk, item.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dialogue:withdraw_message", args=[dialogue.pk, item.message_id]))
    assert not Attachment.objects.exists()
    assert not default_storage.exists(name)
    client.force_login(coachee)
    assert client.get(url).status_code == 404


def test_outsiders_cannot_download_an_attachment(client, dialogue, coachee, actors):
    client.force_login(coachee)
    _post(client, dialogue, body="x", attachment=_pdf())
    item = Attachment.objects.get()
    url = reverse("dialogue:attachment", args=[dialogue.pk, item.pk])
    for name in ("other_coach", "org_manager", "it_admin", "stranger_coach"):
        client.force_login(actors[name])
        assert client.get(url).status_code == 404


def test_several_files_go_with_one_message(client, dialogue, coachee):
    client.force_login(coachee)
    files = [_pdf("week-1.pdf"), _png("chart.png"), _pdf("week-2.pdf")]
    assert _post(client, dialogue, body="Three files", attachment=files).status_code == 302
    message = Message.objects.get()
    assert sorted(item.original_name for item in message.attachments.all()) == [
        "chart.png",
        "week-1.pdf",
        "week-2.pdf",
    ]


def test_more_than_five_files_are_refused_and_nothing_is_stored(client, dialogue, coachee):
    client.force_login(coachee)
    files = [_pdf(f"part-{number}.pdf") for number in range(6)]
    response = _post(client, dialogue, body="Too many", attachment=files)
    assert response.status_code == 200
    assert "at most 5 files" in response.text
    assert "Too many" in response.text  # the text is kept for another try
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_one_refused_file_refuses_the_whole_message(client, dialogue, coachee):
    client.force_login(coachee)
    script = SimpleUploadedFile("notes.pdf", b"#!/bin/sh\nrm -rf /\n", content_type="text/x-sh")
    response = _post(client, dialogue, body="Mixed", attachment=[_pdf(), script])
    assert response.status_code == 200
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()
    assert not default_storage.exists("encrypted") or not any(default_storage.listdir("encrypted"))
