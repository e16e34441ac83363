"""The e-mails themselves: a link, never content or another person's name."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pluform.notices.registry import NoticeKind


def send(user, template: str, context: dict) -> None:
    """Renders <template>_subject.txt, .txt and .html in the user's language and sends them."""
    with translation.override(user.language):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, to=[user.email])
    message.attach_alternative(html, "text/html")
    message.send()


def send_notice(user, kind: NoticeKind, object_id) -> None:
    send(user, kind.template, {"url": settings.SITE_URL + kind.url(object_id)})


def send_daily_digest(user, counts: list[tuple[NoticeKind, int]]) -> None:
    """One line per kind: how many objects have news."""
    with translation.override(user.language):
        lines = [str(kind.digest_line(count)) for kind, count in counts]
    url = settings.SITE_URL + reverse("home")
    send(user, "notices/email/daily_digest", {"lines": lines, "url": url})
