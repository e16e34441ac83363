"""What happens in a dialogue: creating it, posting, editing, withdrawing and removing."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Trajectory, User, not_restricted
from accounts.roles import Role
from dialogue import access
from dialogue.models import Attachment, Dialogue, Message, Participant
from pluform import dates
from pluform.notices import services as notices
from privacy import consent

logger = logging.getLogger(__name__)

EDIT_WINDOW = datetime.timedelta(minutes=15)
DOUBLE_SUBMIT_WINDOW = datetime.timedelta(seconds=1)
MAX_BODY_LENGTH = 20_000


class Blocker:
    """Why nobody can post in a dialogue right now."""

    ENDED = "ended"
    RESTRICTED = "restricted"


class NotAParticipant(Exception):
    """The dialogue was loaded, but the user has no participant row (anymore)."""


# Trajectories and their one-to-one dialogue


def ensure_trajectory_dialogue(trajectory: Trajectory) -> Dialogue:
    """The trajectory's one-to-one dialogue with its coachee and current coaches in it."""
    dialogue = Dialogue.objects.filter(trajectory=trajectory).first()
    if dialogue is None:
        try:
            with transaction.atomic():
                dialogue = Dialogue.objects.create(
                    kind=Dialogue.Kind.ONE_TO_ONE,
                    trajectory=trajectory,
                    organisation_id=trajectory.organisation_id,
                )
        except IntegrityError:
            dialogue = Dialogue.objects.get(trajectory=trajectory)
        logger.info("dialogue %s created for trajectory %s", dialogue.pk, trajectory.pk)
    access.add_participant(dialogue, trajectory.coachee)
    # Fresh from the database: a caller's prefetched ``coaches`` may predate this assignment.
    for coach in User.objects.filter(trajectorycoach__trajectory=trajectory):
        scope = consent.scope(trajectory, coach)
        if scope.dialogue:
            access.add_participant(
                dialogue, coach, lead=True, sees_history=scope.history_from is None
            )
    return dialogue


def leave_trajectory_dialogue(trajectory: Trajectory, coach: User) -> None:
    dialogue = Dialogue.objects.filter(trajectory=trajectory).first()
    if dialogue is not None:
        access.remove_participant(dialogue, coach)
        logger.info("coach %s left dialogue %s", coach.pk, dialogue.pk)


def ensure_dialogues_for(user: User) -> None:
    """Creates missing one-to-one dialogues of the user's trajectories (lazily, on visit)."""
    if user.role == Role.COACHEE:
        missing = Trajectory.objects.filter(coachee=user, dialogue__isnull=True)
    elif user.role == Role.COACH:
        missing = Trajectory.objects.filter(coaches=user, dialogue__isnull=True)
    else:
        return
    for trajectory in missing.select_related("coachee"):
        with transaction.atomic():
            ensure_trajectory_dialogue(trajectory)


# Groups


def group_candidates(coach: User):
    """Who a coach may bring into a group: their own coachees and co-coaches of their org."""
    today = dates.today()
    own_coachees = (
        consent.trajectories_of(coach, "dialogue")
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        .values("coachee_id")
    )
    return (
        User.objects.filter(
            Q(pk__in=own_coachees, role=Role.COACHEE)
            | Q(role=Role.COACH, organisation_id=coach.organisation_id),
            not_restricted(),
            is_active=True,
        )
        .exclude(pk=coach.pk)
        .order_by("first_name", "last_name")
    )


@transaction.atomic
def create_group(coach: User, *, title: str, members) -> Dialogue:
    allowed = set(group_candidates(coach).values_list("pk", flat=True))
    if any(member.pk not in allowed for member in members):
        raise ValidationError(_("You can only add your own coachees and colleagues."))
    dialogue = Dialogue.objects.create(
        kind=Dialogue.Kind.GROUP,
        title=title,
        organisation_id=coach.organisation_id,
        created_by=coach,
    )
    access.add_participant(dialogue, coach, lead=True)
    for member in members:
        access.add_participant(dialogue, member, lead=member.role == Role.COACH)
    logger.info("group dialogue %s created with %d participants", dialogue.pk, len(members) + 1)
    return dialogue


@transaction.atomic
def add_to_group(dialogue: Dialogue, coach: User, member: User) -> None:
    if not dialogue.is_group or not group_candidates(coach).filter(pk=member.pk).exists():
        raise ValidationError(_("You can only add your own coachees and colleagues."))
    access.add_participant(dialogue, member, lead=member.role == Role.COACH)


@transaction.atomic
def remove_from_group(dialogue: Dialogue, participant: Participant) -> None:
    if not dialogue.is_group:
        raise ValidationError(
            _("The participants of a one-to-one dialogue are set by its trajectory.")
        )
    other_coaches = dialogue.participants.filter(user__role=Role.COACH).exclude(pk=participant.pk)
    if participant.user.role == Role.COACH and not other_coaches.exists():
        raise ValidationError(_("A group needs at least one coach."))
    access.remove_participant(dialogue, participant.user)


# Posting


def posting_blocker(dialogue: Dialogue, participants) -> str | None:
    """Why nobody may post (an ended trajectory, a restricted participant), or None."""
    if dialogue.trajectory_id and not dialogue.trajectory.is_active:
        return Blocker.ENDED
    if any(p.user.processing_restricted for p in participants):
        return Blocker.RESTRICTED
    return None


