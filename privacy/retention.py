"""The retention period (regulation 1.2.6.7, 1.3.5.6): a coachee's data goes two years after
their last trajectory ended (or, without one, after their account was made), a coach's two
years after their licence ended.

Daily (``privacy.purge_expired``, and ``manage.py purge_expired`` by hand): first the
people whose period ends within ``NOTICE_DAYS`` are told, with their coaches; then whoever
was told at least that long ago and whose period has ended is erased, in batches, each
person in their own transaction, so an interrupted run is simply run again. A run holds a
lock that a second beat process cannot take, and stops before erasing anything when more
than a configured share of all coaches and coachees would go (a wrong date, a bad import).

Never erased: anyone under a legal hold, or restricted on the legal-claims ground.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate

from accounts.models import CoachProfile, User, held_for_legal_claim
from accounts.roles import Role
from pluform import dates
from pluform.locks import exclusive
from privacy import emails, erasure
from privacy.erasure_models import Ground, LegalHold, RetentionNotice

logger = logging.getLogger(__name__)

LOCK = "privacy.purge_expired"


def notice_days() -> int:
    return settings.PLUFORM_RETENTION_NOTICE_DAYS


def last_day_ended(today, *, ahead: int = 0) -> datetime.date:
    """Whose trajectories or licence ended on or before this day is past the retention
    period ``ahead`` days from ``today`` (it ended more than the period before)."""
    later = today + datetime.timedelta(days=ahead)
    return dates.add_months(later, -settings.PLUFORM_RETENTION_MONTHS) - datetime.timedelta(days=1)


def _ended_by(day):
    """Coaches and coachees whose last trajectory (coachee) or licence (coach) ended on or
    before ``day``, with no trajectory still running. A coachee who never had a trajectory
    counts from the day their account was made."""
    coachees = (
        User.objects.filter(role=Role.COACHEE)
        .annotate(
            running=Count("trajectories", filter=Q(trajectories__ended_on__isnull=True)),
            last_end=Coalesce(Max("trajectories__ended_on"), TruncDate("date_joined")),
        )
        .filter(running=0, last_end__lte=day)
    )
    coaches = User.objects.filter(
        role=Role.COACH,
        pk__in=CoachProfile.objects.filter(licence_ended_on__lte=day).values("user_id"),
    )
    return User.objects.filter(Q(pk__in=coachees.values("pk")) | Q(pk__in=coaches.values("pk")))


def _kept(today):
    """Those the purge leaves alone whatever their dates."""
    holds = LegalHold.objects.holding(today).filter(subject=OuterRef("pk"))
    return Q(Exists(holds)) | held_for_legal_claim()


def to_notify(today):
    """Whose period ends within the notice days and who has not been told yet."""
    soon = last_day_ended(today, ahead=notice_days())
    return (
        _ended_by(soon).exclude(_kept(today)).filter(retention_notice__isnull=True).order_by("pk")
    )


def to_erase(today):
    """Whose period has ended and who was told at least the notice days ago."""
    told_before = today - datetime.timedelta(days=notice_days())
    return (
        _ended_by(last_day_ended(today))
        .exclude(_kept(today))
        .filter(retention_notice__sent_on__lte=told_before)
        .order_by("pk")
    )


def send_notices(today) -> int:
    sent = 0
    for subject in to_notify(today).iterator(chunk_size=200):
        RetentionNotice.objects.create(subject=subject, sent_on=today)
        emails.send_retention_notice(subject)
        sent += 1
    # Someone told whose period no longer ends (a new trajectory, a new licence) is told
    # again when it does.
    soon = _ended_by(last_day_ended(today, ahead=notice_days()))
    RetentionNotice.objects.exclude(subject__in=soon.values("pk")).delete()
    return sent


@dataclass
class Report:
    notices: int = 0
    subjects: Counter = field(default_factory=Counter)
    records: Counter = field(default_factory=Counter)
    files: int = 0
    erased: int = 0
    failed: int = 0
    finished: int = 0
    stopped: str = ""
    locked: bool = False


def _share_stop(count: int, max_share: float) -> str:
    """Why a run must not erase ``count`` people, or "". A handful always may go: a small
    practice would otherwise never purge."""
    if count <= settings.PLUFORM_PURGE_ALWAYS_ALLOWED:
        return ""
    everyone = User.objects.filter(role__in=erasure.ERASABLE_ROLES).count()
    if everyone and count > max_share * everyone:
        return (
            f"{count} of {everyone} coaches and coachees would be erased, more than the "
            f"limit of {max_share:.0%} in one run: nothing was erased. Check the trajectory "
            f"end dates and licences; run with a higher --max-share if this is right."
        )
    return ""


def purge(today=None, *, dry_run=False, max_share=None, batch_size=None) -> Report:
    """One retention run (see the module). ``dry_run`` counts and touches nothing."""
    today = today or dates.today()
    max_share = settings.PLUFORM_PURGE_MAX_SHARE if max_share is None else max_share
    batch_size = batch_size or settings.PLUFORM_PURGE_BATCH_SIZE
    report = Report()
    with exclusive(LOCK) as acquired:
        if not acquired:
            report.locked = True
            logger.warning("purge skipped: another purge holds the lock")
            return report
        if dry_run:
            report.notices = to_notify(today).count()
        else:
            report.finished = erasure.finish_pending()
            report.notices = send_notices(today)
        due = list(to_erase(today).values_list("pk", flat=True))
        report.stopped = _share_stop(len(due), max_share)
        if report.stopped and not dry_run:
            logger.error("purge stopped: %s", report.stopped)
            return report
        for start in range(0, len(due), batch_size):
            for subject in User.objects.filter(pk__in=due[start : start + batch_size]):
                if dry_run:
                    planned = erasure.plan(subject)
                    report.subjects[subject.role] += 1
                    report.records.update(planned.counts)
                    report.files += len(set(planned.files))
                    continue
                try:
                    done = erasure.erase(subject, ground=Ground.RETENTION)
                except ValidationError:
                    continue  # a legal hold set since the list was made
                except Exception:
                    # One person's failure must not stop everyone else's erasure; the
                    # next run tries them again.
                    logger.exception("purge: an erasure failed; it is tried again next run")
                    report.failed += 1
                    continue
                report.subjects[subject.role] += 1
                report.records.update(done.counts)
                report.files += done.files
                report.erased += 1
                emails.send_erasure_receipt(done, subject)
    mode = "dry run" if dry_run else "run"
    logger.info("purge %s: %d notices, %d erased", mode, report.notices, report.erased)
    return report
