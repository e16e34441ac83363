"""A coach who leaves a trajectory takes their consent (or the open question) with them."""

from django.dispatch import receiver

from accounts.signals import coach_unassigned
from privacy import consent


@receiver(coach_unassigned, dispatch_uid="privacy.coach_unassigned")
def _end_consent(sender, trajectory, coach, **kwargs):
    consent.coach_left(trajectory, coach)
