"""Messages of Django that our catalogues translate again.

Django's Dutch catalogue lacks some of the admin's messages (the hidden table headers of
the app list) and speaks formally ("Uw wachtwoord", "U kunt") where Pluform says "je".
Our catalogues in LOCALE_PATHS take precedence over Django's, so they carry these msgids
with our own translation. Naming them here keeps them in the catalogues when makemessages
runs with --no-obsolete. Nothing imports this module at run time.
"""

# ruff: noqa: RUF001 (Django's own msgids use a typographic apostrophe)

from django.utils.translation import gettext_noop, ngettext_lazy

ADMIN = [
    # django/contrib/admin/templates/admin/app_list.html: untranslated in Django's nl.
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # Formal in Django's nl.
    gettext_noop("Are you sure?"),
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("Your password was changed."),
]

PASSWORDS = [
    # django/contrib/auth/password_validation.py and forms.py: formal in Django's nl.
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
]
