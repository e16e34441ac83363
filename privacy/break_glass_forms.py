from django import forms
from django.utils.translation import gettext_lazy as _

from privacy import break_glass
from privacy.break_glass_models import MAX_MINUTES


class BreakGlassRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the coach or coachee"))
    reason = forms.CharField(
        label=_("Which IT process you need to check, and why"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    minutes = forms.IntegerField(
        label=_("For how long (minutes)"),
        min_value=1,
        max_value=MAX_MINUTES,
        initial=60,
        help_text=_("At most four hours (240 minutes), counted from the approval."),
    )

    def clean_email(self):
        subject = break_glass.subjects().filter(email__iexact=self.cleaned_data["email"]).first()
        if subject is None:
            raise forms.ValidationError(_("No active coach or coachee has this e-mail address."))
        self.subject = subject
        return self.cleaned_data["email"]
