"""The toolbox library through its pages: adding files and links, finding them again (search,
kind, sort, pages), changing and deleting them, what a coachee sees shared with them, and how
images, audio, video and links are shown."""

import datetime
import html
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from privacy.audit_models import AuditEvent
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.toolbox import (
    PDF_BYTES,
    file_item,
    link_item,
    png_bytes,
    share,
    upload,
    wav_bytes,
)
from toolbox import access, services
from toolbox.models import Item, ItemFile, Share, Visit

pytestmark = pytest.mark.django_db

TITLE = "Ademhalingsoefening Kolibrie"
DESCRIPTION = "Vier tellen in, zes tellen uit."
MP4_BYTES = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41\x00\x00\x00\x08free"

INDEX = reverse("toolbox:index")
ADD = reverse("toolbox:add")


# Helpers


def _add(client, **fields):
    data = {"title": "", "description": "", "tags": "", "url": ""}
    data.update(fields)
    return client.post(ADD, data)


def _add_file(client, name, data, **fields):
    return _add(client, file=upload(name, data), **fields)


def _add_link(client, url, title, **fields):
    return _add(client, url=url, title=title, **fields)


def _item_url(item):
    return reverse("toolbox:item", args=[item.pk])


def _file_url(item):
    return reverse("toolbox:file", args=[item.pk])


def _titles(response) -> list[str]:
    """The titles on a list page, in the order shown."""
    return [item.title for item in response.context["page"].object_list]


def _list(client, **params):
    response = client.get(INDEX, params)
    assert response.status_code == 200
    return response


def _ago(minutes) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes)


def _created(item, minutes_ago):
    Item.objects.filter(pk=item.pk).update(created_at=_ago(minutes_ago))


def _shared(item, user, minutes_ago):
    Share.objects.filter(content_object=item, user=user).update(shared_at=_ago(minutes_ago))


def _stored(item) -> str:
    return ItemFile.objects.get(item=item).file.name


@pytest.fixture
def second_coachee(organisation):
    return CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")


@pytest.fixture
def second_trajectory(coach, second_coachee):
    return TrajectoryFactory(coachee=second_coachee, coaches=[coach])


# Adding


