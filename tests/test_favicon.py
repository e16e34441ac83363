"""Pluform has an icon: linked from the layout, and /favicon.ico answers instead of a 404."""

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("favicon.svg")


def test_favicon_ico_answers_a_signed_in_user_too(client, coachee):
    client.force_login(coachee)
    assert client.get("/favicon.ico")["Location"] == static("favicon.svg")


def test_the_icon_is_a_small_svg_of_our_own():
    path = finders.find("favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as file:
        svg = file.read()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert len(svg) < 2000
    assert "href" not in svg and "<script" not in svg  # nothing loaded, nothing run


@pytest.mark.parametrize("logged_in", [False, True])
def test_layout_links_the_icon(client, coachee, logged_in):
    if logged_in:
        client.force_login(coachee)
    url = reverse("accounts:profile" if logged_in else "account_login")
    page = client.get(url).text
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page
