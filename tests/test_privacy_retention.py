"""The two-year retention purge (regulation 1.2.6.7, 1.3.5.6), ``privacy.retention``.

A coachee goes when all their trajectories ended more than 24 months ago and none runs; a
coach when their licence ended more than 24 months ago. Thirty days before, the person (and a
coachee's coaches) is e-mailed once, without names or content, and a ``RetentionNotice``
records it; nobody is erased without a notice at least 30 days old, and a notice is dropped
when the period no longer ends. A legal hold or a restriction on the legal-claims ground keeps
a person. A coach's messages to a coachee stay with the coachee. A dry run touches nothing
and prints counts only; a run that would erase more than the allowed share erases nobody; a
run while another holds the lock does nothing; a run completes erasures a killed worker left
half done, writes a receipt for each erasure, and a second run erases nobody new.

Today is fixed here (``pluform.dates.today`` is monkeypatched, the project's rule): on
20 May 2031 a period has ended for whatever ended on or before 19 May 2029, and ends within
the 30 days of notice for whatever ended on or before 18 June 2029.
"""

import contextlib
import datetime
import io
import threading
from collections import Counter

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone

from accounts.models import CoachProfile, RestrictionGround, Trajectory, User
from accounts.services import restrict_processing
from dialogue.models import Message
from pluform import dates, locks
from pluform.celery import app as celery_app
from pluform.crypto.models import DataKey, ErasureTombstone
from pluform.crypto.scopes import coachee_scope, owner_scope
from privacy import erasure, retention, tasks, tombstones
from privacy.erasure_models import Erasure, ErasureFile, Ground, LegalHold, RetentionNotice
from tests.factories.accounts import CoacheeFactory, TrajectoryFactory
from tests.factories.dialogue import one_to_one, post
from tests.factories.toolbox import file_item

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)

DAY = datetime.timedelta(days=1)
TODAY = datetime.date(2031, 5, 20)
# Ended on or before this day: the period is over today.
LAST_DUE = datetime.date(2029, 5, 19)
# Ended on or before this day: the period ends within the 30 days of notice.
LAST_TO_TELL = datetime.date(2029, 6, 18)
LONG_AGO = datetime.date(2027, 3, 1)

TO_SUBJECT = "Your data in Pluform will be erased in 30 days"
TO_COACH = "A coachee's data in Pluform will be erased in 30 days"
TITLE = "Burn-out after the divorce"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: TODAY)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Privacy e-mails go when the transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _ended(coachee, ended_on, coaches=()):
    """A trajectory of ``coachee`` that ended on ``ended_on``."""
    return TrajectoryFactory(
        coachee=coachee,
        coaches=list(coaches),
        started_on=ended_on - 300 * DAY,
        ended_on=ended_on,
        title=TITLE,
    )


def _told(subject, days_ago=30):
    return RetentionNotice.objects.create(subject=subject, sent_on=TODAY - days_ago * DAY)


def _licence_ended(coach, ended_on):
    CoachProfile.objects.filter(user=coach).update(licence_ended_on=ended_on)


def _due_coachee(organisation, **names):
    """A coachee whose period is over and who was told 30 days ago."""
    coachee = CoacheeFactory(organisation=organisation, **names)
    _ended(coachee, LONG_AGO)
    _told(coachee)
    return coachee


def _exists(user) -> bool:
    return User.objects.filter(pk=user.pk).exists()


def _purge_command(*args) -> str:
    out = io.StringIO()
    call_command("purge_expired", *args, stdout=out)
    return out.getvalue()


def _mail_to(user):
    return [message for message in mail.outbox if user.email in message.to]


