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
