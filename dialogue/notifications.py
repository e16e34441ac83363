"""E-mail about new messages. It never carries content or names, only a link.

An immediate notice goes out a few minutes after a message arrives, to a participant who
has not read it by then, at most once per dialogue per interval. A daily digest only counts
the dialogues with unread messages. Nobody hears about a dialogue with a participant whose
processing is restricted, and a restricted user gets no e-mail.
"""

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import NotificationChoice, User
from dialogue import emails
from dialogue.models import Message, Participant

logger = logging.getLogger(__name__)

EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
DIGEST_INTERVAL = datetime.timedelta(hours=20)


def _delay() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.PLUFORM_NOTIFY_DELAY_MINUTES)


def _may_email(user, preference: str) -> bool:
    return (
        user.is_active
        and not user.processing_restricted
        and user.message_notifications == preference
    )


def queue_for_message(message: Message, recipients) -> None:
    """After the transaction commits, schedules a check for each recipient that wants one."""
    from dialogue.tasks import notify_participant

    countdown = int(_delay().total_seconds())
    for participant in recipients:
        if _may_email(participant.user, NotificationChoice.IMMEDIATE):
            transaction.on_commit(
                functools.partial(
                    notify_participant.apply_async, args=[participant.pk], countdown=countdown
                )
            )


def _new_for(participant_ref_user, last_read, notified):
    """Messages by others after both the last read and the last notice."""
    return Message.objects.filter(
        withdrawn_at__isnull=True,
        removed_at__isnull=True,
        created_at__gt=Greatest(
            Coalesce(last_read, Value(EPOCH)), Coalesce(notified, Value(EPOCH))
        ),
    ).exclude(author=participant_ref_user)


def _without_restricted(participants):
    return participants.exclude(
        dialogue__participants__user__processing_restricted_at__isnull=False
    )


def _with_news(participants):
    news = _new_for(OuterRef("user"), OuterRef("last_read_at"), OuterRef("notified_at")).filter(
        dialogue=OuterRef("dialogue")
    )
    return _without_restricted(participants).filter(Exists(news))


def _claim(participant_ids, now, interval) -> int:
    """Marks the rows notified unless another worker did so within the interval."""
    return (
        Participant.objects.filter(pk__in=participant_ids)
        .filter(Q(notified_at__isnull=True) | Q(notified_at__lt=now - interval))
        .update(notified_at=now)
    )


def send_notification(participant_id: int) -> bool:
    participant = Participant.objects.select_related("user").filter(pk=participant_id).first()
    if participant is None or not _may_email(participant.user, NotificationChoice.IMMEDIATE):
        return False
    if not _with_news(Participant.objects.filter(pk=participant.pk)).exists():
        return False
    if not _claim([participant.pk], timezone.now(), _delay()):
        return False
    emails.send_new_messages(participant.user, participant.dialogue_id)
    logger.info("notified participant %s", participant.pk)
    return True


def daily_digest_recipients():
    return (
        User.objects.filter(
            message_notifications=NotificationChoice.DAILY,
            is_active=True,
            processing_restricted_at__isnull=True,
            dialogue_participations__isnull=False,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def send_daily_digest(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not _may_email(user, NotificationChoice.DAILY):
        return False
    ids = list(_with_news(Participant.objects.filter(user=user)).values_list("pk", flat=True))
    count = _claim(ids, timezone.now(), DIGEST_INTERVAL) if ids else 0
    if not count:
        return False
    emails.send_daily_digest(user, count)
    logger.info("daily digest sent to user %s for %d dialogues", user.pk, count)
    return True
