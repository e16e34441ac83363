"""What the toolbox refuses: files by their content, size or emptiness, addresses that are not
http(s), missing or too long titles, too many or too long tags, and shares with people who
are not one's own. Each refusal re-renders the form with a clear message and stores nothing:
no item, no file row, no file in storage, no share."""

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.toolbox import PDF_BYTES, link_item, png_bytes, upload
from toolbox.models import Item, ItemFile, Share

pytestmark = pytest.mark.django_db

ADD = reverse("toolbox:add")
WRONG_TYPE = "This type of file is not allowed here."
BAD_ADDRESS = "Enter a web address that starts with https:// or http://."


# Helpers


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def nothing_stored(settings):
    """Asserts, when called, that no item, file row, stored file or share exists."""

    def check():
        assert not Item.objects.exists()
        assert not ItemFile.objects.exists()
        assert not Share.objects.exists()
        assert _stored_files(settings) == []

    return check


def _add(client, **fields):
    data = {"title": "", "description": "", "tags": "", "url": ""}
    data.update(fields)
    return client.post(ADD, data)


def _add_file(client, name, data, **fields):
    return _add(client, file=upload(name, data), **fields)


def _add_link(client, url, title="Een link", **fields):
    return _add(client, url=url, title=title, **fields)


def _refused(response, message):
    assert response.status_code == 200
    assert response.context["form"].errors
    assert message in response.text
    assert 'class="errorlist' in response.text


@pytest.fixture
def coach_client(client, coach):
    client.force_login(coach)
    return client


# Files


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("werkblad.pdf", b"Dit is gewoon tekst, geen PDF.\x00\x01\x02\xff" * 10),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200),
        ("run.exe", b"\x7fELF\x02\x01\x01\x00" + b"\0" * 200),
        ("pagina.html", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"),
        ("foto.png", b"<html><body><script>alert(1)</script></body></html>"),
        ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
    ],
    ids=["pdf-name-not-pdf", "exe-as-pdf", "elf", "html", "html-as-png", "svg", "shell-as-pdf"],
)
def test_a_file_is_refused_by_its_content(coach_client, nothing_stored, name, data):
    response = _add_file(coach_client, name, data, title="Geweigerd bestand")
    _refused(response, WRONG_TYPE)
    assert "Allowed:" in response.text
    assert 'value="Geweigerd bestand"' in response.text  # what was typed is kept
    nothing_stored()


def test_a_file_over_the_limit_is_refused(coach_client, settings, nothing_stored):
    settings.PLUFORM_UPLOAD_LIMITS = {"image": 50, "document": 60, "audio": 70, "video": 80}
    response = _add_file(coach_client, "werkblad.pdf", PDF_BYTES)
    _refused(response, "This file is too large. The limit is 80\xa0bytes.")
    nothing_stored()


def test_a_file_over_the_limit_of_its_own_kind_is_refused(coach_client, settings, nothing_stored):
    assert len(PDF_BYTES) < 1000
    settings.PLUFORM_UPLOAD_LIMITS = {"image": 10, "document": 60, "audio": 5000, "video": 10}
    response = _add_file(coach_client, "werkblad.pdf", PDF_BYTES)
    _refused(response, "This file is too large. The limit is 60\xa0bytes.")
    nothing_stored()


def test_an_empty_file_is_refused(coach_client, nothing_stored):
    response = _add_file(coach_client, "leeg.pdf", b"")
    _refused(response, "The submitted file is empty.")
    nothing_stored()


def test_neither_a_file_nor_an_address_is_refused(coach_client, nothing_stored):
    response = _add(coach_client, title="Niets")
    _refused(response, "Choose a file to upload or enter a web address.")
    nothing_stored()


def test_a_file_and_an_address_together_are_refused(coach_client, nothing_stored):
    response = _add_file(
        coach_client, "werkblad.pdf", PDF_BYTES, url="https://example.org", title="Beide"
    )
    _refused(response, "Add a file or a web address, not both.")
    nothing_stored()


