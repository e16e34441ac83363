"""Who sees which toolbox item, through the pages: each role and each section of the list, the
organisation library, revoking, leaving a trajectory, restriction of processing, deleting,
whom one may share with, and that only toolbox/access.py writes Share rows."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import reverse

from accounts.roles import CONTENT_ROLES
from accounts.services import (
    add_coach,
    lift_restriction,
    restrict_processing,
    unassign_coach,
)
from dialogue import services as dialogue_services
from pluform import dates
from pluform.notices.models import Notice
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group
from tests.factories.toolbox import file_item, link_item, png_bytes, share
from toolbox import access, services
from toolbox.models import Item, ItemFile, Share

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
NO_CONTENT_ROLES = [
    "org_manager",
    "customer_service",
    "ict_line_manager",
    "account_manager",
    "it_admin",
]
STRANGERS = ["stranger_coach", "stranger_coachee"]
INDEX = reverse("toolbox:index")
ADD = reverse("toolbox:add")
SHARE_MANY = reverse("toolbox:share_many")


# Helpers


def _url(name, item, *extra):
    return reverse(f"toolbox:{name}", args=[item.pk, *(person.pk for person in extra)])


def _status(client, url, method="get", data=None) -> int:
    """The status of a request; a streamed file is read to the end (and so closed)."""
    response = getattr(client, method)(url, data)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response.status_code


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode("utf-8", errors="replace")


def _titles(client, section=None) -> set[str]:
    response = client.get(INDEX, {"section": section} if section else {})
    assert response.status_code == 200
    return {item.title for item in response.context["page"].object_list}


def _opens(client, item) -> bool:
    """The item page and (for a file) the file: both open, or both are a 404."""
    page = _status(client, _url("item", item))
    if item.is_link:
        return page == 200
    stored = _status(client, _url("file", item))
    assert {page, stored} in ({200}, {404}), (page, stored)
    return page == 200


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shares() -> set[tuple]:
    return set(Share.objects.values_list("content_object_id", "user_id", "shared_by_id"))


@pytest.fixture
def colleague_coachee(organisation, other_coach):
    """A coachee of the colleague: same organisation, not the coach's."""
    person = CoacheeFactory(organisation=organisation, first_name="Cas", last_name="Colijn")
    TrajectoryFactory(coachee=person, coaches=[other_coach])
    return person


@pytest.fixture
def library(actors, colleague_coachee):
    """Items of everyone, each shared as its owner may."""
    coach, coachee, colleague = actors["coach"], actors["coachee"], actors["other_coach"]
    stranger_coach, stranger_coachee = actors["stranger_coach"], actors["stranger_coachee"]
    return {
        "coach_shared": file_item(coach, title="Coach shared", recipients=[coachee]),
        "coach_private": link_item(coach, title="Coach private"),
        "coach_published": link_item(coach, title="Coach published", published=True),
        "coachee_shared": file_item(
            coachee, "tekening.png", png_bytes(), title="Coachee shared", recipients=[coach]
        ),
        "coachee_private": link_item(coachee, title="Coachee private"),
        "colleague_published": link_item(colleague, title="Colleague published", published=True),
        "colleague_private": link_item(colleague, title="Colleague private"),
        "colleague_coachee_own": link_item(
            colleague_coachee, title="Colleague coachee own", recipients=[colleague]
        ),
        "stranger_published": link_item(
            stranger_coach,
            title="Stranger published",
            published=True,
            recipients=[stranger_coachee],
        ),
        "stranger_coachee_own": link_item(
            stranger_coachee, title="Stranger coachee own", recipients=[stranger_coach]
        ),
    }


# What each role sees, per section of the list

VISIBLE = {
    "coach": {
        "mine": {"Coach shared", "Coach private", "Coach published"},
        "organisation": {"Colleague published"},
        "received": {"Coachee shared"},
    },
    "coachee": {
        "mine": {"Coachee shared", "Coachee private"},
        "received": {"Coach shared"},
    },
    "other_coach": {
        "mine": {"Colleague published", "Colleague private"},
        "organisation": {"Coach published"},
        "received": {"Colleague coachee own"},
    },
    "colleague_coachee": {"mine": {"Colleague coachee own"}, "received": set()},
    "stranger_coach": {
        "mine": {"Stranger published"},
        "organisation": set(),
        "received": {"Stranger coachee own"},
    },
    "stranger_coachee": {"mine": {"Stranger coachee own"}, "received": {"Stranger published"}},
}


