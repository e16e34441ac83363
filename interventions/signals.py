"""Keeps the review permission of a trajectory's assignments in step with its coaches."""

from django.dispatch import receiver

from accounts.signals import coach_assigned, coach_unassigned
from interventions import access


@receiver(coach_assigned, dispatch_uid="interventions.coach_assigned")
def _grant_coach(sender, trajectory, coach, **kwargs):
    access.grant_trajectory_to_coach(trajectory, coach)


@receiver(coach_unassigned, dispatch_uid="interventions.coach_unassigned")
def _revoke_coach(sender, trajectory, coach, **kwargs):
    access.revoke_trajectory_from_coach(trajectory, coach)
