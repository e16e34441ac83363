import factory

from dialogue import services
from dialogue.models import Message


def one_to_one(trajectory):
    """The trajectory's dialogue, created as the signals would."""
    return services.ensure_trajectory_dialogue(trajectory)


def group(coach, members, title="Walking group"):
    return services.create_group(coach, title=title, members=list(members))


class MessageFactory(factory.django.DjangoModelFactory):
    """A message stored directly (no notifications); use services.post_message for flows."""

    class Meta:
        model = Message

    body = factory.Faker("paragraph")


def post(dialogue, author, body="Hello there", uploads=()):
    message, _ = services.post_message(dialogue, author, body, uploads)
    return message