@pytest.mark.parametrize("actor", sorted(VISIBLE))
def test_each_role_sees_exactly_its_own_the_library_and_what_was_shared_with_it(
    client, actors, colleague_coachee, library, actor
):
    user = colleague_coachee if actor == "colleague_coachee" else actors[actor]
    sections = VISIBLE[actor]
    client.force_login(user)
    for section, titles in sections.items():
        assert _titles(client, section) == titles, section
    if "organisation" not in sections:
        # A coachee has no organisation library: asking for it shows what was shared.
        assert _titles(client, "organisation") == sections["received"]
    everything = set().union(*sections.values())
    assert {item.title for item in access.items_for(user)} == everything
    for item in library.values():
        assert _opens(client, item) == (item.title in everything), item.title


@pytest.mark.parametrize("actor", [*NO_CONTENT_ROLES, *STRANGERS])
def test_everyone_else_gets_a_404_on_every_toolbox_url_and_changes_nothing(
    client, actors, library, actor
):
    coachee, colleague_coachee = actors["coachee"], library["colleague_coachee_own"].owner
    own = {"stranger_published", "stranger_coachee_own"}
    targets = [(item, coachee) for key, item in library.items() if key not in own]
    targets.append((library["colleague_published"], colleague_coachee))
    before_shares = _shares()
    before_items = {item.pk: (item.title, item.url, item.published) for item in Item.objects.all()}
    titles = {item.title for item in Item.objects.all()} - {
        library[key].title for key in own if actor in STRANGERS
    }
    client.force_login(actors[actor])
    requests = [("get", SHARE_MANY), ("post", SHARE_MANY)]
    if actor in NO_CONTENT_ROLES:
        requests += [("get", INDEX), ("get", ADD), ("post", ADD)]
    for item, recipient in targets:
        requests += [
            ("get", _url("item", item)),
            ("get", _url("edit", item)),
            ("post", _url("edit", item)),
            ("get", _url("delete", item)),
            ("post", _url("delete", item)),
            ("post", _url("share", item)),
            ("post", _url("revoke", item, recipient)),
            ("get", _url("file", item)),
        ]
    data = {
        "url": "https://example.org/taken",
        "title": "Taken over",
        "recipients": [str(coachee.pk)],
        "items": [str(item.pk) for item, _ in targets],
    }
    for method, url in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
        body = _body(response)
        assert not [title for title in titles if title in body], (method, url)
    # What a stranger may open shows nothing of the organisation either.
    if actor in STRANGERS:
        for section in ("mine", "organisation", "received"):
            body = client.get(INDEX, {"section": section}).text
            assert not [title for title in titles if title in body]
    assert _shares() == before_shares
    assert {
        item.pk: (item.title, item.url, item.published) for item in Item.objects.all()
    } == before_items


# The organisation library


def test_a_colleague_sees_a_published_item_but_not_its_shares_and_may_not_change_it(
    client, coach, coachee, trajectory, other_coach
):
    item = link_item(coach, "https://example.org/adem", title="Ademruimte", published=True)
    share(item, [coachee])
    client.force_login(other_coach)
    assert "Ademruimte" in _titles(client, "organisation")
    page = client.get(_url("item", item))
    assert page.status_code == 200 and "Ademruimte" in page.text
    assert "Zwanenburg" not in page.text  # nor with whom the owner shared it
    assert page.context["shares"] == []
    assert "Zwanenburg" not in client.get(INDEX, {"section": "organisation"}).text
    for method in ("get", "post"):
        data = {"title": "Mine now", "url": "https://example.org/x"}
        assert _status(client, _url("edit", item), method, data) == 404
        assert _status(client, _url("delete", item), method) == 404
    # Revoking the owner's share finds no share of the colleague's: nothing happens.
    assert _status(client, _url("revoke", item, coachee), "post") == 302
    item.refresh_from_db()
    assert (item.title, item.url, item.published) == (
        "Ademruimte",
        "https://example.org/adem",
        True,
    )
    assert _shares() == {(item.pk, coachee.pk, coach.pk)}