@pytest.fixture
def former(coach, coachee):
    """A coachee whose only trajectory, with ``coach``, ended long ago: they wrote each other."""
    trajectory = TrajectoryFactory(coachee=coachee, coaches=[coach], title=TITLE)
    dialogue = one_to_one(trajectory)
    post(dialogue, coachee, "How I sleep now")
    post(dialogue, coach, "Keep the diary")
    Trajectory.objects.filter(pk=trajectory.pk).update(
        started_on=LONG_AGO - 300 * DAY, ended_on=LONG_AGO
    )
    return coachee


@contextlib.contextmanager
def _lock_held_elsewhere():
    """Another purge (another beat process) holds the lock: here a thread, which has a
    database session of its own, inside ``pluform.locks.exclusive``."""
    taken, release, outcome = threading.Event(), threading.Event(), []

    def hold():
        try:
            with locks.exclusive(retention.LOCK) as acquired:
                outcome.append(acquired)
                taken.set()
                release.wait(timeout=60)
        finally:
            connection.close()
            taken.set()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert taken.wait(timeout=60)
        assert outcome == [True], "the lock was not free"
        yield
    finally:
        release.set()
        holder.join()


# The notice, 30 days before


def test_the_coachee_and_their_coach_are_told_thirty_days_before(coach, coachee, committed):
    _ended(coachee, LAST_TO_TELL, coaches=[coach])
    with committed():
        report = retention.purge()
    assert report.notices == 1 and report.erased == 0
    assert RetentionNotice.objects.get(subject=coachee).sent_on == TODAY
    assert [message.subject for message in _mail_to(coachee)] == [TO_SUBJECT]
    assert [message.subject for message in _mail_to(coach)] == [TO_COACH]
    assert _exists(coachee)


@pytest.mark.parametrize(("ended_on", "told"), [(LAST_TO_TELL, True), (LAST_TO_TELL + DAY, False)])
def test_the_notice_goes_when_the_period_ends_within_thirty_days_and_not_before(
    coachee, ended_on, told
):
    _ended(coachee, ended_on)
    assert retention.to_notify(TODAY).filter(pk=coachee.pk).exists() is told
    retention.purge()
    assert RetentionNotice.objects.filter(subject=coachee).exists() is told


def test_the_notices_carry_no_name_and_no_content(coach, coachee, committed):
    _ended(coachee, LAST_TO_TELL, coaches=[coach])
    with committed():
        retention.purge()
    (to_coach,) = _mail_to(coach)
    (to_coachee,) = _mail_to(coachee)
    about_the_coachee = [coachee.first_name, coachee.last_name, coachee.email, str(coachee.uuid)]
    for message in (to_coach, to_coachee):
        text = " ".join([message.subject, message.body, message.alternatives[0][0]])
        assert TITLE not in text
        assert coach.last_name not in text
        if message is to_coach:
            for personal in about_the_coachee:
                assert personal not in text
    assert "download a copy" in to_coachee.body


def test_a_notice_is_recorded_only_for_someone_who_was_emailed(coachee, committed):
    _ended(coachee, LAST_TO_TELL)
    User.objects.filter(pk=coachee.pk).update(is_active=False)
    with committed():
        retention.purge()
    recorded = RetentionNotice.objects.filter(subject=coachee).exists()
    assert recorded == bool(_mail_to(coachee))


def test_a_coach_past_their_licence_end_is_told_themselves(coach, committed):
    _licence_ended(coach, LAST_TO_TELL)
    with committed():
        report = retention.purge()
    assert report.notices == 1
    assert [message.subject for message in _mail_to(coach)] == [TO_SUBJECT]
    assert RetentionNotice.objects.filter(subject=coach).exists()


def test_a_notice_is_sent_once(coach, coachee, committed):
    _ended(coachee, LAST_TO_TELL, coaches=[coach])
    with committed():
        first = retention.purge(TODAY)
    with committed():
        second = retention.purge(TODAY + DAY)
    assert (first.notices, second.notices) == (1, 0)
    assert len(_mail_to(coachee)) == 1 and len(_mail_to(coach)) == 1
    assert RetentionNotice.objects.get(subject=coachee).sent_on == TODAY


