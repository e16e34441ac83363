"""Signals that other apps' access.py listen to, so each app grants only its own permissions."""

from django.dispatch import Signal

# trajectory=Trajectory, coach=User
coach_assigned = Signal()
coach_unassigned = Signal()
# trajectory=Trajectory (created, with its coachee)
trajectory_started = Signal()
