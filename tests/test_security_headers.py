"""Every answer, to every role, carries the security headers: one walk over the access matrix.

The walk requests every row of ``tests/matrix`` (every URL pattern, GET and POST rows as they
are) as every actor, in the world the access matrix builds. The matrix test builds that world
afresh for each row; the walk builds it once and undoes each row in a savepoint, and signs each
actor in once, handing the client that actor's session cookie: the same answers (the matrix
test checks their statuses), several times faster.

``Cache-Control: no-store`` is required on every answer to a signed-in actor, file downloads
included: a decrypted file is as personal as the page that links to it. Static files are not
in the matrix: they are public, served by WhiteNoise before anyone is signed in, and keep their
own caching (tested below the walk, with errors and redirects).
"""

import json
import time
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import path, reverse

from pluform.security_headers import PERMISSIONS_POLICY
from tests.factories.accounts import CoachFactory
from tests.matrix import ACTORS, all_rows
from tests.test_access_matrix import world  # noqa: F401  (the matrix's own world, reused)
from tests.test_production_settings import _manage, _production_env

POLICY_HEADERS = {
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _csp_problems(response):
    policy = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    problems = []
    # 'none' is stricter still: file downloads are 'none' plus a sandbox.
    if directives.get("default-src") not in (["'self'"], ["'none'"]):
        problems.append("CSP default-src 'self'")
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src", []))
        if {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources):
            problems.append(f"CSP {name} without 'unsafe-inline'")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append("CSP frame-ancestors 'none'")
    return problems


def _header_problems(response):
    return [
        f"{name}: {value}" for name, value in POLICY_HEADERS.items() if response.get(name) != value
    ]


def _no_store_problems(response):
    return [] if "no-store" in response.get("Cache-Control", "") else ["Cache-Control: no-store"]


def _signed_in_sessions(client, actors):
    """One session per signed-in actor, kept as the cookie the walk hands the client."""
    sessions = {"anonymous": None}
    for actor in ACTORS[1:]:
        client.cookies = SimpleCookie()
        client.force_login(actors[actor])
        sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


@pytest.mark.django_db
def test_every_answer_to_every_role_carries_the_security_headers(client, world, record_property):  # noqa: F811
    started = time.monotonic()
    sessions = _signed_in_sessions(client, world)
    failures = []
    pairs = 0
    for row in all_rows():
        with transaction.atomic():  # each row starts from the same world, as in the matrix
            for actor in ACTORS:
                client.cookies = SimpleCookie()
                if sessions[actor]:
                    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[actor]
                data = row.data(world) if row.data else None
                response = getattr(client, row.method)(row.url(world), data)
                pairs += 1
                problems = _csp_problems(response) + _header_problems(response)
                if actor != "anonymous":
                    problems += _no_store_problems(response)
                if problems:
                    failures.append(
                        f"{row.method.upper()} {row.pattern} as {actor} "
                        f"({response.status_code}): " + ", ".join(problems)
                    )
            transaction.set_rollback(True)
    seconds = time.monotonic() - started
    record_property("url_role_pairs", pairs)
    record_property("walk_seconds", round(seconds, 1))
    print(f"security headers: {pairs} URL x role pairs walked in {seconds:.1f}s")
    assert pairs == len(all_rows()) * len(ACTORS)
    assert not failures, f"{len(failures)} of {pairs} URL x role pairs:\n" + "\n".join(failures)


# Answers the matrix does not list: errors, redirects made by middleware, static files.


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_an_unknown_address_is_a_404_with_the_headers(client, coachee, signed_in):
    if signed_in:
        client.force_login(coachee)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert _csp_problems(response) + _header_problems(response) == []
    assert _no_store_problems(response) == ([] if signed_in else ["Cache-Control: no-store"])


@pytest.mark.django_db
def test_a_server_error_has_the_headers(settings, coachee):
    def broken(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("broken/", broken)]})
    client = Client(raise_request_exception=False)
    client.force_login(coachee)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert _csp_problems(response) + _header_problems(response) + _no_store_problems(response) == []


@pytest.mark.django_db
def test_a_refused_csrf_token_has_the_headers(coachee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coachee)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 403
    assert _csp_problems(response) + _header_problems(response) + _no_store_problems(response) == []


@pytest.mark.django_db
def test_a_redirect_made_by_middleware_has_the_headers(client, organisation):
    # EnforceMFAMiddleware sends a coach without an authenticator app to set one up. Such a
    # redirect has no body, and is made above django-csp's middleware: no CSP is needed there.
    coach = CoachFactory(organisation=organisation, mfa=False)
    client.force_login(coach)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert _header_problems(response) + _no_store_problems(response) == []


@pytest.mark.django_db
def test_static_files_have_the_headers_and_keep_their_own_caching(client, coachee, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as with DEBUG: no collectstatic in tests
    client.force_login(coachee)
    response = client.get(settings.STATIC_URL + "favicon.svg")
    assert response.status_code == 200
    assert _header_problems(response) == []
    assert "no-store" not in response.get("Cache-Control", "")


def test_production_sends_hsts_and_the_headers_on_https_and_on_the_redirect_to_it():
    script = (
        "import json; from django.conf import settings; from django.test import Client\n"
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " settings.SECURE_HSTS_PRELOAD, settings.SECURE_SSL_REDIRECT)\n"
        "client = Client(HTTP_HOST='pluform.example.com')\n"
        "for secure in (True, False):\n"
        "    response = client.get('/accounts/profile/', secure=secure)\n"
        "    print(response.status_code, json.dumps(dict(response.headers)))\n"
    )
    result = _manage("shell", "--no-imports", "-c", script, **_production_env())
    assert result.returncode == 0, result.stderr
    values, https, http = result.stdout.strip().splitlines()[-3:]
    assert values.split() == ["31536000", "True", "True", "True"]
    status, headers = https.split(" ", 1)
    headers = json.loads(headers)
    assert status == "302"  # to the login page, over HTTPS
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert {name: headers.get(name) for name in POLICY_HEADERS} == POLICY_HEADERS
    status, headers = http.split(" ", 1)
    headers = json.loads(headers)
    assert status == "301"
    assert headers["Location"] == "https://pluform.example.com/accounts/profile/"
    assert {name: headers.get(name) for name in POLICY_HEADERS} == POLICY_HEADERS