def test_a_colleague_shares_a_published_item_with_their_own_coachee_only(
    client, coach, coachee, trajectory, other_coach, colleague_coachee
):
    item = file_item(coach, title="Slaaptips", published=True)
    share(item, [coachee])
    client.force_login(other_coach)
    assert _status(client, _url("share", item), "post", {"recipients": [coachee.pk]}) == 400
    response = client.post(_url("share", item), {"recipients": [colleague_coachee.pk]})
    assert response.status_code == 302
    assert _shares() == {
        (item.pk, coachee.pk, coach.pk),
        (item.pk, colleague_coachee.pk, other_coach.pk),
    }
    # Each sees only the share they made themselves.
    page = client.get(_url("item", item)).text
    assert "Colijn" in page and "Zwanenburg" not in page
    client.force_login(coach)
    page = client.get(_url("item", item)).text
    assert "Zwanenburg" in page and "Colijn" not in page
    row = client.get(INDEX, {"section": "mine"}).context["page"].object_list[0]
    assert row.share_count == 1
    # The owner cannot withdraw the colleague's share either.
    assert _status(client, _url("revoke", item, colleague_coachee), "post") == 302
    assert Share.objects.filter(user=colleague_coachee).exists()

    client.force_login(colleague_coachee)
    assert _titles(client, "received") == {"Slaaptips"}
    assert _opens(client, item)
    page = client.get(_url("item", item))
    assert "share_form" not in page.context and "Zwanenburg" not in page.text


def test_a_colleague_may_not_pass_on_an_item_outside_the_library(
    client, coach, other_coach, colleague_coachee
):
    item = link_item(coach, title="Alleen van mij")
    client.force_login(other_coach)
    data = {"recipients": [colleague_coachee.pk], "items": [item.pk]}
    assert _status(client, _url("share", item), "post", data) == 404
    assert _status(client, SHARE_MANY, "post", data) == 404
    assert not Share.objects.exists()


def test_leaving_the_library_takes_back_the_colleagues_shares_only(
    client, coach, coachee, trajectory, other_coach, colleague_coachee
):
    item = link_item(coach, title="Tijdelijk gedeeld", published=True)
    share(item, [coachee])
    share(item, [colleague_coachee], by=other_coach)
    client.force_login(coach)
    data = {"title": "Tijdelijk gedeeld", "url": item.url, "description": "", "tags": ""}
    assert _status(client, _url("edit", item), "post", data) == 302
    assert _shares() == {(item.pk, coachee.pk, coach.pk)}
    assert not _opens(_login(colleague_coachee), item)
    assert not _opens(_login(other_coach), item)
    assert _opens(_login(coachee), item)


# Revoking


def test_a_revoked_share_is_gone_on_the_recipients_next_request(client, coach, coachee, trajectory):
    item = file_item(coach, title="Even gedeeld")
    share(item, [coachee])
    reader = _login(coachee)  # a session that is open while the coach revokes
    assert _opens(reader, item)
    assert _titles(reader, "received") == {"Even gedeeld"}

    client.force_login(coach)
    page = client.get(_url("item", item))
    assert _url("revoke", item, coachee) in page.text
    assert _status(client, _url("revoke", item, coachee), "post") == 302
    assert not Share.objects.exists()
    assert not _opens(reader, item)
    assert _titles(reader, "received") == set()


def test_the_recipient_cannot_revoke_a_share_and_the_coachee_revokes_their_own(
    client, coach, coachee, trajectory
):
    given = link_item(coach, title="Gekregen", recipients=[coachee])
    mine = link_item(coachee, title="Van de coachee", recipients=[coach])
    reader = _login(coach)
    assert _opens(reader, mine)
    client.force_login(coachee)
    assert _status(client, _url("revoke", given, coachee), "post") == 302
    assert Share.objects.filter(content_object=given, user=coachee).exists()
    assert _status(client, _url("revoke", mine, coach), "post") == 302
    assert not Share.objects.filter(content_object=mine).exists()
    assert not _opens(reader, mine)


# Leaving a trajectory


