import datetime

import factory
from allauth.mfa.models import Authenticator
from django.utils import timezone

from accounts.models import CoachProfile, Organisation, Trajectory, TrajectoryCoach, User
from accounts.roles import MFA_REQUIRED_ROLES, Role

# The TOTP secret the tests (and the demo) use; see tests/totp.py for the current code.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXP"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    language = "en"
    role = Role.COACHEE
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def mfa(obj, create, extracted, **kwargs):
        """Professionals get a TOTP authenticator unless built with mfa=False."""
        wanted = extracted if extracted is not None else obj.role in MFA_REQUIRED_ROLES
        if create and wanted:
            Authenticator.objects.create(
                user=obj, type=Authenticator.Type.TOTP, data={"secret": TEST_TOTP_SECRET}
            )


class CoachFactory(UserFactory):
    role = Role.COACH
    profile = factory.RelatedFactory(
        "tests.factories.accounts.CoachProfileFactory", factory_related_name="user"
    )


class CoacheeFactory(UserFactory):
    role = Role.COACHEE


class StaffFactory(UserFactory):
    organisation = None
    role = Role.CUSTOMER_SERVICE


class CoachProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachProfile

    user = factory.SubFactory(CoachFactory, profile=None)
    licence_started_on = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=365)
    )


class TrajectoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trajectory
        skip_postgeneration_save = True

    coachee = factory.SubFactory(CoacheeFactory)
    organisation = factory.SelfAttribute("coachee.organisation")
    started_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=60))

    @factory.post_generation
    def coaches(obj, create, extracted, **kwargs):
        """The trajectory's own coaches (no consent needed), through accounts.services so
        every app grants its access."""
        from accounts.services import add_coach

        if create:
            for coach in extracted or []:
                add_coach(obj, coach)


__all__ = [
    "CoachFactory",
    "CoacheeFactory",
    "OrganisationFactory",
    "StaffFactory",
    "TrajectoryCoach",
    "TrajectoryFactory",
    "UserFactory",
]