def test_the_notice_is_dropped_when_the_coachee_starts_a_new_trajectory(coach, coachee):
    _ended(coachee, LAST_TO_TELL, coaches=[coach])
    retention.purge(TODAY)
    TrajectoryFactory(coachee=coachee, coaches=[coach])
    retention.purge(TODAY + DAY)
    assert not RetentionNotice.objects.filter(subject=coachee).exists()
    report = retention.purge(TODAY + 30 * DAY)
    assert report.erased == 0 and _exists(coachee)


def test_the_notice_is_dropped_when_the_coachs_licence_is_renewed(coach):
    _licence_ended(coach, LAST_TO_TELL)
    retention.purge(TODAY)
    _licence_ended(coach, None)
    retention.purge(TODAY + DAY)
    assert not RetentionNotice.objects.filter(subject=coach).exists()
    assert retention.purge(TODAY + 30 * DAY).erased == 0 and _exists(coach)


# Nobody erased too early


def test_nobody_is_erased_without_a_notice_however_long_ago_the_end(coachee):
    _ended(coachee, LONG_AGO)
    report = retention.purge()
    assert report.erased == 0 and report.notices == 1
    assert _exists(coachee)
    assert RetentionNotice.objects.get(subject=coachee).sent_on == TODAY


@pytest.mark.parametrize(("days_ago", "erased"), [(29, False), (30, True)])
def test_erasure_waits_until_the_notice_is_thirty_days_old(coachee, days_ago, erased):
    _ended(coachee, LONG_AGO)
    _told(coachee, days_ago=days_ago)
    assert retention.purge().erased == int(erased)
    assert _exists(coachee) is not erased


def test_told_today_and_erased_thirty_days_later(coach, coachee):
    _ended(coachee, LAST_TO_TELL, coaches=[coach])
    assert retention.purge(TODAY).notices == 1
    assert retention.purge(TODAY + 29 * DAY).erased == 0
    assert _exists(coachee)
    assert retention.purge(TODAY + 30 * DAY).erased == 1
    assert not _exists(coachee) and _exists(coach)


@pytest.mark.parametrize(
    "second_end",
    [None, datetime.date(2030, 9, 1), datetime.date(2029, 5, 20)],
    ids=["running", "ended-last-year", "ended-exactly-24-months-ago"],
)
def test_a_coachee_with_a_running_or_recent_trajectory_is_untouched(coachee, second_end):
    _ended(coachee, LONG_AGO)
    TrajectoryFactory(coachee=coachee, ended_on=second_end)
    _told(coachee, days_ago=60)  # even a notice (from a wrong date since corrected)
    report = retention.purge()
    assert report.erased == 0 and report.notices == 0
    assert _exists(coachee)
    assert coachee.trajectories.count() == 2


@pytest.mark.parametrize(
    ("joined", "due"),
    [(datetime.date(2029, 1, 10), True), (datetime.date(2030, 1, 10), False)],
    ids=["made-over-24-months-ago", "made-last-year"],
)
def test_a_coachee_without_any_trajectory_counts_from_when_the_account_was_made(
    coachee, joined, due
):
    made = datetime.datetime.combine(joined, datetime.time(12), tzinfo=datetime.UTC)
    User.objects.filter(pk=coachee.pk).update(date_joined=made)
    assert retention.purge().notices == int(due)
    assert retention.purge(TODAY + 30 * DAY).erased == int(due)
    assert _exists(coachee) is not due


@pytest.mark.parametrize(
    "licence_end", [None, datetime.date(2029, 5, 20)], ids=["running", "exactly-24-months-ago"]
)
def test_a_coach_whose_licence_did_not_end_two_years_ago_is_untouched(coach, licence_end):
    _licence_ended(coach, licence_end)
    _told(coach, days_ago=60)
    assert retention.purge().erased == 0
    assert _exists(coach)


