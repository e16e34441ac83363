"""Every page is served with a strict CSP and loads nothing from a third-party host."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']\s*(?:https?:)?//""", re.IGNORECASE)


def _templates():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        yield from folder.rglob("*.html")


def test_no_template_loads_anything_from_another_host():
    offenders = [str(path) for path in _templates() if EXTERNAL.search(path.read_text())]
    assert not offenders


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_other_hosts(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "http" not in policy.replace("'self'", "")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_health_check_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Permissions-Policy" in response.headers


@pytest.mark.django_db
def test_the_language_cookie_is_http_only_and_same_site_like_the_session_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["account_change_password", "mfa_index", "account_reauthenticate", "home"]
)
def test_no_page_for_a_signed_in_user_may_be_stored(client, coachee, name):
    client.force_login(coachee)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_answer_that_signs_a_user_in_may_not_be_stored(client, coachee):
    response = client.post(
        reverse("account_login"),
        {"login": coachee.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert "no-store" in response["Cache-Control"]