# Links


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "  javascript:alert(1)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "ftp://x",
        "ftp://files.example.org/a.pdf",
        "vbscript:msgbox(1)",
        "mailto:someone@example.org",
    ],
)
def test_a_link_that_is_not_http_or_https_is_refused(coach_client, nothing_stored, url):
    response = _add_link(coach_client, url)
    _refused(response, BAD_ADDRESS)
    nothing_stored()


@pytest.mark.parametrize("title", ["", "   "])
def test_a_link_without_a_title_is_refused(coach_client, nothing_stored, title):
    response = _add_link(coach_client, "https://example.org/artikel", title=title)
    _refused(response, "Give the link a title.")
    assert 'value="https://example.org/artikel"' in response.text
    nothing_stored()


def test_changing_a_link_to_javascript_is_refused(client, coach):
    item = link_item(coach, title="Goed")
    client.force_login(coach)
    response = client.post(
        reverse("toolbox:edit", args=[item.pk]),
        {"url": "javascript:alert(1)", "title": "Goed", "description": "", "tags": ""},
    )
    _refused(response, BAD_ADDRESS)
    item.refresh_from_db()
    assert item.url == "https://example.org/artikel"


# Titles, descriptions and tags


def test_a_title_over_200_characters_is_refused(coach_client, nothing_stored):
    response = _add_link(coach_client, "https://example.org", title="x" * 201)
    _refused(response, "Ensure this value has at most 200 characters (it has 201).")
    nothing_stored()


def test_a_file_with_a_title_over_200_characters_is_refused(coach_client, nothing_stored):
    response = _add_file(coach_client, "werkblad.pdf", PDF_BYTES, title="y" * 201)
    _refused(response, "Ensure this value has at most 200 characters (it has 201).")
    nothing_stored()


def test_a_title_of_200_characters_is_accepted(coach_client):
    response = _add_link(coach_client, "https://example.org", title="x" * 200)
    assert response.status_code == 302
    assert Item.objects.get().title == "x" * 200


def test_a_description_over_5000_characters_is_refused(coach_client, nothing_stored):
    response = _add_link(coach_client, "https://example.org", description="d" * 5001)
    _refused(response, "Ensure this value has at most 5000 characters (it has 5001).")
    nothing_stored()


def test_more_than_20_tags_are_refused(coach_client, nothing_stored):
    tags = ", ".join(f"tag{number}" for number in range(21))
    response = _add_file(coach_client, "werkblad.pdf", PDF_BYTES, tags=tags)
    _refused(response, "Use at most 20 tags.")
    nothing_stored()


def test_20_tags_are_accepted_and_repeats_do_not_count(coach_client):
    tags = ", ".join([*(f"tag{number}" for number in range(20)), "TAG1", "tag2"])
    assert _add_link(coach_client, "https://example.org", tags=tags).status_code == 302
    assert len(Item.objects.get().tag_list) == 20


def test_a_tag_over_50_characters_is_refused(coach_client, nothing_stored):
    response = _add_link(coach_client, "https://example.org", tags="kort, " + "t" * 51)
    _refused(response, "A tag can be at most 50 characters long.")
    nothing_stored()


def test_bad_tags_are_refused_when_editing_too(client, coach):
    item = link_item(coach, title="Blijft", tags=["een"])
    client.force_login(coach)
    url = reverse("toolbox:edit", args=[item.pk])
    fields = {"url": item.url, "title": "Anders", "description": ""}
    _refused(client.post(url, {**fields, "tags": "t" * 51}), "A tag can be at most 50")
    _refused(
        client.post(url, {**fields, "tags": ",".join(str(n) for n in range(21))}),
        "Use at most 20 tags.",
    )
    _refused(client.post(url, {**fields, "title": "z" * 201, "tags": ""}), "at most 200")
    item.refresh_from_db()
    assert (item.title, item.tag_list) == ("Blijft", ["een"])


