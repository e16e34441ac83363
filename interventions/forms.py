from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from interventions.content import StepContent
from interventions.models import CHOICE_KINDS, MAX_SCALE_POINTS, QuestionKind
from interventions.services import Plan
from pluform import dates
from pluform.forms import NoLabelSuffix
from pluform.uploads import SafeFileField

ANSWER_FILE_KINDS = ("image", "document", "audio")


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the coachee reads first: what this is for and how long it takes."),
    )
    shared = forms.BooleanField(
        label=_("Share with the coaches of my organisation"),
        required=False,
        help_text=_("They can read and copy it, not change it."),
    )


class StepForm(forms.Form):
    text = forms.CharField(
        label=_("Text for the coachee"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("An explanation, an exercise or a thought to start from."),
    )


class QuestionForm(forms.Form):
    id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    text = forms.CharField(
        label=_("Question"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For single and multiple choice: one option per line."),
    )
    scale_min = forms.IntegerField(label=_("Scale from"), required=False)
    scale_max = forms.IntegerField(label=_("Scale to"), required=False)
    min_label = forms.CharField(
        label=_("Label of the lowest point"), required=False, max_length=100
    )
    max_label = forms.CharField(
        label=_("Label of the highest point"), required=False, max_length=100
    )

    def has_changed(self):
        # The kind select always sends a value: an untouched extra question is not a question.
        return any(name != "kind" for name in self.changed_data)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == QuestionKind.SCALE:
            low, high = data.get("scale_min"), data.get("scale_max")
            if low is None or high is None:
                raise ValidationError(_("A scale needs a lowest and a highest point."))
            if low >= high:
                raise ValidationError(_("The lowest point of a scale must be below the highest."))
            if high - low + 1 > MAX_SCALE_POINTS:
                raise ValidationError(
                    _("A scale can have at most %(max)d points.") % {"max": MAX_SCALE_POINTS}
                )
        else:
            data["scale_min"] = data["scale_max"] = None
            data["min_label"] = data["max_label"] = ""
        if kind in CHOICE_KINDS:
            options = [line.strip() for line in data.get("options", "").splitlines()]
            options = [option for option in options if option]
            if len(options) < 2:
                raise ValidationError(_("A choice question needs at least two options."))
            if len(set(options)) < len(options):
                raise ValidationError(_("Each option can be listed only once."))
            data["options"] = "\n".join(options)
        else:
            data["options"] = ""
        return data


class BaseQuestionFormSet(forms.BaseFormSet):
    def questions(self) -> list[dict]:
        """The kept questions in their chosen order, as dicts for library.save_step."""
        kept = []
        for form in self.ordered_forms if self.can_order else self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("ORDER", "DELETE")}
            if not data.get("id"):
                data.pop("id", None)
            kept.append(data)
        return kept


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=30,
    validate_max=True,
)


def question_initial(step) -> list[dict]:
    return [{"id": question.pk, **question.content()} for question in step.questions.all()]


# Assigning


class Repeat:
    ONCE = "once"
    WEEKLY = "weekly"
    EVERY_N_DAYS = "days"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AssignForm(forms.Form):
    trajectories = forms.ModelMultipleChoiceField(
        label=_("Coachees"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one coachee.")},
    )
    message = forms.CharField(
        label=_("Personal message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. The coachee reads it above the intervention."),
    )
    starts_on = forms.DateField(
        label=_("Available from"), widget=DateInput(), help_text=_("Today, or a later date.")
    )
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[
            (Repeat.ONCE, _("Once")),
            (Repeat.WEEKLY, _("Every week")),
            (Repeat.EVERY_N_DAYS, _("Every number of days")),
        ],
        initial=Repeat.ONCE,
        widget=forms.RadioSelect,
    )
    every_days = forms.IntegerField(
        label=_("Number of days between two times"), required=False, min_value=1, max_value=180
    )
    until = forms.DateField(
        label=_("Repeat until"),
        required=False,
        widget=DateInput(),
        help_text=_("Required for a repeat; at most a year after the start."),
    )

    def __init__(self, *args, trajectories, **kwargs):
        kwargs.setdefault("initial", {"starts_on": dates.today(), "repeat": Repeat.ONCE})
        super().__init__(*args, **kwargs)
        self.fields["trajectories"].queryset = trajectories
        self.fields["trajectories"].label_from_instance = lambda t: t.coachee.get_full_name()

    def clean(self):
        data = super().clean()
        if "starts_on" not in data:
            return data
        repeat = data.get("repeat")
        every = {Repeat.WEEKLY: 7, Repeat.EVERY_N_DAYS: data.get("every_days")}.get(repeat)
        if repeat == Repeat.EVERY_N_DAYS and not every:
            self.add_error("every_days", _("Say after how many days it repeats."))
            return data
        plan = Plan(
            starts_on=data["starts_on"],
            due_on=data.get("due_on"),
            every_days=every,
            until=data.get("until") if every else None,
        )
        try:
            plan.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
        data["plan"] = plan
        return data