# Coaches


def test_a_coach_past_licence_end_is_erased_and_their_messages_stay_with_the_coachee(
    coach, coachee, trajectory
):
    dialogue = one_to_one(trajectory)
    theirs = post(dialogue, coach, "Keep the sleep diary")
    post(dialogue, coachee, "I will")
    _licence_ended(coach, LONG_AGO)
    _told(coach)
    report = retention.purge()
    assert report.subjects == Counter({"coach": 1}) and report.erased == 1
    assert not _exists(coach) and _exists(coachee)
    kept = Message.objects.get(pk=theirs.pk)
    assert kept.author_id is None
    assert kept.body == "Keep the sleep diary"
    assert Message.objects.filter(dialogue=dialogue).count() == 2
    assert DataKey.objects.get(scope=coachee_scope(coachee)).destroyed_at is None


# What keeps a person


def test_an_active_legal_hold_keeps_the_person(coachee, it_admin):
    _ended(coachee, LONG_AGO)
    _told(coachee, days_ago=90)
    LegalHold.objects.create(subject=coachee, reason="Court case", ends_on=TODAY, set_by=it_admin)
    report = retention.purge()
    assert report.erased == 0 and not report.subjects
    assert _exists(coachee)
    assert not Erasure.objects.exists()


def test_nobody_under_a_legal_hold_is_told(coachee, it_admin, committed):
    _ended(coachee, LONG_AGO)
    LegalHold.objects.create(
        subject=coachee, reason="Inquiry", ends_on=TODAY + 90 * DAY, set_by=it_admin
    )
    with committed():
        report = retention.purge()
    assert report.notices == 0
    assert not RetentionNotice.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize("how", ["ended", "lifted"])
def test_an_ended_or_lifted_legal_hold_no_longer_keeps_them(coachee, it_admin, how):
    _ended(coachee, LONG_AGO)
    _told(coachee)
    LegalHold.objects.create(
        subject=coachee,
        reason="Court case",
        ends_on=TODAY - DAY if how == "ended" else TODAY + 90 * DAY,
        lifted_at=timezone.now() if how == "lifted" else None,
        set_by=it_admin,
    )
    assert retention.purge().erased == 1
    assert not _exists(coachee)


def test_a_restriction_on_the_legal_claims_ground_keeps_the_person(coachee):
    _ended(coachee, LONG_AGO)
    _told(coachee)
    restrict_processing(coachee, "Claim against the employer", ground=RestrictionGround.LEGAL_CLAIM)
    report = retention.purge()
    assert report.erased == 0 and report.notices == 0
    assert _exists(coachee)


def test_nobody_restricted_on_the_legal_claims_ground_is_told(coachee, committed):
    _ended(coachee, LONG_AGO)
    restrict_processing(coachee, "Claim against the employer", ground=RestrictionGround.LEGAL_CLAIM)
    with committed():
        report = retention.purge()
    assert report.notices == 0
    assert not RetentionNotice.objects.exists()
    assert not mail.outbox


def test_a_restriction_on_another_ground_does_not_keep_them(coachee):
    _ended(coachee, LONG_AGO)
    _told(coachee)
    restrict_processing(coachee, "Objection", ground=RestrictionGround.OBJECTED)
    assert retention.purge().erased == 1
    assert not _exists(coachee)


@pytest.fixture
def held_after_listing(coachee, it_admin, monkeypatch):
    """A due coachee on whom the IT administrator sets a legal hold just after the run has
    listed who is due, before it reaches them."""
    _ended(coachee, LONG_AGO)
    _told(coachee)
    listed = retention.to_erase

    def list_then_hold(today):
        due = list(listed(today))
        LegalHold.objects.create(
            subject=coachee, reason="Just now", ends_on=TODAY + DAY, set_by=it_admin
        )
        return User.objects.filter(pk__in=[person.pk for person in due])

    monkeypatch.setattr(retention, "to_erase", list_then_hold)
    return coachee


