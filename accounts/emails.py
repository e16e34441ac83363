"""One function per e-mail. E-mails carry links and names of people, never content."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _send(template, to, language, context):
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"accounts/emails/{template}_subject.txt", context)
        subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
        text = render_to_string(f"accounts/emails/{template}.txt", context)
        html = render_to_string(f"accounts/emails/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_invitation(invitation, token):
    link = settings.SITE_URL + reverse("accounts:accept_invitation", args=[token])
    _send(
        "invitation",
        invitation.email,
        invitation.language,
        {
            "link": link,
            "organisation": invitation.organisation.name,
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "role": invitation.role,
            "days": settings.PLUFORM_INVITATION_DAYS,
        },
    )


def send_email_changed(user, old_email):
    """Warns the previous address, so a hijacked account does not change hands silently."""
    _send("email_changed", old_email, user.language, {"name": user.first_name})


def send_two_factor_reset(user):
    """Customer service reset the two-factor authentication after an identity check."""
    _send("two_factor_reset", user.email, user.language, {"name": user.first_name})