@pytest.fixture
def both_ways(coach, coachee, trajectory, other_coach):
    """The coach's file shared with the coachee, a library item the coach passed on, and the
    coachee's file shared with the coach."""
    published = link_item(other_coach, title="Uit de bibliotheek", published=True)
    share(published, [coachee], by=coach)
    return {
        "to_coachee": file_item(coach, title="Voor Eva", recipients=[coachee]),
        "passed_on": published,
        "to_coach": file_item(
            coachee, "tekening.png", png_bytes(), title="Voor Carla", recipients=[coach]
        ),
    }


def test_a_coach_who_leaves_the_trajectory_loses_the_coachees_items_at_once_and_vice_versa(
    coach, coachee, trajectory, other_coach, both_ways
):
    coach_reader, coachee_reader = _login(coach), _login(coachee)
    assert _opens(coach_reader, both_ways["to_coach"])
    assert _opens(coachee_reader, both_ways["to_coachee"])
    assert _opens(coachee_reader, both_ways["passed_on"])
    # A second coach of the trajectory stays, and so do the shares between them and the coachee.
    add_coach(trajectory, other_coach)
    theirs = link_item(other_coach, title="Van Otto", recipients=[coachee])
    to_them = link_item(coachee, title="Voor Otto", recipients=[other_coach])

    unassign_coach(trajectory, coach)

    assert not _opens(coach_reader, both_ways["to_coach"])
    assert _titles(coach_reader, "received") == set()
    assert not _opens(coachee_reader, both_ways["to_coachee"])
    assert not _opens(coachee_reader, both_ways["passed_on"])
    assert _titles(coachee_reader, "received") == {"Van Otto"}
    assert _shares() == {
        (theirs.pk, coachee.pk, other_coach.pk),
        (to_them.pk, other_coach.pk, coachee.pk),
    }
    # Each keeps their own items, and the library item stays in the library.
    assert _opens(coach_reader, both_ways["to_coachee"])
    assert _opens(coach_reader, both_ways["passed_on"])
    assert _opens(coachee_reader, both_ways["to_coach"])
    assert _opens(_login(other_coach), to_them)


def test_a_coach_who_still_coaches_the_coachee_in_another_trajectory_keeps_access(
    coach, coachee, trajectory, both_ways
):
    second = TrajectoryFactory(coachee=coachee, coaches=[coach])
    before = _shares()
    unassign_coach(trajectory, coach)
    assert _shares() == before
    assert _opens(_login(coach), both_ways["to_coach"])
    assert _opens(_login(coachee), both_ways["to_coachee"])

    unassign_coach(second, coach)
    assert not Share.objects.exists()
    assert not _opens(_login(coach), both_ways["to_coach"])


def test_an_ended_trajectory_does_not_keep_a_leaving_coachs_access(
    coach, coachee, trajectory, both_ways
):
    TrajectoryFactory(
        coachee=coachee,
        coaches=[coach],
        started_on=dates.today() - datetime.timedelta(days=400),
        ended_on=dates.today() - datetime.timedelta(days=100),
    )
    unassign_coach(trajectory, coach)
    assert not _opens(_login(coach), both_ways["to_coach"])
    assert not Share.objects.exists()


def test_two_coaches_of_a_coachee_each_share_a_library_item_and_keep_their_own_share(
    client, coach, coachee, trajectory, other_coach
):
    add_coach(trajectory, other_coach)
    item = link_item(other_coach, title="Bieb", published=True)
    share(item, [coachee], by=coach)
    client.force_login(other_coach)
    assert client.get(_url("item", item)).context["shares"] == []  # not the colleague's
    assert _status(client, _url("share", item), "post", {"recipients": [coachee.pk]}) == 302
    assert [s.shared_by_id for s in client.get(_url("item", item)).context["shares"]] == [
        other_coach.pk
    ]
    reader = _login(coachee)
    assert [row.title for row in reader.get(INDEX).context["page"].object_list] == ["Bieb"]
    unassign_coach(trajectory, coach)
    assert _shares() == {(item.pk, coachee.pk, other_coach.pk)}
    assert _opens(reader, item)


# Restriction of processing


