import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_coach_sees_their_home_page(client, coach):
    client.force_login(coach)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Carla" in response.text


def test_staff_home_names_the_role_as_it_is_labelled(client, it_admin):
    client.force_login(it_admin)
    response = client.get(reverse("home"))
    assert "You are logged in as IT administrator." in response.text
