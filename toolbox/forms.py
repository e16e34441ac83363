from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from pluform.uploads import SafeFileField
from pluform.uploads.types import KINDS
from toolbox.models import TITLE_MAX_LENGTH, URL_MAX_LENGTH, Kind

TAG_MAX_LENGTH = 50
MAX_TAGS = 20
DESCRIPTION_MAX_LENGTH = 5000


def parse_tags(text: str) -> list[str]:
    """Tags as typed, separated by commas or new lines: trimmed, without repeats."""
    seen, tags = set(), []
    for raw in text.replace("\n", ",").split(","):
        tag = " ".join(raw.split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


class WebAddressField(forms.URLField):
    """An http(s) address only: never javascript:, data:, file: or anything a click runs."""

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {
        "invalid": _("Enter a web address that starts with https:// or http://."),
    }

    def __init__(self, **kwargs):
        super().__init__(max_length=URL_MAX_LENGTH, assume_scheme="https", **kwargs)

    def to_python(self, value):
        scheme = urlsplit(str(value or "").strip()).scheme.lower()
        if scheme and scheme not in ("http", "https"):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class RecipientsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.get_full_name()


class ItemDetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=MAX_TAGS * (TAG_MAX_LENGTH + 2),
        help_text=_("Separate tags with commas, for example: stress, sleep, exercise."),
    )
    published = forms.BooleanField(
        label=_("Put it in the organisation library"),
        required=False,
        help_text=_(
            "The other coaches of your organisation can find it and share it with their own "
            "coachees. They do not see with whom you shared it."
        ),
    )

    def __init__(self, *args, is_coach: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_coach:
            del self.fields["published"]

    def clean_tags(self):
        tags = parse_tags(self.cleaned_data["tags"])
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("Use at most %(max)d tags.") % {"max": MAX_TAGS})
        if any(len(tag) > TAG_MAX_LENGTH for tag in tags):
            raise ValidationError(
                _("A tag can be at most %(max)d characters long.") % {"max": TAG_MAX_LENGTH}
            )
        return tags


class ItemForm(ItemDetailsForm):
    """A new item: a file or a link, and whom to share it with at once."""

    file = SafeFileField(label=_("File"), kinds=KINDS, required=False)
    url = WebAddressField(
        label=_("Or a web address"),
        required=False,
        help_text=_("An article or a video on another website. It is shown as a link."),
    )
    recipients = RecipientsField(label=_("Share with"), queryset=None, required=False)

    field_order = ["file", "url", "title", "description", "tags", "published"]

    def __init__(self, *args, recipients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients
        self.fields["file"].help_text = upload_help()

    def clean(self):
        data = super().clean()
        upload, url = data.get("file"), data.get("url")
        if "file" in self.errors or "url" in self.errors:
            return data
        if upload and url:
            raise ValidationError(_("Add a file or a web address, not both."))
        if not upload and not url:
            raise ValidationError(_("Choose a file to upload or enter a web address."))
        if url and not data.get("title") and "title" not in self.errors:
            self.add_error("title", _("Give the link a title."))
        elif upload and not data.get("title"):
            data["title"] = self._title_from_file_name(upload)
        return data

    def _title_from_file_name(self, upload) -> str:
        """The name as the person wrote it, without folders and extension."""
        raw = self.files.get(self.add_prefix("file"))
        stem = PurePosixPath(str(getattr(raw, "name", "")).replace("\\", "/")).stem
        stem = " ".join("".join(ch for ch in stem if ch.isprintable()).split())
        return (stem or upload.original_name.rsplit(".", 1)[0])[:TITLE_MAX_LENGTH]


def upload_help() -> str:
    limits = settings.PLUFORM_UPLOAD_LIMITS
    return _(
        "Documents up to %(document)s, images up to %(image)s, audio up to %(audio)s and "
        "video up to %(video)s."
    ) % {kind: filesizeformat(limits[kind]) for kind in KINDS}


class ItemEditForm(ItemDetailsForm):
    url = WebAddressField(label=_("Web address"), required=False)

    field_order = ["url", "title", "description", "tags", "published"]

    def __init__(self, *args, is_link: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = True
        if is_link:
            self.fields["url"].required = True
        else:
            del self.fields["url"]


class ShareForm(forms.Form):
    recipients = RecipientsField(label=_("Share with"), queryset=None, required=False)
    group = forms.ChoiceField(label=_("Or everyone in a group dialogue"), required=False)

    def __init__(self, *args, recipients, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].queryset = recipients
        self.groups = dict(groups)
        if self.groups:
            self.fields["group"].choices = [("", "—"), *self.groups.items()]
        else:
            del self.fields["group"]

    def clean(self):
        data = super().clean()
        if not data.get("recipients") and not data.get("group") and not self.errors:
            raise ValidationError(_("Choose at least one person or group to share with."))
        return data


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Kind.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("new", _("Newest first")), ("old", _("Oldest first")), ("title", _("Title"))],
    )
