"""What a coach does in a coachee's dossier: session reports (every edit keeps the earlier
version; a save from a stale page is refused), and ending a trajectory or undoing that.

Nothing changes for a coachee whose processing is restricted: their dossier is read-only.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Trajectory
from dossier.models import MINUTES_PER_DAY, SessionReport, SessionReportVersion
from pluform import dates

logger = logging.getLogger(__name__)

END_UNDO_DAYS = 30
REPORT_FIELDS = ("held_on", "minutes", "kind", "report", "agreements")


def restriction_error(coachee, coach=None) -> ValidationError | None:
    if coach is not None and coach.processing_restricted:
        return ValidationError(
            _("Processing of your data is restricted: nothing can be added or changed for now."),
            code="restricted",
        )
    if coachee.processing_restricted:
        return ValidationError(
            _(
                "Processing of this coachee's data is restricted at their request: the dossier "
                "can be read, but nothing can be added or changed until the restriction is "
                "lifted."
            ),
            code="restricted",
        )
    return None


def _check_writable(coachee, coach=None) -> None:
    error = restriction_error(coachee, coach)
    if error is not None:
        raise error


def _check_report(held_on: datetime.date, minutes: int) -> None:
    if not 0 < minutes <= MINUTES_PER_DAY:
        raise ValidationError(
            {"minutes": _("A session lasts at least one minute and at most 24 hours.")},
            code="minutes",
        )
    if held_on > dates.today():
        raise ValidationError(
            {"held_on": _("A session report cannot be dated in the future.")}, code="future"
        )


@transaction.atomic
def add_report(coach, trajectory: Trajectory, **fields) -> SessionReport:
    _check_writable(trajectory.coachee, coach)
    _check_report(fields["held_on"], fields["minutes"])
    report = SessionReport.objects.create(
        trajectory=trajectory,
        coachee_id=trajectory.coachee_id,
        author=coach,
        edited_by=coach,
        **fields,
    )
    logger.info("session report %s added", report.pk)
    return report


class StaleReport(ValidationError):
    """The report was saved by someone else (or in another tab) after this form was opened."""

    def __init__(self, current: SessionReport):
        super().__init__(
            _(
                "This report was changed in the meantime (at %(time)s). Your changes have not "
                "been saved: the report as it is now is shown below, with your text kept in "
                "the form."
            )
            % {"time": timezone.localtime(current.changed_at).strftime("%H:%M")},
            code="stale",
        )
        self.current = current


@transaction.atomic
def update_report(session: SessionReport, coach, *, revision: int, **fields) -> SessionReport:
    """Save an edit made on a page opened at ``revision``; the version it replaces is kept."""
    _check_writable(session.coachee, coach)
    _check_report(fields["held_on"], fields["minutes"])
    current = SessionReport.objects.select_for_update().get(pk=session.pk)
    if current.revision != revision:
        raise StaleReport(current)
    if all(getattr(current, name) == fields[name] for name in REPORT_FIELDS):
        return current
    SessionReportVersion.objects.create(
        report=current,
        coachee_id=current.coachee_id,
        revision=current.revision,
        held_on=current.held_on,
        minutes=current.minutes,
        kind=current.kind,
        report_text=current.report,
        agreements=current.agreements,
        written_at=current.changed_at,
        written_by_id=current.edited_by_id,
    )
    for name in REPORT_FIELDS:
        setattr(current, name, fields[name])
    current.revision += 1
    current.edited_by = coach
    current.save(update_fields=[*REPORT_FIELDS, "revision", "edited_by", "changed_at"])
    return current


@transaction.atomic
def delete_report(report: SessionReport) -> None:
    _check_writable(report.coachee)
    report.delete()
    logger.info("session report %s deleted", report.pk)


@dataclass
class History:
    current: SessionReport
    versions: list


def history(report: SessionReport) -> History:
    return History(report, list(report.versions.select_related("written_by")))


# Ending a trajectory


@transaction.atomic
def end_trajectory(trajectory: Trajectory, coach, ended_on: datetime.date) -> None:
    # Ending starts the retention period, at whose end the data is erased: not while the
    # coachee's processing is restricted.
    _check_writable(trajectory.coachee, coach)
    if trajectory.ended_on is not None:
        raise ValidationError(
            _("This trajectory has an end date already. Undo it first to choose another.")
        )
    if ended_on < trajectory.started_on:
        raise ValidationError(
            {"ended_on": _("A trajectory cannot end before it started.")}, code="before_start"
        )
    if ended_on > dates.today() + datetime.timedelta(days=366):
        raise ValidationError({"ended_on": _("Choose an end date within a year.")})
    trajectory.ended_on = ended_on
    trajectory.end_recorded_at = timezone.now()
    trajectory.ended_by = coach
    trajectory.save(update_fields=["ended_on", "end_recorded_at", "ended_by"])
    logger.info("trajectory %s ends on %s", trajectory.pk, ended_on)


def may_undo_end(trajectory: Trajectory) -> bool:
    return bool(
        trajectory.ended_on
        and trajectory.end_recorded_at
        and timezone.now() - trajectory.end_recorded_at <= datetime.timedelta(days=END_UNDO_DAYS)
    )


@transaction.atomic
def undo_end(trajectory: Trajectory) -> None:
    _check_writable(trajectory.coachee)
    if not may_undo_end(trajectory):
        raise ValidationError(
            _("An end can only be undone within %(days)d days.") % {"days": END_UNDO_DAYS}
        )
    trajectory.ended_on = None
    trajectory.end_recorded_at = None
    trajectory.ended_by = None
    trajectory.save(update_fields=["ended_on", "end_recorded_at", "ended_by"])
    logger.info("end of trajectory %s undone", trajectory.pk)