def test_markup_in_a_title_is_shown_as_text(client, coach):
    item = link_item(coach, title="<script>alert(1)</script>", tags=["<b>vet</b>"])
    client.force_login(coach)
    for url in (reverse("toolbox:index"), reverse("toolbox:item", args=[item.pk])):
        text = client.get(url).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<b>vet</b>" not in text


# Sharing with someone who is not one's own


@pytest.fixture
def colleagues_coachee(organisation, other_coach):
    person = CoacheeFactory(organisation=organisation, first_name="Kees", last_name="Kwartel")
    TrajectoryFactory(coachee=person, coaches=[other_coach])
    return person


@pytest.mark.parametrize("who", ["stranger_coachee", "colleagues_coachee", "other_coach"])
def test_adding_and_sharing_with_someone_else_is_refused(
    request, coach_client, coachee, trajectory, nothing_stored, who
):
    stranger = request.getfixturevalue(who)
    response = _add_file(
        coach_client,
        "werkblad.pdf",
        PDF_BYTES,
        title="Voor een vreemde",
        recipients=[str(coachee.pk), str(stranger.pk)],
    )
    _refused(response, f"Select a valid choice. {stranger.pk} is not one of the available choices.")
    nothing_stored()


@pytest.mark.parametrize("who", ["stranger_coachee", "colleagues_coachee"])
def test_sharing_an_item_with_someone_elses_coachee_is_refused(
    request, client, coach, coachee, trajectory, who
):
    stranger = request.getfixturevalue(who)
    item = link_item(coach, title="Van Carla")
    client.force_login(coach)
    response = client.post(
        reverse("toolbox:share", args=[item.pk]), {"recipients": [coachee.pk, stranger.pk]}
    )
    assert response.status_code == 400
    assert f"Select a valid choice. {stranger.pk} is not one of the available choices." in (
        response.text
    )
    assert not Share.objects.exists()
    client.force_login(stranger)
    assert client.get(reverse("toolbox:item", args=[item.pk])).status_code == 404


def test_sharing_many_with_someone_elses_coachee_is_refused(
    client, coach, coachee, trajectory, stranger_coachee
):
    items = [link_item(coach, title="Een"), link_item(coach, title="Twee")]
    client.force_login(coach)
    response = client.post(
        reverse("toolbox:share_many"),
        {"items": [str(item.pk) for item in items], "recipients": [stranger_coachee.pk]},
    )
    assert response.status_code == 200
    assert "is not one of the available choices." in response.text
    assert not Share.objects.exists()


def test_a_coachee_cannot_share_with_another_coach(client, coach, coachee, trajectory, other_coach):
    item = link_item(coachee, title="Van Eva")
    client.force_login(coachee)
    response = client.post(
        reverse("toolbox:share", args=[item.pk]), {"recipients": [other_coach.pk]}
    )
    assert response.status_code == 400
    assert "is not one of the available choices." in response.text
    assert not Share.objects.exists()


def test_nothing_new_is_shared_with_a_restricted_coachee(client, coach, coachee, trajectory):
    coachee.processing_restricted_at = timezone.now()
    coachee.save()
    item = link_item(coach, title="Van Carla")
    client.force_login(coach)
    response = client.post(reverse("toolbox:share", args=[item.pk]), {"recipients": [coachee.pk]})
    assert response.status_code == 400
    assert (
        "Processing is restricted for Eva Zwanenburg: nothing new can be shared with them."
        in response.text
    )
    assert not Share.objects.exists()


def test_a_restricted_coachee_cannot_add_anything(client, coachee, trajectory, nothing_stored):
    coachee.processing_restricted_at = timezone.now()
    coachee.save()
    client.force_login(coachee)
    assert "Processing of your data is restricted" in client.get(ADD).text
    response = _add_file(client, "foto.png", png_bytes(), title="Foto")
    assert response.status_code == 200
    assert "Processing of your data is restricted" in response.text
    nothing_stored()
