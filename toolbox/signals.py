"""A coach who leaves a coachee's last running trajectory loses their items at once."""

from django.dispatch import receiver

from accounts.signals import coach_unassigned
from toolbox import access


@receiver(coach_unassigned, dispatch_uid="toolbox.coach_unassigned")
def _revoke_coach(sender, trajectory, coach, **kwargs):
    if not access.coaches(coach, trajectory.coachee_id):
        access.revoke_between(coach, trajectory.coachee)
