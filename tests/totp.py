"""The current TOTP code for the secret the test factories give professionals."""

import time

from allauth.mfa import app_settings

from accounts.demo import current_totp_code
from tests.factories.accounts import TEST_TOTP_SECRET


def current_code(secret=TEST_TOTP_SECRET) -> str:
    """The current period's code, never one that expires before the test can submit it."""
    seconds_into_period = time.time() % app_settings.TOTP_PERIOD
    if seconds_into_period > app_settings.TOTP_PERIOD - 3:
        time.sleep(app_settings.TOTP_PERIOD - seconds_into_period + 0.1)
    return current_totp_code(secret)
