"""Staff find a user by e-mail address or name, across organisations, 25 to a page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.accounts import CoacheeFactory, OrganisationFactory, StaffFactory
from tests.factories.dialogue import one_to_one, post

pytestmark = pytest.mark.django_db


def _search(client, query, **extra):
    return client.get(reverse("support:users"), {"q": query, **extra})


def _found(response):
    return [person.email for person in response.context["page"]]


def test_search_by_part_of_an_e_mail_address_finds_users_in_every_organisation(
    client, customer_service, coachee, stranger_coachee
):
    client.force_login(customer_service)
    stranger_coachee.email = "saar@elders.example"
    stranger_coachee.save()
    response = _search(client, "SAAR@elders")
    assert _found(response) == ["saar@elders.example"]
    assert "Elders Coaching" in response.text


def test_search_by_first_and_last_name_needs_every_word_to_match(client, ict_line_manager):
    CoacheeFactory(first_name="Eva", last_name="Jansen", email="e1@example.com")
    CoacheeFactory(first_name="Eva", last_name="de Boer", email="e2@example.com")
    CoacheeFactory(first_name="Piet", last_name="Jansen", email="p@example.com")
    client.force_login(ict_line_manager)
    # Other users have random names from the factories, so look only at these three.
    ours = {"e1@example.com", "e2@example.com", "p@example.com"}
    assert ours & set(_found(_search(client, "eva jansen"))) == {"e1@example.com"}
    assert ours & set(_found(_search(client, "Eva"))) == {"e1@example.com", "e2@example.com"}


def test_staff_accounts_are_found_too(client, customer_service, it_admin):
    client.force_login(customer_service)
    response = _search(client, it_admin.email)
    assert _found(response) == [it_admin.email]


def test_a_search_never_matches_a_trajectory_title_or_a_message(
    client, account_manager, trajectory
):
    trajectory.title = "burnout recovery"
    trajectory.save()
    post(one_to_one(trajectory), trajectory.coachee, "I feel burnout coming back")
    client.force_login(account_manager)
    response = _search(client, "burnout")
    assert response.status_code == 200
    assert _found(response) == []
    assert "No e-mail address or name matches" in response.text


def test_a_search_of_one_character_is_refused_with_a_message(client, customer_service, coachee):
    client.force_login(customer_service)
    response = _search(client, "e")
    assert response.context["page"] is None
    assert response.context["form"].errors["q"]
    assert "at least 2 characters" in response.text


def test_an_empty_search_asks_for_a_term_and_lists_nobody(client, customer_service, coachee):
    client.force_login(customer_service)
    assert client.get(reverse("support:users")).context["page"] is None
    response = _search(client, "   ")
    assert response.context["page"] is None
    assert "This field is required." in response.text


def test_results_come_25_to_a_page_with_a_link_to_the_next(client, customer_service):
    organisation = OrganisationFactory()
    for number in range(30):
        CoacheeFactory(organisation=organisation, email=f"bulk{number:02}@bulk.example")
    client.force_login(customer_service)
    first = _search(client, "@bulk.example")
    assert len(_found(first)) == 25
    assert "30 users found" in first.text
    assert "?q=%40bulk.example&amp;page=2" in first.text
    second = _search(client, "@bulk.example", page=2)
    assert len(_found(second)) == 5
    assert set(_found(first)).isdisjoint(_found(second))
    assert _search(client, "@bulk.example", page=99).context["page"].number == 2


def test_result_links_open_the_user_page_by_uuid(client, customer_service, coachee):
    client.force_login(customer_service)
    response = _search(client, coachee.email)
    assert reverse("support:user", args=[coachee.uuid]) in response.text


def test_search_query_count_is_the_same_for_1_and_30_results(
    client, customer_service, django_assert_num_queries
):
    organisations = [OrganisationFactory() for _ in range(3)]
    CoacheeFactory(organisation=organisations[0], email="c0@count.example")
    client.force_login(customer_service)
    client.get(reverse("support:users"))  # the session's first-request work is done
    with CaptureQueriesContext(connection) as one:
        response = _search(client, "@count.example")
    assert len(_found(response)) == 1
    for number in range(1, 30):
        CoacheeFactory(organisation=organisations[number % 3], email=f"c{number}@count.example")
    StaffFactory(email="staff@count.example")
    with django_assert_num_queries(len(one)):
        response = _search(client, "@count.example")
    assert len(_found(response)) == 25
