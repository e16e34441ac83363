"""Who is told about what, and when. The content apps only say what happened (announce).

A user who wants to hear soon gets one e-mail a few minutes after something happens (so that
reading it in the meantime cancels the e-mail), at most one per object per interval of its
kind, and only while it is still news. A user who wants a daily digest gets one e-mail a day
that counts the objects with news. Nobody inactive, restricted or who said "never" is told.
"""

import datetime
import functools
import logging
import math

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import NotificationChoice, User
from pluform.notices import emails, registry
from pluform.notices.models import Notice

logger = logging.getLogger(__name__)

PENDING = Q(sent_at__isnull=True, dropped_at__isnull=True)
NO_TIME = datetime.timedelta(0)


def may_be_told(user) -> bool:
    return bool(
        user.is_active
        and not user.processing_restricted
        and user.message_notifications != NotificationChoice.OFF
    )


def _wants_it_soon(user) -> bool:
    return user.message_notifications == NotificationChoice.IMMEDIATE


def _delay(kind: registry.NoticeKind) -> datetime.timedelta:
    if not kind.delay:
        return NO_TIME
    return datetime.timedelta(minutes=settings.PLUFORM_NOTIFY_DELAY_MINUTES)


def _sent_too_recently(kind: registry.NoticeKind, now) -> Q:
    """A notice that was sent within the kind's interval; any sent notice if it has none."""
    if kind.interval is None:
        return Q(sent_at__isnull=False)
    return Q(sent_at__gt=now - kind.interval)


def _schedule(notice_id, wait: datetime.timedelta) -> None:
    from pluform.notices import tasks

    transaction.on_commit(
        functools.partial(
            tasks.deliver.apply_async,
            args=[str(notice_id)],
            countdown=math.ceil(wait.total_seconds()),
        )
    )


def announce(users, kind_name: str, object_id) -> None:
    """Something of this kind happened to the object: tell each of these users, in time.

    No new notice while one for the same user, kind and object is pending, nor (for a kind
    without an interval) once one was sent. Within the interval after a sent notice a new one
    is stored, but its delivery waits until the interval is over. Deliveries are scheduled
    after the transaction commits, for users who want to hear soon.
    """
    kind = registry.get(kind_name)
    told = {user.pk: user for user in users if may_be_told(user)}
    if not told:
        return
    now = timezone.now()
    delay = _delay(kind)
    existing = (
        Notice.objects.filter(user_id__in=told, kind=kind.name, object_id=object_id)
        .filter(PENDING | _sent_too_recently(kind, now))
        .values_list("pk", "user_id", "created_at", "sent_at")
    )
    pending, last_sent = {}, {}
    for pk, user_id, created_at, sent_at in existing:
        if sent_at is None:
            pending.setdefault(user_id, []).append((pk, created_at))
        else:
            last_sent[user_id] = max(sent_at, last_sent.get(user_id, sent_at))

    # A pending notice that should have gone out by now was raised while the user wanted a
    # daily digest, or its delivery was lost: it is delivered with this news.
    overdue = now - delay - (kind.interval or NO_TIME)
    new, deliveries = [], []
    for user_id, user in told.items():
        if user_id in pending:
            if _wants_it_soon(user):
                deliveries += [(pk, delay) for pk, since in pending[user_id] if since < overdue]
            continue
        if user_id in last_sent and kind.interval is None:
            continue
        notice = Notice(user=user, kind=kind.name, object_id=object_id, created_at=now)
        new.append(notice)
        if _wants_it_soon(user):
            wait = delay
            if user_id in last_sent:
                wait = max(wait, last_sent[user_id] + kind.interval - now)
            deliveries.append((notice.pk, wait))
    if new:
        Notice.objects.bulk_create(new)
    for notice_id, wait in deliveries:
        _schedule(notice_id, wait)


def _drop(notice: Notice) -> bool:
    Notice.objects.filter(PENDING, pk=notice.pk).update(dropped_at=timezone.now())
    logger.info("notice %s dropped", notice.pk)
    return False


def deliver(notice_id) -> bool:
    """Sends a pending notice if it is still news; returns whether this call sent it."""
    notice = Notice.objects.select_related("user").filter(PENDING, pk=notice_id).first()
    if notice is None:
        return False
    user = notice.user
    if not may_be_told(user):
        return _drop(notice)
    if not _wants_it_soon(user):
        return False  # the user now wants a daily digest, which will take it
    try:
        kind = registry.get(notice.kind)
    except LookupError:
        return _drop(notice)
    now = timezone.now()
    others = Notice.objects.filter(user=user, kind=kind.name, object_id=notice.object_id)
    if others.exclude(pk=notice.pk).filter(_sent_too_recently(kind, now)).exists():
        if kind.interval is None:
            return _drop(notice)
        return False  # too early: the next announcement delivers it
    if kind.is_news is not None and not kind.is_news(user, notice.object_id, notice.created_at):
        return _drop(notice)
    if not Notice.objects.filter(PENDING, pk=notice.pk).update(sent_at=now):
        return False  # another worker was first
    emails.send_notice(user, kind, notice.object_id)
    logger.info("notice %s sent", notice.pk)
    return True


def daily_digest_recipients() -> list:
    return list(
        User.objects.filter(
            message_notifications=NotificationChoice.DAILY,
            is_active=True,
            processing_restricted_at__isnull=True,
            notices__sent_at__isnull=True,
            notices__dropped_at__isnull=True,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def send_daily_digest(user_id) -> bool:
    """One e-mail that counts, per kind, the objects with news; none if nothing is news."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not may_be_told(user):
        return False
    if user.message_notifications != NotificationChoice.DAILY:
        return False
    now = timezone.now()
    with transaction.atomic():
        notices = list(
            Notice.objects.select_for_update().filter(PENDING, user=user).order_by("created_at")
        )
        since = {}
        for notice in notices:
            since.setdefault((notice.kind, notice.object_id), notice.created_at)
        news = set()
        for (kind_name, object_id), created_at in since.items():
            try:
                kind = registry.get(kind_name)
            except LookupError:
                continue
            if kind.is_news is None or kind.is_news(user, object_id, created_at):
                news.add((kind_name, object_id))
        told = {notice.pk for notice in notices if (notice.kind, notice.object_id) in news}
        Notice.objects.filter(pk__in=told).update(sent_at=now)
        dropped = [notice.pk for notice in notices if notice.pk not in told]
        Notice.objects.filter(pk__in=dropped).update(dropped_at=now)
    if not news:
        return False
    counts = []
    for kind in registry.all_kinds():
        count = sum(1 for kind_name, _ in news if kind_name == kind.name)
        if count:
            counts.append((kind, count))
    emails.send_daily_digest(user, counts)
    logger.info("daily digest sent to user %s about %d objects", user.pk, len(news))
    return True
