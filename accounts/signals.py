"""Signals that other apps' access.py listen to, so each app grants only its own permissions."""

from django.dispatch import Signal

# trajectory=Trajectory, coach=User
coach_assigned = Signal()
coach_unassigned = Signal()
# trajectory=Trajectory (created, with its coachee)
trajectory_started = Signal()

# After ``manage.py seed_demo`` created the demo accounts: organisation=Organisation,
# users={"coach": User, "coachee_active": User, ...}. Apps add their demo content here.
demo_seeded = Signal()
