import pytest

from tests.factories.accounts import CoacheeFactory, CoachFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_coachee_logs_in_with_the_keyboard_and_sees_the_home_page(page):
    CoacheeFactory(email="eva@example.com", first_name="Eva", language="en")
    _log_in(page, "eva@example.com")
    assert page.locator("h1").inner_text() == "Welcome, Eva"


def test_coach_without_two_factor_is_taken_to_its_setup(page):
    CoachFactory(email="carla@example.com", first_name="Carla", language="en", mfa=False)
    _log_in(page, "carla@example.com")
    assert "/accounts/2fa/totp/activate" in page.url