def test_a_hold_set_after_the_list_was_made_still_stops_the_erasure(held_after_listing):
    """The list of who is due is made first; erase() asks again per person."""
    report = retention.purge()
    assert report.erased == 0
    assert _exists(held_after_listing)
    assert not ErasureTombstone.objects.filter(subject_uuid=held_after_listing.uuid).exists()


def test_a_person_refused_at_the_last_moment_is_not_reported_as_erased(held_after_listing):
    output = _purge_command()
    assert _exists(held_after_listing)
    assert "Erased: nobody" in output


# Dry run


def test_a_dry_run_erases_and_tells_nobody(organisation, coach, committed):
    due = _due_coachee(organisation)
    soon = CoacheeFactory(organisation=organisation)
    _ended(soon, LAST_TO_TELL, coaches=[coach])
    with committed():
        report = retention.purge(dry_run=True)
    assert report.subjects == Counter({"coachee": 1}) and report.notices == 1
    assert report.records["accounts.user"] == 1
    assert report.erased == 0
    assert _exists(due) and _exists(soon)
    assert not RetentionNotice.objects.filter(subject=soon).exists()
    assert not Erasure.objects.exists() and not ErasureTombstone.objects.exists()
    assert not mail.outbox


def test_the_dry_run_counts_what_the_run_then_erases(former):
    _told(former)
    file_item(former, name="diary.pdf", title="Diary")
    planned = retention.purge(dry_run=True)
    done = retention.purge()
    assert planned.subjects == done.subjects == Counter({"coachee": 1})
    assert planned.records == done.records
    assert planned.files == done.files == 1


def test_the_dry_run_command_prints_counts_and_no_names_or_addresses(organisation, coach, former):
    _told(former)
    other = _due_coachee(organisation, first_name="Bartholomeus", last_name="Klaverblad")
    _licence_ended(coach, LONG_AGO)
    _told(coach)
    output = _purge_command("--dry-run")
    assert "Dry run: nothing erased." in output
    assert "Would erase: 1 coach, 2 coachee" in output
    assert "Account and profile (accounts.user): 3" in output
    assert "Coaching trajectories (accounts.trajectory): 2" in output
    for person in (coach, former, other):
        for personal in (person.first_name, person.last_name, person.email, str(person.uuid)):
            assert personal not in output
    assert _exists(coach) and _exists(former) and _exists(other)


def test_the_command_prints_what_it_erased(former):
    _told(former)
    output = _purge_command()
    assert "Purge run." in output
    assert "Erased: 1 coachee" in output
    assert "Messages (dialogue.message): 2" in output
    assert former.email not in output and former.last_name not in output
    assert not _exists(former)


# The share limit


@pytest.fixture
def too_many(organisation):
    """Six due of twelve coachees: more than 10 % and more than the five always allowed."""
    due = [_due_coachee(organisation) for _ in range(6)]
    for running in CoacheeFactory.create_batch(6, organisation=organisation):
        TrajectoryFactory(coachee=running, ended_on=None)
    assert User.objects.filter(role__in=erasure.ERASABLE_ROLES).count() == 12
    return due


def test_a_run_that_would_erase_too_many_erases_nobody(too_many, committed):
    with committed():
        report = retention.purge()
    assert report.stopped.startswith("6 of 12 coaches and coachees would be erased")
    assert "more than the limit of 10% in one run: nothing was erased" in report.stopped
    assert report.erased == 0
    assert all(_exists(person) for person in too_many)
    assert not Erasure.objects.exists() and not ErasureTombstone.objects.exists()
    assert not mail.outbox


def test_the_command_stops_with_the_reason(too_many):
    with pytest.raises(CommandError, match=r"6 of 12 .* nothing was erased\. Check the trajectory"):
        _purge_command()
    assert all(_exists(person) for person in too_many)


