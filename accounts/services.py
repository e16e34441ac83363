from django.db import transaction

from accounts.models import Trajectory, TrajectoryCoach
from accounts.signals import coach_assigned, coach_unassigned, trajectory_started


@transaction.atomic
def start_trajectory(*, coachee, coaches, organisation, started_on=None, title="") -> Trajectory:
    kwargs = {"started_on": started_on} if started_on else {}
    trajectory = Trajectory.objects.create(
        coachee=coachee, organisation=organisation, title=title, **kwargs
    )
    trajectory_started.send(sender=Trajectory, trajectory=trajectory)
    for coach in coaches:
        assign_coach(trajectory, coach)
    return trajectory


@transaction.atomic
def assign_coach(trajectory: Trajectory, coach) -> None:
    _, created = TrajectoryCoach.objects.get_or_create(trajectory=trajectory, coach=coach)
    if created:
        coach_assigned.send(sender=Trajectory, trajectory=trajectory, coach=coach)


@transaction.atomic
def unassign_coach(trajectory: Trajectory, coach) -> None:
    deleted, _ = TrajectoryCoach.objects.filter(trajectory=trajectory, coach=coach).delete()
    if deleted:
        coach_unassigned.send(sender=Trajectory, trajectory=trajectory, coach=coach)
