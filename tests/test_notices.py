"""The shared e-mail notices, with kinds that only these tests register."""

import datetime
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from pluform.notices import registry, services, tasks
from pluform.notices.models import Notice
from tests.factories.accounts import CoacheeFactory

pytestmark = pytest.mark.django_db

# Objects that are news; the kinds below ask this set.
NEWS = set()


def _is_news(user, object_id, since):
    return object_id in NEWS


def _kind(name, **options):
    return registry.NoticeKind(
        name=name,
        template="dialogue/email/new_messages",
        url=lambda object_id: f"/things/{object_id}/",
        digest_line=lambda count: f"There are {count} new {name.rsplit('.', 1)[1]}.",
        is_news=_is_news,
        **options,
    )


@pytest.fixture
def kinds():
    made = {
        "once": _kind("tests.thing"),
        "at_once": _kind("tests.alarm", delay=False),
        "hourly": _kind("tests.pulse", interval=datetime.timedelta(hours=1)),
        "always": _kind("tests.remark", interval=datetime.timedelta(0)),
    }
    for kind in made.values():
        registry.register(kind)
    NEWS.clear()
    yield made
    NEWS.clear()
    for kind in made.values():
        registry.unregister(kind.name)


@pytest.fixture
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda **kw: calls.append(kw))
    return calls


def _news():
    object_id = uuid.uuid4()
    NEWS.add(object_id)
    return object_id


def _announce(capture, users, kind, object_id):
    with capture(execute=True):
        services.announce(users, kind, object_id)


def test_a_kind_without_interval_is_told_once_per_object(
    django_capture_on_commit_callbacks, kinds, coachee
):
    thing, other_thing = _news(), _news()
    for _ in range(3):
        _announce(django_capture_on_commit_callbacks, [coachee], "tests.thing", thing)
    _announce(django_capture_on_commit_callbacks, [coachee], "tests.thing", other_thing)
    assert len(mail.outbox) == 2
    assert Notice.objects.filter(user=coachee).count() == 2
    assert f"/things/{thing}/" in mail.outbox[0].body


def test_one_query_finds_what_was_told_and_one_stores_the_new_notices(
    django_assert_num_queries, kinds, queued, organisation
):
    users = CoacheeFactory.create_batch(3, organisation=organisation)
    with django_assert_num_queries(2):
        services.announce(users, "tests.thing", _news())
    assert Notice.objects.count() == 3


def test_delay_false_means_countdown_zero(
    django_capture_on_commit_callbacks, kinds, queued, coachee, settings
):
    settings.PLUFORM_NOTIFY_DELAY_MINUTES = 7
    with django_capture_on_commit_callbacks(execute=True):
        services.announce([coachee], "tests.alarm", _news())
        services.announce([coachee], "tests.thing", _news())
    notices = {n.kind: str(n.pk) for n in Notice.objects.filter(user=coachee)}
    assert queued == [
        {"args": [notices["tests.alarm"]], "countdown": 0},
        {"args": [notices["tests.thing"]], "countdown": 420},
    ]


def test_within_the_interval_a_new_notice_waits_until_it_is_over(
    django_capture_on_commit_callbacks, kinds, queued, coachee
):
    pulse = _news()
    _announce(django_capture_on_commit_callbacks, [coachee], "tests.pulse", pulse)
    first = Notice.objects.get(user=coachee)
    Notice.objects.filter(pk=first.pk).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=20)
    )
    queued.clear()
    _announce(django_capture_on_commit_callbacks, [coachee], "tests.pulse", pulse)
    _announce(django_capture_on_commit_callbacks, [coachee], "tests.pulse", pulse)
    second = Notice.objects.get(user=coachee, sent_at__isnull=True)
    [delivery] = queued
    assert delivery["args"] == [str(second.pk)]
    assert 40 * 60 - 5 <= delivery["countdown"] <= 40 * 60
    assert services.deliver(second.pk) is False  # too early
    Notice.objects.filter(pk=first.pk).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    assert services.deliver(second.pk) is True


def test_an_interval_of_zero_tells_every_new_step(
    django_capture_on_commit_callbacks, kinds, coachee
):
    remark = _news()
    for _ in range(2):
        _announce(django_capture_on_commit_callbacks, [coachee], "tests.remark", remark)
    assert len(mail.outbox) == 2


def test_a_pending_notice_is_not_doubled(kinds, queued, coachee):
    thing = _news()
    services.announce([coachee], "tests.pulse", thing)
    services.announce([coachee], "tests.pulse", thing)
    assert Notice.objects.filter(user=coachee).count() == 1


def test_no_news_is_dropped_without_email(kinds, coachee):
    services.announce([coachee], "tests.thing", uuid.uuid4())
    notice = Notice.objects.get(user=coachee)
    assert services.deliver(notice.pk) is False
    notice.refresh_from_db()
    assert notice.dropped_at is not None
    assert mail.outbox == []


def test_a_kind_without_is_news_is_always_news(kinds, coachee):
    registry.register(
        registry.NoticeKind(
            name="tests.plain",
            template="dialogue/email/new_messages",
            url=lambda object_id: "/",
            digest_line=str,
        )
    )
    try:
        services.announce([coachee], "tests.plain", uuid.uuid4())
        assert services.deliver(Notice.objects.get(user=coachee).pk) is True
    finally:
        registry.unregister("tests.plain")


