"""The read side: the inbox and a page of a dialogue, in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format

from accounts.models import User
from accounts.roles import CONTENT_ROLES, Role
from dialogue import access, services
from dialogue.models import Dialogue, Message, Participant
from pluform.crypto import datakeys
from pluform.links import link_for

MESSAGES_PER_PAGE = 50
DIALOGUES_PER_PAGE = 50
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def display_name(user, viewer) -> str:
    """Coachees see first names only; coaches see full names."""
    if user is None:
        return ""
    if viewer.role == Role.COACH:
        return user.get_full_name()
    return user.first_name


def _participants():
    # Only what a row shows of each participant: their name, as the viewer may see it.
    shown = ["dialogue_id", "user_id", "joined_at", "user__first_name", "user__last_name"]
    return Prefetch(
        "participants",
        queryset=Participant.objects.select_related("user")
        .only(*shown, "user__role")
        .order_by("joined_at", "pk"),
    )


def inbox_for(user, coachee=None):
    """The user's dialogues, newest first, with ``unread`` counts and the others' names."""
    my_row = Participant.objects.filter(dialogue=OuterRef("pk"), user=user)
    unread = (
        Message.objects.filter(
            dialogue=OuterRef("pk"),
            created_at__gt=OuterRef("my_last_read"),
            created_at__gte=OuterRef("my_visible_from"),
            withdrawn_at__isnull=True,
            removed_at__isnull=True,
        )
        .exclude(author=user)
        .order_by()
        .values("dialogue")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = access.dialogues_for(user)
    if coachee is not None:
        queryset = queryset.filter(participants__user=coachee)
    return (
        queryset.select_related("trajectory")
        .annotate(my_last_read=Coalesce(Subquery(my_row.values("last_read_at")[:1]), Value(EPOCH)))
        .annotate(
            my_visible_from=Coalesce(
                Subquery(my_row.filter(sees_history=False).values("joined_at")[:1]),
                Value(EPOCH),
            )
        )
        .annotate(unread=Coalesce(Subquery(unread, output_field=IntegerField()), 0))
        .prefetch_related(_participants())
        .order_by(F("last_message_at").desc(nulls_last=True), "-created_at")
    )


def label_all(dialogues, viewer) -> None:
    """``label`` for a page of dialogues, with the keys of their group titles in one query,
    and each row's link and time worked out here rather than by tags per row."""
    datakeys.preload({dialogue.scope for dialogue in dialogues if dialogue.is_group})
    detail_url = link_for("dialogue:detail")
    for dialogue in dialogues:
        label(dialogue, viewer)
        dialogue.url = detail_url(dialogue.pk)
        if dialogue.last_message_at:
            dialogue.time_iso, dialogue.time_text = local_time(dialogue.last_message_at)


def local_time(moment) -> tuple[str, str]:
    """``moment`` in the reader's time zone: ISO 8601 (for ``datetime=``) and as displayed.

    What ``|date:'c'`` and ``|date:"DATETIME_FORMAT"`` give, at a fraction of their cost in a
    list: the display format shows no zone, so it formats the wall-clock time and DateFormat
    skips its per-call time-zone work.
    """
    local = timezone.localtime(moment)
    return local.isoformat(), date_format(local.replace(tzinfo=None), get_format("DATETIME_FORMAT"))


def label(dialogue: Dialogue, viewer) -> None:
    """Sets ``others`` (names of the other participants) and ``is_closed`` on each dialogue."""
    dialogue.others = ", ".join(
        display_name(p.user, viewer) for p in dialogue.participants.all() if p.user_id != viewer.pk
    )
    dialogue.is_closed = bool(dialogue.trajectory_id and not dialogue.trajectory.is_active)


def inbox_coachees(coach):
    """The coachees a coach can filter the inbox by."""
    return (
        User.objects.filter(
            role=Role.COACHEE,
            dialogue_participations__dialogue__in=access.dialogues_for(coach).values("pk"),
        )
        .only("uuid", "first_name", "last_name", "role")
        .distinct()
    )


