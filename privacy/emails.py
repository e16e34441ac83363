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

from accounts.models import User, coaches_of
from accounts.roles import Role
from pluform import dates
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
    "retention_notice": _("Your data in Pluform will be erased in 30 days"),
    "retention_notice_coach": _("A coachee's data in Pluform will be erased in 30 days"),
    "erasure_receipt": _("Your data in Pluform has been erased"),
    "coachee_left": _("A coachee has left Pluform"),
    "erasure_receipt_admin": _("An erasure receipt was written"),
    "break_glass_requested": _("Break-glass access waits for your decision"),
    "break_glass_decided": _("Your break-glass request was decided"),
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
    "retention_notice": _(
        "Pluform keeps your data for two years after your coaching (or your licence) ended. "
        "That time ends in 30 days; then your account and all your data are erased. Until "
        "then you can log in and download a copy of what you provided."
    ),
    "retention_notice_coach": _(
        "The two years that Pluform keeps the data of one of your former coachees end in "
        "30 days; then their account and data are erased. They have been told and can "
        "download a copy until then."
    ),
    "erasure_receipt": _(
        "Your account and your personal data in Pluform were erased on %(date)s. Receipt "
        "number: %(receipt)s. SHA-256 of the receipt: %(sha256)s. Pluform's IT "
        "administrator keeps a copy of the receipt without your personal data."
    ),
    "coachee_left": _(
        "One of your coachees has erased their account in Pluform, with all their data. "
        "You do not need to do anything."
    ),
    "erasure_receipt_admin": _(
        "An erasure receipt was written (receipt number %(receipt)s). It holds no personal "
        "data; Pluform's admin pages show it."
    ),
    "break_glass_requested": _(
        "The ICT line manager asks for break-glass access to someone's data. An IT "
        "administrator other than the requester decides."
    ),
    "break_glass_decided": _("An IT administrator decided on your request for break-glass access."),
}


def _reminder_line(days: int) -> str:
    if days <= 0:
        return str(_("A data-subject request you hold is due today."))
    return ngettext(
        "A data-subject request you hold is due tomorrow.",
        "A data-subject request you hold is due in %(days)d days.",
        days,
    ) % {"days": days}


def send(
    kind: str, users, path: str, *, days: int | None = None, params=None, inactive_too=False
) -> None:
    """Tells each active user (``inactive_too``: also a deactivated one), in their language,
    after the transaction commits. ``params`` fill the line's placeholders: dates, numbers
    and codes, never content."""
    recipients = [user for user in users if user.is_active or inactive_too]
    if recipients:
        transaction.on_commit(lambda: _deliver(kind, recipients, path, days, params or {}))


def _deliver(kind, recipients, path, days, params):
    for user in recipients:
        with translation.override(user.language):
            if kind == "request_reminder":
                line = _reminder_line(days)
            else:
                values = {
                    key: value(user) if callable(value) else value for key, value in params.items()
                }
                line = str(LINES[kind]) % values if values else str(LINES[kind])
        context = {
            "name": user.first_name,
            "subject": SUBJECTS[kind],
            "line": line,
            "link": settings.SITE_URL + path,
        }
        notice_emails.send(user, "privacy/emails/notice", context)


def break_glass_path(grant) -> str:
    return reverse("privacy:break_glass_grant", args=[grant.uuid])


def request_path(data_request) -> str:
    return reverse("privacy:request", args=[data_request.uuid])


def send_retention_notice(subject) -> None:
    """Thirty days before the purge: the subject, with the offer to export, and their coaches."""
    # Also to a deactivated account: the person is told before their data goes.
    send("retention_notice", [subject], reverse("privacy:export"), inactive_too=True)
    if subject.role == Role.COACHEE:
        send("retention_notice_coach", coaches_of(subject), reverse("home"))


def send_erasure_receipt(erasure, subject) -> None:
    """To the erased person (their address, still in memory) and to every IT administrator."""
    params = {
        "date": lambda user: dates.date_text(erasure.started_at),
        "receipt": str(erasure.uuid),
        "sha256": erasure.manifest_sha256,
    }
    send(
        "erasure_receipt", [subject], reverse("privacy:statement"), params=params, inactive_too=True
    )
    admins = User.objects.filter(role=Role.IT_ADMIN, is_active=True)
    path = reverse("admin:privacy_erasure_change", args=[erasure.uuid])
    send("erasure_receipt_admin", admins, path, params={"receipt": str(erasure.uuid)})


def send_coachee_left(coaches) -> None:
    send("coachee_left", coaches, reverse("home"))
