import factory
from django.utils import timezone

from accounts.models import LoginAttempt


class LoginAttemptFactory(factory.django.DjangoModelFactory):
    """A recorded login attempt; failures by default, as monitoring mostly counts those."""

    class Meta:
        model = LoginAttempt

    user = None
    email = factory.LazyAttribute(lambda o: o.user.email if o.user else "someone@example.com")
    outcome = LoginAttempt.Outcome.BAD_CREDENTIALS
    success = factory.LazyAttribute(
        lambda o: o.outcome in (LoginAttempt.Outcome.LOGGED_IN, LoginAttempt.Outcome.PASSWORD_OK)
    )
    ip_network = "203.0.113.0/24"
    user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    at = factory.LazyFunction(timezone.now)