def test_coach_adds_a_pdf_with_title_description_and_tags(client, coach):
    client.force_login(coach)
    form = client.get(ADD)
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text

    response = _add_file(
        client,
        "werkblad.pdf",
        PDF_BYTES,
        title=TITLE,
        description=DESCRIPTION,
        tags="Stress, slaap,  Adem ,stress",
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert response.url == _item_url(item)
    assert (item.owner, item.organisation_id, item.owned_by_coachee) == (
        coach,
        coach.organisation_id,
        False,
    )
    assert (item.kind, item.title, item.description) == ("document", TITLE, DESCRIPTION)
    assert item.tag_list == ["Stress", "slaap", "Adem"]  # trimmed, repeats dropped
    assert not item.published and item.url == ""
    stored = item.upload
    assert (stored.original_name, stored.content_type) == ("werkblad.pdf", "application/pdf")
    assert stored.size == len(PDF_BYTES)
    with default_storage.open(stored.file.name, "rb") as handle:
        assert b"%PDF" not in handle.read()  # encrypted at rest

    page = client.get(response.url)
    assert "The item has been added." in page.text
    assert TITLE in page.text and DESCRIPTION in page.text
    for tag in ("Stress", "slaap", "Adem"):
        assert f'<span class="tag">{tag}</span>' in page.text
    assert "werkblad.pdf" in page.text
    assert f'href="{_file_url(item)}?download=1" download' in page.text


def test_the_title_defaults_to_the_file_name_without_its_extension(client, coach):
    client.force_login(coach)
    _add_file(client, "slaapdagboek.pdf", PDF_BYTES, title="")
    assert Item.objects.get().title == "slaapdagboek"


def test_the_default_title_keeps_the_file_name_as_the_person_wrote_it(client, coach):
    client.force_login(coach)
    _add_file(client, "Oefening week 1.pdf", PDF_BYTES, title="")
    assert Item.objects.get().title == "Oefening week 1"


def test_coach_adds_an_image_and_it_is_shown_as_a_preview(client, coach):
    client.force_login(coach)
    _add_file(client, "grafiek.png", png_bytes(), title="Slaapgrafiek")
    item = Item.objects.get()
    assert (item.kind, item.upload.content_type) == ("image", "image/png")

    page = client.get(_item_url(item))
    assertInHTML(f'<img class="preview" src="{_file_url(item)}" alt="Slaapgrafiek">', page.text)
    assert "<audio" not in page.text and "<video" not in page.text


def test_coach_adds_a_wav_recording_and_it_gets_an_audio_player(client, coach):
    client.force_login(coach)
    _add_file(client, "ontspanning.wav", wav_bytes(0.2), title="")
    item = Item.objects.get()
    assert (item.kind, item.title, item.upload.content_type) == (
        "audio",
        "ontspanning",
        "audio/wav",
    )

    page = client.get(_item_url(item))
    assert f'<audio controls preload="metadata" src="{_file_url(item)}">' in page.text
    assert "<img" not in page.text.split('id="content-heading"')[1]
    assert "<video" not in page.text


def test_a_video_gets_a_video_player(client, coach):
    client.force_login(coach)
    _add_file(client, "uitleg.mp4", MP4_BYTES, title="Uitleg")
    item = Item.objects.get()
    assert item.kind == "video"
    page = client.get(_item_url(item))
    assert f'<video controls preload="metadata" src="{_file_url(item)}"' in page.text
    assert "<audio" not in page.text


def test_a_pdf_has_no_preview_and_no_player(client, coach):
    item = file_item(coach, title="Werkblad")
    client.force_login(coach)
    section = client.get(_item_url(item)).text.split('id="content-heading"')[1]
    assert "<img" not in section and "<audio" not in section and "<video" not in section


def test_coach_adds_a_link_shown_as_a_link_and_never_embedded(client, coach, coachee, trajectory):
    client.force_login(coach)
    response = _add_link(
        client,
        "https://www.youtube.com/watch?v=abc123",
        "Meditatie video",
        tags="meditatie",
        recipients=[str(coachee.pk)],
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert (item.kind, item.url, item.host) == (
        "link",
        "https://www.youtube.com/watch?v=abc123",
        "www.youtube.com",
    )
    assert not ItemFile.objects.exists()

    for person in (coach, coachee):
        client.force_login(person)
        page = client.get(_item_url(item))
        assertInHTML(
            '<a href="https://www.youtube.com/watch?v=abc123" rel="noopener noreferrer nofollow"'
            ' target="_blank">Open on www.youtube.com</a>',
            page.text,
        )
        assert "<iframe" not in page.text
        assert "<embed" not in page.text and "<object" not in page.text
        assert "<video" not in page.text and "<audio" not in page.text

    listing = _list(client)  # the coachee's "Shared with me"
    assert "www.youtube.com" in listing.text
    assert "<iframe" not in listing.text


def test_a_link_without_scheme_becomes_https(client, coach):
    client.force_login(coach)
    _add_link(client, "example.org/blog", "Blog")
    assert Item.objects.get().url == "https://example.org/blog"


def test_a_coach_can_put_an_item_in_the_organisation_library_when_adding(
    client, coach, other_coach
):
    client.force_login(coach)
    _add_link(client, "https://example.org/a", "Gedeeld artikel", published="on")
    assert Item.objects.get().published

    client.force_login(other_coach)
    listing = _list(client, section="organisation")
    assert _titles(listing) == ["Gedeeld artikel"]
    assert "Carla Ravestein" in listing.text


# Finding items again


@pytest.fixture
def library(coach):
    """Four items of the coach, made at known times: the oldest first."""
    made = [
        file_item(coach, title="Slaapdagboek", tags=["Slaap", "Dagboek"]),
        link_item(coach, title="Artikel over stress", tags=["Stress", "Werk"]),
        file_item(coach, "rust.wav", wav_bytes(0.1), title="Bodyscan", tags=["Ontspanning"]),
        file_item(coach, "schema.png", png_bytes(), title="Ademschema", tags=["Adem", "stress"]),
    ]
    for age, item in zip((40, 30, 20, 10), made, strict=True):
        _created(item, age)
    return made


def test_the_list_shows_the_newest_first_by_default(client, coach, library):
    client.force_login(coach)
    response = _list(client)
    assert _titles(response) == ["Ademschema", "Bodyscan", "Artikel over stress", "Slaapdagboek"]
    assert response.context["section"] == "mine"


def test_sorting_oldest_first_and_by_title(client, coach, library):
    client.force_login(coach)
    assert _titles(_list(client, sort="old")) == [
        "Slaapdagboek",
        "Artikel over stress",
        "Bodyscan",
        "Ademschema",
    ]
    assert _titles(_list(client, sort="title")) == [
        "Ademschema",
        "Artikel over stress",
        "Bodyscan",
        "Slaapdagboek",
    ]


def test_search_finds_by_title_and_by_tag_whatever_the_case(client, coach, library):
    client.force_login(coach)
    assert _titles(_list(client, q="slaapDAGBOEK")) == ["Slaapdagboek"]
    assert _titles(_list(client, q="ontspanning")) == ["Bodyscan"]  # a tag only
    # "stress" is the title of one and a tag of another
    assert _titles(_list(client, q="STRESS")) == ["Ademschema", "Artikel over stress"]


def test_search_with_several_words_needs_every_word(client, coach, library):
    client.force_login(coach)
    assert _titles(_list(client, q="stress werk")) == ["Artikel over stress"]
    assert _titles(_list(client, q="  adem   STRESS ")) == ["Ademschema"]
    response = _list(client, q="stress slaap")
    assert _titles(response) == []
    assert "Nothing matches your search." in response.text


def test_filter_by_kind(client, coach, library):
    client.force_login(coach)
    assert _titles(_list(client, kind="link")) == ["Artikel over stress"]
    assert _titles(_list(client, kind="audio")) == ["Bodyscan"]
    assert _titles(_list(client, kind="image")) == ["Ademschema"]
    assert _titles(_list(client, kind="document")) == ["Slaapdagboek"]
    assert _titles(_list(client, kind="video")) == []


def test_search_kind_and_sort_combine(client, coach, library):
    client.force_login(coach)
    assert _titles(_list(client, q="stress", kind="image", sort="title")) == ["Ademschema"]
    assert _titles(_list(client, q="stress", sort="old")) == ["Artikel over stress", "Ademschema"]


def _page_links(response) -> list[str]:
    pagination = response.text.split('class="pagination"', 1)[1].split("</nav>", 1)[0]
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', pagination)]


def test_pagination_keeps_the_search_kind_and_sort(client, coach):
    for number in range(53):
        link_item(coach, url=f"https://example.org/{number}", title=f"Oefening {number:02d}")
    link_item(coach, title="Iets anders")
    client.force_login(coach)

    first = _list(client, q="oefening", kind="link", sort="title")
    assert _titles(first) == [f"Oefening {n:02d}" for n in range(50)]
    [next_link] = _page_links(first)
    assert next_link.startswith("?page=2&")
    for part in ("section=mine", "q=oefening", "kind=link", "sort=title"):
        assert part in next_link

    second = client.get(INDEX + next_link)
    assert _titles(second) == ["Oefening 50", "Oefening 51", "Oefening 52"]
    assert "Page 2 of 2" in second.text


def test_pagination_without_filters(client, coach):
    for number in range(51):
        link_item(coach, url=f"https://example.org/{number}", title=f"Artikel {number}")
    client.force_login(coach)
    first = _list(client)
    assert len(first.context["page"].object_list) == 50
    second = client.get(INDEX + _page_links(first)[0])
    assert len(second.context["page"].object_list) == 1


# Changing


def test_owner_changes_title_tags_description_and_address_of_a_link(client, coach):
    item = link_item(coach, title="Oud", tags=["een"], description="Oude tekst")
    client.force_login(coach)
    form = client.get(reverse("toolbox:edit", args=[item.pk]))
    assert form.status_code == 200
    assert 'value="een"' in form.text and 'value="Oud"' in form.text

    response = client.post(
        reverse("toolbox:edit", args=[item.pk]),
        {
            "url": "https://example.com/nieuw",
            "title": "Nieuw",
            "description": "Nieuwe tekst",
            "tags": "twee, drie",
        },
    )
    assert response.status_code == 302 and response.url == _item_url(item)
    item.refresh_from_db()
    assert (item.title, item.description, item.tag_list, item.url) == (
        "Nieuw",
        "Nieuwe tekst",
        ["twee", "drie"],
        "https://example.com/nieuw",
    )
    assert "Your changes have been saved." in client.get(response.url).text


def test_editing_a_file_item_has_no_address_and_keeps_the_file(client, coach):
    item = file_item(coach, title="Werkblad")
    stored = _stored(item)
    client.force_login(coach)
    assert 'name="url"' not in client.get(reverse("toolbox:edit", args=[item.pk])).text
    response = client.post(
        reverse("toolbox:edit", args=[item.pk]),
        {"title": "Werkblad 2", "description": "", "tags": "", "url": "https://evil.example"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.url, _stored(item)) == ("Werkblad 2", "", stored)


def test_the_title_cannot_be_emptied_when_editing(client, coach):
    item = link_item(coach, title="Blijft")
    client.force_login(coach)
    response = client.post(
        reverse("toolbox:edit", args=[item.pk]),
        {"url": item.url, "title": "", "description": "", "tags": ""},
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    item.refresh_from_db()
    assert item.title == "Blijft"


def test_owner_publishes_and_unpublishes_when_editing(client, coach, other_coach):
    item = link_item(coach, title="Publiceren")
    url = reverse("toolbox:edit", args=[item.pk])
    fields = {"url": item.url, "title": "Publiceren", "description": "", "tags": ""}
    client.force_login(coach)
    client.post(url, {**fields, "published": "on"})
    item.refresh_from_db()
    assert item.published

    client.force_login(other_coach)
    assert _titles(_list(client, section="organisation")) == ["Publiceren"]
    assert client.get(_item_url(item)).status_code == 200

    client.force_login(coach)
    client.post(url, fields)
    item.refresh_from_db()
    assert not item.published
    client.force_login(other_coach)
    assert _titles(_list(client, section="organisation")) == []
    assert client.get(_item_url(item)).status_code == 404


def test_only_the_owner_edits_or_deletes(client, coach, coachee, trajectory, other_coach):
    item = link_item(coach, title="Van mij", published=True)
    share(item, [coachee])
    for person in (coachee, other_coach):
        client.force_login(person)
        assert client.get(_item_url(item)).status_code == 200
        assert reverse("toolbox:edit", args=[item.pk]) not in client.get(_item_url(item)).text
        assert client.get(reverse("toolbox:edit", args=[item.pk])).status_code == 404
        assert client.post(reverse("toolbox:delete", args=[item.pk])).status_code == 404
    assert Item.objects.filter(pk=item.pk).exists()


# Deleting


def test_delete_asks_for_confirmation_then_removes_item_shares_and_file(
    client,
    coach,
    coachee,
    trajectory,
    second_coachee,
    second_trajectory,
    django_capture_on_commit_callbacks,
):
    item = file_item(coach, title="Weg ermee")
    share(item, [coachee, second_coachee])
    stored = _stored(item)
    assert default_storage.exists(stored)
    url = reverse("toolbox:delete", args=[item.pk])

    client.force_login(coach)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete “Weg ermee”? This cannot be undone." in confirm.text
    assert "You shared it with 2 people: they will no longer see it." in confirm.text
    assert Item.objects.filter(pk=item.pk).exists()  # nothing happens on GET

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302 and response.url == INDEX
    assert not Item.objects.exists()
    assert not ItemFile.objects.exists()
    assert not Share.objects.exists()
    assert not default_storage.exists(stored)
    assert "The item has been deleted." in client.get(INDEX).text

    client.force_login(coachee)
    assert client.get(_item_url(item)).status_code == 404
    assert _titles(_list(client)) == []


def test_delete_confirmation_of_an_unshared_link(client, coach):
    item = link_item(coach, title="Alleen")
    client.force_login(coach)
    confirm = client.get(reverse("toolbox:delete", args=[item.pk]))
    assert "You shared it with" not in confirm.text
    client.post(reverse("toolbox:delete", args=[item.pk]))
    assert not Item.objects.exists()


def test_delete_confirmation_counts_one_person(client, coach, coachee, trajectory):
    item = link_item(coach, title="Een")
    share(item, [coachee])
    client.force_login(coach)
    confirm = client.get(reverse("toolbox:delete", args=[item.pk]))
    assert "You shared it with 1 person: they will no longer see it." in confirm.text


# What a coachee sees


def test_shared_with_me_is_newest_first_by_share_time(client, coach, coachee, trajectory):
    old_item = link_item(coach, title="Eerst gemaakt, laatst gedeeld")
    new_item = link_item(coach, title="Laatst gemaakt, eerst gedeeld")
    share(new_item, [coachee])
    share(old_item, [coachee])
    _created(old_item, 60)
    _created(new_item, 50)
    _shared(new_item, coachee, 20)
    _shared(old_item, coachee, 10)

    client.force_login(coachee)
    response = _list(client)
    assert response.context["section"] == "received"
    assert _titles(response) == ["Eerst gemaakt, laatst gedeeld", "Laatst gemaakt, eerst gedeeld"]
    assert "Carla Ravestein" in response.text
    assert _titles(_list(client, sort="old")) == [
        "Laatst gemaakt, eerst gedeeld",
        "Eerst gemaakt, laatst gedeeld",
    ]


def _new_marks(response) -> list[str]:
    return [item.title for item in response.context["page"].object_list if item.is_new]


def test_items_shared_since_the_previous_visit_are_marked_new(client, coach, coachee, trajectory):
    seen = link_item(coach, title="Al gezien")
    share(seen, [coachee])
    _shared(seen, coachee, 90)
    client.force_login(coachee)
    _list(client)  # the first visit
    Visit.objects.filter(user=coachee).update(seen_at=_ago(60))

    fresh = [link_item(coach, title="Nieuw een"), link_item(coach, title="Nieuw twee")]
    for minutes_ago, item in zip((5, 4), fresh, strict=True):
        share(item, [coachee])
        _shared(item, coachee, minutes_ago)
    response = _list(client)
    assert _new_marks(response) == ["Nieuw twee", "Nieuw een"]
    assert response.context["new_count"] == 2
    assert '<span class="badge">2 new</span>' in response.text
    assert response.text.count('<span class="badge">new</span>') == 2

    same_visit = _list(client)  # a request soon after belongs to the same visit
    assert _new_marks(same_visit) == ["Nieuw twee", "Nieuw een"]

    Visit.objects.filter(user=coachee).update(seen_at=_ago(services.VISIT_GAP.seconds // 60 + 1))
    for item in fresh:
        _shared(item, coachee, 45)
    next_visit = _list(client)  # what the visit before saw is not new any more
    assert _new_marks(next_visit) == []
    assert next_visit.context["new_count"] == 0
    assert '<span class="badge">new</span>' not in next_visit.text


def test_on_the_first_visit_everything_is_new_and_the_badge_agrees(
    client, coach, coachee, trajectory
):
    for title in ("Een", "Twee"):
        share(link_item(coach, title=title), [coachee])
    client.force_login(coachee)
    response = _list(client)
    assert len(_new_marks(response)) == response.context["new_count"] == 2


def test_items_new_since_the_previous_visit_stay_marked_on_the_next_page(
    client, coach, coachee, trajectory
):
    client.force_login(coachee)
    _list(client)  # an earlier visit
    Visit.objects.filter(user=coachee).update(seen_at=_ago(60))
    items = [link_item(coach, url=f"https://example.org/{n}", title=f"N{n}") for n in range(53)]
    access.grant(items, [coachee], shared_by=coach)

    first = _list(client)
    assert len(_new_marks(first)) == 50
    assert first.context["new_count"] == 53
    second = client.get(INDEX + _page_links(first)[0])
    assert len(second.context["page"].object_list) == 3
    assert len(_new_marks(second)) == 3


def test_the_coachee_has_a_section_with_their_own_items(client, coach, coachee, trajectory):
    share(link_item(coach, title="Van de coach"), [coachee])
    link_item(coachee, title="Mijn eigen dagboek")
    client.force_login(coachee)
    received = _list(client)
    assert [label for _, label, _, _ in received.context["tabs"]] == ["Shared with me", "My items"]
    assert _titles(received) == ["Van de coach"]
    mine = _list(client, section="mine")
    assert _titles(mine) == ["Mijn eigen dagboek"]
    # a coachee has no organisation library and cannot publish
    assert _list(client, section="organisation").context["section"] == "received"
    assert 'name="published"' not in client.get(ADD).text


def test_coachee_adds_an_item_and_shares_it_with_their_coach_on_the_add_form(
    client, coach, coachee, trajectory
):
    client.force_login(coachee)
    form = client.get(ADD)
    assert "Carla Ravestein" in form.text
    response = _add_file(
        client,
        "dagboek.pdf",
        PDF_BYTES,
        title="Mijn dagboek",
        recipients=[str(coach.pk)],
        published="on",
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert (item.owner, item.owned_by_coachee, item.published) == (coachee, True, False)
    assert Share.objects.get().user == coach
    assert Share.objects.get().shared_by == coachee

    client.force_login(coach)
    received = _list(client, section="received")
    assert _titles(received) == ["Mijn dagboek"]
    assert "Eva Zwanenburg" in received.text
    page = client.get(_item_url(item))
    assert page.status_code == 200 and "from Eva Zwanenburg" in page.text
    assert 'action="/toolbox/' not in page.text  # no share form: it is not the coach's to pass on


def test_coachee_shares_their_item_with_their_coach_on_the_item_page(
    client, coach, coachee, trajectory
):
    item = link_item(coachee, title="Podcast die me hielp")
    client.force_login(coach)
    assert client.get(_item_url(item)).status_code == 404

    client.force_login(coachee)
    page = client.get(_item_url(item))
    assert "You have not shared this item with anyone." in page.text
    response = client.post(reverse("toolbox:share", args=[item.pk]), {"recipients": [coach.pk]})
    assert response.status_code == 302
    page = client.get(_item_url(item))
    assert "Shared: 1 new share." in page.text
    assert "Stop sharing with Carla Ravestein" in page.text

    client.force_login(coach)
    assert client.get(_item_url(item)).status_code == 200
    assert _titles(_list(client, section="received")) == ["Podcast die me hielp"]


def test_the_coach_sees_their_coachees_items_only_when_shared(
    client, coach, coachee, trajectory, second_coachee, second_trajectory
):
    share(link_item(coachee, title="Gedeeld door Eva"), [coach])
    link_item(second_coachee, title="Niet gedeeld door Bram")
    client.force_login(coach)
    assert _titles(_list(client, section="received")) == ["Gedeeld door Eva"]
    assert _titles(_list(client, q="bram", section="received")) == []


# The file


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_coachee_downloads_a_pdf_shared_with_them(client, coach, coachee, trajectory):
    item = file_item(coach, "werkblad.pdf", PDF_BYTES, title="Werkblad")
    share(item, [coachee])
    client.force_login(coachee)
    response = client.get(_file_url(item) + "?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "werkblad.pdf" in response["Content-Disposition"]
    assert _body(response) == PDF_BYTES
    # a PDF is never shown inline, not even without ?download=1
    assert client.get(_file_url(item))["Content-Disposition"].startswith("attachment")
    events = AuditEvent.objects.filter(object_uuid=item.pk, action="download")
    assert events.count() == 2
    assert {event.actor for event in events} == {coachee}


def test_the_image_preview_answers_inline(client, coach, coachee, trajectory):
    item = file_item(coach, "schema.png", png_bytes(), title="Schema")
    share(item, [coachee])
    client.force_login(coachee)
    response = client.get(_file_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert _body(response).startswith(b"\x89PNG\r\n\x1a\n")


def test_the_audio_player_can_seek(client, coach, coachee, trajectory):
    data = wav_bytes(0.5)
    item = file_item(coach, "oefening.wav", data, title="Oefening")
    share(item, [coachee])
    client.force_login(coachee)
    whole = client.get(_file_url(item))
    assert whole.status_code == 200
    assert whole["Content-Disposition"].startswith("inline")
    assert whole["Accept-Ranges"] == "bytes"
    assert _body(whole) == data
    part = client.get(_file_url(item), headers={"Range": "bytes=1000-1999"})
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert _body(part) == data[1000:2000]
    # seeking is not another opening in the audit trail
    assert AuditEvent.objects.filter(object_uuid=item.pk, action="download").count() == 1


def test_a_file_not_shared_with_someone_is_not_theirs_to_download(
    client, coach, coachee, trajectory, other_coach, stranger_coach
):
    item = file_item(coach, title="Privé")
    for person in (coachee, other_coach, stranger_coach):
        client.force_login(person)
        assert client.get(_file_url(item)).status_code == 404
    link = link_item(coach, title="Link")
    client.force_login(coach)
    assert client.get(_file_url(link)).status_code == 404
