"""The dialogue's notice: new messages. The e-mail says only that there is one, with a link."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import ngettext

from dialogue.models import Message, Participant
from pluform.notices import registry

NEW_MESSAGES = "dialogue.new_messages"
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def _url(dialogue_id) -> str:
    return reverse("dialogue:detail", args=[dialogue_id])


def _digest_line(count: int) -> str:
    return ngettext(
        "You have unread messages in %(count)d dialogue.",
        "You have unread messages in %(count)d dialogues.",
        count,
    ) % {"count": count}


def _is_news(user, dialogue_id, since) -> bool:
    """The user is a participant with messages by others that arrived after both their last
    read and the notice (post_message announces before it stores the message), and nobody in
    the dialogue is restricted."""
    unread = (
        Message.objects.filter(
            dialogue=OuterRef("dialogue"),
            withdrawn_at__isnull=True,
            removed_at__isnull=True,
            created_at__gt=Coalesce(OuterRef("last_read_at"), Value(EPOCH)),
        )
        .filter(created_at__gte=since)
        .exclude(author=user)
    )
    restricted = Participant.objects.filter(
        dialogue=OuterRef("dialogue"), user__processing_restricted_at__isnull=False
    )
    return (
        Participant.objects.filter(dialogue_id=dialogue_id, user=user)
        .filter(Exists(unread))
        .exclude(Exists(restricted))
        .exists()
    )


def register() -> None:
    registry.register(
        registry.NoticeKind(
            name=NEW_MESSAGES,
            template="dialogue/email/new_messages",
            url=_url,
            digest_line=_digest_line,
            is_news=_is_news,
            interval=datetime.timedelta(minutes=settings.PLUFORM_NOTIFY_DELAY_MINUTES),
        )
    )
