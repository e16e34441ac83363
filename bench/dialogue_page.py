"""Requests per second of the dialogue page (50 messages) against a bare Django view.

Runs in-process through Django's test client, so every middleware runs (sessions, MFA,
data key cache, CSP) on a throwaway test database: PostgreSQL when DATABASE_URL is set.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pluform .venv/bin/python bench/dialogue_page.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pluform.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test.utils import (  # noqa: E402
    override_settings,
    setup_databases,
    teardown_databases,
)
from django.urls import include, path, reverse  # noqa: E402

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "300"))
TIME_LIMIT = float(os.environ.get("BENCH_SECONDS", "30"))


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), path("", include("pluform.urls"))]


def measure(client, url) -> tuple[int, float]:
    for _ in range(10):
        assert client.get(url).status_code == 200
    done, started = 0, time.perf_counter()
    while done < REQUESTS and time.perf_counter() - started < TIME_LIMIT:
        client.get(url)
        done += 1
    return done, time.perf_counter() - started


def main():
    from django.test import Client

    from tests.factories.accounts import CoacheeFactory, CoachFactory, TrajectoryFactory
    from tests.factories.dialogue import MessageFactory, one_to_one

    settings.DEBUG = False
    old = setup_databases(verbosity=0, interactive=False)
    try:
        coach = CoachFactory(first_name="Carla")
        coachee = CoacheeFactory(organisation=coach.organisation)
        dialogue = one_to_one(TrajectoryFactory(coachee=coachee, coaches=[coach]))
        for index in range(60):
            author = coach if index % 3 else coachee
            MessageFactory(dialogue=dialogue, author=author)
        client = Client()
        client.force_login(coach)
        with override_settings(ROOT_URLCONF=__name__):
            page_url = reverse("dialogue:detail", args=[dialogue.pk])
            page = measure(client, page_url)
            bare_view = measure(client, "/bench/bare/")
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {engine}; 50 messages on the page; {REQUESTS} requests max each")
        for name, (count, seconds) in (("bare view", bare_view), ("dialogue page", page)):
            print(
                f"{name:>14}: {count / seconds:8.1f} req/s "
                f"({count} requests in {seconds:.2f} s, {1000 * seconds / count:.2f} ms each)"
            )
        ratio = (bare_view[0] / bare_view[1]) / (page[0] / page[1])
        print(f"the dialogue page costs {ratio:.1f}x a bare view")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
