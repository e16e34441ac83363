"""Demo accounts for ``manage.py seed_demo``: one organisation with a user of every role."""

import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
from django.db import transaction
from django.utils import timezone

from accounts.models import CoachProfile, Organisation, User
from accounts.roles import Role
from accounts.services import start_trajectory
from accounts.signals import demo_seeded

DEMO_PASSWORD = "pluform-demo-2026"  # noqa: S105  (documented in the README, demo only)
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105  (demo only, see demo_totp)
DEMO_ORGANISATION = "Praktijk De Linde"
OTHER_ORGANISATION = "Elders Coaching"

# key: (e-mail, first name, last name, role, organisation or None for Pluform staff)
DEMO_USERS = {
    "coach": ("coach@pluform.demo", "Carla", "de Vries", Role.COACH, DEMO_ORGANISATION),
    "coachee_old": ("eva@pluform.demo", "Eva", "Jansen", Role.COACHEE, DEMO_ORGANISATION),
    "coachee_recent": ("daan@pluform.demo", "Daan", "Bakker", Role.COACHEE, DEMO_ORGANISATION),
    "coachee_active": ("noor@pluform.demo", "Noor", "Visser", Role.COACHEE, DEMO_ORGANISATION),
    "org_manager": ("manager@pluform.demo", "Olga", "Smit", Role.ORG_MANAGER, DEMO_ORGANISATION),
    "customer_service": ("service@pluform.demo", "Sam", "Meijer", Role.CUSTOMER_SERVICE, None),
    "ict_line_manager": ("ict@pluform.demo", "Ilse", "de Boer", Role.ICT_LINE_MANAGER, None),
    "account_manager": ("accounts@pluform.demo", "Aron", "Mulder", Role.ACCOUNT_MANAGER, None),
    "it_admin": ("admin@pluform.demo", "Ivo", "de Groot", Role.IT_ADMIN, None),
    "other_coach": ("sven@pluform.demo", "Sven", "Bos", Role.COACH, OTHER_ORGANISATION),
    "other_coachee": ("saar@pluform.demo", "Saar", "Dekker", Role.COACHEE, OTHER_ORGANISATION),
}
# The demo shows both languages: these users read English, the others Dutch (each of them
# can switch on any page).
ENGLISH_READERS = {"coachee_recent", "ict_line_manager", "it_admin", "other_coach", "other_coachee"}


def current_totp_code(secret=DEMO_TOTP_SECRET) -> str:
    from allauth.mfa import app_settings

    counter = int(timezone.now().timestamp()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def _user(email, first_name, last_name, role, organisation, language):
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email,
            DEMO_PASSWORD,
            first_name=first_name,
            last_name=last_name,
            role=role,
            organisation=organisation,
            language=language,
        )
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    if (
        user.requires_mfa
        and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    ):
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(DEMO_TOTP_SECRET)}
        )
    if role == Role.COACH:
        CoachProfile.objects.get_or_create(
            user=user,
            defaults={
                "licence_started_on": timezone.localdate() - datetime.timedelta(days=900),
                "product": "Pluform Coach",
            },
        )
    return user


def _trajectory(coachee, coach, *, started_days_ago, ended_days_ago=None):
    if coachee.trajectories.exists():
        return coachee.trajectories.first()
    today = timezone.localdate()
    trajectory = start_trajectory(
        coachee=coachee,
        coaches=[coach],
        organisation=coachee.organisation,
        started_on=today - datetime.timedelta(days=started_days_ago),
    )
    if ended_days_ago is not None:
        trajectory.ended_on = today - datetime.timedelta(days=ended_days_ago)
        trajectory.save(update_fields=["ended_on"])
    return trajectory


@transaction.atomic
def seed() -> dict:
    organisations = {
        name: Organisation.objects.get_or_create(name=name)[0]
        for name in (DEMO_ORGANISATION, OTHER_ORGANISATION)
    }
    users = {
        key: _user(
            email,
            first,
            last,
            role,
            organisations.get(org),
            "en" if key in ENGLISH_READERS else "nl",
        )
        for key, (email, first, last, role, org) in DEMO_USERS.items()
    }
    coach = users["coach"]
    # Ended 25 months ago (past retention), ended last month, and active.
    _trajectory(users["coachee_old"], coach, started_days_ago=1000, ended_days_ago=760)
    _trajectory(users["coachee_recent"], coach, started_days_ago=300, ended_days_ago=30)
    _trajectory(users["coachee_active"], coach, started_days_ago=60)
    _trajectory(users["other_coachee"], users["other_coach"], started_days_ago=90)
    demo_seeded.send(sender=seed, organisation=organisations[DEMO_ORGANISATION], users=users)
    return users
