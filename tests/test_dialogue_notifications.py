import datetime

import pytest
from django.core import mail
from django.utils import timezone

from dialogue import notifications, tasks
from dialogue.models import Participant
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import group, one_to_one, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def dialogue(trajectory):
    return one_to_one(trajectory)


def _post_committed(capture, dialogue, author, body="Secret words"):
    with capture(execute=True) as callbacks:
        message = post(dialogue, author, body)
    return message, callbacks


def test_a_new_message_queues_a_delayed_check_after_commit(
    django_capture_on_commit_callbacks, dialogue, coach, coachee, settings, monkeypatch
):
    settings.PLUFORM_NOTIFY_DELAY_MINUTES = 10
    queued = []
    monkeypatch.setattr(tasks.notify_participant, "apply_async", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(dialogue, coach, "Hello")
    assert queued == []
    for callback in callbacks:
        callback()
    recipient = Participant.objects.get(dialogue=dialogue, user=coachee)
    assert queued == [{"args": [recipient.pk], "countdown": 600}]


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


def test_messages_within_the_interval_give_one_email_per_dialogue(
    django_capture_on_commit_callbacks, dialogue, coach
):
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "One")
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Two")
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Three")
    assert len(mail.outbox) == 1


def test_after_the_interval_a_new_message_gives_a_new_email(
    django_capture_on_commit_callbacks, dialogue, coach, coachee
):
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "One")
    Participant.objects.filter(user=coachee).update(
        notified_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Two")
    assert len(mail.outbox) == 2


def test_two_workers_cannot_both_send(dialogue, coach, coachee):
    post(dialogue, coach, "Once")
    participant = Participant.objects.get(user=coachee)
    assert notifications.send_notification(participant.pk) is True
    assert notifications.send_notification(participant.pk) is False
    assert len(mail.outbox) == 1


def test_no_email_when_the_message_was_read_in_time(dialogue, coach, coachee):
    post(dialogue, coach, "Seen")
    Participant.objects.filter(user=coachee).update(last_read_at=timezone.now())
    assert notifications.send_notification(Participant.objects.get(user=coachee).pk) is False
    assert mail.outbox == []


def test_task_returns_quietly_when_the_participant_is_gone(dialogue):
    tasks.notify_participant.apply(args=[987654])
    assert mail.outbox == []


def test_email_is_in_the_recipients_language(dialogue, coach, coachee):
    coachee.language = "nl"
    coachee.save()
    post(dialogue, coach, "Hoi")
    notifications.send_notification(Participant.objects.get(user=coachee).pk)
    assert mail.outbox[0].alternatives[0][0].startswith('<!DOCTYPE html>\n<html lang="nl">')


def test_notifications_off_sends_nothing(
    django_capture_on_commit_callbacks, dialogue, coach, coachee
):
    coachee.message_notifications = "off"
    coachee.save()
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach)
    assert notifications.send_notification(Participant.objects.get(user=coachee).pk) is False
    tasks.queue_daily_digests.apply()
    assert mail.outbox == []


def test_no_notification_about_a_restricted_subject(dialogue, coach, coachee):
    post(dialogue, coach, "Before")
    coachee.processing_restricted_at = timezone.now()
    coachee.save()
    assert notifications.send_notification(Participant.objects.get(user=coachee).pk) is False
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
    assert (
        notifications.send_notification(Participant.objects.get(dialogue=crew, user=coachee).pk)
        is False
    )
    assert mail.outbox == []


def test_daily_digest_counts_dialogues_and_carries_no_content(
    django_capture_on_commit_callbacks, dialogue, coach, coachee, organisation
):
    coachee.message_notifications = "daily"
    coachee.save()
    other = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=other, coaches=[coach])
    crew = group(coach, [coachee, other])
    _post_committed(django_capture_on_commit_callbacks, dialogue, coach, "Private one")
    _post_committed(django_capture_on_commit_callbacks, crew, coach, "Private two")
    assert [m.to for m in mail.outbox] == [[other.email]]  # daily: nothing at once for Eva
    mail.outbox.clear()

    tasks.queue_daily_digests.apply()

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [coachee.email]
    text = email.body + email.alternatives[0][0]
    assert "You have unread messages in 2 dialogues." in text
    assert "/dialogue/" in text
    for secret in ("Private", coach.first_name, other.first_name, "Walking group"):
        assert secret not in text + email.subject
    tasks.queue_daily_digests.apply()
    assert len(mail.outbox) == 1


def test_daily_digest_skips_users_without_unread_messages(dialogue, coach, coachee):
    coachee.message_notifications = "daily"
    coachee.save()
    post(dialogue, coachee, "Only my own")
    tasks.queue_daily_digests.apply()
    assert mail.outbox == []


def test_daily_digest_task_is_in_the_beat_schedule(settings):
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "dialogue.queue_daily_digests" in tasks_scheduled
