import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import ProfilePhoto

pytestmark = pytest.mark.django_db


def png(colour="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), colour).save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def profile_data(user, **extra):
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "language": "en",
        "time_zone": "Europe/Amsterdam",
        "gender": "",
        "phone": "",
        "birth_date": "",
        "message_notifications": "immediate",
        **extra,
    }


def upload_photo(client, user, upload=None):
    client.force_login(user)
    return client.post(reverse("accounts:profile"), profile_data(user, photo=upload or png()))


def test_coachee_uploads_a_photo_that_is_stored_encrypted(client, coachee, settings):
    assert upload_photo(client, coachee).status_code == 302
    photo = ProfilePhoto.objects.get(user=coachee)
    stored = (settings.MEDIA_ROOT / photo.file.name).read_bytes()
    assert stored.startswith(b"PLFE")
    assert b"PNG" not in stored[:64]


def test_owner_and_coach_see_the_photo(client, coachee, coach, trajectory):
    upload_photo(client, coachee)
    url = reverse("accounts:photo", args=[coachee.uuid])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.force_login(coach)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("actor", ["other_coach", "org_manager", "stranger_coach"])
def test_others_do_not_see_the_photo(client, actors, actor):
    upload_photo(client, actors["coachee"])
    client.force_login(actors[actor])
    response = client.get(reverse("accounts:photo", args=[actors["coachee"].uuid]))
    assert response.status_code == 404


def test_a_non_image_is_refused(client, coachee):
    fake = SimpleUploadedFile("me.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = upload_photo(client, coachee, fake)
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not ProfilePhoto.objects.exists()


def test_replacing_and_removing_the_photo_removes_the_stored_files(
    client, coachee, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload_photo(client, coachee)
        first = ProfilePhoto.objects.get().file.name
        upload_photo(client, coachee, png("blue"))
    second = ProfilePhoto.objects.get().file.name
    assert not (settings.MEDIA_ROOT / first).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:profile"), profile_data(coachee, remove_photo="on"))
    assert not ProfilePhoto.objects.exists()
    assert not (settings.MEDIA_ROOT / second).exists()
