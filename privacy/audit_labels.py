"""Audit codes in words: roles, subject kinds and object types are stored as codes (they are
hashed into the chain); the admin and the data subject's access log show them in words."""

from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

SYSTEM = "system"


def role_label(code: str) -> str | None:
    """``it_admin`` → "IT administrator"; the system itself and unknown codes stay readable."""
    if not code:
        return None
    if code == SYSTEM:
        return _("System")
    if code in Role.values:
        return Role(code).label
    return code


def subject_kind_label(kind: str) -> str | None:
    """``user:coachee`` → "Coachee"; a subject without a role is a "User"."""
    if not kind:
        return None
    category, _colon, role = kind.partition(":")
    if category == "user" and role:
        return role_label(role)
    if category == "user":
        return capfirst(_("user"))
    return kind


def object_type_label(label: str) -> str | None:
    """``dialogue.dialogue`` → the model's verbose name, in the reader's language."""
    if not label:
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return capfirst(model._meta.verbose_name)
