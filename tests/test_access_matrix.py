"""Every URL pattern, for anonymous and every role plus strangers, with the expected status.

Every answer to a signed-in actor also carries ``Cache-Control: no-store``.
"""

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

from tests.matrix import ACTORS, all_rows, row_modules


def _patterns(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            nested = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else ns
            yield from _patterns(entry, route, nested)
        elif isinstance(entry, URLPattern):
            name = entry.name or route
            yield route, f"{namespace}:{name}" if namespace else name


def _covered(route, name, rows):
    for row in rows:
        if row.prefix and route.startswith(row.pattern):
            return True
        if not row.prefix and row.pattern == name:
            return True
    return False


def test_every_url_pattern_is_in_the_matrix():
    rows = all_rows()
    missing = sorted(
        f"{name} ({route})" for route, name in _patterns() if not _covered(route, name, rows)
    )
    assert not missing, "URL patterns missing from tests/matrix: " + ", ".join(missing)


@pytest.fixture
def world(actors):
    world = dict(actors)
    for module in row_modules():
        if hasattr(module, "build"):
            module.build(world)
    return world


@pytest.mark.django_db
@pytest.mark.parametrize("row", all_rows(), ids=lambda row: f"{row.method}:{row.pattern}")
def test_access_matrix(client, world, row):
    failures = []
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world[actor])
        url = row.url(world)
        data = row.data(world) if row.data else None
        response = getattr(client, row.method)(url, data)
        expected = row.status_for(actor)
        if response.status_code != expected:
            failures.append(f"{actor}: {response.status_code} (expected {expected})")
        # No browser or proxy keeps a copy of any answer to a signed-in user.
        if actor != "anonymous" and "no-store" not in response.get("Cache-Control", ""):
            failures.append(f"{actor}: no Cache-Control: no-store")
    assert not failures, f"{row.method.upper()} {row.pattern}: " + "; ".join(failures)
