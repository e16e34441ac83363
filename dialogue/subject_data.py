"""What the dialogues hold about a coachee: every message they can read in the dialogues
they take part in (one-to-one and group, as dialogue.access and dialogue.queries let them
see it: dialogue.queries.visible_messages), with the attachments as files. Nothing for any
other role."""

from functools import partial

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from dialogue import access
from dialogue.models import Attachment, Message, Participant
from dialogue.queries import display_name, visible_messages
from privacy import erasure
from privacy.erasure import ACCESS_RIGHTS
from privacy.subject_data import (
    FILE_FIELDS,
    FILES_KEY,
    Section,
    file_entry,
    iso,
    register,
    safe_file_name,
    stored_file,
)


def _participations(subject):
    """The coachee's places in the dialogues they take part in (a handful: one list)."""
    if subject.role != Role.COACHEE:
        return []
    return list(
        Participant.objects.filter(
            user=subject, dialogue__in=access.dialogues_for(subject).values("pk")
        )
        .select_related("dialogue")
        .order_by("dialogue__created_at", "dialogue_id")
    )


def _attachment_path(attachment: Attachment) -> str:
    return f"files/dialogue/{attachment.pk}/{safe_file_name(attachment.original_name)}"


def _message_records(subject, *, own_only=False):
    attachments = Attachment.objects.order_by("created_at", "id")
    for participant in _participations(subject):
        dialogue = participant.dialogue
        messages = visible_messages(dialogue, participant)
        if own_only:
            messages = messages.filter(author_id=subject.pk)
        messages = (
            messages.select_related("author")
            .prefetch_related(Prefetch("attachments", queryset=attachments))
            .defer("body_html")
            .order_by("created_at", "id")
        )
        for message in messages.iterator(chunk_size=200):
            message.dialogue = dialogue
            gone = message.is_gone
            files = [] if gone else list(message.attachments.all())
            yield {
                "id": str(message.pk),
                "dialogue": str(dialogue.pk),
                "dialogue_kind": dialogue.kind,
                "dialogue_title": (dialogue.title or None) if dialogue.is_group else None,
                "author": display_name(message.author, subject) or None,
                "by_you": message.author_id == subject.pk,
                "written_at": iso(message.created_at),
                "edited_at": iso(message.edited_at),
                "withdrawn_at": iso(message.withdrawn_at),
                "removed_at": iso(message.removed_at),
                "text": None if gone else message.body,
                FILES_KEY: [
                    file_entry(
                        _attachment_path(attachment),
                        attachment.original_name,
                        content_type=attachment.content_type,
                        size=attachment.size,
                    )
                    for attachment in files
                ],
            }


def _message_files(subject, *, own_only=False):
    for participant in _participations(subject):
        still_there = visible_messages(participant.dialogue, participant).filter(
            withdrawn_at__isnull=True, removed_at__isnull=True
        )
        if own_only:
            still_there = still_there.filter(author_id=subject.pk)
        attachments = Attachment.objects.filter(message__in=still_there.values("pk")).order_by(
            "created_at", "id"
        )
        for attachment in attachments.iterator(chunk_size=200):
            yield stored_file(_attachment_path(attachment), attachment)


MESSAGES = Section(
    name="dialogue.messages",
    title=_("Your dialogues"),
    description=_(
        "Every message you can read in the dialogues you take part in: with your coach and "
        "in groups (there from the moment you joined). Of a withdrawn or removed message "
        "only the times are kept, not the text. Attachments are among the files."
    ),
    fields={
        "id": _("Identifier of the message"),
        "dialogue": _("Identifier of the dialogue the message is in"),
        "dialogue_kind": _("The kind of dialogue: one_to_one (with your coach) or group"),
        "dialogue_title": _("The name of the group"),
        "author": _("Who wrote the message, by the name you see in Pluform"),
        "by_you": _("Whether you wrote the message"),
        "written_at": _("When the message was written"),
        "edited_at": _("When the message was last changed by its author"),
        "withdrawn_at": _("When its author withdrew the message"),
        "removed_at": _("When a coach removed the message (sent into the wrong dialogue)"),
        "text": _("The text of the message"),
        **FILE_FIELDS,
    },
    records=_message_records,
    files=_message_files,
    provided=partial(_message_records, own_only=True),
    provided_files=partial(_message_files, own_only=True),
    provided_description=_(
        "The messages you wrote, in the dialogues with your coach and in groups. Of a "
        "withdrawn or removed message only the times are kept, not the text. Your "
        "attachments are among the files."
    ),
    provided_keys=(
        "id",
        "dialogue",
        "dialogue_kind",
        "dialogue_title",
        "author",
        "by_you",
        "written_at",
        "edited_at",
        "withdrawn_at",
        "removed_at",
        "text",
        *FILE_FIELDS,
    ),
)

register(MESSAGES)


def _messages_written(subject: User):
    """A coachee's messages in group dialogues (their one-to-one dialogues go with their
    trajectories). A coach's messages stay: they are their coachees' data."""
    if subject.role == Role.COACHEE:
        yield Message.objects.filter(author=subject)


erasure.register(
    titles={
        "dialogue.dialogue": _("Dialogues"),
        "dialogue.participant": _("Places in dialogues"),
        "dialogue.message": _("Messages"),
        "dialogue.attachment": _("Attachments of messages"),
        "dialogue.dialogueuserobjectpermission": ACCESS_RIGHTS,
    },
    records=_messages_written,
)
