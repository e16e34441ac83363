"""What happens to toolbox items: adding, changing, deleting, sharing and revoking.

Nothing new is added or shared by or with a coachee whose processing is restricted; what
is there stays readable.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from dialogue import access as dialogue_access
from dialogue.models import Dialogue
from pluform.notices import services as notices
from toolbox import access
from toolbox.models import Item, ItemFile, Kind, Visit
from toolbox.notices import SHARED

logger = logging.getLogger(__name__)


def restriction_error(user) -> ValidationError | None:
    """Why ``user`` may not add or share anything now, or None."""
    if user.processing_restricted:
        return ValidationError(
            _(
                "Processing of your data is restricted: you can read your items, but not add "
                "or share any for now."
            )
        )
    return None


def _check_not_restricted(user) -> None:
    error = restriction_error(user)
    if error is not None:
        raise error


def _check_recipients(user, recipients) -> None:
    allowed = set(access.recipients_for(user).values_list("pk", flat=True))
    if any(person.pk not in allowed for person in recipients):
        if user.role == Role.COACH:
            raise ValidationError(_("You can only share with your own coachees."))
        raise ValidationError(_("You can only share with your own coaches."))
    restricted = [person for person in recipients if person.processing_restricted]
    if restricted:
        raise ValidationError(
            _("Processing is restricted for %(names)s: nothing new can be shared with them.")
            % {"names": ", ".join(person.get_full_name() for person in restricted)}
        )


@transaction.atomic
def add_item(
    owner, *, upload=None, url="", title, description="", tags=(), published=False, recipients=()
) -> Item:
    """A new file item (``upload``, a checked CleanUpload) or link item (``url``)."""
    _check_not_restricted(owner)
    if recipients:
        _check_recipients(owner, recipients)
    item = Item.objects.create(
        organisation_id=owner.organisation_id,
        owner=owner,
        owned_by_coachee=owner.role == Role.COACHEE,
        kind=upload.kind if upload is not None else Kind.LINK,
        title=title,
        description=description,
        tags="\n".join(tags),
        url="" if upload is not None else url,
        published=published and owner.role == Role.COACH,
    )
    if upload is not None:
        ItemFile.objects.create(item=item, **ItemFile.fields_of(upload))
    logger.info("toolbox item %s added (%s)", item.pk, item.kind)
    if recipients:
        _grant([item], recipients, owner)
    return item


@transaction.atomic
def update_item(item: Item, *, title, description, tags, url=None, published=None) -> None:
    _check_not_restricted(item.owner)
    item.title = title
    item.description = description
    item.tags = "\n".join(tags)
    fields = ["title", "description", "tags", "changed_at"]
    if item.is_link and url is not None:
        item.url = url
        fields.append("url")
    if published is not None and not item.owned_by_coachee and published != item.published:
        item.published = published
        fields.append("published")
        if not published:
            access.revoke_colleagues_shares(item)
    item.save(update_fields=fields)


@transaction.atomic
def delete_item(item: Item) -> None:
    """The shares go with it; the stored file is removed once the transaction commits."""
    item_id = item.pk
    item.delete()
    logger.info("toolbox item %s deleted", item_id)


def _grant(items, recipients, by) -> int:
    created = access.grant(items, recipients, shared_by=by)
    if created:
        notices.announce(recipients, SHARED, by.pk)
    return created


@transaction.atomic
def share(items, recipients, *, by) -> int:
    """Share ``items`` with ``recipients``; returns how many shares are new."""
    _check_not_restricted(by)
    if not recipients:
        raise ValidationError(_("Choose at least one person to share with."))
    _check_recipients(by, recipients)
    return _grant(items, recipients, by)


def revoke(item: Item, recipient_id, *, by) -> bool:
    return access.revoke(item, recipient_id, shared_by=by) > 0


VISIT_GAP = datetime.timedelta(minutes=30)


def visit(user) -> datetime.datetime | None:
    """Record a request to "shared with me"; returns since when shares count as new (None:
    this is the first visit, so all are). Requests less than VISIT_GAP apart are one visit,
    so paging and searching keep the same marks."""
    now = timezone.now()
    seen = Visit.objects.filter(user=user).first()
    if seen is None:
        Visit.objects.create(user=user, seen_at=now)
        return None
    if now - seen.seen_at > VISIT_GAP:
        seen.since = seen.seen_at
    seen.seen_at = now
    seen.save(update_fields=["seen_at", "since"])
    return seen.since


# Sharing from a form: chosen people and everyone of a group


def group_choices(user) -> list[tuple[str, str]]:
    """The group dialogues a coach takes part in, as (id, name) choices."""
    if user.role != Role.COACH:
        return []
    groups = dialogue_access.dialogues_for(user).filter(kind=Dialogue.Kind.GROUP)
    return sorted(
        ((str(group.pk), group.title) for group in groups.only("id", "title", "scope")),
        key=lambda choice: choice[1].casefold(),
    )


def _group_coachees(user, group_id) -> list:
    group = dialogue_access.get_dialogue_for(user, group_id)
    return [
        participant.user
        for participant in group.participants.select_related("user").filter(
            user__role=Role.COACHEE, user__is_active=True
        )
    ]


@dataclass
class Shared:
    recipients: list
    created: int
    left_out: int = 0


def share_by_form(user, items, data) -> Shared:
    """Share with the people chosen and with the coachees of the chosen group who are the
    user's own; the others of the group are left out, and counted."""
    recipients = {person.pk: person for person in data.get("recipients") or ()}
    left_out = 0
    if data.get("group"):
        own = set(access.recipients_for(user).values_list("pk", flat=True))
        for person in _group_coachees(user, data["group"]):
            if person.pk in own:
                recipients.setdefault(person.pk, person)
            else:
                left_out += 1
    people = list(recipients.values())
    if not people:
        raise ValidationError(_("Nobody in this group is your coachee: nothing was shared."))
    return Shared(recipients=people, created=share(items, people, by=user), left_out=left_out)
