"""The toolbox's e-mail notice, told through the one shared mechanism: one per person who
shared something, however many items they shared at once."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import ngettext_lazy

from accounts.models import not_restricted
from pluform.notices import registry
from pluform.notices.registry import NoticeKind
from toolbox.models import Share, Visit

SHARED = "toolbox.shared"


def _received_url(sharer_id):
    return reverse("toolbox:index") + "?" + urlencode({"section": "received"})


def _is_news(user, sharer_id, since) -> bool:
    """Something this sharer shared is still shared, the sharer's data may be processed, and
    the user has not looked since."""
    shares = Share.objects.filter(user=user, shared_by_id=sharer_id)
    if not shares.filter(not_restricted("shared_by")).exists():
        return False
    return not Visit.objects.filter(user=user).filter(Q(seen_at__gte=since)).exists()


_LINE = ngettext_lazy(
    "%(count)d person has shared something with you in the toolbox.",
    "%(count)d people have shared something with you in the toolbox.",
    "count",
)


def register() -> None:
    registry.register(
        NoticeKind(
            name=SHARED,
            template="toolbox/email/shared",
            url=_received_url,
            digest_line=lambda count: _LINE % {"count": count},
            is_news=_is_news,
            interval=datetime.timedelta(minutes=settings.PLUFORM_NOTIFY_DELAY_MINUTES),
        )
    )
