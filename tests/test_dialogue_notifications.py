"""The dialogue as a client of the shared e-mail notices (pluform.notices)."""

import datetime
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from dialogue.models import Participant
from pluform.notices import services, tasks
from pluform.notices.models import Notice
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post

pytestmark = pytest.mark.django_db

KIND = "dialogue.new_messages"


@pytest.fixture
def dialogue(trajectory):
    return one_to_one(trajectory)


def _post_committed(capture, dialogue, author, body="Secret words"):
    with capture(execute=True) as callbacks:
        message = post(dialogue, author, body)
    return message, callbacks


def _notice(user, dialogue):
    return Notice.objects.get(user=user, kind=KIND, object_id=dialogue.pk)


def test_a_new_message_queues_a_delayed_delivery_after_commit(
    django_capture_on_commit_callbacks, dialogue, coach, coachee, settings, monkeypatch
):
    settings.PLUFORM_NOTIFY_DELAY_MINUTES = 10
    queued = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(dialogue, coach, "Hello")
    assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [{"args": [str(_notice(coachee, dialogue).pk)], "countdown": 600}]
    assert not Notice.objects.filter(user=coach).exists()


def test_recipient_who_has_not_read_gets_one_email_without_content(
    django_capture_on_commit_callbacks, dialogue, coach, coachee
):
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Secret words")
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [coachee.email]
    body = email.body + email.alternatives[0][0] + email.subject
    assert "Secret words" not in body
    assert coach.first_name not in body
    assert coach.email not in body
    assert f"/dialogue/{dialogue.pk}/" in body
    assert _notice(coachee, dialogue).sent_at is not None


def test_messages_within_the_interval_give_one_email_per_dialogue(
    django_capture_on_commit_callbacks, dialogue, coach
):
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "One")
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Two")
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Three")
    assert len(mail.outbox) == 1


def test_a_message_just_after_a_notice_is_told_when_the_interval_is_over(
    django_capture_on_commit_callbacks, dialogue, coach, coachee, monkeypatch
):
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "One")
    first = _notice(coachee, dialogue)
    Notice.objects.filter(pk=first.pk).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=4)
    )
    queued = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda **kw: queued.append(kw))
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Two")
    second = Notice.objects.get(user=coachee, sent_at__isnull=True)
    assert queued == [{"args": [str(second.pk)], "countdown": 600}]
    assert services.deliver(second.pk) is False  # too early: within 10 minutes of the first
    Notice.objects.filter(pk=first.pk).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    assert services.deliver(second.pk) is True
    assert len(mail.outbox) == 2


def test_after_the_interval_a_new_message_gives_a_new_email(
    django_capture_on_commit_callbacks, dialogue, coach, coachee
):
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "One")
    Notice.objects.filter(user=coachee).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Two")
    assert len(mail.outbox) == 2


def test_two_workers_cannot_both_send(dialogue, coach, coachee):
    post(dialogue, coach, "Once")
    notice = _notice(coachee, dialogue)
    assert services.deliver(notice.pk) is True
    assert services.deliver(notice.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_when_the_message_was_read_in_time(dialogue, coach, coachee):
    post(dialogue, coach, "Seen")
    Participant.objects.filter(user=coachee).update(last_read_at=timezone.now())
    notice = _notice(coachee, dialogue)
    assert services.deliver(notice.pk) is False
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.dropped_at is not None and notice.sent_at is None


def test_no_email_about_a_withdrawn_message(dialogue, coach, coachee):
    message = post(dialogue, coach, "Oops")
    message.withdrawn_at = timezone.now()
    message.save()
    assert services.deliver(_notice(coachee, dialogue).pk) is False
    assert mail.outbox == []


def test_delivery_is_quiet_when_the_recipient_or_the_notice_is_gone(
    coach, coachee, trajectory, organisation
):
    other = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [coachee, other])
    post(crew, coach, "Before")
    Participant.objects.filter(dialogue=crew, user=coachee).delete()
    assert services.deliver(_notice(coachee, crew).pk) is False
    tasks.deliver.apply(args=[str(uuid.uuid4())])
    assert mail.outbox == []


