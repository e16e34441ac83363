import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pytest_django.asserts import assertInHTML

from dialogue import services
from dialogue.models import Attachment, Message
from privacy.audit_models import AuditEvent
from tests.factories.dialogue import MessageFactory, group, one_to_one, post
from tests.matrix import ACTORS

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


def _svg(message, name="drawing.svg"):
    """An SVG stored as if it were an image: uploads refuse SVG, this proves the views do too."""
    item = Attachment(
        message=message, original_name=name, content_type="image/svg+xml", kind="image", size=60
    )
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    item.file.save(name, ContentFile(svg), save=True)
    return item


def _preview_url(item):
    return reverse("dialogue:attachment_preview", args=[item.message.dialogue_id, item.pk])


def _download_url(item):
    return reverse("dialogue:attachment", args=[item.message.dialogue_id, item.pk])


def _message_html(page, message):
    """The markup of one message on the dialogue page, from its list item to its end."""
    start = page.text.index(f'id="m-{message.pk}"')
    return page.text[start : page.text.index("</article>", start)]


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
    assert event.action == "download"
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


def test_an_image_attachment_is_shown_as_a_preview_inside_its_message(
    client, dialogue, coach, coachee
):
    client.force_login(coachee)
    _post(client, dialogue, body="My chart", attachment=_png("sleep-chart.png"))
    item = Attachment.objects.get()

    client.force_login(coach)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    html = _message_html(page, item.message)
    assertInHTML(
        f'<img class="attachment-preview" src="{_preview_url(item)}"'
        ' alt="Image: sleep-chart.png" loading="lazy">',
        html,
    )
    assert f'href="{_download_url(item)}" download aria-describedby="download-hint">' in html
    assert " style=" not in html
    assert '<span id="download-hint" hidden>Download</span>' in page.text


def test_the_image_preview_answers_inline_with_the_image_type_and_is_audited(
    client, dialogue, coach, coachee
):
    client.force_login(coachee)
    _post(client, dialogue, body="", attachment=_png())
    item = Attachment.objects.get()

    client.force_login(coach)
    response = client.get(_preview_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG\r\n\x1a\n")
    event = AuditEvent.objects.get(object_uuid=item.pk)
    assert (event.action, event.actor, event.detail) == ("view", coach, "preview")
    assert event.subject_uuid == coachee.uuid


def test_downloading_an_image_answers_as_an_attachment(client, dialogue, coach, coachee):
    client.force_login(coachee)
    _post(client, dialogue, body="", attachment=_png("sleep-chart.png"))
    item = Attachment.objects.get()

    client.force_login(coach)
    response = client.get(_download_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sleep-chart.png" in response["Content-Disposition"]


def test_a_pdf_has_no_preview_and_downloads_as_an_attachment(client, dialogue, coach, coachee):
    client.force_login(coachee)
    _post(client, dialogue, body="Report", attachment=_pdf())
    item = Attachment.objects.get()

    client.force_login(coach)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    assert "<img" not in _message_html(page, item.message)
    assert f'href="{_download_url(item)}" download ' in page.text
    assert client.get(_preview_url(item)).status_code == 404
    assert client.get(_download_url(item))["Content-Disposition"].startswith("attachment")


def test_an_svg_is_never_shown_inline(client, dialogue, coach, coachee):
    message = post(dialogue, coachee, "A drawing")
    item = _svg(message)

    client.force_login(coach)
    page = client.get(reverse("dialogue:detail", args=[dialogue.pk]))
    assert "<img" not in _message_html(page, message)
    assert client.get(_preview_url(item)).status_code == 404
    response = client.get(_download_url(item))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert (
        response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"
    )


@pytest.mark.parametrize(
    "outsider", [actor for actor in ACTORS if actor not in {"anonymous", "coach", "coachee"}]
)
def test_outsiders_get_404_for_the_preview_and_the_download(
    client, dialogue, coachee, actors, outsider
):
    client.force_login(coachee)
    _post(client, dialogue, body="x", attachment=_png())
    item = Attachment.objects.get()

    client.force_login(actors[outsider])
    assert client.get(_preview_url(item)).status_code == 404
    assert client.get(_download_url(item)).status_code == 404
    assert not AuditEvent.objects.filter(object_uuid=item.pk).exists()


def test_a_member_who_joined_later_gets_no_preview_of_an_earlier_image(
    client, trajectory, coach, coachee
):
    crew = group(coach, [])
    client.force_login(coach)
    _post(client, crew, body="Before you joined", attachment=_png())
    item = Attachment.objects.get()
    Message.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    services.add_to_group(crew, coach, coachee)
    client.force_login(coachee)
    assert client.get(_preview_url(item)).status_code == 404
    assert client.get(_download_url(item)).status_code == 404


def test_image_previews_add_no_query_per_message(client, dialogue, coach, coachee):
    def add_images(count):
        for _ in range(count):
            message = MessageFactory(dialogue=dialogue, author=coachee)
            item = Attachment(
                message=message,
                original_name="chart.png",
                content_type="image/png",
                kind="image",
                size=8,
            )
            item.file.save("chart.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)

    add_images(1)
    client.force_login(coach)
    url = reverse("dialogue:detail", args=[dialogue.pk])
    client.get(url)  # session and activity writes settle first
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add_images(49)
    client.get(url)  # marks the new messages read, as the first visit above did
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(url)
    assert page.text.count('class="attachment-preview"') == 50
    assert len(fifty.captured_queries) == len(one.captured_queries)
