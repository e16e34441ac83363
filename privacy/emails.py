"""E-mails of the privacy workflows: what the law asks us to tell, with a link, never content.

They go even to a restricted subject and to someone who turned notices off: being told of a
request's progress, a consent question or a restriction being lifted is the subject's right,
not a notification preference.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from pluform.notices import emails as notice_emails

SUBJECTS = {
    "request_waiting": _("A privacy request waits for you"),
    "request_news": _("News about a privacy request"),
    "request_reminder": _("A privacy request is nearly due"),
    "consent_asked": _("Your consent is asked"),
    "lift_announced": _("A restriction will be lifted"),
    "objection_decided": _("A decision on an objection"),
    "coachee_data_changed": _("A coachee's data was corrected, erased or restricted"),
    "archive_ready": _("A copy of personal data is ready"),
}

LINES = {
    "request_waiting": _("A data-subject request waits for your next step in Pluform."),
    "request_news": _("A data-subject request you filed or handle has taken a new step."),
    "consent_asked": _(
        "You are asked whether another coach may see your data in Pluform. "
        "Nothing is shared until you say yes."
    ),
    "lift_announced": _(
        "The restriction of the processing of your data in Pluform is about to be lifted. "
        "Open Pluform to see when and why."
    ),
    "objection_decided": _("A decision was taken on an objection against processing in Pluform."),
    "coachee_data_changed": _(
        "Following a data-subject request, data of one of your coachees was corrected, erased "
        "or restricted. Pluform shows what this means for your work."
    ),
    "archive_ready": _(
        "A copy of personal data is ready for you in Pluform. The link works for 7 days and "
        "only after you log in."
    ),
}


def _reminder_line(days: int) -> str:
    if days <= 0:
        return str(_("A data-subject request you hold is due today."))
    return ngettext(
        "A data-subject request you hold is due tomorrow.",
        "A data-subject request you hold is due in %(days)d days.",
        days,
    ) % {"days": days}


def send(kind: str, users, path: str, *, days: int | None = None) -> None:
    """Tells each active user, in their language, after the transaction commits."""
    recipients = [user for user in users if user.is_active]
    if recipients:
        transaction.on_commit(lambda: _deliver(kind, recipients, path, days))


def _deliver(kind, recipients, path, days):
    for user in recipients:
        with translation.override(user.language):
            line = _reminder_line(days) if kind == "request_reminder" else str(LINES[kind])
        context = {
            "name": user.first_name,
            "subject": SUBJECTS[kind],
            "line": line,
            "link": settings.SITE_URL + path,
        }
        notice_emails.send(user, "privacy/emails/notice", context)


def request_path(data_request) -> str:
    return reverse("privacy:request", args=[data_request.uuid])
