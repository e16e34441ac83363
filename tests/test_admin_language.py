"""Both admin sites speak Dutch to a Dutch user, in the informal "je" of the rest of Pluform."""

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from pluform import catalogue_overrides

pytestmark = pytest.mark.django_db

FORMAL = re.compile(r"\b(U|u|Uw|uw)\b")


@pytest.fixture
def dutch(client):
    def log_in(user):
        User.objects.filter(pk=user.pk).update(language="nl")
        client.force_login(user)
        return client

    return log_in


def test_app_list_headers_and_app_names_are_dutch(dutch, it_admin):
    html = dutch(it_admin).get(reverse("admin:index")).text
    for english in ["Model name", "Add link", "Change or view list link", ">Accounts<"]:
        assert english not in html, english
    for dutch_words in ["Modelnaam", "Link om toe te voegen", "Accountbeheer", "Privacy"]:
        assert dutch_words in html, dutch_words


def test_breadcrumbs_name_the_app_in_dutch(dutch, org_manager):
    html = dutch(org_manager).get(reverse("organisation:accounts_trajectory_changelist")).text
    breadcrumbs = html[html.index('class="breadcrumbs"') :]
    breadcrumbs = breadcrumbs[: breadcrumbs.index("</div>")]
    assert "Accountbeheer" in breadcrumbs and "Accounts" not in breadcrumbs


def test_coach_profile_form_labels_are_dutch(dutch, it_admin):
    html = dutch(it_admin).get(reverse("admin:accounts_coachprofile_add")).text
    assert 'for="id_user">Coach:</label>' in html
    assert 'for="id_product">Pakket:</label>' in html
    assert "User:" not in html and "Product:" not in html


def test_coach_profile_list_names_the_coach_column(dutch, it_admin, coach):
    html = dutch(it_admin).get(reverse("admin:accounts_coachprofile_changelist")).text
    assert 'column-coach"' in html
    assert ">User<" not in html


def test_trajectory_end_filter_has_no_doubled_preposition(dutch, org_manager, trajectory):
    html = dutch(org_manager).get(reverse("organisation:accounts_trajectory_changelist")).text
    assert "Op einddatum" in " ".join(html.split())
    assert "Op beëindigd op" not in " ".join(html.split())


def test_password_rules_say_je(db):
    with translation.override("nl"):
        texts = password_validators_help_texts()
    assert texts and all(not FORMAL.search(str(text)) for text in texts), texts
    assert any("Je wachtwoord" in str(text) for text in texts)


@pytest.mark.parametrize(
    "message",
    [*catalogue_overrides.ADMIN, *catalogue_overrides.PASSWORDS[:-1]],
)
def test_our_catalogue_translates_djangos_messages_informally(message):
    with translation.override("nl"):
        dutch = translation.gettext(message)
    assert dutch != message
    assert not FORMAL.search(dutch), dutch


def test_minimum_length_rule_is_informal_in_singular_and_plural():
    singular = "Your password must contain at least %(min_length)d character."
    plural = "Your password must contain at least %(min_length)d characters."
    with translation.override("nl"):
        one = translation.ngettext(singular, plural, 1) % {"min_length": 1}
        many = translation.ngettext(singular, plural, 10) % {"min_length": 10}
    assert one == "Je wachtwoord moet minstens 1 teken bevatten."
    assert many == "Je wachtwoord moet minstens 10 tekens bevatten."
