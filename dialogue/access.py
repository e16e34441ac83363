"""Who may see which dialogue: the only code that grants, revokes and loads for a user.

Participation is a django-guardian object permission in a direct foreign-key table
(``DialogueUserObjectPermission``); lists filter with a join on it. Anyone without the
permission gets a 404 from every loader.
"""

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from guardian.shortcuts import assign_perm, remove_perm

from accounts.roles import CONTENT_ROLES, Role
from dialogue.models import Attachment, Dialogue, DialogueUserObjectPermission, Message, Participant

PARTICIPATE = "take_part_in_dialogue"
LEAD = "lead_dialogue"


class NotAContentRole(ValueError):
    """Raised when code tries to let a role that never sees content into a dialogue."""


def add_participant(
    dialogue: Dialogue, user, *, lead: bool = False, sees_history: bool | None = None
) -> Participant:
    """``sees_history``: whether they read what was written before they joined; by default
    yes in a one-to-one dialogue, never in a group."""
    if sees_history is None:
        sees_history = not dialogue.is_group
    if user.role not in CONTENT_ROLES:
        raise NotAContentRole(f"user {user.pk} has role {user.role}")
    if lead and user.role != Role.COACH:
        raise NotAContentRole(f"user {user.pk} cannot lead a dialogue")
    participant, _ = Participant.objects.get_or_create(
        dialogue=dialogue, user=user, defaults={"sees_history": sees_history}
    )
    assign_perm(PARTICIPATE, user, dialogue)
    if lead:
        assign_perm(LEAD, user, dialogue)
    return participant


def remove_participant(dialogue: Dialogue, user) -> None:
    remove_perm(LEAD, user, dialogue)
    remove_perm(PARTICIPATE, user, dialogue)
    Participant.objects.filter(dialogue=dialogue, user=user).delete()


def dialogues_for(user):
    """The dialogues ``user`` takes part in, filtered in the query by the permission table."""
    if not user.is_authenticated or user.role not in CONTENT_ROLES:
        return Dialogue.objects.none()
    return Dialogue.objects.filter(grants__user=user, grants__permission__codename=PARTICIPATE)


def _lead_grant(user):
    return DialogueUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=LEAD
    )


def get_dialogue_for(user, dialogue_id) -> Dialogue:
    """The dialogue with ``can_lead`` set for this user, or a 404."""
    queryset = (
        dialogues_for(user)
        .select_related("trajectory__coachee")
        .annotate(can_lead=Exists(_lead_grant(user)))
    )
    return get_object_or_404(queryset, pk=dialogue_id)


def get_led_dialogue_for(user, dialogue_id) -> Dialogue:
    """A dialogue this user leads (a coach of it), or a 404."""
    dialogue = get_dialogue_for(user, dialogue_id)
    if not dialogue.can_lead:
        raise Http404
    return dialogue


def _check_visible(dialogue, user, message) -> None:
    """A 404 for a message written before a participant who doesn't see the history joined."""
    joined = (
        Participant.objects.filter(dialogue=dialogue, user=user, sees_history=False)
        .values_list("joined_at", flat=True)
        .first()
    )
    if joined is not None and message.created_at < joined:
        raise Http404


def get_message_for(user, dialogue_id, message_id) -> Message:
    dialogue = get_dialogue_for(user, dialogue_id)
    message = get_object_or_404(
        Message.objects.select_related("author"), dialogue=dialogue, pk=message_id
    )
    _check_visible(dialogue, user, message)
    message.dialogue = dialogue
    return message


def get_attachment_for(user, dialogue_id, attachment_id) -> Attachment:
    """An attachment of a message that still has its content, or a 404."""
    dialogue = get_dialogue_for(user, dialogue_id)
    attachment = get_object_or_404(
        Attachment.objects.select_related("message"),
        message__dialogue=dialogue,
        message__withdrawn_at__isnull=True,
        message__removed_at__isnull=True,
        pk=attachment_id,
    )
    _check_visible(dialogue, user, attachment.message)
    attachment.message.dialogue = dialogue
    return attachment


def get_participant_for(user, dialogue_id, participant_id) -> Participant:
    """Another participant of a dialogue this user leads, or a 404."""
    dialogue = get_led_dialogue_for(user, dialogue_id)
    participant = get_object_or_404(
        Participant.objects.select_related("user"), dialogue=dialogue, uuid=participant_id
    )
    participant.dialogue = dialogue
    return participant