def test_a_second_worker_that_claims_first_wins(kinds, coachee):
    services.announce([coachee], "tests.thing", _news())
    notice = Notice.objects.get(user=coachee)

    def other_worker_sends_meanwhile(user, object_id, since):
        Notice.objects.filter(pk=notice.pk).update(sent_at=timezone.now())
        return True

    registry.unregister("tests.thing")
    registry.register(
        registry.NoticeKind(
            name="tests.thing",
            template="dialogue/email/new_messages",
            url=lambda object_id: "/",
            digest_line=str,
            is_news=other_worker_sends_meanwhile,
        )
    )
    assert services.deliver(notice.pk) is False
    assert mail.outbox == []


def test_inactive_restricted_and_unwilling_users_get_no_notice(kinds, queued, organisation):
    inactive = CoacheeFactory(organisation=organisation, is_active=False)
    restricted = CoacheeFactory(organisation=organisation, processing_restricted_at=timezone.now())
    unwilling = CoacheeFactory(organisation=organisation, message_notifications="off")
    daily = CoacheeFactory(organisation=organisation, message_notifications="daily")
    assert [services.may_be_told(u) for u in (inactive, restricted, unwilling, daily)] == [
        False,
        False,
        False,
        True,
    ]
    services.announce([inactive, restricted, unwilling, daily], "tests.thing", _news())
    assert list(Notice.objects.values_list("user", flat=True)) == [daily.pk]


def test_a_user_who_became_restricted_or_unwilling_is_not_told(kinds, organisation):
    restricted, unwilling = CoacheeFactory.create_batch(2, organisation=organisation)
    services.announce([restricted, unwilling], "tests.thing", _news())
    restricted.processing_restricted_at = timezone.now()
    restricted.save()
    unwilling.message_notifications = "off"
    unwilling.save()
    for notice in Notice.objects.all():
        assert services.deliver(notice.pk) is False
    assert Notice.objects.filter(dropped_at__isnull=False).count() == 2
    assert mail.outbox == []


def test_digest_has_one_line_per_kind_counting_objects(kinds, coachee, coach, settings):
    coachee.message_notifications = "daily"
    coachee.save()
    first, second = _news(), _news()
    services.announce([coachee], "tests.thing", first)
    services.announce([coachee], "tests.thing", second)
    services.announce([coachee], "tests.pulse", first)
    services.announce([coachee], "tests.pulse", uuid.uuid4())  # no news any more
    services.announce([coach], "tests.thing", first)  # wants it soon: not in a digest

    assert services.daily_digest_recipients() == [coachee.pk]
    tasks.queue_daily_digests.apply()

    [email] = mail.outbox
    assert email.to == [coachee.email]
    assert "There are 2 new thing." in email.body
    assert "There are 1 new pulse." in email.body
    assert "<p>There are 2 new thing.</p>" in email.alternatives[0][0]
    assert f"{settings.SITE_URL}/\n" in email.body
    assert str(first) not in email.body + email.alternatives[0][0]
    assert not Notice.objects.filter(user=coachee, sent_at=None, dropped_at=None).exists()
    assert Notice.objects.filter(user=coachee, dropped_at__isnull=False).count() == 1
    assert services.daily_digest_recipients() == []
    assert services.send_daily_digest(coachee.pk) is False
    assert len(mail.outbox) == 1


def test_digest_is_in_the_users_language(kinds, coachee):
    coachee.message_notifications = "daily"
    coachee.language = "nl"
    coachee.save()
    services.announce([coachee], "tests.thing", _news())
    assert services.send_daily_digest(coachee.pk) is True
    assert mail.outbox[0].alternatives[0][0].startswith('<!DOCTYPE html>\n<html lang="nl">')


def test_digest_with_nothing_news_sends_nothing(kinds, coachee):
    coachee.message_notifications = "daily"
    coachee.save()
    services.announce([coachee], "tests.thing", uuid.uuid4())
    assert services.send_daily_digest(coachee.pk) is False
    assert mail.outbox == []
    assert Notice.objects.get(user=coachee).dropped_at is not None


def test_a_user_who_wants_it_daily_now_gets_it_in_the_digest(kinds, coachee):
    services.announce([coachee], "tests.thing", _news())
    coachee.message_notifications = "daily"
    coachee.save()
    notice = Notice.objects.get(user=coachee)
    assert services.deliver(notice.pk) is False
    assert services.send_daily_digest(coachee.pk) is True


def test_a_user_who_wants_it_soon_now_hears_of_what_waited_for_the_digest(
    django_capture_on_commit_callbacks, kinds, coachee, settings
):
    coachee.message_notifications = "daily"
    coachee.save()
    pulse = _news()
    services.announce([coachee], "tests.pulse", pulse)
    Notice.objects.update(created_at=timezone.now() - datetime.timedelta(hours=3))
    coachee.message_notifications = "immediate"
    coachee.save()
    _announce(django_capture_on_commit_callbacks, [coachee], "tests.pulse", pulse)
    assert len(mail.outbox) == 1
    assert Notice.objects.get(user=coachee).sent_at is not None


def test_a_kind_that_is_no_longer_registered_is_dropped(kinds, coachee):
    services.announce([coachee], "tests.thing", _news())
    registry.unregister("tests.thing")
    assert services.deliver(Notice.objects.get(user=coachee).pk) is False
    assert Notice.objects.get(user=coachee).dropped_at is not None


def test_two_kinds_cannot_share_a_name(kinds):
    registry.register(kinds["once"])  # the same kind again is fine
    with pytest.raises(ValueError):
        registry.register(_kind("tests.thing"))
    with pytest.raises(LookupError):
        registry.get("tests.nothing")


def test_the_shared_tasks_have_their_names():
    assert tasks.deliver.name == "notices.deliver"
    assert tasks.queue_daily_digests.name == "notices.queue_daily_digests"
    assert tasks.send_daily_digest.name == "notices.send_daily_digest"
