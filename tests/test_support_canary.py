"""A marker written in a dialogue never reaches any support page, for any staff role."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from tests.factories.dialogue import group, one_to_one
from tests.factories.login_attempts import LoginAttemptFactory

pytestmark = pytest.mark.django_db

MARKER = "CANARY-support-4d2e81"
STAFF = ["customer_service", "ict_line_manager", "account_manager", "it_admin"]


def _png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_dialogue_content_never_shows_on_a_support_page(
    client, actors, trajectory, django_capture_on_commit_callbacks
):
    coach, coachee = actors["coach"], actors["coachee"]
    trajectory.title = f"Trajectory about {MARKER}"
    trajectory.save()
    dialogue = one_to_one(trajectory)
    crew = group(coach, [coachee], title=f"Group {MARKER}")
    client.force_login(coachee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("dialogue:post_message", args=[dialogue.pk]),
            {"body": f"My secret: {MARKER}", "attachment": _png(f"{MARKER}.png")},
        )
        client.post(reverse("dialogue:post_message", args=[crew.pk]), {"body": MARKER})
    client.force_login(coach)
    assert MARKER in client.get(reverse("dialogue:detail", args=[dialogue.pk])).text
    LoginAttemptFactory(user=coachee)

    pages = [
        reverse("support:users"),
        reverse("support:users") + "?q=" + coachee.email,
        reverse("support:users") + "?q=example.com",
        reverse("support:user", args=[coachee.uuid]),
        reverse("support:user", args=[coach.uuid]),
        reverse("support:monitoring"),
        reverse("home"),
    ]
    for role in STAFF:
        client.force_login(actors[role])
        for url in pages:
            response = client.get(url, follow=True)
            assert MARKER not in response.content.decode(), (role, url)
        # Searching for the marker finds nobody (the search box echoes what was typed).
        found = client.get(reverse("support:users"), {"q": MARKER}).context["page"]
        assert len(found) == 0, role
