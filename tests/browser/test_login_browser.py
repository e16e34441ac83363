import pytest

from tests.factories.accounts import TEST_TOTP_SECRET, CoacheeFactory, CoachFactory
from tests.totp import current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def _submit(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    _submit(page)


def test_coachee_logs_in_with_the_keyboard_and_sees_the_home_page(page):
    CoacheeFactory(email="eva@example.com", first_name="Eva", language="en")
    _log_in(page, "eva@example.com")
    assert page.locator("h1").inner_text() == "Welcome, Eva"


def test_coach_without_two_factor_sets_it_up_before_anything_else(page):
    CoachFactory(email="carla@example.com", first_name="Carla", language="en", mfa=False)
    _log_in(page, "carla@example.com")

    page.goto("/dialogue/")
    assert "/accounts/reauthenticate/" in page.url
    page.fill("input[name=password]", PASSWORD)
    _submit(page)
    assert "/accounts/2fa/totp/activate/" in page.url

    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", current_code(secret))
    _submit(page)
    page.goto("/dialogue/")
    assert page.url.endswith("/dialogue/")


def test_coach_with_two_factor_logs_in_with_a_code(page):
    CoachFactory(email="carla@example.com", first_name="Carla", language="en")
    _log_in(page, "carla@example.com")
    page.fill("input[name=code]", current_code(TEST_TOTP_SECRET))
    _submit(page)
    assert page.locator("h1").inner_text() == "Welcome, Carla"