# Filling in


def _scale_help(question) -> str:
    if not (question.min_label or question.max_label):
        return ""
    return format_html(
        "{} = {}, {} = {}",
        question.scale_min,
        question.min_label,
        question.scale_max,
        question.max_label,
    )


def _field_for(question):
    common = {"label": question.text, "required": False}
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        return forms.CharField(max_length=500, **common)
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(max_length=20000, widget=forms.Textarea(attrs={"rows": 6}), **common)
    if kind == QuestionKind.SCALE:
        return forms.TypedChoiceField(
            choices=[(point, point) for point in question.scale_points],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            help_text=_scale_help(question),
            **common,
        )
    if kind == QuestionKind.SINGLE_CHOICE:
        return forms.ChoiceField(
            choices=[(option, option) for option in question.options],
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.MULTIPLE_CHOICE:
        return forms.MultipleChoiceField(
            choices=[(option, option) for option in question.options],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=DateInput(), **common)
    return SafeFileField(kinds=ANSWER_FILE_KINDS, **common)


class StepAnswerForm(forms.Form):
    """One field per question of a step, named after the question's key. Nothing is required
    here: a step can be saved half done; required questions are checked at submit."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self, *args, step: StepContent, stored: dict, files_by_id: dict, revision=0, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.step = step
        self.initial["revision"] = revision
        self.file_questions = {}
        for question in step.questions:
            name = f"q_{question.key}"
            value = stored.get(question.key)
            self.fields[name] = _field_for(question)
            if question.kind == QuestionKind.FILE:
                self.file_questions[name] = files_by_id.get(value) if value else None
                self.fields[f"remove_{question.key}"] = forms.BooleanField(
                    required=False, label=_("Remove the file"), widget=forms.CheckboxInput
                )
            elif value is not None:
                self.initial[name] = value

    def answer_fields(self):
        """(bound field, question, stored file, its "remove" field) per question, in order."""
        for question in self.step.questions:
            name = f"q_{question.key}"
            remove = self[f"remove_{question.key}"] if question.kind == QuestionKind.FILE else None
            yield self[name], question, self.file_questions.get(name), remove

    def values(self) -> dict:
        values = {}
        for question in self.step.questions:
            value = self.cleaned_data.get(f"q_{question.key}")
            if question.kind == QuestionKind.FILE:
                if self.cleaned_data.get(f"remove_{question.key}"):
                    values[question.key] = ""
                continue
            if question.kind == QuestionKind.DATE and value:
                value = value.isoformat()
            values[question.key] = value
        return values

    def uploads(self) -> dict:
        return {
            question.key: self.cleaned_data[f"q_{question.key}"]
            for question in self.step.questions
            if question.kind == QuestionKind.FILE and self.cleaned_data.get(f"q_{question.key}")
        }


# Review


class FeedbackForm(forms.Form):
    overall = forms.CharField(
        label=_("Overall feedback"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        for number, step in enumerate(steps, start=1):
            self.fields[f"step_{step.key}"] = forms.CharField(
                label=_("Feedback on step %(number)d") % {"number": number},
                required=False,
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.steps = steps

    def per_step(self) -> dict:
        return {step.key: self.cleaned_data.get(f"step_{step.key}", "") for step in self.steps}


class ReopenForm(forms.Form):
    note = forms.CharField(
        label=_("What should the coachee look at again?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReviewFilterForm(NoLabelSuffix, forms.Form):
    coachee = forms.ModelChoiceField(
        label=_("Coachee"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        empty_label=_("All coachees"),
    )

    def __init__(self, *args, coachees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coachee"].queryset = coachees
        self.fields["coachee"].label_from_instance = lambda user: user.get_full_name()
