from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.request_models import Decision, Kind, Status

TEXT_MAX_LENGTH = 5_000


def _text(label, *, required=False, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class FileRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=Kind.choices)
    ground = forms.ChoiceField(
        label=_("Ground for the restriction"),
        required=False,
        help_text=_("Only for a restriction of processing."),
    )
    coach = forms.ModelChoiceField(
        label=_("Coach who receives the request"), queryset=None, required=False
    )
    motivation = _text(
        _("Motivation"),
        rows=6,
        help_text=_(
            "What should happen and why. Needed for rectification, restriction and objection."
        ),
    )

    def __init__(self, *args, grounds, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = [("", "---------"), *grounds]
        if coaches is None:
            del self.fields["coach"]
        else:
            self.fields["coach"].queryset = coaches


class StepForm(forms.Form):
    """A step on one request: fields that do not apply to its kind are left out."""

    def __init__(self, *args, data_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_request = data_request


class QuestionForm(StepForm):
    question = _text(_("Your question to the coachee"), required=True)


class AnswerForm(StepForm):
    answer = _text(_("Your answer"), required=True)


class ForwardForm(StepForm):
    advice = _text(
        _("Your advice (optional)"),
        help_text=_("The coachee, Pluform's account manager and IT administrator read it."),
    )
    inspect_together = forms.BooleanField(
        label=_("Advise to look at the copy together with me"),
        required=False,
        help_text=_(
            "Only for access: when seeing the data directly could harm the coachee's health "
            "or lead to a wrong reading of it (regulation 1.2.6.1)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data_request.kind != Kind.ACCESS:
            del self.fields["inspect_together"]


class PassOnForm(StepForm):
    note = _text(
        _("Note for the IT administrator (optional)"),
        help_text=_("The subject and the coach can read it in the request's history."),
    )


class ExtendForm(StepForm):
    until = forms.DateField(
        label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = _text(_("Reason, as the subject will read it"), required=True)


class ExecuteForm(StepForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("", "---------"), *Decision.choices], required=False
    )
    note = _text(
        _("Note"),
        help_text=_(
            "For a rectification: what was corrected. For an objection: the reasons for the "
            "decision, as coach and subject will read them."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.data_request.kind != Kind.OBJECTION:
            del self.fields["decision"]


class LiftForm(StepForm):
    reason = _text(_("Why the restriction ends, as the subject will read it"), required=True)


class QueueFilterForm(forms.Form):
    """Filters on the request's own columns only."""

    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All open")), *Status.choices], required=False
    )
    due_before = forms.DateField(
        label=_("Due before"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)


class ConsentAskForm(forms.Form):
    coach = forms.ModelChoiceField(label=_("Colleague"), queryset=None)
    apps = forms.MultipleChoiceField(
        label=_("What the colleague may see"),
        choices=[
            ("dialogue", _("Dialogue")),
            ("interventions", _("Interventions")),
            ("toolbox", _("Toolbox")),
            ("dossier", _("Client dossier")),
        ],
        widget=forms.CheckboxSelectMultiple,
        initial=["dialogue", "interventions", "toolbox", "dossier"],
    )
    include_history = forms.BooleanField(
        label=_("Including everything from before the consent"), required=False
    )

    def __init__(self, *args, coaches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
