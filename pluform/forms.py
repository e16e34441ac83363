"""What every app's forms share."""

from django.core.exceptions import ValidationError


def add_errors(form, error: ValidationError) -> None:
    """Show a ValidationError from a service on ``form``: at its field where it names one
    the form has, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class NoLabelSuffix:
    """Labels as every Pluform page shows them: without Django's trailing colon (for forms
    rendered by Django, such as ``as_div`` and ``label_tag``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
