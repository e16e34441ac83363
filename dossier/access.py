"""Who may read a coachee's dossier and timesheet entries: the coaches of that coachee's
trajectories, and nobody else. The only code a view calls to load dossier content.

The permission is the trajectory's coach relation itself (``TrajectoryCoach``), which
``accounts`` grants and revokes: a coach removed from a trajectory loses its dossier at once.
Everyone else gets a 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import Trajectory, User
from accounts.roles import Role
from dossier.models import SessionReport, TimeEntry
from privacy import consent


def _is_coach(user) -> bool:
    return user.is_authenticated and user.role == Role.COACH


def trajectories_for(coach):
    """Every trajectory the coach takes part in, running or ended."""
    if not _is_coach(coach):
        return Trajectory.objects.none()
    return consent.trajectories_of(coach, "dossier")


def coachees_for(coach):
    if not _is_coach(coach):
        return User.objects.none()
    return User.objects.filter(
        role=Role.COACHEE, pk__in=trajectories_for(coach).values("coachee_id")
    )


def get_coachee_for(coach, coachee_id) -> User:
    """A coachee of this coach, with ``trajectories`` (theirs with this coach, newest first)."""
    coachee = get_object_or_404(coachees_for(coach), pk=coachee_id)
    coachee.shared_trajectories = list(
        trajectories_for(coach).filter(coachee=coachee).order_by("-started_on")
    )
    return coachee


def get_trajectory_for(coach, trajectory_id) -> Trajectory:
    return get_object_or_404(trajectories_for(coach).select_related("coachee"), pk=trajectory_id)


def reports_for(coach):
    return SessionReport.objects.filter(trajectory__in=trajectories_for(coach)).exclude(
        consent.before_consent(coach)
    )


def get_report_for(coach, report_id) -> SessionReport:
    return get_object_or_404(
        reports_for(coach).select_related("coachee", "trajectory", "author"), pk=report_id
    )


def entries_for(coach):
    """The coach's own time entries, for coachees they (still) coach."""
    if not _is_coach(coach):
        return TimeEntry.objects.none()
    return TimeEntry.objects.filter(coach=coach, trajectory__in=trajectories_for(coach))


def get_entry_for(coach, entry_id) -> TimeEntry:
    return get_object_or_404(entries_for(coach).select_related("coachee"), pk=entry_id)


def require_coach(user) -> None:
    if not _is_coach(user):
        raise Http404
