"""The benchmark's reference pages exist only while `make bench` runs (PLUFORM_BENCH=1)."""

import importlib

import pytest
from django.urls import NoReverseMatch, Resolver404, clear_url_caches, resolve, reverse

import pluform.urls


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if hasattr(entry, "url_patterns"):
            yield from _routes(entry.url_patterns, route)
        else:
            yield route


@pytest.fixture
def bench_mode(monkeypatch):
    """The URLconf as `make bench` loads it; the normal one again afterwards."""
    monkeypatch.setenv("PLUFORM_BENCH", "1")
    importlib.reload(pluform.urls)
    clear_url_caches()
    yield
    monkeypatch.delenv("PLUFORM_BENCH")
    importlib.reload(pluform.urls)
    clear_url_caches()


def test_bench_urls_are_absent_from_the_normal_urlconf():
    assert not [route for route in _routes(pluform.urls.urlpatterns) if "bench" in route]
    with pytest.raises(Resolver404):
        resolve("/bench/bare/")
    with pytest.raises(NoReverseMatch):
        reverse("bench:naive")


def test_bench_urls_are_absent_when_the_flag_is_off(monkeypatch):
    monkeypatch.setenv("PLUFORM_BENCH", "0")
    try:
        importlib.reload(pluform.urls)
        assert not [route for route in _routes(pluform.urls.urlpatterns) if "bench" in route]
    finally:
        monkeypatch.delenv("PLUFORM_BENCH")
        importlib.reload(pluform.urls)
        clear_url_caches()


@pytest.mark.django_db
def test_bare_reference_view_answers_200_bytes_in_bench_mode(bench_mode, client):
    response = client.get(reverse("bench:bare"))
    assert response.status_code == 200
    assert len(response.content) == 200


@pytest.mark.django_db
def test_naive_reference_page_needs_a_login(bench_mode, client):
    response = client.get(reverse("bench:naive"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_naive_reference_page_shows_50_rows_in_the_base_layout(bench_mode, client, coachee):
    client.force_login(coachee)
    response = client.get(reverse("bench:naive"))
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == ["benchmark/naive.html", "base.html"]
    assert response.content.decode().count("<tr>") == 51  # a header row and 50 rows
