from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.support import MIN_QUERY_LENGTH
from accounts.support_actions import IdentityCheck


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("E-mail address or name"),
        max_length=100,
        min_length=MIN_QUERY_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Part of an e-mail address, a first name or a last name, in any organisation."),
    )


class TwoFactorResetForm(forms.Form):
    check = forms.ChoiceField(
        label=_("How did you check that the caller is the account holder?"),
        choices=IdentityCheck.choices,
        widget=forms.RadioSelect,
    )
    confirmed = forms.BooleanField(
        label=_("I checked the identity this way, and the account holder asked for the reset."),
        error_messages={"required": _("Confirm the identity check first.")},
    )
