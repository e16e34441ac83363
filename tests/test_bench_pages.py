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


@pytest.mark.django_db
def test_privacy_pages_show_the_rows_the_bench_counts(monkeypatch):
    """bench/seed.py's access log and request queue, smaller: each page answers 200 with the
    rows bench/pages.py expects (count_queries raises otherwise), in a fixed number of queries."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from bench import pages, seed, sessions
    from dialogue.models import Dialogue

    monkeypatch.setattr(seed, "ACCESS_EVENTS", 60)  # more than a page of 50
    monkeypatch.setattr(seed, "DATA_REQUESTS", 55)
    now = timezone.now()
    coaches, coachees, coaches_of = seed.people(1, 12, now)
    dialogue = Dialogue.objects.get(trajectory__coachee=coachees[0])
    account_manager, events, requests = seed._privacy(
        coaches[0], coachees[:10], coaches_of, dialogue, make_password(None), now
    )
    assert (events, requests) == (60, 55)
    seeded = seed.Seeded(
        coaches, coachees, [dialogue], 0, 0, 0.0,
        account_manager=account_manager, access_events=events, data_requests=requests,
    )  # fmt: skip
    access_log, queue = pages._privacy_pages(seeded, sessions.login_session(coachees[0]))
    assert access_log.items[1] == 50
    # The queue's "Waiting for you" lists the first 10 requests waiting for the account
    # manager, then "All requests that reached Pluform" a page of 50 of them.
    assert queue.items[1] == 10 + 50
    queries = [pages.count_queries(page) for page in (access_log, queue)]
    # More rows, the same queries.
    monkeypatch.setattr(seed, "ACCESS_EVENTS", 40)
    monkeypatch.setattr(seed, "DATA_REQUESTS", 5)
    seed._access_log(coaches[0], coachees[0], dialogue)
    seed._data_requests(coachees[10:], coaches_of, now)
    seeded.data_requests += 5
    access_log, queue = pages._privacy_pages(seeded, sessions.login_session(coachees[0]))
    assert [pages.count_queries(page) for page in (access_log, queue)] == queries