def test_a_restricted_coachees_items_stay_readable_to_them_and_their_coach(
    coach, coachee, trajectory, both_ways
):
    restrict_processing(coachee, "Disputes the accuracy")
    coachee_reader, coach_reader = _login(coachee), _login(coach)
    assert _opens(coachee_reader, both_ways["to_coachee"])
    assert _opens(coachee_reader, both_ways["to_coach"])
    assert _opens(coach_reader, both_ways["to_coach"])
    assert _titles(coachee_reader, "received") == {"Voor Eva", "Uit de bibliotheek"}
    assert _titles(coachee_reader, "mine") == {"Voor Carla"}
    assert _titles(coach_reader, "received") == {"Voor Carla"}


RESTRICTED_WITH = (
    "Processing is restricted for Eva Zwanenburg: nothing new can be shared with them."
)
RESTRICTED_BY = "Processing of your data is restricted"


def test_nothing_new_is_shared_with_a_restricted_coachee(
    client, coach, coachee, trajectory, other_coach
):
    item = link_item(coach, title="Nog niet gedeeld")
    published = link_item(other_coach, title="Bibliotheek", published=True)
    crew = group(coach, [coachee])
    restrict_processing(coachee, "Objection")
    items_before, notices_before = Item.objects.count(), Notice.objects.count()
    client.force_login(coach)

    response = client.post(_url("share", item), {"recipients": [coachee.pk]})
    assert response.status_code == 400 and RESTRICTED_WITH in response.text
    response = client.post(_url("share", item), {"group": str(crew.pk)})
    assert response.status_code == 400 and RESTRICTED_WITH in response.text
    response = client.post(
        SHARE_MANY, {"items": [item.pk, published.pk], "recipients": [coachee.pk]}
    )
    assert response.status_code == 200 and RESTRICTED_WITH in response.text
    response = client.post(
        ADD,
        {
            "url": "https://example.org/n",
            "title": "N",
            "recipients": [coachee.pk],
        },
    )
    assert response.status_code == 200 and RESTRICTED_WITH in response.text
    with pytest.raises(ValidationError):
        services.share([item], [coachee], by=coach)

    assert not Share.objects.exists()
    assert Item.objects.count() == items_before
    assert Notice.objects.count() == notices_before
    assert not _opens(_login(coachee), item)

    lift_restriction(coachee)
    assert _status(client, _url("share", item), "post", {"recipients": [coachee.pk]}) == 302
    assert _opens(_login(coachee), item)


def test_a_restricted_coachee_adds_and_shares_nothing(client, coach, coachee, trajectory):
    item = link_item(coachee, title="Van Eva")
    restrict_processing(coachee, "Objection")
    items_before = Item.objects.count()
    client.force_login(coachee)

    assert RESTRICTED_BY in client.get(INDEX, {"section": "mine"}).text
    assert ADD not in client.get(INDEX, {"section": "mine"}).text
    page = client.get(ADD)
    assert RESTRICTED_BY in page.text and 'enctype="multipart/form-data"' not in page.text
    response = client.post(
        ADD,
        {"url": "https://example.org/e", "title": "E", "recipients": [coach.pk]},
    )
    assert response.status_code == 200 and RESTRICTED_BY in response.text
    page = client.get(_url("item", item))
    assert RESTRICTED_BY in page.text and _url("share", item) not in page.text
    response = client.post(_url("share", item), {"recipients": [coach.pk]})
    assert response.status_code == 400 and RESTRICTED_BY in response.text
    with pytest.raises(ValidationError):
        services.share([item], [coach], by=coachee)
    with pytest.raises(ValidationError):
        link_item(coachee, title="Via de service")

    assert Item.objects.count() == items_before
    assert not Share.objects.exists()
    assert not _opens(_login(coach), item)


# Deleting


def test_deleting_a_shared_item_takes_its_shares_with_it_and_the_file_after_commit(
    client,
    coach,
    coachee,
    trajectory,
    other_coach,
    colleague_coachee,
    django_capture_on_commit_callbacks,
):
    item = file_item(coach, title="Weg", published=True)
    share(item, [coachee])
    share(item, [colleague_coachee], by=other_coach)
    kept = link_item(coach, title="Blijft", recipients=[coachee])
    stored = ItemFile.objects.get(item=item).file.name
    readers = [_login(coachee), _login(colleague_coachee), _login(other_coach)]
    assert all(_opens(reader, item) for reader in readers)

    client.force_login(coach)
    with django_capture_on_commit_callbacks() as callbacks:
        assert _status(client, _url("delete", item), "post") == 302
        # Until the transaction commits, the stored file is still there.
        assert default_storage.exists(stored)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(stored)
    assert not Item.objects.filter(pk=item.pk).exists()
    assert not ItemFile.objects.exists()
    assert _shares() == {(kept.pk, coachee.pk, coach.pk)}
    for reader in readers:
        assert _status(reader, _url("item", item)) == 404
        assert _status(reader, _url("file", item)) == 404
    assert _titles(readers[0], "received") == {"Blijft"}
    assert _titles(readers[1], "received") == set()
    assert _titles(readers[2], "organisation") == set()