def _blocked_error(blocker: str) -> ValidationError:
    if blocker == Blocker.ENDED:
        return ValidationError(_("This trajectory has ended: the dialogue can only be read."))
    return ValidationError(
        _("Processing is restricted for someone in this dialogue: no new messages can be added.")
    )


def _fingerprint(body: str, uploads) -> tuple:
    return body, tuple(sorted((upload.original_name, upload.size) for upload in uploads))


def _stored_fingerprint(message: Message) -> tuple:
    files = tuple(sorted((a.original_name, a.size) for a in message.attachments.all()))
    return message.body or "", files


@transaction.atomic
def post_message(dialogue: Dialogue, author: User, body: str, uploads=()) -> tuple[Message, bool]:
    """Stores a message (and its attachments) once; returns it and whether it is new.

    The same message by the same author within a second (a double submit) is stored once.
    """
    participants = list(
        dialogue.participants.select_related("user").select_for_update(of=("self",))
    )
    me = next((p for p in participants if p.user_id == author.pk), None)
    if me is None:
        raise NotAParticipant
    blocker = posting_blocker(dialogue, participants)
    if blocker:
        raise _blocked_error(blocker)
    if not body and not uploads:
        raise ValidationError(_("Write a message or attach a file."))
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(_("A message can be at most 20,000 characters long."))

    now = timezone.now()
    latest = (
        dialogue.messages.filter(
            author=author,
            created_at__gte=now - DOUBLE_SUBMIT_WINDOW,
            withdrawn_at__isnull=True,
            removed_at__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )
    if latest is not None:
        latest.dialogue = dialogue
        if _stored_fingerprint(latest) == _fingerprint(body, uploads):
            logger.info("double submit of message %s ignored", latest.pk)
            return latest, False

    # Announced before the message is stored: a notice is news about messages from its own
    # moment on (dialogue/notices.py), and that includes this one.
    notices.announce(
        [p.user for p in participants if p.pk != me.pk], "dialogue.new_messages", dialogue.pk
    )
    message = Message(dialogue=dialogue, author=author, body=body)
    message.save()
    for upload in uploads:
        message.attachments.create(**Attachment.fields_of(upload))
    Dialogue.objects.filter(pk=dialogue.pk).update(last_message_at=message.created_at)
    Participant.objects.filter(pk=me.pk).update(last_read_at=message.created_at)
    logger.info("message %s posted in dialogue %s", message.pk, dialogue.pk)
    return message, True


def mark_read(dialogue: Dialogue, user: User) -> None:
    Participant.objects.filter(dialogue=dialogue, user=user).update(last_read_at=timezone.now())


# Changing and removing messages


def can_change(message: Message, user: User, now=None) -> bool:
    """A coach may edit or withdraw their own message within 15 minutes."""
    now = now or timezone.now()
    return (
        message.author_id == user.pk
        and user.role == Role.COACH
        and not message.is_gone
        and now - message.created_at <= EDIT_WINDOW
    )


def _check_open(message: Message) -> None:
    participants = list(message.dialogue.participants.select_related("user"))
    blocker = posting_blocker(message.dialogue, participants)
    if blocker:
        raise _blocked_error(blocker)


def _lock(message: Message) -> None:
    """Locks the row and re-reads its state, so an edit cannot race a withdrawal or removal."""
    current = (
        Message.objects.select_for_update().only("withdrawn_at", "removed_at").get(pk=message.pk)
    )
    message.withdrawn_at, message.removed_at = current.withdrawn_at, current.removed_at


def _destroy_content(message: Message, **fields) -> None:
    # Each stored file goes with its row once the transaction commits.
    message.attachments.all().delete()
    Message.objects.filter(pk=message.pk).update(body=None, body_html=None, **fields)
    message.body = message.body_html = None
    for name, value in fields.items():
        setattr(message, name, value)


@transaction.atomic
def edit_message(message: Message, user: User, body: str) -> None:
    _lock(message)
    if not can_change(message, user):
        raise ValidationError(
            _("You can only change your own message, and only within 15 minutes of sending it.")
        )
    _check_open(message)
    if not body:
        raise ValidationError(_("Write a message."))
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(_("A message can be at most 20,000 characters long."))
    message.body = body
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "edited_at"])
    logger.info("message %s edited", message.pk)


@transaction.atomic
def withdraw_message(message: Message, user: User) -> None:
    _lock(message)
    if not can_change(message, user):
        raise ValidationError(
            _("You can only withdraw your own message, and only within 15 minutes of sending it.")
        )
    _check_open(message)
    _destroy_content(message, withdrawn_at=timezone.now())
    logger.info("message %s withdrawn", message.pk)


@transaction.atomic
def remove_message(message: Message, coach: User) -> None:
    """Destroys a message sent into the wrong dialogue; only a tombstone remains."""
    if not message.dialogue.can_lead:
        raise ValidationError(_("Only a coach of this dialogue can remove a message."))
    _lock(message)
    if message.is_gone:
        raise ValidationError(_("This message has already been removed."))
    participants = message.dialogue.participants.select_related("user")
    if any(participant.user.processing_restricted for participant in participants):
        raise _blocked_error(Blocker.RESTRICTED)
    _destroy_content(message, removed_at=timezone.now(), removed_by=coach)
    logger.info("message %s removed by %s", message.pk, coach.pk)
