"""Support as Pluform staff use it: log in with two factors, find a coachee, read their logins."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import LoginAttempt
from accounts.roles import Role
from tests.browser.helpers import DESKTOP, PHONE, horizontal_overflow, log_in_with_totp, snapshot
from tests.factories.accounts import (
    CoacheeFactory,
    CoachFactory,
    OrganisationFactory,
    StaffFactory,
    TrajectoryFactory,
)
from tests.factories.login_attempts import LoginAttemptFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Outcome = LoginAttempt.Outcome
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _world():
    organisation = OrganisationFactory(name="Praktijk De Linde")
    coach = CoachFactory(organisation=organisation, first_name="Carla", last_name="Bakker")
    coachee = CoacheeFactory(
        organisation=organisation,
        first_name="Eva",
        last_name="Jansen",
        email="eva.jansen@example.com",
        phone="+31 6 1234 5678",
        birth_date=datetime.date(1990, 3, 14),
        gender="female",
        last_activity_at=timezone.now() - datetime.timedelta(hours=3),
    )
    TrajectoryFactory(coachee=coachee, coaches=[coach])
    now = timezone.now()
    LoginAttemptFactory(
        user=coachee,
        outcome=Outcome.LOGGED_IN,
        at=now - datetime.timedelta(hours=3),
        ip_network="198.51.100.0/24",
        user_agent=IPHONE,
    )
    for minutes in (10, 11, 12):
        LoginAttemptFactory(
            user=coachee,
            at=now - datetime.timedelta(hours=5, minutes=minutes),
            ip_network="198.51.100.0/24",
            user_agent=IPHONE,
        )
    LoginAttemptFactory(
        email=coachee.email,
        outcome=Outcome.RATE_LIMITED,
        ip_network="192.0.2.0/24",
        user_agent=FIREFOX,
        at=now - datetime.timedelta(hours=1),
    )
    for number in range(6):
        LoginAttemptFactory(
            email=f"guess{number}@example.com",
            ip_network="192.0.2.0/24",
            user_agent=FIREFOX,
            at=now - datetime.timedelta(minutes=30 + number),
        )
    LoginAttemptFactory(
        email="someone@example.com",
        ip_network="2001:db8:abcd::/48",
        at=now - datetime.timedelta(hours=2),
    )
    return coachee


def test_customer_service_finds_a_coachee_and_reads_their_login_attempts(page):
    coachee = _world()
    agent = StaffFactory(role=Role.CUSTOMER_SERVICE, first_name="Sam", language="en")
    page.set_viewport_size(DESKTOP)
    log_in_with_totp(page, agent)
    snapshot(page, "support-home-desktop-en")
    with page.expect_navigation():
        page.get_by_role("link", name="Support").click()
    assert page.locator("h1").inner_text() == "Find a user"
    page.fill("input[name=q]", "eva.jansen@example")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#results-heading").inner_text() == "1 user found"
    snapshot(page, "support-search-desktop-en")
    with page.expect_navigation():
        page.get_by_role("link", name="Eva Jansen").click()
    assert page.locator("h1").inner_text() == "Eva Jansen"
    assert page.get_by_text("+31 6 1234 5678").is_visible()
    rows = page.locator("table.support-attempts tbody tr")
    assert rows.count() == 5
    assert "Refused: too many attempts" in rows.nth(0).inner_text()
    assert "192.0.2.0/24" in rows.nth(0).inner_text()
    assert "Firefox · Windows" in rows.nth(0).inner_text()
    assert "Logged in" in rows.nth(1).inner_text()
    assert "Safari · iOS" in rows.nth(1).inner_text()
    assert horizontal_overflow(page) == 0
    snapshot(page, "support-user-desktop-en")

    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    snapshot(page, "support-user-phone-en")
    with page.expect_navigation():
        page.get_by_role("link", name="Support").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Login monitoring").click()
    assert horizontal_overflow(page) == 0
    snapshot(page, "support-monitoring-phone-en")
    page.set_viewport_size(DESKTOP)
    snapshot(page, "support-monitoring-desktop-en")
    locked = page.locator("table.support-locked tbody tr")
    assert locked.count() == 1 and "Eva Jansen" in locked.inner_text()
    assert (
        page.locator("table.support-networks tbody tr")
        .first.inner_text()
        .startswith("192.0.2.0/24")
    )
    assert f"/support/users/{coachee.uuid}/" in locked.locator("a").get_attribute("href")


def test_dutch_account_manager_finds_a_user_but_sees_no_activity_log(page):
    _world()
    manager = StaffFactory(role=Role.ACCOUNT_MANAGER, first_name="Anouk", language="nl")
    page.set_viewport_size(PHONE)
    log_in_with_totp(page, manager)
    with page.expect_navigation():
        page.locator("nav .nav a[href='/support/']").click()
    page.fill("input[name=q]", "Eva")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert horizontal_overflow(page) == 0
    snapshot(page, "support-search-phone-nl")
    with page.expect_navigation():
        page.get_by_role("link", name="Eva Jansen").click()
    assert page.locator("table.support-attempts").count() == 0
    assert "maart 1990" in page.locator("main").inner_text()
    assert horizontal_overflow(page) == 0
    snapshot(page, "support-user-phone-nl")
    page.set_viewport_size(DESKTOP)
    snapshot(page, "support-user-desktop-nl")


def test_dutch_ict_line_manager_reads_the_monitoring_overview(page):
    _world()
    manager = StaffFactory(role=Role.ICT_LINE_MANAGER, first_name="Joost", language="nl")
    page.set_viewport_size(DESKTOP)
    log_in_with_totp(page, manager)
    page.goto("/support/monitoring/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("table.support-locked tbody tr").count() == 1
    snapshot(page, "support-monitoring-desktop-nl")
    page.set_viewport_size(PHONE)
    assert horizontal_overflow(page) == 0
    snapshot(page, "support-monitoring-phone-nl")