def test_a_rolled_back_delete_keeps_item_shares_and_file(
    coach, coachee, trajectory, django_capture_on_commit_callbacks
):
    item = file_item(coach, title="Blijft toch", recipients=[coachee])
    stored = ItemFile.objects.get(item=item).file.name
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.delete_item(access.get_own_item_for(coach, item.pk))
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert default_storage.exists(stored)
    assert _opens(_login(coachee), item)


# Whom one may share with


def test_a_coach_cannot_share_with_a_coachee_who_is_not_theirs(
    client, actors, trajectory, colleague_coachee
):
    coach, other_coach = actors["coach"], actors["other_coach"]
    item = link_item(coach, title="Voor eigen coachees")
    client.force_login(coach)
    for person in (colleague_coachee, actors["stranger_coachee"], other_coach):
        data = {"recipients": [person.pk], "items": [item.pk]}
        assert _status(client, _url("share", item), "post", data) == 400, person
        assert _status(client, SHARE_MANY, "post", data) == 200, person
        response = client.post(ADD, {"url": "https://example.org/a", "title": "A", **data})
        assert response.status_code == 200, person
        with pytest.raises(ValidationError, match="your own coachees"):
            services.share([item], [person], by=coach)
    # A group with the colleague's coachee in it: only the coach's own coachee gets it.
    crew = group(coach, [actors["coachee"], other_coach])
    dialogue_services.add_to_group(crew, other_coach, colleague_coachee)
    response = client.post(_url("share", item), {"group": str(crew.pk)}, follow=True)
    assert "1 person in the group is not your coachee and was left out." in response.text
    assert _shares() == {(item.pk, actors["coachee"].pk, coach.pk)}
    # Once the trajectory has ended, the coachee is no longer theirs to share with.
    trajectory.ended_on = dates.today() - datetime.timedelta(days=1)
    trajectory.save()
    other = link_item(coach, title="Na het traject")
    data = {"recipients": [actors["coachee"].pk]}
    assert _status(client, _url("share", other), "post", data) == 400
    assert not Share.objects.filter(content_object=other).exists()
    assert Item.objects.filter(owner=coach).count() == 2


def test_a_coach_may_not_pass_on_what_a_coachee_shared_with_them(
    client, organisation, coach, coachee, trajectory
):
    second = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=second, coaches=[coach])
    theirs = file_item(coachee, "tekening.png", png_bytes(), title="Van Eva", recipients=[coach])
    client.force_login(coach)
    assert _opens(client, theirs)
    assert _url("share", theirs) not in client.get(_url("item", theirs)).text
    data = {"recipients": [second.pk], "items": [theirs.pk]}
    assert _status(client, _url("share", theirs), "post", data) == 404
    assert _status(client, SHARE_MANY, "get", data) == 404
    assert _status(client, SHARE_MANY, "post", data) == 404
    assert _shares() == {(theirs.pk, coach.pk, coachee.pk)}
    assert not _opens(_login(second), theirs)


def test_a_coachee_shares_only_with_their_own_coaches(
    client, actors, trajectory, colleague_coachee
):
    coach, coachee = actors["coach"], actors["coachee"]
    item = link_item(coachee, title="Van Eva")
    given = link_item(coach, title="Van Carla", recipients=[coachee])
    client.force_login(coachee)
    for person in (actors["other_coach"], actors["stranger_coach"], colleague_coachee):
        assert _status(client, _url("share", item), "post", {"recipients": [person.pk]}) == 400
        with pytest.raises(ValidationError, match="your own coaches"):
            services.share([item], [person], by=coachee)
    # What was shared with them is not theirs to pass on; nor is sharing many at once.
    assert _status(client, _url("share", given), "post", {"recipients": [coach.pk]}) == 404
    data = {"items": [item.pk], "recipients": [coach.pk]}
    assert _status(client, SHARE_MANY, "post", data) == 404
    assert _shares() == {(given.pk, coachee.pk, coach.pk)}

    assert _status(client, _url("share", item), "post", {"recipients": [coach.pk]}) == 302
    assert (item.pk, coach.pk, coachee.pk) in _shares()