def test_email_is_in_the_recipients_language(dialogue, coach, coachee):
    coachee.language = "nl"
    coachee.save()
    post(dialogue, coach, "Hoi")
    services.deliver(_notice(coachee, dialogue).pk)
    assert mail.outbox[0].alternatives[0][0].startswith('<!DOCTYPE html>\n<html lang="nl">')


def test_notifications_off_sends_nothing(
    django_capture_on_commit_callbacks, dialogue, coach, coachee
):
    coachee.message_notifications = "off"
    coachee.save()
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach)
    assert not Notice.objects.filter(user=coachee).exists()
    tasks.queue_daily_digests.apply()
    assert mail.outbox == []


def test_no_notification_about_a_restricted_subject(dialogue, coach, coachee):
    post(dialogue, coach, "Before")
    coachee.processing_restricted_at = timezone.now()
    coachee.save()
    assert services.deliver(_notice(coachee, dialogue).pk) is False
    coachee.message_notifications = "daily"
    coachee.save()
    tasks.queue_daily_digests.apply()
    assert mail.outbox == []


def test_no_notification_to_others_about_a_group_with_a_restricted_member(
    trajectory, coach, coachee, organisation
):
    other = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [coachee, other])
    post(crew, coach, "Before")
    other.processing_restricted_at = timezone.now()
    other.save()
    assert services.deliver(_notice(coachee, crew).pk) is False
    other.processing_restricted_at = None
    other.save()
    coachee.message_notifications = "daily"
    coachee.save()
    post(crew, coach, "Before too")
    other.processing_restricted_at = timezone.now()
    other.save()
    tasks.queue_daily_digests.apply()
    assert mail.outbox == []


def test_daily_digest_counts_dialogues_and_carries_no_content(
    django_capture_on_commit_callbacks, dialogue, coach, coachee, organisation, settings
):
    coachee.message_notifications = "daily"
    coachee.save()
    other = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [coachee, other])
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Private one")
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Private two")
    _post_committed(django_capture_on_commit_callbacks, crew, coach, "Private three")
    assert [m.to for m in mail.outbox] == [[other.email]]  # daily: nothing at once for Eva
    mail.outbox.clear()

    tasks.queue_daily_digests.apply()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [coachee.email]
    text = email.body + email.alternatives[0][0]
    assert "You have unread messages in 2 dialogues." in email.body
    assert "<p>You have unread messages in 2 dialogues.</p>" in email.alternatives[0][0]
    assert f"{settings.SITE_URL}/\n" in email.body
    for secret in ("Private", coach.first_name, other.first_name, "Walking group", "/dialogue/"):
        assert secret not in text + email.subject
    tasks.queue_daily_digests.apply()
    assert len(mail.outbox) == 1


def test_daily_digest_in_the_singular(dialogue, coach, coachee):
    coachee.message_notifications = "daily"
    coachee.save()
    post(dialogue, coach, "One")
    assert services.send_daily_digest(coachee.pk) is True
    assert "You have unread messages in 1 dialogue." in mail.outbox[0].body


def test_daily_digest_skips_users_without_unread_messages(dialogue, coach, coachee):
    coachee.message_notifications = "daily"
    coachee.save()
    post(dialogue, coachee, "Only my own")
    post(dialogue, coach, "Read in time")
    Participant.objects.filter(user=coachee).update(last_read_at=timezone.now())
    tasks.queue_daily_digests.apply()
    assert mail.outbox == []
    assert _notice(coachee, dialogue).dropped_at is not None


def test_daily_digest_task_is_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "notices.queue_daily_digests" in tasks_scheduled
    assert "dialogue.queue_daily_digests" not in tasks_scheduled
