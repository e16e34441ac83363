"""Keeps each trajectory's one-to-one dialogue in step with its coachee and coaches."""

from django.dispatch import receiver

from accounts.signals import coach_assigned, coach_unassigned, trajectory_started
from dialogue import services


@receiver(trajectory_started, dispatch_uid="dialogue.trajectory_started")
def _open_dialogue(sender, trajectory, **kwargs):
    services.ensure_trajectory_dialogue(trajectory)


@receiver(coach_assigned, dispatch_uid="dialogue.coach_assigned")
def _add_coach(sender, trajectory, coach, **kwargs):
    services.ensure_trajectory_dialogue(trajectory)


@receiver(coach_unassigned, dispatch_uid="dialogue.coach_unassigned")
def _remove_coach(sender, trajectory, coach, **kwargs):
    services.leave_trajectory_dialogue(trajectory, coach)
