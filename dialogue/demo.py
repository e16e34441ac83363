"""Demo conversations for ``manage.py seed_demo``, so a newcomer sees a dialogue with content."""

import datetime

from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from accounts.signals import demo_seeded
from dialogue.models import Dialogue, Message, Participant
from dialogue.services import ensure_trajectory_dialogue

# (author key, hours ago, body): demo text, in Dutch as the demo users read Dutch.
CONVERSATIONS = {
    "coachee_active": [
        ("coach", 50, "Hoi Noor,\nfijn dat we gestart zijn. Hoe ging de ademhalingsoefening?"),
        ("coachee_active", 30, "Drie keer gedaan deze week. Dinsdag hielp het echt."),
        ("coach", 26, "Mooi! Op welk moment van de dag werkte het het best?"),
        ("coachee_active", 3, "'s Ochtends, voor het werk. Zullen we dat donderdag bespreken?"),
    ],
    "coachee_recent": [
        ("coach", 900, "Hoi Daan, hierbij de samenvatting van ons laatste gesprek."),
        ("coachee_recent", 890, "Dank je, Carla. Ik ga ermee aan de slag."),
    ],
}


@receiver(demo_seeded, dispatch_uid="dialogue_demo_messages")
def seed_demo_messages(sender, organisation, users, **kwargs):
    now = timezone.now()
    for coachee_key, lines in CONVERSATIONS.items():
        trajectory = users[coachee_key].trajectories.first()
        dialogue = ensure_trajectory_dialogue(trajectory)
        if dialogue.messages.exists():
            continue
        for author_key, hours_ago, body in lines:
            message = Message.objects.create(dialogue=dialogue, author=users[author_key], body=body)
            sent_at = now - datetime.timedelta(hours=hours_ago)
            Message.objects.filter(pk=message.pk).update(created_at=sent_at)
        Dialogue.objects.filter(pk=dialogue.pk).update(last_message_at=sent_at)
        # The coachee has read everything but the last message; the coach has read up to it.
        Participant.objects.filter(dialogue=dialogue).update(last_read_at=F("joined_at"))
        Participant.objects.filter(dialogue=dialogue, user=users["coach"]).update(
            last_read_at=now - datetime.timedelta(hours=25)
        )
