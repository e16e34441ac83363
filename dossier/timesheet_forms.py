import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossier.models import MINUTES_PER_DAY, Activity, SuggestionRule
from dossier.timesheet import ENTRY_FIELDS
from pluform import dates

NOTE_MAX_LENGTH = 1000
MAX_YEARS = 5
MAX_RULE_MINUTES = 240
MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def too_long(start: datetime.date, end: datetime.date) -> bool:
    """Whether ``start``..``end`` (both included) is longer than MAX_YEARS years."""
    return end >= years_later(start, MAX_YEARS)


class CoacheeField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(forms.Form):
    """A time entry; ``coachees`` (a new entry's choice) is left out when editing."""

    coachee = CoacheeField(
        label=_("Coachee"),
        queryset=None,
        error_messages={
            "invalid_choice": _("Choose one of your coachees whose trajectory is running."),
            "required": _("Choose a coachee."),
        },
    )
    worked_on = forms.DateField(label=_("Date"), widget=_date_widget())
    minutes = forms.IntegerField(label=_("Minutes"), widget=forms.NumberInput(attrs={"min": 1}))
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        help_text=_("For yourself: never exported."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, coachees=None, **kwargs):
        super().__init__(*args, **kwargs)
        if coachees is None:
            del self.fields["coachee"]
        else:
            self.fields["coachee"].queryset = coachees

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if minutes < 1:
            raise ValidationError(_("Enter at least one minute."))
        if minutes > MINUTES_PER_DAY:
            raise ValidationError(_("An entry can be at most 24 hours (1440 minutes)."))
        return minutes

    def clean_worked_on(self):
        worked_on = self.cleaned_data["worked_on"]
        if worked_on > dates.today():
            raise ValidationError(_("Time cannot be recorded for a day in the future."))
        return worked_on

    def entry_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ENTRY_FIELDS}


class MonthField(forms.CharField):
    """A month as ``2026-11`` (what an ``<input type="month">`` sends): its first day."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = MONTH.match(value)
        try:
            return datetime.date(int(match[1]), int(match[2]), 1)
        except (TypeError, ValueError):
            raise ValidationError(
                _("Enter a month as year and month, for example 2026-01."), code="invalid"
            ) from None


def month_end(first: datetime.date) -> datetime.date:
    next_month = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


class PeriodForm(forms.Form):
    """The months the timesheet page shows, by default this month."""

    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if start and end and start > end:
            raise ValidationError(_("The first month is after the last month."))
        if start and end and too_long(start, month_end(end)):
            raise ValidationError(
                _("Choose a period of at most %(years)d years.") % {"years": MAX_YEARS}
            )
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """First and last day of the chosen months; this month when the form is not valid."""
        this_month = dates.today().replace(day=1)
        data = self.cleaned_data if self.is_valid() else {}
        start = data.get("start") or data.get("end") or this_month
        end = data.get("end") or start
        return start, month_end(end)


class Format:
    CSV = "csv"
    PDF = "pdf"


class ExportForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=_date_widget())
    end = forms.DateField(label=_("Last day"), widget=_date_widget())
    format = forms.ChoiceField(
        label=_("File"),
        choices=[
            (Format.PDF, _("PDF, to send to the organisation that pays")),
            (Format.CSV, _("CSV, for a spreadsheet")),
        ],
        initial=Format.PDF,
        widget=forms.RadioSelect,
    )
    include_names = forms.BooleanField(
        label=_("Include the names of my coachees"),
        required=False,
        help_text=_(
            "Without names, each coachee is shown as “Coachee 1”, “Coachee 2” and so on. "
            "Notes and session reports are never exported."
        ),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            return data
        if start > end:
            raise ValidationError(_("The first day is after the last day."))
        if too_long(start, end):
            raise ValidationError(
                _("An export covers at most %(years)d years: choose a shorter period.")
                % {"years": MAX_YEARS}
            )
        return data


class AcceptForm(forms.Form):
    """A suggestion as the coach accepts it: minutes, activity and billable may be changed."""

    source = forms.CharField(max_length=80, widget=forms.HiddenInput)
    week = forms.CharField(max_length=10, widget=forms.HiddenInput)
    minutes = forms.IntegerField(label=_("Minutes"), widget=forms.NumberInput(attrs={"min": 1}))
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    billable = forms.BooleanField(label=_("Billable"), required=False, initial=True)

    clean_minutes = EntryForm.clean_minutes


class DismissForm(forms.Form):
    source = forms.CharField(max_length=80)
    week = forms.CharField(max_length=10)


class RuleForm(forms.ModelForm):
    minutes_per_message = forms.IntegerField(
        label=_("Minutes per message written"), min_value=1, max_value=MAX_RULE_MINUTES
    )
    minutes_per_review = forms.IntegerField(
        label=_("Minutes per intervention reviewed"), min_value=1, max_value=MAX_RULE_MINUTES
    )

    class Meta:
        model = SuggestionRule
        fields = ["minutes_per_message", "minutes_per_review"]
