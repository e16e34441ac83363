from django import forms

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
