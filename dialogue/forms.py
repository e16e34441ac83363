from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from dialogue.models import Dialogue
from dialogue.services import MAX_BODY_LENGTH
from pluform.forms import NoLabelSuffix
from pluform.uploads import SafeMultipleFileField

ATTACHMENT_KINDS = ("image", "document", "audio")
MAX_ATTACHMENTS = 5
TOO_LONG = _("A message can be at most 20,000 characters long.")


class PersonChoiceMixin:
    def label_from_instance(self, obj):
        role = _("coach") if obj.role == Role.COACH else _("coachee")
        return f"{obj.get_full_name()} ({role})"


class PersonChoiceField(PersonChoiceMixin, forms.ModelChoiceField):
    pass


class PeopleChoiceField(PersonChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_EMPTY_MESSAGE_FORM: dict[str, str] = {}


def message_form_html(form) -> str:
    """The compose form's fields as HTML. Empty, it is the same on every page view in a
    language, so it is rendered once per language and process."""
    if form.is_bound:
        return form.as_div()
    language = get_language()
    if language not in _EMPTY_MESSAGE_FORM:
        _EMPTY_MESSAGE_FORM[language] = form.as_div()
    return _EMPTY_MESSAGE_FORM[language]


class MessageForm(NoLabelSuffix, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MAX_BODY_LENGTH,
        error_messages={"max_length": TOO_LONG},
    )
    attachment = SafeMultipleFileField(
        label=_("Attach files"),
        kinds=ATTACHMENT_KINDS,
        max_files=MAX_ATTACHMENTS,
        required=False,
        help_text=_("Images, documents or sound recordings: at most five at once."),
    )

    def clean_body(self):
        return _normalise(self.cleaned_data["body"])

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("body") and not cleaned.get("attachment"):
            raise forms.ValidationError(_("Write a message or attach a file."), code="empty")
        return cleaned

    def uploads(self) -> list:
        return self.cleaned_data.get("attachment") or []


class EditMessageForm(NoLabelSuffix, forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_BODY_LENGTH,
        error_messages={"max_length": TOO_LONG, "required": _("Write a message.")},
    )

    def clean_body(self):
        return _normalise(self.cleaned_data["body"])


class InboxFilterForm(NoLabelSuffix, forms.Form):
    coachee = PersonChoiceField(
        label=_("Coachee"),
        queryset=None,
        required=False,
        to_field_name="uuid",
        empty_label=_("All coachees"),
    )

    def __init__(self, *args, coachees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coachee"].queryset = coachees


class GroupForm(NoLabelSuffix, forms.ModelForm):
    members = PeopleChoiceField(
        label=_("Participants"),
        queryset=None,
        to_field_name="uuid",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your own coachees and coaches of your organisation."),
    )

    class Meta:
        model = Dialogue
        fields = ["title"]
        widgets = {"title": forms.TextInput}

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        self.fields["members"].queryset = candidates


class AddParticipantForm(NoLabelSuffix, forms.Form):
    member = PersonChoiceField(label=_("Add a participant"), queryset=None, to_field_name="uuid")

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates
