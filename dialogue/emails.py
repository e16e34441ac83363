"""One function per e-mail. None of them carries content or another participant's name."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def _send(user, template: str, context: dict) -> None:
    with translation.override(user.language):
        subject = render_to_string(f"dialogue/email/{template}_subject.txt", context)
        text = render_to_string(f"dialogue/email/{template}.txt", context)
        html = render_to_string(f"dialogue/email/{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def send_new_messages(user, dialogue_id) -> None:
    url = settings.SITE_URL + reverse("dialogue:detail", args=[dialogue_id])
    _send(user, "new_messages", {"url": url})


def send_daily_digest(user, count: int) -> None:
    url = settings.SITE_URL + reverse("dialogue:inbox")
    _send(user, "daily_digest", {"url": url, "count": count})