def test_the_dry_run_says_the_real_run_would_stop(too_many):
    output = _purge_command("--dry-run")
    assert "Would erase: 6 coachee" in output
    assert "The real run would stop: 6 of 12 coaches and coachees would be erased" in output


def test_max_share_lets_a_large_run_go_up_to_exactly_that_share(too_many):
    output = _purge_command("--max-share", "0.5")
    assert "Erased: 6 coachee" in output
    assert not any(_exists(person) for person in too_many)


def test_a_handful_may_always_go_even_if_they_are_everyone(organisation):
    due = [_due_coachee(organisation) for _ in range(settings.PLUFORM_PURGE_ALWAYS_ALLOWED)]
    assert User.objects.filter(role__in=erasure.ERASABLE_ROLES).count() == len(due)
    report = retention.purge()
    assert not report.stopped and report.erased == len(due)


def test_it_erases_in_batches_until_everyone_due_is_gone(organisation):
    due = [_due_coachee(organisation) for _ in range(3)]
    report = retention.purge(batch_size=2)
    assert report.erased == 3
    assert not any(_exists(person) for person in due)


def test_a_max_share_outside_zero_to_one_is_refused(too_many):
    with pytest.raises(CommandError):
        _purge_command("--max-share", "10")
    assert all(_exists(person) for person in too_many)


# The lock


def test_a_run_while_another_holds_the_lock_does_nothing(former, committed):
    _told(former)
    soon = CoacheeFactory(organisation=former.organisation)
    _ended(soon, LAST_TO_TELL)
    with _lock_held_elsewhere(), committed():
        report = retention.purge()
    assert report.locked
    assert (report.erased, report.notices, report.finished) == (0, 0, 0)
    assert _exists(former)
    assert not RetentionNotice.objects.filter(subject=soon).exists()
    assert not mail.outbox


def test_the_command_says_another_purge_is_running(former):
    _told(former)
    with _lock_held_elsewhere(), pytest.raises(CommandError, match="Another purge is running"):
        _purge_command()
    assert _exists(former)


def test_the_lock_is_free_again_after_a_run_that_failed(former, monkeypatch):
    _told(former)

    def database_down(*args, **kwargs):
        raise OSError("database unreachable")

    with monkeypatch.context() as patched:
        patched.setattr(retention, "send_notices", database_down)
        with pytest.raises(OSError, match="database unreachable"):
            retention.purge()
    with _lock_held_elsewhere():  # asserts that another process can take it
        pass
    assert retention.purge().erased == 1


def test_one_failing_erasure_does_not_stop_the_others(former, monkeypatch):
    _told(former)
    other = CoacheeFactory(organisation=former.organisation)
    _ended(other, LONG_AGO)
    _told(other)
    real_erase = erasure.erase

    def storage_down_for_former(subject, **kwargs):
        if subject.pk == former.pk:
            raise OSError("storage unreachable")
        return real_erase(subject, **kwargs)

    monkeypatch.setattr(erasure, "erase", storage_down_for_former)
    report = retention.purge()
    assert (report.erased, report.failed) == (1, 1)
    assert _exists(former) and not _exists(other)


@postgres_only
def test_on_postgresql_the_lock_of_a_process_that_died_is_free(former):
    """The advisory lock belongs to the database session: it goes when its process dies
    (here the server ends that session), without waiting for any timeout."""
    _told(former)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT pg_backend_pid(), pg_try_advisory_lock(%s)", [locks._key(retention.LOCK)]
            )
            pid, taken = cursor.fetchone()
        assert taken
        assert retention.purge().locked
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            assert cursor.fetchone()[0]
    finally:
        other.close()
    report = retention.purge()
    assert not report.locked and report.erased == 1


# Resuming, repeating, receipts


