"""allauth's two-factor code forms (settings.MFA_FORMS), saying so when a code was used already.

allauth accepts each authenticator code only once, but refuses a used one with the same
"Incorrect code." as a wrong one; people then retype the code they just used. These forms
tell them to wait for the next code instead.
"""

from allauth.mfa.adapter import get_adapter
from allauth.mfa.base import forms as allauth_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from allauth.mfa.utils import decrypt
from django import forms


class _UsedCodeMixin:
    def clean_code(self):
        try:
            return super().clean_code()
        except forms.ValidationError as error:
            code = self.cleaned_data.get("code")
            if error.code == "incorrect_code" and code and self._is_current_totp(code):
                # The code is right for now, so allauth refused it as one used before.
                raise get_adapter().validation_error("code_already_used") from None
            raise

    def _is_current_totp(self, code):
        totp = Authenticator.objects.filter(user=self.user, type=Authenticator.Type.TOTP).first()
        return totp is not None and validate_totp_code(decrypt(totp.data["secret"]), code)


class AuthenticateForm(_UsedCodeMixin, allauth_forms.AuthenticateForm):
    """The login's two-factor step."""


class ReauthenticateForm(_UsedCodeMixin, allauth_forms.ReauthenticateForm):
    """Confirming access by code (switched off by ACCOUNT_REAUTHENTICATION_METHODS today)."""
