"""Error pages use our layout, in the reader's language, and confirm nothing."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_page_one_may_not_see_is_a_friendly_404_in_the_users_language(client, org_manager):
    org_manager.language = "nl"
    org_manager.save(update_fields=["language"])
    client.force_login(org_manager)
    response = client.get(reverse("dialogue:detail", args=[uuid.uuid4()]))
    assert response.status_code == 404
    assert '<html lang="nl">' in response.text
    assert "Pagina niet gevonden" in response.text
    assert "Pluform" in response.text


def test_the_403_page_uses_the_layout(client, coach):
    client.force_login(coach)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "No access" in response.text


def test_a_server_error_shows_a_calm_page(settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "urls", (), {"urlpatterns": [path("broken/", broken)], "handler500": None}
    )
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.text  # Dutch: the default language
    assert "boom" not in response.text