@pytest.fixture
def half_erased(former):
    """A worker killed after the records transaction: the receipt waits in files_pending."""
    file_item(former, name="diary.pdf", title="Diary")
    tombstones.lay(former.uuid)
    left = erasure._erase_records(former, ground=Ground.RETENTION, actor=None, http_request=None)
    return left, former


def test_a_run_completes_an_erasure_a_killed_worker_left_half_done(half_erased):
    left, former = half_erased
    assert left.state == Erasure.State.FILES_PENDING
    names = list(ErasureFile.objects.filter(erasure=left).values_list("name", flat=True))
    assert len(names) == 1 and default_storage.exists(names[0])
    scopes = [coachee_scope(former), owner_scope(former)]
    assert DataKey.objects.filter(scope__in=scopes, destroyed_at__isnull=True).exists()
    report = retention.purge()
    assert report.finished == 1
    left.refresh_from_db()
    assert left.state == Erasure.State.DONE and left.finished_at is not None
    assert not default_storage.exists(names[0])
    assert not ErasureFile.objects.exists()
    assert not DataKey.objects.filter(scope__in=scopes, destroyed_at__isnull=True).exists()
    assert DataKey.objects.filter(scope__in=scopes).exists()


def test_the_finish_erasures_task_completes_it_too(half_erased):
    left, former = half_erased
    tasks.finish_erasures.delay()
    left.refresh_from_db()
    assert left.state == Erasure.State.DONE
    assert DataKey.objects.get(scope=coachee_scope(former)).destroyed_at is not None


def test_a_second_run_erases_nobody_new(organisation, former):
    _told(former)
    kept = CoacheeFactory(organisation=organisation)
    TrajectoryFactory(coachee=kept)
    first = retention.purge()
    second = retention.purge()
    assert first.erased == 1
    assert (second.erased, second.notices, second.finished, second.subjects) == (0, 0, 0, Counter())
    assert Erasure.objects.count() == 1
    assert _exists(kept)


def test_each_erasure_writes_a_receipt_with_its_counts(coach, former):
    _told(former)
    _licence_ended(coach, LONG_AGO)
    _told(coach)
    report = retention.purge()
    receipts = {receipt.subject_kind: receipt for receipt in Erasure.objects.all()}
    assert set(receipts) == {"coach", "coachee"}
    for receipt in receipts.values():
        assert receipt.ground == Ground.RETENTION and receipt.state == Erasure.State.DONE
        assert receipt.counts["accounts.user"] == 1
        assert receipt.counts["privacy.retentionnotice"] == 1
        assert receipt.manifest_sha256 and receipt.manifest()["ground"] == "retention"
    assert receipts["coachee"].subject_uuid == former.uuid
    assert receipts["coachee"].counts["accounts.trajectory"] == 1
    assert receipts["coach"].counts["accounts.coachprofile"] == 1
    total = Counter()
    for receipt in receipts.values():
        total.update(receipt.counts)
    assert report.records == total


def test_the_erased_person_and_the_it_administrator_get_the_receipt_number(
    former, it_admin, committed
):
    _told(former)
    with committed():
        retention.purge()
    receipt = Erasure.objects.get()
    (to_former,) = _mail_to(former)
    (to_admin,) = _mail_to(it_admin)
    assert to_former.subject == "Your data in Pluform has been erased"
    assert str(receipt.uuid) in to_former.body and receipt.manifest_sha256 in to_former.body
    assert str(receipt.uuid) in to_admin.body
    assert former.last_name not in to_admin.body and former.email not in to_admin.body


# Celery


def test_the_purge_runs_every_night():
    schedule = celery_app.conf.beat_schedule
    assert schedule["privacy-purge-expired"]["task"] == tasks.purge_expired.name
    assert schedule["privacy-finish-erasures"]["task"] == tasks.finish_erasures.name


def test_the_task_runs_the_purge(former):
    _told(former)
    tasks.purge_expired.delay()
    assert not _exists(former)
    assert Erasure.objects.get().ground == Ground.RETENTION
