"""The accounts side as a person uses it: invitation, profile, organisation admin, login page."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Trajectory, User
from accounts.roles import Role
from tests.browser.helpers import (
    PASSWORD,
    PHONE,
    horizontal_overflow,
    log_in,
    log_in_with_totp,
    snapshot,
)
from tests.factories.accounts import (
    CoacheeFactory,
    CoachFactory,
    OrganisationFactory,
    TrajectoryFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _submit(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _link_path_from_mail():
    link = re.search(r"https?://\S+(/accounts/join/[^/\s]+/)", mail.outbox[-1].body)
    assert link, "no invitation link in the e-mail"
    return link.group(1)


def _h1(page):
    return page.locator("h1").inner_text()


def test_invited_coachee_sets_up_their_account_in_dutch_and_the_link_works_once(
    page, browser, live_server
):
    coach = CoachFactory(email="carla@example.com", first_name="Carla", language="en")
    log_in_with_totp(page, coach)
    with page.expect_navigation():
        page.get_by_role("link", name="Invitations").click()
    page.fill("input[name=email]", "anna@example.com")
    page.select_option("#id_language", "nl")
    with page.expect_navigation():
        page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".message.success").inner_text() == "The invitation has been sent."
    assert page.locator("table.stack td.email").inner_text() == "anna@example.com"
    path = _link_path_from_mail()

    invitee = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        join = invitee.new_page()
        join.set_viewport_size(PHONE)
        join.goto(path)
        assert horizontal_overflow(join) == 0
        snapshot(join, "invitation-accept-phone")
        join.fill("input[name=first_name]", "Anna")
        join.fill("input[name=last_name]", "de Wit")
        join.select_option("#id_language", "nl")
        join.fill("input[name=password1]", PASSWORD)
        join.fill("input[name=password2]", PASSWORD)
        _submit(join)
        assert _h1(join) == "Welkom, Anna"
        assert join.locator("html").get_attribute("lang") == "nl"
        assert join.get_by_role("button", name="Uitloggen").is_visible()
    finally:
        invitee.close()

    anna = User.objects.get(email="anna@example.com")
    assert (anna.role, anna.language, anna.last_name) == (Role.COACHEE, "nl", "de Wit")
    assert Trajectory.objects.filter(coachee=anna, coaches=coach).exists()

    again = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        reopened = again.new_page()
        response = reopened.goto(path)
        assert response.status == 410
        assert _h1(reopened) == "This invitation has already been used"
        assert reopened.locator("input[name=password1]").count() == 0
        assert reopened.get_by_role("link", name="Log in").is_visible()
    finally:
        again.close()


def test_coachee_corrects_their_name_and_switches_the_site_to_english(page):
    coachee = CoacheeFactory(
        email="noor@example.com", first_name="Noor", last_name="Visr", language="nl"
    )
    log_in(page, coachee)
    with page.expect_navigation():
        page.get_by_role("link", name="Profiel", exact=True).click()
    assert _h1(page) == "Je profiel"
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0

    page.fill("input[name=last_name]", "Visser")
    page.select_option("#id_language", "en")
    with page.expect_navigation():
        page.locator("form[enctype] button[type=submit]").click()

    assert _h1(page) == "Your profile"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".message.success").inner_text() == "Your profile has been saved."
    assert page.input_value("input[name=last_name]") == "Visser"
    coachee.refresh_from_db()
    assert (coachee.last_name, coachee.language) == ("Visser", "en")


def test_org_manager_sees_their_people_with_last_activity_and_corrects_a_name(page):
    organisation = OrganisationFactory(name="Praktijk Noord")
    manager = UserFactory(
        email="olga@example.com", role=Role.ORG_MANAGER, organisation=organisation
    )
    seen = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 30))
    coach = CoachFactory(
        organisation=organisation, first_name="Carla", last_name="Coach", last_activity_at=seen
    )
    coachee = CoacheeFactory(organisation=organisation, first_name="Eva", last_name="Jansen")
    TrajectoryFactory(coachee=coachee, coaches=[coach])
    CoacheeFactory(last_name="Elsewhere")  # another organisation: never listed

    log_in_with_totp(page, manager)
    page.goto("/organisation/")
    assert "Praktijk Noord" in page.locator("#organisation-counts").inner_text()
    assert "1 coach · 1 coachee · 1 in an active trajectory" in page.inner_text(
        "#organisation-counts"
    )

    with page.expect_navigation():
        page.locator("#content-main").get_by_role("link", name="Coaches", exact=True).click()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Coach" in rows.first.inner_text() and "4 March 2026" in rows.first.inner_text()

    page.goto("/organisation/")
    with page.expect_navigation():
        page.locator("#content-main").get_by_role("link", name="Coachees", exact=True).click()
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Elsewhere" not in page.inner_text("#result_list")
    with page.expect_navigation():
        rows.first.get_by_role("link", name="Jansen").click()
    page.fill("input[name=first_name]", "Eva-Marie")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    assert "Eva-Marie" in page.inner_text("#result_list")
    coachee.refresh_from_db()
    assert coachee.first_name == "Eva-Marie"

    response = page.goto("/admin/")
    assert response.status == 403


def test_login_page_switches_language_by_keyboard_and_explains_a_wrong_password(page):
    CoacheeFactory(email="eva@example.com")
    page.goto("/accounts/login/")
    assert _h1(page) == "Log in"
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "language-select":
            break
    assert page.evaluate("document.activeElement.id") == "language-select"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    page.keyboard.type("Nederlands")
    page.keyboard.press("Tab")
    _submit(page)
    assert _h1(page) == "Inloggen"
    assert page.locator("html").get_attribute("lang") == "nl"

    page.fill("input[name=login]", "eva@example.com")
    page.fill("input[name=password]", "not the password")
    _submit(page)
    alert = page.get_by_role("alert")
    assert "wachtwoord" in alert.inner_text() and "niet correct" in alert.inner_text()
    assert page.input_value("input[name=login]") == "eva@example.com"
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