@pytest.mark.parametrize("role", NO_CONTENT_ROLES)
def test_organisation_managers_and_staff_never_hold_a_share(client, actors, trajectory, role):
    coach, person = actors["coach"], actors[role]
    item = link_item(coach, title="Alleen voor coachees")
    with pytest.raises(access.NotAContentRole):
        access.grant([item], [person], shared_by=coach)
    with pytest.raises(ValidationError):
        services.share([item], [person], by=coach)
    with pytest.raises(ValidationError):
        link_item(coach, title="Bij het toevoegen", recipients=[person])
    client.force_login(coach)
    assert _status(client, _url("share", item), "post", {"recipients": [person.pk]}) == 400
    data = {"items": [item.pk], "recipients": [person.pk]}
    assert _status(client, SHARE_MANY, "post", data) == 200
    assert not Share.objects.exclude(user__role__in=CONTENT_ROLES).exists()
    assert not Share.objects.exists()
    assert not access.items_for(person).exists()


# Only toolbox/access.py writes Share rows

SHARE_WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
    "add",
    "set",
    "remove",
    "clear",
    "raw",
}
SHARE_RELATIONS = {"shares", "toolbox_shares_made", "share_set"}
GUARDIAN_WRITES = {"assign_perm", "remove_perm", "bulk_assign_perm", "bulk_remove_perm"}
SQL_WRITE = re.compile(r"(insert\s+into|delete\s+from|update|truncate)\s+\W?toolbox_share\b", re.I)


def _share_writes(tree):
    """Where a module builds, writes or deletes Share rows, or hands toolbox permissions to
    guardian, or names the table in SQL."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "Share":
                yield node.lineno, "Share(...)"
            if isinstance(func, ast.Attribute) and func.attr in SHARE_WRITES:
                chain = [
                    n for n in ast.walk(func.value) if isinstance(n, (ast.Name, ast.Attribute))
                ]
                names = {getattr(n, "id", None) or getattr(n, "attr", None) for n in chain}
                if "Share" in names or names & SHARE_RELATIONS:
                    yield node.lineno, f"...{func.attr}()"
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name in GUARDIAN_WRITES:
                text = ast.unparse(node)
                if "receive_item" in text or "RECEIVE" in text or "toolbox" in text:
                    yield node.lineno, name
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and SQL_WRITE.search(node.value):
            yield node.lineno, "SQL on toolbox_share"


def _project_modules():
    skip = {".venv", "node_modules", "tests", "migrations", "var", "static"}
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not skip.intersection(parts) and not parts[0].startswith("."):
            yield path


def test_only_toolbox_access_py_creates_or_deletes_shares():
    allowed = ROOT / "toolbox" / "access.py"
    assert list(_share_writes(ast.parse(allowed.read_text())))  # the rule sees access.py's
    offenders = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in _project_modules()
        if path != allowed
        for line, what in _share_writes(ast.parse(path.read_text()))
    ]
    assert not offenders, "Share rows are written only in toolbox/access.py: " + ", ".join(
        offenders
    )


def test_the_share_rule_catches_each_way_of_writing_a_share():
    source = "\n".join(
        [
            "Share.objects.create(user=u)",
            "Share.objects.filter(user=u).delete()",
            "Share(user=u).save()",
            "item.shares.all().delete()",
            "item.shares.create(user=u)",
            "assign_perm('toolbox.receive_item', u, item)",
            "cursor.execute('DELETE FROM toolbox_share')",
            "Share.objects.filter(user=u).exists()",  # reading is fine
            "item.delete()",  # the shares going with their item is fine
        ]
    )
    assert sorted(line for line, _ in _share_writes(ast.parse(source))) == [1, 2, 3, 4, 5, 6, 7]
