"""Sharing toolbox items: with chosen coachees, with a group dialogue, many items at once,
again, revoking, what colleagues see of each other's shares, the e-mail notice, and the
organisation manager's storage list (numbers only)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from dialogue import services as dialogue_services
from pluform import dates
from pluform.notices.models import Notice
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory, UserFactory
from tests.factories.dialogue import group
from tests.factories.toolbox import PDF_BYTES, file_item, link_item, png_bytes, share
from toolbox.models import ItemFile, Share

pytestmark = pytest.mark.django_db

TITLE = "Ademoefening Kolibrie"
DESCRIPTION = "Beschrijving Pelikaan"
TAG = "Slaapritme"
FILE_NAME = "werkblad-toekan.pdf"
SHARED_SUBJECT = "[Pluform] Something has been shared with you"
STORAGE = "organisation:toolbox_coachstorage_changelist"


# Helpers


def _item_url(item):
    return reverse("toolbox:item", args=[item.pk])


def _share_url(item):
    return reverse("toolbox:share", args=[item.pk])


def _revoke_url(item, person):
    return reverse("toolbox:revoke", args=[item.pk, person.pk])


def _shared_with(item) -> set:
    return set(Share.objects.filter(content_object=item).values_list("user", flat=True))


def _whole(email) -> str:
    return email.subject + email.body + "".join(content for content, _ in email.alternatives)


def _received_titles(client) -> list[str]:
    response = client.get(reverse("toolbox:index"), {"section": "received"})
    assert response.status_code == 200
    return [item.title for item in response.context["page"].object_list]


@pytest.fixture
def second_coachee(organisation):
    return CoacheeFactory(
        organisation=organisation,
        first_name="Bram",
        last_name="Brandsma",
        email="bram@example.com",
    )


@pytest.fixture
def second_trajectory(coach, second_coachee):
    return TrajectoryFactory(coachee=second_coachee, coaches=[coach])


@pytest.fixture
def colleagues_coachee(organisation, other_coach):
    """A coachee of the other coach only."""
    person = CoacheeFactory(
        organisation=organisation,
        first_name="Kees",
        last_name="Kwartel",
        email="kees@example.com",
    )
    TrajectoryFactory(coachee=person, coaches=[other_coach])
    return person


@pytest.fixture
def item(coach):
    return file_item(
        coach,
        FILE_NAME,
        PDF_BYTES,
        title=TITLE,
        description=DESCRIPTION,
        tags=[TAG],
    )


# One item with chosen coachees


def test_coach_shares_an_item_with_chosen_coachees(
    client, coach, coachee, trajectory, second_coachee, second_trajectory, item
):
    client.force_login(coach)
    page = client.get(_item_url(item))
    assert "You have not shared this item with anyone." in page.text
    assert "Eva Zwanenburg" in page.text and "Bram Brandsma" in page.text  # the choices

    response = client.post(_share_url(item), {"recipients": [coachee.pk, second_coachee.pk]})
    assert response.status_code == 302 and response.url == _item_url(item)
    assert _shared_with(item) == {coachee.pk, second_coachee.pk}
    assert set(Share.objects.values_list("shared_by", flat=True)) == {coach.pk}

    page = client.get(response.url)
    assert "Shared: 2 new shares." in page.text
    assert "Stop sharing with Eva Zwanenburg" in page.text
    assert "Stop sharing with Bram Brandsma" in page.text
    mine = client.get(reverse("toolbox:index"))
    assert [row.share_count for row in mine.context["page"].object_list] == [2]

    for person in (coachee, second_coachee):
        client.force_login(person)
        assert _received_titles(client) == [TITLE]
        shown = client.get(_item_url(item))
        assert shown.status_code == 200
        assert "from Carla Ravestein" in shown.text
        assert "Stop sharing" not in shown.text  # a recipient does not see the other shares


def test_a_coachee_who_was_not_chosen_sees_nothing(
    client, coach, coachee, trajectory, second_coachee, second_trajectory, item
):
    client.force_login(coach)
    client.post(_share_url(item), {"recipients": [coachee.pk]})
    client.force_login(second_coachee)
    assert _received_titles(client) == []
    assert client.get(_item_url(item)).status_code == 404


def test_sharing_again_creates_no_duplicate(client, coach, coachee, trajectory, item):
    client.force_login(coach)
    client.post(_share_url(item), {"recipients": [coachee.pk]})
    response = client.post(_share_url(item), {"recipients": [coachee.pk]}, follow=True)
    assert Share.objects.count() == 1
    assert "It was already shared with everyone you chose." in response.text
    client.force_login(coachee)
    assert _received_titles(client) == [TITLE]


def test_choosing_nobody_shares_nothing(client, coach, coachee, trajectory, item):
    client.force_login(coach)
    response = client.post(_share_url(item), {})
    assert response.status_code == 400
    assert "Choose at least one person or group to share with." in response.text
    assert not Share.objects.exists()


# A group dialogue


@pytest.fixture
def walking_group(coach, coachee, second_coachee, second_trajectory, trajectory, other_coach):
    """A group of the coach with two own coachees and a colleague."""
    return group(coach, [coachee, second_coachee, other_coach], title="Wandelgroep")


def test_coach_shares_with_everyone_of_a_group_they_take_part_in(
    client, coach, coachee, second_coachee, walking_group, item
):
    client.force_login(coach)
    page = client.get(_item_url(item))
    assert "Wandelgroep" in page.text
    response = client.post(_share_url(item), {"group": str(walking_group.pk)}, follow=True)
    assert _shared_with(item) == {coachee.pk, second_coachee.pk}  # not the colleague
    assert "Shared: 2 new shares." in response.text
    assert "left out" not in response.text


def test_group_members_who_are_not_the_coachs_coachees_are_left_out_with_a_warning(
    client, coach, coachee, other_coach, colleagues_coachee, walking_group, item
):
    dialogue_services.add_to_group(walking_group, other_coach, colleagues_coachee)
    ended = CoacheeFactory(organisation=coach.organisation, first_name="Els", last_name="Eind")
    ended_trajectory = TrajectoryFactory(coachee=ended, coaches=[coach])
    dialogue_services.add_to_group(walking_group, coach, ended)
    ended_trajectory.ended_on = dates.today() - datetime.timedelta(days=1)
    ended_trajectory.save()

    client.force_login(coach)
    response = client.post(_share_url(item), {"group": str(walking_group.pk)}, follow=True)
    assert colleagues_coachee.pk not in _shared_with(item)
    assert ended.pk not in _shared_with(item)
    assert coachee.pk in _shared_with(item)
    assert "Shared: 2 new shares." in response.text
    assert "2 people in the group are not your coachees and were left out." in response.text
    assert "Kees Kwartel" not in response.text

    client.force_login(colleagues_coachee)
    assert _received_titles(client) == []
    assert client.get(_item_url(item)).status_code == 404


def test_one_member_left_out_is_told_in_the_singular(
    client, coach, other_coach, colleagues_coachee, walking_group, item
):
    dialogue_services.add_to_group(walking_group, other_coach, colleagues_coachee)
    client.force_login(coach)
    response = client.post(_share_url(item), {"group": str(walking_group.pk)}, follow=True)
    assert "1 person in the group is not your coachee and was left out." in response.text


def test_a_group_without_own_coachees_shares_nothing(
    client, coach, other_coach, colleagues_coachee, item
):
    crew = group(other_coach, [coach, colleagues_coachee], title="Groep van Otto")
    client.force_login(coach)
    response = client.post(_share_url(item), {"group": str(crew.pk)})
    assert response.status_code == 400
    assert "Nobody in this group is your coachee: nothing was shared." in response.text
    assert not Share.objects.exists()


def test_a_group_the_coach_is_not_in_cannot_be_chosen(
    client, coach, other_coach, colleagues_coachee, walking_group, item
):
    crew = group(other_coach, [colleagues_coachee], title="Groep zonder Carla")
    client.force_login(coach)
    page = client.get(_item_url(item))
    assert "Wandelgroep" in page.text and "Groep zonder Carla" not in page.text
    response = client.post(_share_url(item), {"group": str(crew.pk)})
    assert response.status_code == 400
    assert "Select a valid choice." in response.text
    assert not Share.objects.exists()


def test_a_coach_without_groups_cannot_share_with_a_group(
    client, coach, coachee, trajectory, other_coach, colleagues_coachee, item
):
    crew = group(other_coach, [colleagues_coachee], title="Groep zonder Carla")
    client.force_login(coach)
    assert 'name="group"' not in client.get(_item_url(item)).text
    response = client.post(_share_url(item), {"group": str(crew.pk)})
    assert response.status_code == 400
    assert "Choose at least one person or group to share with." in response.text
    assert not Share.objects.exists()


def test_group_and_chosen_people_together(
    client, coach, coachee, second_coachee, walking_group, item
):
    client.force_login(coach)
    client.post(_share_url(item), {"group": str(walking_group.pk), "recipients": [coachee.pk]})
    assert Share.objects.count() == 2


# Many items at once


def test_coach_shares_many_items_at_once(
    client, coach, coachee, trajectory, second_coachee, second_trajectory, other_coach, item
):
    link = link_item(coach, title="Artikel Zeekoe")
    published = link_item(other_coach, title="Bibliotheek Walrus", published=True)
    client.force_login(coach)
    url = reverse("toolbox:share_many")
    ids = [str(item.pk), str(link.pk), str(published.pk)]
    form = client.get(f"{url}?items={ids[0]}&items={ids[1]}&items={ids[2]}")
    assert form.status_code == 200
    assert "3 items" in form.text
    for title in (TITLE, "Artikel Zeekoe", "Bibliotheek Walrus"):
        assert title in form.text

    response = client.post(url, {"items": ids, "recipients": [coachee.pk, second_coachee.pk]})
    assert response.status_code == 302 and response.url == reverse("toolbox:index")
    assert Share.objects.count() == 6
    assert set(Share.objects.values_list("shared_by", flat=True)) == {coach.pk}
    assert "Shared: 6 new shares." in client.get(response.url).text

    client.force_login(coachee)
    assert set(_received_titles(client)) == {TITLE, "Artikel Zeekoe", "Bibliotheek Walrus"}

    # again, with one more: only the new ones are made
    client.force_login(coach)
    another = link_item(coach, title="Nog een")
    response = client.post(
        url, {"items": [*ids, str(another.pk)], "recipients": [coachee.pk]}, follow=True
    )
    assert Share.objects.count() == 7
    assert "Shared: 1 new share." in response.text


def test_share_many_with_a_group(client, coach, coachee, second_coachee, walking_group, item):
    link = link_item(coach, title="Artikel Zeekoe")
    client.force_login(coach)
    client.post(
        reverse("toolbox:share_many"),
        {"items": [str(item.pk), str(link.pk)], "group": str(walking_group.pk)},
    )
    assert Share.objects.count() == 4


def test_share_many_from_the_list_selection(client, coach, coachee, trajectory, item):
    client.force_login(coach)
    listing = client.get(reverse("toolbox:index"))
    assert f'action="{reverse("toolbox:share_many")}"' in listing.text
    assert f'name="items" value="{item.pk}"' in listing.text
    assert "Share the selected items" in listing.text
    # a coachee and the received section have no selection
    assert 'name="items"' not in client.get(reverse("toolbox:index"), {"section": "received"}).text


def test_share_many_without_items_goes_back_to_the_list(client, coach):
    client.force_login(coach)
    response = client.get(reverse("toolbox:share_many"), follow=True)
    assert response.redirect_chain == [(reverse("toolbox:index"), 302)]
    assert "Select the items you want to share first." in response.text


def test_share_many_refuses_items_the_coach_may_not_pass_on(
    client, coach, coachee, trajectory, other_coach, item
):
    unpublished = link_item(other_coach, title="Niet gepubliceerd")
    from_coachee = link_item(coachee, title="Van Eva")
    share(from_coachee, [coach])
    client.force_login(coach)
    url = reverse("toolbox:share_many")
    for other in (unpublished, from_coachee):
        assert client.get(url, {"items": [str(item.pk), str(other.pk)]}).status_code == 404
        data = {"items": [str(item.pk), str(other.pk)], "recipients": [coachee.pk]}
        assert client.post(url, data).status_code == 404
    assert client.get(url, {"items": ["not-a-uuid"]}).status_code == 404
    assert Share.objects.filter(shared_by=coach).count() == 0


def test_a_coachee_has_no_share_many(client, coachee, trajectory):
    item = link_item(coachee, title="Van Eva")
    client.force_login(coachee)
    assert client.get(reverse("toolbox:share_many"), {"items": [str(item.pk)]}).status_code == 404


# Revoking


def test_revoking_removes_the_share_at_once(client, coach, coachee, trajectory, item):
    share(item, [coachee])
    client.force_login(coach)
    response = client.post(_revoke_url(item, coachee), follow=True)
    assert "The share has been withdrawn." in response.text
    assert "You have not shared this item with anyone." in response.text
    assert not Share.objects.exists()
    client.force_login(coachee)
    assert client.get(_item_url(item)).status_code == 404
    assert _received_titles(client) == []


def test_revoking_needs_a_post(client, coach, coachee, trajectory, item):
    share(item, [coachee])
    client.force_login(coach)
    assert client.get(_revoke_url(item, coachee)).status_code == 405
    assert Share.objects.count() == 1


def test_revoke_removes_only_the_revokers_own_share(
    client, coach, coachee, trajectory, other_coach, colleagues_coachee
):
    published = link_item(coach, title="Gepubliceerd", published=True)
    share(published, [coachee])
    share(published, [colleagues_coachee], by=other_coach)

    client.force_login(coach)  # the owner cannot withdraw the colleague's share
    client.post(_revoke_url(published, colleagues_coachee))
    assert _shared_with(published) == {coachee.pk, colleagues_coachee.pk}

    client.force_login(other_coach)  # nor the colleague the owner's
    client.post(_revoke_url(published, coachee))
    assert _shared_with(published) == {coachee.pk, colleagues_coachee.pk}

    client.force_login(coachee)  # nor a recipient
    client.post(_revoke_url(published, coachee))
    assert _shared_with(published) == {coachee.pk, colleagues_coachee.pk}

    client.force_login(other_coach)
    client.post(_revoke_url(published, colleagues_coachee))
    assert _shared_with(published) == {coachee.pk}


def test_a_coachee_withdraws_what_they_shared_with_their_coach(client, coach, coachee, trajectory):
    own = link_item(coachee, title="Van Eva")
    share(own, [coach])
    client.force_login(coachee)
    client.post(_revoke_url(own, coach))
    assert not Share.objects.exists()
    client.force_login(coach)
    assert client.get(_item_url(own)).status_code == 404


# What colleagues see of each other's shares


def test_colleague_shares_a_published_item_and_neither_sees_the_others_shares(
    client, coach, coachee, trajectory, other_coach, colleagues_coachee
):
    published = link_item(coach, title="Bibliotheekstuk", published=True)
    share(published, [coachee])

    client.force_login(other_coach)
    page = client.get(_item_url(published))
    assert page.status_code == 200
    assert "You have not shared this item with anyone." in page.text
    assert "Eva Zwanenburg" not in page.text
    response = client.post(_share_url(published), {"recipients": [colleagues_coachee.pk]})
    assert response.status_code == 302
    page = client.get(_item_url(published))
    assert "Stop sharing with Kees Kwartel" in page.text
    assert "Eva Zwanenburg" not in page.text
    organisation = client.get(reverse("toolbox:index"), {"section": "organisation"})
    assert [row.share_count for row in organisation.context["page"].object_list] == [1]

    client.force_login(coach)
    page = client.get(_item_url(published))
    assert "Stop sharing with Eva Zwanenburg" in page.text
    assert "Kees Kwartel" not in page.text
    mine = client.get(reverse("toolbox:index"))
    assert [row.share_count for row in mine.context["page"].object_list] == [1]
    confirm = client.get(reverse("toolbox:delete", args=[published.pk]))
    assert "You shared it with 1 person" in confirm.text

    client.force_login(colleagues_coachee)
    assert _received_titles(client) == ["Bibliotheekstuk"]


def test_a_colleague_cannot_share_an_unpublished_item(
    client, coach, other_coach, colleagues_coachee, item
):
    client.force_login(other_coach)
    response = client.post(_share_url(item), {"recipients": [colleagues_coachee.pk]})
    assert response.status_code == 404
    assert not Share.objects.exists()


def test_unpublishing_removes_the_colleagues_shares(
    client, coach, coachee, trajectory, other_coach, colleagues_coachee
):
    published = link_item(coach, title="Bibliotheekstuk", published=True)
    share(published, [coachee])
    share(published, [colleagues_coachee], by=other_coach)

    client.force_login(coach)
    client.post(
        reverse("toolbox:edit", args=[published.pk]),
        {"url": published.url, "title": "Bibliotheekstuk", "description": "", "tags": ""},
    )
    published.refresh_from_db()
    assert not published.published
    assert _shared_with(published) == {coachee.pk}  # the owner's own share stays

    client.force_login(colleagues_coachee)
    assert client.get(_item_url(published)).status_code == 404
    client.force_login(other_coach)
    assert client.get(_item_url(published)).status_code == 404
    client.force_login(coachee)
    assert client.get(_item_url(published)).status_code == 200


def test_the_owner_sharing_after_a_colleague_keeps_access_after_unpublishing(
    client, coach, other_coach, organisation
):
    both = CoacheeFactory(organisation=organisation, first_name="Dirk", last_name="Dubbel")
    TrajectoryFactory(coachee=both, coaches=[coach, other_coach])
    published = link_item(coach, title="Bibliotheekstuk", published=True)
    share(published, [both], by=other_coach)

    client.force_login(coach)
    client.post(_share_url(published), {"recipients": [both.pk]})
    client.post(
        reverse("toolbox:edit", args=[published.pk]),
        {"url": published.url, "title": "Bibliotheekstuk", "description": "", "tags": ""},
    )
    client.force_login(both)
    assert client.get(_item_url(published)).status_code == 200


# The e-mail notice


def test_the_recipient_gets_an_email_without_any_content(
    client, coach, coachee, trajectory, item, settings, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_share_url(item), {"recipients": [coachee.pk]})
    [email] = mail.outbox
    assert email.to == [coachee.email]
    assert email.subject == SHARED_SUBJECT
    assert f"{settings.SITE_URL}{reverse('toolbox:index')}?section=received" in email.body
    whole = _whole(email)
    for secret in (TITLE, DESCRIPTION, TAG, FILE_NAME, "werkblad", "Kolibrie", "Carla"):
        assert secret not in whole
    assert Notice.objects.get().user == coachee


def test_the_coach_is_told_when_a_coachee_shares_with_them(
    client, coach, coachee, trajectory, django_capture_on_commit_callbacks
):
    own = file_item(coachee, "mijn-tekening.png", png_bytes(), title="Tekening Flamingo")
    client.force_login(coachee)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_share_url(own), {"recipients": [coach.pk]})
    [email] = mail.outbox
    assert email.to == [coach.email]
    whole = _whole(email)
    assert "Flamingo" not in whole and "tekening" not in whole and "Eva" not in whole


def test_sharing_on_the_add_form_tells_the_recipient(
    client, coach, coachee, trajectory, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("toolbox:add"),
            {
                "url": "https://example.org/geheim",
                "title": "Titel Narwal",
                "recipients": [coachee.pk],
            },
        )
    [email] = mail.outbox
    assert email.to == [coachee.email]
    assert "Narwal" not in _whole(email) and "geheim" not in _whole(email)


def test_sharing_again_sends_no_second_email(
    client, coach, coachee, trajectory, item, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(_share_url(item), {"recipients": [coachee.pk]})
    assert len(mail.outbox) == 1


def test_no_email_once_the_recipient_has_looked_at_the_toolbox(
    client, coach, coachee, trajectory, item, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks() as deliveries:
        client.post(_share_url(item), {"recipients": [coachee.pk]})
    client.force_login(coachee)
    assert _received_titles(client) == [TITLE]
    for deliver in deliveries:
        deliver()
    assert mail.outbox == []
    assert Notice.objects.get().dropped_at is not None


def test_no_email_once_the_share_was_withdrawn(
    client, coach, coachee, trajectory, item, django_capture_on_commit_callbacks
):
    client.force_login(coach)
    with django_capture_on_commit_callbacks() as deliveries:
        client.post(_share_url(item), {"recipients": [coachee.pk]})
    client.post(_revoke_url(item, coachee))
    for deliver in deliveries:
        deliver()
    assert mail.outbox == []


def test_sharing_many_items_at_once_sends_one_email(
    client, coach, coachee, trajectory, django_capture_on_commit_callbacks
):
    items = [link_item(coach, url=f"https://example.org/{n}", title=f"A{n}") for n in range(3)]
    client.force_login(coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("toolbox:share_many"),
            {"items": [str(i.pk) for i in items], "recipients": [coachee.pk]},
        )
    assert Share.objects.count() == 3
    assert len(mail.outbox) == 1


# The organisation manager's storage list


@pytest.fixture
def stored(coach, other_coach, coachee, trajectory, stranger_coach):
    """Files and links of two coaches of the organisation, a coachee and a stranger."""
    file_item(coach, FILE_NAME, PDF_BYTES, title=TITLE, description=DESCRIPTION, tags=[TAG])
    file_item(coach, "tekening-flamingo.png", png_bytes(), title="Tekening Flamingo")
    link_item(coach, title="Link Zeekoe")
    link_item(other_coach, title="Link Walrus")
    file_item(coachee, "dagboek-eva.pdf", PDF_BYTES, title="Dagboek Eva")
    file_item(stranger_coach, "elders.pdf", PDF_BYTES, title="Elders Pinguin")


def _rows(response) -> dict:
    return {row.last_name: row for row in response.context["cl"].result_list}


def test_the_manager_sees_items_and_bytes_per_coach_of_their_organisation(
    client, org_manager, coach, other_coach, stored
):
    # the image is re-encoded on upload: its stored size is what counts
    total = sum(ItemFile.objects.filter(item__owner=coach).values_list("size", flat=True))
    assert total > len(PDF_BYTES)
    client.force_login(org_manager)
    response = client.get(reverse(STORAGE))
    assert response.status_code == 200
    rows = _rows(response)
    assert set(rows) == {"Ravestein", "Quakkelaar"}  # coaches only, of this organisation
    assert (rows["Ravestein"].item_count, rows["Ravestein"].stored_bytes) == (3, total)
    assert (rows["Quakkelaar"].item_count, rows["Quakkelaar"].stored_bytes) == (1, 0)
    assert f"({total} bytes)" in response.text
    assert "(0 bytes)" in response.text
    assert "Swildens" not in response.text  # the stranger coach
    assert "Zwanenburg" not in response.text  # a coachee is no coach


def test_the_storage_list_shows_no_title_description_tag_or_file_name(client, org_manager, stored):
    client.force_login(org_manager)
    text = client.get(reverse(STORAGE)).text
    for secret in (
        TITLE,
        DESCRIPTION,
        TAG,
        FILE_NAME,
        "werkblad",
        "Flamingo",
        "flamingo",
        "Zeekoe",
        "Walrus",
        "Dagboek",
        "Pinguin",
        "example.org",
    ):
        assert secret not in text


def test_the_storage_list_search_stays_in_the_organisation(client, org_manager, stored):
    client.force_login(org_manager)
    response = client.get(reverse(STORAGE), {"q": "Swildens"})
    assert response.context["cl"].result_count == 0
    response = client.get(reverse(STORAGE), {"q": "Ravestein"})
    assert response.context["cl"].result_count == 1


def test_the_storage_list_links_to_no_detail_page_and_adds_nothing(
    client, org_manager, coach, stored
):
    client.force_login(org_manager)
    response = client.get(reverse(STORAGE))
    change = reverse("organisation:toolbox_coachstorage_change", args=[coach.pk])
    assert change not in response.text
    assert 'name="action"' not in response.text
    assert client.get(reverse("organisation:toolbox_coachstorage_add")).status_code == 403
    assert client.post(change, {"first_name": "Anders"}).status_code == 403


def test_the_storage_detail_page_reveals_nothing_private_about_the_coach(
    client, org_manager, coach, stored
):
    coach.phone = "0612398745"
    coach.save()
    client.force_login(org_manager)
    response = client.get(reverse("organisation:toolbox_coachstorage_change", args=[coach.pk]))
    assert response.status_code in (200, 302, 403, 404)
    assert coach.password not in response.text
    assert "0612398745" not in response.text


@pytest.mark.parametrize("actor", ["coach", "coachee", "stranger_coach", "it_admin"])
def test_only_the_manager_reaches_the_storage_list(client, actors, actor):
    client.force_login(actors[actor])
    assert client.get(reverse(STORAGE)).status_code == 403


def test_the_storage_list_of_another_organisation_is_its_own(
    client, other_organisation, stranger_coach, stored
):
    manager = UserFactory(organisation=other_organisation, role=Role.ORG_MANAGER)
    CoachFactory(organisation=other_organisation, last_name="Leeg")
    client.force_login(manager)
    rows = _rows(client.get(reverse(STORAGE)))
    assert set(rows) == {"Swildens", "Leeg"}
    assert (rows["Swildens"].item_count, rows["Leeg"].item_count) == (1, 0)
    assert rows["Swildens"].stored_bytes == len(PDF_BYTES)


def test_an_item_shared_with_every_coachee_says_so(client, coach, coachee, trajectory, item):
    share(item, [coachee])
    client.force_login(coach)
    page = client.get(_item_url(item)).text
    assert "It is shared with everyone you can share it with." in page
    assert "You have no coachees" not in page
