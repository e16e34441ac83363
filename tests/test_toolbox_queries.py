"""Every section of the toolbox library costs the same number of queries with 1 item and with
200: as it opens, with a search, sorted by title, and filtered by kind oldest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import add_coach
from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
from tests.factories.toolbox import file_item, link_item, png_bytes
from toolbox import access

pytestmark = pytest.mark.django_db

MORE = 199
# The views of a section: as it opens, searched, sorted by title, one kind oldest first.
VARIANTS = {
    "plain": {},
    "search": {"q": "OEFENING adem"},
    "title": {"sort": "title"},
    "kind": {"kind": "link", "sort": "old"},
}


def _count(client, url) -> int:
    client.get(url)  # session, activity and visit writes settle first
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def _urls(section) -> dict[str, str]:
    index = reverse("toolbox:index")
    urls = {}
    for name, params in VARIANTS.items():
        query = "&".join(f"{key}={value}" for key, value in {"section": section, **params}.items())
        urls[name] = f"{index}?{query.replace(' ', '+')}"
    return urls


def _items(owners, count, **options) -> list:
    """``count`` items spread over ``owners``: links with tags, and every 25th (not the
    first) an image."""
    made = []
    for number in range(count):
        owner = owners[number % len(owners)]
        tags = ["Adem", "Rust"] if number % 2 else ["adem"]
        if number % 25 == 24:
            item = file_item(
                owner,
                "schema.png",
                png_bytes(),
                title=f"Oefening {number:03d}",
                tags=tags,
                **options,
            )
        else:
            item = link_item(
                owner,
                url=f"https://example.org/{number}",
                title=f"Oefening {number:03d}",
                tags=tags,
                **options,
            )
        made.append(item)
    return made


def _measure(client, section) -> dict[str, int]:
    return {name: _count(client, url) for name, url in _urls(section).items()}


def _check(client, section, expected, django_assert_num_queries):
    for name, url in _urls(section).items():
        client.get(url)  # the visit before, as when measuring
        with django_assert_num_queries(expected[name]):
            response = client.get(url)
        page = response.context["page"]
        assert len(page.object_list) == 50, name
        assert page.paginator.count >= 150, name
    assert max(expected.values()) <= 15, expected


@pytest.fixture
def second_coachee(organisation, coach):
    person = CoacheeFactory(organisation=organisation, first_name="Bram", last_name="Brandsma")
    TrajectoryFactory(coachee=person, coaches=[coach])
    return person


@pytest.fixture
def co_coached(coachee, trajectory, other_coach):
    """The coachee has a second coach, so what they receive comes from two people."""
    add_coach(trajectory, other_coach)
    return other_coach


def test_the_coachs_own_library(
    client, coach, coachee, trajectory, second_coachee, django_assert_num_queries
):
    first = _items([coach], 1)
    access.grant(first, [coachee], shared_by=coach)
    client.force_login(coach)
    expected = _measure(client, "mine")

    more = _items([coach], MORE, published=True)
    access.grant(more, [coachee, second_coachee], shared_by=coach)
    _check(client, "mine", expected, django_assert_num_queries)


def test_the_organisation_library(
    client, coach, coachee, trajectory, other_coach, organisation, django_assert_num_queries
):
    third_coach = CoachFactory(organisation=organisation, first_name="Derde", last_name="Coach")
    access.grant(_items([other_coach], 1, published=True), [coachee], shared_by=coach)
    client.force_login(coach)
    expected = _measure(client, "organisation")

    more = _items([other_coach, third_coach], MORE, published=True)
    access.grant(more[::3], [coachee], shared_by=coach)
    _check(client, "organisation", expected, django_assert_num_queries)


def test_what_the_coachees_shared_with_the_coach(
    client, coach, coachee, trajectory, second_coachee, django_assert_num_queries
):
    for item in _items([coachee], 1):
        access.grant([item], [coach], shared_by=coachee)
    client.force_login(coach)
    expected = _measure(client, "received")

    for owner in (coachee, second_coachee):
        access.grant(_items([owner], 100), [coach], shared_by=owner)
    _check(client, "received", expected, django_assert_num_queries)


def test_what_was_shared_with_the_coachee(
    client, coach, coachee, trajectory, co_coached, django_assert_num_queries
):
    access.grant(_items([coach], 1), [coachee], shared_by=coach)
    client.force_login(coachee)
    expected = _measure(client, "received")

    access.grant(_items([coach], 100), [coachee], shared_by=coach)
    access.grant(_items([co_coached], MORE - 100), [coachee], shared_by=co_coached)
    response = client.get(reverse("toolbox:index"))
    assert response.context["new_count"] == MORE + 1  # a first visit: everything is new
    _check(client, "received", expected, django_assert_num_queries)


def test_the_coachees_own_items(client, coach, coachee, trajectory, django_assert_num_queries):
    access.grant(_items([coachee], 1), [coach], shared_by=coachee)
    client.force_login(coachee)
    expected = _measure(client, "mine")

    more = _items([coachee], MORE)
    access.grant(more[::2], [coach], shared_by=coachee)
    _check(client, "mine", expected, django_assert_num_queries)


def test_the_item_page_costs_the_same_with_1_and_many_shares(
    client, coach, coachee, trajectory, organisation, django_assert_num_queries
):
    """The share list of an item and its share form do not grow with the shares."""
    [small] = _items([coach], 1)
    [large] = _items([coach], 1)
    access.grant([small], [coachee], shared_by=coach)
    others = [CoacheeFactory(organisation=organisation) for _ in range(20)]
    for person in others:
        TrajectoryFactory(coachee=person, coaches=[coach])
    access.grant([large], [coachee, *others[:-1]], shared_by=coach)  # one left to choose
    client.force_login(coach)
    expected = _count(client, reverse("toolbox:item", args=[small.pk]))
    with django_assert_num_queries(expected):
        response = client.get(reverse("toolbox:item", args=[large.pk]))
    assert response.text.count("Stop sharing with") == 20
    assert expected <= 15, expected