@dataclass
class DialoguePage:
    dialogue: Dialogue
    participants: list
    me: Participant
    page: Page
    is_newest: bool
    first_new_id: object
    blocker: str | None


def visible_messages(dialogue: Dialogue, participant: Participant):
    """A group member reads what was written after they joined, never the history before;
    so does a coach whom the coachee let in without the history."""
    messages = dialogue.messages.all()
    if dialogue.is_group or not participant.sees_history:
        messages = messages.filter(created_at__gte=participant.joined_at)
    return messages


def _author_names(messages, participants, viewer) -> dict:
    """Names by user id: the participants', and in one query those of authors who left."""
    names = {participant.user_id: participant.name for participant in participants}
    missing = {m.author_id for m in messages if m.author_id and m.author_id not in names}
    if missing:
        authors = User.objects.filter(pk__in=missing).only("first_name", "last_name", "role")
        names.update((author.pk, display_name(author, viewer)) for author in authors)
    return names


def dialogue_page(dialogue: Dialogue, user, page_number=None) -> DialoguePage:
    participants = list(dialogue.participants.select_related("user").order_by("joined_at", "pk"))
    me = next((p for p in participants if p.user_id == user.pk), None)
    if me is None:
        raise services.NotAParticipant
    for participant in participants:
        participant.name = display_name(participant.user, user)
    messages = (
        visible_messages(dialogue, me)
        .defer("body")  # the page shows body_html; body is read only to edit or export
        .prefetch_related(Prefetch("attachments", to_attr="files"))
    )
    paginator = Paginator(messages, MESSAGES_PER_PAGE)
    page = paginator.get_page(page_number or paginator.num_pages)
    names = _author_names(page.object_list, participants, user)
    now = timezone.now()
    first_new_id = None
    viewer_pk, last_read = user.pk, me.last_read_at
    for message in page:
        message.author_name = names.get(message.author_id, "")
        message.is_mine = message.author_id == viewer_pk
        message.changeable = message.is_mine and services.can_change(message, user, now)
        message.html = "" if message.is_gone else message.body_display
        message.time_iso, message.time_text = local_time(message.created_at)
        message.css = (
            "dialogue-message"
            + (" mine" if message.is_mine else "")
            + (" gone" if message.is_gone else "")
        )
        if (
            first_new_id is None
            and not message.is_mine
            and (last_read is None or message.created_at > last_read)
        ):
            first_new_id = message.pk
    return DialoguePage(
        dialogue=dialogue,
        participants=participants,
        me=me,
        page=page,
        is_newest=page.number == paginator.num_pages,
        first_new_id=first_new_id,
        blocker=services.posting_blocker(dialogue, participants),
    )


def unread_messages(user):
    """The messages ``user`` has not read, in the dialogues they take part in: by others,
    after their last read, not withdrawn or removed, and, for a group member or a coach let
    in without the history, only those written since they joined (what the inbox counts as
    unread, in one query)."""
    if not user.is_authenticated or user.role not in CONTENT_ROLES:
        return Message.objects.none()
    participation = "dialogue__participants__"
    return (
        Message.objects.filter(
            # One filter() call: the participant conditions apply to the same joined row.
            Q(**{f"{participation}user": user})
            & Q(
                created_at__gt=Coalesce(F(f"{participation}last_read_at"), Value(EPOCH)),
                created_at__gte=Case(
                    When(
                        **{f"{participation}sees_history": False},
                        then=F(f"{participation}joined_at"),
                    ),
                    default=Value(EPOCH),
                ),
                # Taking part is the permission; the participant row only holds read state.
                dialogue__grants__user=user,
                dialogue__grants__permission__codename=access.PARTICIPATE,
                withdrawn_at__isnull=True,
                removed_at__isnull=True,
            )
        )
        .exclude(author=user)
        .order_by()
    )
