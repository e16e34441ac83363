"""Admin widgets with the accessibility that Django's own lack."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect


class LabelledAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete, named after its field's label for assistive technology."""

    @property
    def media(self):
        # Naming autocomplete.js too keeps ours after it when Django merges the lists.
        ours = forms.Media(js=["admin/js/autocomplete.js", "js/admin-autocomplete-labels.js"])
        return super().media + ours


class LabelledAutocompleteMixin:
    """For a ModelAdmin: its ``autocomplete_fields`` use ``LabelledAutocompleteSelect``."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
