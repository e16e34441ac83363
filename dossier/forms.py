from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossier.models import MINUTES_PER_DAY, SessionKind
from pluform import dates

REPORT_MAX_LENGTH = 50_000


class ReportForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    minutes = forms.IntegerField(label=_("Duration in minutes"))
    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    report = forms.CharField(
        label=_("Report"),
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    agreements = forms.CharField(
        label=_("Agreements and next steps"),
        required=False,
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes <= 0:
            raise ValidationError(_("A session lasts at least one minute."))
        if minutes > MINUTES_PER_DAY:
            raise ValidationError(_("A session cannot last more than 24 hours."))
        return minutes

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > dates.today():
            raise ValidationError(_("A session report cannot be dated in the future."))
        return held_on

    def report_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("held_on", "minutes", "kind", "report", "agreements")}


class EndTrajectoryForm(forms.Form):
    ended_on = forms.DateField(
        label=_("Last day of the trajectory"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm = forms.BooleanField(
        label=_("I understand what follows from ending this trajectory"), required=True
    )


class CoacheeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
