from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pluform.uploads.types import accept_attribute
from pluform.uploads.validation import validate_upload


class SafeFileField(forms.FileField):
    """A file field whose ``clean()`` returns a checked ``CleanUpload``."""

    def __init__(self, *, kinds=("image", "document"), **kwargs):
        self.kinds = tuple(kinds)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", accept_attribute(self.kinds))

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if not value or value is initial:
            return value
        return validate_upload(value, self.kinds)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class SafeMultipleFileField(SafeFileField):
    """Several checked files at once; ``clean()`` returns a list of ``CleanUpload``."""

    default_error_messages = {
        "too_many": _("Attach at most %(max)d files at once."),
    }

    def __init__(self, *, max_files=5, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not files:
            return super().clean(None, initial) or []
        if len(files) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_files}
            )
        cleaned, errors = [], []
        for item in files:
            try:
                cleaned.append(super().clean(item, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned
