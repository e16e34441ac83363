"""The current TOTP code for the secret the test factories give professionals."""

from accounts.demo import current_totp_code
from tests.factories.accounts import TEST_TOTP_SECRET


def current_code(secret=TEST_TOTP_SECRET) -> str:
    return current_totp_code(secret)
