from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pluform.crypto import aead

# TOTP secrets and recovery-code seeds are sealed with a data key of their own scope.
_MFA_SCOPE = "mfa"
_MFA_AAD = aead.associated_data("mfa_authenticator", "data", "secret")
_SEALED_PREFIX = "pluform:v1:"


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: people join Pluform through an invitation only."""

    def is_open_for_signup(self, request):
        return False

    def send_password_reset_mail(self, user, email, context):
        from accounts.services import may_reset_password

        # The page answers the same either way (no enumeration); only the mail is withheld.
        if may_reset_password(user):
            super().send_password_reset_mail(user, email, context)

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            from accounts.monitoring import Outcome, record_attempt

            record_attempt(request, outcome=Outcome.RATE_LIMITED, email=credentials.get("email"))
            raise


class MFAAdapter(DefaultMFAAdapter):
    """Encrypts MFA secrets at rest; professionals cannot switch their authenticator app off."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        # Raised by accounts.mfa_forms when allauth refuses a code that was used already.
        "code_already_used": _(
            "This code has already been used. Each code works once: wait for the next code "
            "in your app."
        ),
    }

    def encrypt(self, text: str) -> str:
        return _SEALED_PREFIX + aead.seal_text(_MFA_SCOPE, text, _MFA_AAD)

    def decrypt(self, encrypted_text: str) -> str:
        if encrypted_text.startswith(_SEALED_PREFIX):
            return aead.open_text(encrypted_text.removeprefix(_SEALED_PREFIX), _MFA_AAD)
        # Written before encryption was switched on (or by a test factory): plain base32.
        return encrypted_text

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and authenticator.user.requires_mfa:
            return False
        return super().can_delete_authenticator(authenticator)
