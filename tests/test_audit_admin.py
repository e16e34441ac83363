"""The audit trail in the IT admin: codes are shown in words, and every filter choice has text."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from privacy.admin import object_type_label, role_label, subject_kind_label
from privacy.audit import Action, record

pytestmark = pytest.mark.django_db

EMPTY_LINK = re.compile(r"<a [^>]*>\s*</a>")


@pytest.fixture
def events(it_admin, coach, coachee, trajectory):
    return [
        record(None, Action.VIEW, subject=coachee, obj=trajectory, actor=coach),
        record(None, Action.CHANGE, subject=coachee, obj=coachee, actor=it_admin),
        record(None, Action.KEY_ROTATION),
    ]


def _filters(html):
    return html[html.index('id="changelist-filter"') :]


def _as(client, user, language):
    User.objects.filter(pk=user.pk).update(language=language)
    client.force_login(user)


def test_codes_read_as_words():
    assert role_label("it_admin") == "IT administrator"
    assert role_label("system") == "System"
    assert subject_kind_label("user:coachee") == "Coachee"
    assert subject_kind_label("user") == "User"
    assert object_type_label("accounts.trajectory") == "Trajectory"
    assert object_type_label("gone.model") == "gone.model"
    assert role_label("") is subject_kind_label("") is object_type_label("") is None


def test_audit_list_shows_roles_subjects_and_object_types_in_words(client, it_admin, events):
    _as(client, it_admin, "en")
    html = client.get(reverse("admin:privacy_auditevent_changelist")).text
    rows = html[html.index('id="result_list"') : html.index('id="changelist-filter"')]
    for words in ["IT administrator", "Coach", "Coachee", "Trajectory", "User", "System"]:
        assert f">{words}</td>" in rows, words
    for code in ["it_admin", "user:coachee", "accounts.trajectory", "accounts.user"]:
        assert f">{code}<" not in html, code


def test_audit_list_speaks_dutch_to_a_dutch_admin(client, it_admin, events):
    _as(client, it_admin, "nl")
    html = client.get(reverse("admin:privacy_auditevent_changelist")).text
    for words in ["IT-beheerder", "Traject", "Gebruiker", "Systeem", "Geen betrokkene"]:
        assert f">{words}<" in html, words


def test_audit_detail_shows_the_codes_in_words(client, it_admin, events):
    _as(client, it_admin, "en")
    url = reverse("admin:privacy_auditevent_change", args=[events[0].pk])
    html = client.get(url).text
    assert '<div class="readonly">Coach</div>' in html
    assert '<div class="readonly">Coachee</div>' in html
    assert '<div class="readonly">Trajectory</div>' in html
    assert "user:coachee" not in html and "accounts.trajectory" not in html


def test_every_filter_choice_of_the_audit_list_has_text(client, it_admin, events):
    _as(client, it_admin, "en")
    html = client.get(reverse("admin:privacy_auditevent_changelist")).text
    assert not EMPTY_LINK.findall(_filters(html))
    assert "No subject" in _filters(html)


@pytest.mark.parametrize(
    "query, expected",
    [("actor_role=coach", {"view"}), ("subject_kind=none", {"key_rotation"})],
)
def test_audit_filters_select_their_events(client, it_admin, events, query, expected):
    _as(client, it_admin, "en")
    response = client.get(f"{reverse('admin:privacy_auditevent_changelist')}?{query}")
    assert response.status_code == 200
    shown = {event.action for event in response.context["cl"].result_list}
    assert shown == expected
