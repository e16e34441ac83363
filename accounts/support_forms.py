from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.support import MIN_QUERY_LENGTH


class UserSearchForm(forms.Form):
    q = forms.CharField(
        label=_("E-mail address or name"),
        max_length=100,
        min_length=MIN_QUERY_LENGTH,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Part of an e-mail address, a first name or a last name, in any organisation."),
    )
